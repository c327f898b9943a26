"""jiandu.lib is the lowest floor: it imports no jiandu app, so any app can use it and
it can never pull an app (and that app's models and signals) into another."""

import ast
from pathlib import Path

import jiandu.lib
from tests.lib import sources


def test_lib_imports_no_jiandu_app():
    root = Path(jiandu.lib.__file__).parent
    offenders = []
    modules = sources.files(root)
    for path in modules:
        for node in sources.nodes(path, ast.ImportFrom, ast.Import):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                if node.level:  # relative imports stay inside lib
                    continue
            else:
                names = [a.name for a in node.names]
            for name in names:
                if name == "jiandu" or (
                    name.startswith("jiandu.") and not name.startswith("jiandu.lib")
                ):
                    offenders.append(f"{path.name}: {name}")
    assert len(modules) >= 7  # the scan sees the package
    assert offenders == []
