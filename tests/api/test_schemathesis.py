"""A real OpenAPI client against the API: schemathesis reads /api/v1/openapi.json and
calls every operation through the WSGI app with a token holding every scope, positive
and negative data, with all its checks (status codes and bodies documented, schema-
conformant responses, schema-invalid requests refused, no server error)."""

import copy
import json
import re

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import load_all_checks, positive_data_acceptance
from schemathesis.core.failures import FailureGroup, as_reported_failure
from schemathesis.core.result import Err
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.python._constants.orchestrator import build_constants_pool
from schemathesis.specs.openapi.checks import ignored_auth

from jiandu.intake.models import ApiToken
from tests.api.refresh_schema import STORED

pytestmark = pytest.mark.django_db

# One test per operation, named after it, listed from the stored copy of the schema
# (test_openapi_copy.py proves it is the served one; the test below that every served
# operation is listed). Reading a file at collection costs nothing, where building the
# schemathesis tests there generated every operation's coverage cases (seconds) in every
# pytest-xdist worker, even with these tests deselected: that now happens when a test runs,
# for its own operation only.
OPERATIONS = [
    (method.upper(), path)
    for path, item in json.loads(STORED.read_text(encoding="utf-8"))["paths"].items()
    for method in item
]


def served_operations(document):
    return sorted(
        (method.upper(), path) for path, item in document["paths"].items() for method in item
    )


@pytest.fixture(scope="session")
def served_schema():
    """The schema as served (the same object /api/v1/openapi.json renders)."""
    from jiandu.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


@pytest.fixture(scope="session")
def loaded_schema(served_schema):
    """One schemathesis schema for every operation's test: what it resolves and compiles
    of the document (references, validators) is then worked out once, not per test.
    Called through the WSGI app: the test database of each test, no server to start."""
    from jiandu.wsgi import application

    loaded = schemathesis.openapi.from_dict(copy.deepcopy(served_schema))
    loaded.app = application
    loaded.config.generation.update(modes=list(GenerationMode))
    # The constants fuzzing mixes in are the literals of the app's Python modules, which
    # schemathesis finds by walking the URL handlers and what they import (a tenth of a
    # second). Found here, every operation's schema (a clone) shares the result; found in
    # each test, they would be the same constants, worked out once per operation.
    build_constants_pool(loaded)
    return loaded


@pytest.fixture(params=OPERATIONS, ids=" ".join)
def operation_schema(request, loaded_schema):
    """The whole schema (a check such as the Allow header reads the other methods of the
    path), with only this test's operation to run."""
    method, path = request.param
    return loaded_schema.include(method=method, path=path)


def test_every_served_operation_is_tested(served_schema):
    assert served_operations(served_schema) == sorted(OPERATIONS)


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


# Operations whose refusal without a valid token schemathesis's `ignored_auth` check has
# confirmed in this process. It probes again (without the token, then with a wrong one)
# after every accepted request, a third of all requests here; its own runner confirms
# an operation once per run ("enforcement is a property of the operation"), and so does
# this test. test_every_operation_refuses_a_missing_or_wrong_token checks every operation
# on its own as well.
AUTH_CONFIRMED: set[str] = set()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def check_every_case(case, raw_token):
    # Schemathesis decides whether the request carries the Bearer header (a negative case
    # drops it and expects 401); where it does, the value is a real token.
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    with_token = len(headers) < len(case.headers or {})
    if with_token:
        headers["Authorization"] = f"Bearer {raw_token}"
    case.headers = headers
    excluded = []
    if case.operation.path.endswith("/statistics"):
        # A period the schema cannot describe (2026-13, an end before its start, a range
        # outside 1991–2100) is a documented 400 with the reason, not a schema violation:
        # every other check still applies.
        excluded.append(positive_data_acceptance)
    if case.operation.label in AUTH_CONFIRMED:
        excluded.append(ignored_auth)
    response = case.call_and_validate(excluded_checks=excluded)
    if with_token and 200 <= response.status_code < 300:
        AUTH_CONFIRMED.add(case.operation.label)


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_every_operation_refuses_a_missing_or_wrong_token(client, method, path, raw_token):
    url = re.sub(r"\{[^}]+\}", "1", path)
    for headers in ({}, {"Authorization": "Bearer jd_not-a-token"}):
        response = client.generic(
            method, url, "{}", content_type="application/json", headers=headers
        )
        assert response.status_code == 401, (headers, response.content)
        assert response.json()["detail"]


def test_every_operation_passes_every_check(operation_schema, raw_token):
    """check_every_case on this test's operation, with every phase schemathesis's pytest
    plugin runs (schema examples, coverage, fuzzing). Built here as its fixture-based
    (`from_fixture`) loading does, without its subtests: that one renames pytest's node
    ids, which pytest 9 no longer has."""
    load_all_checks()
    (result,) = get_all_tests(
        schema=operation_schema, test_func=check_every_case, settings=None, given_kwargs={}
    )
    if isinstance(result, Err):
        raise result.err()  # the operation's definition is invalid
    _operation, test = result.ok()
    try:
        test(raw_token=raw_token)
    except FailureGroup as failures:
        raise as_reported_failure(failures) from None
