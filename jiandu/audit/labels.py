"""Chinese names of audit action codes. Each app declares its own in `<app>/labels.py`
as `AUDIT_LABELS = {"ledger.problem.accepted": "问题销号", ...}`; this collects them."""

from functools import cache
from importlib import import_module

from django.apps import apps

AUDIT_LABELS = {"audit.export": "导出审计记录"}


@cache
def all_labels() -> dict[str, str]:
    labels = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("jiandu."):
            continue
        try:
            module = import_module(f"{config.name}.labels")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.labels":
                raise  # a labels module that fails to import is a fault, not an absence
            continue
        labels.update(module.AUDIT_LABELS)
    return labels


def label_for(action: str) -> str:
    return all_labels().get(action, action)
