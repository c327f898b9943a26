from jiandu.enforcement.models import CaseOfficer, PenaltyCase

from .conftest import CASE_HEADER, case_row, run_rows


def test_cases_import_and_reimport(catalogue):
    rows = [CASE_HEADER, case_row("C-1"), case_row("C-2", **{"罚款金额(元)": "-5"})]
    result = run_rows(rows)
    print(result.as_json())
    assert result.created == 1 and result.rejected == 1
    case = PenaltyCase.objects.get()
    assert case.penalty_kinds == ";罚款;警告;"
    assert CaseOfficer.objects.count() == 2
    again = run_rows(rows)
    assert again.unchanged == 1
