# The codes keep the `campaigns.` prefix they were stored with before the app split.
AUDIT_LABELS = {
    "campaigns.visit.planned": "安排监督检查",
    "campaigns.visit.finding_recorded": "记录监督检查发现的问题",
    "campaigns.visit.completed": "完成监督检查",
    "campaigns.review.scored": "案卷评查打分",
    "campaigns.review.problem_created": "评查不合格案卷列入整改台账",
}
AUDIT_LABELS |= {
    "supervision.instrument.reply_days_set": "设置文书答复期限",
    "supervision.instrument.drafted": "起草监督文书",
    "supervision.instrument.issued": "签发监督文书",
    "supervision.instrument.replied": "答复监督文书",
    "supervision.instrument.objected": "对监督文书提出异议",
    "supervision.instrument.accepted": "认可文书答复（办结）",
    "supervision.instrument.returned": "退回文书答复",
    "supervision.instrument.objection_handled": "处理异议",
    "supervision.instrument.escalated": "提请县政府处理（处理建议）",
    "supervision.instrument.referred": "向纪委监委移送线索",
    "supervision.instrument.export": "导出监督文书台账",
    "supervision.proposal.created": "提出处理建议（重大问题）",
    "supervision.proposal.decided": "登记行政执法监督决定书",
    "supervision.interview.recorded": "记录约谈",
    "supervision.circular.published": "发布通报",
    "supervision.officer.recommended": "提出执法人员处理建议",
    "supervision.officer.decided": "登记有权机关决定",
    "supervision.request.created": "纪委监委提出督办请求",
    "supervision.request.answered": "处理督办请求",
}
