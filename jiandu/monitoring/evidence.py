"""Evidence in words: Chinese labels of the evidence keys, and values made readable."""

from jiandu.enforcement.models import Inspection, PartyType
from jiandu.monitoring.rules.declaration import DAY_TYPES
from jiandu.standards.models import TierLevel

LABELS = {
    "violation_code": "违法行为编码",
    "tier": "裁量阶次",
    "party_type": "当事人类型",
    "fine": "罚款金额(元)",
    "median": "同类案件罚款中位数(元)",
    "mad": "绝对中位差(元)",
    "z": "稳健 z 值",
    "group_n": "同类案件数",
    "range_min": "阶次下限(元)",
    "range_max": "阶次上限(元)",
    "multiple_of": "倍数基数",
    "multiple_min": "倍数下限",
    "multiple_max": "倍数上限",
    "illegal_income": "违法所得(元)",
    "goods_value": "货值金额(元)",
    "benchmark_version": "基准版本",
    "benchmark_effective_on": "基准生效日期",
    "benchmark_source": "基准发布文件",
    "circumstances": "裁量情节",
    "top": "法定最高罚款(元)",
    "problem": "问题",
    "cases": "使用案件数",
    "units": "涉及单位数",
    "version": "现行基准版本",
    "max_ratio": "最大上下限倍数",
    "wide_tiers": "过宽阶次",
    "filed_on": "立案日期",
    "decided_on": "决定日期",
    "served_on": "送达日期",
    "published_on": "公示日期",
    "notified_on": "事先告知日期",
    "closed_on": "结案日期",
    "days_taken": "经过天数",
    "day_type": "日的类型",
    "extension_approved": "延期审批",
    "major_reason": "重大决定情形",
    "penalty_kinds": "处罚种类",
    "legal_review": "法制审核",
    "legal_review_on": "法制审核日期",
    "collective_discussion": "集体讨论",
    "officer_count": "执法人员数",
    "bad_officers": "证件未知或过期的人员",
    "officers": "执法人员",
    "no_av_record": "缺少音像记录",
    "av_recorded": "全过程记录",
    "missing_dates": "缺少的日期",
    "enterprise_name": "企业",
    "inspected_on": "检查日期",
    "year": "年度",
    "nth": "本年第几次",
    "cap": "上限",
    "earlier_visits": "本年此前的检查",
    "joint_no": "联合检查编号",
    "window": "窗口期(日)",
    "other_units_visits": "其他单位的检查",
    "kind": "检查类型",
    "prev_no": "上次检查编号",
    "prev_on": "上次检查日期",
    "gap": "间隔天数",
    "registration_no": "登记备案编号",
    "registered_on": "登记备案日期",
    "inspections_end": "检查结束日期",
    "inspections": "检查数",
    "from_unit": "移出单位",
    "sent_on": "移送日期",
    "received_on": "接收/收到日期",
    "accepted_on": "受理日期",
    "accept_days_taken": "受理用时(工作日)",
    "close_days_taken": "办结用时(工作日)",
    "late_accept": "受理超期",
    "late_close": "办结超期",
    "reassignments": "转办次数",
    "list": "所属清单",
    "lookback_years": "回溯期(年)",
    "credit_notice_on": "信用修复告知书送达日期",
    "compliance_advice_on": "合规指导意见书送达日期",
    "withdrawn_on": "公示撤下日期",
    "applied_on": "申请日期",
    "answer_id": "自查答复",
    "item": "自查事项",
    "focus_area": "整治内容",
    "alert_count": "已确认预警数",
    "confirmed_alerts": "已确认预警",
}
VALUES = {
    "tier": dict(TierLevel.choices),
    "party_type": dict(PartyType.choices),
    "day_type": dict(DAY_TYPES),
    "multiple_of": {"illegal_income": "违法所得", "goods_value": "货值金额"},
    "problem": {"missing": "无现行裁量基准", "too_wide": "阶次幅度过宽"},
    "kind": dict(Inspection.Kind.choices),
}
HIDDEN = {"answer_id"}


def readable(key, value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "；".join(str(v) for v in value) if value else "—"
    if key in VALUES:
        return VALUES[key].get(value, value)
    if key in ("wide_tiers",) and isinstance(value, str):
        return "、".join(dict(TierLevel.choices).get(v, v) for v in value.split(","))
    if isinstance(value, float) and key not in ("z",):
        return f"{value:,.2f}"
    return value


def evidence_lines(alert) -> list[tuple[str, str]]:
    return [
        (LABELS.get(k, k), readable(k, v))
        for k, v in (alert.evidence or {}).items()
        if k not in HIDDEN
    ]
