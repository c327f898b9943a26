"""The synthetic county: consistent, valid, planted with rule hits, and loaded by the
demo through the import itself."""

import csv
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
