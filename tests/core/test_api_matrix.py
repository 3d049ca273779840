"""Every API operation refuses anonymous callers (the pages have their own matrix)."""

import re

import pytest


@pytest.mark.django_db
def test_every_api_operation_needs_authentication(client):
    schema = client.get("/api/openapi.json").json()
    failures = []
    for path, operations in schema["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in operations:
            response = getattr(client, method)(url)
            if response.status_code != 401:
                failures.append((method, path, response.status_code))
    assert failures == []
