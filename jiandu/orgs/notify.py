from jiandu.orgs.models import Notification


def notify(users, title: str, body: str = "", url: str = "", important: bool = False) -> int:
    """Send an in-app notification to each user; returns how many were written."""
    rows = [
        Notification(user=u, title=title[:200], body=body, url=url[:300], important=important)
        for u in users
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)
