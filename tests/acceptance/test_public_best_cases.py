"""The published best cases on the public portal, redacted as 曝光 is, and the portal's
poster whose QR code carries the public address."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from jiandu.acceptance import actions
from jiandu.acceptance.models import Showcase
from jiandu.enforcement import qr
from tests.acceptance.test_showcase import propose


def _selected(campaign, personas, **extra):
    showcase = propose(campaign, personas["supervisor"], **extra)
    actions.select_showcase(showcase, actor=personas["supervisor"])
    return showcase


def test_anyone_reads_published_best_cases_and_nothing_else(campaign, personas):
    published = _selected(campaign, personas, title="首违不罚办案前比对")
    actions.publish_showcase(published, actor=personas["supervisor"])
    selected = _selected(campaign, personas, title="尚未发布的评选案例")
    draft = propose(campaign, personas["clerk_a"], unit=None, title="单位推荐的草稿")
    public = Client()  # nobody signed in

    listing = public.get(reverse("portal:best_cases")).content.decode()
    assert "首违不罚办案前比对" in listing
    assert "尚未发布的评选案例" not in listing and "单位推荐的草稿" not in listing
    page = public.get(reverse("portal:best_case", args=[published.pk]))
    assert page.status_code == 200 and "全年首违不罚32件" in page.content.decode()
    for hidden in (selected, draft):
        assert public.get(reverse("portal:best_case", args=[hidden.pk])).status_code == 404
    assert reverse("portal:best_cases") in public.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize(
    "body, found",
    [
        ("联系人：王科长，电话 138 0057 1188。", "手机号码"),
        ("咨询电话0577-65521301", "固定电话号码"),
        ("当事人身份证号33032619800101123X", "身份证号码"),
    ],
)
def test_a_best_case_with_personal_data_is_not_published(campaign, personas, body, found):
    showcase = _selected(campaign, personas, body=body)
    with pytest.raises(ValidationError, match=found):
        actions.publish_showcase(showcase, actor=personas["supervisor"])
    showcase.refresh_from_db()
    assert showcase.state == Showcase.State.SELECTED


def test_poster_names_the_county_and_points_at_the_public_address(units, personas, client_for):
    url = reverse("portal:poster")
    assert client_for(personas["clerk_a"]).get(url).status_code == 403
    assert client_for(personas["discipline"]).get(url).status_code == 403
    with override_settings(JIANDU_PUBLIC_URL="https://jiandu.pingyang.gov.cn"):
        page = client_for(personas["supervisor"]).get(url).content.decode()
    assert "测试县" in page and "行政执法举报曝光平台" in page
    assert "https://jiandu.pingyang.gov.cn/public/" in page and "<svg" in page
    # Without the setting, the address the page was opened on.
    page = client_for(personas["supervisor"]).get(url).content.decode()
    assert "http://testserver/public/" in page


def test_qr_links_use_the_public_address_when_it_is_set(rf):
    request = rf.get("/enforcement/inspections/1/", HTTP_HOST="testserver")
    path = qr.verify_path("ABCD1234")
    assert qr.link(request, path) == f"http://testserver{path}"
    with override_settings(JIANDU_PUBLIC_URL="https://jiandu.example.gov.cn/"):
        assert qr.link(request, path) == f"https://jiandu.example.gov.cn{path}"
