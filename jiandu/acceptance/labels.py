# The codes keep the prefix they were stored with before the app split.
AUDIT_LABELS = {
    "campaigns.acceptance.passed": "整改验收通过",
    "campaigns.acceptance.failed": "整改验收不通过",
    "campaigns.showcase.proposed": "推荐最佳案例或实践",
    "campaigns.showcase.updated": "修改最佳案例或实践",
    "campaigns.showcase.selected": "评选最佳案例或实践",
    "campaigns.showcase.published": "发布最佳案例或实践",
    "documents.summary.exported": "生成总结报告",
}
