"""The row lock every named transition takes before checking state."""


def lock(obj):
    """Re-read `obj`'s row under a lock, inside the transition's transaction, so a double
    click or a stale page is checked against what the first request wrote."""
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
    return obj
