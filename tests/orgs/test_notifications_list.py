"""The notification list on the list toolkit: the count and the pager with its size choice."""

import pytest

from jiandu.orgs.notify import notify

pytestmark = pytest.mark.django_db


def test_notifications_count_and_page_by_the_chosen_size(
    personas, client_for, django_capture_on_commit_callbacks
):
    user = personas["clerk_a"]
    for i in range(25):
        with django_capture_on_commit_callbacks(execute=True):
            notify([user], f"通知{i:02d}")
    client = client_for(user)
    html = client.get("/notifications/").content.decode()
    assert "共 25 条" in html and "通知24" in html and "通知00" in html  # one page of 50
    assert 'href="?size=20"' in html
    html = client.get("/notifications/?size=20").content.decode()
    assert "第 1 / 2 页" in html and "通知24" in html and "通知04" not in html
    html = client.get("/notifications/?size=20&page=2").content.decode()
    assert "通知04" in html and "通知05" not in html
