"""信用修复 with its personas: the enterprise applies (public, no login), the case's unit
approves or refuses, each publishing unit confirms the withdrawal; a unit that is not
concerned sees nothing (404). SERV-02/03 read these records; due_items lists the
open steps."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.audit.models import AuditEvent
from jiandu.credit import actions
from jiandu.credit.models import RepairApplication, Withdrawal
from jiandu.documents.uploads import attachments_of, check_upload, save_attachment
from jiandu.orgs.models import Notification, Role, Unit
from tests.credit.factories import USCC, penalty_case
from tests.monitoring.helpers import hits
from tests.orgs.factories import make_user
from tests.portal.factories import captcha_from

S = RepairApplication.State
MONDAY = date(2025, 11, 3)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def platform(units, settings):
    owner = Unit.objects.create(code="T-FGJ", name="测试县发展和改革局", kind=Unit.Kind.DEPARTMENT)
    settings.CREDIT_PLATFORM_UNIT = owner.code
    return make_user("clerk_fgj", owner, Role.CLERK)


@pytest.fixture
def case(units):
    return penalty_case(units["a"])


def _apply(case, **kw):
    fields = {
        "uscc": USCC,
        "enterprise_name": "某某食品有限公司",
        "decision_no": case.case_no,
        "grounds": "罚款已缴清，问题已整改。",
        "today": MONDAY,
    }
    fields.update(kw)
    return actions.submit_application(**fields)


def test_apply_needs_a_valid_code_and_the_party_own_decision(case, units):
    with pytest.raises(ValidationError) as exc:
        _apply(case, uscc="91330000MA2ABCDE1X")
    assert "uscc" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _apply(case, decision_no="甲市监罚〔2025〕99号")
    assert "未找到" in exc.value.message_dict["decision_no"][0]
    other = penalty_case(units["a"], case_no="乙罚〔2025〕1号", party_uscc="")
    with pytest.raises(ValidationError):  # another party's case: the same answer
        _apply(other)
    assert not RepairApplication.objects.exists()


def test_approve_then_each_publishing_unit_withdraws(
    case, units, personas, platform, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = _apply(case)
    assert app.unit == units["a"] and app.state == S.SUBMITTED
    assert Notification.objects.filter(user=personas["clerk_a"], title__contains=app.reference)
    with pytest.raises(ValidationError):  # one open application per case
        _apply(case)
    assert actions.available_actions(app, personas["clerk_a"]) == {"approve", "refuse"}
    for who in ("clerk_b", "supervisor"):
        assert actions.available_actions(app, personas[who]) == set()
    with pytest.raises(PermissionDenied):
        actions.approve_application(app, actor=personas["clerk_b"], opinion="同意")
    with pytest.raises(ValidationError):
        actions.approve_application(app, actor=personas["clerk_a"], opinion="")
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_application(
            app, actor=personas["clerk_a"], opinion="已履行处罚并整改到位", today=MONDAY
        )
    app.refresh_from_db()
    assert app.state == S.APPROVED and app.decided_on == MONDAY
    assert [w.unit.code for w in app.withdrawals.all()] == ["T-A", "T-FGJ"]
    assert Notification.objects.filter(user=platform, title__contains="撤下公示")
    assert actions.available_actions(app, platform) == {"withdraw"}
    assert actions.available_actions(app, personas["clerk_a"]) == {"withdraw"}
    actions.confirm_withdrawal(app, actor=platform, note="已在信用平台撤下", today=MONDAY)
    assert [w.unit.code for w in app.pending_withdrawals()] == ["T-A"]
    with pytest.raises(ValidationError):
        actions.confirm_withdrawal(app, actor=platform)
    assert AuditEvent.objects.filter(action="credit.withdrawal.confirmed").count() == 1


def test_refusal_needs_a_reason(case, personas):
    app = _apply(case)
    with pytest.raises(ValidationError):
        actions.refuse_application(app, actor=personas["clerk_a"], reason=" ")
    app.refresh_from_db()
    assert app.state == S.SUBMITTED
    actions.refuse_application(app, actor=personas["clerk_a"], reason="公示期未满三个月")
    assert app.state == S.REFUSED and app.opinion == "公示期未满三个月"
    assert not Withdrawal.objects.exists()


def test_serv03_and_serv02_read_the_applications(case, units, personas, platform):
    key = f"{units['a'].code}/{case.case_no}"
    app = _apply(case)  # Monday 11-03: 10 working days to 11-17
    assert key not in hits("SERV-03", today=date(2025, 11, 17))
    assert key in hits("SERV-03", today=date(2025, 11, 18))
    actions.approve_application(
        app, actor=personas["clerk_a"], opinion="同意", today=date(2025, 11, 14)
    )
    assert key not in hits("SERV-03", today=date(2025, 11, 18))
    # Granted 11-14: withdrawn within 5 working days (11-21), or SERV-02 reports it.
    actions.confirm_withdrawal(app, actor=personas["clerk_a"], today=date(2025, 11, 17))
    assert key not in hits("SERV-02", today=date(2025, 11, 21))
    found = hits("SERV-02", today=date(2025, 11, 24))
    assert key in found  # the platform's owner has not withdrawn it yet
    actions.confirm_withdrawal(app, actor=platform, today=date(2025, 11, 24))
    found = hits("SERV-02", today=date(2025, 11, 24))
    assert found[key]["withdrawn_on"] == date(2025, 11, 24)  # 6 working days: late
    assert key not in hits("SERV-02", today=date(2025, 11, 24), days=6)


def test_due_items(case, units, personas, platform):
    app = _apply(case)
    items = list(actions.due_items(MONDAY))
    assert [(i.kind, i.unit_id, i.deadline) for i in items] == [
        ("credit_review", units["a"].pk, date(2025, 11, 17))
    ]
    actions.approve_application(app, actor=personas["clerk_a"], opinion="同意", today=MONDAY)
    actions.confirm_withdrawal(app, actor=personas["clerk_a"], today=MONDAY)
    items = list(actions.due_items(MONDAY))
    assert [(i.kind, i.unit_id, i.deadline) for i in items] == [
        ("credit_withdrawal", platform.unit_id, date(2025, 11, 10))
    ]


def test_pages_mark_an_overdue_step_by_its_due_item(case, units, personas, platform, client_for):
    late = _apply(case)  # applied on MONDAY 2025: long past its 10 working days
    other = penalty_case(units["a"], case_no="甲市监罚〔2025〕2号")
    approved = _apply(other)
    actions.approve_application(approved, actor=personas["clerk_a"], opinion="同意", today=MONDAY)
    client = client_for(personas["clerk_a"])
    listing = client.get(reverse("credit:list")).content.decode()
    assert listing.count("已逾期") == 2  # the review, and the withdrawal still pending
    assert "已逾期" in client.get(reverse("credit:detail", args=[late.pk])).content.decode()
    actions.confirm_withdrawal(approved, actor=personas["clerk_a"], today=MONDAY)
    actions.confirm_withdrawal(approved, actor=platform, today=MONDAY)
    listing = client.get(reverse("credit:list")).content.decode()
    assert listing.count("已逾期") == 1
    page = client.get(reverse("credit:detail", args=[approved.pk])).content.decode()
    assert "已逾期" not in page


def test_every_reader_of_the_application_opens_its_evidence(
    case, units, personas, platform, client_for
):
    evidence = check_upload(SimpleUploadedFile("缴款凭证.pdf", PDF))
    app = _apply(case, files=[evidence])
    att = attachments_of(app).get()
    actions.approve_application(app, actor=personas["clerk_a"], opinion="同意", today=MONDAY)
    url = reverse("credit:file", args=[att.pk])
    # The platform's owner withdraws the publication: it reads the application and its
    # evidence, although the file is the case's unit's (documents:download is not for it).
    page = client_for(platform).get(reverse("credit:detail", args=[app.pk])).content.decode()
    assert url in page
    for who in (platform, personas["clerk_a"], personas["supervisor"]):
        response = client_for(who).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert client_for(personas["clerk_b"]).get(url).status_code == 404
    other = save_attachment(
        check_upload(SimpleUploadedFile("其他.pdf", PDF)), owner=case, unit=units["a"]
    )
    assert (
        client_for(personas["clerk_a"]).get(reverse("credit:file", args=[other.pk])).status_code
        == 404
    )


def test_public_apply_and_follow_by_code_shows_this_application_only(case, client_for):
    client = client_for(None)
    page = client.get(reverse("credit_public:apply"))
    assert page.status_code == 200 and "信用修复申请" in page.content.decode()
    challenge_id, answer = captcha_from(page.content.decode())
    data = {
        "uscc": USCC.lower(),
        "enterprise_name": "某某食品有限公司",
        "decision_no": case.case_no,
        "grounds": "罚款已缴清。",
        "captcha_id": challenge_id,
        "captcha_answer": "",
    }
    response = client.post(reverse("credit_public:apply"), data)
    assert response.status_code == 400 and "验证码" in response.content.decode()
    assert "罚款已缴清。" in response.content.decode()  # what was typed is kept
    challenge_id, answer = captcha_from(response.content.decode())
    data.update(captcha_id=challenge_id, captcha_answer=answer)
    response = client.post(reverse("credit_public:apply"), data)
    assert response.status_code == 302
    app = RepairApplication.objects.get()
    assert app.code in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "已收到您的信用修复申请" in page and case.case_no in page
    assert client.get(reverse("credit_public:track_detail", args=["NOSUCHCODE"])).status_code == 404


def test_unit_pages_scope_and_404_for_others(case, units, personas, platform, client_for):
    app = _apply(case)
    url = reverse("credit:detail", args=[app.pk])
    for who in ("clerk_a", "supervisor", "discipline"):
        assert client_for(personas[who]).get(url).status_code == 200, who
    assert client_for(personas["clerk_b"]).get(url).status_code == 404
    assert client_for(platform).get(url).status_code == 404  # not asked to withdraw yet
    step = reverse("credit:step", args=[app.pk, "approve"])
    assert client_for(personas["clerk_b"]).post(step, {"approve-opinion": "x"}).status_code == 404
    response = client_for(personas["clerk_a"]).post(step, {"approve-opinion": "同意修复"})
    assert response.status_code == 302
    assert client_for(platform).get(url).status_code == 200  # now it withdraws too
    page = client_for(personas["clerk_a"]).get(url).content.decode()
    assert "尚未撤下" in page and "测试县发展和改革局" in page
    listing = client_for(personas["clerk_b"]).get(reverse("credit:list")).content.decode()
    assert app.reference not in listing
    assert (
        app.reference
        in client_for(personas["clerk_a"]).get(reverse("credit:list")).content.decode()
    )
