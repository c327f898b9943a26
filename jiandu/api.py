"""The /api/v1/ API. Each app adds its router in `<app>/api.py` as `router`."""

from importlib import import_module

from ninja import NinjaAPI

api = NinjaAPI(
    title="jiandu API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)

for _app in ("intake", "monitoring", "portal", "enforcement", "standards"):
    try:
        _module = import_module(f"jiandu.{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"jiandu.{_app}.api":
            raise
        continue
    api.add_router(f"/{_app}/" if _app != "intake" else "/", _module.router)
