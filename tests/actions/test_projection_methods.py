"""The leadership-tier projection's two methods: rates from the lifecycle movements (each group's
measured promotion and leaving rates) where the movements can be measured, else the trend of
past snapshots, and the projection says which and why."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.actions import services, trajectory
from equitable.actions.trajectory import (
    METHOD_MOVEMENTS,
    METHOD_SNAPSHOTS,
    FlowRates,
    GroupFlows,
    Member,
    MovementRates,
    PeriodFlows,
    TargetPoint,
    rates_from_movements,
)
from equitable.metrics.schema import FRAME_SCHEMA

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"


def test_rates_from_movements_apply_each_groups_promotion_rate_to_todays_pipeline():
    # Group: 5% a year of the 200 outside the tiers now are promoted in (10) and 2 join the
    # tiers from outside the council each period: 12 appointments. Others: 2% of 1,000 (20)
    # plus 8 joiners: 28. So 40 appointments a period, 12/40 = 30% to the group; leaving rates
    # are the measured 10% and 15%.
    period = PeriodFlows(
        date(2024, 3, 31), date(2025, 3, 31), GroupFlows(joiners=2), GroupFlows(joiners=8)
    )
    rates = rates_from_movements(
        MovementRates(0.05, 0.10, 200), MovementRates(0.02, 0.15, 1000), [period]
    )
    assert rates == FlowRates(
        leave_rate_group=0.10,
        leave_rate_others=0.15,
        appointments=pytest.approx(40.0),
        group_share_of_appointments=pytest.approx(0.3),
        period_days=365,
    )


def test_rates_from_movements_need_a_period():
    with pytest.raises(ValueError, match="at least two snapshots"):
        rates_from_movements(MovementRates(0.1, 0.1, 10), MovementRates(0.1, 0.1, 10), [])


def _tiers(group_in: int, others_in: int, group_out: int, others_out: int, prefix=""):
    people = {}
    for kind, count, in_group, in_tier in (
        ("gi", group_in, True, True),
        ("oi", others_in, False, True),
        ("go", group_out, True, False),
        ("oo", others_out, False, False),
    ):
        for n in range(count):
            people[f"{prefix}{kind}{n}"] = Member(in_tier, in_group)
    return people


def test_project_says_which_method_and_why():
    before = _tiers(20, 80, 0, 0)
    after = _tiers(21, 79, 0, 0)
    target = TargetPoint(date(2030, 3, 31), 0.5)
    snapshots = [(date(2024, 3, 31), before), (date(2025, 3, 31), after)]
    trend = trajectory.project(snapshots, target, snapshots_reason="no movements: a reason")
    assert (trend.method, trend.method_reason) == (METHOD_SNAPSHOTS, "no movements: a reason")
    measured = trajectory.project(
        snapshots,
        target,
        movements=(MovementRates(0.05, 0.1, 100), MovementRates(0.05, 0.1, 100)),
    )
    assert measured.method == METHOD_MOVEMENTS
    assert "today's pipeline" in measured.method_reason
    # 5% of 100 promoted in on each side, and one of the group joined the tiers from outside
    # (gi20 is new in the second snapshot): 6 of 11 appointments go to the group.
    assert measured.rates.group_share_of_appointments == pytest.approx(6 / 11)


# --- in the app: from stored snapshots -----------------------------------------------------


def _person(key, black: bool, tier: str):
    return {
        "employee_key": key,
        "ethnicity": "African" if black else WHITE_BRITISH,
        "ethnic_group": "Black" if black else "White",
        "sex": "Female",
        "disability": "Not disabled",
        "pay_band": "3" if tier != "Not recorded" else "1",
        "directorate": "People",
        "leadership_tier": tier,
        "hourly_pay": 50.0 if tier != "Not recorded" else 20.0,
        "age": 40,
        "start_date": date(2015, 1, 1),
    }


def _frame(people):
    frame = pl.DataFrame(people, schema={k: FRAME_SCHEMA[k] for k in people[0]})
    missing = {k: pl.lit(None, dtype=t) for k, t in FRAME_SCHEMA.items() if k not in people[0]}
    return frame.with_columns(**missing).select(list(FRAME_SCHEMA))


def _snapshots(black_leaders: int = 10):
    """31 March 2024: `black_leaders` Black and 30 White staff in the Leadership Forum, 100 of
    each outside it. By 31 March 2025 one Black and 3 White leaders have left, and 2 Black and
    2 White staff were promoted into the Forum."""
    forum = "Leadership Forum"
    before = (
        [_person(f"bl{n}", True, forum) for n in range(black_leaders)]
        + [_person(f"wl{n}", False, forum) for n in range(30)]
        + [_person(f"bo{n}", True, "Not recorded") for n in range(100)]
        + [_person(f"wo{n}", False, "Not recorded") for n in range(100)]
    )
    after = (
        [_person(f"bl{n}", True, forum) for n in range(1, black_leaders)]
        + [_person(f"wl{n}", False, forum) for n in range(3, 30)]
        + [_person(f"bo{n}", True, forum if n < 2 else "Not recorded") for n in range(100)]
        + [_person(f"wo{n}", False, forum if n < 2 else "Not recorded") for n in range(100)]
    )
    return [(date(2024, 3, 31), _frame(before)), (date(2025, 3, 31), _frame(after))]


@pytest.fixture
def leadership_measure(corporate, monkeypatch):
    _, _, measure = corporate
    measure.kind = "computed"
    measure.computed_key = "leadership_black_asian_multi_ethnic_share"
    measure.save()
    return measure


POINTS = [trajectory.TargetPoint(date(2030, 12, 31), 50.0)]


@pytest.mark.django_db
def test_the_app_uses_the_measured_rates_by_group_where_movements_exist(
    leadership_measure, monkeypatch
):
    monkeypatch.setattr(services.workforce, "snapshot_frames", lambda org: _snapshots())
    projection = services.projection_for(leadership_measure, POINTS)
    assert projection.method == METHOD_MOVEMENTS
    rates = projection.rates
    # Leaving the tiers: 1 of 10 Black leaders, 3 of 30 others. Promotion into them: 2 of the
    # 100 outside, applied to the 98 outside now on each side: 1.96 each, so half.
    assert (rates.leave_rate_group, rates.leave_rate_others) == (0.1, 0.1)
    assert rates.appointments == pytest.approx(3.92)
    assert rates.group_share_of_appointments == pytest.approx(0.5)


@pytest.mark.django_db
def test_without_leaders_of_the_group_to_measure_it_falls_back_to_the_trend_and_says_why(
    leadership_measure, monkeypatch
):
    monkeypatch.setattr(services.workforce, "snapshot_frames", lambda org: _snapshots(0))
    projection = services.projection_for(leadership_measure, POINTS)
    assert projection.method == METHOD_SNAPSHOTS
    assert projection.method_reason.endswith(
        "the movements have no staff of one group in or outside the tiers to measure a rate on"
    )


@pytest.mark.django_db
def test_the_page_names_the_method(client_as, leadership_measure, monkeypatch):
    monkeypatch.setattr(services.workforce, "snapshot_frames", lambda org: _snapshots())
    response = client_as("edi_officer").get(f"/actions/measures/{leadership_measure.pk}/")
    text = response.content.decode()
    assert "Method: rates from movements, each group&#39;s measured yearly rates" in text
