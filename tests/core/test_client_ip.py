"""The client's address behind a reverse proxy: X-Forwarded-For is believed only from the
proxies in JIANDU_TRUSTED_PROXIES, and the portal's per-address limits count by it."""

import pytest
from django.test import Client, RequestFactory

from jiandu.audit.log import client_ip

PROXY = "10.0.0.5"


def request(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request(PROXY, "1.2.3.4")) == PROXY


def test_from_a_trusted_proxy_the_client_is_the_last_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.168.9.9"]
    assert client_ip(request(PROXY, "1.2.3.4")) == "1.2.3.4"
    # The client wrote "6.6.6.6" itself; the proxies appended what they saw.
    assert client_ip(request(PROXY, "6.6.6.6, 1.2.3.4, 192.168.9.9")) == "1.2.3.4"
    assert client_ip(request(PROXY, "2001:db8::1")) == "2001:db8::1"
    assert client_ip(request(PROXY)) == PROXY
    assert client_ip(request(PROXY, "not-an-address")) == PROXY


def test_a_dual_stack_server_sees_the_same_proxy_and_client(settings):
    """Served on [::] (`jiandu serve --host ::`), an IPv4 peer arrives as ::ffff:a.b.c.d:
    it is still the trusted proxy, and a client is counted by one address either way."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    assert client_ip(request("::ffff:127.0.0.1", "1.2.3.4")) == "1.2.3.4"
    assert client_ip(request("::ffff:10.0.0.5", "::ffff:1.2.3.4")) == "1.2.3.4"
    assert client_ip(request("::ffff:8.8.8.8", "1.2.3.4")) == "8.8.8.8"


def test_an_untrusted_peer_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_ip(request("8.8.8.8", "1.2.3.4")) == "8.8.8.8"


@pytest.mark.django_db
def test_portal_limits_count_each_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.PORTAL_RATE_LIMITS = {"captcha": (2, 600)}

    def new_captcha(forwarded, remote=PROXY):
        return Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).get(
            "/public/captcha/new/"
        )

    assert [new_captcha("1.1.1.1").status_code for _ in range(3)] == [200, 200, 429]
    # Another visitor behind the same proxy has their own allowance...
    assert new_captcha("2.2.2.2").status_code == 200
    # ...but a visitor who talks to us directly cannot reset theirs by forging the header.
    assert [new_captcha(f"3.3.3.{i}", remote="9.9.9.9").status_code for i in range(3)] == [
        200,
        200,
        429,
    ]
