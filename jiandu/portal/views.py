"""Public pages of the reporting platform: no login, phone first (portal/public_base.html)."""

from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiandu.campaigns.models import Campaign
from jiandu.documents import staging
from jiandu.lib.lists import Listing
from jiandu.portal import actions, captcha, ratelimit
from jiandu.portal.filters import (
    PUBLIC_PAGE_SIZE,
    BenchmarkSearch,
    LenientSearch,
    PublishedCaseFilter,
)
from jiandu.portal.forms import (
    ComplaintForm,
    RatingForm,
    SupplementForm,
    TrackForm,
    VerifyForm,
    WithdrawForm,
)
from jiandu.portal.models import (
    CATEGORY_HELP,
    Category,
    Complaint,
    ComplaintMessage,
    InspectionRating,
    PublishedCase,
)
from jiandu.portal.public import (
    find_inspection,
    inspection_officers,
    joint_members,
    public_stats,
    timeline,
)
from jiandu.standards.models import Benchmark, LenientListItem

NOT_FOUND = "未查询到该查询码对应的举报，请核对后重新输入。"


def _rate_limited(scope):
    """Count each request against the address's allowance for `scope`; over it, the
    page says so (429) and the view does not run."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not ratelimit.hit(request, scope):
                return render(
                    request,
                    "portal/limited.html",
                    {"message": ratelimit.LIMITED_MESSAGE},
                    status=429,
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def home(request):
    stats = cache.get("portal:stats")
    if stats is None:
        stats = public_stats()
        cache.set("portal:stats", stats, 60)
    return render(
        request,
        "portal/home.html",
        {
            "campaign": Campaign.objects.current(),
            "stats": stats,
            "cases": PublishedCase.objects.visible().select_related("unit")[:5],
        },
    )


# --- report ---------------------------------------------------------------------------


CAPTCHA_LIMITED = "获取验证码过于频繁，请稍后刷新页面再提交（已填写的内容不会丢失）。"


def _report_context(request, form, **extra):
    """The form with a fresh challenge: a challenge is made only here, when the form is
    shown, and each one counts against the address's captcha allowance."""
    challenge = captcha.new_challenge() if ratelimit.hit(request, "captcha") else None
    form.data = form.data.copy() if form.is_bound else form.data
    challenge_id = challenge.pk if challenge else ""
    if form.is_bound:
        form.data["captcha_id"] = challenge_id
        form.data["captcha_answer"] = ""
    else:
        form.initial["captcha_id"] = challenge_id
    return {
        "form": form,
        "challenge": challenge,
        "captcha_limited": None if challenge else CAPTCHA_LIMITED,
        "category_help": CATEGORY_HELP,
        **extra,
    }


def _prefill(request) -> dict:
    """From the verification page: the inspection's unit, 乱检查, and its reference.
    Looking the code up is a 亮码 check like the verification page, and counts as one."""
    initial = {}
    code = (request.GET.get("inspection") or "").strip()[:40]
    if code:
        initial["inspection_ref"] = code
        initial["category"] = Category.INSPECTION
        if not ratelimit.hit(request, "verify"):
            return initial
        inspection = find_inspection(code)
        if inspection is not None:
            initial["reported_unit"] = inspection.unit_id
            initial["happened_on"] = inspection.inspected_on
            initial["description"] = (
                f"关于 {inspection.inspected_on:%Y-%m-%d} 的检查（核验码 {code}）：\n"
            )
        else:
            initial["description"] = f"执法人员出示的核验码 {code} 未查询到登记备案信息。\n"
    category = request.GET.get("category")
    if category in Category.values:
        initial["category"] = category
    return initial


@never_cache
def report(request):
    if request.method != "POST":
        form = ComplaintForm(initial=_prefill(request))
        return render(request, "portal/report.html", _report_context(request, form))
    form = ComplaintForm(request.POST, request.FILES)
    if not ratelimit.hit(request, "submit"):
        form.is_valid()  # the challenge is spent either way; the good files are kept
        ctx = _report_context(request, form, limited=ratelimit.LIMITED_MESSAGE, **_files(form))
        return render(request, "portal/report.html", ctx, status=429)
    if form.is_valid():
        data = form.cleaned_data
        named = data["identity"] == "named"
        ref = data.get("inspection_ref") or ""
        try:
            complaint = actions.submit_complaint(
                category=data["category"],
                description=data["description"],
                reported_unit=data.get("reported_unit"),
                happened_on=data.get("happened_on"),
                place=data.get("place", ""),
                anonymous=not named,
                name=data.get("name", "") if named else "",
                phone=data.get("phone", "") if named else "",
                inspection=find_inspection(ref) if ref else None,
                inspection_ref=ref,
                files=data.get("files") or [],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except BaseException:
            staging.discard(form)  # a failed store leaves no copy of the files either
            raise
        else:
            staging.discard(form)
            return redirect(
                reverse("portal:track_detail", args=[complaint.tracking_code]) + "?new=1"
            )
    ctx = _report_context(request, form, **_files(form))
    return render(request, "portal/report.html", ctx, status=400)


def _files(form) -> dict:
    """Nothing submitted is lost: the files that passed their checks are kept
    (documents.staging) and listed under the file input, ticked; a file that failed is
    named in the error, to choose again."""
    return {
        "kept": form.fields["files"].widget.kept,
        "files_rejected": "files" in form.errors,
        "had_files": bool(form.files.getlist("files")),
    }


@never_cache
def captcha_image(request, challenge_id):
    challenge = get_object_or_404(captcha.CaptchaChallenge, pk=challenge_id)
    return HttpResponse(captcha.render_png(challenge), content_type="image/png")


@never_cache
def captcha_new(request):
    """A fresh challenge for the 换一张 button of a form on the page (HTMX swaps the
    CAPTCHA block); counted against the same allowance as the form's own challenges."""
    if not ratelimit.hit(request, "captcha"):
        return HttpResponse(ratelimit.LIMITED_MESSAGE, status=429)
    return render(request, "portal/captcha.html", {"challenge": captcha.new_challenge()})


# --- tracking -------------------------------------------------------------------------


def track(request):
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("portal:track_detail", code=form.cleaned_data["code"])
    return render(request, "portal/track.html", {"form": form})


def _find_complaint(code) -> Complaint | None:
    """Unknown and malformed codes alike get the same answer (see _not_found)."""
    code = actions.normalize_code(code)
    return Complaint.objects.filter(tracking_code=code).first() if code else None


def _not_found(request):
    return render(
        request,
        "portal/track.html",
        {"form": TrackForm(), "not_found": NOT_FOUND},
        status=404,
    )


def _track_page(
    request, complaint, *, supplement_form=None, rating_form=None, withdraw_form=None, status=200
):
    public_messages = complaint.messages.filter(public=True).exclude(
        kind=ComplaintMessage.Kind.NOTE
    )
    ctx = {
        "complaint": complaint,
        "code_display": actions.format_code(complaint.tracking_code),
        "deadlines": complaint.deadlines(),
        "step": complaint.current_step(),
        "timeline": timeline(complaint, public_messages),
        "is_new": request.GET.get("new") == "1",
        "supplement_form": supplement_form or SupplementForm(),
        "rating_form": rating_form or RatingForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
    }
    return render(request, "portal/track_detail.html", ctx, status=status)


@never_cache
@_rate_limited("track")
def track_detail(request, code):
    complaint = _find_complaint(code)
    if complaint is None:
        return _not_found(request)
    return _track_page(request, complaint)


def _track_post(request, code, form_class, action, done, form_name):
    """A complainant's POST on the tracking page: the form's cleaned data are the
    action's arguments. The action refuses when the complaint has moved on (closed, or
    already rated), and then the page no longer shows that form: its reason goes on top."""
    complaint = _find_complaint(code)
    if complaint is None:
        return _not_found(request)
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            action(complaint, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        except BaseException:
            staging.discard(form)
            raise
        else:
            staging.discard(form)
            messages.success(request, done)
            return redirect("portal:track_detail", code=complaint.tracking_code)
    return _track_page(request, complaint, status=400, **{form_name: form})


@require_POST
@_rate_limited("feedback")
def track_supplement(request, code):
    return _track_post(
        request,
        code,
        SupplementForm,
        actions.add_supplement,
        "补充材料已提交，承办人员会一并核实。",
        "supplement_form",
    )


@require_POST
@_rate_limited("feedback")
def track_withdraw(request, code):
    return _track_post(
        request,
        code,
        WithdrawForm,
        actions.withdraw_complaint,
        "举报已撤回。",
        "withdraw_form",
    )


@require_POST
@_rate_limited("feedback")
def track_rate(request, code):
    return _track_post(
        request, code, RatingForm, actions.rate_complaint, "感谢您的评价。", "rating_form"
    )


# --- inspection verification (亮码检查) -------------------------------------------------


def verify(request):
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("portal:verify_detail", code=form.cleaned_data["code"])
    return render(request, "portal/verify.html", {"form": form})


def _unknown_inspection(request, code):
    return render(
        request,
        "portal/verify.html",
        {"form": VerifyForm(initial={"code": code}), "unknown_code": code},
        status=404,
    )


def _verify_page(request, code, inspection, *, rating_form=None, status=200):
    ctx = {
        "inspection": inspection,
        "code": code,
        "registered": bool(inspection.registration_no),
        "officers": inspection_officers(inspection),
        "joint_members": joint_members(inspection),
        "rating_form": rating_form or RatingForm(),
        "rated": InspectionRating.objects.filter(inspection=inspection).exists(),
    }
    return render(request, "portal/verify_detail.html", ctx, status=status)


@never_cache
@_rate_limited("verify")
def verify_detail(request, code):
    inspection = find_inspection(code)
    if inspection is None:
        return _unknown_inspection(request, code)
    return _verify_page(request, code, inspection)


@require_POST
@_rate_limited("feedback")
@_rate_limited("verify")
def verify_rate(request, code):
    """One rating per inspection, held by the database (not the browser's session)."""
    inspection = find_inspection(code)
    if inspection is None:
        return _unknown_inspection(request, code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            actions.rate_inspection(
                inspection,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "感谢您的评价，评价以汇总方式反馈给检查单位。")
            return redirect("portal:verify_detail", code=code)
    return _verify_page(request, code, inspection, rating_form=form, status=400)


# --- published information ------------------------------------------------------------


def cases(request):
    qs = PublishedCase.objects.visible().select_related("unit")
    listing = Listing(request, qs, PublishedCaseFilter, default_size=PUBLIC_PAGE_SIZE)
    return render(
        request,
        "portal/cases.html",
        {
            "page": listing.page(),
            "listing": listing,
            "categories": Category.choices,
            "category": request.GET.get("category", ""),
        },
    )


def case_detail(request, pk):
    case = get_object_or_404(PublishedCase.objects.visible().select_related("unit"), pk=pk)
    return render(request, "portal/case_detail.html", {"case": case})


def standards(request):
    """Published benchmarks (in force today) and lenient lists, searchable."""
    q = (request.GET.get("q") or "").strip()[:100]
    tab = "lenient" if request.GET.get("tab") == "lenient" else "benchmarks"
    if tab == "benchmarks":
        qs = (
            Benchmark.objects.in_force()
            .filter(item__is_active=True)
            .select_related("item")
            .prefetch_related("tiers")
            .order_by("item__code", "id")
        )
        search = BenchmarkSearch
    else:
        qs = LenientListItem.objects.filter(published=True).select_related("unit")
        search = LenientSearch
    listing = Listing(request, qs, search, default_size=PUBLIC_PAGE_SIZE)
    return render(
        request,
        "portal/standards.html",
        {"page": listing.page(), "listing": listing, "q": q, "tab": tab},
    )
