"""State changes of the standards: items, benchmark versions, lenient lists. Only the
justice bureau's supervisors change them; a benchmark version is edited as a draft and
becomes binding only when published with an effective date (rules and public pages read
published versions only)."""

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.notify import notify
from jiandu.standards.models import (
    TIER_FIELDS,
    Benchmark,
    LenientListItem,
    PublishedDraft,
    PublishedRow,
    Tier,
    TierLevel,
    ViolationItem,
)


def require_supervisor(actor):
    if not (actor and actor.is_authenticated and actor.is_supervisor):
        raise PermissionDenied("只有监督管理员可以维护裁量基准。")


@transaction.atomic
def save_item(item: ViolationItem, *, actor, request=None) -> ViolationItem:
    """Create or update a violation item (the form has validated its fields)."""
    require_supervisor(actor)
    created = item.pk is None
    item.save()
    log(
        "standards.item.created" if created else "standards.item.updated",
        actor=actor,
        obj=item,
        request=request,
        data={"code": item.code},
    )
    return item


@transaction.atomic
def create_benchmark_draft(item: ViolationItem, *, actor, request=None) -> Benchmark:
    """A new version as a draft: a copy of the version in force today (or the latest one)."""
    require_supervisor(actor)
    if item.benchmarks.filter(published=False).exists():
        raise ValidationError("该事项已有未发布的草稿，请先编辑或发布该草稿。")
    base = item.benchmark_on() or item.benchmarks.order_by("-version").first()
    version = (item.benchmarks.aggregate(v=Max("version"))["v"] or 0) + 1
    draft = Benchmark.objects.create(
        item=item,
        version=version,
        published=False,
        effective_on=None,
        source=base.source if base else "",
    )
    if base:
        Tier.objects.bulk_create(
            Tier(benchmark=draft, level=t.level, **{f: getattr(t, f) for f in TIER_FIELDS})
            for t in base.tiers.all()
        )
    log(
        "standards.benchmark.drafted",
        actor=actor,
        obj=draft,
        request=request,
        data={"item": item.code, "version": version, "copied_from": base.version if base else None},
    )
    return draft


@transaction.atomic
def save_benchmark_tiers(
    benchmark: Benchmark, tiers: list[dict], *, actor, source=None, request=None
):
    """Replace a draft's tiers with `tiers` (validated dicts with `level` and TIER_FIELDS)."""
    require_supervisor(actor)
    benchmark = lock(benchmark)
    if benchmark.published:
        raise ValidationError("已发布的版本不能修改，请新建版本。")
    benchmark.tiers.all().delete()
    Tier.objects.bulk_create(
        Tier(
            benchmark=benchmark,
            level=t["level"],
            **{f: t.get(f) if t.get(f) is not None else blank_tier_value(f) for f in TIER_FIELDS},
        )
        for t in tiers
    )
    if source is not None:
        benchmark.source = source
        benchmark.save(update_fields=["source"])
    log(
        "standards.benchmark.tiers_saved",
        actor=actor,
        obj=benchmark,
        request=request,
        data={
            "item": benchmark.item.code,
            "version": benchmark.version,
            "levels": [t["level"] for t in tiers],
        },
    )
    return benchmark


def blank_tier_value(field):
    """A missing value as the column stores it: NULL for amounts, "" for text."""
    return None if Tier._meta.get_field(field).null else ""


@transaction.atomic
def publish_benchmark(
    benchmark: Benchmark, *, actor, effective_on, source="", request=None
) -> Benchmark:
    """Publish a draft from `effective_on`; from that date it is the one in force."""
    require_supervisor(actor)
    benchmark = lock(benchmark)
    if benchmark.published:
        raise ValidationError("该版本已经发布。")
    if not effective_on:
        raise ValidationError("请填写生效日期。")
    if not benchmark.tiers.exists():
        raise ValidationError("该版本没有任何裁量阶次，不能发布。")
    benchmark.published = True
    benchmark.published_at = timezone.now()
    benchmark.effective_on = effective_on
    if source:
        benchmark.source = source
    benchmark.save(update_fields=["published", "published_at", "effective_on", "source"])
    log(
        "standards.benchmark.published",
        actor=actor,
        obj=benchmark,
        request=request,
        data={
            "item": benchmark.item.code,
            "version": benchmark.version,
            "effective_on": effective_on.isoformat(),
            "source": benchmark.source,
        },
    )
    return benchmark


@transaction.atomic
def save_lenient_item(entry: LenientListItem, *, actor, request=None) -> LenientListItem:
    """Create or edit a list entry; an edit takes it back to draft until published again."""
    require_supervisor(actor)
    entry.item = ViolationItem.objects.filter(code=entry.code).first()
    if entry.item and not entry.name:
        entry.name = entry.item.name
    entry.published = False
    entry.save()
    log(
        "standards.lenient.saved",
        actor=actor,
        obj=entry,
        request=request,
        data={"list_kind": entry.list_kind, "code": entry.code},
    )
    return entry


@transaction.atomic
def publish_lenient_item(
    entry: LenientListItem, *, actor, effective_on, request=None
) -> LenientListItem:
    """Publish a draft entry from `effective_on`. A published entry changes only by an
    edit (back to draft) and a new publication, so its dates stay on the audit trail."""
    require_supervisor(actor)
    entry = lock(entry)
    if entry.published:
        raise ValidationError("该清单事项已经发布；如需修改请先编辑（回到草稿）再发布。")
    if not effective_on:
        raise ValidationError("请填写生效日期。")
    entry.published = True
    entry.effective_on = effective_on
    entry.save(update_fields=["published", "effective_on"])
    log(
        "standards.lenient.published",
        actor=actor,
        obj=entry,
        request=request,
        data={
            "list_kind": entry.list_kind,
            "code": entry.code,
            "effective_on": effective_on.isoformat(),
        },
    )
    return entry


# -- published files: upload, check, correct, publish ---------------------------------
#
# A published table or list is uploaded (the supervisor, or a unit's clerk or leader for
# one of its own fields), read into a PublishedDraft of rows, corrected or excluded row
# by row, and published by the supervisor as new benchmark versions (or list entries)
# with an effective date. Each transition has its check_<name>(obj, actor, today).

READABLE = {"xls", "xlsx", "docx", "pdf"}


def can_upload_published(actor, domain=None) -> bool:
    """The supervisor; or a unit's clerk or leader for one of the unit's own fields
    (`domain` None asks whether the person may upload at all)."""
    if not (actor and actor.is_authenticated):
        return False
    if actor.is_supervisor:
        return True
    if not (actor.unit_id and actor.has_role("clerk", "leader")):
        return False
    fields = set(actor.unit.domains.values_list("name", flat=True))
    return bool(fields) if domain is None else domain in fields


def _check_draft_open(draft, actor):
    if draft.state != PublishedDraft.State.DRAFT:
        raise ValidationError(f"该草稿{draft.get_state_display()}，不能再修改。")
    if actor and actor.is_authenticated and actor.is_supervisor:
        return
    if not (actor and actor.is_authenticated and draft.unit_id and actor.unit_id == draft.unit_id):
        raise PermissionDenied("只有上传单位或监督管理员可以修改该草稿。")
    if not actor.has_role("clerk", "leader"):
        raise PermissionDenied("您的角色只能查看，不能修改。")


def check_correct_draft(draft, actor, today=None):
    _check_draft_open(draft, actor)


def check_confirm_mapping(draft, actor, today=None):
    require_supervisor(actor)
    _check_draft_open(draft, actor)
    if draft.kind != PublishedDraft.Kind.BENCHMARK:
        raise ValidationError("只有裁量基准需要确认阶次对应。")


def check_publish_draft(draft, actor, today=None):
    require_supervisor(actor)
    _check_draft_open(draft, actor)
    if draft.kind == PublishedDraft.Kind.BENCHMARK and not draft.mapping_confirmed:
        raise ValidationError("请先确认阶次对应（发布文件的档次对应平台的从轻/一般/从重）。")


def check_discard_draft(draft, actor, today=None):
    _check_draft_open(draft, actor)


DRAFT_CHECKS = {
    "correct": check_correct_draft,
    "confirm_mapping": check_confirm_mapping,
    "publish": check_publish_draft,
    "discard": check_discard_draft,
}


def available_draft_actions(draft, user, today=None) -> set[str]:
    return allowed(DRAFT_CHECKS, draft, user, today)


@transaction.atomic
def create_published_draft(
    checked, *, kind, actor, domain="", code_prefix="", request=None
) -> PublishedDraft:
    """Read a checked upload (CheckedFile) into a new draft; nothing is published yet.
    A file that cannot be read at all is refused with the reason (nothing stored)."""
    from jiandu.documents.uploads import save_attachment
    from jiandu.standards.importing import (
        default_mapping,
        level_counts,
        rows_from_benchmark,
        rows_from_list,
    )
    from jiandu.standards.published.layout import walk
    from jiandu.standards.published.lenient import parse_list
    from jiandu.standards.published.readers import ReadError, read

    if not can_upload_published(actor, domain):
        raise PermissionDenied(
            "只有监督管理员，或本单位的执法人员（仅限本单位的执法领域）可以上传。"
        )
    name = checked.name
    try:
        doc = read(io.BytesIO(checked.data), name=name)
    except ReadError as exc:
        raise ValidationError(str(exc)) from exc
    if kind == PublishedDraft.Kind.BENCHMARK:
        parsed = walk(doc)
        rows = rows_from_benchmark(parsed)
    else:
        parsed = parse_list(doc)
        rows = rows_from_list(parsed)
    if not rows:
        raise ValidationError(
            "未能从文件中读出任何"
            + ("裁量阶次" if kind == PublishedDraft.Kind.BENCHMARK else "清单事项")
            + "："
            + "；".join(p.message for p in parsed.problems[:3])
        )
    draft = PublishedDraft.objects.create(
        kind=kind,
        title=name[:200],
        unit=actor.unit if actor.unit_id else None,
        domain=domain,
        code_prefix=code_prefix,
        uploaded_by=actor,
        problems=[p.as_json() for p in parsed.problems],
    )
    PublishedRow.objects.bulk_create(
        PublishedRow(draft=draft, position=n, **fields) for n, fields in enumerate(rows, 1)
    )
    if kind == PublishedDraft.Kind.BENCHMARK:
        draft.mapping = default_mapping(level_counts(draft.rows.all()))
    draft.attachment = save_attachment(checked, owner=draft, unit=draft.unit, user=actor)
    draft.save(update_fields=["mapping", "attachment"])
    log(
        "standards.published.uploaded",
        actor=actor,
        obj=draft,
        request=request,
        data={"kind": kind, "file": name, "rows": len(rows), "problems": len(parsed.problems)},
    )
    return draft


ROW_FIELDS = [
    "circumstances",
    "fine_min",
    "fine_max",
    "multiple_of",
    "multiple_min",
    "multiple_max",
    "measures",
]


@transaction.atomic
def correct_row(row: PublishedRow, *, actor, values: dict, request=None) -> PublishedRow:
    """Correct one row in place (the form has validated the values); its problem is
    cleared, since a person has now read it."""
    draft = lock(row.draft)
    check_correct_draft(draft, actor)
    changed = {f: values[f] for f in ROW_FIELDS if f in values and values[f] != getattr(row, f)}
    for f, v in changed.items():
        setattr(row, f, v)
    row.corrected = True
    row.problem = ""
    row.save()
    log(
        "standards.published.row_corrected",
        actor=actor,
        obj=draft,
        request=request,
        data={"row": row.row_number, "sheet": row.sheet, "fields": sorted(changed)},
    )
    return row


@transaction.atomic
def exclude_row(row: PublishedRow, *, actor, excluded=True, request=None) -> PublishedRow:
    draft = lock(row.draft)
    check_correct_draft(draft, actor)
    row.excluded = excluded
    row.save(update_fields=["excluded"])
    log(
        "standards.published.row_excluded" if excluded else "standards.published.row_included",
        actor=actor,
        obj=draft,
        request=request,
        data={"row": row.row_number, "sheet": row.sheet},
    )
    return row


@transaction.atomic
def confirm_mapping(draft, *, actor, mapping: dict, request=None) -> PublishedDraft:
    """The supervisor's mapping of numbered tiers to the platform's 阶次."""
    draft = lock(draft)
    check_confirm_mapping(draft, actor)
    valid = {level.value for level in TierLevel}
    for table in mapping.values():
        for target in table.values():
            if target not in valid:
                raise ValidationError("阶次对应只能选不予处罚、减轻、从轻、一般、从重。")
    draft.mapping = mapping
    draft.mapping_confirmed = True
    draft.save(update_fields=["mapping", "mapping_confirmed"])
    log(
        "standards.published.mapping_confirmed",
        actor=actor,
        obj=draft,
        request=request,
        data={"mapping": mapping},
    )
    return draft


@transaction.atomic
def publish_draft(draft, *, actor, effective_on, today=None, request=None) -> PublishedDraft:
    """Publish: per item a new benchmark version from `effective_on` (or list entries),
    each linked to the draft (its source file) and carrying its legal basis."""
    from jiandu.standards.importing import mapped_tiers, rows_by_item

    draft = lock(draft)
    check_publish_draft(draft, actor, today)
    if not effective_on:
        raise ValidationError("请填写生效日期。")
    rows = [r for r in draft.rows.all() if not r.excluded]
    if not rows:
        raise ValidationError("所有行都已排除，没有可发布的内容。")
    source = f"{draft.title}（导入草稿 #{draft.pk}）"[:200]
    count = 0
    if draft.kind == PublishedDraft.Kind.BENCHMARK:
        for code, item_rows in rows_by_item(rows).items():
            tiers = mapped_tiers(item_rows, draft.mapping)
            if not tiers:
                continue
            first = item_rows[0]
            item, _ = ViolationItem.objects.get_or_create(
                code=(draft.code_prefix + code)[:60],
                defaults={"name": first.item_name[:300], "domain": draft.domain},
            )
            item.violation_basis = item.violation_basis or first.basis
            item.penalty_basis = first.basis
            item.save(update_fields=["violation_basis", "penalty_basis"])
            version = (item.benchmarks.aggregate(v=Max("version"))["v"] or 0) + 1
            benchmark = Benchmark.objects.create(
                item=item,
                version=version,
                effective_on=effective_on,
                published=True,
                published_at=timezone.now(),
                source=source,
                imported_from=draft,
            )
            Tier.objects.bulk_create(Tier(benchmark=benchmark, **t) for t in tiers)
            count += 1
    else:
        for row in rows:
            kind = row.level if row.level in LenientListItem.Kind.values else "minor"
            code = (draft.code_prefix + row.item_code)[:60]
            LenientListItem.objects.update_or_create(
                list_kind=kind,
                code=code,
                defaults={
                    "item": ViolationItem.objects.filter(code=code).first(),
                    "name": row.item_name[:300],
                    "conditions": "；".join(c["text"] for c in row.conditions) or row.circumstances,
                    "condition_parts": row.conditions,
                    "basis": row.basis,
                    "unit": draft.unit,
                    "effective_on": effective_on,
                    "published": True,
                    "imported_from": draft,
                },
            )
            count += 1
    draft.state = PublishedDraft.State.PUBLISHED
    draft.effective_on = effective_on
    draft.published_at = timezone.now()
    draft.save(update_fields=["state", "effective_on", "published_at"])
    log(
        "standards.published.published",
        actor=actor,
        obj=draft,
        request=request,
        data={"kind": draft.kind, "count": count, "effective_on": effective_on.isoformat()},
    )
    if draft.uploaded_by_id and draft.uploaded_by_id != actor.pk:
        notify(
            [draft.uploaded_by],
            f"您上传的{draft.get_kind_display()}已发布",
            f"{draft.title}，自 {effective_on:%Y-%m-%d} 起生效。",
            reverse("standards:published_draft", args=[draft.pk]),
        )
    return draft


@transaction.atomic
def discard_draft(draft, *, actor, request=None) -> PublishedDraft:
    draft = lock(draft)
    check_discard_draft(draft, actor)
    draft.state = PublishedDraft.State.DISCARDED
    draft.save(update_fields=["state"])
    log("standards.published.discarded", actor=actor, obj=draft, request=request, data={})
    return draft
