"""亮码检查: the enterprise verifies an inspection by its code, rates it, reports it."""

from datetime import date

import pytest

from jiandu.enforcement.models import Enterprise, Inspection, Officer
from jiandu.portal.models import InspectionRating
from jiandu.portal.public import inspection_officers


@pytest.fixture
def inspection(units):
    ent = Enterprise.objects.create(uscc="91330000MA2XXXXX1A", name="平川味道餐饮有限公司")
    Officer.objects.create(
        cert_no="ZJ-001", name="钱检查", unit=units["b"], valid_until=date(2030, 1, 1)
    )
    Officer.objects.create(
        cert_no="ZJ-002", name="孙过期", unit=units["b"], valid_until=date(2025, 6, 30)
    )
    return Inspection.objects.create(
        unit=units["b"],
        inspection_no="JC-2026-001",
        enterprise=ent,
        enterprise_name=ent.name,
        inspected_on=date(2026, 3, 2),
        kind=Inspection.Kind.ROUTINE,
        registration_no="DJ-2026-0001",
        registered_on=date(2026, 2, 27),
        officers=";ZJ-001;ZJ-002;ZJ-404;",
        items="食品经营许可、后厨卫生",
        verify_code="K7P2Q9XR",
    )


@pytest.fixture
def second_inspection(inspection):
    return Inspection.objects.create(
        unit=inspection.unit,
        inspection_no="JC-2026-002",
        enterprise=inspection.enterprise,
        enterprise_name=inspection.enterprise_name,
        inspected_on=date(2026, 3, 9),
        kind=Inspection.Kind.ROUTINE,
        registration_no="DJ-2026-0002",
        registered_on=date(2026, 3, 6),
        officers=";ZJ-001;",
        verify_code="M3N4P5Q6",
    )


def test_registered_inspection_shows_unit_items_and_each_certificate(inspection, client_for):
    r = client_for(None).get("/public/verify/K7P2Q9XR/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "已登记备案" in html and "测试县市场监督管理局" in html
    assert "食品经营许可、后厨卫生" in html and "2026-03-02" in html and "DJ-2026-0001" in html
    officers = {o["cert_no"]: o for o in inspection_officers(inspection)}
    assert officers["ZJ-001"]["valid"] and officers["ZJ-001"]["detail"] == "有效期至 2030-01-01"
    assert (
        not officers["ZJ-002"]["valid"] and officers["ZJ-002"]["detail"] == "已于 2025-06-30 过期"
    )
    assert not officers["ZJ-404"]["valid"] and officers["ZJ-404"]["detail"] == "未在册"
    assert "钱检查" in html and "有效期至 2030-01-01" in html
    assert "已于 2025-06-30 过期" in html and "ZJ-404" in html and "未在册" in html


def test_code_typed_into_the_form_redirects_to_the_qr_page(inspection, client_for):
    r = client_for(None).get("/public/verify/", {"code": " K7P2Q9XR "})
    assert r.status_code == 302 and r["Location"] == "/public/verify/K7P2Q9XR/"


def test_unknown_code_says_not_registered_and_links_to_a_prefilled_complaint(client_for, units):
    public = client_for(None)
    r = public.get("/public/verify/NOPE1234/")
    html = r.content.decode()
    assert r.status_code == 404
    assert "未查询到登记备案信息：该检查未登记，您可以举报" in html
    assert "/public/report/?inspection=NOPE1234" in html
    form = public.get("/public/report/?inspection=NOPE1234").content.decode()
    assert 'value="NOPE1234"' in form and "未查询到登记备案信息" in form
    assert 'value="inspection" id="id_category_0" checked' in form.replace("\n", "")


def test_report_a_problem_with_a_known_inspection_in_one_step(
    inspection, submit, client_for, units
):
    public = client_for(None)
    form = public.get("/public/report/?inspection=K7P2Q9XR").content.decode()
    assert f'<option value="{units["b"].pk}" selected>' in form
    response, c = submit(
        public, reported_unit=units["b"].pk, inspection_ref="K7P2Q9XR", description="检查时索要好处"
    )
    assert response.status_code == 302
    assert c.inspection == inspection and c.reported_unit == units["b"]


def test_rating_is_kept_once_per_code_and_units_see_only_the_aggregate(
    inspection, second_inspection, client_for, personas
):
    public = client_for(None)
    r = public.post(
        "/public/verify/K7P2Q9XR/rate/", {"score": "2", "comment": "态度生硬，翻来覆去"}
    )
    assert r.status_code == 302
    assert public.post("/public/verify/K7P2Q9XR/rate/", {"score": "1"}).status_code == 400
    # A fresh browser (no session, no cookie) with the same code is refused as well.
    again = client_for(None).post("/public/verify/K7P2Q9XR/rate/", {"score": "5"})
    assert again.status_code == 400
    assert "已经评价过了" in client_for(None).get("/public/verify/K7P2Q9XR/").content.decode()
    assert InspectionRating.objects.filter(inspection=inspection).count() == 1
    client_for(None).post(f"/public/verify/{second_inspection.verify_code}/rate/", {"score": "5"})
    assert InspectionRating.objects.count() == 2

    unit_page = client_for(personas["clerk_b"]).get("/public/manage/ratings/").content.decode()
    assert "测试县市场监督管理局" in unit_page and "3.50" in unit_page
    assert "态度生硬" not in unit_page
    other = client_for(personas["clerk_a"]).get("/public/manage/ratings/").content.decode()
    assert "测试县市场监督管理局" not in other
    sup_page = client_for(personas["supervisor"]).get("/public/manage/ratings/").content.decode()
    assert "态度生硬" in sup_page


def test_rating_out_of_range_is_refused(inspection, client_for):
    r = client_for(None).post("/public/verify/K7P2Q9XR/rate/", {"score": "9"})
    assert r.status_code == 400 and not InspectionRating.objects.exists()


def test_rating_actions_refuse_a_score_outside_one_to_five(inspection, submit, client_for):
    from django.core.exceptions import ValidationError

    from jiandu.portal import actions

    for score in (0, 6, "5"):
        with pytest.raises(ValidationError, match="请选择 1 到 5 星"):
            actions.rate_inspection(inspection, score=score)
    assert not InspectionRating.objects.exists()
    _, complaint = submit(client_for(None))
    complaint.state = complaint.State.CLOSED
    with pytest.raises(ValidationError, match="请选择 1 到 5 星"):
        actions.rate_complaint(complaint, score=0)
    complaint.refresh_from_db()
    assert complaint.rating is None


def test_verify_lookup_is_rate_limited(inspection, client_for, settings):
    settings.PORTAL_RATE_LIMITS = {"verify": (3, 600)}
    public = client_for(None)
    statuses = [public.get(f"/public/verify/GUESS{i}/").status_code for i in range(3)]
    assert statuses == [404, 404, 404]
    assert public.get("/public/verify/K7P2Q9XR/").status_code == 429
