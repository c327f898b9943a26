"""What the pages of every campaign phase share (监督检查 in `supervision`, 总结验收 and
the showcases in `acceptance`): the campaign from the URL, running an action for a posted
form, and the form's errors as one line."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from jiandu.campaigns.models import Campaign
from jiandu.lib.action_errors import add_action_errors

PER_PAGE = 30


def campaign_or_404(pk):
    return get_object_or_404(Campaign.objects.prefetch_related("phases"), pk=pk)


def run_action(form, action, *args, **kwargs):
    """Call the action; on a ValidationError its messages go onto the form (next to the
    fields they name) and the result is None, so the view re-renders what was typed."""
    try:
        return action(*args, **kwargs)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None


def form_messages(form) -> list[str]:
    """Every error of the form, field and non-field, in order."""
    return [e for errs in form.errors.values() for e in errs]
