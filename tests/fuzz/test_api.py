"""Schemathesis against /api/openapi.json with a personal token: every operation, with values
that fit the schema and values that do not, answers without a server error (no 5xx).

Run as a role with personal-data access and as one that sees protected figures only, since the
two take different paths through the figures code. Examples are few and derandomised.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from equitable.core.models import ApiToken

EXAMPLES_PER_OPERATION = 6


@pytest.fixture
def api_schema(org, tmp_path):
    from equitable.standard import services as standard
    from equitable.workforce import services as workforce
    from tests.workforce.conftest import extract_rows, write_csv

    outcome = workforce.import_file(
        org, write_csv(tmp_path / "extract.csv", extract_rows()), snapshot_date=date(2025, 3, 31)
    )
    assert outcome.ok
    standard.start_assessment(org, "Fuzzing period")
    # A bare WSGIHandler closes the database connection at the end of each request (Django's
    # request_finished signal), which ends the test's transaction on PostgreSQL; Django's
    # test client disconnects it for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("persona", ["hr_analyst", "board_member"])
def test_no_api_operation_answers_with_a_server_error(api_schema, users, persona):
    _, token = ApiToken.issue(users[persona], "fuzzing")
    headers = {"Authorization": f"Bearer {token}"}
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10

    for operation, mode in itertools.product(operations, GenerationMode):

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            suppress_health_check=list(HealthCheck),
            deadline=None,
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(
                    (case.method, case.formatted_path, case.query, response.status_code)
                )

        call()
    assert failures == []
