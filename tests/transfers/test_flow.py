"""案件移送 with its personas: the sender sends, the receiver accepts, refuses or
returns, a disputed jurisdiction is decided by the supervisor; a third unit sees none of
it (404). INTG-01 reads the platform's transfers, and due_items gives the open steps."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.audit.models import AuditEvent
from jiandu.documents.uploads import attachments_of
from jiandu.orgs.models import Notification, Role, Unit
from jiandu.transfers import actions
from jiandu.transfers.models import CaseTransfer, TransferStep
from tests.monitoring.helpers import hits
from tests.orgs.factories import make_user

S = CaseTransfer.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MONDAY = date(2025, 11, 3)  # an ordinary week: 5 working days end on 11-10


@pytest.fixture
def third(units):
    c = Unit.objects.create(code="T-C", name="测试县交通运输局", kind=Unit.Kind.DEPARTMENT)
    return make_user("clerk_c", c, Role.CLERK)


def _send(units, personas, **kw):
    fields = {
        "kind": CaseTransfer.Kind.CASE,
        "to_unit": units["b"],
        "party_name": "某某食品有限公司",
        "facts": "在巡查中发现无证经营食品。",
        "basis": "《食品安全法》第三十五条",
        "today": MONDAY,
    }
    fields.update(kw)
    return actions.send_transfer(actor=personas["clerk_a"], **fields)


def test_send_and_accept_with_timeline_and_notices(
    units, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        t = _send(units, personas)
    assert t.transfer_no.startswith("YS2025-") and t.state == S.SENT
    assert Notification.objects.filter(user=personas["clerk_b"], title__contains=t.transfer_no)
    assert actions.available_actions(t, personas["clerk_b"]) == {"accept", "refuse", "return"}
    assert actions.available_actions(t, personas["clerk_a"]) == set()
    assert actions.available_actions(t, personas["supervisor"]) == set()
    with pytest.raises(PermissionDenied):
        actions.accept_transfer(t, actor=personas["clerk_a"])
    due = actions.open_step(t)
    assert due.unit_id == units["b"].pk and due.deadline == date(2025, 11, 10)
    actions.accept_transfer(t, actor=personas["clerk_b"], today=date(2025, 11, 5))
    t.refresh_from_db()
    assert t.state == S.ACCEPTED and t.first_answered_on == date(2025, 11, 5)
    assert list(t.steps.values_list("code", flat=True)) == ["sent", "accepted"]
    assert actions.open_step(t) is None
    assert AuditEvent.objects.filter(action="transfers.transfer.accepted").count() == 1
    with pytest.raises(ValidationError):
        actions.accept_transfer(t, actor=personas["clerk_b"])


def test_refusal_needs_a_reason_and_changes_nothing_without(units, personas):
    t = _send(units, personas)
    with pytest.raises(ValidationError) as exc:
        actions.refuse_transfer(t, actor=personas["clerk_b"], reason="  ")
    assert "理由" in str(exc.value)
    t.refresh_from_db()
    assert t.state == S.SENT and t.steps.count() == 1


def test_dispute_goes_to_the_supervisor_who_decides(
    units, personas, django_capture_on_commit_callbacks
):
    t = _send(units, personas)
    actions.refuse_transfer(t, actor=personas["clerk_b"], reason="不属于本局管辖", today=MONDAY)
    assert actions.available_actions(t, personas["clerk_a"]) == {"dispute", "keep"}
    with django_capture_on_commit_callbacks(execute=True):
        actions.dispute_transfer(t, actor=personas["clerk_a"], reason="依三定方案属市场监管职责")
    assert t.state == S.DISPUTED
    assert Notification.objects.filter(user=personas["supervisor"], title__contains="管辖争议")
    assert actions.available_actions(t, personas["supervisor"]) == {"decide"}
    assert actions.available_actions(t, personas["clerk_b"]) == set()
    with pytest.raises(PermissionDenied):
        actions.decide_transfer(t, actor=personas["clerk_b"], result="receiver", opinion="x")
    actions.decide_transfer(
        t, actor=personas["supervisor"], result="receiver", opinion="依职责清单由市场监管局管辖"
    )
    t.refresh_from_db()
    assert t.state == S.ACCEPTED and "由接收单位管辖" in t.decision and t.decided_on
    decided = t.steps.get(code=TransferStep.Code.DECIDED)
    assert decided.actor == personas["supervisor"]
    assert AuditEvent.objects.filter(action="transfers.transfer.decided").exists()


def test_return_and_resend(units, personas):
    t = _send(units, personas)
    actions.return_transfer(t, actor=personas["clerk_b"], reason="缺少现场检查笔录", today=MONDAY)
    assert actions.available_actions(t, personas["clerk_a"]) == {"resend", "keep"}
    f = SimpleUploadedFile("笔录.pdf", PDF)
    from jiandu.documents.uploads import check_upload

    actions.resend_transfer(
        t,
        actor=personas["clerk_a"],
        note="已补充现场检查笔录",
        files=[check_upload(f)],
        today=MONDAY + timedelta(days=2),
    )
    t.refresh_from_db()
    assert t.state == S.SENT and t.sent_on == MONDAY + timedelta(days=2)
    assert attachments_of(t).count() == 1


def test_transfer_to_the_judicial_organs_is_answered_by_the_sender(units, personas):
    t = _send(units, personas, to_unit=None, external="police", external_name="测试县公安局")
    assert t.receiver_name == "测试县公安局"
    assert actions.available_actions(t, personas["clerk_a"]) == {"accept", "refuse", "return"}
    actions.accept_transfer(t, actor=personas["clerk_a"])
    assert t.state == S.ACCEPTED


def test_bad_input_is_refused_with_chinese_messages(units, personas):
    with pytest.raises(ValidationError) as exc:
        _send(units, personas, to_unit=units["a"])
    assert "本单位" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _send(units, personas, to_unit=None)
    assert "接收单位" in str(exc.value)
    with pytest.raises(ValidationError):
        _send(units, personas, facts="")
    with pytest.raises(PermissionDenied):
        actions.send_transfer(
            actor=personas["supervisor"],
            kind="case",
            to_unit=units["b"],
            party_name="x",
            facts="x",
            basis="x",
        )
    assert not CaseTransfer.objects.exists()


def test_pages_for_sender_receiver_supervisor_and_404_for_a_third_unit(
    units, personas, third, client_for
):
    t = _send(units, personas)
    url = reverse("transfers:detail", args=[t.pk])
    for who in ("clerk_a", "clerk_b", "supervisor", "discipline"):
        response = client_for(personas[who]).get(url)
        assert response.status_code == 200, who
        assert "移送" in response.content.decode()
    assert client_for(third).get(url).status_code == 404
    step = reverse("transfers:step", args=[t.pk, "accept"])
    assert client_for(third).post(step).status_code == 404
    listing = client_for(third).get(reverse("transfers:list")).content.decode()
    assert t.transfer_no not in listing
    for who in ("clerk_a", "clerk_b", "supervisor"):
        assert (
            t.transfer_no
            in client_for(personas[who]).get(reverse("transfers:list")).content.decode()
        )
    # The receiver accepts through the page.
    response = client_for(personas["clerk_b"]).post(step)
    assert response.status_code == 302
    t.refresh_from_db()
    assert t.state == S.ACCEPTED
    # A refusal without a reason shows the form again with the message, and changes nothing.
    t2 = _send(units, personas)
    response = client_for(personas["clerk_b"]).post(
        reverse("transfers:step", args=[t2.pk, "refuse"]), {"refuse-reason": ""}
    )
    assert response.status_code == 400
    t2.refresh_from_db()
    assert t2.state == S.SENT


def test_send_through_the_page_with_an_attachment(units, personas, client_for):
    client = client_for(personas["clerk_a"])
    assert client.get(reverse("transfers:new")).status_code == 200
    response = client.post(
        reverse("transfers:new"),
        {
            "kind": "clue",
            "to_unit": units["b"].pk,
            "party_name": "某商店",
            "facts": "群众反映销售过期食品。",
            "basis": "《食品安全法》",
            "files": SimpleUploadedFile("线索.pdf", PDF),
        },
    )
    assert response.status_code == 302
    t = CaseTransfer.objects.get()
    att = attachments_of(t).get()
    # The receiver opens the attachment through the transfer (not the sender's unit scope).
    file_url = reverse("transfers:file", args=[att.pk])
    assert client_for(personas["clerk_b"]).get(file_url).status_code == 200
    assert client_for(personas["supervisor"]).get(reverse("transfers:export")).status_code == 200


def test_intg01_reads_the_platform_transfers(units, personas):
    t = _send(units, personas)  # Monday 2025-11-03; 5 working days to 11-10
    assert t.transfer_no not in hits("INTG-01", today=date(2025, 11, 10))
    found = hits("INTG-01", today=date(2025, 11, 11))
    assert t.transfer_no in found and found[t.transfer_no]["unit_id"] == units["b"].pk
    actions.accept_transfer(t, actor=personas["clerk_b"], today=date(2025, 11, 7))
    assert t.transfer_no not in hits("INTG-01", today=date(2025, 11, 11))


def test_due_items_list_open_steps_with_deadlines(units, personas):
    t1 = _send(units, personas)
    t2 = _send(units, personas)
    actions.refuse_transfer(t2, actor=personas["clerk_b"], reason="不属于本局", today=MONDAY)
    actions.dispute_transfer(t2, actor=personas["clerk_a"], reason="属对方管辖", today=MONDAY)
    t3 = _send(units, personas)
    actions.accept_transfer(t3, actor=personas["clerk_b"], today=MONDAY)
    items = {i.obj.pk: i for i in actions.due_items(MONDAY)}
    assert set(items) == {t1.pk, t2.pk}
    assert items[t1.pk].unit_id == units["b"].pk
    assert items[t2.pk].unit_id is None and items[t2.pk].step == "裁定管辖争议"
    assert items[t1.pk].overdue(date(2025, 11, 11))


def test_pages_mark_an_open_step_overdue_by_its_due_item(units, personas, client_for):
    late = _send(units, personas)  # sent on MONDAY 2025: long past its 5 working days
    done = _send(units, personas)
    actions.accept_transfer(done, actor=personas["clerk_b"], today=MONDAY)
    client = client_for(personas["clerk_b"])
    listing = client.get(reverse("transfers:list")).content.decode()
    assert listing.count("已逾期") == 1
    assert "（已逾期）" in client.get(reverse("transfers:detail", args=[late.pk])).content.decode()
    assert "已逾期" not in client.get(reverse("transfers:detail", args=[done.pk])).content.decode()
