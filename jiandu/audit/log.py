from jiandu.audit.models import AuditEvent


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log(action: str, *, actor=None, obj=None, unit=None, data=None, request=None, object_repr=None):
    """Append one audit row. `action` is a dotted code such as `ledger.problem.accepted`."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if unit is None and obj is not None:
        unit = getattr(obj, "unit", None)
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=(actor.display_name if actor else (data or {}).get("actor_name", "")) or "",
        unit=unit if getattr(unit, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(
            object_repr if object_repr is not None else str(obj) if obj is not None else ""
        )[:300],
        data=data or {},
        ip=client_ip(request),
    )
