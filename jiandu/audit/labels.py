"""Chinese names of audit action codes. Each app declares its own in `<app>/labels.py`
as `AUDIT_LABELS = {"ledger.problem.accepted": "问题销号", ...}`; this collects them."""

from functools import cache
from importlib import import_module

from django.apps import apps

BASE_LABELS = {
    "orgs.login": "登录",
    "orgs.login_failed": "登录失败",
    "orgs.login_locked": "账号锁定",
    "orgs.logout": "退出登录",
    "orgs.password_changed": "修改密码",
    "audit.export": "导出审计记录",
}


@cache
def all_labels() -> dict[str, str]:
    labels = dict(BASE_LABELS)
    for config in apps.get_app_configs():
        if not config.name.startswith("jiandu."):
            continue
        try:
            module = import_module(f"{config.name}.labels")
        except ModuleNotFoundError:
            continue
        labels.update(getattr(module, "AUDIT_LABELS", {}))
    return labels


def label_for(action: str) -> str:
    return all_labels().get(action, action)
