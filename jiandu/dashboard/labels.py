AUDIT_LABELS = {"dashboard.statistics.export": "导出统计分析"}
