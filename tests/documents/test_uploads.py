import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from jiandu.documents.uploads import (
    PUBLIC_ALLOWED,
    MultipleFileField,
    check_upload,
    save_attachment,
)
from jiandu.orgs.models import Notification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (20, 20), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0132] = "2026:01:01 10:00:00"
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active["A1"] = "x"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_pdf_is_accepted_by_content():
    checked = check_upload(SimpleUploadedFile("整改报告.pdf", PDF))
    assert checked.extension == "pdf" and checked.name == "整改报告.pdf"


def test_text_disguised_as_pdf_is_refused_with_a_chinese_message():
    with pytest.raises(ValidationError) as err:
        check_upload(SimpleUploadedFile("假的.pdf", b"just text, not a pdf"))
    assert "类型不被接受" in err.value.messages[0]


def test_executable_renamed_to_jpg_is_refused():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200))


def test_office_file_is_recognised_as_xlsx_even_with_a_wrong_name():
    checked = check_upload(SimpleUploadedFile("表格.pdf", xlsx_bytes()))
    assert checked.extension == "xlsx"


def test_public_uploads_take_only_images_and_pdf():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("表格.xlsx", xlsx_bytes()), allowed=PUBLIC_ALLOWED)


def test_several_files_in_one_field_report_every_bad_one():
    field = MultipleFileField(check={"allowed": PUBLIC_ALLOWED}, max_files=3)
    good = SimpleUploadedFile("现场照片.jpg", jpeg_with_exif())
    with pytest.raises(ValidationError) as exc:
        field.clean(
            [
                good,
                SimpleUploadedFile("a.txt", b"hello"),
                SimpleUploadedFile("b.xlsx", xlsx_bytes()),
            ]
        )
    assert [m.split("”")[0] for m in exc.value.messages] == ["文件“a.txt", "文件“b.xlsx"]
    with pytest.raises(ValidationError, match="最多上传 3 个附件"):
        field.clean([SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(4)])
    good.seek(0)
    checked = field.clean([good, SimpleUploadedFile("说明.pdf", PDF)])
    assert [(c.name, c.extension) for c in checked] == [
        ("现场照片.jpg", "jpg"),
        ("说明.pdf", "pdf"),
    ]
    assert b"SecretCam" not in checked[0].data
    assert field.clean(None) == [] and field.clean([]) == []


def test_unchecked_multiple_file_field_gives_the_uploads_back():
    field = MultipleFileField(required=True)
    upload = SimpleUploadedFile("a.txt", b"hello")
    assert field.clean([upload]) == [upload]
    with pytest.raises(ValidationError):
        field.clean([])


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as err:
        check_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))
    assert "超过大小限制" in err.value.messages[0]


def test_image_metadata_is_stripped():
    original = jpeg_with_exif()
    assert b"SecretCam" in original
    checked = check_upload(SimpleUploadedFile("现场.jpg", original))
    assert b"SecretCam" not in checked.data
    assert not Image.open(io.BytesIO(checked.data)).getexif()


def _attachment_of_unit_a(personas, units):
    # Any model instance can own an attachment; a notification keeps the test independent of other apps.
    owner = Notification.objects.create(user=personas["clerk_a"], title="t")
    return save_attachment(
        check_upload(SimpleUploadedFile("甲镇材料.pdf", PDF)),
        owner=owner,
        unit=units["a"],
        user=personas["clerk_a"],
    )


def test_download_is_scoped_to_the_unit(personas, units, client_for):
    att = _attachment_of_unit_a(personas, units)
    url = f"/files/{att.pk}/"
    response = client_for(personas["clerk_a"]).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "filename*=utf-8''%e7%94%b2" in response["Content-Disposition"].lower()
    assert client_for(personas["supervisor"]).get(url).status_code == 200
    assert client_for(personas["discipline"]).get(url).status_code == 200
    assert client_for(personas["clerk_b"]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_csv_export_writes_dates_and_times_as_people_read_them():
    from datetime import date, datetime
    from decimal import Decimal

    from django.utils import timezone

    from jiandu.lib.exports import Exporter, render_csv

    class One(Exporter):
        columns = [("时间", 10), ("日期", 10), ("金额", 10)]

        def rows(self):
            moment = timezone.make_aware(datetime(2026, 11, 27, 7, 48, 58, 653543))
            yield [moment, date(2026, 3, 28), Decimal("5000.00")]

    text = render_csv(One()).decode("utf-8-sig")
    assert text.splitlines()[1] == "2026-11-27 07:48,2026-03-28,5000"


def test_a_complaints_file_is_not_served_by_the_unit_data_download(personas, units, client_for):
    """A complaint's files carry no unit and open only through the portal, for whoever may
    open the complaint: an inspection team member reads every unit's data but not the
    complaints, and must not reach a complainant's file by its id either."""
    from jiandu.portal.models import Complaint

    complaint = Complaint.objects.create(
        tracking_code="TESTCODE0002", category="other", unit=units["a"], description="反映甲镇"
    )
    att = save_attachment(
        check_upload(SimpleUploadedFile("举报.pdf", PDF)), owner=complaint, unit=None
    )
    for who in ("inspector", "supervisor", "clerk_a"):
        assert client_for(personas[who]).get(f"/files/{att.pk}/").status_code == 404, who
    portal_url = f"/public/manage/files/{att.pk}/"
    assert client_for(personas["inspector"]).get(portal_url).status_code == 404
    assert client_for(personas["supervisor"]).get(portal_url).status_code == 200
