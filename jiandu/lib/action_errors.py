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


def required_text(value, field: str, message: str) -> str:
    """`value` stripped; refused with `message` on `field` when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def required_texts(errors: dict, *fields) -> dict[str, str]:
    """`fields` are `(name, value, message)`: returns each value stripped under its name,
    and puts `message` in `errors` under `name` for each one left blank (collected, so
    the form shows every missing field at once; `refuse(errors)` then raises)."""
    texts = {}
    for name, value, message in fields:
        texts[name] = (value or "").strip()
        if not texts[name]:
            errors[name] = message
    return texts


def refuse(errors: dict) -> None:
    """Raise the collected `{field: message}` errors as one ValidationError, if any."""
    if errors:
        raise ValidationError(errors)
