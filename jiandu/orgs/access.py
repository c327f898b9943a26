"""What a user may see: the one scoping function every list of unit data goes through.

A unit's users see their own unit only; the justice bureau (supervisors), the
discipline commission and inspection teams see every unit; anonymous visitors see
nothing. Outsiders get a 404 (not a 403) so ids of other units' objects reveal nothing.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from jiandu.orgs.models import Role, Unit, User


def sees_all(user) -> bool:
    return bool(user and user.is_authenticated and user.sees_all_units)


def scope(queryset, user, unit_field: str | tuple[str, ...] = "unit"):
    """Restrict a queryset of unit data to what `user` may read. `unit_field` may be a
    tuple when several units share an object (a transfer's sender and receiver)."""
    if not user or not user.is_authenticated:
        return queryset.none()
    if sees_all(user):
        return queryset
    if not user.unit_id:
        return queryset.none()
    fields = (unit_field,) if isinstance(unit_field, str) else unit_field
    condition = Q()
    for field in fields:
        condition |= Q(**{field: user.unit_id})
    return queryset.filter(condition).distinct() if len(fields) > 1 else queryset.filter(condition)


def is_supervisor(user) -> bool:
    """The justice bureau's supervisor (司法局监督管理员)."""
    return bool(user and user.is_authenticated and user.is_supervisor)


def is_discipline(user) -> bool:
    """A reader of the discipline commission (纪检监督员)."""
    return bool(user and user.is_authenticated and user.is_discipline)


def is_supervisor_or_discipline(user) -> bool:
    """Those who see leads and complainants' identities, escalate and hand over to 纪委."""
    return is_supervisor(user) or is_discipline(user)


def is_unit_writer(user, unit_id) -> bool:
    """The unit's own clerk or leader (not a county-level reader)."""
    if not user or not user.is_authenticated:
        return False
    return bool(user.unit_id and user.unit_id == unit_id and user.has_role("clerk", "leader"))


def can_write_unit(user, unit_id) -> bool:
    """Unit data is written by that unit's own clerk or leader, or by a supervisor."""
    if not user or not user.is_authenticated:
        return False
    return user.is_supervisor or is_unit_writer(user, unit_id)


def enforcement_units(user):
    """The supervised units (乡镇, 县直部门) the user may see: all, or a unit's own."""
    return scope(Unit.objects.enforcement().active(), user, "pk")


def get_for_user(queryset, user, pk, *, write: bool = False, unit_field: str = "unit"):
    """One object of unit data: 404 when outside the user's scope, 403 when read-only."""
    try:
        obj = scope(queryset, user, unit_field).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc
    if write:
        if not isinstance(unit_field, str):
            raise ValueError("write access needs a single unit field")
        unit_id = obj
        for part in unit_field.split("__"):
            unit_id = getattr(unit_id, part, None) if unit_id is not None else None
        unit_id = getattr(unit_id, "pk", unit_id)
        if not can_write_unit(user, unit_id):
            raise PermissionDenied("您的角色只能查看，不能修改。")
    return obj


def require_role(user, *codes: str, message: str = "您没有执行此操作的权限。"):
    """Raise PermissionDenied unless the user holds one of the roles (superusers pass)."""
    if not user or not user.is_authenticated:
        raise PermissionDenied(message)
    if user.is_superuser or user.has_role(*codes):
        return
    raise PermissionDenied(message)


def require_supervisor(user, message: str = "只有监督管理员可以执行此操作。"):
    """Raise PermissionDenied unless the user is the supervisor (superusers pass)."""
    require_role(user, Role.SUPERVISOR, message=message)


def role_users(*roles: str):
    """Active users county-wide holding one of `roles` (for notifications)."""
    return User.objects.filter(roles__code__in=roles, is_active=True).distinct()


def unit_users(unit_id, *roles: str):
    """Active users of a unit, optionally with given roles (for notifications)."""
    qs = User.objects.filter(unit_id=unit_id, is_active=True)
    if roles:
        qs = qs.filter(roles__code__in=roles).distinct()
    return qs
