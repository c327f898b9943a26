"""How a view runs a named transition from a posted form: one declared row per
transition (form, action, the cleaned fields it takes, the success message) instead of a
table of lambdas. Each app's view keeps its own page and response; this only settles
how the form's data reaches the action and how the action's refusal reaches the form."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from jiandu.lib.action_errors import add_action_errors


@dataclass(frozen=True)
class Transition:
    form: type
    action: Callable[..., Any]
    done: str
    # The cleaned fields passed to the action by name; None passes them all.
    fields: tuple[str, ...] | None = None
    # Arguments fixed by the route (approve=True for the approval of a request).
    fixed: dict = field(default_factory=dict)

    def run(self, obj, data, user, request):
        names = data.keys() if self.fields is None else self.fields
        kwargs = {name: data[name] for name in names}
        return self.action(obj, actor=user, request=request, **kwargs, **self.fixed)


def run_transition(transition: Transition, obj, form, user, request) -> bool:
    """Validate `form` and run the transition on `obj`. True when it was done; False with
    the errors on the form (the input's or the action's own refusal)."""
    if not form.is_valid():
        return False
    try:
        transition.run(obj, form.cleaned_data, user, request)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return False
    return True
