"""State changes of complaints, published cases and inspection ratings. One function per
transition: it checks permission, writes the change and its audit row in one transaction.

Life cycle: received → accepted | rejected; accepted → assigned (→ assigned again on
reassignment) → replied → closed; a supervisor may also close an accepted complaint
directly (e.g. after handing it to the discipline commission as a lead)."""

import hashlib
import re
import secrets
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.campaigns.models import Campaign
from jiandu.documents.uploads import save_attachment
from jiandu.ledger.actions import create_lead, create_problem
from jiandu.ledger.models import Lead, Problem
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import (
    is_supervisor,
    is_supervisor_or_discipline,
    is_unit_writer,
    unit_users,
)
from jiandu.orgs.models import FocusArea, Unit
from jiandu.orgs.notify import notify
from jiandu.portal import crypto
from jiandu.portal.models import (
    CATEGORY_FOCUS,
    MISCONDUCT_CATEGORIES,
    Complaint,
    ComplaintAssignment,
    ComplaintMessage,
    InspectionRating,
    OriginalFile,
    PublishedCase,
)

# No 0/O, 1/I/L: a code read aloud on the phone or copied from paper stays unambiguous.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12 ≈ 8e17 codes: guessing one is hopeless at any rate limit
State = Complaint.State


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """What people type: lower case, spaces and dashes between groups."""
    return re.sub(r"[\s\-]", "", (text or "")).upper()[:40]


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- permissions ------------------------------------------------------------------


def can_handle(user) -> bool:
    """The justice bureau's supervisors accept, assign, close and publish."""
    return is_supervisor(user)


def can_see_identity(user) -> bool:
    """Only the supervisor and the discipline commission, never the accused unit."""
    return is_supervisor_or_discipline(user)


def can_open_original(user) -> bool:
    """A complaint file as sent, with its metadata: the supervisor (and the discipline
    commission, who may read the identity anyway), never the unit."""
    return can_see_identity(user)


def shown_name(attachment, number: int, user) -> str:
    """A complaint file's name as `user` sees it. The name the complainant gave it can name
    them (“张三身份证.jpg”): only those who may see the identity read it; the unit sees
    附件1, 附件2 … (`number`: its place among the complaint's files, from 1)."""
    if can_see_identity(user):
        return attachment.original_name
    return f"附件{number}.{attachment.extension}"


def accused_unit_ids(complaint) -> set[int]:
    """The units the complaint is about: the one the complainant named and the one
    whose inspection it refers to."""
    ids = {complaint.reported_unit_id}
    if complaint.inspection_id:
        ids.add(complaint.inspection.unit_id)
    return {i for i in ids if i}


def can_reply(user, complaint) -> bool:
    """The assigned unit's clerk or leader, while the complaint waits for its reply."""
    return complaint.state == State.ASSIGNED and is_unit_writer(user, complaint.unit_id)


def _require_handler(actor):
    if not can_handle(actor):
        raise PermissionDenied("只有监督管理员可以办理举报。")


def _require_state(complaint, *states, message):
    if complaint.state not in states:
        raise ValidationError(message)


def _required_text(text, message):
    text = (text or "").strip()
    if not text:
        raise ValidationError(message)
    return text


def _check_score(score):
    if score not in (1, 2, 3, 4, 5):
        raise ValidationError("请选择 1 到 5 星。")


# --- who may do what, in which state ------------------------------------------------
# Each `check_<name>(complaint, actor, today)` raises PermissionDenied (wrong person) or
# ValidationError (wrong state) without looking at the input.

OPEN_STATES = (State.ACCEPTED, State.ASSIGNED, State.REPLIED)


def check_accept(complaint, actor, today=None):
    _require_handler(actor)
    _require_state(complaint, State.RECEIVED, message="只有待受理的举报可以受理。")


def check_reject(complaint, actor, today=None):
    _require_handler(actor)
    _require_state(complaint, State.RECEIVED, message="只有待受理的举报可以决定不予受理。")


def check_assign(complaint, actor, today=None):
    _require_handler(actor)
    _require_state(complaint, *OPEN_STATES, message="受理后才能交办，已办结的举报不能再交办。")


def check_reply(complaint, actor, today=None):
    if not can_reply(actor, complaint):
        raise PermissionDenied("只有承办单位的填报员或负责人可以答复交办的举报。")


def check_close(complaint, actor, today=None):
    _require_handler(actor)
    _require_state(complaint, *OPEN_STATES, message="只有受理后尚未办结的举报可以办结。")


def check_lead(complaint, actor, today=None):
    _require_handler(actor)
    _require_state(complaint, *OPEN_STATES, message="受理后、办结前才能移交纪委。")
    if complaint.lead_id:
        raise ValidationError("该举报已移交纪委。")


def check_problem(complaint, actor, today=None):
    _require_handler(actor)
    if complaint.problem_id:
        raise ValidationError("该举报已登记为整改问题。")
    if complaint.state in (State.RECEIVED, State.REJECTED):
        raise ValidationError("受理后才能登记为整改问题。")


def check_publish(complaint, actor, today=None):
    _require_handler(actor)
    _require_state(complaint, State.CLOSED, message="只有已办结的举报可以作为典型案例曝光。")
    if PublishedCase.objects.filter(complaint=complaint).exists():
        raise ValidationError("该举报已曝光。")


# The complainant's own steps: whoever holds the tracking code (no account) acts.


def check_supplement(complaint, actor=None, today=None):
    if not complaint.is_open:
        raise ValidationError("该举报已办结，不能再补充材料。")


def check_withdraw(complaint, actor=None, today=None):
    if not complaint.is_open:
        raise ValidationError("该举报已办结或已撤回，不能再撤回。")


def check_withdraw_case(case, actor, today=None):
    _require_handler(actor)
    if case.withdrawn_at:
        raise ValidationError("该案例已撤下。")


COMPLAINT_CHECKS = {
    "accept": check_accept,
    "reject": check_reject,
    "assign": check_assign,
    "reply": check_reply,
    "close": check_close,
    "lead": check_lead,
    "problem": check_problem,
    "publish": check_publish,
}


def available_actions(complaint, user, today=None) -> set[str]:
    return allowed(COMPLAINT_CHECKS, complaint, user, today)


# --- the public side ----------------------------------------------------------------


def submit_complaint(
    *,
    category,
    description,
    reported_unit=None,
    happened_on=None,
    place="",
    anonymous=True,
    name="",
    phone="",
    inspection=None,
    inspection_ref="",
    files=(),
    request=None,
) -> Complaint:
    """File a complaint with its attachments (already checked by check_upload): all of
    it is stored, or nothing (files written before a failure are removed again)."""
    description = _required_text(description, "请填写反映的内容。")
    if not anonymous and not (name or "").strip():
        raise ValidationError("实名举报请填写姓名，或选择匿名。")
    for attempt in range(5):
        try:
            return _store_complaint(
                category=category,
                description=description,
                reported_unit=reported_unit,
                happened_on=happened_on,
                place=place,
                anonymous=anonymous,
                name=name,
                phone=phone,
                inspection=inspection,
                inspection_ref=inspection_ref,
                files=files,
                request=request,
            )
        except IntegrityError:
            # A tracking code collision (about 1 in 10^17): draw again. Nothing was kept.
            if attempt == 4:
                raise


def _store_complaint(*, files, request, name, phone, inspection_ref, place, **fields):
    saved = []
    try:
        with transaction.atomic():
            complaint = Complaint.objects.create(
                tracking_code=new_tracking_code(),
                place=(place or "").strip(),
                inspection_ref=(inspection_ref or "")[:40],
                name_cipher="" if fields["anonymous"] else crypto.encrypt(name.strip()),
                phone_cipher="" if fields["anonymous"] else crypto.encrypt(phone.strip()),
                **fields,
            )
            for checked in files:
                saved.append(_save_complaint_file(checked, complaint))
            # The audit row names no person: the trail is read more widely than the identity.
            log(
                "portal.complaint.received",
                obj=complaint,
                unit=fields["reported_unit"],
                request=request,
                data={
                    "category": fields["category"],
                    "anonymous": fields["anonymous"],
                    "files": len(saved),
                },
                object_repr=str(complaint),
            )
    except BaseException:
        _delete_files(saved)
        raise
    return complaint


def _save_complaint_file(checked, complaint):
    """The cleaned copy is the attachment everyone who may open the complaint gets;
    the bytes as sent, when cleaning changed them, are kept apart for the supervisor."""
    from django.core.files.base import ContentFile

    att = save_attachment(checked, owner=complaint, unit=None)
    if checked.original is not None:
        original = OriginalFile(
            attachment=att,
            size=len(checked.original),
            sha256=hashlib.sha256(checked.original).hexdigest(),
        )
        original.file.save("x", ContentFile(checked.original), save=False)
        att._original = original  # for _delete_files before the row exists
        original.save()
    return att


def _delete_files(attachments):
    for att in attachments:
        att.file.delete(save=False)
        original = getattr(att, "_original", None)
        if original is not None:
            original.file.delete(save=False)


def add_supplement(complaint, *, text, files=(), request=None) -> ComplaintMessage:
    """The complainant adds information while the complaint is open."""
    text = _required_text(text, "请填写补充的内容。")
    saved = []
    try:
        with transaction.atomic():
            lock(complaint)
            check_supplement(complaint)
            message = ComplaintMessage.objects.create(
                complaint=complaint, kind=ComplaintMessage.Kind.SUPPLEMENT, text=text
            )
            for checked in files:
                saved.append(_save_complaint_file(checked, complaint))
            log(
                "portal.complaint.supplemented",
                obj=complaint,
                unit=complaint.unit,
                request=request,
                data={"files": len(saved)},
            )
    except BaseException:
        _delete_files(saved)
        raise
    return message


@transaction.atomic
def withdraw_complaint(complaint, *, reason="", request=None):
    """The complainant withdraws an open complaint (through the tracking code only)."""
    lock(complaint)
    check_withdraw(complaint)
    complaint.state = State.WITHDRAWN
    complaint.closed_at = timezone.now()
    complaint.withdraw_reason = (reason or "").strip()
    complaint.save(update_fields=["state", "closed_at", "withdraw_reason"])
    log("portal.complaint.withdrawn", obj=complaint, unit=complaint.unit, request=request)
    return complaint


@transaction.atomic
def rate_complaint(complaint, *, score, comment="", request=None):
    _check_score(score)
    now = timezone.now()
    # One conditional UPDATE: of two ratings racing, the database lets one through,
    # whatever session or worker they come from.
    rated = Complaint.objects.filter(
        pk=complaint.pk, state=State.CLOSED, rating__isnull=True
    ).update(rating=score, rating_comment=(comment or "").strip(), rated_at=now)
    if not rated:
        complaint.refresh_from_db()
        if complaint.state != State.CLOSED:
            raise ValidationError("办结后才能评价。")
        raise ValidationError("该举报已经评价过了。")
    complaint.refresh_from_db()
    log(
        "portal.complaint.rated",
        obj=complaint,
        unit=complaint.unit,
        request=request,
        data={"score": score},
    )
    return complaint


@transaction.atomic
def rate_inspection(inspection, *, score, comment="", request=None) -> InspectionRating:
    """One rating per inspection (per verification code), held by the database."""
    _check_score(score)
    try:
        with transaction.atomic():
            rating = InspectionRating.objects.create(
                inspection=inspection, score=score, comment=(comment or "").strip()
            )
    except IntegrityError as exc:
        raise ValidationError(RATED_ONCE) from exc
    log(
        "portal.inspection.rated",
        obj=inspection,
        unit=inspection.unit,
        request=request,
        data={"score": score},
    )
    return rating


RATED_ONCE = "这次检查已经评价过了，每个核验码只能评价一次。"


# --- handling -----------------------------------------------------------------------


@transaction.atomic
def accept_complaint(complaint, *, actor, note="", request=None):
    lock(complaint)
    check_accept(complaint, actor)
    complaint.state = State.ACCEPTED
    complaint.accepted_at = timezone.now()
    complaint.accept_note = (note or "").strip()
    complaint.handled_by = actor
    complaint.save(update_fields=["state", "accepted_at", "accept_note", "handled_by"])
    log("portal.complaint.accepted", actor=actor, obj=complaint, request=request)
    if complaint.category in MISCONDUCT_CATEGORIES and not complaint.lead_id:
        # Misconduct of a unit's officers is a lead for the discipline commission from
        # the start; the supervisor keeps the complaint itself (see assign_complaint).
        hand_to_discipline(
            complaint,
            actor=actor,
            note="受理时自动移交：反映公职人员吃拿卡要等问题。",
            request=request,
        )
    return complaint


@transaction.atomic
def reject_complaint(complaint, *, actor, reason, request=None):
    """不予受理: concluded at once (closed_at set), accepted_at stays empty."""
    lock(complaint)
    check_reject(complaint, actor)
    complaint.reject_reason = _required_text(reason, "请填写不予受理的理由。")
    complaint.state = State.REJECTED
    complaint.closed_at = timezone.now()
    complaint.handled_by = actor
    complaint.save(update_fields=["state", "reject_reason", "closed_at", "handled_by"])
    log(
        "portal.complaint.rejected",
        actor=actor,
        obj=complaint,
        request=request,
        data={"reason": complaint.reject_reason},
    )
    return complaint


MISCONDUCT_TO_ACCUSED = (
    "该举报反映被反映单位人员吃拿卡要等问题，不能交由该单位自己办理；"
    "请由监督部门核查，或交办其他单位，涉及公职人员违纪违法的已移交纪委监委。"
)
CONFLICT_REASON_REQUIRED = "承办单位就是被反映单位，请填写交由其自行办理的理由（将记入审计记录）。"


@transaction.atomic
def assign_complaint(
    complaint, *, unit, actor, note="", conflict_reason="", request=None
) -> ComplaintAssignment:
    """交办 to a unit; assigning again is a reassignment, recorded as another row.
    A unit the complaint is about handles it only with a stated, audited reason, and
    never a complaint about its own people's misconduct (conflict of interest)."""
    lock(complaint)
    check_assign(complaint, actor)
    if unit is None or not unit.is_enforcement_unit:
        raise ValidationError("请选择承办的执法单位。")
    if complaint.unit_id == unit.pk and complaint.state == State.ASSIGNED:
        raise ValidationError("该举报已交办给这个单位。")
    conflict_reason = (conflict_reason or "").strip()
    to_accused = unit.pk in accused_unit_ids(complaint)
    if to_accused and complaint.category in MISCONDUCT_CATEGORIES:
        raise ValidationError(MISCONDUCT_TO_ACCUSED)
    if to_accused and not conflict_reason:
        raise ValidationError(CONFLICT_REASON_REQUIRED)
    assignment = ComplaintAssignment.objects.create(
        complaint=complaint,
        unit=unit,
        assigned_by=actor,
        note=(note or "").strip(),
        conflict_reason=conflict_reason if to_accused else "",
    )
    previous = complaint.unit
    complaint.unit = unit
    complaint.state = State.ASSIGNED
    complaint.save(update_fields=["unit", "state"])
    log(
        "portal.complaint.reassigned" if previous else "portal.complaint.assigned",
        actor=actor,
        obj=complaint,
        unit=unit,
        request=request,
        data={"unit": unit.code, "from": previous.code if previous else None},
    )
    if to_accused:
        log(
            "portal.complaint.assigned_to_accused",
            actor=actor,
            obj=complaint,
            unit=unit,
            request=request,
            data={"unit": unit.code, "reason": conflict_reason},
        )

    users = list(unit_users(unit.pk, "clerk", "leader"))
    url = reverse("portal:complaint", args=[complaint.pk])
    transaction.on_commit(
        lambda: notify(
            users,
            f"交办举报：{complaint.get_category_display()}",
            "请在期限内核实并答复。",
            url=url,
            important=True,
        )
    )
    return assignment


@transaction.atomic
def reply_complaint(complaint, *, actor, text, request=None) -> ComplaintMessage:
    """The assigned unit answers; the complainant reads the answer on the tracking page."""
    lock(complaint)
    check_reply(complaint, actor)
    text = _required_text(text, "请填写核实处理情况。")
    message = ComplaintMessage.objects.create(
        complaint=complaint,
        kind=ComplaintMessage.Kind.REPLY,
        text=text,
        author=actor,
        unit=complaint.unit,
    )
    complaint.state = State.REPLIED
    complaint.save(update_fields=["state"])
    log("portal.complaint.replied", actor=actor, obj=complaint, request=request)
    return message


@transaction.atomic
def close_complaint(complaint, *, actor, result, request=None):
    lock(complaint)
    check_close(complaint, actor)
    complaint.result = _required_text(result, "请填写办理结果。")
    complaint.state = State.CLOSED
    complaint.closed_at = timezone.now()
    complaint.save(update_fields=["result", "state", "closed_at"])
    log("portal.complaint.closed", actor=actor, obj=complaint, request=request)
    return complaint


@transaction.atomic
def hand_to_discipline(complaint, *, actor, note="", request=None):
    """移交纪委: a lead for the discipline commission; the complaint stays open here."""

    lock(complaint)
    check_lead(complaint, actor)
    description = complaint.description
    note = (note or "").strip()
    if note:
        description = f"{description}\n\n移交意见：{note}"
    lead = create_lead(
        unit=complaint.unit or complaint.reported_unit,
        title=f"举报线索：{complaint.get_category_display()}（{complaint.reference}）",
        description=description,
        source=Problem.Source.COMPLAINT,
        source_ref=complaint.reference,
        actor=actor,
        request=request,
        # Already in the ledger: the lead is that problem's (only the supervisor then
        # changes its deadline).
        problem=complaint.problem,
        origin=complaint,
    )
    complaint.lead = lead
    complaint.save(update_fields=["lead"])
    log(
        "portal.complaint.to_discipline",
        actor=actor,
        obj=complaint,
        request=request,
        data={"lead": lead.pk},
    )
    return lead


@transaction.atomic
def complaint_to_problem(
    complaint, *, actor, description="", severity=None, deadline=None, request=None
):
    """Put a verified complaint into the unit's rectification ledger, with the handler's
    deadline or the default one for its severity."""

    lock(complaint)
    check_problem(complaint, actor)
    unit = complaint.unit or complaint.reported_unit
    if unit is None:
        raise ValidationError("请先交办到责任单位，再登记为整改问题。")
    focus = FocusArea.objects.filter(code=CATEGORY_FOCUS[complaint.category]).first()
    if focus is None:
        raise ValidationError("缺少整治内容基础数据，请先运行 jiandu init。")
    today = timezone.localdate()
    if deadline is not None and deadline < today:
        raise ValidationError({"deadline": f"整改时限不能早于今天（{today:%Y-%m-%d}）。"})
    problem = create_problem(
        unit=unit,
        focus_area=focus,
        description=(description or "").strip() or complaint.description,
        source=Problem.Source.COMPLAINT,
        source_ref=complaint.reference,
        origin=complaint,
        severity=severity or Problem.Severity.NORMAL,
        deadline=deadline,
        campaign=Campaign.objects.current(today),
        actor=actor,
        request=request,
    )
    complaint.problem = problem
    complaint.save(update_fields=["problem"])
    # Handed to 纪委 before (a misconduct complaint is, when accepted): the lead is about
    # this problem too, so its deadline is the supervisor's alone.
    linked = Lead.objects.filter(pk=complaint.lead_id, problem__isnull=True).update(problem=problem)
    log(
        "portal.complaint.to_problem",
        actor=actor,
        obj=complaint,
        unit=unit,
        request=request,
        data={"problem": problem.pk, **({"lead": complaint.lead_id} if linked else {})},
    )
    return problem


PHONE_RE = re.compile(r"(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)")
LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}\d{7,8}(?!\d)")
IDNO_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
# What people put between the digits of a number or the characters of a name.
SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−﹣_.·•()（）\[\]【】/]")


def redaction_form(text: str) -> str:
    """Text as the redaction check reads it: full-width digits and letters made
    half-width (NFKC), separators removed, so `1 3 7－0057 1188` is 13700571188."""
    return SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", text or ""))


def check_redacted(complaint, text: str):
    """Refuse published text that still carries the complainant's name or phone, a
    mobile or landline number, or an identity number, however it is spaced or written."""
    plain = redaction_form(text)
    name = redaction_form(crypto.decrypt(complaint.name_cipher))
    phone = redaction_form(crypto.decrypt(complaint.phone_cipher))
    if name and len(name) >= 2 and name in plain:
        raise ValidationError("案例内容含有举报人姓名，请删除后再发布。")
    if phone and phone in plain:
        raise ValidationError("案例内容含有举报人电话，请删除后再发布。")
    if PHONE_RE.search(plain):
        raise ValidationError("案例内容含有手机号码，请删除后再发布。")
    if LANDLINE_RE.search(plain):
        raise ValidationError("案例内容含有固定电话号码，请删除后再发布。")
    if IDNO_RE.search(plain):
        raise ValidationError("案例内容含有身份证号码，请删除后再发布。")


@transaction.atomic
def publish_case(complaint, *, actor, title, text, request=None) -> PublishedCase:
    """曝光: publish a closed complaint as a typical case with the supervisor's text."""
    lock(complaint)
    check_publish(complaint, actor)
    title = _required_text(title, "请填写标题。")
    text = _required_text(text, "请填写案例内容。")
    check_redacted(complaint, title + "\n" + text)
    case = PublishedCase.objects.create(
        complaint=complaint,
        title=title[:200],
        text=text,
        category=complaint.category,
        unit=complaint.unit or complaint.reported_unit,
        published_by=actor,
    )
    log("portal.case.published", actor=actor, obj=case, request=request)
    return case


@transaction.atomic
def withdraw_case(case, *, actor, request=None):
    _require_handler(actor)
    lock(case)
    check_withdraw_case(case, actor)
    case.withdrawn_at = timezone.now()
    case.save(update_fields=["withdrawn_at"])
    log("portal.case.withdrawn", actor=actor, obj=case, request=request)
    return case


@transaction.atomic
def reveal_identity(complaint, *, actor, request=None) -> dict:
    """Decrypt the complainant's name and phone for an allowed handler; every reading
    is written to the audit trail."""
    if not can_see_identity(actor):
        raise PermissionDenied("您的角色不能查看举报人身份。")
    if complaint.anonymous or not complaint.has_identity:
        return {"name": "", "phone": "", "anonymous": True}
    log(
        "portal.identity.viewed",
        actor=actor,
        obj=complaint,
        unit=actor.unit if actor.unit_id else None,
        request=request,
    )
    return {
        "name": crypto.decrypt(complaint.name_cipher),
        "phone": crypto.decrypt(complaint.phone_cipher),
        "anonymous": False,
    }


def enforcement_units():
    return Unit.objects.enforcement().active().order_by("kind", "code")
