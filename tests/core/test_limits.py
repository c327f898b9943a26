"""Oversized bodies are refused before they are read (by Content-Length, and while
reading a chunked body); imports have their own larger limit; free text has a maximum
length with a Chinese message."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jiandu.monitoring.forms import ReasonForm
from jiandu.portal.models import CaptchaChallenge, Complaint


def test_a_body_over_the_limit_is_refused_by_its_content_length(settings, db, client):
    settings.REQUEST_MAX_BYTES = 10_000
    before = CaptchaChallenge.objects.count()
    response = client.post(
        "/public/report/", {"description": "x"}, CONTENT_LENGTH=str(50 * 1024 * 1024)
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "提交的内容过大" in page and "未被接收" in page
    assert "举报曝光平台" in page  # the public page is answered in the portal's layout
    assert not Complaint.objects.exists()
    assert CaptchaChallenge.objects.count() == before  # no view ran


def test_a_chunked_body_is_read_only_up_to_the_limit(settings, personas, client_for):
    settings.REQUEST_MAX_BYTES = 10_000
    client = client_for(personas["supervisor"])
    body = "description=" + "长" * 20_000

    def chunked(text):
        # As a server hands over a chunked body: a stream, and no Content-Length.
        return client.generic(
            "POST",
            "/ledger/new/",
            CONTENT_TYPE="application/x-www-form-urlencoded",
            CONTENT_LENGTH="",
            HTTP_TRANSFER_ENCODING="chunked",
            **{"wsgi.input": io.BytesIO(text.encode())},
        )

    assert chunked(body).status_code == 413
    # A small chunked form still arrives whole: Django itself would read no body at all.
    response = chunked("description=" + "短文本")
    assert response.status_code == 400  # the form's own answer: other fields are missing
    assert "短文本" in response.content.decode()


def test_imports_have_their_own_larger_limit(settings, personas, client_for):
    settings.REQUEST_MAX_BYTES = 10_000
    settings.INTAKE_MAX_BYTES = 10 * 1024 * 1024
    client = client_for(personas["supervisor"])

    def upload():
        return SimpleUploadedFile("cases.xlsx", b"0" * 50_000)

    ok = client.post("/intake/", {"kind": "cases", "file": upload()})
    assert ok.status_code != 413
    assert client.post("/ledger/new/", {"file": upload()}).status_code == 413
    too_big = client.post("/intake/", {}, CONTENT_LENGTH=str(20 * 1024 * 1024))
    assert too_big.status_code == 413
    # The API holds its records in memory: it takes what Django reads into memory.
    over = str(settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    api = Client().post("/api/v1/import/cases", {}, CONTENT_LENGTH=over)
    assert api.status_code == 413


def test_only_a_signed_in_import_gets_the_larger_limit(settings, personas, client_for):
    """A visitor who is not signed in cannot make the server read an import-sized body:
    the import page's larger limit is for signed-in users, and the API reads no more
    than it can hold in memory."""
    settings.REQUEST_MAX_BYTES = 10_000
    settings.INTAKE_MAX_BYTES = 10 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    body = b"x" * 15_000

    def chunked(client, path):
        return client.generic(
            "POST",
            path,
            CONTENT_TYPE="application/octet-stream",
            CONTENT_LENGTH="",
            HTTP_TRANSFER_ENCODING="chunked",
            **{"wsgi.input": io.BytesIO(body)},
        )

    assert chunked(Client(), "/intake/").status_code == 413
    signed_in = chunked(client_for(personas["supervisor"]), "/intake/")
    assert signed_in.status_code != 413
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api = chunked(Client(), "/api/v1/import/cases")
    assert api.status_code == 413 and api["Content-Type"].startswith("application/json")


def test_free_text_has_a_maximum_length_with_a_chinese_message(settings, personas, client_for):
    settings.TEXT_MAX_CHARS = 5000  # the default
    text = "描" * 5001
    response = client_for(personas["supervisor"]).post("/ledger/new/", {"description": text})
    page = response.content.decode()
    assert "确保该变量包含不超过 5000 字符 (目前字符数 5001)" in page
    assert 'maxlength="5000"' in page
    # Any form's field without its own max_length, in every app.
    form = ReasonForm({"reason": text})
    assert not form.is_valid()
    assert "5000" in form.errors["reason"][0]
    assert ReasonForm({"reason": "理由" * 100}).is_valid()
