"""Everyone without personal-data access sees figures only through disclosure_control.protect."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.metrics.disclosure_control import protect
from equitable.workforce import services

pytestmark = pytest.mark.django_db


def test_published_figures_are_exactly_the_protected_exact_figures(org, snapshot):
    exact = services.exact_tables(snapshot)
    expected = protect(exact, threshold=10)
    published = services.figures_for(org, snapshot, published=True)
    assert published == {name: table.to_dicts() for name, table in expected.items()}


def test_no_published_count_is_between_one_and_the_threshold(org, snapshot):
    for name, rows in services.figures_for(org, published=True).items():
        for row in rows:
            count = row.get("count")
            assert count is None or count == 0 or count >= 10, (name, row)


def test_the_organisation_rounding_is_used(org, snapshot):
    org.round_counts_to_5 = True
    org.save()
    rows = services.figures_for(org, published=True)["representation_overall"]
    counts = {r["ethnic_group"]: r["count"] for r in rows}
    # 59 White staff are published as 60; every count shown is a multiple of 5.
    assert counts["White"] == 60
    assert all(c % 5 == 0 for c in counts.values() if c is not None)


def test_the_organisation_threshold_is_used(org, snapshot):
    org.suppression_threshold = 16
    org.save()
    for name, rows in services.figures_for(org, published=True).items():
        for row in rows:
            count = row.get("count")
            assert count is None or count == 0 or count >= 16, (name, row)
    overall = services.figures_for(org, published=True)["representation_overall"]
    assert next(r for r in overall if r["ethnic_group"] == "Black")["count"] is None


def test_a_champion_view_keeps_whole_rows_of_the_protected_output():
    tables = {
        "representation_by_directorate": pl.DataFrame(
            {"directorate": ["People", "Place"], "count": [12, None], "suppressed": [False, True]}
        ),
        "representation_overall": pl.DataFrame({"ethnic_group": ["Asian"], "count": [40]}),
    }
    view = services.champion_view(tables, ["People"])
    assert view["representation_by_directorate"]["directorate"].to_list() == ["People"]
    assert view["representation_overall"].equals(tables["representation_overall"])


def test_a_new_population_benchmark_clears_cached_figures(org, snapshot):
    from equitable.metrics.population import population_from_percentages
    from equitable.workforce.models import SnapshotFigures

    services.exact_tables(snapshot)
    assert SnapshotFigures.objects.get(snapshot=snapshot).exact is not None
    frame = population_from_percentages(
        {"Asian": 30, "Black": 10, "Mixed": 5, "White": 50, "Other": 5}
    )
    services.save_population(org, frame, source="entered by hand", user=None)
    assert SnapshotFigures.objects.get(snapshot=snapshot).exact is None
    overall = services.figures_for(org, published=False)["representation_overall"]
    asian = next(r for r in overall if r["ethnic_group"] == "Asian")
    assert asian["population_percent"] == pytest.approx(30)
