"""The watched deadlines: a registry of sources, one per kind of item, each yielding the
items whose deadline falls on or before a horizon (`DueItem`). The sources live here, in
the app above the ones they read (layering: ledger, selfcheck, portal and supervision may
not import reminders); a new kind is one more `@source("kind")` function.

Each item names its unit, the people responsible for it, its deadline and its page.
`notify_unit` adds the unit's clerks and its group robot (not for items a unit must not
see, such as a lead about it); the ladder's letters (steps 3 and 4) are for the kinds whose
ladder setting has them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from jiandu.campaigns.models import Campaign
from jiandu.credit import actions as credit_actions
from jiandu.ledger.actions import OPEN_LEAD
from jiandu.ledger.models import Lead, Problem
from jiandu.orgs.access import role_users
from jiandu.orgs.models import Role, Unit, User
from jiandu.portal.models import Complaint
from jiandu.reminders.keys import item_key, selfcheck_key
from jiandu.selfcheck.actions import NOT_SUBMITTED
from jiandu.supervision.models import Instrument
from jiandu.transfers import actions as transfer_actions


@dataclass
class DueItem:
    key: str
    kind: str
    label: str  # 问题“……”, 甲镇人民政府自查表, 举报 JB-…（待受理）
    unit: object  # orgs.Unit or None
    deadline: date
    url: str  # the item's page (a path)
    responsible: list = field(default_factory=list)
    notify_unit: bool = True
    what: str = "期限"  # 整改时限, 填报截止, 受理期限 …


REGISTRY: dict[str, Callable[[date, date, object], Iterable[DueItem]]] = {}

KIND_LABELS = {
    "selfcheck": "自查表",
    "problem": "整改问题",
    "complaint": "举报投诉",
    "lead": "问题线索",
    "instrument": "监督文书",
    "transfer": "案件移送",
    "credit": "信用修复",
}


def source(kind: str):
    """Register `fn(today, horizon, cal)` as the source of `kind`'s items."""

    def register(fn):
        REGISTRY[kind] = fn
        return fn

    return register


def items(today: date, horizon: date, cal, kinds=None) -> Iterable[DueItem]:
    for kind, fn in REGISTRY.items():
        if kinds is None or kind in kinds:
            yield from fn(today, horizon, cal)


def path_of(name: str):
    """A function pk -> the path of route `name` (reversed once, not once per item)."""
    marker = 987654321
    template = reverse(name, args=[marker])
    return lambda pk: template.replace(str(marker), str(int(pk)))


def users_by_unit(unit_ids, *roles) -> dict[int, list]:

    out: dict[int, list] = {}
    qs = User.objects.filter(unit_id__in=set(unit_ids), is_active=True)
    if roles:
        qs = qs.filter(roles__code__in=roles).distinct()
    for user in qs.order_by("pk"):
        out.setdefault(user.unit_id, []).append(user)
    return out


# ---------------------------------------------------------------- 自查表 (selfcheck)


def selfcheck_items(today, horizon, cal):

    units = list(Unit.objects.enforcement().active())
    leaders = users_by_unit([u.pk for u in units], Role.LEADER)
    for campaign in Campaign.objects.filter(is_active=True).prefetch_related("phases"):
        deadline = campaign.self_check_deadline
        if deadline is None or deadline > horizon:
            continue
        reports = {r.unit_id: r for r in campaign.reports.all()}
        for unit in units:
            report = reports.get(unit.pk)
            if (report.state if report else None) not in NOT_SUBMITTED:
                continue
            url = (
                reverse("campaigns:report", args=[report.pk])
                if report
                else reverse("campaigns:reports")
            )
            yield DueItem(
                key=selfcheck_key(campaign.pk, unit.pk),
                kind="selfcheck",
                label=f"{campaign.title}自查表",
                unit=unit,
                deadline=deadline,
                url=url,
                responsible=leaders.get(unit.pk, []),
                what="填报截止",
            )


# ---------------------------------------------------------------- 整改问题 (ledger)


def problem_items(today, horizon, cal):

    problems = list(
        Problem.objects.open()
        .filter(deadline__isnull=False, deadline__lte=horizon)
        # Submitted in time and waiting for the supervisor: not the unit's delay.
        .exclude(pk__in=Problem.objects.awaiting_in_time().values("pk"))
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    people = users_by_unit([p.unit_id for p in problems], Role.LEADER, Role.CLERK)
    page = path_of("ledger:problem")
    for p in problems:
        unit_people = people.get(p.unit_id, [])
        named = [
            u for u in unit_people if p.responsible_person and u.full_name == p.responsible_person
        ]
        leaders = [u for u in unit_people if u.has_role(Role.LEADER)]
        short = p.description if len(p.description) <= 20 else p.description[:20] + "…"
        yield DueItem(
            key=item_key(p),
            kind="problem",
            label=f"整改问题“{short}”",
            unit=p.unit,
            deadline=p.deadline,
            url=page(p.pk),
            responsible=named or leaders,
            what="整改时限",
        )


# ---------------------------------------------------------------- 举报投诉 (portal)

COMPLAINT_STEPS = {"accept": "受理期限", "reply": "答复期限", "close": "办结期限"}


def complaint_items(today, horizon, cal):
    """INTG-02: the step a complaint waits at and its due date. 受理 and 办结 are the
    justice bureau's (its handler, else every supervisor); the reply is the unit's."""

    supervisors = None
    page = path_of("portal:complaint")
    complaints = list(
        Complaint.objects.open().select_related("unit", "handled_by__unit").order_by("pk")
    )
    leaders = users_by_unit([c.unit_id for c in complaints if c.unit_id], Role.LEADER)
    for c in complaints:
        step = c.current_step(cal, today)
        if step is None or step["due"] > horizon:
            continue
        if step["step"] == "reply" and c.unit_id:
            unit, responsible, notify_unit = c.unit, leaders.get(c.unit_id, []), True
        else:
            if c.handled_by_id and c.handled_by.is_active:
                responsible = [c.handled_by]
            else:
                if supervisors is None:
                    supervisors = list(role_users(Role.SUPERVISOR).order_by("pk"))
                responsible = supervisors
            unit = c.handled_by.unit if c.handled_by_id else None
            notify_unit = False
        yield DueItem(
            key=item_key(c),
            kind="complaint",
            label=f"举报{c.reference}（{step['label']}）",
            unit=unit,
            deadline=step["due"],
            url=page(c.pk),
            responsible=responsible,
            notify_unit=notify_unit,
            what=COMPLAINT_STEPS[step["step"]],
        )


# ---------------------------------------------------------------- 问题线索 (ledger.Lead)


def lead_deadline(lead, cal) -> date:
    """The lead's own due date (办理期限) when it has one, else REMINDER_LEAD_DAYS
    working days after it was handed over."""
    if lead.due_date:
        return lead.due_date
    return cal.add_workdays(timezone.localdate(lead.created_at), settings.REMINDER_LEAD_DAYS)


def lead_items(today, horizon, cal):

    discipline = None
    page = path_of("ledger:lead")
    for lead in Lead.objects.filter(OPEN_LEAD).select_related("unit"):
        deadline = lead_deadline(lead, cal)
        if deadline > horizon:
            continue
        if discipline is None:
            discipline = list(role_users(Role.DISCIPLINE).order_by("pk"))
        yield DueItem(
            key=item_key(lead),
            kind="lead",
            label=f"问题线索“{lead.title[:20]}”",
            unit=lead.unit,
            deadline=deadline,
            url=page(lead.pk),
            responsible=discipline,
            # A lead about a unit is the discipline commission's: never the unit's.
            notify_unit=False,
            what="办理期限",
        )


# ---------------------------------------------------------------- 监督文书 (supervision)


def instrument_items(today, horizon, cal):
    """The unit's reply to a 督办函/意见书 (`supervision.Instrument`), due on its deadline,
    while the unit owes it (issued, or its reply returned)."""
    instruments = list(
        Instrument.objects.filter(
            state__in=Instrument.AWAITING_UNIT, deadline__isnull=False, deadline__lte=horizon
        )
        .select_related("unit")
        .order_by("deadline", "pk")
    )
    leaders = users_by_unit([i.unit_id for i in instruments], Role.LEADER)
    for ins in instruments:
        yield DueItem(
            key=item_key(ins),
            kind="instrument",
            label=f"{ins.get_kind_display()}“{ins.title[:20]}”（{ins.ref}）",
            unit=ins.unit,
            deadline=ins.deadline,
            url=ins.get_absolute_url(),
            responsible=leaders.get(ins.unit_id, []),
            what="答复期限",
        )


# ---------------------------------------------------------------- 案件移送, 信用修复


def _flow_items(kind, due, horizon):
    """The open steps of the cross-department workflows (transfers.actions.due_items,
    credit.actions.due_items): each names the unit whose turn it is, or none when it is
    the supervisor's (a disputed jurisdiction)."""
    steps = [d for d in due if d.deadline <= horizon]
    units = {u.pk: u for u in Unit.objects.filter(pk__in={d.unit_id for d in steps if d.unit_id})}
    leaders = users_by_unit(list(units), Role.LEADER)
    supervisors = None
    for d in steps:
        if d.unit_id is None and supervisors is None:
            supervisors = list(role_users(Role.SUPERVISOR).order_by("pk"))
        yield DueItem(
            key=item_key(d.obj),
            kind=kind,
            label=d.title,
            unit=units.get(d.unit_id),
            deadline=d.deadline,
            url=d.url,
            responsible=leaders.get(d.unit_id, []) if d.unit_id else supervisors,
            notify_unit=d.unit_id is not None,
            what=d.step,
        )


def transfer_items(today, horizon, cal):
    yield from _flow_items("transfer", transfer_actions.due_items(today), horizon)


def credit_items(today, horizon, cal):
    yield from _flow_items("credit", credit_actions.due_items(today), horizon)


def register_all():
    source("selfcheck")(selfcheck_items)
    source("problem")(problem_items)
    source("complaint")(complaint_items)
    source("lead")(lead_items)
    source("instrument")(instrument_items)
    source("transfer")(transfer_items)
    source("credit")(credit_items)
