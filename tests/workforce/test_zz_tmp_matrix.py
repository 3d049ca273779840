import pytest
from django.urls import reverse

from tests.conftest import ORG_ROLES
from tests.matrix_support import all_routes
from tests.workforce import matrix as wm


@pytest.mark.parametrize("persona", [*ORG_ROLES, "coordinator"])
def test_roles(persona, client_as, users, org):
    samples = wm.samples(org)
    client = client_as(persona)
    other = client_as(f"other:{persona}") if persona != "coordinator" else None
    failures = []
    for route in all_routes():
        if not route.name.startswith("workforce:"):
            continue
        url = reverse(route.name, kwargs=samples.get(route.name) or None)
        status = client.get(url).status_code
        allowed = route.callback.allowed_roles
        if persona in allowed and status not in {200, 302, 405}:
            failures.append((route.name, status))
        if persona not in allowed and status != 403:
            failures.append((route.name, "403?", status))
        if (
            other
            and route.has_params
            and route.name not in wm.NOT_OBJECT_SCOPED
            and persona in allowed
        ):
            s = other.get(url).status_code
            if s == 405:
                s = other.post(url).status_code
            if s != 404:
                failures.append((route.name, "other", s))
    assert failures == []
