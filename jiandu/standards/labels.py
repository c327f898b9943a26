AUDIT_LABELS = {
    "standards.item.created": "新增违法行为事项",
    "standards.item.updated": "修改违法行为事项",
    "standards.benchmark.drafted": "新建裁量基准版本（草稿）",
    "standards.benchmark.tiers_saved": "修改裁量基准草稿",
    "standards.benchmark.published": "发布裁量基准",
    "standards.lenient.saved": "编辑不罚/减轻清单事项（草稿）",
    "standards.lenient.published": "发布不罚/减轻清单事项",
}
