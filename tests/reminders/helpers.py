"""Objects for the reminder tests."""

from datetime import date

from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea

# March 2026 has no holiday: Monday the 16th, the Thursday and Friday before it.
DEADLINE = date(2026, 3, 16)


def make_problem(unit, deadline=DEADLINE, **fields):
    return Problem.objects.create(
        unit=unit,
        focus_area=FocusArea.objects.get(code="procedure"),
        description=fields.pop("description", "执法全过程记录不完整"),
        source=Problem.Source.SUPERVISION,
        deadline=deadline,
        **fields,
    )
