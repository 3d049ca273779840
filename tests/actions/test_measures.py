"""Computed measures from hand-built figure tables (the shape `compute_all` produces), and the
values the app stores from workforce snapshots."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.actions import measures
from equitable.actions.trajectory import Member


def _tier_rows(tier, aggregate, total):
    return {
        "leadership_tier": tier,
        "ethnic_group": "Black, Asian and Multi-ethnic",
        "count": aggregate,
        "total": total,
    }


TABLES = {
    # 3 of 8 on the board and 9 of 32 in the leadership group; 500 people with no tier.
    "representation_by_leadership_tier": [
        _tier_rows("Corporate Strategic Board", 3, 8),
        {
            "leadership_tier": "Corporate Strategic Board",
            "ethnic_group": "White",
            "count": 5,
            "total": 8,
        },
        _tier_rows("Corporate Leadership Group", 9, 32),
        _tier_rows("Not recorded", 200, 500),
    ],
    # The same people as one group: 12 of 40.
    "representation_in_leadership_tiers": [
        {"ethnic_group": "Black, Asian and Multi-ethnic", "count": 12, "total": 40},
        {"ethnic_group": "White", "count": 28, "total": 40},
    ],
    "top_5_percent_earners_by_disability": [
        {"disability": "Disabled", "count": 2, "total": 27, "percent": 7.4},
        {"disability": "Not disabled", "count": 25, "total": 27, "percent": 92.6},
    ],
    "disclosure": [
        {
            "characteristic": "ethnicity",
            "known": 470,
            "prefer_not_to_say": 10,
            "not_known": 20,
            "total": 500,
        },
        {
            "characteristic": "sex",
            "known": 500,
            "prefer_not_to_say": 0,
            "not_known": 0,
            "total": 500,
        },
    ],
    "pay_gap_ethnicity": [
        {
            "grouping": "wres",
            "ethnic_group": "Black",
            "count": 50,
            "reference_count": 300,
            "median_gap_percent": 9.0,
        },
        {
            "grouping": "wres",
            "ethnic_group": "Black, Asian and Multi-ethnic",
            "count": 150,
            "reference_count": 300,
            "median_gap_percent": 6.25,
        },
    ],
}


def test_leadership_share_pools_every_tier_and_leaves_out_people_without_one():
    # (3 + 9) / (8 + 32) = 30%
    assert measures.compute("leadership_black_asian_multi_ethnic_share", TABLES) == 30.0


def test_leadership_share_is_withheld_below_the_threshold():
    assert measures.leadership_share(TABLES, threshold=41) is None
    assert measures.leadership_share(TABLES, threshold=40) == 30.0


def test_leadership_share_without_the_table_or_with_suppressed_cells():
    assert measures.leadership_share({}) is None
    suppressed = {
        "representation_in_leadership_tiers": [
            {"ethnic_group": "Black, Asian and Multi-ethnic", "count": None, "total": 40}
        ]
    }
    assert measures.leadership_share(suppressed) is None


def test_top5_disabled_share():
    assert measures.compute("top5_disabled_share", TABLES) == pytest.approx(7.41)  # 2 of 27


def test_unknown_ethnicity_rate_counts_prefer_not_to_say_and_not_known():
    assert measures.compute("unknown_ethnicity_rate", TABLES) == 6.0  # 30 of 500


def test_median_pay_gap_reads_the_aggregate_row():
    assert measures.compute("ethnicity_median_pay_gap", TABLES) == 6.25
    assert measures.ethnicity_median_pay_gap(TABLES, threshold=151) is None


def test_unknown_key_is_refused():
    with pytest.raises(KeyError, match="leadership_share"):
        measures.compute("leadership_share", TABLES)


def test_leadership_members_from_a_frame():
    frame = pl.DataFrame(
        {
            "employee_key": ["a", "b", "c", "d", "e"],
            "leadership_tier": [
                "Corporate Strategic Board",
                None,
                "Leadership Forum",
                "",
                "Leadership Forum",
            ],
            "ethnic_group": ["Black", "Asian", "White", "Mixed", "Unknown"],
        }
    )
    assert measures.leadership_members(frame) == {
        "a": Member(True, True),
        "b": Member(False, True),
        "c": Member(True, False),
        "d": Member(False, True),
        "e": Member(True, False),
    }


@pytest.mark.django_db
def test_values_are_stored_from_each_snapshot(org, monkeypatch):
    from equitable.actions import services
    from equitable.actions.models import Measure, MeasureValue
    from tests.actions.factories import make_plan

    _, _, measure = make_plan(org, "Plan")
    measure.kind = Measure.Kind.COMPUTED
    measure.computed_key = "unknown_ethnicity_rate"
    measure.save()
    monkeypatch.setattr(
        services,
        "_snapshot_tables",
        lambda organisation, published=False: [
            (date(2024, 3, 31), TABLES),
            (date(2025, 3, 31), {}),
        ],
    )
    assert services.refresh_computed_values(org) == 1
    stored = MeasureValue.objects.filter(measure=measure, origin="snapshot")
    assert [(v.on, v.value) for v in stored] == [(date(2024, 3, 31), 6.0)]
    assert services.refresh_computed_values(org) == 1  # idempotent
    assert stored.count() == 1


@pytest.mark.django_db
def test_a_failing_workforce_app_is_an_error_not_a_silently_stale_measure(corporate, monkeypatch):
    """A bug behind the figures must show as an error, not leave old values in place as if
    they were current (tests/actions/test_board_report_errors.py does the same for the report)."""
    from equitable.actions import services

    def broken(organisation, published=False):
        raise ValueError("figures cache in an old format")

    monkeypatch.setattr(services, "_snapshot_tables", broken)
    _, _, measure = corporate
    measure.kind = "computed"
    measure.computed_key = "unknown_ethnicity_rate"
    measure.save()
    with pytest.raises(ValueError, match="old format"):
        services.refresh_computed_values(measure.plan.organisation)
    # ... and so does the change that asked for it (a snapshot stored, a new threshold).
    from equitable.core.signals import figures_changed

    with pytest.raises(ValueError, match="old format"):
        figures_changed.send(sender=None, organisation=measure.plan.organisation)
