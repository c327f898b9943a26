"""The rule registry: every rule of DOMAIN.md's catalogue, in catalogue order."""

from jiandu.monitoring.rules import (
    campaign,
    discretion,
    inspection,
    integration,
    leniency,
    procedure,
    service,
)
from jiandu.monitoring.rules.declaration import AREA_LABELS, SUBJECT_LABELS, Param, Rule  # noqa: F401

RULES = [
    *discretion.RULES,
    *procedure.RULES,
    *inspection.RULES,
    *integration.RULES,
    *leniency.RULES,
    *service.RULES,
    *campaign.RULES,
]
REGISTRY = {r.id: r for r in RULES}


def get_rule(rule_id: str) -> Rule | None:
    return REGISTRY.get((rule_id or "").upper())


def all_rules() -> list[Rule]:
    return list(RULES)
