"""The data-suggested levels are shown to every role that reads the assessment, so they come
from the protected tables: a figure that would give a small count back gives no suggestion."""

from __future__ import annotations

import pytest

from equitable.standard import services
from equitable.workforce import services as workforce
from tests.workforce.conftest import COMPOSITION, SNAPSHOT_DATE, extract_rows, write_csv

pytestmark = pytest.mark.django_db


def _import(org, tmp_path, composition):
    outcome = workforce.import_file(
        org,
        write_csv(tmp_path / "extract.csv", extract_rows(composition)),
        snapshot_date=SNAPSHOT_DATE,
    )
    assert outcome.ok, outcome.problems
    return outcome.snapshot


def test_three_people_of_unknown_ethnicity_give_no_percentage_away(org, tmp_path):
    """3 of 115 preferred not to say: "2.6% unknown" beside the total is the 3."""
    _import(org, tmp_path, [*COMPOSITION, ("People", "Prefer not to say", 3)])
    assert "unknown_ethnicity_percent" not in services.workforce_figures(org)


def test_a_large_enough_unknown_share_is_suggested(org, tmp_path):
    larger = [(d, e, n * 4) for d, e, n in COMPOSITION]
    _import(org, tmp_path, [*larger, ("People", "Prefer not to say", 40)])
    figures = services.workforce_figures(org)
    assert figures["unknown_ethnicity_percent"] == pytest.approx(100 * 40 / 488, abs=0.01)
