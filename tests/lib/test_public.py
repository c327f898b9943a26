"""public_url: links that leave the browser use JIANDU_PUBLIC_URL, never the request's host."""

from jiandu.lib.public import public_url


def test_public_url_joins_the_setting_and_the_path(settings):
    settings.JIANDU_PUBLIC_URL = "https://jiandu.example.gov.cn/"
    assert public_url("/ledger/5/") == "https://jiandu.example.gov.cn/ledger/5/"
    assert public_url("ledger/5/") == "https://jiandu.example.gov.cn/ledger/5/"
    settings.JIANDU_PUBLIC_URL = "https://gov.example.cn/jiandu"
    assert public_url("/public/") == "https://gov.example.cn/jiandu/public/"


def test_without_the_setting_the_path_stays_relative(settings):
    settings.JIANDU_PUBLIC_URL = ""
    assert public_url("/ledger/5/") == "/ledger/5/"
