AUDIT_LABELS = {"documents.summary.exported": "生成总结报告"}
