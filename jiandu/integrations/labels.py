AUDIT_LABELS = {
    "integrations.delivery.replayed": "重新推送事件",
}
