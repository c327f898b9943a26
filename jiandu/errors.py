"""Error pages: Chinese, in the site's layout (the portal's on public pages), with a way
back. Wired in urls.py (handler400/403/404/500) and settings (CSRF_FAILURE_VIEW)."""

import logging

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

PAGES = {
    400: (
        "请求有误",
        "请求无法处理：链接可能不完整，或提交的内容格式有误。请返回上一页检查后重试。",
    ),
    403: (
        "没有权限",
        "您没有权限查看此页面或执行此操作。如确需访问，请联系本单位负责人或县司法局。",
    ),
    404: ("页面不存在", "您访问的页面不存在：可能已被删除，或链接有误。"),
    413: ("提交的内容过大", ""),
    500: (
        "系统出错",
        "服务器处理请求时出错，问题已记录。请稍后重试；如果反复出现，请联系系统管理员。",
    ),
}
CSRF_PAGE = (
    "页面已过期",
    "页面已过期或登录状态已变化，本次提交未被接收。请返回上一页，刷新后重新提交。",
)


def is_public(request) -> bool:
    """The complainants' portal (not its management pages, which are the staff's)."""
    path = getattr(request, "path", "") or ""
    return path.startswith("/public/") and not path.startswith("/public/manage/")


def _back(request) -> str:
    """The page the visitor came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "") if request is not None else ""
    if not referer:
        return ""
    try:
        host = request.get_host()  # a 400 may be answering a forbidden Host header
    except DisallowedHost:
        return ""
    if referer == request.build_absolute_uri():
        return ""
    ours = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    )
    return referer if ours else ""


def _context(request, status, title, message):
    public = is_public(request)
    home = reverse("portal:home") if public else reverse("home")
    back = _back(request)
    return {
        "status": status,
        "title": title,
        "message": message,
        "home_url": home,
        "back_url": back,
        "base_template": "portal/public_base.html" if public else "base.html",
    }


def render_error(request, status, *, title=None, message=None):
    default_title, default_message = PAGES[status]
    context = _context(request, status, title or default_title, message or default_message)
    if status >= 500:
        # The database may be what failed: no context processors, nothing that queries.
        context["request"] = request
        html = render_to_string("errors/error.html", context)
        return HttpResponse(html, status=status)
    return render(request, "errors/error.html", context, status=status)


def too_large_message(limit: int | None = None) -> str:
    """The refusal the import API reports for a body over the limit (its own 413 and
    the middleware's, below)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE if limit is None else limit
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} 字节"
    return f"请求体超过 {size} 的上限，未读取，也未导入任何记录。请分批提交，每批不超过 {size}。"


def too_large(request, limit: int):
    if getattr(request, "path", "").startswith("/api/"):
        # Integrations read the API's JSON report, not a page.
        report = {"rows": 0, "created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
        report |= {"kind": "", "errors": [], "refused": too_large_message(limit)}
        return JsonResponse(report, status=413, json_dumps_params={"ensure_ascii": False})
    mb = max(1, limit // (1024 * 1024))
    return render_error(
        request,
        413,
        message=f"提交的内容超过 {mb} MB 的上限，未被接收。请减少或压缩附件后重新提交。",
    )


def bad_request(request, exception=None):
    return render_error(request, 400)


def permission_denied(request, exception=None):
    return render_error(request, 403)


def page_not_found(request, exception=None):
    return render_error(request, 404)


def server_error(request):
    return render_error(request, 500)


def csrf_failure(request, reason=""):
    title, message = CSRF_PAGE
    return render_error(request, 403, title=title, message=message)


class OneLineForbidden(logging.Filter):
    """A 403 is an expected answer (a clerk opening another unit's record), not a fault:
    Django logs it with the PermissionDenied traceback, which buries real errors. Keep
    the one line "Forbidden (Permission denied): /path"."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
