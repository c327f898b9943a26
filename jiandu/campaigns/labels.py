AUDIT_LABELS = {
    "campaigns.campaign.created": "创建专项行动",
    "campaigns.campaign.updated": "修改专项行动",
    "campaigns.contact.added": "添加联系人",
    "campaigns.contact.removed": "删除联系人",
    "campaigns.item.added": "新增自查事项",
    "campaigns.item.updated": "修改自查事项",
    "campaigns.item.deleted": "删除自查事项",
    "campaigns.item.moved": "调整自查事项顺序",
}
