"""A progress note whose text was missing keeps the files chosen with it: the page shown
again lists them, and the corrected post attaches them without choosing them again."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.documents.models import PendingUpload
from jiandu.documents.uploads import attachments_of
from jiandu.ledger.models import Problem
from tests.ledger.test_pages import PNG

S = Problem.State
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def kept_tokens(html, name="progress-files-kept"):
    return re.findall(rf'name="{name}" value="([0-9a-f]+)"', html)


def test_files_survive_a_missing_note_and_are_attached_on_the_corrected_post(
    personas, make_problem, client_for
):
    problem = make_problem("a", state=S.IN_PROGRESS)
    client = client_for(personas["clerk_a"])
    url = f"/ledger/{problem.pk}/progress/"
    photo = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    plan = SimpleUploadedFile("整改方案.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"progress-text": "", "progress-files": [photo, plan]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写整改进展。" in html
    assert "已上传：现场照片.png" in html and "已上传：整改方案.pdf" in html
    tokens = kept_tokens(html)
    assert len(tokens) == 2
    assert not problem.notes.exists()

    # The corrected post: the note typed, no file chosen again.
    response = client.post(url, {"progress-text": "已整改到位", "progress-files-kept": tokens})
    assert response.status_code == 302
    note = problem.notes.get()
    names = sorted(a.original_name for a in attachments_of(note))
    assert names == ["整改方案.pdf", "现场照片.png"]
    pdf = attachments_of(note).get(original_name="整改方案.pdf")
    with pdf.file.open("rb") as fh:
        assert fh.read() == PDF
    assert not PendingUpload.objects.exists()  # the kept copies are gone once attached
    body = client.get(f"/ledger/{problem.pk}/").content.decode()
    assert "现场照片.png" in body


def test_htmx_post_shows_the_kept_files_too(personas, make_problem, client_for):
    problem = make_problem("a", state=S.IN_PROGRESS)
    response = client_for(personas["clerk_a"]).post(
        f"/ledger/{problem.pk}/progress/",
        {"progress-files": [SimpleUploadedFile("a.pdf", PDF)]},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "已上传：a.pdf" in html and len(kept_tokens(html)) == 1


def test_a_bad_file_is_named_and_the_good_one_beside_it_is_kept(personas, make_problem, client_for):
    problem = make_problem("a", state=S.IN_PROGRESS)
    client = client_for(personas["clerk_a"])
    url = f"/ledger/{problem.pk}/progress/"
    bad = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    good = SimpleUploadedFile("整改方案.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"progress-text": "已整改", "progress-files": [bad, good]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件“病毒.pdf”的类型不被接受" in html
    assert "其余文件已保留，无需重新选择。" in html
    assert "已上传：整改方案.pdf" in html and "已上传：病毒.pdf" not in html
    assert not problem.notes.exists()
    response = client.post(
        url, {"progress-text": "已整改", "progress-files-kept": kept_tokens(html)}
    )
    assert response.status_code == 302
    note = problem.notes.get()
    assert [a.original_name for a in attachments_of(note)] == ["整改方案.pdf"]


def test_unticking_a_kept_file_leaves_it_out(personas, make_problem, client_for):
    problem = make_problem("a", state=S.IN_PROGRESS)
    client = client_for(personas["clerk_a"])
    url = f"/ledger/{problem.pk}/progress/"
    response = client.post(url, {"progress-files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert kept_tokens(response.content.decode())
    response = client.post(url, {"progress-text": "已整改"})  # box unticked: no token sent
    assert response.status_code == 302
    assert not attachments_of(problem.notes.get()).exists()


def test_a_kept_file_is_the_uploaders_only(personas, make_problem, client_for):
    """Another user (here the unit's leader) who learns a token gets nothing from it."""
    problem = make_problem("a", state=S.IN_PROGRESS)
    url = f"/ledger/{problem.pk}/progress/"
    response = client_for(personas["clerk_a"]).post(
        url, {"progress-files": [SimpleUploadedFile("a.pdf", PDF)]}
    )
    tokens = kept_tokens(response.content.decode())
    response = client_for(personas["leader_a"]).post(
        url, {"progress-text": "已整改", "progress-files-kept": tokens}
    )
    assert response.status_code == 400
    assert "先前上传的 1 个文件已失效" in response.content.decode()
    assert not problem.notes.exists()
    assert PendingUpload.objects.count() == 1  # still clerk_a's


def test_a_kept_file_gone_stale_is_reported_not_silently_dropped(
    personas, make_problem, client_for
):
    problem = make_problem("a", state=S.IN_PROGRESS)
    client = client_for(personas["clerk_a"])
    url = f"/ledger/{problem.pk}/progress/"
    response = client.post(url, {"progress-files": [SimpleUploadedFile("a.pdf", PDF)]})
    tokens = kept_tokens(response.content.decode())
    PendingUpload.objects.all().delete()  # as the sweep does after a day
    response = client.post(url, {"progress-text": "已整改", "progress-files-kept": tokens})
    assert response.status_code == 400
    assert "先前上传的 1 个文件已失效（保留不超过 24 小时），请重新选择。" in (
        response.content.decode()
    )
    assert not problem.notes.exists()
