AUDIT_LABELS = {
    "ledger.problem.created": "登记问题",
    "ledger.lead.created": "移交线索",
}
