from django_tasks import task

from jiandu.integrations.webhooks import deliver_due


@task()
def deliver_due_task() -> int:
    """Send the deliveries that are due (a new event's, and any retry whose time came)."""
    return deliver_due()
