"""The fast write paths of the importer keep the guarantees of the slow ones: references
are checked when SQLite's per-row foreign keys are off, and a key that appears after
the import looked (another session) is updated, not duplicated."""

import pytest
from django.db import IntegrityError, connection

from jiandu.enforcement.models import PenaltyCase
from jiandu.intake import engine, writers
from jiandu.intake.schema import KINDS
from tests.intake.factories import CASE_HEADER, TODAY, case_row, run_rows


def foreign_keys_enforced() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        return bool(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's foreign-key pragma")
def test_sqlite_import_outside_a_transaction_checks_references_itself(catalogue, monkeypatch):
    checked = []
    check = writers.Writer.check_references

    def spy(self, columns):
        checked.append(sorted(columns["unit_id"]))
        check(self, columns)

    monkeypatch.setattr(writers.Writer, "check_references", spy)
    assert not connection.in_atomic_block
    result = run_rows([CASE_HEADER, case_row("C-1"), case_row("C-2")])
    assert (result.created, result.rejected) == (2, 0)
    assert len(checked) == 1 and len(checked[0]) == 2  # the one batch, by the writer
    assert foreign_keys_enforced()
    case = PenaltyCase.objects.get(case_no="C-1")
    assert case.violation_id == catalogue.pk


@pytest.mark.django_db
def test_reference_check_refuses_a_missing_unit_or_item(catalogue, units):
    present = {c.field for c in KINDS["cases"].columns}
    writer = writers.CaseWriter(KINDS["cases"], engine.Lookups(), present, TODAY, None)
    writer.check_references({"unit_id": [units["a"].pk], "violation_id": [catalogue.pk, None]})
    with pytest.raises(IntegrityError, match="unit_id: 1 个引用不存在"):
        writer.check_references({"unit_id": [units["a"].pk, 10**9], "violation_id": []})
    with pytest.raises(IntegrityError, match="violation_id"):
        writer.check_references({"unit_id": [units["a"].pk], "violation_id": [10**9]})


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's direct COPY")
def test_a_key_stored_after_the_import_looked_is_updated_not_copied_twice(catalogue, monkeypatch):
    run_rows([CASE_HEADER, case_row("C-1")])
    # As if another session stored C-1 after this import read which units had cases.
    monkeypatch.setattr(writers.Writer, "prior_firsts", lambda self: set())
    result = run_rows([CASE_HEADER, case_row("C-1", **{"罚款金额(元)": "7000"}), case_row("C-2")])
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert PenaltyCase.objects.filter(case_no="C-1").count() == 1
    assert PenaltyCase.objects.get(case_no="C-1").fine == 7000
