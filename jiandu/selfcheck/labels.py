# The codes keep the `campaigns.` prefix they were stored with before the app split.
AUDIT_LABELS = {
    "campaigns.report.created": "开始填报自查表",
    "campaigns.report.saved": "保存自查表草稿",
    "campaigns.report.signoff_requested": "提请负责人签发自查表",
    "campaigns.report.submitted": "签发上报自查表",
    "campaigns.report.returned": "退回自查表",
    "campaigns.report.accepted": "接收自查表",
    "campaigns.report.reminded": "催报自查表",
    "campaigns.export": "导出自查表",
}
