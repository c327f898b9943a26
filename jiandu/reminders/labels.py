AUDIT_LABELS = {
    "reminders.paused": "暂停提醒",
    "reminders.resumed": "恢复提醒",
    "reminders.draft.approved": "审批提醒函/督办函",
    "reminders.draft.issued": "印发提醒函/督办函",
    "reminders.draft.discarded": "作废提醒函/督办函草稿",
}
