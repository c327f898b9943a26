"""What the public pages compute: inspection lookups, officers' certificates, the public
statistics and a complaint's timeline as the complainant sees it."""

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from jiandu.enforcement.models import Certificate, Inspection
from jiandu.portal.models import Complaint, step_deadlines
from jiandu.workdays import calendar


def find_inspection(code: str):
    code = (code or "").strip()
    if not code or len(code) > 40:
        return None
    qs = Inspection.objects.select_related("unit", "enterprise")
    return qs.filter(verify_code=code).first() or qs.filter(verify_code=code.upper()).first()


def joint_members(inspection) -> list:
    """综合查一次 through one 检查码: the other units' inspections of the same joint visit
    (same joint number, enterprise and day), so the enterprise sees every unit and item
    the one visit covers. Empty for an inspection that is not joint."""
    if not inspection.joint_no:
        return []
    return list(
        Inspection.objects.filter(
            joint_no=inspection.joint_no,
            enterprise_id=inspection.enterprise_id,
            inspected_on=inspection.inspected_on,
        )
        .exclude(pk=inspection.pk)
        .select_related("unit")
        .order_by("unit__code")
    )


def inspection_officers(inspection) -> list[dict]:
    """Each officer named on the inspection with the state of the certificate on the
    inspection day (Officer.certificate_on, as everywhere else): only a certificate on
    the register and valid that day is 有效."""

    rows = []
    for check in inspection.certificates():
        officer, state = check.officer, check.state
        row = {"cert_no": check.cert_no, "name": officer.name if officer else ""}
        if state == Certificate.UNREGISTERED:
            row.update(valid=False, status="无效", detail="未在册")
        elif state == Certificate.EXPIRED:
            row.update(
                valid=False, status="无效", detail=f"已于 {officer.valid_until:%Y-%m-%d} 过期"
            )
        elif state == Certificate.UNKNOWN:
            row.update(valid=False, status="无效", detail="有效期未知")
        else:
            note = "" if officer.unit_id == inspection.unit_id else f"；所属 {officer.unit}"
            row.update(
                valid=True, status="有效", detail=f"有效期至 {officer.valid_until:%Y-%m-%d}{note}"
            )
        rows.append(row)
    return rows


def public_stats() -> dict:
    """Complaints received, accepted, and the share of concluded ones concluded on time."""
    S = Complaint.State
    counts = Complaint.objects.aggregate(
        received=Count("id"),
        accepted=Count("id", filter=Q(accepted_at__isnull=False)),
        closed=Count("id", filter=Q(state=S.CLOSED)),
    )
    # Counted per (day received, day closed) rather than per complaint: the deadline
    # depends on the day received only (Complaint.on_time, one calendar for all).
    cal = calendar()
    days = (
        Complaint.objects.filter(state=S.CLOSED, closed_at__isnull=False)
        .order_by()
        .values_list(TruncDate("received_at"), TruncDate("closed_at"))
        .annotate(n=Count("id"))
    )
    on_time = sum(
        n for received, closed, n in days if closed <= step_deadlines(cal, received)["close"]
    )
    counts["on_time_pct"] = round(100 * on_time / counts["closed"]) if counts["closed"] else None
    return counts


def timeline(complaint, public_messages) -> list[dict]:
    """The complaint's steps for the complainant; the handlers' names are not shown."""
    S = Complaint.State
    items = [{"at": complaint.received_at, "title": "收到举报", "text": ""}]
    if complaint.state == S.REJECTED:
        items.append(
            {"at": complaint.closed_at, "title": "不予受理", "text": complaint.reject_reason}
        )
    if complaint.accepted_at:
        items.append({"at": complaint.accepted_at, "title": "已受理", "text": ""})
    for a in complaint.assignments.select_related("unit"):
        items.append({"at": a.assigned_at, "title": f"交办{a.unit.name}办理", "text": ""})
    for m in public_messages:
        title = (
            f"{m.unit.name if m.unit else '承办单位'}答复"
            if m.kind == "reply"
            else m.get_kind_display()
        )
        items.append({"at": m.created_at, "title": title, "text": m.text})
    if complaint.state == S.CLOSED:
        items.append({"at": complaint.closed_at, "title": "已办结", "text": complaint.result})
    if complaint.state == S.WITHDRAWN:
        items.append(
            {"at": complaint.closed_at, "title": "您已撤回举报", "text": complaint.withdraw_reason}
        )
    if complaint.rated_at:
        items.append(
            {"at": complaint.rated_at, "title": f"您的评价：{complaint.rating} 星", "text": ""}
        )
    items.sort(key=lambda i: i["at"] or timezone.now())
    return items
