AUDIT_LABELS = {
    "monitoring.alert.confirmed": "确认预警",
    "monitoring.alert.dismissed": "排除预警",
    "monitoring.alert.assigned": "分配预警",
    "monitoring.alert.transferred": "预警移交纪委",
    "monitoring.rule.updated": "调整预警规则参数",
    "monitoring.run.started": "运行预警规则",
    "monitoring.export": "导出预警",
}
