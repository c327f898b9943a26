"""Upload a published file, check it row by row, correct, map, publish (pages and actions)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.audit.models import AuditEvent
from jiandu.standards.calculator import load
from jiandu.standards.models import (
    Benchmark,
    LenientListItem,
    PublishedDraft,
    PublishedRow,
    ViolationItem,
)

from .realdata import GUANGDONG_LIST_PDF, JIANGMEN_LIST_MD, JIANGMEN_XLS, need

pytestmark = pytest.mark.django_db


def _upload(client, path, kind="benchmark", **extra):
    data = path.read_bytes()
    return client.post(
        reverse("standards:published_upload"),
        {"kind": kind, "file": SimpleUploadedFile(path.name, data), **extra},
    )


@pytest.fixture
def jiangmen_draft(personas, client_for):
    client = client_for(personas["supervisor"])
    r = _upload(client, need(JIANGMEN_XLS), domain="生态环境", code_prefix="JM")
    assert r.status_code == 302, r.content.decode()[:2000]
    return PublishedDraft.objects.get(), client


def test_upload_reads_every_tier_row_into_a_draft(jiangmen_draft):
    draft, client = jiangmen_draft
    assert draft.rows.count() == 678
    assert draft.rows.exclude(problem="").count() == 2
    assert draft.attachment.original_name == "jmzyclb.xls"
    assert draft.mapping["3"] == {"1": "lighter", "2": "general", "3": "heavier"}
    assert draft.mapping["5"] == {
        "1": "lighter",
        "2": "lighter",
        "3": "general",
        "4": "heavier",
        "5": "heavier",
    }
    page = client.get(reverse("standards:published_draft", args=[draft.pk]))
    body = page.content.decode()
    assert "读取 <strong>678</strong> 行" in body and "2 行未读懂" in body
    assert "责令改正，处二万元以上五万元以下罚款" in body  # the original next to the reading
    assert "20000～50000 元" in body
    problems = client.get(reverse("standards:published_draft", args=[draft.pk]) + "?show=problem")
    assert "阶次与上一档相同" in problems.content.decode()
    # ?size= is kept by the toolkit's pager
    assert (
        "每页"
        in client.get(
            reverse("standards:published_draft", args=[draft.pk]) + "?size=20"
        ).content.decode()
    )
    assert AuditEvent.objects.filter(action="standards.published.uploaded").count() == 1


def test_correct_exclude_map_and_publish(jiangmen_draft, personas, client_for):
    draft, client = jiangmen_draft
    row = draft.rows.get(sheet="水污染防治法", row_number=3)
    url = reverse("standards:published_row", args=[row.pk])
    # Bad input: a clear message, nothing changed.
    r = client.post(
        url, {"circumstances": row.circumstances, "fine_min": "60000", "fine_max": "50000"}
    )
    assert "罚款上限不能低于下限" in r.content.decode()
    row.refresh_from_db()
    assert row.fine_min == 20000 and not row.corrected
    r = client.post(
        url,
        {
            "circumstances": row.circumstances,
            "fine_min": "30000",
            "fine_max": "50000",
            "measures": "责令改正",
        },
    )
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.fine_min == 30000 and row.corrected
    # Exclude one whole item (its rows).
    for r_ in draft.rows.filter(item_code="1-1"):
        client.post(reverse("standards:published_row_exclude", args=[r_.pk]), {"excluded": "1"})
    assert draft.rows.filter(item_code="1-1", excluded=True).count() == 4  # its 4 tiers
    # Publishing needs the mapping confirmed first.
    r = client.post(
        reverse("standards:published_publish", args=[draft.pk]), {"effective_on": "2026-01-01"}
    )
    draft.refresh_from_db()
    assert draft.state == "draft"
    mapping = {
        f"map-{count}-{level}": target
        for count, table in draft.mapping.items()
        for level, target in table.items()
    }
    client.post(reverse("standards:published_mapping", args=[draft.pk]), mapping)
    draft.refresh_from_db()
    assert draft.mapping_confirmed
    page = client.get(reverse("standards:published_draft", args=[draft.pk])).content.decode()
    assert "与现行版本的差异（164 个事项）" in page  # 165 less the excluded one, all new
    r = client.post(
        reverse("standards:published_publish", args=[draft.pk]), {"effective_on": "2026-01-01"}
    )
    draft.refresh_from_db()
    assert draft.state == "published"
    assert Benchmark.objects.filter(imported_from=draft).count() == 164
    # A published draft's rows are no longer corrected: back to the draft with the reason.
    assert client.get(reverse("standards:published_row", args=[row.pk])).status_code == 302
    assert not ViolationItem.objects.filter(code="JM1-1").exists()
    item = ViolationItem.objects.get(code="JM2-1")
    assert item.name == "拒绝现场检查或者在接受检查时弄虚作假" and item.domain == "生态环境"
    assert "第八十一条" in item.penalty_basis
    page = client.get(reverse("standards:item", args=[item.pk])).content.decode()
    assert "原始发布文件" in page and "第八十一条" in page  # the legal basis and the source file
    # The calculator reads the new version: 5 tiers → 从轻 (1,2) 一般 (3) 从重 (4,5).
    tiers, _lenient, benchmark = load(item, date(2026, 3, 1))
    assert benchmark.imported_from == draft
    by_level = {t.level: t for t in tiers}
    assert (by_level["lighter"].fine_min, by_level["lighter"].fine_max) == (30000, 100000)
    assert (by_level["general"].fine_min, by_level["general"].fine_max) == (100000, 150000)
    assert (by_level["heavier"].fine_min, by_level["heavier"].fine_max) == (150000, 200000)
    # Re-uploading the corrected table: a new draft listing the differences.
    _upload(client, need(JIANGMEN_XLS), domain="生态环境", code_prefix="JM")
    second = PublishedDraft.objects.filter(state="draft").get()
    page = client.get(reverse("standards:published_draft", args=[second.pk])).content.decode()
    assert "JM2-1" in page and "从轻：30000～100000元 → 20000～100000元" in page
    assert "JM1-1</strong>" in page  # excluded before, new now
    for action in ("row_corrected", "row_excluded", "mapping_confirmed", "published"):
        assert AuditEvent.objects.filter(action=f"standards.published.{action}").exists()


def test_a_unit_uploads_for_its_own_field_only_and_cannot_publish(personas, units, client_for):
    from jiandu.orgs.models import Domain

    field = Domain.objects.first()
    units["b"].domains.add(field)
    client = client_for(personas["clerk_b"])
    r = _upload(client, need(JIANGMEN_LIST_MD), kind="lenient", domain="不是本单位的领域")
    assert r.status_code == 200 and "本单位的执法领域" in r.content.decode()
    r = _upload(client, need(JIANGMEN_LIST_MD), kind="lenient")  # a unit names its field
    assert r.status_code == 200 and not PublishedDraft.objects.exists()
    r = _upload(client, need(JIANGMEN_LIST_MD), kind="lenient", domain=field.name)
    assert r.status_code == 302
    draft = PublishedDraft.objects.get()
    assert draft.unit == units["b"] and draft.rows.count() == 40
    r = client.post(
        reverse("standards:published_publish", args=[draft.pk]), {"effective_on": "2026-01-01"}
    )
    draft.refresh_from_db()
    assert draft.state == "draft"
    # Another unit's clerk does not see it.
    other = client_for(personas["clerk_a"])
    assert other.get(reverse("standards:published_draft", args=[draft.pk])).status_code == 404


def test_lenient_list_from_pdf_published_with_conditions(personas, client_for):
    client = client_for(personas["supervisor"])
    assert (
        _upload(client, need(GUANGDONG_LIST_PDF), kind="lenient", code_prefix="GD").status_code
        == 302
    )
    draft = PublishedDraft.objects.get()
    assert draft.rows.count() == 20 and not draft.rows.exclude(problem="").exists()
    page = client.get(reverse("standards:published_draft", args=[draft.pk])).content.decode()
    assert "可据案件数据核对" in page and "需办案人员判断" in page
    client.post(
        reverse("standards:published_publish", args=[draft.pk]), {"effective_on": "2026-02-01"}
    )
    entry = LenientListItem.objects.get(code="GD6")
    assert entry.list_kind == "first" and entry.published and entry.imported_from == draft
    assert [c["checkable"] for c in entry.condition_parts] == [True, False, True]
    assert "近一年内属于首次违法" in entry.conditions
    # The calculator shows the conditions case data cannot show.
    item = ViolationItem.objects.create(code="GD6", name="超过水污染物排放标准排放水污染物")
    _tiers, lenient, _b = load(item, date(2026, 3, 1))
    [spec] = lenient
    assert len(spec.to_judge) == 1 and "0.1倍以下" in spec.to_judge[0]


def test_unreadable_upload_is_refused_in_chinese(personas, client_for):
    client = client_for(personas["supervisor"])
    r = client.post(
        reverse("standards:published_upload"),
        {"kind": "benchmark", "file": SimpleUploadedFile("a.xlsx", b"not a workbook")},
    )
    assert r.status_code == 200 and "类型不被接受" in r.content.decode()
    assert not PublishedDraft.objects.exists() and not PublishedRow.objects.exists()


def test_public_standards_tabs_keep_the_page_size(client):
    url = reverse("portal:standards")
    body = client.get(url + "?tab=benchmarks&size=20").content.decode()
    assert 'href="?tab=lenient&size=20"' in body
    assert 'href="?tab=benchmarks&size=20"' in body
