"""Issue 9 §8: the public complaint form keeps its files when the form has an error
elsewhere, and says which file must be chosen again when a file itself is refused."""

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiandu.documents.models import PendingUpload
from jiandu.documents.uploads import attachments_of
from jiandu.portal.models import CaptchaChallenge, Complaint
from tests.portal.factories import report_form_data


def _photo(color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(out, format="JPEG", comment=b"COMMENT-ZHOU")
    return out.getvalue()


def _tokens(html):
    return re.findall(r'name="files-kept" value="([^"]+)"', html)


def _new_challenge(html):
    challenge_id = re.search(r'name="captcha_id" value="([^"]+)"', html).group(1)
    return challenge_id, CaptchaChallenge.objects.get(pk=challenge_id).answer


def test_files_are_kept_when_the_captcha_is_wrong_and_need_not_be_chosen_again(client_for):
    public = client_for(None)
    data = report_form_data(public, place="东岭镇菜市场")
    data["captcha_answer"] = str(int(data["captcha_answer"]) + 1)
    data["files"] = [
        SimpleUploadedFile("现场1.jpg", _photo()),
        SimpleUploadedFile("现场2.jpg", _photo((0, 90, 0))),
    ]
    first = public.post("/public/report/", data)
    html = first.content.decode()
    assert first.status_code == 400 and "验证码不正确" in html
    assert "已选择的附件已保留" in html and "现场1.jpg" in html and "现场2.jpg" in html
    tokens = _tokens(html)
    assert len(tokens) == 2 and PendingUpload.objects.filter(user=None).count() == 2
    assert not Complaint.objects.exists()

    # Resubmitted without choosing any file: the held ones come with it, cleaned.
    challenge_id, answer = _new_challenge(html)
    data = {k: v for k, v in data.items() if k != "files"}
    data.update(captcha_id=challenge_id, captcha_answer=answer, **{"files-kept": tokens})
    second = public.post("/public/report/", data)
    assert second.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.place == "东岭镇菜市场"
    atts = sorted(attachments_of(complaint), key=lambda a: a.original_name)
    assert [a.original_name for a in atts] == ["现场1.jpg", "现场2.jpg"]
    assert all(b"COMMENT-ZHOU" not in a.file.open("rb").read() for a in atts)
    # The originals follow to the supervisor's copy; nothing stays held.
    assert all(a.original_copy.file.open("rb").read().count(b"COMMENT-ZHOU") for a in atts)
    assert not PendingUpload.objects.exists()


def test_unticked_held_file_is_left_out_and_a_foreign_token_gives_nothing(client_for, personas):
    public = client_for(None)
    data = report_form_data(public, description="")
    data["files"] = [
        SimpleUploadedFile("要的.jpg", _photo()),
        SimpleUploadedFile("不要的.jpg", _photo((0, 0, 90))),
    ]
    html = public.post("/public/report/", data).content.decode()
    assert "这个字段是必填项" in html
    tokens = _tokens(html)
    # A signed-in user's kept file is theirs: its token opens nothing on a public form.
    staff_kept = PendingUpload.objects.create(
        user=personas["clerk_a"], original_name="内部.pdf", extension="pdf", size=1, sha256="0"
    )
    challenge_id, answer = _new_challenge(html)
    data = {k: v for k, v in data.items() if k != "files"}
    data.update(
        description="补上经过",
        captcha_id=challenge_id,
        captcha_answer=answer,
        **{"files-kept": [tokens[0], "not-a-real-token", staff_kept.token]},
    )
    refused = public.post("/public/report/", data)
    html = refused.content.decode()
    assert refused.status_code == 400 and "先前上传的 2 个文件已失效" in html
    assert not Complaint.objects.exists() and "内部.pdf" not in html
    assert _tokens(html) == [tokens[0]]  # the good one is still kept
    challenge_id, answer = _new_challenge(html)
    data.update(captcha_id=challenge_id, captcha_answer=answer, **{"files-kept": [tokens[0]]})
    assert public.post("/public/report/", data).status_code == 302
    names = [a.original_name for a in attachments_of(Complaint.objects.get())]
    assert names == ["要的.jpg"]


def test_a_refused_file_is_named_to_choose_again_and_the_good_one_is_kept(client_for):
    public = client_for(None)
    data = report_form_data(public)
    data["files"] = [
        SimpleUploadedFile("好的.jpg", _photo()),
        SimpleUploadedFile("病毒.jpg", b"MZ\x90\x00 not a photo" * 30),
    ]
    response = public.post("/public/report/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "文件“病毒.jpg”的类型不被接受" in html and "请重新选择该文件" in html
    assert _tokens(html) and "好的.jpg" in html
    assert not Complaint.objects.exists()


def test_a_supplement_keeps_its_file_when_the_text_is_missing(submit, client_for):
    public = client_for(None)
    _, complaint = submit(public)
    url = f"/public/track/{complaint.tracking_code}/supplement/"
    first = public.post(url, {"text": "", "files": [SimpleUploadedFile("收据.jpg", _photo())]})
    html = first.content.decode()
    assert first.status_code == 400 and "收据.jpg" in html
    (token,) = _tokens(html)
    second = public.post(url, {"text": "补充收据一张", "files-kept": [token]})
    assert second.status_code == 302
    (attachment,) = attachments_of(complaint)
    assert attachment.original_name == "收据.jpg"
    assert b"COMMENT-ZHOU" not in attachment.file.open("rb").read()
    assert not PendingUpload.objects.exists()
