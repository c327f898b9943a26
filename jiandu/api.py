"""The /api/v1/ API: the import for integrations (jiandu.intake.api)."""

from ninja import NinjaAPI

from jiandu.intake.api import router as intake_router

api = NinjaAPI(
    title="jiandu API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/", intake_router)
