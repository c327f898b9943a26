"""Navigation by role."""

from functools import cache, lru_cache

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse

from jiandu.orgs.access import is_supervisor_or_discipline

# (label, icon, url name, who sees it)
NAV = [
    ("待办事项", "bi-list-check", "dashboard:todo", "unit"),
    ("驾驶舱", "bi-speedometer2", "dashboard:cockpit", "all"),
    ("统计分析", "bi-bar-chart-line", "dashboard:statistics", "discipline"),
    ("专项行动", "bi-flag", "campaigns:detail_current", "all"),
    ("自查填报", "bi-clipboard-check", "campaigns:reports", "all"),
    ("整改台账", "bi-journal-text", "ledger:problems", "all"),
    ("监督文书", "bi-file-earmark-text", "supervision:instruments", "all"),
    ("问题线索", "bi-shield-exclamation", "ledger:leads", "discipline"),
    ("提醒与督办", "bi-alarm", "reminders:index", "discipline"),
    ("预警", "bi-bell", "monitoring:alerts", "all"),
    ("预警规则", "bi-sliders", "monitoring:rules", "county"),
    ("处罚案件", "bi-folder2-open", "enforcement:cases", "all"),
    ("涉企检查", "bi-building-check", "enforcement:inspections", "all"),
    ("检查计划", "bi-calendar-check", "planning:plans", "all"),
    ("双随机抽查", "bi-shuffle", "planning:draws", "all"),
    ("市场主体", "bi-buildings", "enforcement:enterprises", "all"),
    ("执法人员", "bi-person-badge", "enforcement:officers", "all"),
    ("案件移送", "bi-arrow-left-right", "transfers:list", "all"),
    ("信用修复", "bi-patch-check", "credit:list", "all"),
    ("裁量基准", "bi-rulers", "standards:items", "all"),
    ("裁量计算器", "bi-calculator", "standards:calculator", "all"),
    ("数据导入", "bi-upload", "intake:index", "writer"),
    ("举报处理", "bi-megaphone", "portal:complaints", "all"),
    ("公文", "bi-file-earmark-word", "documents:register", "county"),
    ("工作日", "bi-calendar3", "workdays:index", "county"),
    ("审计记录", "bi-clock-history", "audit:events", "supervisor"),
]


def _visible(user, who):
    if who == "all":
        return True
    if who == "unit":
        return bool(user.unit_id) and not user.sees_all_units
    if who == "county":
        return user.sees_all_units
    if who == "supervisor":
        return user.is_supervisor
    if who == "discipline":
        # The same readers as the leads pages (ledger.actions.can_read_leads).
        return is_supervisor_or_discipline(user)
    if who == "writer":
        return user.is_supervisor or user.has_role("clerk", "leader")
    return False


@cache
def _nav_urls(urlconf, prefix) -> dict:
    # Every page draws the menu: its twenty-odd addresses are worked out once per URL
    # configuration and script prefix, not on every request.
    return {name: reverse(name, urlconf=urlconf) for _label, _icon, name, _who in NAV}


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    items = []
    path = request.path
    urls = _nav_urls(get_urlconf(settings.ROOT_URLCONF), get_script_prefix())
    for label, icon, name, who in NAV:
        if not _visible(user, who):
            continue
        url = urls[name]
        items.append(
            {
                "label": label,
                "icon": icon,
                "url": url,
                "active": path.startswith(url) and url != "/",
            }
        )
    # The most specific match wins the highlight.
    active = [i for i in items if i["active"]]
    if len(active) > 1:
        best = max(active, key=lambda i: len(i["url"]))
        for i in active:
            i["active"] = i is best
    # Important notes (督办, a returned report) are listed on the unit's start page with
    # the live figures; every other page only marks the bell.
    counts = user.notifications.unread().aggregate(
        unread_count=Count("pk"), important_count=Count("pk", filter=Q(important=True))
    )
    links = _menu_html(tuple((i["label"], i["icon"], i["url"], i["active"]) for i in items))
    return {"nav_items": items, "nav_links": links, **counts}


@lru_cache(maxsize=1024)
def _menu_html(items: tuple) -> str:
    """The menu's links (includes/nav_links.html). Rendering that loop cost every page
    half a millisecond; there are only so many menus (roles times the highlighted item),
    each rendered once."""
    keys = ("label", "icon", "url", "active")
    return render_to_string(
        "includes/nav_links.html", {"items": [dict(zip(keys, i, strict=True)) for i in items]}
    )
