"""Published files in: upload a 裁量基准 table or 不予处罚 list as published, check every
row the platform read next to the original text, correct a row in place or exclude it,
confirm the mapping of numbered tiers, see what changes against the version in force,
and publish with an effective date. The transitions are in actions.py."""

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.lib.lists import Listing, Sorts
from jiandu.orgs.access import get_for_user, scope
from jiandu.standards import actions
from jiandu.standards.forms import DraftPublishForm, PublishedRowForm, PublishedUploadForm
from jiandu.standards.importing import band_text, differences, level_counts
from jiandu.standards.models import PublishedDraft, PublishedRow, TierLevel

DRAFT_SORTS = Sorts({"uploaded": ("uploaded_at",), "title": ("title",)}, "-uploaded")
ROW_SORTS = Sorts({"position": ("position",), "code": ("item_code", "position")}, "position")


class DraftFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PublishedDraft.Kind.choices)
    state = django_filters.ChoiceFilter(choices=PublishedDraft.State.choices)


class RowFilter(django_filters.FilterSet):
    show = django_filters.ChoiceFilter(
        choices=[("problem", "仅未读懂的行"), ("excluded", "仅已排除"), ("corrected", "仅已更正")],
        method="filter_show",
    )
    q = django_filters.CharFilter(method="filter_q")
    sheet = django_filters.CharFilter()

    def filter_show(self, qs, name, value):
        if value == "problem":
            return qs.exclude(problem="")
        return qs.filter(**{value: True})

    def filter_q(self, qs, name, value):
        return qs.filter(Q(item_code__istartswith=value) | Q(item_name__icontains=value))


def _draft(request, pk):
    return get_for_user(
        PublishedDraft.objects.select_related("unit", "attachment"), request.user, pk
    )


def _row(request, pk):
    return get_for_user(
        PublishedRow.objects.select_related("draft"), request.user, pk, unit_field="draft__unit"
    )


@login_required
def published_list(request):
    qs = scope(PublishedDraft.objects.select_related("unit", "uploaded_by"), request.user)
    qs = qs.annotate(
        row_count=Count("rows"), problem_count=Count("rows", filter=~Q(rows__problem=""))
    )
    listing = Listing(request, qs, DraftFilter, DRAFT_SORTS)
    return render(
        request,
        "standards/published_list.html",
        {
            "page": listing.page(),
            "listing": listing,
            "f": request.GET,
            "kinds": PublishedDraft.Kind.choices,
            "states": PublishedDraft.State.choices,
            "can_upload": actions.can_upload_published(request.user),
        },
    )


@login_required
def published_upload(request):
    if not actions.can_upload_published(request.user):
        raise PermissionDenied("只有监督管理员，或本单位的执法人员可以上传发布文件。")
    form = PublishedUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = actions.create_published_draft(
                data["file"],
                kind=data["kind"],
                actor=request.user,
                domain=data["domain"],
                code_prefix=data["code_prefix"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("file" if "文件" in exc.messages[0] else None, exc.messages[0])
        except PermissionDenied as exc:
            form.add_error("domain", str(exc))
        else:
            rows = draft.rows.count()
            problems = draft.rows.exclude(problem="").count()
            messages.success(
                request,
                f"已读取 {rows} 行"
                + (f"，其中 {problems} 行未读懂，已标出" if problems else "，全部读懂")
                + "。请逐行核对后发布。",
            )
            return redirect("standards:published_draft", draft.pk)
    domains = (
        list(request.user.unit.domains.values_list("name", flat=True))
        if request.user.unit_id and not request.user.is_supervisor
        else []
    )
    return render(request, "standards/published_upload.html", {"form": form, "domains": domains})


def _row_context(row, user, can_edit):
    return {"row": row, "band": band_text(row), "can_edit": can_edit}


@login_required
def published_draft(request, pk):
    draft = _draft(request, pk)
    today = timezone.localdate()
    available = actions.available_draft_actions(draft, request.user, today)
    listing = Listing(request, draft.rows.all(), RowFilter, ROW_SORTS)
    page = listing.page()
    rows = [_row_context(r, request.user, "correct" in available) for r in page.object_list]
    all_rows = list(draft.rows.all())
    counts = level_counts(all_rows) if draft.kind == PublishedDraft.Kind.BENCHMARK else {}
    mapping_table = [
        {
            "count": count,
            "levels": [
                (level, (draft.mapping.get(count) or {}).get(level, TierLevel.GENERAL))
                for level in levels
            ],
        }
        for count, levels in counts.items()
    ]
    changes = (
        differences(draft, today)
        if draft.kind == PublishedDraft.Kind.BENCHMARK and draft.state == "draft"
        else []
    )
    return render(
        request,
        "standards/published_draft.html",
        {
            "draft": draft,
            "page": page,
            "listing": listing,
            "rows": rows,
            "f": request.GET,
            "available": available,
            "mapping_table": mapping_table,
            "targets": TierLevel.choices,
            "changes": changes,
            "total": len(all_rows),
            "unread": sum(1 for r in all_rows if r.problem),
            "excluded": sum(1 for r in all_rows if r.excluded),
            "sheets": sorted({r.sheet for r in all_rows if r.sheet}),
            "publish_form": DraftPublishForm(initial={"effective_on": today}),
            "benchmarks": draft.benchmarks.select_related("item")[:500]
            if draft.state == "published"
            else [],
        },
    )


@login_required
def published_row_edit(request, pk):
    row = _row(request, pk)
    draft = row.draft
    try:
        actions.check_correct_draft(draft, request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("standards:published_draft", draft.pk)
    form = PublishedRowForm(request.POST or None, instance=PublishedRow.objects.get(pk=row.pk))
    partial = request.headers.get("HX-Request") == "true"
    if request.method == "POST" and form.is_valid():
        try:
            actions.correct_row(row, actor=request.user, values=form.cleaned_data, request=request)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            if partial:
                row.refresh_from_db()
                return render(
                    request, "standards/_published_row.html", _row_context(row, request.user, True)
                )
            messages.success(request, f"已更正 {row.item_code} 第{row.level}档。")
            return redirect(
                reverse("standards:published_draft", args=[draft.pk]) + f"#row-{row.pk}"
            )
    template = "standards/_published_row_form.html" if partial else "standards/published_row.html"
    return render(request, template, {"row": row, "form": form, "draft": draft})


@login_required
@require_POST
def published_row_exclude(request, pk):
    row = _row(request, pk)
    try:
        actions.exclude_row(
            row, actor=request.user, excluded=request.POST.get("excluded") != "0", request=request
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    if request.headers.get("HX-Request") == "true":
        row.refresh_from_db()
        return render(
            request, "standards/_published_row.html", _row_context(row, request.user, True)
        )
    return redirect(reverse("standards:published_draft", args=[row.draft_id]) + f"#row-{row.pk}")


@login_required
@require_POST
def published_mapping(request, pk):
    draft = _draft(request, pk)
    mapping = {}
    for key, value in request.POST.items():
        if key.startswith("map-"):
            _, count, level = key.split("-", 2)
            mapping.setdefault(count, {})[level] = value
    try:
        actions.confirm_mapping(draft, actor=request.user, mapping=mapping, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "阶次对应已确认。")
    return redirect(reverse("standards:published_draft", args=[draft.pk]) + "#mapping")


@login_required
@require_POST
def published_publish(request, pk):
    draft = _draft(request, pk)
    form = DraftPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "发布失败：请填写正确的生效日期。")
        return redirect("standards:published_draft", draft.pk)
    try:
        actions.publish_draft(
            draft,
            actor=request.user,
            effective_on=form.cleaned_data["effective_on"],
            today=timezone.localdate(),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, f"已发布，自 {form.cleaned_data['effective_on']:%Y-%m-%d} 起生效。"
        )
    return redirect("standards:published_draft", draft.pk)


@login_required
@require_POST
def published_discard(request, pk):
    draft = _draft(request, pk)
    try:
        actions.discard_draft(draft, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "草稿已作废。")
    return redirect("standards:published_list")
