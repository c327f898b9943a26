AUDIT_LABELS = {
    "credit.application.submitted": "提交信用修复申请",
    "credit.application.approved": "准予信用修复",
    "credit.application.refused": "不予信用修复",
    "credit.withdrawal.confirmed": "确认撤下处罚公示",
    "credit.three_docs.served": "登记三书同达送达",
    "credit.export": "导出信用修复申请台账",
}
