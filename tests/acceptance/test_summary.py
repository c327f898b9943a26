import io
from datetime import timedelta

from django.utils import timezone
from docx import Document

from jiandu.audit.models import AuditEvent
from jiandu.campaigns.models import Campaign, Phase
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea
from jiandu.selfcheck.models import SelfCheckReport


def _campaign(units):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        title="破执法梗阻·优法治服务", doc_no="测司〔2026〕1号", lead_unit=units["justice"]
    )
    kinds = [
        Phase.Kind.SELF_CHECK,
        Phase.Kind.SUPERVISION,
        Phase.Kind.RECTIFICATION,
        Phase.Kind.ACCEPTANCE,
    ]
    start = today - timedelta(days=200)
    for i, kind in enumerate(kinds):
        Phase.objects.create(
            campaign=campaign,
            kind=kind,
            start=start + timedelta(days=60 * i),
            end=start + timedelta(days=60 * i + 59),
        )
    return campaign


def _text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_summary_report_figures_come_from_the_data(personas, units, client_for):
    campaign = _campaign(units)
    SelfCheckReport.objects.create(
        campaign=campaign,
        unit=units["a"],
        state=SelfCheckReport.State.ACCEPTED,
        first_submitted_at=timezone.now() - timedelta(days=190),
    )
    area = FocusArea.objects.get(code="inspection")
    today = timezone.localdate()
    for state, deadline in [
        (Problem.State.CLOSED, today),
        (Problem.State.IN_PROGRESS, today - timedelta(days=3)),
        (Problem.State.PENDING, today + timedelta(days=9)),
    ]:
        Problem.objects.create(
            unit=units["a"],
            campaign=campaign,
            focus_area=area,
            description="重复检查",
            source=Problem.Source.SELF_CHECK,
            state=state,
            deadline=deadline,
        )
    response = client_for(personas["supervisor"]).get(f"/files/summary/{campaign.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    text = _text(response.content)
    assert "“破执法梗阻·优法治服务”专项行动工作总结" in text
    assert "已上报 1 家" in text and "未上报 1 家" in text
    assert "共查摆问题 3 个" in text and "自查 3 个" in text
    assert "已销号 1 个，整改完成率 33.3%；逾期未完成 1 个" in text
    assert "甲镇人民政府" in text
    assert AuditEvent.objects.filter(action="documents.summary.exported").exists()


def test_unit_users_cannot_generate_the_summary(personas, units, client_for):
    campaign = _campaign(units)
    assert client_for(personas["clerk_a"]).get(f"/files/summary/{campaign.pk}/").status_code == 403
    assert client_for(None).get(f"/files/summary/{campaign.pk}/").status_code == 302


def test_only_selected_or_published_showcases_enter_the_report(personas, units, client_for):
    from jiandu.acceptance.models import Showcase

    campaign = _campaign(units)
    Showcase.objects.create(
        campaign=campaign,
        unit=units["a"],
        title="进一次门查多项事",
        summary="联合检查减少入企次数",
        state="published",
    )
    Showcase.objects.create(
        campaign=campaign, unit=units["a"], title="草稿经验", summary="尚未评选", state="draft"
    )
    text = _text(client_for(personas["supervisor"]).get(f"/files/summary/{campaign.pk}/").content)
    assert "（进一次门查多项事）联合检查减少入企次数" in text
    assert "草稿经验" not in text


def test_alerts_and_complaints_are_counted_by_their_state(personas, units, client_for):
    from jiandu.monitoring.models import Alert
    from jiandu.portal.models import Complaint

    campaign = _campaign(units)
    for i, state in enumerate([Alert.State.CONFIRMED, Alert.State.CONFIRMED, Alert.State.NEW]):
        Alert.objects.create(
            rule="PROC-02",
            subject_kind="case",
            subject_key=f"T-A/罚{i}",
            unit=units["a"],
            severity="normal",
            state=state,
            evidence={},
            evidence_hash=f"h{i}",
        )
    Complaint.objects.create(
        tracking_code="TESTCODE0003",
        category="other",
        unit=units["a"],
        description="反映甲镇",
        accepted_at=timezone.now(),
    )
    text = _text(client_for(personas["supervisor"]).get(f"/files/summary/{campaign.pk}/").content)
    assert "四、执法数据预警情况" in text and "五、举报投诉办理情况" in text
    assert "监测规则共产生预警 3 条，其中已确认 2 条、已排除 0 条" in text
    assert "PROC-02 " in text and "\n3" in text  # the rule with its Chinese title
    assert "共收到举报 1 件，已受理 1 件，已办结 0 件" in text
    assert "八、下一步工作" in text


def _unit_rows(content: bytes) -> dict:
    doc = Document(io.BytesIO(content))
    (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "单位"]
    return {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}


def test_every_unit_is_listed_and_a_clean_one_is_not_100(personas, units, client_for):
    """The report counts the campaign's problems as the cockpit and the acceptance page do:
    an alert confirmed during the campaign (filed under no campaign) counts, and a unit
    with no problem reads "—", not 100 %."""
    campaign = _campaign(units)
    Problem.objects.create(
        unit=units["a"],
        focus_area=FocusArea.objects.get(code="procedure"),
        description="未按期公示",
        source=Problem.Source.ALERT,
        deadline=timezone.localdate() - timedelta(days=1),
    )
    content = client_for(personas["supervisor"]).get(f"/files/summary/{campaign.pk}/").content
    text = _text(content)
    assert "共查摆问题 1 个，其中预警 1 个" in text
    assert "已销号 0 个，整改完成率 0%；逾期未完成 1 个" in text
    rows = _unit_rows(content)
    assert rows[units["a"].name] == ["1", "0", "1", "0%"]
    assert rows[units["b"].name] == ["0", "0", "0", "—"]
    assert "（—）" not in text  # a clean unit is not among the weakest


def test_a_campaign_without_problems_has_no_rate(personas, units, client_for):
    campaign = _campaign(units)
    text = _text(client_for(personas["supervisor"]).get(f"/files/summary/{campaign.pk}/").content)
    assert "共查摆问题 0 个" in text and "整改完成率 —" in text
