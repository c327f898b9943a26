"""The enterprise's side of 信用修复 on the public portal: apply (CAPTCHA, rate limit,
evidence uploads checked by content, as complaints), then follow the application by its
code. The tracking page shows this application only, never other data."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from jiandu import workdays
from jiandu.credit import actions
from jiandu.credit.forms import ApplyForm, TrackForm
from jiandu.credit.models import RepairApplication
from jiandu.documents import staging
from jiandu.lib.action_errors import add_action_errors
from jiandu.portal import captcha, ratelimit
from jiandu.portal.actions import format_code, normalize_code

CAPTCHA_LIMITED = "获取验证码过于频繁，请稍后刷新页面再提交（已填写的内容不会丢失）。"
NOT_FOUND = "未查询到该查询码对应的信用修复申请，请核对后重新输入。"


def _context(request, form, **extra):
    challenge = captcha.new_challenge() if ratelimit.hit(request, "captcha") else None
    challenge_id = challenge.pk if challenge else ""
    if form.is_bound:
        form.data = form.data.copy()
        form.data["captcha_id"] = challenge_id
        form.data["captcha_answer"] = ""
    else:
        form.initial["captcha_id"] = challenge_id
    return {
        "form": form,
        "challenge": challenge,
        "captcha_limited": None if challenge else CAPTCHA_LIMITED,
        "kept": form.fields["files"].widget.kept,
        **extra,
    }


@never_cache
def apply(request):
    if request.method != "POST":
        return render(request, "credit/public/apply.html", _context(request, ApplyForm()))
    form = ApplyForm(request.POST, request.FILES)
    if not ratelimit.hit(request, "submit"):
        form.is_valid()
        ctx = _context(request, form, limited=ratelimit.LIMITED_MESSAGE)
        return render(request, "credit/public/apply.html", ctx, status=429)
    if form.is_valid():
        data = form.cleaned_data
        try:
            app = actions.submit_application(
                uscc=data["uscc"],
                enterprise_name=data["enterprise_name"],
                decision_no=data["decision_no"],
                grounds=data["grounds"],
                files=data.get("files") or [],
                request=request,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            staging.discard(form)
            url = reverse("credit_public:track_detail", args=[app.code])
            return redirect(f"{url}?new=1")
    return render(request, "credit/public/apply.html", _context(request, form), status=400)


def track(request):
    form = TrackForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect(
            "credit_public:track_detail", code=normalize_code(form.cleaned_data["code"])
        )
    return render(request, "credit/public/track.html", {"form": form})


@never_cache
def track_detail(request, code):
    if not ratelimit.hit(request, "track"):
        return render(
            request, "portal/limited.html", {"message": ratelimit.LIMITED_MESSAGE}, status=429
        )
    code = normalize_code(code)
    app = (
        RepairApplication.objects.filter(code=code).select_related("unit").first() if code else None
    )
    if app is None:
        return render(
            request,
            "credit/public/track.html",
            {"form": TrackForm(), "not_found": NOT_FOUND},
            status=404,
        )
    calendar = workdays.calendar()
    return render(
        request,
        "credit/public/track_detail.html",
        {
            "app": app,
            "code_display": format_code(app.code),
            "is_new": request.GET.get("new") == "1",
            "withdrawals": list(app.withdrawals.select_related("unit")),
            "review_deadline": actions.review_deadline(app, calendar),
        },
    )
