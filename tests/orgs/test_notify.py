"""notify() writes its rows when the transaction around it commits: a transition that is
rolled back after asking to notify leaves no notice behind."""

import pytest
from django.db import transaction

from jiandu.orgs.models import Notification
from jiandu.orgs.notify import notify

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


def test_a_rolled_back_transaction_writes_no_notification(
    personas, django_capture_on_commit_callbacks
):
    users = [personas["clerk_a"], personas["leader_a"]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Refused), transaction.atomic():
            assert notify(users, "督办：问题 #1 逾期未整改", important=True) == 2
            raise Refused
    assert callbacks == []
    assert not Notification.objects.exists()


def test_a_committed_transaction_writes_the_notifications(
    personas, django_capture_on_commit_callbacks
):
    users = [personas["clerk_a"], personas["leader_a"]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            assert notify(users, "督办：问题 #1 逾期未整改", url="/ledger/1/") == 2
            assert not Notification.objects.exists()  # not before the commit
    assert len(callbacks) == 1
    notes = Notification.objects.all()
    assert {n.user.username for n in notes} == {"clerk_a", "leader_a"}
    assert all(n.title == "督办：问题 #1 逾期未整改" and n.url == "/ledger/1/" for n in notes)
