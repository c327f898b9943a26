"""Issue 9 §5: every way of checking a 亮码 code is rate-limited, a CAPTCHA challenge is
made only when a form is shown (and rate-limited), and ratings are one per code,
enforced by the database."""

import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client

from jiandu.enforcement.models import Enterprise, Inspection
from jiandu.portal import actions
from jiandu.portal.models import CaptchaChallenge, Complaint, InspectionRating
from tests.portal.factories import report_form_data


@pytest.fixture
def inspection(units):
    shop = Enterprise.objects.create(uscc="91330000MA2XXXXX3C", name="平川小店")
    return Inspection.objects.create(
        unit=units["b"],
        inspection_no="JC-2026-009",
        enterprise=shop,
        enterprise_name=shop.name,
        inspected_on=date(2026, 3, 2),
        registration_no="DJ-9",
        officers=";ZJ-001;",
        verify_code="R8S9T2UV",
    )


def test_the_report_prefill_counts_as_a_code_check(inspection, units, client_for, settings):
    settings.PORTAL_RATE_LIMITS = {"verify": (3, 600)}
    public = client_for(None)
    selected = f'<option value="{units["b"].pk}" selected>'
    for _ in range(2):
        assert selected in public.get("/public/report/?inspection=R8S9T2UV").content.decode()
    assert public.get("/public/verify/R8S9T2UV/").status_code == 200  # the third check
    # Over the allowance: the form still opens with the code kept, but the code is not
    # looked up (nothing about the inspection is shown) ...
    form = public.get("/public/report/?inspection=R8S9T2UV")
    html = form.content.decode()
    assert form.status_code == 200 and 'value="R8S9T2UV"' in html
    assert selected not in html and "2026-03-02" not in html
    # ... and every other way of checking is refused too.
    assert public.get("/public/verify/R8S9T2UV/").status_code == 429
    assert public.post("/public/verify/R8S9T2UV/rate/", {"score": "5"}).status_code == 429
    assert public.post("/public/verify/NOPE0000/rate/", {"score": "5"}).status_code == 429
    assert not InspectionRating.objects.exists()
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert selected in other.get("/public/report/?inspection=R8S9T2UV").content.decode()


def test_a_challenge_is_made_only_when_a_form_is_shown_and_is_rate_limited(
    inspection, submit, client_for, settings
):
    settings.PORTAL_RATE_LIMITS = {"captcha": (3, 600)}
    public = client_for(None)
    # Pages without the form make none.
    for url in ("/public/", "/public/track/", "/public/verify/", "/public/verify/R8S9T2UV/"):
        assert public.get(url).status_code == 200
    assert CaptchaChallenge.objects.count() == 0
    for _ in range(2):
        public.get("/public/report/")
    assert public.get("/public/captcha/new/").status_code == 200
    assert CaptchaChallenge.objects.count() == 3
    # Over the allowance: the form is shown without a challenge and says why.
    page = public.get("/public/report/")
    html = page.content.decode()
    assert page.status_code == 200 and "获取验证码过于频繁" in html
    assert public.get("/public/captcha/new/").status_code == 429
    assert CaptchaChallenge.objects.count() == 3
    # A post with a spent challenge keeps what was typed and makes no new challenge.
    data = report_form_data(Client(REMOTE_ADDR="10.9.9.8"), place="东岭镇菜市场")
    data["captcha_answer"] = "999"
    response = public.post("/public/report/", data)
    assert response.status_code == 400 and "东岭镇菜市场" in response.content.decode()
    assert CaptchaChallenge.objects.count() == 3  # the other address's one was spent


def test_inspection_rating_is_one_per_code_in_the_database(inspection, client_for):
    from django.db import IntegrityError, transaction

    actions.rate_inspection(inspection, score=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionRating.objects.create(inspection=inspection, score=1)
    refused = client_for(None).post("/public/verify/R8S9T2UV/rate/", {"score": "1"})
    assert refused.status_code == 400
    assert list(InspectionRating.objects.values_list("score", flat=True)) == [4]


def _race(n, post):
    """Run post(i) in n threads released at the same moment; each thread closes its
    own database connection."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = post(i)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_parallel_ratings_leave_exactly_one_row_on_postgresql(units, personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite runs one writer")
    shop = Enterprise.objects.create(uscc="91330000MA2XXXXX4D", name="并发小店")
    inspection = Inspection.objects.create(
        unit=units["b"],
        inspection_no="JC-RACE",
        enterprise=shop,
        enterprise_name=shop.name,
        inspected_on=date(2026, 3, 2),
        verify_code="RACE2345",
    )
    complaint = Complaint.objects.create(
        tracking_code="RACEC0DE2345", category="other", description="并发评价"
    )
    actions.accept_complaint(complaint, actor=personas["supervisor"])
    actions.close_complaint(complaint, actor=personas["supervisor"], result="已处理")
    n = 8

    def rate_inspection(i):
        # Each thread a different browser and address: no session can stop it.
        client = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        return client.post("/public/verify/RACE2345/rate/", {"score": str(i % 5 + 1)}).status_code

    codes = _race(n, rate_inspection)
    assert sorted(codes) == [302] + [400] * (n - 1)
    assert InspectionRating.objects.filter(inspection=inspection).count() == 1

    def rate_complaint(i):
        client = Client(REMOTE_ADDR=f"10.0.1.{i + 1}")
        return client.post(
            f"/public/track/{complaint.tracking_code}/rate/", {"score": str(i % 5 + 1)}
        ).status_code

    codes = _race(n, rate_complaint)
    assert sorted(codes) == [302] + [400] * (n - 1)
    from jiandu.audit.models import AuditEvent

    assert (
        AuditEvent.objects.filter(
            action="portal.complaint.rated", object_id=str(complaint.pk)
        ).count()
        == 1
    )
    complaint.refresh_from_db()
    assert complaint.rating is not None
