AUDIT_LABELS = {
    "ledger.problem.created": "登记问题",
    "ledger.problem.started": "启动整改",
    "ledger.problem.updated": "修改整改措施",
    "ledger.problem.progress": "填写整改进展",
    "ledger.problem.submitted": "提请验收",
    "ledger.problem.accepted": "验收销号",
    "ledger.problem.returned": "退回整改",
    "ledger.problem.escalated": "督办",
    "ledger.lead.created": "移交线索",
    "ledger.lead.received": "接收线索",
    "ledger.lead.closed": "办结线索",
    "ledger.export": "导出整改台账",
}
