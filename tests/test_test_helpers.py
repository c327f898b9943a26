"""Helpers for tests live in tests/<app>/factories.py; conftest files hold fixtures and
hooks only, and no test imports from one (pytest loads them itself, and importing one
as a module runs its fixtures' module a second time under another name)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.lib import sources

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _python_files():
    return [ROOT / "conftest.py", *sorted(TESTS.rglob("*.py"))]


def _imports(path):
    for node in sources.nodes(path, ast.ImportFrom, ast.Import):
        if isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level
        else:
            for alias in node.names:
                yield alias.name, 0


def test_no_test_imports_from_a_conftest():
    offenders = [
        f"{path.relative_to(ROOT)}: {'.' * level}{module}"
        for path in _python_files()
        for module, level in _imports(path)
        if "conftest" in module.split(".")
    ]
    assert offenders == []


def _is_fixture(decorator):
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in {"pytest.fixture", "fixture"}


def test_conftest_files_hold_fixtures_and_hooks_only():
    offenders = []
    for path in [ROOT / "conftest.py", *sorted(TESTS.rglob("conftest.py"))]:
        for node in sources.tree(path).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                # constants a fixture reads may stay; functions other modules call may not
                if node.name.startswith("pytest_") or any(
                    _is_fixture(d) for d in node.decorator_list
                ):
                    continue
                offenders.append(f"{path.relative_to(ROOT)}: {node.name}")
    assert offenders == []


def test_a_quick_test_that_starts_python_is_told_to_carry_the_slow_marker():
    with pytest.raises(pytest.fail.Exception, match="mark it slow"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)
