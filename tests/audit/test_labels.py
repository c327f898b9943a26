import ast
from pathlib import Path

import jiandu
from jiandu.audit.labels import all_labels


def _logged_actions():
    """Every action code passed as a literal to audit.log(...) or xlsx_response(action=...)."""
    found = set()
    for path in Path(jiandu.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = []
            if name == "log" and node.args:
                args.append(node.args[0])
            if name in ("log", "xlsx_response"):
                args += [k.value for k in node.keywords if k.arg == "action"]
            for arg in args:
                for sub in ast.walk(arg):
                    if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                        found.add((sub.value, path.name))
    return found


def test_every_logged_action_has_a_chinese_label():
    actions = _logged_actions()
    assert len(actions) > 40  # the scan sees the calls
    labels = all_labels()
    assert sorted(a for a in actions if a[0] not in labels) == []
