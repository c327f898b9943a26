"""What monitoring says about enforcement's records, for enforcement's pages.

Monitoring stands above enforcement (its rules read the cases and inspections), so
enforcement cannot import it. Monitoring registers its answers here when the apps are
ready (jiandu/monitoring/apps.py); enforcement's views ask through these functions."""

_answers = {}
# Further registration checks from apps above enforcement (planning's frequency caps):
# each takes the visit's keywords and returns warnings shaped like monitoring's.
_warning_sources = []


def register(**answers):
    """Called once by monitoring at start-up: alerts_for, three_docs, inspection_warnings."""
    _answers.update(answers)


def add_warning_source(source):
    """Called once by an app at start-up (planning: the frequency caps)."""
    if source not in _warning_sources:
        _warning_sources.append(source)


def _answer(name):
    try:
        return _answers[name]
    except KeyError:
        raise LookupError(f"monitoring has not registered {name!r} (is it installed?)") from None


def alerts_for(kind: str, subject_key: str) -> list:
    """Monitoring's alerts on one record, found by its natural key."""
    return _answer("alerts_for")(kind, subject_key)


def three_docs(case_id: int) -> dict:
    """What SERV-01 says about one case."""
    return _answer("three_docs")(case_id)


def inspection_warnings(**visit) -> list[dict]:
    """Warnings shown at registration time when INSP-01/02/03/05 would hit, then those of
    the other registered sources (planning's frequency caps)."""
    warnings = list(_answer("inspection_warnings")(**visit))
    for source in _warning_sources:
        warnings.extend(source(**visit))
    return warnings
