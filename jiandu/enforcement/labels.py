AUDIT_LABELS = {
    "enforcement.inspection.registered": "涉企检查登记备案",
    "enforcement.inspection.completed": "涉企检查完成",
    "enforcement.enterprise.created": "新增市场主体",
    "enforcement.export": "导出执法数据",
}
