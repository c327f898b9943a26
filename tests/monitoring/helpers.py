from datetime import date

from jiandu.monitoring.engine import evaluate, params_for
from jiandu.monitoring.rules import get_rule
from jiandu.monitoring.rules.frames import RunContext


def hits(rule_id, today=date(2025, 12, 31), **params):
    """Subject keys the rule hits now, with optional parameter overrides."""
    rule = get_rule(rule_id)
    p = params_for(rule, today)
    p.update(params)
    frame = evaluate(rule, RunContext(today=today), p)
    return {row["subject_key"]: row for row in frame.to_dicts()}


def key(obj):
    return obj.subject_key
