"""The synthetic county: consistent, valid, planted with rule hits, and loaded by the
demo through the import itself."""

import csv
import re
import sys
from datetime import date

import pytest

from jiandu.demo import county as org_demo
from jiandu.demo import intake as demo
from jiandu.demo.generate import generate
from jiandu.enforcement.models import Enterprise, Inspection, PenaltyCase, Transfer
from jiandu.intake.models import ImportBatch
from jiandu.lib import uscc
from jiandu.standards.models import Benchmark

TODAY = date(2026, 11, 26)


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    out = tmp_path_factory.mktemp("county")
    return {k: read(p) for k, p in generate(out, "demo", "csv", seed=3, today=TODAY).items()}


def test_sizes_and_valid_usccs(county):
    assert len(county["cases"]) == 2000 and len(county["inspections"]) == 2000
    assert all(uscc.is_valid(e["统一社会信用代码"]) for e in county["enterprises"])
    assert all(
        uscc.is_valid(c["统一社会信用代码"]) for c in county["cases"] if c["统一社会信用代码"]
    )
    assert [u["单位编码"] for u in county["units"]] == [u[0] for u in org_demo.UNITS]


def test_no_event_in_the_future_and_no_impossible_order(county):
    today = TODAY.isoformat()
    for case in county["cases"]:
        for col in ("立案日期", "决定日期", "送达日期", "公示日期", "结案日期"):
            assert case[col] <= today
        if case["决定日期"]:
            assert case["决定日期"] >= case["立案日期"]
            for col in ("送达日期", "公示日期", "结案日期"):
                assert not case[col] or case[col] >= case["决定日期"]
    assert all(i["检查日期"] <= today for i in county["inspections"])


def test_planted_violations_occur_at_modest_rates(county):
    cases, insps = county["cases"], county["inspections"]

    def share(rows, pred):
        return sum(1 for r in rows if pred(r)) / len(rows)

    def days(a, b):
        return (date.fromisoformat(a) - date.fromisoformat(b)).days

    late_decision = share(
        cases, lambda c: c["决定日期"] and days(c["决定日期"], c["立案日期"]) > 90
    )
    late_service = share(cases, lambda c: c["送达日期"] and days(c["送达日期"], c["决定日期"]) > 7)
    one_officer = share(cases, lambda c: len(c["执法人员"].split("；")) < 2)
    unregistered = share(insps, lambda i: not i["登记备案编号"])
    joint = share(insps, lambda i: i["联合检查编号"])
    lenient_fined = share(
        cases, lambda c: c["裁量情节"] == "初次违法；危害后果轻微；及时改正" and c["罚款金额(元)"]
    )
    for rate in (late_decision, late_service, one_officer, unregistered, lenient_fined):
        assert 0.002 < rate < 0.1
    assert 0.05 < joint < 0.3
    assert any(
        r["公示撤下日期"] == "" and r["修复结果"] == "准予修复" for r in county["credit_repairs"]
    )
    assert any(t["接收日期"] == "" for t in county["transfers"])


def test_the_same_seed_gives_the_same_county(tmp_path):
    a = generate(tmp_path / "a", "demo", "csv", seed=9, today=TODAY, only={"cases"})
    b = generate(tmp_path / "b", "demo", "csv", seed=9, today=TODAY, only={"cases"})
    assert a["cases"].read_bytes() == b["cases"].read_bytes()


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_demo_seed_loads_everything_through_the_import():
    ctx = {"today": TODAY}
    org_demo.seed(ctx)
    demo.seed(ctx)
    assert PenaltyCase.objects.count() == 2000 and Inspection.objects.count() == 2000
    assert Enterprise.objects.count() == 600 and Transfer.objects.count() > 0
    assert Benchmark.objects.filter(version=2).exists()
    batches = ImportBatch.objects.all()
    assert batches.count() == 9 and not batches.exclude(rejected=0).exists()
    assert batches.get(kind="units").unchanged == len(org_demo.UNITS)


@pytest.mark.django_db(transaction=True)
def test_xlsx_without_the_bench_extra_is_written_by_openpyxl_and_imports(tmp_path, monkeypatch):
    """xlsxwriter is in the `bench` extra only: a plain install still writes .xlsx files
    (openpyxl), and the import takes every row of them, dates included."""
    import importlib

    from jiandu.demo import generate as generator
    from jiandu.intake import actions

    monkeypatch.setitem(sys.modules, "xlsxwriter", None)  # as on a plain install
    with pytest.raises(ImportError):
        import xlsxwriter  # noqa: F401
    importlib.reload(generator)  # the module itself must import without it
    kinds = {"units", "officers", "enterprises"}
    paths = generator.generate(tmp_path, "demo", "xlsx", seed=4, today=TODAY, only=kinds)
    expected = generate(tmp_path / "csv", "demo", "csv", seed=4, today=TODAY, only=kinds)
    assert set(paths) == kinds
    for kind, path in paths.items():
        assert path.read_bytes()[:2] == b"PK"  # a real .xlsx
        batch = actions.create_batch(
            data=path.read_bytes(), name=path.name, kind=kind, source=ImportBatch.Source.CLI
        )
        result = actions.run_batch(batch, today=TODAY)
        assert not result.refused and result.rejected == 0, result.errors[:3]
        assert result.rows == len(read(expected[kind])), kind
    assert Enterprise.objects.count() == 600
    assert Enterprise.objects.exclude(founded_on=None).exists()


# The regulations (条例, 办法, 细则) the demo's catalogue may cite: real titles only.
KNOWN_REGULATIONS = {
    "城市道路管理条例",
    "城市市容和环境卫生管理条例",
    "城市绿化条例",
    "中华人民共和国市场主体登记管理条例",
    "营业性演出管理条例",
    "互联网上网服务营业场所管理条例",
    "中华人民共和国道路运输条例",
    "公路安全保护条例",
    "危险化学品安全管理条例",
    "农药管理条例",
    "兽药管理条例",
    "公共场所卫生管理条例",
    "公共场所卫生管理条例实施细则",
    "消毒管理办法",
}
ARTICLE = re.compile(r"^《(?P<title>[^》]+)》第[一二三四五六七八九十百零]+条$")


def _cites_a_real_title(cell):
    match = ARTICLE.match(cell)
    if not match:
        return False
    title = match["title"]
    return bool(re.fullmatch(r"中华人民共和国\w+法", title)) or title in KNOWN_REGULATIONS


def test_the_catalogue_cites_real_laws_and_real_lenient_items(county):
    cited = [
        cell for row in county["standards"] for cell in (row["违法依据"], row["处罚依据"]) if cell
    ] + [row["法律依据"] for row in county["lenient"]]
    assert cited and [c for c in cited if not _cites_a_real_title(c)] == []
    every_cell = [v for rows in county.values() for row in rows for v in row.values()]
    assert not [v for v in every_cell if "相关法律" in v or "相关规定" in v]
    # What 轻微违法/首违不罚 lists hold: never a licence-free practice such as 非医师行医.
    not_fined = [r["违法行为"] for r in county["lenient"] if r["清单类型"] != "从轻减轻处罚"]
    assert "未将营业执照置于住所或者主要经营场所的醒目位置" in not_fined
    assert not [name for name in not_fined if "非医师行医" in name or "未取得" in name]
