"""State changes of the standards: items, benchmark versions, lenient lists. Only the
justice bureau's supervisors change them; a benchmark version is edited as a draft and
becomes binding only when published with an effective date (rules and public pages read
published versions only)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.lib.locking import lock
from jiandu.standards.models import (
    TIER_FIELDS,
    Benchmark,
    LenientListItem,
    Tier,
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
