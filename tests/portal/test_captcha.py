from jiandu.portal.models import CaptchaChallenge, Complaint
from tests.portal.factories import report_form_data


def test_captcha_is_required(client_for):
    public = client_for(None)
    data = report_form_data(public)
    data["captcha_answer"] = ""
    response = public.post("/public/report/", data)
    assert response.status_code == 400
    assert "请填写验证码" in response.content.decode()
    assert not Complaint.objects.exists()


def test_wrong_answer_is_refused_and_spends_the_challenge(client_for):
    public = client_for(None)
    data = report_form_data(public)
    right = data["captcha_answer"]
    data["captcha_answer"] = str(int(right) + 1)
    response = public.post("/public/report/", data)
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert not CaptchaChallenge.objects.filter(pk=data["captcha_id"]).exists()
    data["captcha_answer"] = right  # too late: the challenge is gone
    assert public.post("/public/report/", data).status_code == 400
    assert not Complaint.objects.exists()


def test_a_solved_challenge_cannot_be_replayed(client_for):
    public = client_for(None)
    data = report_form_data(public)
    assert public.post("/public/report/", data).status_code == 302
    again = public.post("/public/report/", data)
    assert again.status_code == 400 and "验证码不正确或已失效" in again.content.decode()
    assert Complaint.objects.count() == 1


def test_failed_submission_keeps_what_was_typed_with_a_new_challenge(client_for):
    public = client_for(None)
    data = report_form_data(public, description="", place="东岭镇菜市场")
    response = public.post("/public/report/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "东岭镇菜市场" in html and "这个字段是必填项" in html
    assert data["captcha_id"] not in html  # a fresh challenge to solve


def test_captcha_image_is_a_png_and_refresh_gives_a_new_one(client_for):
    public = client_for(None)
    block = public.get("/public/captcha/new/").content.decode()
    challenge = CaptchaChallenge.objects.get()
    assert challenge.pk in block
    image = public.get(f"/public/captcha/{challenge.pk}.png")
    assert image["Content-Type"] == "image/png" and image.content[:4] == b"\x89PNG"
    assert public.get("/public/captcha/nope.png").status_code == 404


def test_an_expired_challenge_is_refused(client_for):
    from datetime import timedelta

    from django.utils import timezone

    public = client_for(None)
    data = report_form_data(public)
    CaptchaChallenge.objects.filter(pk=data["captcha_id"]).update(
        created_at=timezone.now() - timedelta(minutes=20)
    )
    response = public.post("/public/report/", data)
    assert response.status_code == 400 and "验证码不正确或已失效" in response.content.decode()
    assert not Complaint.objects.exists()
