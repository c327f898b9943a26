import re
from datetime import date

from jiandu.audit.models import AuditEvent
from jiandu.campaigns import default_template
from jiandu.campaigns.default_template import ITEMS, create_campaign_from_plan
from jiandu.campaigns.models import Phase
from jiandu.orgs.models import FocusArea

# Every problem the county plan names under its six focus areas.
NAMED_PROBLEMS = {
    "discretion": ["裁量权基准不完善", "裁量空间过大", "类案不同罚", "执法僵化", "执法不公"],
    "procedure": ["三项制度", "公示", "全过程记录", "归档", "法制审核", "程序违法"],
    "inspection": [
        "进一次门、查多项事",
        "联合检查",
        "双随机、一公开",
        "非现场执法",
        "重复检查",
        "频次过高",
        "登记备案",
    ],
    "integration": ["履职边界", "举报投诉", "案件移送", "信息资源共享", "划转行政处罚事项"],
    "leniency": ["包容审慎", "轻微不罚", "首违免罚", "过罚不当", "小过重罚", "处罚与教育相结合"],
    "service": ["1+8", "增值化执法服务", "三书同达", "信用修复协同", "撤下处罚公开信息"],
}

RULE_IDS = {
    *(f"DISC-0{i}" for i in range(1, 6)),
    *(f"PROC-0{i}" for i in range(1, 9)),
    *(f"INSP-0{i}" for i in range(1, 8)),
    *(f"INTG-0{i}" for i in range(1, 4)),
    "LENI-01",
    "LENI-02",
    "SERV-01",
    "SERV-02",
    "SERV-03",
}


def test_every_problem_the_plan_names_is_an_item_of_its_focus_area():
    for area, phrases in NAMED_PROBLEMS.items():
        texts = " ".join(text for _k, a, text, _g, _r in ITEMS if a == area)
        for phrase in phrases:
            assert phrase in texts, f"{area}: {phrase}"


def test_items_map_to_rule_ids_of_the_catalogue():
    by_key = {key: rules for key, _a, _t, _g, rules in ITEMS}
    assert "DISC-01" in by_key["disc_similar_cases"]
    assert "PROC-04" in by_key["proc_legal_review"]
    assert "INSP-03" in by_key["insp_repeat"]
    assert "SERV-01" in by_key["serv_three_documents"]
    for _key, _area, _text, guidance, rules in ITEMS:
        assert guidance
        for rule in filter(None, rules.split(",")):
            assert rule in RULE_IDS
            assert re.fullmatch(r"[A-Z]{4}-\d{2}", rule)
    assert 28 <= len(ITEMS) <= 36


def test_campaign_from_plan_has_the_plans_phases_areas_and_template(units, personas):
    campaign = create_campaign_from_plan(
        lead_unit=units["justice"], start=date(2024, 3, 1), actor=personas["supervisor"]
    )
    phases = [(p.kind, p.start, p.end) for p in campaign.phases.all()]
    assert phases == [
        (Phase.Kind.SELF_CHECK, date(2024, 3, 1), date(2024, 3, 28)),
        (Phase.Kind.SUPERVISION, date(2024, 4, 1), date(2024, 7, 31)),
        (Phase.Kind.RECTIFICATION, date(2024, 8, 1), date(2024, 9, 30)),
        (Phase.Kind.ACCEPTANCE, date(2024, 10, 1), date(2024, 11, 30)),
    ]
    assert campaign.title == "破执法梗阻·优法治服务"
    assert campaign.doc_no and campaign.description
    assert campaign.focus_areas.count() == FocusArea.objects.count() == 6
    items = list(campaign.template.items.all())
    assert [i.order for i in items] == list(range(1, len(ITEMS) + 1))
    assert {i.focus_area.code for i in items} == set(NAMED_PROBLEMS)
    assert not campaign.contacts.exists()  # contacts are configured, never built in
    assert AuditEvent.objects.filter(
        action="campaigns.campaign.created", object_id=str(campaign.pk)
    ).exists()


def test_start_for_rectification_middle_puts_today_inside_rectification():
    today = date(2026, 11, 26)
    start = default_template.plan_start_for_rectification_middle(today)
    phases = {k: (s, e) for k, s, e, _t in default_template.phase_dates(start)}
    s, e = phases["rectification"]
    assert s < today < e
    assert abs((today - s).days - (e - today).days) <= 1
