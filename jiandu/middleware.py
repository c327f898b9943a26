"""Project-wide request checks that no view should have to repeat."""

from django.http import HttpResponseBadRequest

NUL_MESSAGE = "请求中含有无效字符（NUL），请检查输入后重试。"


class RefuseNulMiddleware:
    """A NUL character can reach no field: PostgreSQL refuses it in text, so a search
    box, a filter, a form or a path holding one would fail deep inside a query. It is
    answered here, before any view, with a 400 and a Chinese reason."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(_form(request)):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _form(request):
    if request.method != "POST":
        return {}
    if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return {}  # JSON bodies are checked by what reads them
    return request.POST


def _has_nul(data) -> bool:
    if not data:
        return False
    return any("\x00" in key or any("\x00" in v for v in data.getlist(key)) for key in data)
