"""`jiandu import` starts reading an .xlsx file before Django is set up; what it reads
must be the file as it is when the command gets to it."""

import json

import pytest
from django.db import connections

from jiandu import cli
from jiandu.enforcement.models import PenaltyCase
from jiandu.intake import readers
from tests.intake.factories import CASE_HEADER, case_row, to_csv, to_xlsx


def test_import_path_is_found_among_the_options():
    assert cli._import_path(["--kind", "cases", "a.xlsx", "--json"]) == "a.xlsx"
    assert cli._import_path(["--json", "--unit", "T-A", "b.xlsx"]) == "b.xlsx"
    assert cli._import_path(["--json"]) is None


@pytest.mark.django_db
def test_cli_imports_a_preloaded_xlsx(catalogue, tmp_path, capsys, monkeypatch):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(to_xlsx([CASE_HEADER, case_row("C-1"), case_row("C-2")]))
    started = []
    preload = readers.preload

    def spy(name):
        preload(name)
        started.extend(readers._started)

    monkeypatch.setattr(readers, "preload", spy)
    # run_from_argv closes every connection when the command ends, the test's own too.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["import", "--kind", "cases", str(path), "--json"])
    assert exit_.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows"], report["created"], report["rejected"]) == (2, 2, 0)
    assert sorted(PenaltyCase.objects.values_list("case_no", flat=True)) == ["C-1", "C-2"]
    assert [key[0] for key in started] == [str(path.resolve())]
    assert readers._started == {}  # taken by the command


def test_a_file_changed_after_the_preload_is_read_again(tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(to_xlsx([CASE_HEADER, case_row("C-1")]))
    readers.preload(str(path))
    path.write_bytes(to_xlsx([CASE_HEADER, case_row("C-1"), case_row("C-2"), case_row("C-3")]))
    sheet = readers.read_path(path)
    assert [cells[0] for _n, cells in sheet.rows] == ["C-1", "C-2", "C-3"]
    assert readers._started == {}


def test_only_xlsx_files_are_preloaded(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(to_csv([CASE_HEADER, case_row("C-1")]))
    readers.preload(str(path))
    readers.preload(str(tmp_path / "missing.xlsx"))
    assert readers._started == {}
    assert [n for n, _cells in readers.read_path(path).rows] == [2]
