"""How the monitoring code hangs together: no import cycle through the rules, and the
engine (not the registry's order) runs the rules that read alerts last."""

import ast
from pathlib import Path

import pytest

import jiandu
from jiandu.monitoring import engine
from jiandu.monitoring.models import Alert
from jiandu.monitoring.rules import RULES
from jiandu.monitoring.rules.declaration import ALERTS, Rule
from jiandu.monitoring.rules.predicates import empty_hits
from tests.lib import sources
from tests.monitoring import factories as f

ROOT = Path(jiandu.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every jiandu module the file imports, at the top or inside a function."""
    found = set()
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )
    for node in sources.nodes(path, ast.Import, ast.ImportFrom):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        else:
            base = node.module or ""
            if node.level:  # relative: from the package, `level - 1` packages up
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], base]).strip(".")
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in found if m.startswith("jiandu.")}


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in sources.files(ROOT)}
    return {
        name: {m for m in imports(p) if m in modules and m != name} for name, p in modules.items()
    }


def reachable(g, start):
    seen, todo = set(), [start]
    while todo:
        for nxt in g.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_rule_module_imports_the_monitoring_models_so_no_cycle_closes():
    g = graph()
    rules = {m for m in g if m.startswith("jiandu.monitoring.rules")}
    assert "jiandu.monitoring.rules.campaign" in rules
    for m in rules:
        # Not even lazily, inside a function: the circle models -> rules -> models is open.
        assert "jiandu.monitoring.models" not in reachable(g, m), m
        assert m not in reachable(g, m), f"{m} imports itself back"
    assert not {d for d in g["jiandu.monitoring.rules.campaign"] if d.endswith(".models")}


@pytest.mark.slow
def test_the_rules_import_in_a_fresh_interpreter_before_anything_else(tmp_path):
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='jiandu.settings'; django.setup();"
        "import jiandu.monitoring.rules.campaign, jiandu.monitoring.rules as r; print(len(r.RULES))"
    )
    env = {"JIANDU_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    import os

    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTEST"))}, **env}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(RULES)


def test_the_engine_orders_alert_reading_rules_last_whatever_the_registry_order():
    shuffled = sorted(RULES, key=lambda r: (not r.reads_alerts, r.id))
    assert shuffled[0].reads_alerts  # CAMP-01 first in this registry
    ordered = engine.run_order(shuffled)
    assert [r.id for r in ordered if r.reads_alerts] == [r.id for r in ordered[-1:]]
    assert [r.id for r in ordered if not r.reads_alerts] == [
        r.id for r in shuffled if not r.reads_alerts
    ]


@pytest.mark.django_db
def test_a_rule_reading_alerts_sees_those_the_same_run_stored(monkeypatch):
    u = f.unit()
    f.case(u, legal_review=False, legal_review_on=None, fine=1_000_000)  # PROC rules hit it
    seen = []

    def count_alerts(ctx, p):
        seen.append(Alert.objects.exclude(rule="TEST-ALERTS").count())
        return empty_hits()

    reader = Rule(
        "TEST-ALERTS",
        "读预警的规则",
        "campaign",
        "",
        "normal",
        "case",
        "",
        count_alerts,
        reads=frozenset({ALERTS}),
    )
    others = [r for r in RULES if not r.reads_alerts]
    monkeypatch.setattr(engine, "RULES", [reader, *others])
    run = engine.run_rules()
    assert list(run.results)[-1] == "TEST-ALERTS" and run.rule_ids[-1] == "TEST-ALERTS"
    assert seen == [Alert.objects.exclude(rule="TEST-ALERTS").count()] and seen[0] > 0
