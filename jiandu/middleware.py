"""Project-wide request checks that no view should have to repeat."""

import tempfile

from django.conf import settings
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

from jiandu import errors
from jiandu.audit.log import from_trusted_proxy, trusted_proxies_configured

NUL_MESSAGE = "请求中含有无效字符（NUL），请检查输入后重试。"


class ForwardedProtoFromTrustedProxyMiddleware:
    """SECURE_PROXY_SSL_HEADER makes Django believe X-Forwarded-Proto from anyone. When
    JIANDU_TRUSTED_PROXIES is set, a client reaching the server past the proxy must not
    be able to claim HTTPS (secure cookies, no redirect, HSTS): the header is dropped
    unless the peer is a trusted proxy. Without the setting the header is believed as
    before, which is safe only while the proxy is the only way in (docs/deploy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "HTTP_X_FORWARDED_PROTO" in request.META
            and trusted_proxies_configured()
            and not from_trusted_proxy(request)
        ):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character can reach no field: PostgreSQL refuses it in text, so a search
    box, a filter, a form or a path holding one would fail deep inside a query. It is
    answered here, before any view, with a 400 and a Chinese reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(_form(request)):
            if request.path.startswith("/api/"):  # an integration reads JSON
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _form(request):
    if request.method != "POST" or request.path.startswith("/api/"):
        return {}  # the API takes JSON only (a form body there is refused as not JSON)
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {}  # JSON bodies are checked by what reads them
    return request.POST


def _has_nul(data) -> bool:
    if not data:
        return False
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)


class RequestSizeLimitMiddleware:
    """A body larger than the limit is refused with a 413 before any of it is read.
    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but would still stream a huge
    upload to disk first. A declared Content-Length is judged at once; a chunked body
    (no Content-Length) is read up to the limit and refused the moment it exceeds it.
    The import page has its own, larger limit for a signed-in user; the API reads its
    records into memory and allows what Django reads into memory
    (DATA_UPLOAD_MAX_MEMORY_SIZE). Runs after AuthenticationMiddleware and before
    anything reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        raw_length = request.META.get("CONTENT_LENGTH")
        if raw_length:
            try:
                length = int(raw_length)
            except ValueError:
                length = -1
            if length < 0:
                return errors.render_error(request, 400)
            if length > limit:
                return errors.too_large(request, limit)
        elif _chunked(request):
            body = _read_at_most(request.META["wsgi.input"], limit)
            if body is None:
                return errors.too_large(request, limit)
            # Django reads nothing without a Content-Length: hand it the body we read.
            size = body.seek(0, 2)
            body.seek(0)
            request.META["CONTENT_LENGTH"] = str(size)
            request._stream = LimitedStream(body, size)
        return self.get_response(request)


def body_limit(request) -> int:
    path = request.path_info
    if path.startswith("/api/"):
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if path.startswith("/intake/") and request.user.is_authenticated:
        return settings.INTAKE_MAX_BYTES + 1024 * 1024  # the file plus the form around it
    return settings.REQUEST_MAX_BYTES


def _chunked(request) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower() and (
        "wsgi.input" in request.META
    )


def _read_at_most(stream, limit: int):
    """The body spooled to memory or disk, or None once it passes `limit` bytes."""
    out = tempfile.SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
    total = 0
    while True:
        chunk = stream.read(64 * 1024)
        if not chunk:
            return out
        total += len(chunk)
        if total > limit:
            out.close()
            return None
        out.write(chunk)


class NoStoreMiddleware:
    """Pages show identities, complaints and unit data: no browser or proxy may keep a copy
    (the back button after sign-out, a shared computer, a caching proxy). Static files are
    served before this (WhiteNoise) and keep their long cache; a view that sets its own
    Cache-Control keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
