"""X-Forwarded-Proto makes Django treat a request as HTTPS (SECURE_PROXY_SSL_HEADER).
With JIANDU_TRUSTED_PROXIES set, only those proxies may say so; without it the header
is believed as before (the proxy must then be the only way in)."""

import pytest

PROXY = "10.0.0.5"


@pytest.fixture
def behind_tls(settings):
    # What JIANDU_SECURE_COOKIES=1 sets, plus a redirect that shows how Django saw it:
    # a request Django thinks is plain HTTP is sent to https://.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    return settings


def _get(client, peer, proto=None):
    extra = {"REMOTE_ADDR": peer}
    if proto:
        extra["HTTP_X_FORWARDED_PROTO"] = proto
    return client.get("/login/", **extra)


def _seen_as_https(response) -> bool:
    if response.status_code == 301:
        assert response["Location"].startswith("https://")
        return False
    assert response.status_code == 200
    return True


def test_a_trusted_proxy_may_say_https(behind_tls, client):
    behind_tls.TRUSTED_PROXIES = ["10.0.0.0/24"]
    response = _get(client, PROXY, "https")
    assert _seen_as_https(response)
    assert "Strict-Transport-Security" in response


def test_any_other_peer_cannot_claim_https(behind_tls, client):
    behind_tls.TRUSTED_PROXIES = ["10.0.0.0/24"]
    response = _get(client, "203.0.113.7", "https")
    assert not _seen_as_https(response)
    assert "Strict-Transport-Security" not in response
    # Through the proxy without the header, the request is plain HTTP as well.
    assert not _seen_as_https(_get(client, PROXY))


def test_an_ipv4_mapped_proxy_address_is_the_same_proxy(behind_tls, client):
    behind_tls.TRUSTED_PROXIES = ["10.0.0.5"]
    assert _seen_as_https(_get(client, "::ffff:10.0.0.5", "https"))


def test_without_trusted_proxies_the_header_is_believed_as_before(behind_tls, client):
    behind_tls.TRUSTED_PROXIES = []
    assert _seen_as_https(_get(client, "203.0.113.7", "https"))
    assert not _seen_as_https(_get(client, "203.0.113.7"))
