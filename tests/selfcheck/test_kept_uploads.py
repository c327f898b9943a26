"""The self-check table keeps the files chosen with an answer when the post fails for
another reason (an incomplete answer elsewhere, a bad date): the corrected post stores
them without choosing them again."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.documents.models import PendingUpload
from jiandu.documents.uploads import attachments_of
from tests.selfcheck.test_views import PDF, form_data


def kept_tokens(html, answer):
    return re.findall(rf'name="a{answer.pk}-files-kept" value="([0-9a-f]+)"', html)


def test_files_survive_an_incomplete_signoff(client_for, personas, report_a):
    first, second = report_a.answers.order_by("item__order")[:2]
    client = client_for(personas["clerk_a"])
    # The second answer says 存在问题 without describing it: the sign-off is refused.
    data = form_data(report_a, {second.pk: {"has_problem": "yes"}})
    data[f"a{first.pk}-files"] = SimpleUploadedFile("制度文件.pdf", PDF)
    response = client.post(reverse("campaigns:report_signoff", args=[report_a.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "存在问题的，请填写问题描述。" in html
    assert "已上传：制度文件.pdf" in html
    tokens = kept_tokens(html, first)
    assert len(tokens) == 1 and not attachments_of(first).exists()

    data = form_data(report_a)  # answered 无此问题 now; the file is not chosen again
    data[f"a{first.pk}-files-kept"] = tokens
    response = client.post(reverse("campaigns:report_save", args=[report_a.pk]), data)
    assert response.status_code == 302
    att = attachments_of(first).get()
    assert att.original_name == "制度文件.pdf" and att.unit_id == report_a.unit_id
    with att.file.open("rb") as fh:
        assert fh.read() == PDF
    assert not PendingUpload.objects.exists()


def test_a_later_answers_file_survives_an_earlier_answers_bad_date(client_for, personas, report_a):
    """Every answer's form is checked, not only those before the first error."""
    first, *_, last = report_a.answers.order_by("item__order")
    client = client_for(personas["clerk_a"])
    data = form_data(report_a, {first.pk: {"has_problem": "yes", "deadline": "明年"}})
    data[f"a{last.pk}-files"] = SimpleUploadedFile("台账.pdf", PDF)
    response = client.post(reverse("campaigns:report_save", args=[report_a.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "已上传：台账.pdf" in html
    data = form_data(report_a)
    data[f"a{last.pk}-files-kept"] = kept_tokens(html, last)
    assert (
        client.post(reverse("campaigns:report_save", args=[report_a.pk]), data).status_code == 302
    )
    assert [a.original_name for a in attachments_of(last)] == ["台账.pdf"]
