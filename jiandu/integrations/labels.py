AUDIT_LABELS = {
    "integrations.delivery.replayed": "重新推送事件",
    "integrations.webhook.registered": "登记事件推送地址",
    "integrations.webhook.deactivated": "停用事件推送地址",
}
