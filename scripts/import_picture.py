"""The import picture of the jiandu package: floors, arrows back up, circles.

Nodes are the package's top-level parts (apps and modules such as `jiandu.cli`).
Floors come from the module-level imports between parts: a part stands one floor above
the highest part it imports at module level (a circle shares one floor). An arrow back
up is any import, module- or function-level, from a part to a part on a higher floor.
Circles are found between modules (module-level imports only). Prints the figures the
issue of the house asks for; run as `python scripts/import_picture.py`.

The intended floors of the house are PLAN below, bottom up: a part imports parts of its
own floor or lower, never higher. A lower app that needs a higher one is handed what it
needs (a registry filled in the higher app's apps.py, a signal, the root urls mounting
the higher app's pages). tests/test_layers.py holds the house to PLAN and to the figures
(no circles; arrows back up only the few it allows and explains)."""

import ast
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "jiandu"

PLAN = [
    # what every app uses and no app owns: no Django app, imports no other part
    ("lib", "env", "keys", "errors", "gunicorn_conf"),
    # the platform's checks and text limits; the audit trail every transition writes
    ("core", "audit"),
    # units, users, roles, access (the scoping function), notifications, base data
    ("orgs",),
    # what knows only units: attachments, the working-day calendar, discretion standards
    ("documents", "workdays", "standards"),
    # the records: enforcement's cases and inspections; the campaign plan (专项行动)
    ("enforcement", "campaigns"),
    # the ledger of problems (整改台账) and the campaign phases that feed it
    ("ledger", "selfcheck", "supervision"),
    # what watches or faces out: the monitoring rules, the public portal; inspection
    # planning (plans, joint visits, 双随机 draws: writes inspections, reads INSP-07)
    ("monitoring", "portal", "planning"),
    # what reads or writes across all of them: data import, acceptance and the summary
    # report, the cockpit; the cross-department workflows (案件移送, 信用修复) that read
    # the monitoring rules' deadlines and use the portal's public forms; the reminders
    # that watch every deadline below
    ("intake", "acceptance", "dashboard", "transfers", "credit", "reminders"),
    # what serves all of the above to other systems: API scopes' data, webhooks out
    ("integrations",),
    # entry points: the integration API, the demo builder, the command line
    ("api", "demo", "cli"),
    # wiring: settings, middleware, urls, wsgi
    ("settings", "middleware", "urls", "wsgi"),
]

# Modules that other branches are moving right now, counted at their new home so the
# picture shows the house as it stands once they are merged. Delete an entry when its
# move has landed (tests/test_layers.py fails on an entry whose old module is gone).
MOVING = {}
# Imports that leave with a function another branch is moving (the summary report's view
# goes to acceptance with the report itself).
MOVING_EDGES = set()


def modules(root=ROOT):
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).with_suffix("")
        if "migrations" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


@cache
def tree(path):
    """The file's syntax tree, parsed once per process: picture() runs more than once in
    the tests, and tests/lib/sources.py hands the same trees to the other tests that
    read the code."""
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


@cache
def _import_statements(path):
    """(statement, at module level?) for each import statement of the file, in ast.walk
    order: one walk per file, however many pictures are drawn."""
    module = tree(path)
    top = set(map(id, module.body))
    # Module level: in the file's body, or inside a top-level if/try (TYPE_CHECKING,
    # optional imports); anything inside a function or class body runs later.
    guarded = {id(n) for s in module.body if isinstance(s, (ast.If, ast.Try)) for n in ast.walk(s)}
    return tuple(
        (node, id(node) in top or id(node) in guarded)
        for node in ast.walk(module)
        if isinstance(node, (ast.Import, ast.ImportFrom))
    )


def imports(name, path):
    """(target, at module level?, first target of its statement?) for each import of
    jiandu.* in the file (`from a import b` names both a and a.b: b may be a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node, at_top in _import_statements(path):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            base = node.module or ""
            if node.level:
                pkg = package.split(".")
                base = ".".join(pkg[: len(pkg) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        for i, t in enumerate(t for t in targets if t.startswith("jiandu")):
            yield t, at_top, i == 0


def strongly_connected(nodes, edges):
    """The circles (strongly connected sets of more than one node), Tarjan's way."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                found.append(sorted(scc))

    sys.setrecursionlimit(10000)
    for v in list(nodes):
        if v not in index:
            visit(v)
    return found


def part(module):
    bits = module.split(".")
    return ".".join(bits[:2]) if len(bits) > 1 else module


def picture(root=ROOT, moving=MOVING, moving_edges=MOVING_EDGES):
    """The figures of the house, as a dict: edges ((module, module, module level?) for
    each import between jiandu modules), parts, floor (part -> floor), back (arrows
    back up, as (module, module) pairs), part_circles, module_circles, late_circles
    (function-level imports included), inner (function-level import statements),
    modules. A module named in `moving` counts at its new home; an import named in
    `moving_edges` (as importer, imported after the moves) is left out."""
    mods = dict(modules(Path(root)))

    def home(module):
        for old, new in moving.items():
            if module == old or module.startswith(old + "."):
                return new + module[len(old) :]
        return module

    edges = defaultdict(set)  # module -> modules (module level)
    all_edges = []  # (from module, to module, module level?)
    inner = 0  # function-level import statements
    for name, path in mods.items():
        statements = []  # the targets of each import statement
        for target, at_top, first in imports(name, path):
            if first:
                statements.append((at_top, []))
                if not at_top:
                    inner += 1
            while target not in mods and "." in target:
                target = target.rpartition(".")[0]
            statements[-1][1].append(target)
        for at_top, targets in statements:
            if any(home(t) != t and t.rpartition(".")[0] == targets[0] for t in targets[1:]):
                targets = targets[1:]  # `from pkg import moved`: the move leaves pkg out
            for target in targets:
                edge = (home(name), home(target))
                if target not in mods or edge[0] == edge[1] or edge in moving_edges:
                    continue
                all_edges.append((*edge, at_top))
                if at_top:
                    edges[edge[0]].add(edge[1])
    mods = {home(m): path for m, path in mods.items()}
    module_circles = strongly_connected(mods, edges)
    every = defaultdict(set)
    for a, b, _at_top in all_edges:
        every[a].add(b)
    late_circles = strongly_connected(mods, every)
    # Floors of the parts, from the module-level imports between parts (a part importing
    # its own modules is no arrow); parts in a circle share a floor.
    deps = defaultdict(set)
    for a, b, at_top in all_edges:
        if at_top and part(a) != part(b):
            deps[part(a)].add(part(b))
    parts = sorted({part(m) for m in mods} - {"jiandu"})
    part_circles = strongly_connected(parts, deps)
    group = {p: tuple(c) for c in part_circles for p in c}
    floor = {}

    def floor_of(p):
        if p not in floor:
            members = group.get(p, (p,))
            for m in members:
                floor[m] = 0  # provisional, while the circle's own floor is worked out
            below = {q for m in members for q in deps[m]} - set(members)
            f = 1 + max((floor_of(q) for q in below), default=-1)
            for m in members:
                floor[m] = f
        return floor[p]

    for p in parts:
        floor_of(p)
    back = sorted(
        {
            (a, b)
            for a, b, _ in all_edges
            if part(a) in floor
            and part(b) in floor
            and (
                floor[part(b)] > floor[part(a)]
                or (
                    part(a) != part(b)
                    and group.get(part(a)) is not None
                    and group.get(part(a)) == group.get(part(b))
                )
            )
        }
    )
    return {
        "edges": {(a, b, at_top) for a, b, at_top in all_edges},
        "modules": mods,
        "parts": parts,
        "floor": floor,
        "back": back,
        "part_circles": part_circles,
        "module_circles": module_circles,
        "late_circles": late_circles,
        "inner": inner,
    }


def main():
    pic = picture()
    mods, parts, floor, back = pic["modules"], pic["parts"], pic["floor"], pic["back"]
    part_circles, module_circles = pic["part_circles"], pic["module_circles"]
    late_circles, inner = pic["late_circles"], pic["inner"]
    if MOVING:
        print("counted at their new home (moves in flight on other branches):")
        for old, new in MOVING.items():
            print(f"  {old} -> {new}")
    lines = defaultdict(int)
    for name, path in mods.items():
        lines[part(name)] += sum(1 for _ in path.open(encoding="utf-8"))
    print(f"parts: {len(parts)}; floors: {max(floor.values()) + 1}")
    for f in range(max(floor.values()) + 1):
        print(
            f"  floor {f}: "
            + ", ".join(f"{p.removeprefix('jiandu.')} ({lines[p]})" for p in parts if floor[p] == f)
        )
    print(f"arrows back up (imports to a higher floor): {len(back)}")
    for a, b in back:
        print(f"  {a} -> {b}")
    print(f"circles between parts (module-level imports): {len(part_circles)}")
    for scc in part_circles:
        print("  " + " <-> ".join(scc))
    print(f"circles between modules: {len(module_circles)}")
    for scc in module_circles:
        print("  " + " <-> ".join(scc))
    print(f"circles between modules, function-level imports included: {len(late_circles)}")
    for scc in late_circles:
        print("  " + " <-> ".join(scc))
    print(f"function-level imports of jiandu.*: {inner}")


if __name__ == "__main__":
    main()
