"""The project's own source code, parsed once and walked once per file per process.

The tests that read the code (the import picture's floors, lib's floor, monitoring's
import graph, the audit labels, the conftest rules, the ledger's upward tie) each parsed
and walked every file again: seconds of CPU for the same trees. They read them here instead. The trees are
those of scripts/import_picture.py, so the picture test_layers draws shares them too."""

import ast
import importlib.util
from bisect import bisect_left
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_spec = importlib.util.spec_from_file_location(
    "import_picture", REPO / "scripts" / "import_picture.py"
)
picture_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(picture_script)

tree = picture_script.tree  # path -> ast.Module


@cache
def files(root: Path) -> tuple[Path, ...]:
    """Every .py file under root, migrations included, sorted."""
    return tuple(sorted(root.rglob("*.py")))


@cache
def _flat(path: Path):
    """The file's nodes in source (depth-first) order, and where each node's own nodes
    start and end in that order: one pass over the tree."""
    order, start, end = [], {}, []

    def visit(node):
        i = len(order)
        start[id(node)] = i
        order.append(node)
        end.append(0)
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                visit(value)
            elif type(value) is list:
                for v in value:
                    if isinstance(v, ast.AST):
                        visit(v)
        end[i] = len(order)

    visit(tree(path))
    return order, start, end


@cache
def _positions(path: Path, types: tuple[type, ...]) -> list[int]:
    order = _flat(path)[0]
    return [i for i, node in enumerate(order) if isinstance(node, types)]


def nodes(path: Path, *types: type) -> list[ast.AST]:
    """The file's nodes of these types (what ast.walk would yield), in source order."""
    order = _flat(path)[0]
    return [order[i] for i in _positions(path, types)]


def inside(path: Path, node: ast.AST, *types: type) -> list[ast.AST]:
    """The nodes of these types in node (itself included: what ast.walk(node) would
    yield), node being one of the file's."""
    order, start, end = _flat(path)
    at = _positions(path, types)
    i = start[id(node)]
    return [order[k] for k in at[bisect_left(at, i) : bisect_left(at, end[i])]]
