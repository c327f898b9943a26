"""The public pages: home (notice, statistics, cases), published standards only."""

from datetime import date, timedelta

from django.core.cache import cache
from django.utils import timezone

from jiandu.campaigns.models import Campaign
from jiandu.portal import actions
from jiandu.portal.models import Complaint
from jiandu.standards.models import Benchmark, LenientListItem, Tier, ViolationItem


def test_home_shows_the_current_campaign_notice_and_statistics(units, personas, client_for):
    cache.clear()
    Campaign.objects.create(
        title="破执法梗阻·优法治服务",
        lead_unit=units["justice"],
        public_notice="欢迎监督<b>执法</b>",
    )
    sup = personas["supervisor"]
    c1 = actions.submit_complaint(category="fine", description="罚款过重")
    c2 = actions.submit_complaint(category="delay", description="拖延")
    actions.submit_complaint(category="other", description="其他")
    for c in (c1, c2):
        actions.accept_complaint(c, actor=sup)
        actions.close_complaint(c, actor=sup, result="已处理")
    # One of them was concluded long after its deadline.
    Complaint.objects.filter(pk=c2.pk).update(received_at=timezone.now() - timedelta(days=60))
    html = client_for(None).get("/public/").content.decode()
    assert "欢迎监督&lt;b&gt;执法&lt;/b&gt;" in html
    assert 'id="stat-received">3<' in html and 'id="stat-accepted">2<' in html
    assert 'id="stat-ontime">50%<' in html


def test_standards_page_lists_published_items_only_and_searches(db, client_for):
    item = ViolationItem.objects.create(code="SC-001", name="未取得食品经营许可从事食品经营")
    hidden = ViolationItem.objects.create(code="SC-002", name="草稿事项不应公开")
    b = Benchmark.objects.create(item=item, effective_on=date(2025, 1, 1))
    Tier.objects.create(benchmark=b, level="lighter", fine_min=5000, fine_max=20000)
    Benchmark.objects.create(item=hidden, published=False)
    LenientListItem.objects.create(
        list_kind="minor", code="SC-101", name="未亮照经营", conditions="首次且及时改正"
    )
    LenientListItem.objects.create(
        list_kind="first", code="SC-102", name="未公开清单", conditions="x", published=False
    )
    public = client_for(None)
    html = public.get("/public/standards/").content.decode()
    assert "未取得食品经营许可从事食品经营" in html and "草稿事项不应公开" not in html
    assert "5,000 元–20,000 元" in html
    assert "共 0 项" in public.get("/public/standards/?q=不存在的").content.decode()
    lenient = public.get("/public/standards/?tab=lenient&q=亮照").content.decode()
    assert "未亮照经营" in lenient and "未公开清单" not in lenient


def test_withdrawn_case_disappears_from_the_public(units, personas, client_for):
    sup = personas["supervisor"]
    c = actions.submit_complaint(category="bribe", description="吃拿卡要")
    actions.accept_complaint(c, actor=sup)
    actions.close_complaint(c, actor=sup, result="已处理")
    case = actions.publish_case(c, actor=sup, title="吃拿卡要典型案例", text="某单位工作人员……")
    public = client_for(None)
    assert "吃拿卡要典型案例" in public.get("/public/cases/").content.decode()
    actions.withdraw_case(case, actor=sup)
    assert "吃拿卡要典型案例" not in public.get("/public/cases/").content.decode()
    assert public.get(f"/public/cases/{case.pk}/").status_code == 404


def test_public_pages_need_no_login(db, client_for):
    public = client_for(None)
    for url in [
        "/public/",
        "/public/report/",
        "/public/track/",
        "/public/verify/",
        "/public/cases/",
        "/public/standards/",
    ]:
        assert public.get(url).status_code == 200, url


def test_on_time_share_agrees_with_each_complaints_own_verdict(db):
    """The statistic counts by day received and day closed, in local time: late-evening
    and early-morning times (another day in UTC) land on the right side of a deadline."""
    from datetime import datetime, time

    from jiandu.portal.public import public_stats
    from jiandu.workdays import calendar

    start = timezone.localdate() - timedelta(days=60)
    n = 0
    for day in range(0, 40, 3):
        for hour, minute in ((0, 20), (23, 40)):
            for took in (12, 20, 21, 22, 30):
                n += 1
                received = timezone.make_aware(
                    datetime.combine(start + timedelta(days=day), time(hour, minute))
                )
                Complaint.objects.create(
                    tracking_code=f"S{n:011d}",
                    category="other",
                    description="x",
                    state=Complaint.State.CLOSED,
                    received_at=received,
                    closed_at=received + timedelta(days=took),
                )
    cal = calendar()
    on_time = sum(1 for c in Complaint.objects.all() if c.on_time(cal))
    assert 0 < on_time < n
    assert public_stats()["on_time_pct"] == round(100 * on_time / n)


def test_public_lists_count_filter_and_page_twenty_at_a_time(units, personas, client_for):
    sup = personas["supervisor"]
    for i, category in enumerate(["fine", "delay", "fine"]):
        c = actions.submit_complaint(category=category, description=f"问题{i}")
        actions.accept_complaint(c, actor=sup)
        actions.close_complaint(c, actor=sup, result="已处理")
        actions.publish_case(c, actor=sup, title=f"典型案例{i}", text="……")
    public = client_for(None)
    assert "共 3 个案例" in public.get("/public/cases/").content.decode()
    html = public.get("/public/cases/?category=fine").content.decode()
    assert "共 2 个案例（已筛选）" in html and "典型案例1" not in html
    assert "共 3 个案例" in public.get("/public/cases/?category=nonsense").content.decode()
    for i in range(25):
        LenientListItem.objects.create(
            list_kind="minor", code=f"SC-{i:03d}", name=f"亮照事项{i:02d}", conditions="首次"
        )
    html = public.get("/public/standards/?tab=lenient&q=亮照").content.decode()
    assert "共 25 项（已筛选）" in html and "第 1 / 2 页" in html  # 20 a page on a phone
    assert "亮照事项19" in html and "亮照事项20" not in html
    nxt = html.split("下一页")[0].rsplit('href="', 1)[1]
    assert "tab=lenient" in nxt and "q=" in nxt and "page=2" in nxt
    html = public.get("/public/standards/?tab=lenient&q=亮照&size=50").content.decode()
    assert "亮照事项24" in html and 'name="size" value="50"' in html
