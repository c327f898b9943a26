"""Standards pages: the catalogue of violation items with their benchmark versions, the
lenient lists, and the discretion calculator. Everyone logged in reads them (they are
county-wide reference data); supervisors maintain them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.lib.lists import Listing
from jiandu.standards import actions
from jiandu.standards.calculator import tier_ranges
from jiandu.standards.filters import ITEM_SORTS, LENIENT_SORTS, ItemFilter, LenientFilter
from jiandu.standards.forms import (
    ItemForm,
    LenientForm,
    LenientPublishForm,
    PublishForm,
    tier_forms,
)
from jiandu.standards.models import Benchmark, LenientListItem, ViolationItem


def _search_items(q):
    qs = ViolationItem.objects.all()
    if q:
        qs = qs.filter(Q(code__istartswith=q) | Q(name__icontains=q))
    return qs


@login_required
def items(request):
    listing = Listing(request, ViolationItem.objects.all(), ItemFilter, ITEM_SORTS)
    page = listing.page()
    today = timezone.localdate()
    in_force = {
        b.item_id: b
        for b in Benchmark.objects.in_force(today).filter(item__in=[i.pk for i in page.object_list])
    }
    rows = [(item, in_force.get(item.pk)) for item in page.object_list]
    domains = (
        ViolationItem.objects.exclude(domain="")
        .values_list("domain", flat=True)
        .distinct()
        .order_by("domain")
    )
    return render(
        request,
        "standards/items.html",
        {
            "page": page,
            "listing": listing,
            "rows": rows,
            "domains": domains,
            "f": request.GET,
        },
    )


@login_required
def item_options(request):
    """<option>s for the item search datalist (calculator, lenient form)."""
    q = request.GET.get("item", request.GET.get("q", "")).strip()
    options = (
        list(_search_items(q.split()[0] if q else "").filter(is_active=True)[:20]) if q else []
    )
    if q and not options:
        options = list(_search_items(q).filter(is_active=True)[:20])
    return render(request, "standards/item_options.html", {"options": options})


@login_required
def item(request, pk):
    obj = get_object_or_404(ViolationItem, pk=pk)
    today = timezone.localdate()
    versions = obj.benchmarks.select_related("imported_from").prefetch_related("tiers")
    if not request.user.is_supervisor:
        versions = versions.filter(published=True)
    current = obj.benchmark_on(today)
    lenient = (
        obj.lenient_items.all()
        if request.user.is_supervisor
        else obj.lenient_items.filter(published=True)
    )
    rows = []
    for b in versions:
        rows.append(
            {"benchmark": b, "tiers": tier_ranges(b), "in_force": current and b.pk == current.pk}
        )
    return render(
        request,
        "standards/item.html",
        {
            "item": obj,
            "versions": rows,
            "current": current,
            "lenient": lenient,
            "has_draft": any(not r["benchmark"].published for r in rows),
            "publish_form": PublishForm(initial={"effective_on": today}),
        },
    )


@login_required
def item_edit(request, pk=None):
    actions.require_supervisor(request.user)
    obj = get_object_or_404(ViolationItem, pk=pk) if pk else ViolationItem()
    form = ItemForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        saved = actions.save_item(form.save(commit=False), actor=request.user, request=request)
        messages.success(request, f"已保存事项 {saved.code}。")
        return redirect("standards:item", saved.pk)
    return render(request, "standards/item_form.html", {"form": form, "item": obj})


@login_required
@require_POST
def benchmark_new(request, pk):
    actions.require_supervisor(request.user)
    obj = get_object_or_404(ViolationItem, pk=pk)
    try:
        draft = actions.create_benchmark_draft(obj, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("standards:item", obj.pk)
    messages.success(
        request, f"已新建第{draft.version}版草稿（复制自现行版本），请修改各阶次后发布。"
    )
    return redirect("standards:benchmark_edit", draft.pk)


@login_required
def benchmark_edit(request, pk):
    actions.require_supervisor(request.user)
    benchmark = get_object_or_404(Benchmark.objects.select_related("item"), pk=pk)
    if benchmark.published:
        messages.info(request, "已发布的版本不能修改；如需调整请新建版本。")
        return redirect("standards:item", benchmark.item_id)
    forms_ = tier_forms(benchmark, request.POST or None)
    source = (
        request.POST.get("source", benchmark.source)
        if request.method == "POST"
        else benchmark.source
    )
    if request.method == "POST" and all(f.is_valid() for f in forms_):
        kept = [f.cleaned_data | {"level": f.prefix} for f in forms_ if f.has_content()]
        if not kept:
            messages.error(request, "请至少填写一个裁量阶次。")
        else:
            actions.save_benchmark_tiers(
                benchmark, kept, actor=request.user, source=source[:200], request=request
            )
            warnings = [f.warning for f in forms_ if f.warning]
            for w in warnings:
                messages.warning(
                    request, w + "（国发〔2024〕5号：新设罚款幅度上下限一般不超过10倍）"
                )
            messages.success(request, "草稿已保存。")
            if request.POST.get("next") == "publish":
                return redirect(reverse("standards:item", args=[benchmark.item_id]) + "#publish")
            return redirect("standards:benchmark_edit", benchmark.pk)
    return render(
        request,
        "standards/benchmark_form.html",
        {
            "benchmark": benchmark,
            "forms": forms_,
            "source": source,
        },
    )


@login_required
@require_POST
def benchmark_publish(request, pk):
    actions.require_supervisor(request.user)
    benchmark = get_object_or_404(Benchmark.objects.select_related("item"), pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_benchmark(
                benchmark,
                actor=request.user,
                effective_on=form.cleaned_data["effective_on"],
                source=form.cleaned_data["source"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                f"第{benchmark.version}版已发布，自 {form.cleaned_data['effective_on']:%Y-%m-%d} 起生效。",
            )
    else:
        messages.error(request, "发布失败：请填写正确的生效日期。")
    return redirect("standards:item", benchmark.item_id)


@login_required
def lenient(request):
    qs = LenientListItem.objects.select_related("item", "unit")
    if not request.user.is_supervisor:
        qs = qs.filter(published=True)
    listing = Listing(request, qs, LenientFilter, LENIENT_SORTS)
    page = listing.page()
    return render(
        request,
        "standards/lenient.html",
        {
            "page": page,
            "listing": listing,
            "kinds": LenientListItem.Kind.choices,
            "f": request.GET,
            "today": timezone.localdate(),
        },
    )


@login_required
def lenient_edit(request, pk=None):
    actions.require_supervisor(request.user)
    entry = get_object_or_404(LenientListItem, pk=pk) if pk else LenientListItem()
    form = LenientForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        actions.save_lenient_item(form.save(commit=False), actor=request.user, request=request)
        messages.success(
            request, "已保存为草稿；发布并填写生效日期后才会被预警规则和公开页面使用。"
        )
        return redirect("standards:lenient")
    return render(request, "standards/lenient_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def lenient_publish(request, pk):
    actions.require_supervisor(request.user)
    entry = get_object_or_404(LenientListItem, pk=pk)
    form = LenientPublishForm(request.POST)
    if form.is_valid():
        try:
            actions.publish_lenient_item(
                entry,
                actor=request.user,
                effective_on=form.cleaned_data["effective_on"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"已发布：{entry}。")
    else:
        messages.error(request, "发布失败：请填写正确的生效日期。")
    return redirect("standards:lenient")
