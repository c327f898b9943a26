"""State changes of enforcement records made in the interface (imports go through
intake). Each checks permission and writes its audit row in the same transaction."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.enforcement.models import Enterprise, Inspection, join_multi
from jiandu.lib import uscc
from jiandu.lib.locking import lock
from jiandu.orgs.access import can_write_unit

# Read aloud or typed from a phone: no 0/O, 1/I/L look-alikes. 32**10 = 2**50 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_verify_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def registration_date_problem(day, today=None) -> str | None:
    """Why `day` cannot be the planned date of an inspection registered today, or None.
    Registration comes before the visit, for this year's or next year's plan."""
    today = today or timezone.localdate()
    if day < today:
        return "检查登记应在检查前完成，检查日期不能早于今天。"
    if day.year > today.year + 1:
        return "计划检查日期不能晚于明年年底。"
    return None


def _check_writer(actor, unit):
    if not can_write_unit(actor, unit.pk):
        raise PermissionDenied("只有本单位的填报员、负责人或监督管理员可以登记检查。")


def ensure_enterprise(*, uscc_code, name, actor, request=None) -> Enterprise:
    """The enterprise of a USCC, created (audited) when the registry does not have it yet."""
    code = (uscc_code or "").strip().upper()
    problem = uscc.problem(code)
    if problem:
        raise ValidationError({"enterprise_uscc": problem})
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if enterprise:
        return enterprise
    if not (name or "").strip():
        raise ValidationError(
            {"enterprise_name": "该统一社会信用代码不在市场主体名录中，请填写企业名称以新增。"}
        )
    enterprise = Enterprise.objects.create(uscc=code, name=name.strip())
    log(
        "enforcement.enterprise.created",
        actor=actor,
        obj=enterprise,
        unit=getattr(actor, "unit", None),
        request=request,
        data={"uscc": code},
    )
    return enterprise


def registration_nos(unit, today, n=1) -> list[str]:
    """`n` of the unit's registration numbers of the day (`<code>-DJyyyymmdd-nnn`) not yet
    taken, in one query: the one numbering of registered inspections, also for the ones
    planning registers (joint visits, draws)."""
    prefix = f"{unit.code}-DJ{today:%Y%m%d}-"
    taken = set(
        Inspection.objects.filter(unit=unit, registration_no__startswith=prefix).values_list(
            "registration_no", flat=True
        )
    )
    found, k = [], len(taken)
    while len(found) < n:
        k += 1
        if f"{prefix}{k:03d}" not in taken:
            found.append(f"{prefix}{k:03d}")
    return found


@transaction.atomic
def register_inspection(
    *,
    unit,
    enterprise_uscc,
    enterprise_name="",
    inspected_on,
    kind,
    mode,
    officers,
    items="",
    joint_no="",
    inspection_no="",
    actor,
    request=None,
) -> Inspection:
    """检查登记备案: register a planned inspection before it happens and give it a
    verification code (亮码) that the enterprise can check on the public page."""
    _check_writer(actor, unit)
    today = timezone.localdate()
    if problem := registration_date_problem(inspected_on, today):
        raise ValidationError({"inspected_on": problem})
    enterprise = ensure_enterprise(
        uscc_code=enterprise_uscc, name=enterprise_name, actor=actor, request=request
    )
    registration_no = registration_nos(unit, today)[0]
    inspection_no = (inspection_no or "").strip() or registration_no
    if Inspection.objects.filter(unit=unit, inspection_no=inspection_no).exists():
        raise ValidationError({"inspection_no": f"本单位已有检查编号为“{inspection_no}”的检查。"})
    for _attempt in range(5):
        code = new_verify_code()
        try:
            with transaction.atomic():
                inspection = Inspection.objects.create(
                    unit=unit,
                    inspection_no=inspection_no,
                    enterprise=enterprise,
                    enterprise_name=enterprise.name,
                    inspected_on=inspected_on,
                    mode=mode,
                    kind=kind,
                    joint_no=(joint_no or "").strip(),
                    registration_no=registration_no,
                    registered_on=today,
                    officers=join_multi(officers),
                    items=items,
                    is_planned=True,
                    verify_code=code,
                )
            break
        except IntegrityError:  # a code collision (2**-50): draw again
            continue
    else:  # pragma: no cover
        raise ValidationError("生成核验码失败，请重试。")
    log(
        "enforcement.inspection.registered",
        actor=actor,
        obj=inspection,
        request=request,
        data={
            "registration_no": registration_no,
            "enterprise": enterprise.uscc,
            "inspected_on": inspected_on.isoformat(),
            "kind": kind,
            "mode": mode,
            "officers": list(officers),
            "joint_no": inspection.joint_no,
        },
    )
    return inspection


@transaction.atomic
def complete_inspection(
    inspection: Inspection, *, result, actor, items=None, request=None
) -> Inspection:
    """Mark a registered inspection as carried out, with its result."""
    _check_writer(actor, inspection.unit)
    inspection = lock(inspection)
    if not inspection.is_planned:
        raise ValidationError("该检查已经完成。")
    if result not in Inspection.Result.values:
        raise ValidationError({"result": "请选择检查结果。"})
    if inspection.inspected_on > timezone.localdate():
        raise ValidationError("检查日期尚未到来，不能标记为已完成。")
    inspection.result = result
    inspection.is_planned = False
    fields = ["result", "is_planned", "updated_at"]
    if items:
        inspection.items = items
        fields.append("items")
    inspection.updated_at = timezone.now()
    inspection.save(update_fields=fields)
    log(
        "enforcement.inspection.completed",
        actor=actor,
        obj=inspection,
        request=request,
        data={"result": result},
    )
    return inspection
