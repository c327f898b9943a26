import ast
from pathlib import Path

import jiandu
from jiandu.audit.labels import DATA_LABELS, all_labels
from tests.lib import sources

ROOT = Path(jiandu.__file__).parent


def _logged_actions():
    """Every action code passed as a literal to audit.log(...), audit.log_many(...) or
    xlsx_response(action=...)."""
    found = set()
    for path in sources.files(ROOT):
        for node in sources.nodes(path, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = []
            if name in ("log", "log_many") and node.args:
                args.append(node.args[0])
            if name in ("log", "xlsx_response"):
                args += [k.value for k in node.keywords if k.arg == "action"]
            for arg in args:
                for sub in sources.inside(path, arg, ast.Constant):
                    if isinstance(sub.value, str):
                        found.add((sub.value, path.name))
    return found


def test_every_logged_action_has_a_chinese_label():
    actions = _logged_actions()
    assert len(actions) > 40  # the scan sees the calls
    labels = all_labels()
    assert sorted(a for a in actions if a[0] not in labels) == []


def _dict_keys(path, expr, func, functions, out, unresolved):
    """The literal keys a data= expression can hold, following names assigned in the
    calling function, `**` spreads, conditionals and calls to the module's own helpers."""
    if isinstance(expr, ast.Dict):
        for key, value in zip(expr.keys, expr.values, strict=True):
            if key is None:
                _dict_keys(path, value, func, functions, out, unresolved)
            elif isinstance(key, ast.Constant):
                out.add(key.value)
            else:
                unresolved.append(ast.unparse(key))
    elif isinstance(expr, ast.IfExp):
        _dict_keys(path, expr.body, func, functions, out, unresolved)
        _dict_keys(path, expr.orelse, func, functions, out, unresolved)
    elif isinstance(expr, ast.BoolOp):
        for value in expr.values:
            _dict_keys(path, value, func, functions, out, unresolved)
    elif isinstance(expr, ast.Name) and func is not None:
        for node in sources.inside(path, func, ast.Assign, ast.arg):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == expr.id:
                        _dict_keys(path, node.value, func, functions, out, unresolved)
                    elif (
                        isinstance(target, ast.Subscript)
                        and getattr(target.value, "id", None) == expr.id
                        and isinstance(target.slice, ast.Constant)
                    ):
                        out.add(target.slice.value)
            if isinstance(node, ast.arg) and node.arg == expr.id:
                unresolved.append(expr.id)  # a parameter: resolved at its callers
    elif isinstance(expr, ast.Call) and getattr(expr.func, "id", None) in functions:
        helper = functions[expr.func.id]
        for node in sources.inside(path, helper, ast.Return):
            if node.value is not None:
                _dict_keys(path, node.value, helper, functions, out, unresolved)
    elif isinstance(expr, ast.Constant) and expr.value is None:
        pass
    else:
        unresolved.append(ast.unparse(expr))


def _logged_data_keys():
    keys, unresolved = set(), []
    for path in sources.files(ROOT):
        tree = sources.tree(path)
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for func in sources.nodes(path, ast.FunctionDef):
            for node in sources.inside(path, func, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in ("log", "xlsx_response", "_move", "_log_and_tell_unit"):
                    continue
                for kw in node.keywords:
                    if kw.arg == "data":
                        found = []
                        _dict_keys(path, kw.value, func, functions, keys, found)
                        unresolved += [f"{path.name}:{node.lineno}:{x}" for x in found]
    return keys, unresolved


def test_every_key_of_the_logged_data_has_a_chinese_name():
    keys, unresolved = _logged_data_keys()
    assert len(keys) > 60  # the scan sees the calls
    assert sorted(k for k in keys if k not in DATA_LABELS) == []
    # Left to the reader: the `data` parameters of monitoring's _move, of xlsx_response
    # and of ledger's and supervision's _log_and_tell_unit (resolved at their callers,
    # which the scan also walks) and a problem's changed fields (those of ledger's
    # _clean_rectification, named above).
    left = sorted(u.split(":", 2)[2].split(":")[0] for u in unresolved)
    assert left == ["data", "data", "data", "data", "{name"], unresolved


def test_the_page_names_every_key_and_value_in_chinese(personas, units, client_for):
    from jiandu.audit.log import log

    log(
        "orgs.login_locked",
        unit=units["a"],
        data={"username": "clerk_a", "until": "2026-01-01T10:00:00", "by": "address"},
    )
    log(
        "ledger.problem.escalated",
        unit=units["a"],
        data={"note": "立即整改", "days_overdue": 3, "to_discipline": False},
    )
    log(
        "ledger.problem.updated",
        unit=units["a"],
        data={"measures": ["旧措施", "新措施"], "responsible_person": ["", "张三"]},
    )
    from jiandu.acceptance.models import Showcase
    from jiandu.campaigns.models import Campaign

    showcase = Showcase.objects.create(
        campaign=Campaign.objects.create(title="专项行动", lead_unit=units["justice"]),
        unit=units["a"],
        title="综合查一次",
        summary="做法",
    )
    log("campaigns.showcase.proposed", obj=showcase, data={"kind": "case", "title": "综合查一次"})
    page = client_for(personas["supervisor"]).get("/audit/").content.decode()
    for shown in (
        "锁定依据：按地址",
        "类型：最佳案例",
        "用户名：clerk_a",
        "意见：立即整改",
        "逾期天数：3",
        "移交纪委监委：否",
        "整改措施：旧措施 → 新措施",
        "责任人：— → 张三",
    ):
        assert shown in page
    details = page.split("<tbody>", 1)[1]
    for raw in (
        "username",
        "address",
        "days_overdue",
        "to_discipline",
        "measures",
        "False",
        "case",
    ):
        assert raw not in details
