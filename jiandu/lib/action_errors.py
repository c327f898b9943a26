"""Showing a refused transition on the form that asked for it."""

from django.core.exceptions import ValidationError


def add_action_errors(form, exc: ValidationError):
    """Put an action's ValidationError next to the fields it names; the rest (and a
    field the form does not have) on top of the form, so what was typed is shown again
    with the reason."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
