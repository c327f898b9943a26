"""Protection of complainants and of the pages: escaping, uploads, encryption at rest,
identity only for allowed roles and audited, scoping of the handling pages."""

import io

from django.db import connection
from PIL import Image

from jiandu.audit.models import AuditEvent
from jiandu.documents.models import Attachment
from jiandu.portal import actions
from jiandu.portal.models import Complaint

XSS = "<script>alert(1)</script>"


def png_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Maker"  # Make
    out = io.BytesIO()
    img.save(out, format="PNG", exif=exif)
    return out.getvalue()


def blank_pdf() -> bytes:
    import pikepdf

    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page()
        pdf.save(out)
    return out.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_script_in_every_text_field_is_inert_on_tracking_and_handler_pages(
    submit, units, personas, client_for
):
    public = client_for(None)
    _, c = submit(
        public, description=XSS, place=XSS, identity="named", name=XSS, phone="13900001111"
    )
    sup = personas["supervisor"]
    actions.accept_complaint(c, actor=sup, note=XSS)
    actions.assign_complaint(c, unit=units["a"], actor=sup, note=XSS)
    actions.add_supplement(c, text=XSS)
    actions.reply_complaint(c, actor=personas["clerk_a"], text=XSS)
    actions.close_complaint(c, actor=sup, result=XSS)
    pages = [
        public.get(f"/public/track/{c.tracking_code}/"),
        client_for(sup).get(f"/public/manage/{c.pk}/"),
        client_for(sup).post(f"/public/manage/{c.pk}/identity/"),
        client_for(personas["clerk_a"]).get(f"/public/manage/{c.pk}/"),
        client_for(sup).get("/public/manage/"),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert XSS not in html
    track = pages[0].content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in track
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[2].content.decode()


def test_upload_with_spoofed_extension_is_refused_in_chinese_and_nothing_is_stored(
    submit, client_for
):
    public = client_for(None)
    before = (Complaint.objects.count(), Attachment.objects.count())
    fake = upload("photo.jpg", b"MZ\x90\x00 this is a program, not a photo" * 20, "image/jpeg")
    response, created = submit(public, files=[fake])
    assert response.status_code == 400
    html = response.content.decode()
    assert "类型不被接受" in html and "请重新选择该文件" in html
    assert created is None
    assert (Complaint.objects.count(), Attachment.objects.count()) == before
    # What was typed is kept.
    assert "检查人员一个月来了三次" in html


def test_office_document_is_not_a_public_upload(submit, client_for):
    docx = b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml" + b"\x00" * 200
    response, created = submit(client_for(None), files=[upload("a.docx", docx)])
    assert response.status_code == 400 and created is None


def test_image_is_stored_without_metadata_and_pdf_is_accepted(submit, client_for, personas):
    pdf = blank_pdf()
    response, c = submit(
        client_for(None),
        files=[upload("现场.png", png_with_exif(), "image/png"), upload("罚单.pdf", pdf)],
    )
    assert response.status_code == 302
    from jiandu.documents.uploads import attachments_of

    atts = list(attachments_of(c))
    assert sorted(a.extension for a in atts) == ["pdf", "png"]
    png = next(a for a in atts if a.extension == "png")
    data = png.file.open("rb").read()
    assert b"SpyCam" not in data
    # The supervisor downloads it; a unit that is not handling the complaint cannot.
    assert (
        client_for(personas["supervisor"]).get(f"/public/manage/files/{png.pk}/").status_code == 200
    )
    assert client_for(personas["clerk_b"]).get(f"/public/manage/files/{png.pk}/").status_code == 404
    # Only the opening that was allowed is in the audit trail, with who opened which file.
    from jiandu.audit.models import AuditEvent

    opened = AuditEvent.objects.filter(action="portal.attachment.opened")
    assert [(e.actor_id, e.data["attachment"]) for e in opened] == [
        (personas["supervisor"].pk, png.pk)
    ]


def test_identity_is_unreadable_in_the_database(submit, client_for):
    _, c = submit(client_for(None), identity="named", name="李秘密", phone="13712345678")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name_cipher, phone_cipher, description FROM portal_complaint WHERE id = %s",
            [c.pk],
        )
        name_raw, phone_raw, _desc = cursor.fetchone()
    assert name_raw and phone_raw
    for raw in (name_raw, phone_raw):
        assert "李秘密" not in raw and "13712345678" not in raw and "5678" not in raw
    # Nor anywhere in the audit trail.
    for data, repr_ in AuditEvent.objects.values_list("data", "object_repr"):
        assert "李秘密" not in f"{data}{repr_}" and "13712345678" not in f"{data}{repr_}"


def test_assigned_unit_never_sees_identity_and_cannot_reveal_it(
    submit, units, personas, client_for
):
    _, c = submit(client_for(None), identity="named", name="王实名", phone="13600002222")
    actions.accept_complaint(c, actor=personas["supervisor"])
    actions.assign_complaint(c, unit=units["a"], actor=personas["supervisor"])
    for who in ("clerk_a", "leader_a"):
        client = client_for(personas[who])
        html = client.get(f"/public/manage/{c.pk}/").content.decode()
        assert "王实名" not in html and "13600002222" not in html and "显示身份" not in html
        assert "王*" not in client.get("/public/manage/").content.decode()
        assert client.post(f"/public/manage/{c.pk}/identity/").status_code == 403
    assert not AuditEvent.objects.filter(action="portal.identity.viewed").exists()


def test_reading_identity_is_audited_for_supervisor_and_discipline(submit, personas, client_for):
    _, c = submit(client_for(None), identity="named", name="赵可见", phone="13500003333")
    sup = client_for(personas["supervisor"])
    list_html = sup.get("/public/manage/").content.decode()
    assert "赵可见" not in list_html and "13500003333" not in list_html
    assert "赵*" in list_html and "135****3333" in list_html
    detail = sup.get(f"/public/manage/{c.pk}/").content.decode()
    assert "赵可见" not in detail and "显示身份" in detail
    shown = sup.post(f"/public/manage/{c.pk}/identity/", HTTP_HX_REQUEST="true").content.decode()
    assert "赵可见" in shown and "13500003333" in shown
    client_for(personas["discipline"]).post(f"/public/manage/{c.pk}/identity/")
    viewers = AuditEvent.objects.filter(action="portal.identity.viewed", object_id=str(c.pk))
    assert set(viewers.values_list("actor__username", flat=True)) == {"supervisor", "discipline"}


def test_inspector_and_other_units_see_no_complaints(submit, units, personas, client_for):
    _, c = submit(client_for(None))
    actions.accept_complaint(c, actor=personas["supervisor"])
    actions.assign_complaint(c, unit=units["a"], actor=personas["supervisor"])
    for who in ("clerk_b", "leader_b", "inspector"):
        client = client_for(personas[who])
        assert client.get(f"/public/manage/{c.pk}/").status_code == 404
        assert c.tracking_code not in client.get("/public/manage/").content.decode()
    assert client_for(None).get("/public/manage/").status_code == 302  # to the login page


def test_odd_unit_filter_on_the_handling_list_is_ignored_not_a_server_error(
    submit, personas, client_for
):
    _, c = submit(client_for(None))
    sup = client_for(personas["supervisor"])
    for odd in ("99999999999999999999999", "²", "x"):
        response = sup.get("/public/manage/", {"unit": odd})
        assert response.status_code == 200
        assert c.reference in response.content.decode()


def test_list_page_query_count_does_not_grow_with_rows(submit, personas, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    public = client_for(None)
    sup = client_for(personas["supervisor"])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert sup.get("/public/manage/").status_code == 200
        return len(ctx.captured_queries)

    submit(public)
    few = queries()
    for _ in range(4):
        submit(public)
    assert queries() == few


def test_complaint_and_its_files_are_stored_together_or_not_at_all(
    submit, client_for, monkeypatch, settings
):
    """A failure after the files were written (here: the audit row) leaves no complaint,
    no attachment row and no file on disk."""
    from pathlib import Path

    from jiandu.portal import actions as portal_actions

    def broken_log(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from jiandu.documents.uploads import check_upload

    # An image no other test uses, so parallel workers writing files do not interfere.
    img = io.BytesIO()
    Image.new("RGB", (17, 13), (1, 2, 3)).save(img, format="PNG")
    digest = check_upload(SimpleUploadedFile("x.png", img.getvalue())).sha256
    media = Path(settings.MEDIA_ROOT)

    def stored():
        if not media.exists():
            return 0
        return sum(
            1 for p in media.rglob("*.png") if hashlib.sha256(p.read_bytes()).hexdigest() == digest
        )

    before = stored()
    monkeypatch.setattr(portal_actions, "log", broken_log)
    client = client_for(None)
    client.raise_request_exception = False
    response, created = submit(client, files=[upload("现场.png", img.getvalue(), "image/png")])
    assert response.status_code == 500
    assert created is None and not Complaint.objects.exists() and not Attachment.objects.exists()
    assert stored() == before
