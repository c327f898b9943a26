from django.db import transaction

from jiandu.orgs.models import Notification


def notify(users, title: str, body: str = "", url: str = "", important: bool = False) -> int:
    """Send an in-app notification to each user; returns how many there are. The rows are
    written when the transaction around the call commits (at once outside one), so a
    transition refused or rolled back after it asked to notify leaves no notice behind."""
    users = list(users)
    rows = [
        Notification(user=u, title=title[:200], body=body, url=url[:300], important=important)
        for u in users
    ]
    transaction.on_commit(lambda: Notification.objects.bulk_create(rows))
    return len(rows)
