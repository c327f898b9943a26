import django_filters
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST

from jiandu.audit.log import log
from jiandu.intake import actions
from jiandu.intake.blank import filename, template_xlsx
from jiandu.intake.forms import TokenForm, UploadForm
from jiandu.intake.models import ApiToken, ImportBatch
from jiandu.intake.report import error_report
from jiandu.intake.schema import KINDS
from jiandu.intake.tasks import run_import_batch, start
from jiandu.lib.exports import download
from jiandu.lib.lists import Listing, Sorts
from jiandu.orgs.access import get_for_user, require_role, scope

BATCH_SORTS = Sorts({"time": ("created_at",), "state": ("state",)}, "-time")


class BatchFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=[(code, k.title) for code, k in KINDS.items()])


@login_required
def index(request):
    actions.import_scope(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        batch = actions.create_batch(
            data=data,
            name=upload.name,
            kind=form.cleaned_data["kind"],
            all_or_nothing=form.cleaned_data["all_or_nothing"],
            user=request.user,
            request=request,
        )
        # Files up to this size are imported in the request; larger ones by the worker.
        if len(data) > settings.INTAKE_INLINE_MAX_BYTES:
            run_import_batch.enqueue(batch.pk)
        else:
            actions.run_batch(batch, request=request)
        return redirect("intake:batch", batch.pk)
    batches = scope(ImportBatch.objects.select_related("unit", "created_by", "token"), request.user)
    # A batch whose process died shows 中断, not "导入中" forever.
    actions.recover_stale(batches.filter(state=ImportBatch.State.RUNNING))
    listing = Listing(request, batches, BatchFilter, BATCH_SORTS)
    page = listing.page()
    kinds = [k for k in KINDS.values() if request.user.is_supervisor or not k.supervisor_only]
    return render(
        request,
        "intake/index.html",
        {
            "form": form,
            "page": page,
            "listing": listing,
            "kinds": kinds,
            "all_kinds": KINDS.values(),
        },
    )


class ErrorListing(Listing):
    """The rows a batch refused, on the list toolkit (count, pager with the size choice,
    the export link): they are JSON on the batch, so the one filter (`?column=`, the
    column a reason is about) is applied in Python by `batch_errors`."""

    @cached_property
    def is_filtered(self) -> bool:
        return bool(self.params.get("column"))


def batch_errors(batch, params) -> list[dict]:
    """The batch's row errors the URL asks for: every one, or those of `?column=`."""
    column = params.get("column") or ""
    if not column:
        return batch.errors
    return [e for e in batch.errors if e.get("column") == column]


def error_columns(batch) -> list[str]:
    """The columns named by the batch's errors, in the order they first appear."""
    return list(dict.fromkeys(e.get("column") or "" for e in batch.errors))


@login_required
def batch(request, pk):
    batches = ImportBatch.objects.select_related("unit", "created_by", "token")
    obj = get_for_user(batches, request.user, pk)
    if obj.state == ImportBatch.State.RUNNING and actions.recover_stale(batches.filter(pk=pk)):
        obj = batches.get(pk=pk)  # its process is gone: shown as 中断 with what it wrote
    listing = ErrorListing(request, batch_errors(obj, request.GET))
    context = {
        "batch": obj,
        "page": listing.page(),
        "listing": listing,
        "column": request.GET.get("column") or "",
        "columns": error_columns(obj),
        "can_resume": "resume" in actions.available_actions(obj, request.user),
    }
    if request.htmx:
        response = render(request, "intake/batch.html#progress", context)
        if not obj.is_running:
            response["HX-Refresh"] = "true"  # done: reload the page with the whole report
        return response
    return render(request, "intake/batch.html", context)


@login_required
@require_POST
def resume(request, pk):
    obj = get_for_user(ImportBatch.objects.all(), request.user, pk)
    try:
        actions.resume_batch(obj, actor=request.user, request=request)
        start(obj, request=request)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", None) or [str(exc)]))
    return redirect("intake:batch", obj.pk)


@login_required
def report(request, pk):
    obj = get_for_user(ImportBatch.objects.all(), request.user, pk)
    if obj.is_running:
        raise Http404("导入尚未完成。")
    # The errors the page lists (its `?column=` filter), the rows they are about with them.
    content = error_report(obj, batch_errors(obj, request.GET))
    data = {"column": request.GET["column"]} if request.GET.get("column") else None
    log("intake.report", actor=request.user, obj=obj, unit=obj.unit, data=data, request=request)
    return download(content, f"导入错误报告-{obj.pk}.xlsx")


@login_required
def template(request, kind):
    if kind not in KINDS:
        raise Http404("没有这种数据类型。")
    return download(template_xlsx(kind), filename(kind))


@login_required
def tokens(request):
    require_role(request.user, "supervisor", message=actions.TOKENS_ONLY_SUPERVISORS)
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = actions.issue_token(
                actor=request.user,
                name=form.cleaned_data["name"],
                unit=form.cleaned_data["unit"],
                scopes=form.cleaned_data["scopes"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("scopes", exc)
        else:
            form = TokenForm()
    items = ApiToken.objects.select_related("unit", "created_by")
    return render(request, "intake/tokens.html", {"form": form, "tokens": items, "raw": raw})


@login_required
@require_POST
def token_revoke(request, pk):
    require_role(request.user, "supervisor", message=actions.TOKENS_ONLY_SUPERVISORS)
    token = get_object_or_404(ApiToken, pk=pk)
    actions.revoke_token(token, actor=request.user, request=request)
    return redirect("intake:tokens")
