"""Security headers: CSP without inline script, no-store on pages that show people or
complaints, HSTS and the proxy's HTTPS header only when secure cookies are on."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from jiandu.portal.models import Complaint
from tests.portal.factories import report_form_data


def test_pages_carry_a_csp_without_inline_script(personas, client_for):
    response = client_for(personas["supervisor"]).get("/dashboard/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert script.split() == ["script-src", "'self'"]
    assert "frame-ancestors 'none'" in csp
    public = client_for(None).get("/public/")
    assert "script-src 'self'" in public["Content-Security-Policy"]


def test_no_template_has_inline_script_or_event_handlers():
    import re
    from pathlib import Path

    root = Path(django_settings.BASE_DIR) / "jiandu"
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\son[a-z]+=\"", text)
            or "javascript:" in text
        ):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_pages_with_people_or_complaints_are_not_stored(personas, client_for):
    client = client_for(None)
    data = report_form_data(client, identity="named", name="李四", phone="13900000000")
    assert client.post("/public/report/", data).status_code in (200, 302)
    complaint = Complaint.objects.get()
    supervisor = client_for(personas["supervisor"])
    for url in (
        f"/public/manage/{complaint.pk}/",
        "/public/manage/",
        "/ledger/",
        "/dashboard/",
    ):
        response = supervisor.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    track = client.get(f"/public/track/{complaint.tracking_code}/", follow=True)
    assert "no-store" in track["Cache-Control"]


def test_static_files_keep_their_cache(client):
    response = client.get("/static/js/jiandu.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _settings_with(**env):
    code = (
        "import jiandu.settings as s; "
        "print(getattr(s, 'SECURE_HSTS_SECONDS', 0), getattr(s, 'SECURE_PROXY_SSL_HEADER', None))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JIANDU_SECURE")}
    done = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.slow
def test_hsts_and_proxy_ssl_header_only_with_secure_cookies():
    assert _settings_with(JIANDU_SECURE_COOKIES="true") == (
        "31536000 ('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert _settings_with(JIANDU_SECURE_COOKIES="false") == "0 None"


def test_hsts_header_is_sent_over_https(personas, client_for, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client_for(personas["supervisor"]).get("/dashboard/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_api_docs_page_loads_only_our_own_scripts(client, db):
    """/api/v1/docs (Swagger UI) works under the CSP and fetches nothing from the
    internet: django-ninja's bundled files from /static/, no inline script."""
    import re

    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "https://" not in page
    sources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert sources and all(src.startswith("/static/") for src in sources)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    for src in (s for s in sources if s.endswith(".js")):
        assert client.get(src).status_code == 200
