# The codes keep the `campaigns.` prefix they were stored with before the app split.
AUDIT_LABELS = {
    "campaigns.visit.planned": "安排监督检查",
    "campaigns.visit.finding_recorded": "记录监督检查发现的问题",
    "campaigns.visit.completed": "完成监督检查",
    "campaigns.review.scored": "案卷评查打分",
    "campaigns.review.problem_created": "评查不合格案卷列入整改台账",
}
