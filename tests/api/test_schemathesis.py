"""A real OpenAPI client against the API: schemathesis reads /api/v1/openapi.json and
calls every operation through the WSGI app with a token holding every scope, positive
and negative data, with all its checks (status codes and bodies documented, schema-
conformant responses, schema-invalid requests refused, no server error)."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from jiandu.intake.models import ApiToken

pytestmark = pytest.mark.django_db


def load_schema():
    from jiandu.api import api
    from jiandu.wsgi import application

    # The schema as served (the same object /api/v1/openapi.json renders), called through
    # the WSGI app: the test database of each test, no server to start.
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    loaded.app = application
    loaded.config.generation.update(modes=list(GenerationMode))
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Called straight through the WSGI app, every request's start and finish would close
    the database connection (on PostgreSQL: the test's own, inside its transaction).
    Django's test Client does not do that either; nor does this test."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def raw_token(units, county_data):
    _token, raw = ApiToken.issue(name="schemathesis", scopes="import,read,write")
    return raw


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_passes_every_check(case, raw_token):
    # Schemathesis decides whether the request carries the Bearer header (a negative case
    # drops it and expects 401); where it does, the value is a real token.
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    if len(headers) < len(case.headers or {}):
        headers["Authorization"] = f"Bearer {raw_token}"
    case.headers = headers
    if case.operation.path.endswith("/statistics"):
        # A period the schema cannot describe (2026-13, an end before its start, a range
        # outside 1991–2100) is a documented 400 with the reason, not a schema violation:
        # every other check still applies.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])
    else:
        case.call_and_validate()
