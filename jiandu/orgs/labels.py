AUDIT_LABELS = {
    "orgs.login": "登录",
    "orgs.login_failed": "登录失败",
    "orgs.login_locked": "账号锁定",
    "orgs.logout": "退出登录",
    "orgs.password_changed": "修改密码",
}
