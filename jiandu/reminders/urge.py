"""催报's history: the self-check's 催报 (selfcheck.actions.remind_units) sends the
`urged` signal; each notice it sent becomes a ReminderLog row (step 催报, in-app), so the
report page and the unit's page show it beside the ladder's reminders."""

from django.utils import timezone

from jiandu.reminders.keys import selfcheck_key
from jiandu.reminders.models import Channel, ReminderLog, Step
from jiandu.selfcheck.signals import urged


def record_urge(sender, *, campaign, unit, users, actor, url, text, deadline=None, **kwargs):
    today = timezone.localdate()
    ReminderLog.objects.bulk_create(
        [
            ReminderLog(
                day=today,
                item_key=selfcheck_key(campaign.pk, unit.pk),
                kind="selfcheck",
                item_label=f"{campaign.title}自查表",
                unit=unit,
                deadline=deadline,
                step=Step.URGE,
                channel=Channel.INAPP,
                recipient=user,
                recipient_key=f"user:{user.pk}",
                recipient_label=user.display_name,
                subject_url=url,
                text=text,
                attempts=1,
                sent_by=actor,
            )
            for user in users
        ],
        # A second 催报 the same day to the same person: the audit trail has it.
        ignore_conflicts=True,
    )


def connect():
    urged.connect(record_urge, dispatch_uid="reminders.record_urge")
