"""Fuzzing the API from its OpenAPI description (schemathesis): whatever the generated parameters, no
response is a server error and every response matches the schema the spec documents for it. Run as the
admin (every route reachable) and, once more for the enterprise routes, as a public user."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from web_fixtures import ROLES

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


@pytest.fixture(scope="module")
def api_schema(app, admin_token):
    # the spec is for signed-in users (issue 14 item 11)
    return schemathesis.openapi.from_asgi(
        "/api/v1/openapi.json", app, headers={"Authorization": f"Bearer {admin_token}"}
    )


@pytest.fixture(scope="module")
def admin_token(app):
    from fastapi.testclient import TestClient

    r = TestClient(app).post("/api/v1/auth/token", data={"username": "admin", "password": ROLES["admin"][2]})
    return r.json()["access_token"]


@pytest.fixture(scope="module")
def public_token(app):
    from fastapi.testclient import TestClient

    r = TestClient(app).post("/api/v1/auth/token", data={"username": "pub", "password": ROLES["pub"][2]})
    return r.json()["access_token"]


def _fuzz(api_schema, token: str, *, path_regex: str | None = None, examples: int = 12, extra=None) -> int:
    """Every operation of the spec (or those matching `path_regex`), `examples` generated cases each."""
    import re

    ops = 0
    for result in api_schema.get_all_operations():
        op = result.ok()
        if path_regex and not re.search(path_regex, op.path):
            continue
        if op.path.startswith("/api/v1/reports/"):
            continue  # a briefing takes seconds to make: tests/test_reports.py checks that endpoint's bad input
        ops += 1
        _fuzz_operation(op, token, examples, extra)
    return ops


def _fuzz_operation(op, token: str, examples: int, extra) -> None:
    @given(case=op.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case):
        if op.path != "/api/v1/auth/token":
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
        if extra:
            extra(case, response)

    run()


def test_api_fuzz_as_admin(api_schema, admin_token):
    assert _fuzz(api_schema, admin_token) > 30


def test_api_fuzz_as_public(api_schema, public_token):
    def no_firms(case, response):
        if re.search(r"/enterprises|/results/(mujun/scores|ladder/firms|chains/leaders)", case.path):
            assert response.status_code in (401, 403, 404, 422), (case.path, response.status_code)

    import re

    assert (
        _fuzz(
            api_schema, public_token, path_regex="enterprises|results/(mujun|ladder|chains)", examples=6, extra=no_firms
        )
        > 5
    )
