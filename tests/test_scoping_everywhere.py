"""One place that tries unit A's ids on every route that takes an id, as the clerk of
unit B (must be 404: nobody learns that the record exists), and opens unit A's pages as
unit A's clerk and the supervisor. Each app's own tests go deeper.

The table is checked against the URL resolver: a route with a parameter that is neither
tried here nor exempted with a reason fails `test_every_route_with_a_parameter_is_listed`,
so a new page cannot forget the scoping function."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from jiandu.acceptance.models import Showcase
from jiandu.campaigns.models import Campaign
from jiandu.credit import views as credit_views
from jiandu.credit.models import RepairApplication
from jiandu.documents import gongwen
from jiandu.documents.uploads import check_upload, save_attachment
from jiandu.enforcement.models import Enterprise, Inspection, PenaltyCase
from jiandu.intake.models import ImportBatch
from jiandu.ledger import views as ledger_views
from jiandu.ledger.actions import create_problem
from jiandu.ledger.models import Lead, Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea, Notification
from jiandu.planning import actions as planning
from jiandu.portal import manage as portal_manage
from jiandu.portal.models import Complaint, ComplaintAssignment, PublishedCase
from jiandu.selfcheck.models import SelfCheckReport
from jiandu.standards.models import PublishedDraft, PublishedRow
from jiandu.supervision import instrument_views
from jiandu.supervision.models import (
    CaseFileReview,
    DisciplineRequest,
    Instrument,
    Interview,
    OfficerRecommendation,
    Proposal,
    SupervisionVisit,
)
from jiandu.transfers import views as transfer_views
from jiandu.transfers.models import CaseTransfer

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# -- the table ---------------------------------------------------------------------------
# route name -> (method, kwargs from the objects of unit A). Unit B's clerk must get 404.
def _pk(key):
    return lambda o: {"pk": o[key].pk}


def _each(key, param, names):
    """The route tried once per value of its string parameter (every transition name)."""
    return lambda o: [{"pk": o[key].pk, param: name} for name in names]


def _unit_of(key):
    """A campaign page's action on one unit: the unit's id is the one tried."""
    return lambda o: {"pk": o[key].campaign_id, "unit_pk": o[key].unit_id}


TRIED = {
    "campaigns:report": ("get", _pk("report")),
    "campaigns:report_export": ("get", _pk("report")),
    "campaigns:report_save": ("post", _pk("report")),
    "campaigns:report_signoff": ("post", _pk("report")),
    "campaigns:report_submit": ("post", _pk("report")),
    "campaigns:report_accept": ("post", _pk("report")),
    "campaigns:report_return": ("post", _pk("report")),
    "campaigns:acceptance_pass": ("post", _unit_of("report")),
    "campaigns:acceptance_fail": ("post", _unit_of("report")),
    "campaigns:visit": ("get", _pk("visit")),
    "campaigns:visit_finding": ("post", _pk("visit")),
    "campaigns:visit_complete": ("post", _pk("visit")),
    "campaigns:review_new": ("get", _pk("visit")),
    "campaigns:review": ("get", _pk("review")),
    "campaigns:review_problem": ("post", _pk("review")),
    "campaigns:showcase": ("get", _pk("showcase")),
    "campaigns:showcase_edit": ("get", _pk("showcase")),
    "campaigns:showcase_step": ("post", _each("showcase", "step", ["select", "publish"])),
    "documents:download": ("get", _pk("attachment")),
    "documents:issued_download": ("get", _pk("issued")),
    "documents:issued_receipt": ("post", _pk("issued")),
    "documents:unit_papers": ("get", _pk("unit")),
    "enforcement:case": ("get", _pk("case")),
    "enforcement:inspection": ("get", _pk("inspection")),
    "intake:batch": ("get", _pk("batch")),
    "intake:resume": ("post", _pk("batch")),
    "intake:report": ("get", _pk("batch")),
    "ledger:problem": ("get", _pk("problem")),
    "ledger:transition": ("post", _each("problem", "name", ledger_views.TRANSITIONS)),
    "ledger:lead": ("get", _pk("lead")),
    "ledger:lead_receive": ("post", _pk("lead")),
    "ledger:lead_close": ("post", _pk("lead")),
    "ledger:lead_dispose": ("post", _pk("lead")),
    "ledger:lead_return": ("post", _pk("lead")),
    "monitoring:alert": ("get", _pk("alert")),
    "monitoring:confirm": ("post", _pk("alert")),
    "monitoring:dismiss": ("post", _pk("alert")),
    "monitoring:assign": ("post", _pk("alert")),
    "monitoring:transfer": ("post", _pk("alert")),
    "orgs:notification_read": ("post", _pk("notification")),
    "portal:complaint": ("get", _pk("complaint")),
    "portal:identity": ("post", _pk("complaint")),
    "portal:withdraw_case": ("post", _pk("complaint")),
    "portal:transition": ("post", _each("complaint", "action", portal_manage.TRANSITIONS)),
    "portal:attachment": ("get", _pk("complaint_file")),
    "reminders:unit": ("get", lambda o: {"pk": o["problem"].unit_id}),
    "supervision:instrument": ("get", _pk("instrument")),
    "supervision:instrument_step": (
        "post",
        _each("instrument", "name", instrument_views.INSTRUMENT_TRANSITIONS),
    ),
    "supervision:proposal": ("get", _pk("proposal")),
    "supervision:proposal_decision": ("post", _pk("proposal")),
    "supervision:interview": ("get", _pk("interview")),
    "supervision:interview_minutes": ("post", _pk("interview")),
    "supervision:officer_decision": ("post", _pk("officer")),
    "supervision:request_answer": ("post", _pk("duban_request")),
    "planning:plan": ("get", _pk("plan")),
    "planning:plan_action": ("post", _each("plan", "action", ["file", "revise"])),
    "planning:entry_remove": ("post", _pk("plan_entry")),
    "planning:joint": ("get", _pk("joint")),
    "planning:joint_answer": ("post", _each("joint", "action", ["accept", "decline"])),
    "planning:draw": ("get", _pk("draw")),
    "planning:draw_action": ("post", _each("draw", "action", ["announce", "draw", "publish"])),
    "transfers:detail": ("get", _pk("transfer")),
    "transfers:step": ("post", _each("transfer", "name", transfer_views.TRANSITIONS)),
    "transfers:file": ("get", _pk("transfer_file")),
    "credit:detail": ("get", _pk("repair")),
    "credit:step": ("post", _each("repair", "name", credit_views.TRANSITIONS)),
    "credit:file": ("get", _pk("repair_file")),
    "credit:three_docs": ("get", _pk("case")),
    "credit:serve": ("post", _pk("case")),
    "standards:published_draft": ("get", _pk("published_draft")),
    "standards:published_mapping": ("post", _pk("published_draft")),
    "standards:published_publish": ("post", _pk("published_draft")),
    "standards:published_discard": ("post", _pk("published_draft")),
    "standards:published_row": ("get", _pk("published_row")),
    "standards:published_row_exclude": ("post", _pk("published_row")),
}

# Pages of unit A's records that unit A's clerk and the supervisor open (the rest are
# actions, county-only pages such as leads, or exports checked in their app's tests).
OPENED_BY_UNIT_A = [
    "campaigns:report",
    "campaigns:report_export",
    "campaigns:visit",
    "campaigns:showcase",
    "documents:download",
    "documents:issued_download",
    "documents:unit_papers",
    "enforcement:case",
    "enforcement:inspection",
    "intake:batch",
    "ledger:problem",
    "monitoring:alert",
    "portal:complaint",
    "portal:attachment",
    "supervision:instrument",
    "supervision:proposal",
    "supervision:interview",
    "planning:plan",
    "planning:joint",
    "planning:draw",
    "transfers:detail",
    "transfers:file",
    "credit:detail",
    "credit:file",
    "standards:published_draft",
    "standards:published_row",
]

_COUNTY = "a county record every unit shares, not one unit's; only supervisors change it"
_CAMPAIGN = "the campaign is the county's; the lists on the page are scoped per unit"
_PUBLIC = "public page keyed by an unguessable code, not an id; rate-limited"
EXEMPT = {
    "supervision:circular": "a 通报 is addressed to every unit of the county",
    "supervision:public_circular": "public page: only 通报 made public (Art. 31) are found",
    "admin:*": "Django admin: staff accounts only, not a unit's page",
    "api:*": "the import API takes a data kind, not an id; the token's unit scopes the rows",
    "campaigns:detail": _CAMPAIGN,
    "campaigns:edit": _COUNTY,
    "campaigns:contact_add": _COUNTY,
    "campaigns:contact_remove": _COUNTY,
    "campaigns:template": _CAMPAIGN,
    "campaigns:item_add": _COUNTY,
    "campaigns:item_edit": _COUNTY,
    "campaigns:item_delete": _COUNTY,
    "campaigns:item_move": _COUNTY,
    "campaigns:visits": _CAMPAIGN,
    "campaigns:visit_new": _COUNTY,
    "campaigns:acceptance": _CAMPAIGN,
    "campaigns:acceptance_bulk": _COUNTY,
    "campaigns:showcases": _CAMPAIGN,
    "campaigns:showcase_new": _CAMPAIGN,
    "documents:summary": "the county summary of a campaign: supervisors and discipline only",
    "documents:issue_paper": "issuing a 公文 is the supervisor's (require_supervisor)",
    "documents:blank_selfcheck": "the campaign's blank 自查表: the county's form, no unit data",
    "documents:number_cancel": "the county's 文号 register; supervisors only",
    "documents:template_default": "a kind's default 公文 template: no id, supervisors only",
    "enforcement:enterprise": "an enterprise is on the county register; the page scopes "
    "its inspections and cases (tests/enforcement/test_pages.py)",
    "intake:template": "a blank import template for a data kind; holds no data",
    "intake:token_revoke": "API tokens are managed by supervisors only (require_role)",
    "integrations:replay": "webhook deliveries are the supervisor's only (require_supervisor)",
    "monitoring:rule_edit": _COUNTY,
    "monitoring:run": "a run of the rules over the whole county; county roles only",
    "portal:captcha_image": _PUBLIC,
    "portal:track_detail": _PUBLIC,
    "portal:track_supplement": _PUBLIC,
    "portal:track_rate": _PUBLIC,
    "portal:track_withdraw": _PUBLIC,
    "portal:verify_detail": _PUBLIC,
    "portal:verify_rate": _PUBLIC,
    "credit_public:track_detail": _PUBLIC,
    "portal:case": "a published case, public by design (PublishedCase.visible())",
    "portal:best_case": "a published best case, public by design (Showcase.objects.published())",
    "planning:enterprise": "an enterprise on the county register: who plans to visit it "
    "(dates and units shared so units can join; items shown to their own unit only)",
    "draws:detail": "a 双随机 draw is public from its announcement by design (一公开)",
    "draws:json": "a 双随机 draw is public from its announcement by design (一公开)",
    "standards:item": _COUNTY,
    "standards:item_edit": _COUNTY,
    "standards:benchmark_new": _COUNTY,
    "standards:benchmark_edit": _COUNTY,
    "standards:benchmark_publish": _COUNTY,
    "standards:lenient_edit": _COUNTY,
    "standards:lenient_publish": _COUNTY,
    "workdays:delete": "a day of the county's working calendar; supervisors only",
    "reminders:draft": "a drafted 提醒函/督办函: supervisors and discipline only (403 to units)",
    "reminders:pause": "pausing an item's reminders: supervisors only (403 to units)",
    "reminders:resume": "resuming an item's reminders: supervisors only (403 to units)",
}


# -- the walker ---------------------------------------------------------------------------
def routes_with_parameters(resolver=None, namespace=""):
    """{"namespace:name": route} for every URL pattern that takes a parameter."""
    found = {}
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            for name, route in routes_with_parameters(entry, inner).items():
                found[name] = f"{entry.pattern}{route}"
        elif isinstance(entry, URLPattern) and entry.pattern.regex.groups:
            name = entry.name or str(entry.pattern)
            found[":".join(filter(None, [namespace, name]))] = str(entry.pattern)
    return found


def _listed(name):
    return name in TRIED or name in EXEMPT or f"{name.split(':')[0]}:*" in EXEMPT


def unlisted(resolver=None):
    return {n: r for n, r in routes_with_parameters(resolver).items() if not _listed(n)}


def test_every_route_with_a_parameter_is_listed():
    assert unlisted() == {}, "try the new route in TRIED, or exempt it with a reason"


def test_the_table_lists_no_route_that_is_gone():
    names = set(routes_with_parameters())
    namespaces = {n.split(":")[0] for n in names}
    stale = [
        n
        for n in [*TRIED, *EXEMPT]
        if n not in names and not (n.endswith(":*") and n.split(":")[0] in namespaces)
    ]
    assert stale == []


@pytest.mark.urls("tests.urls_with_a_new_page")
def test_a_new_page_with_an_id_fails_the_walker():
    assert unlisted(get_resolver("tests.urls_with_a_new_page")) == {
        "forgotten:record": "forgotten/records/<int:pk>/"
    }


# -- unit A's records ------------------------------------------------------------------------
@pytest.fixture
def unit_a_objects(units, personas):
    a = units["a"]
    campaign = Campaign.objects.create(title="专项行动", lead_unit=units["justice"])
    report = SelfCheckReport.objects.create(campaign=campaign, unit=a)
    problem = create_problem(
        unit=a,
        focus_area=FocusArea.objects.get(code="procedure"),
        description="甲镇的问题",
        source=Problem.Source.SUPERVISION,
        campaign=campaign,
    )
    attachment = save_attachment(
        check_upload(SimpleUploadedFile("甲镇.pdf", PDF)), owner=problem, unit=a
    )
    enterprise = Enterprise.objects.create(uscc="91330000000000000X", name="甲公司")
    case = PenaltyCase.objects.create(
        unit=a,
        case_no="甲罚〔2026〕1号",
        party_name="甲公司",
        party_type="legal",
        violation_code="X-1",
        filed_on=date(2026, 1, 5),
    )
    inspection = Inspection.objects.create(
        unit=a,
        inspection_no="甲检-1",
        enterprise=enterprise,
        enterprise_name="甲公司",
        inspected_on=date(2026, 1, 6),
    )
    alert = Alert.objects.create(
        rule="PROC-02",
        subject_kind="case",
        subject_key=f"{a.code}/甲罚〔2026〕1号",
        unit=a,
        severity="normal",
        state="new",
        evidence={},
        evidence_hash="h",
    )
    batch = ImportBatch.objects.create(
        kind="cases", unit=a, created_by=personas["clerk_a"], state="done"
    )
    visit = SupervisionVisit.objects.create(
        campaign=campaign, unit=a, visit_date=timezone.localdate()
    )
    review = CaseFileReview.objects.create(
        visit=visit, case_no=case.case_no, case=case, grade=CaseFileReview.Grade.PASS
    )
    showcase = Showcase.objects.create(
        campaign=campaign,
        title="甲镇的做法",
        summary="简介",
        unit=a,
        created_by=personas["clerk_a"],
    )
    lead = Lead.objects.create(
        unit=a, title="甲镇的线索", description="线索", source=Problem.Source.SUPERVISION
    )
    complaint = Complaint.objects.create(
        tracking_code="TESTCODE0001", category="other", unit=a, description="反映甲镇"
    )
    ComplaintAssignment.objects.create(complaint=complaint, unit=a)
    PublishedCase.objects.create(
        complaint=complaint, unit=a, title="甲镇的案例", text="案例", category="other"
    )
    complaint_file = save_attachment(
        check_upload(SimpleUploadedFile("举报.pdf", PDF)), owner=complaint, unit=None
    )
    notification = Notification.objects.create(user=personas["clerk_a"], title="给甲镇的提醒")
    area = FocusArea.objects.get(code="procedure")
    instrument = Instrument.objects.create(
        kind="supervision_letter",
        unit=a,
        title="甲镇的督办函",
        facts="f",
        basis="b",
        required_action="r",
        focus_area=area,
        reply_workdays=15,
        state="issued",
        deadline=timezone.localdate(),
    )
    proposal = Proposal.objects.create(
        unit=a, instrument=instrument, reason="major", facts="f", proposal="p"
    )
    interview = Interview.objects.create(
        unit=a, held_at=timezone.now(), interviewers="x", attendees="y", content="z"
    )
    officer = OfficerRecommendation.objects.create(
        unit=a, officer_name="王某", measure="training", reason="r", competent_body="甲镇"
    )
    duban_request = DisciplineRequest.objects.create(unit=a, reason="r")
    issued = gongwen.issue_document(
        "reminder_letter", unit=a, context={"title": "给甲镇的提醒函"}, actor=personas["supervisor"]
    )
    plan = planning.create_plan(unit=a, year=2026, actor=personas["clerk_a"])
    plan_entry = plan.entries.create(enterprise=enterprise, items="甲镇", months=";5;")
    draw = planning.create_draw(
        unit=a, actor=personas["clerk_a"], title="甲镇抽查", n=1, draw_on=timezone.localdate(),
        inspect_on=timezone.localdate(), items="甲镇",
    )  # fmt: skip
    joint = _joint_of_a_and_a_third_unit(a, enterprise)
    # Sent to the judicial organs: nobody of unit B is sender or receiver.
    transfer = CaseTransfer.objects.create(
        transfer_no="YS2026-00001",
        from_unit=a,
        external=CaseTransfer.External.POLICE,
        party_name="甲公司",
        facts="涉嫌犯罪",
        basis="移送规定",
        sent_on=date(2026, 1, 7),
    )
    transfer_file = save_attachment(
        check_upload(SimpleUploadedFile("移送.pdf", PDF)), owner=transfer, unit=a
    )
    repair = RepairApplication.objects.create(
        code="CREDITCODE0001",
        case=case,
        unit=a,
        uscc="91330000000000000X",
        enterprise_name="甲公司",
        decision_no=case.case_no,
        grounds="已整改",
        applied_on=date(2026, 1, 8),
    )
    repair_file = save_attachment(
        check_upload(SimpleUploadedFile("缴款凭证.pdf", PDF)), owner=repair, unit=a
    )
    published_draft = PublishedDraft.objects.create(
        kind="benchmark", title="甲镇领域的裁量基准.xlsx", unit=a, uploaded_by=personas["clerk_a"]
    )
    published_row = PublishedRow.objects.create(
        draft=published_draft, position=1, item_code="1", item_name="甲镇的事项", level="1"
    )
    return {
        "unit": a,
        "issued": issued,
        "instrument": instrument,
        "proposal": proposal,
        "interview": interview,
        "officer": officer,
        "duban_request": duban_request,
        "plan": plan,
        "plan_entry": plan_entry,
        "draw": draw,
        "joint": joint,
        "published_draft": published_draft,
        "published_row": published_row,
        "report": report,
        "problem": problem,
        "attachment": attachment,
        "case": case,
        "inspection": inspection,
        "alert": alert,
        "batch": batch,
        "visit": visit,
        "review": review,
        "showcase": showcase,
        "lead": lead,
        "complaint": complaint,
        "complaint_file": complaint_file,
        "notification": notification,
        "transfer": transfer,
        "transfer_file": transfer_file,
        "repair": repair,
        "repair_file": repair_file,
    }


def _joint_of_a_and_a_third_unit(a, enterprise):
    """A joint visit unit A shares with a unit other than B (B must not see it)."""
    from jiandu.orgs.models import Unit
    from jiandu.planning.models import JointParticipant, JointVisit

    c = Unit.objects.create(code="T-C", name="丙局", kind=Unit.Kind.DEPARTMENT)
    day = timezone.localdate()
    joint = JointVisit.objects.create(
        joint_no="LH-TEST-1", enterprise=enterprise, lead_unit=a, visit_on=day, window=15,
        verify_code="JOINTTEST1", proposed_on=day,
    )  # fmt: skip
    for unit in (a, c):
        JointParticipant.objects.create(joint=joint, unit=unit, items="检查", planned_on=day)
    return joint


def _requests(objects, names):
    for name in names:
        method, build = TRIED[name]
        kwargs = build(objects)
        for kw in kwargs if isinstance(kwargs, list) else [kwargs]:
            yield name, method, reverse(name, kwargs=kw)


def test_clerk_of_unit_b_gets_404_on_every_route_of_unit_a(unit_a_objects, personas, client_for):
    client = client_for(personas["clerk_b"])
    answered = {
        url: getattr(client, method)(url).status_code
        for _, method, url in _requests(unit_a_objects, TRIED)
    }
    assert answered == dict.fromkeys(answered, 404)
    # Nothing moved: every action refused before it touched the record.
    unit_a_objects["problem"].refresh_from_db()
    unit_a_objects["alert"].refresh_from_db()
    unit_a_objects["showcase"].refresh_from_db()
    assert unit_a_objects["problem"].state == Problem.State.PENDING
    assert unit_a_objects["alert"].state == "new"
    assert unit_a_objects["showcase"].state == Showcase.State.DRAFT
    assert unit_a_objects["notification"].read_at is None


def test_unit_a_and_the_supervisor_open_them(unit_a_objects, personas, client_for):
    for who in ("clerk_a", "supervisor"):
        client = client_for(personas[who])
        for name, _, url in _requests(unit_a_objects, OPENED_BY_UNIT_A):
            assert client.get(url).status_code == 200, (who, name, url)


def test_anonymous_visitors_are_sent_to_login(unit_a_objects, client_for):
    client = client_for(None)
    for name, method, url in _requests(unit_a_objects, TRIED):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], name


def test_the_actions_tried_reach_the_record_for_its_readers(unit_a_objects, personas, client_for):
    """The 404s above come from scoping, not from a wrong id or action name: the same
    requests from the supervisor (a notification: from its owner) find the record, even
    where they are refused as input."""
    clients = {who: client_for(personas[who]) for who in ("supervisor", "clerk_a")}
    owner = {"orgs:notification_read": "clerk_a"}
    answered = {
        url: getattr(clients[owner.get(name, "supervisor")], method)(url).status_code
        for name, method, url in _requests(unit_a_objects, TRIED)
        if method == "post"
    }
    assert [url for url, status in answered.items() if status == 404] == []
