AUDIT_LABELS = {
    "documents.document.issued": "印发公文",
    "documents.document.served": "公文送达",
    "documents.document.receipt": "上传送达回执",
    "documents.number.cancelled": "作废文号",
    "documents.template.uploaded": "上传公文模板",
}
AUDIT_LABELS["documents.template.reset"] = "恢复默认公文模板"
