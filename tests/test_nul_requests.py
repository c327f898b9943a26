"""A NUL character in a request is answered with a 400 and a Chinese reason before any
view runs (PostgreSQL refuses NUL in text, so a filter holding one used to be a 500)."""

import pytest
from django.urls import reverse

from jiandu.middleware import NUL_MESSAGE
from jiandu.monitoring.models import Alert

pytestmark = pytest.mark.django_db

PAGES = [
    ("monitoring:alerts", {"q": "A\x00"}),
    ("monitoring:alerts", {"rule": "DISC-01\x00", "format": "xlsx"}),
    ("ledger:problems", {"q": "\x00"}),
    ("ledger:problems", {"focus_area\x00": "1"}),
    ("enforcement:cases", {"q": "平市\x00"}),
    ("portal:complaints", {"q": "\x00"}),
]


@pytest.mark.parametrize("name,query", PAGES)
def test_nul_in_a_query_is_refused_with_a_reason(name, query, personas, client_for):
    response = client_for(personas["supervisor"]).get(reverse(name), query)
    assert response.status_code == 400
    assert response.content.decode() == NUL_MESSAGE


def test_nul_in_a_form_or_a_path_is_refused_and_changes_nothing(client, personas, client_for):
    response = client.post(reverse("login"), {"username": "sup\x00", "password": "x"})
    assert response.status_code == 400 and response.content.decode() == NUL_MESSAGE
    assert client.get("/public/track/A\x00B/").status_code == 400
    before = Alert.objects.count()
    response = client_for(personas["supervisor"]).post(
        reverse("monitoring:alerts"), {"note": "正常\x00"}
    )
    assert response.status_code == 400 and Alert.objects.count() == before


def test_requests_without_nul_pass(personas, client_for):
    response = client_for(personas["supervisor"]).get(reverse("monitoring:alerts"), {"q": "甲"})
    assert response.status_code == 200
