AUDIT_LABELS = {
    "orgs.login": "登录",
    "orgs.login_failed": "登录失败",
    "orgs.login_locked": "账号锁定",
    "orgs.login_unlocked": "解除登录锁定",
    "orgs.logout": "退出登录",
    "orgs.password_changed": "修改密码",
    "orgs.otp_enabled": "启用双因素认证",
    "orgs.otp_disabled": "停用双因素认证",
    "orgs.otp_failed": "双因素验证失败",
    "orgs.otp_throttle_reset": "解除验证码错误等待",
    "orgs.recovery_codes_regenerated": "重新生成恢复码",
    "orgs.role_otp_changed": "设置角色双因素认证要求",
}
