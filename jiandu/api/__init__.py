"""The /api/v1/ API for integrations: imports (jiandu.intake.api), reads (reads.py) and
writes (writes.py), each under a token with scopes (`import`, `read`, `write`) and an
optional unit. The schema is at /api/v1/openapi.json; tests/api/openapi_v1.json is its
stored copy (refresh it with `.venv/bin/python -m tests.api.refresh_schema`)."""

import functools
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from jiandu.api import hooks, instruments, reads, statistics, writes
from jiandu.errors import too_large_message
from jiandu.intake.api import ScopeDenied, TokenAuth
from jiandu.intake.api import router as intake_router


class BodyParser(Parser):
    """A bare JSON array of records is taken as {"records": [...]}: the import's first
    form, kept for the clients that use it (the schema documents the object form)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        return {"records": data} if isinstance(data, list) else data


class Api(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        # One name for the Bearer scheme, however many TokenAuth instances the operations use.
        schemes = schema.get("components", {}).get("securitySchemes", {})
        for name in list(schemes):
            if name != "BearerAuth":
                schemes.pop(name)
        schemes["BearerAuth"] = {
            "type": "http",
            "scheme": "bearer",
            "description": "接口令牌：Authorization: Bearer jd_…（`jiandu token create` 或令牌页面签发）",
        }
        for path in schema.get("paths", {}).values():
            for op in path.values():
                if isinstance(op, dict) and op.get("security"):
                    op["security"] = [{"BearerAuth": []}]
        return schema


api = Api(
    title="jiandu API",
    version="1",
    description=(
        "行政执法监督平台的对接接口（v1）。令牌有权限范围：import（导入）、read（读取）、"
        "write（回写），可限定单位：限定单位的令牌只能看到和修改本单位的记录，"
        "其他单位的记录一律 404。列表按 updated_at 排序，用 cursor 翻页，"
        "用 updated_since 增量同步。"
    ),
    urls_namespace="api",
    parser=BodyParser(),
    # 429 past this many requests per token (settings.API_RATE, e.g. "1200/m").
    throttle=[AuthRateThrottle(getattr(settings, "API_RATE", "1200/m"))],
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/", intake_router)
api.add_router("/", reads.router)
api.add_router("/", writes.router)
api.add_router("/", instruments.router)
api.add_router("/", hooks.router)
api.add_router("/", statistics.router)


def _query_names() -> list[tuple]:
    """(method, path regex, allowed query names) of every operation, from the schema."""
    out = []
    for path, ops in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$")
        for method, op in ops.items():
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "query"}
            out.append((method.upper(), pattern, names))
    return out


@functools.cache
def query_names():
    return _query_names()


def refuse_unknown_query(request):
    """A query parameter the operation does not declare is a client's mistake (a
    misspelt `updated_since` would silently sync everything): 422 names it."""
    if not request.GET:
        return
    for method, pattern, names in query_names():
        if method == request.method and pattern.match(request.path):
            unknown = [k for k in request.GET if k not in names]
            if unknown:
                raise ValidationError(
                    [
                        {"type": "extra_forbidden", "loc": ["query", k], "msg": "未知的查询参数"}
                        for k in unknown
                    ]
                )
            return


TokenAuth.checks.append(refuse_unknown_query)


def _error(request, status: int, detail: str):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(ScopeDenied)
def scope_denied(request, exc):
    return _error(request, 403, str(exc))


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return _error(request, 403, str(exc) or "该令牌无权执行此操作。")


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, str(exc) or "未找到该记录。")


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    # The records are held in memory as a whole: Django's cap on what it reads into memory
    # is the API's limit (the upload page streams files and allows more).
    return _error(request, 413, too_large_message())


__all__ = ["HttpBearer", "api"]
