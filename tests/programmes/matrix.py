"""Sample URL parameters for the programme views (see tests/matrix_support.py)."""

from __future__ import annotations

from tests.programmes.factories import make_cohort

NOT_OBJECT_SCOPED: set[str] = set()
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    cohort = make_cohort(org, "Mentoring (matrix)")
    return {
        "programmes:programme": {"pk": cohort.programme.pk},
        "programmes:cohort-new": {"pk": cohort.programme.pk},
        "programmes:cohort": {"pk": cohort.pk},
        "programmes:cohort-people": {"pk": cohort.pk},
        "programmes:cohort-clear": {"pk": cohort.pk},
    }
