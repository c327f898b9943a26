"""Objects the acceptance tests (and the acceptance page's browser test) start from."""

from jiandu.ledger.actions import create_problem
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea


def problem(campaign, unit, *, state=Problem.State.PENDING, deadline=None):
    """A problem of `unit` in `campaign` (None: filed under no campaign), put in `state`."""
    p = create_problem(
        unit=unit,
        focus_area=FocusArea.objects.get(code="procedure"),
        description="案卷未按期归档",
        source=Problem.Source.SUPERVISION,
        campaign=campaign,
        deadline=deadline,
    )
    Problem.objects.filter(pk=p.pk).update(state=state)
    return p
