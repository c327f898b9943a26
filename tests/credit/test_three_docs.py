"""三书同达: the two documents are prepared from the case's data; the unit records their
service with the 决定书 and SERV-01 then has nothing to report for the case."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document

from jiandu.credit import actions
from jiandu.credit.models import ThreeDocsService
from jiandu.credit.threedocs import render_three_docs
from jiandu.standards.models import ViolationItem
from tests.credit.factories import penalty_case
from tests.monitoring.helpers import hits

TODAY = date(2025, 12, 31)


@pytest.fixture
def case(units):
    item = ViolationItem.objects.create(
        code="SC-001",
        name="经营超过保质期的食品",
        violation_basis="《食品安全法》第三十四条第十项",
        penalty_basis="《食品安全法》第一百二十四条",
    )
    return penalty_case(units["a"], violation=item)


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_documents_say_what_the_case_says(case):
    notice, advice = render_three_docs(case, "notice"), render_three_docs(case, "advice")
    text = _text(notice) + _text(advice)
    assert "信用修复告知书" in text and "合规指导意见书" in text
    # 公文 of the case's unit: its name as 版头, GB/T 9704 paper and margins.
    word = Document(io.BytesIO(notice))
    assert case.unit.name in _text(notice)
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.top_margin.mm)) == (210, 37)
    assert case.case_no in text and "某某食品有限公司" in text
    assert "经营超过保质期的食品" in text and "第三十四条第十项" in text
    assert "第一百二十四条" in text and "罚款5,000.00元" in text
    assert "信用修复的条件" in text and "信用修复的途径" in text
    # Measures with deadlines from the day served (2025-08-04, a Monday): 10 working days.
    assert "2025年8月18日前完成" in text
    assert "不具有强制执行力" in text


def test_serv01_before_and_after_the_service_is_recorded(case, personas, units):
    key = f"{units['a'].code}/{case.case_no}"
    assert key in hits("SERV-01", today=TODAY)
    assert actions.available_case_actions(case, personas["clerk_a"]) == {"serve"}
    assert actions.available_case_actions(case, personas["clerk_b"]) == set()
    with pytest.raises(PermissionDenied):
        actions.record_three_docs(
            case, actor=personas["clerk_b"], served_on=case.served_on, method="direct"
        )
    with pytest.raises(ValidationError):
        actions.record_three_docs(
            case, actor=personas["clerk_a"], served_on=date(2025, 7, 1), method="direct"
        )
    actions.record_three_docs(
        case, actor=personas["clerk_a"], served_on=case.served_on, method="direct"
    )
    case.refresh_from_db()
    assert case.credit_notice_on == case.compliance_advice_on == case.served_on
    assert key not in hits("SERV-01", today=TODAY)
    with pytest.raises(ValidationError):  # recorded once
        actions.check_serve(case, personas["clerk_a"])


def test_not_required_for_a_natural_person(units, personas):
    person = penalty_case(units["a"], case_no="甲罚〔2025〕2号", party_type="natural")
    with pytest.raises(ValidationError):
        actions.check_serve(person, personas["clerk_a"])


def test_case_page_buttons_download_and_record(case, personas, client_for):
    client = client_for(personas["clerk_a"])
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "?doc=notice" in page and "?doc=advice" in page and "登记三书送达" in page
    other = client_for(personas["clerk_b"])
    assert other.get(reverse("credit:three_docs", args=[case.pk])).status_code == 404
    response = client.get(reverse("credit:three_docs", args=[case.pk]), {"doc": "advice"})
    assert response.status_code == 200 and "不具有强制执行力" in _text(response.content)
    assert client.get(reverse("credit:three_docs", args=[case.pk]), {"doc": "x"}).status_code == 404
    assert other.post(reverse("credit:serve", args=[case.pk])).status_code == 404
    response = client.post(
        reverse("credit:serve", args=[case.pk]),
        {"serve-served_on": "2025-08-04", "serve-method": "mail"},
    )
    assert response.status_code == 302
    assert ThreeDocsService.objects.get(case=case).get_method_display() == "邮寄送达"
    page = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
    assert "已登记送达" in page and "登记三书送达" not in page
