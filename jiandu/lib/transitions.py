"""How a view runs a named transition from a posted form: one declared row per
transition (form, action, the cleaned fields it takes, the success message) instead of a
table of lambdas. Each app's view keeps its own page and response; this only settles
how the form's data reaches the action and how the action's refusal reaches the form."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone

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


def allowed(checks: dict[str, Callable], obj, user, today=None) -> set[str]:
    """The names in `checks` (name -> check_<name>(obj, actor, today)) whose check passes
    for `user` now: what every app's `available_actions` answers, and the pages show."""
    passed = set()
    for name, check in checks.items():
        try:
            check(obj, user, today)
        except (PermissionDenied, ValidationError):
            continue
        passed.add(name)
    return passed


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


def transition_forms(transitions: dict, labels: dict, names, bound=None) -> dict:
    """The forms of an object's page: one per transition in `names` (what its
    `available_actions` allows now), in the order of `transitions`, each with its label;
    a form in `bound` (posted and refused) is shown as it was posted."""
    bound = bound or {}
    return {
        name: {"form": bound.get(name) or t.form(prefix=name), "label": labels[name]}
        for name, t in transitions.items()
        if name in names
    }


def post_transition(request, obj, name, transitions, checks, form, page, done=None):
    """The POST of transition `name`'s form on `obj`'s page. `checks[name](obj, user,
    today)` first: its refusal is a message and back to the page. Then `run_transition`:
    done, `done(form)` if given, the success message and back to the page; the input or
    the action refused, the page again: `page(request, obj, bound={name: form}, status=400)`."""
    transition = transitions[name]
    try:
        checks[name](obj, request.user, timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(obj)
    if run_transition(transition, obj, form, request.user, request):
        if done is not None:
            done(form)
        messages.success(request, transition.done)
        return redirect(obj)
    obj.refresh_from_db()
    return page(request, obj, bound={name: form}, status=400)


@dataclass
class BulkResult:
    """What `run_bulk` did: the objects moved on, and the refused ones with the reason
    each was refused (the action's own Chinese message)."""

    done: list = field(default_factory=list)
    refused: list[tuple[Any, str]] = field(default_factory=list)

    def refused_text(self, name: Callable[[Any], str] = str) -> str:
        """The refused rows by name, for a message: "X：已排除，不能再处理；Y：…"."""
        return "；".join(f"{name(obj)}：{reason}" for obj, reason in self.refused)


def _reasons(exc) -> str:
    messages = getattr(exc, "messages", None) or [str(exc) or "没有权限。"]
    return "；".join(str(m) for m in messages)


def run_bulk(transition: Transition, objects, data: dict, user, request=None) -> BulkResult:
    """Run one declared transition on each of `objects` with the same input `data` (a
    form's cleaned data, validated once by the caller). Each object is its own
    transition — its own lock, check, write, audit row and notification — inside its own
    savepoint, so an object that is refused (wrong state, not allowed: PermissionDenied
    or ValidationError) leaves nothing half-written and the others still happen.

    Used by the bulk forms of the alert list and the extension queue; any list whose
    rows share one transition (bulk acceptance, …) can use it the same way."""
    result = BulkResult()
    for obj in objects:
        try:
            with transaction.atomic():
                transition.run(obj, data, user, request)
        except (PermissionDenied, ValidationError) as exc:
            result.refused.append((obj, _reasons(exc)))
        else:
            result.done.append(obj)
    return result
