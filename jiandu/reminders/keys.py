"""How a watched item is named in the reminders' tables."""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import ObjectDoesNotExist


def item_key(obj) -> str:
    """ "ledger.problem:12" for a model object; a unit's self-check report is named by its
    campaign and unit ("selfcheck:3:7"), since the ladder watches it before it exists."""
    label = obj._meta.label_lower
    if label == "selfcheck.selfcheckreport":
        return selfcheck_key(obj.campaign_id, obj.unit_id)
    return f"{label}:{obj.pk}"


def selfcheck_key(campaign_id, unit_id) -> str:
    return f"selfcheck:{campaign_id}:{unit_id}"


@dataclass
class Watched:
    """A watched item as the pause and the history see it."""

    key: str
    label: str
    unit: object = None

    @cached_property
    def pause(self):
        from jiandu.reminders.models import ReminderPause

        return ReminderPause.objects.filter(item_key=self.key, resumed_at__isnull=True).first()


def watched(obj) -> Watched:
    label = obj._meta.label_lower
    if label == "selfcheck.selfcheckreport":
        return Watched(item_key(obj), f"{obj.unit.name}{obj.campaign.title}自查表", obj.unit)
    if label == "portal.complaint":
        return Watched(item_key(obj), f"举报{obj.reference}", obj.unit)
    return Watched(item_key(obj), str(obj)[:200], getattr(obj, "unit", None))


def resolve(key: str) -> Watched | None:
    """The item a key names, or None when it is malformed or gone."""
    from django.apps import apps

    try:
        if key.startswith("selfcheck:"):
            from jiandu.campaigns.models import Campaign
            from jiandu.orgs.models import Unit

            _, campaign_id, unit_id = key.split(":")
            campaign = Campaign.objects.get(pk=int(campaign_id))
            unit = Unit.objects.get(pk=int(unit_id))
            return Watched(key, f"{unit.name}{campaign.title}自查表", unit)
        label, pk = key.split(":")
        if label not in WATCHED_MODELS:
            return None
        return watched(apps.get_model(label).objects.get(pk=int(pk)))
    except (ValueError, LookupError, ObjectDoesNotExist):
        return None


WATCHED_MODELS = {"ledger.problem", "ledger.lead", "portal.complaint", "supervision.instrument"}
