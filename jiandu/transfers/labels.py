AUDIT_LABELS = {
    "transfers.transfer.sent": "移送案件或线索",
    "transfers.transfer.accepted": "接收移送",
    "transfers.transfer.refused": "拒绝接收移送",
    "transfers.transfer.returned": "退回移送补正",
    "transfers.transfer.resent": "补正后重新移送",
    "transfers.transfer.disputed": "报请管辖裁定",
    "transfers.transfer.kept": "移出单位撤回移送自行办理",
    "transfers.transfer.decided": "裁定管辖争议",
    "transfers.export": "导出案件移送台账",
}
