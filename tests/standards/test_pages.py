from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.standards.models import Benchmark, LenientListItem, Tier, ViolationItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    item = ViolationItem.objects.create(
        code="SC-001",
        name="销售过期食品",
        domain="市场监管",
        penalty_basis="《食品安全法》第一百二十四条",
    )
    b = Benchmark.objects.create(
        item=item, version=1, effective_on=date(2024, 1, 1), source="旧文件"
    )
    Tier.objects.create(
        benchmark=b, level="general", fine_min=Decimal("1000"), fine_max=Decimal("5000")
    )
    Tier.objects.create(
        benchmark=b, level="heavier", fine_min=Decimal("5000"), fine_max=Decimal("9000")
    )
    return item


def tier_post(**levels):
    data = {}
    for level in ("exempt", "mitigated", "lighter", "general", "heavier"):
        values = levels.get(level, {})
        data[f"{level}-level"] = level
        for f in (
            "conditions",
            "fine_min",
            "fine_max",
            "multiple_of",
            "multiple_min",
            "multiple_max",
            "other_penalties",
        ):
            data[f"{level}-{f}"] = values.get(f, "")
    return data


def test_items_list_search_and_domain_filter(personas, client_for, item):
    ViolationItem.objects.create(code="HB-002", name="超标排放", domain="生态环境")
    client = client_for(personas["clerk_a"])
    html = client.get("/standards/").content.decode()
    assert "SC-001" in html and "HB-002" in html and "第1版" in html and "共 2 个事项" in html
    assert "HB-002" not in client.get("/standards/?q=过期").content.decode()
    assert "SC-001" not in client.get("/standards/?domain=生态环境").content.decode()


def test_standards_lists_count_like_the_other_lists(personas, client_for, item, monkeypatch):
    from jiandu.lib import lists

    for code in ("HB-002", "HB-003"):
        ViolationItem.objects.create(code=code, name="超标排放")
        LenientListItem.objects.create(list_kind="minor", code=code, conditions="轻微")
    client = client_for(personas["clerk_a"])
    assert "共 2 项" in client.get("/standards/lenient/").content.decode()
    monkeypatch.setattr(lists.CappedPaginator, "cap", 2)
    assert "超过 2 个事项" in client.get("/standards/").content.decode()
    assert "共 2 项" in client.get("/standards/lenient/").content.decode()


def test_new_version_is_a_draft_copy_and_publishing_switches_the_version_in_force(
    personas, client_for, item
):
    client = client_for(personas["supervisor"])
    response = client.post(f"/standards/items/{item.pk}/benchmarks/new/")
    draft = Benchmark.objects.get(item=item, version=2)
    assert response["Location"] == f"/standards/benchmarks/{draft.pk}/edit/"
    assert not draft.published and set(draft.tiers.values_list("level", flat=True)) == {
        "general",
        "heavier",
    }
    # Drafts are not in force and not visible to units.
    assert item.benchmark_on(date(2030, 1, 1)).version == 1
    assert (
        "草稿"
        not in client_for(personas["clerk_a"]).get(f"/standards/items/{item.pk}/").content.decode()
    )

    response = client.post(
        f"/standards/benchmarks/{draft.pk}/edit/",
        tier_post(
            general={"fine_min": "2000", "fine_max": "6000"},
            heavier={"fine_min": "6000", "fine_max": "10000"},
        ),
    )
    assert response.status_code == 302
    assert draft.tiers.get(level="general").fine_min == Decimal("2000")
    assert response["Location"] == f"/standards/benchmarks/{draft.pk}/edit/"
    response = client.post(
        f"/standards/benchmarks/{draft.pk}/edit/",
        tier_post(
            general={"fine_min": "2000", "fine_max": "6000"},
            heavier={"fine_min": "6000", "fine_max": "10000"},
        )
        | {"next": "publish"},
    )
    assert response["Location"] == f"/standards/items/{item.pk}/#publish"

    effective = timezone.localdate() + timedelta(days=10)
    client.post(
        f"/standards/benchmarks/{draft.pk}/publish/",
        {"effective_on": effective.isoformat(), "source": "平司〔2026〕3号"},
    )
    draft.refresh_from_db()
    assert draft.published and draft.published_at and draft.effective_on == effective
    assert item.benchmark_on(effective - timedelta(days=1)).version == 1
    assert item.benchmark_on(effective).version == 2
    assert AuditEvent.objects.filter(
        action="standards.benchmark.published", object_id=str(draft.pk)
    ).exists()
    # A published version cannot be edited any more.
    client.post(
        f"/standards/benchmarks/{draft.pk}/edit/",
        tier_post(general={"fine_min": "1", "fine_max": "2"}),
    )
    assert draft.tiers.get(level="general").fine_min == Decimal("2000")


def test_tier_validation_messages(personas, client_for, item):
    client = client_for(personas["supervisor"])
    client.post(f"/standards/items/{item.pk}/benchmarks/new/")
    draft = Benchmark.objects.get(version=2)
    html = client.post(
        f"/standards/benchmarks/{draft.pk}/edit/",
        tier_post(
            general={"fine_min": "5000", "fine_max": "1000"},
            heavier={"multiple_of": "illegal_income"},
            lighter={"multiple_min": "1", "multiple_max": "2"},
        ),
    ).content.decode()
    assert "罚款上限不能低于下限" in html
    assert "请填写倍数下限或上限" in html
    assert "请选择倍数基数" in html
    assert 'value="5000"' in html  # what was typed is kept
    assert draft.tiers.get(level="general").fine_min == Decimal("1000")  # nothing written


def test_ratio_above_ten_times_is_a_warning_not_an_error(personas, client_for, item):
    client = client_for(personas["supervisor"])
    client.post(f"/standards/items/{item.pk}/benchmarks/new/")
    draft = Benchmark.objects.get(version=2)
    response = client.post(
        f"/standards/benchmarks/{draft.pk}/edit/",
        tier_post(general={"fine_min": "100", "fine_max": "5000"}),
        follow=True,
    )
    assert "超过 10 倍" in response.content.decode()
    assert draft.tiers.get().fine_max == Decimal("5000")


def test_only_supervisors_manage_standards(personas, client_for, item):
    client = client_for(personas["leader_a"])
    assert client.post(f"/standards/items/{item.pk}/benchmarks/new/").status_code == 403
    assert client.get("/standards/items/new/").status_code == 403
    assert client.get("/standards/lenient/new/").status_code == 403
    assert not Benchmark.objects.filter(version=2).exists()


def test_supervisor_creates_item_audited(personas, client_for):
    response = client_for(personas["supervisor"]).post(
        "/standards/items/new/",
        {
            "code": "NY-9",
            "name": "违法使用农药",
            "domain": "农业农村",
            "violation_basis": "",
            "penalty_basis": "",
            "statutory_fine_max": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="standards.item.created").exists()


def test_lenient_entry_is_a_draft_until_published(personas, client_for, item):
    client = client_for(personas["supervisor"])
    client.post(
        "/standards/lenient/new/",
        {
            "list_kind": "first",
            "code": "SC-001",
            "conditions": "初次违法且危害后果轻微并及时改正",
            "basis": "",
            "name": "",
            "unit": "",
        },
    )
    entry = LenientListItem.objects.get()
    assert not entry.published and entry.item == item
    assert (
        "SC-001" not in client_for(personas["clerk_a"]).get("/standards/lenient/").content.decode()
    )
    client.post(f"/standards/lenient/{entry.pk}/publish/", {"effective_on": "2025-01-01"})
    entry.refresh_from_db()
    assert entry.published and entry.effective_on == date(2025, 1, 1)
    assert (
        "SC-001"
        in client_for(personas["clerk_a"]).get("/standards/lenient/?kind=first").content.decode()
    )
    assert AuditEvent.objects.filter(action="standards.lenient.published").exists()
    # Published once: a second publication (a replayed form) cannot move its date.
    response = client.post(
        f"/standards/lenient/{entry.pk}/publish/", {"effective_on": "2030-01-01"}, follow=True
    )
    assert response.status_code == 200 and "该清单事项已经发布" in response.content.decode()
    entry.refresh_from_db()
    assert entry.effective_on == date(2025, 1, 1)
    assert AuditEvent.objects.filter(action="standards.lenient.published").count() == 1


def test_lenient_entry_needs_a_known_item(personas, client_for, item):
    html = (
        client_for(personas["supervisor"])
        .post("/standards/lenient/new/", {"list_kind": "minor", "code": "NOPE", "conditions": "x"})
        .content.decode()
    )
    assert "没有这个事项编码" in html and not LenientListItem.objects.exists()


def test_calculator_page_and_htmx_partial(personas, client_for, item):
    LenientListItem.objects.create(
        list_kind="first",
        code="SC-001",
        item=item,
        conditions="首违",
        effective_on=date(2024, 1, 1),
    )
    client = client_for(personas["clerk_a"])
    assert "选择违法行为事项" in client.get("/standards/calculator/").content.decode()
    q = "?item=SC-001&decided_on=2025-06-01&party_type=legal&circumstances=拒不改正"
    html = client.get("/standards/calculator/" + q).content.decode()
    assert "从重" in html and "5,000 元 ～ 9,000 元" in html and "食品安全法" in html
    partial = client.get("/standards/calculator/" + q, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="calc-result"' in partial
    q = "?item=SC-001 销售过期食品&decided_on=2025-06-01&party_type=legal&circumstances=初次违法&circumstances=危害后果轻微&circumstances=及时改正"
    html = client.get("/standards/calculator/" + q).content.decode()
    assert "可以不予处罚" in html and "首次违法不予处罚" in html


def test_calculator_earlier_case_of_same_party_defeats_first_violation(
    units, personas, client_for, item
):
    from jiandu.enforcement.models import PenaltyCase
    from jiandu.lib.uscc import make

    code = make("91330000MA0000001")
    LenientListItem.objects.create(list_kind="first", code="SC-001", item=item, conditions="首违")
    PenaltyCase.objects.create(
        unit=units["b"],
        case_no="B-1",
        party_name="x",
        party_type="legal",
        party_uscc=code,
        violation_code="SC-001",
        filed_on=date(2025, 1, 1),
    )
    q = f"?item=SC-001&decided_on=2025-06-01&party_type=legal&party_uscc={code}&circumstances=初次违法&circumstances=危害后果轻微&circumstances=及时改正"
    html = client_for(personas["clerk_a"]).get("/standards/calculator/" + q).content.decode()
    assert "不适用“初次违法”" in html and "可以不予处罚" not in html


def test_calculator_uses_benchmark_in_force_on_the_date(personas, client_for, item):
    b2 = Benchmark.objects.create(item=item, version=2, effective_on=date(2025, 7, 1))
    Tier.objects.create(
        benchmark=b2,
        level="general",
        multiple_of="goods_value",
        multiple_min=Decimal("2"),
        multiple_max=Decimal("5"),
    )
    client = client_for(personas["clerk_a"])
    html = client.get(
        "/standards/calculator/?item=SC-001&decided_on=2025-06-30&party_type=legal"
    ).content.decode()
    assert "1,000 元 ～ 5,000 元" in html
    html = client.get(
        "/standards/calculator/?item=SC-001&decided_on=2025-07-01&party_type=legal&goods_value=1500"
    ).content.decode()
    assert "3,000 元 ～ 7,500 元" in html and "货值金额" in html


def test_calculator_rejects_unknown_item_and_negative_amounts(personas, client_for, item):
    html = (
        client_for(personas["clerk_a"])
        .get(
            "/standards/calculator/?item=XX&decided_on=2025-06-30&party_type=legal&illegal_income=-5"
        )
        .content.decode()
    )
    assert "没有找到该事项" in html and "金额不能为负数" in html


def test_calculator_takes_an_item_by_its_name(personas, client_for, item):
    ViolationItem.objects.create(code="SC-002", name="销售不合格食品")
    client = client_for(personas["clerk_a"])
    rest = "&decided_on=2025-06-30&party_type=legal"
    for typed in ("销售过期食品", "过期食品"):
        html = client.get(f"/standards/calculator/?item={typed}{rest}").content.decode()
        assert "SC-001 销售过期食品" in html and "1,000 元 ～ 5,000 元" in html, typed
    # A part two items share names neither: the person picks from the list.
    html = client.get(f"/standards/calculator/?item=食品{rest}").content.decode()
    assert "没有找到该事项" in html


def test_item_options_find_items_by_a_part_of_the_name(personas, client_for, item):
    client = client_for(personas["clerk_a"])
    html = client.get("/standards/items/options/?item=过期").content.decode()
    assert '<option value="SC-001 销售过期食品">' in html


def test_calculator_rejects_a_mistyped_party_uscc(personas, client_for, item):
    from jiandu.lib.uscc import make

    wrong = make("91330000MA0000001")[:17] + "0"
    if wrong == make("91330000MA0000001"):
        wrong = wrong[:17] + "1"
    q = f"?item=SC-001&decided_on=2025-06-01&party_type=legal&party_uscc={wrong}&circumstances=初次违法"
    html = client_for(personas["clerk_a"]).get("/standards/calculator/" + q).content.decode()
    assert "统一社会信用代码校验位错误" in html and "可以不予处罚" not in html
    assert f'value="{wrong}"' in html


def test_calculator_answers_an_absurd_decision_date_with_a_message(personas, client_for, item):
    from jiandu.lib.uscc import make

    code = make("91330000MA0000001")
    q = f"?item=SC-001&decided_on=0001-01-01&party_type=legal&party_uscc={code}"
    response = client_for(personas["clerk_a"]).get("/standards/calculator/" + q)
    assert response.status_code == 200
    assert "请填写正确的决定日期。" in response.content.decode()
