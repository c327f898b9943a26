"""检查登记备案 (亮码): registration, its code and QR, warnings, completion."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.enforcement.models import Enterprise, Inspection
from tests.enforcement.factories import enterprise, inspection, officer, uscc

pytestmark = pytest.mark.django_db
URL = "/enforcement/inspections/new/"


@pytest.fixture
def setup(units):
    officer(units["a"], "A001")
    officer(units["a"], "A002")
    officer(units["a"], "A003", valid_days=-1)
    return enterprise(1)


def form(ent_uscc, **extra):
    data = {
        "enterprise_uscc": ent_uscc,
        "enterprise_name": "",
        "inspected_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "kind": "routine",
        "mode": "onsite",
        "officers": ["A001", "A002"],
        "items": "食品安全",
        "joint_no": "",
    }
    data.update(extra)
    return data


def test_clerk_registers_inspection_with_code_qr_and_audit(units, personas, client_for, setup):
    client = client_for(personas["clerk_a"])
    response = client.post(URL, form(setup.uscc))
    assert response.status_code == 302
    insp = Inspection.objects.get()
    assert response["Location"] == f"/enforcement/inspections/{insp.pk}/?new=1"
    assert (
        insp.unit == units["a"] and insp.is_planned and insp.registered_on == timezone.localdate()
    )
    assert insp.registration_no.startswith("T-A-DJ") and insp.inspection_no == insp.registration_no
    assert len(insp.verify_code) == 10 and insp.officer_list == ["A001", "A002"]
    assert insp.officers == ";A001;A002;"
    event = AuditEvent.objects.get(action="enforcement.inspection.registered")
    assert event.object_id == str(insp.pk) and event.actor == personas["clerk_a"]
    html = client.get(response["Location"]).content.decode()
    assert (
        insp.verify_code in html
        and "<svg" in html
        and f"/public/verify/{insp.verify_code}/" in html
    )


def test_codes_are_unique_and_unguessable(units, personas, client_for, setup):
    client = client_for(personas["leader_a"])
    for _ in range(3):
        assert (
            client.post(URL, form(setup.uscc, kind="complaint", mode="offsite")).status_code == 302
        )
    codes = set(Inspection.objects.values_list("verify_code", flat=True))
    numbers = set(Inspection.objects.values_list("registration_no", flat=True))
    assert len(codes) == 3 and len(numbers) == 3


def test_unknown_enterprise_is_created_with_a_valid_uscc(units, personas, client_for, setup):
    new = uscc(77)
    response = client_for(personas["clerk_a"]).post(URL, form(new, enterprise_name="新开业公司"))
    assert response.status_code == 302
    assert Enterprise.objects.get(uscc=new).name == "新开业公司"
    assert AuditEvent.objects.filter(action="enforcement.enterprise.created").count() == 1


def test_unknown_enterprise_needs_a_name(units, personas, client_for, setup):
    html = client_for(personas["clerk_a"]).post(URL, form(uscc(78))).content.decode()
    assert "请填写企业名称" in html and not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"enterprise_uscc": "91330000MA0000001X"}, "校验位"),
        ({"officers": ["A001"]}, "两名以上"),
        ({"officers": ["A001", "A003"]}, "执法证在检查日期无效"),
        ({"inspected_on": "2020-01-01"}, "不能早于今天"),
        ({"inspected_on": f"{timezone.localdate().year + 2}-01-01"}, "不能晚于明年年底"),
        ({"kind": ""}, "这个字段是必填项"),
    ],
)
def test_bad_input_is_refused_and_kept(units, personas, client_for, setup, change, message):
    data = form(setup.uscc, **change)
    html = client_for(personas["clerk_a"]).post(URL, data).content.decode()
    assert message in html
    assert 'value="食品安全"' in html or "食品安全</textarea>" in html
    assert not Inspection.objects.exists()


def test_a_far_date_is_refused_with_a_message_even_for_long_valid_certificates(
    units, personas, client_for, setup
):
    # Certificates valid "long-term" (imported as 9999-12-31) pass the officer check; the
    # date itself must stop the form before monitoring's window runs past the calendar.
    from jiandu.enforcement.models import Officer

    Officer.objects.update(valid_until=date(9999, 12, 31))
    client = client_for(personas["clerk_a"])
    for day in ("9999-12-31", f"{timezone.localdate().year + 2}-06-01"):
        response = client.post(URL, form(setup.uscc, inspected_on=day))
        assert response.status_code == 200 and "不能晚于明年年底" in response.content.decode()
    assert not Inspection.objects.exists()
    next_year_end = date(timezone.localdate().year + 1, 12, 31).isoformat()
    assert client.post(URL, form(setup.uscc, inspected_on=next_year_end)).status_code == 302


def test_register_inspection_refuses_a_far_date_itself(units, personas, setup):
    from django.core.exceptions import ValidationError

    from jiandu.enforcement.actions import register_inspection

    with pytest.raises(ValidationError) as exc:
        register_inspection(
            unit=units["a"],
            enterprise_uscc=setup.uscc,
            inspected_on=date(timezone.localdate().year + 2, 1, 1),
            kind="routine",
            mode="onsite",
            officers=["A001", "A002"],
            actor=personas["clerk_a"],
        )
    assert exc.value.message_dict == {"inspected_on": ["计划检查日期不能晚于明年年底。"]}
    assert not Inspection.objects.exists()


def test_warnings_from_monitoring_are_shown_before_saving(units, personas, client_for, setup):
    day = timezone.localdate() + timedelta(days=3)
    inspection(
        units["b"],
        setup,
        "B-9",
        inspected_on=day - timedelta(days=2),
        mode="onsite",
        is_planned=True,
    )
    client = client_for(personas["clerk_a"])
    html = client.post(URL, form(setup.uscc, inspected_on=day.isoformat())).content.decode()
    assert "INSP-02" in html and units["b"].name in html and "仍要登记" in html
    assert Inspection.objects.filter(unit=units["a"]).count() == 0
    response = client.post(URL, form(setup.uscc, inspected_on=day.isoformat(), confirm="1"))
    assert response.status_code == 302
    assert Inspection.objects.filter(unit=units["a"]).count() == 1


def test_warning_list_renders_other_units_visits():
    from django.template.loader import render_to_string

    warning = {
        "rule": "INSP-02",
        "title": "多头检查未联合",
        "message": "请考虑联合检查",
        "others": [{"unit": "乙局", "date": "2026-12-01", "inspection_no": "X-1", "planned": True}],
    }
    html = render_to_string(
        "enforcement/inspection_new.html", {"unit": object(), "warnings": [warning], "form": None}
    )
    assert "乙局" in html and "X-1" in html and "计划" in html


def test_other_roles_cannot_register_for_unit_a(units, personas, client_for, setup):
    response = client_for(personas["clerk_b"]).post(
        URL, {**form(setup.uscc), "unit": units["a"].pk}
    )
    # clerk_b registers for its own unit only; A's officers are not choices there.
    assert response.status_code == 200 and not Inspection.objects.exists()
    assert client_for(personas["discipline"]).get(URL).status_code == 403
    assert client_for(personas["inspector"]).get(URL).status_code == 403


def test_supervisor_chooses_the_unit(units, personas, client_for, setup):
    client = client_for(personas["supervisor"])
    assert "请选择执法单位" in client.get(URL).content.decode()
    assert "A001" in client.get(f"{URL}?unit={units['a'].pk}").content.decode()
    assert client.post(URL, {**form(setup.uscc), "unit": units["a"].pk}).status_code == 302
    assert Inspection.objects.get().unit == units["a"]


def test_unit_marks_inspection_done(units, personas, client_for, setup):
    insp = inspection(
        units["a"],
        setup,
        "I-1",
        inspected_on=timezone.localdate(),
        is_planned=True,
        verify_code="ABCDEFGHJK",
        registration_no="R-1",
        registered_on=timezone.localdate(),
    )
    assert (
        client_for(personas["clerk_b"])
        .post(f"/enforcement/inspections/{insp.pk}/", {"result": "ordered"})
        .status_code
        == 404
    )
    assert (
        client_for(personas["discipline"])
        .post(f"/enforcement/inspections/{insp.pk}/", {"result": "ordered"})
        .status_code
        == 403
    )
    response = client_for(personas["clerk_a"]).post(
        f"/enforcement/inspections/{insp.pk}/", {"result": "ordered"}
    )
    assert response.status_code == 302
    insp.refresh_from_db()
    assert insp.result == "ordered" and not insp.is_planned
    assert AuditEvent.objects.filter(
        action="enforcement.inspection.completed", object_id=str(insp.pk)
    ).exists()


def test_future_inspection_cannot_be_marked_done(units, personas, client_for, setup):
    insp = inspection(
        units["a"],
        setup,
        "I-1",
        inspected_on=timezone.localdate() + timedelta(days=2),
        is_planned=True,
    )
    html = (
        client_for(personas["clerk_a"]).get(f"/enforcement/inspections/{insp.pk}/").content.decode()
    )
    assert "尚未到来" in html
    from django.core.exceptions import ValidationError

    from jiandu.enforcement.actions import complete_inspection

    with pytest.raises(ValidationError):
        complete_inspection(insp, result="ordered", actor=personas["clerk_a"])
    insp.refresh_from_db()
    assert insp.is_planned


def test_case_page_lists_monitoring_alerts(units, personas, client_for):
    from django.apps import apps

    from tests.enforcement.factories import case

    c = case(units["a"], "A-1")
    Alert = apps.get_model("monitoring", "Alert")
    Alert.objects.create(
        rule="PROC-05",
        subject_kind="case",
        subject_key=c.subject_key,
        unit=units["a"],
        evidence_hash="x",
    )
    html = client_for(personas["clerk_a"]).get(f"/enforcement/cases/{c.pk}/").content.decode()
    assert "PROC-05" in html


def test_the_code_input_searches_the_directory(units, personas, client_for, setup):
    """The 统一社会信用代码 input is tied to the enterprise suggestions and keeps the
    browser's own autocomplete out of the way (declared on the field's widget)."""
    page = client_for(personas["supervisor"]).get(f"{URL}?unit={units['a'].pk}").content.decode()
    tag = re.search(r'<input[^>]*name="enterprise_uscc"[^>]*>', page).group(0)
    assert 'list="enterprise-options"' in tag and 'autocomplete="off"' in tag
