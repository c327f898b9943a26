import re

from jiandu.portal.actions import CODE_ALPHABET, new_tracking_code


def test_tracking_codes_are_long_random_and_unambiguous():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 12 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OIL")


def test_unknown_and_malformed_codes_get_the_same_answer(submit, client_for):
    public = client_for(None)
    _, c = submit(public)
    wrong = c.tracking_code[:-1] + ("A" if c.tracking_code[-1] != "A" else "B")
    answers = []
    for code in [wrong, "AAAAAAAAAAAA", "x", "%3Cscript%3E", "1" * 40]:
        r = public.get(f"/public/track/{code}/")
        assert r.status_code == 404
        body = r.content.decode()
        # Only the per-request CSRF token differs; the input is not echoed.
        body = re.sub(r'"X-CSRFToken": "[^"]*"', "", body)
        answers.append(body)
    assert len(set(answers)) == 1
    assert "未查询到该查询码对应的举报" in answers[0]


def test_codes_are_found_whatever_the_case_and_dashes(submit, client_for):
    public = client_for(None)
    _, c = submit(public)
    typed = "-".join(c.tracking_code[i : i + 4] for i in range(0, 12, 4)).lower()
    r = public.get("/public/track/", {"code": typed})
    assert r.status_code == 302 and r["Location"] == f"/public/track/{c.tracking_code}/"


def test_lookup_rate_limit_kicks_in(client_for, settings):
    settings.PORTAL_RATE_LIMITS = {"track": (5, 600)}
    public = client_for(None)
    statuses = [public.get(f"/public/track/AAAA{i:08d}/").status_code for i in range(7)]
    assert statuses[:5] == [404] * 5 and statuses[5:] == [429, 429]
    assert "操作过于频繁" in public.get("/public/track/AAAA/").content.decode()


def test_submission_rate_limit_kicks_in_and_stores_nothing(submit, client_for, settings):
    settings.PORTAL_RATE_LIMITS = {"submit": (2, 3600)}
    public = client_for(None)
    results = [submit(public) for _ in range(3)]
    assert [r.status_code for r, _ in results] == [302, 302, 429]
    assert results[2][1] is None
    assert "操作过于频繁" in results[2][0].content.decode()


def test_rate_limits_are_per_address(client_for, settings):
    settings.PORTAL_RATE_LIMITS = {"track": (1, 600)}
    public = client_for(None)
    assert public.get("/public/track/AAAA/", REMOTE_ADDR="10.0.0.1").status_code == 404
    assert public.get("/public/track/AAAA/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert public.get("/public/track/AAAA/", REMOTE_ADDR="10.0.0.2").status_code == 404


def test_feedback_rate_limit_kicks_in_and_stores_nothing(submit, client_for, settings):
    from jiandu.portal.models import ComplaintMessage

    public = client_for(None)
    _, c = submit(public)
    settings.PORTAL_RATE_LIMITS = {"feedback": (2, 600)}
    url = f"/public/track/{c.tracking_code}/supplement/"
    statuses = [public.post(url, {"text": f"补充第{i}次"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    supplements = ComplaintMessage.objects.filter(
        complaint=c, kind=ComplaintMessage.Kind.SUPPLEMENT
    )
    assert supplements.count() == 2
    rate = public.post(f"/public/track/{c.tracking_code}/rate/", {"score": 5})
    assert rate.status_code == 429 and "操作过于频繁" in rate.content.decode()


def test_refused_supplement_and_rating_say_why_on_the_tracking_page(submit, personas, client_for):
    from jiandu.portal import actions
    from jiandu.portal.models import ComplaintMessage

    public = client_for(None)
    _, c = submit(public)
    early = public.post(f"/public/track/{c.tracking_code}/rate/", {"score": "5"})
    assert early.status_code == 400 and "办结后才能评价" in early.content.decode()
    actions.accept_complaint(c, actor=personas["supervisor"])
    actions.close_complaint(c, actor=personas["supervisor"], result="已处理")
    late = public.post(f"/public/track/{c.tracking_code}/supplement/", {"text": "再补充一点"})
    body = late.content.decode()
    assert late.status_code == 400 and "该举报已办结，不能再补充材料。" in body
    assert not ComplaintMessage.objects.filter(kind=ComplaintMessage.Kind.SUPPLEMENT).exists()
    c.refresh_from_db()
    assert c.rating is None
    public.post(f"/public/track/{c.tracking_code}/rate/", {"score": "4"})
    again = public.post(f"/public/track/{c.tracking_code}/rate/", {"score": "1"})
    assert again.status_code == 400 and "该举报已经评价过了。" in again.content.decode()
    c.refresh_from_db()
    assert c.rating == 4
