"""Schemathesis against each service's /openapi.json: whatever it sends, no 5xx.

Cases are generated from the same models that validate requests (every
operation of every service) and sent with a valid token of every role to the
real apps on the embedded stack: a request may be refused (4xx), never crash
the service (5xx).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from services.archive.app import create_app as archive_app
from services.docgen.app import create_app as docgen_app
from services.intake.app import create_app as intake_app
from shared.auth import ROLES
from tests.conftest import Stack
from tests.support.organs import fresh_organ_id

pytestmark = [pytest.mark.integration, pytest.mark.slow]

FACTORIES = {"intake": intake_app, "docgen": docgen_app, "archive": archive_app}
EXAMPLES = int(os.environ.get("VANTHU_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
)


@pytest.mark.parametrize("service", sorted(FACTORIES))
def test_no_generated_request_makes_a_server_error(service: str, embedded: Stack) -> None:
    token = embedded.token(tuple(sorted(ROLES)), fresh_organ_id())
    app = FACTORIES[service](embedded.config(service))
    tried = []
    try:
        schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
        for result in schema.get_all_operations():
            operation = result.ok()
            tried.append(f"{operation.method.upper()} {operation.path}")

            @FUZZ
            @given(case=operation.as_strategy())
            def fuzz(case: Any) -> None:
                case.call_and_validate(
                    headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
                )

            fuzz()
    finally:
        app.extensions["vanthu"].dispose()
    assert any(path.startswith("POST") for path in tried), tried  # it reached the writes
