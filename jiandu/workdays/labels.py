AUDIT_LABELS = {
    "workdays.day.saved": "维护节假日/调休",
    "workdays.day.deleted": "删除节假日/调休",
}
