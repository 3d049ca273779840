"""A demo-like organisation with its four staff surveys, imported through the real services."""

from __future__ import annotations

import pytest

from equitable.core.models import Directorate
from equitable.surveys import demo


@pytest.fixture
def surveyed(org):
    """The organisation with the demo's four waves (2020, 2022 and two pulse surveys)."""
    for name in ("People", "Place", "Resources"):
        Directorate.objects.get_or_create(organisation=org, name=name)
    demo.load_demo(org)
    return org
