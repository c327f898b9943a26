"""What other apps call into monitoring. Kept dependency-free so intake and enforcement
can call it without knowing how rules run."""


def after_import(kind: str, unit_ids=None) -> None:
    """Called by intake after a batch was applied: re-run the rules that read `kind`
    (for the units touched) in the background. Implemented by the monitoring engine."""
    return None


def inspection_warnings(*, unit, enterprise, inspected_on, kind="", mode="onsite", joint_no="", exclude_pk=None):
    """Warnings shown at registration time when INSP-01/02/03/05 would hit: a list of
    {"rule": "INSP-02", "title": ..., "message": ..., "others": [{"unit": ..., "date": ..., "inspection_no": ..., "planned": bool}]}."""
    return []
