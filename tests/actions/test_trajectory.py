"""Trajectories, the RAG rule at its boundaries, and the stock-flow projection, each against a
hand-worked example (the same examples are written out in docs/actions.md)."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.actions.trajectory import (
    FlowRates,
    Member,
    Rag,
    TargetPoint,
    estimate_rates,
    flows_between,
    periods_until,
    project,
    project_shares,
    rag_by_period,
    rag_status,
    required_appointment_share,
    steady_state_share,
    trajectory_value,
)

LEADERSHIP_TARGET = [
    TargetPoint(date(2022, 12, 31), 25),
    TargetPoint(date(2023, 12, 31), 35),
    TargetPoint(date(2024, 12, 31), 45),
    TargetPoint(date(2025, 12, 31), 50),
]


# --- Trajectory -----------------------------------------------------------------------------


def test_trajectory_is_the_target_value_on_a_target_date():
    assert trajectory_value(LEADERSHIP_TARGET, date(2023, 12, 31)) == 35


def test_trajectory_is_linear_in_days_between_points():
    points = [TargetPoint(date(2022, 1, 1), 20), TargetPoint(date(2022, 1, 11), 30)]
    assert trajectory_value(points, date(2022, 1, 6)) == pytest.approx(25)
    # 183 of the 365 days from 31 Dec 2022 to 31 Dec 2023: 25 + 10 * 183/365.
    assert trajectory_value(LEADERSHIP_TARGET, date(2023, 7, 2)) == pytest.approx(30.0137, abs=1e-4)


def test_trajectory_holds_the_last_value_after_the_last_date():
    assert trajectory_value(LEADERSHIP_TARGET, date(2030, 1, 1)) == 50


def test_trajectory_has_no_value_before_its_first_point_or_without_points():
    assert trajectory_value(LEADERSHIP_TARGET, date(2022, 12, 30)) is None
    assert trajectory_value([], date(2022, 12, 30)) is None


def test_trajectory_accepts_points_in_any_order():
    shuffled = list(reversed(LEADERSHIP_TARGET))
    assert trajectory_value(shuffled, date(2024, 12, 31)) == 45


# --- RAG ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "expected_rag"),
    [
        (40.0, Rag.GREEN),  # ahead of the trajectory
        (35.0, Rag.GREEN),  # exactly on it: green
        (34.99999999999, Rag.GREEN),  # float noise from a computed share still counts as on it
        (34.999, Rag.AMBER),  # just behind
        (30.0, Rag.AMBER),  # exactly the tolerance behind: still amber
        (29.999, Rag.RED),  # beyond the tolerance
        (0.0, Rag.RED),
    ],
)
def test_rag_higher_is_better_at_its_boundaries(actual, expected_rag):
    assert rag_status(actual, 35.0, "higher", tolerance=5.0) is expected_rag


@pytest.mark.parametrize(
    ("actual", "expected_rag"),
    [
        (8.0, Rag.GREEN),
        (10.0, Rag.GREEN),
        (10.001, Rag.AMBER),
        (15.0, Rag.AMBER),
        (15.001, Rag.RED),
    ],
)
def test_rag_lower_is_better_mirrors_the_rule(actual, expected_rag):
    assert rag_status(actual, 10.0, "lower", tolerance=5.0) is expected_rag


def test_rag_default_tolerance_is_five_points():
    assert rag_status(20.0, 25.0) is Rag.AMBER
    assert rag_status(19.9, 25.0) is Rag.RED


def test_rag_with_no_tolerance_has_no_amber():
    assert rag_status(34.9, 35.0, tolerance=0) is Rag.RED
    assert rag_status(35.0, 35.0, tolerance=0) is Rag.GREEN


def test_rag_refuses_a_negative_tolerance_and_an_unknown_direction():
    with pytest.raises(ValueError, match="tolerance"):
        rag_status(1, 1, tolerance=-1)
    with pytest.raises(ValueError):
        rag_status(1, 1, "sideways")


def test_rag_by_period_compares_each_value_with_the_trajectory_on_its_date():
    actuals = [(date(2024, 12, 31), 41.0), (date(2022, 6, 30), 18.0), (date(2023, 12, 31), 36.0)]
    statuses = rag_by_period(actuals, LEADERSHIP_TARGET)
    assert [(s.on, s.expected, s.rag) for s in statuses] == [
        (date(2022, 6, 30), None, None),  # before the first target date: no status
        (date(2023, 12, 31), 35, Rag.GREEN),
        (date(2024, 12, 31), 45, Rag.AMBER),
    ]


# --- Flows ----------------------------------------------------------------------------------


def _members(in_pop_group, in_pop_others, outside_group=(), outside_others=()):
    people = {}
    for ids, in_population, in_group in (
        (in_pop_group, True, True),
        (in_pop_others, True, False),
        (outside_group, False, True),
        (outside_others, False, False),
    ):
        people.update({person: Member(in_population, in_group) for person in ids})
    return people


def _ids(prefix, numbers):
    return [f"{prefix}{n}" for n in numbers]


# 31 March 2024: 20 of the 100 people in the leadership tiers are in the group; 10 more of the
# group and 10 others work outside the tiers.
BEFORE = _members(
    _ids("g", range(20)), _ids("o", range(80)), _ids("gx", range(10)), _ids("ox", range(10))
)
# 31 March 2025: g0, g1 and o0..o7 have left; 10 appointments: gn0 joined and gx0, gx1 were
# promoted (3 to the group), on0..on4 joined and ox0, ox1 were promoted (7 to others).
AFTER = _members(
    _ids("g", range(2, 20)) + ["gn0", "gx0", "gx1"],
    _ids("o", range(8, 80)) + _ids("on", range(5)) + ["ox0", "ox1"],
    _ids("gx", range(2, 10)),
    _ids("ox", range(2, 10)),
)
START, END = date(2024, 3, 31), date(2025, 3, 31)


def test_flows_count_leavers_joiners_and_promotions_by_group():
    flows = flows_between(START, BEFORE, END, AFTER)
    assert (flows.group.stock_start, flows.group.leavers) == (20, 2)
    assert (flows.group.joiners, flows.group.promotions_in, flows.group.stock_end) == (1, 2, 21)
    assert (flows.others.stock_start, flows.others.leavers) == (80, 8)
    assert (flows.others.joiners, flows.others.promotions_in, flows.others.stock_end) == (5, 2, 79)


def test_flows_count_someone_moving_out_of_the_population_as_a_leaver_and_keep_the_identity():
    before = _members(["a", "b"], ["c"])
    after = _members(["b"], ["a"], outside_others=["c"])  # a's record changed group; c moved out
    flows = flows_between(START, before, END, after)
    assert flows.group.leavers == 0 and flows.group.reclassified_out == 1
    assert flows.others.leavers == 1 and flows.others.reclassified_in == 1
    assert flows.group.stock_end == 1 and flows.others.stock_end == 1


def test_rates_pool_the_periods():
    rates = estimate_rates([flows_between(START, BEFORE, END, AFTER)])
    assert rates.leave_rate_group == pytest.approx(0.1)  # 2 of 20
    assert rates.leave_rate_others == pytest.approx(0.1)  # 8 of 80
    assert rates.appointments == 10
    assert rates.group_share_of_appointments == pytest.approx(0.3)  # 3 of 10
    assert rates.period_days == 365


def test_rates_need_at_least_one_period():
    with pytest.raises(ValueError, match="two snapshots"):
        estimate_rates([])


# --- Projection -----------------------------------------------------------------------------

RATES = FlowRates(
    leave_rate_group=0.1,
    leave_rate_others=0.1,
    appointments=10,
    group_share_of_appointments=0.3,
    period_days=365,
)


def test_one_period_of_the_stock_flow_model():
    # group: 21 - 10% + 3 = 21.9; others: 79 - 10% + 7 = 78.1; share 21.9 / 100.
    _, (group, others, share) = project_shares(21, 79, RATES, 1)
    assert (group, others) == (pytest.approx(21.9), pytest.approx(78.1))
    assert share == pytest.approx(0.219)


def test_steady_state_is_appointments_over_leaving_rate():
    # group -> 3 / 0.1 = 30, others -> 7 / 0.1 = 70.
    assert steady_state_share(RATES) == pytest.approx(0.30)


def test_required_share_one_period_hand_worked():
    # a = (T (O r + A) - (1 - T) G r) / A = (0.25 * 81.1 - 0.75 * 18.9) / 10 = 0.61
    # check: 18.9 + 6.1 = 25 of 100.
    assert required_appointment_share(21, 79, RATES, 0.25, 1) == pytest.approx(0.61)


def test_required_share_two_periods_hand_worked():
    # S(2) = 1 + 0.9 = 1.9; G2 = 21 * 0.81 + 10 a 1.9 = 17.01 + 19 a = 25 -> a = 7.99 / 19.
    assert required_appointment_share(21, 79, RATES, 0.25, 2) == pytest.approx(7.99 / 19)


def test_required_share_above_one_means_unreachable_and_below_zero_already_met():
    assert required_appointment_share(21, 79, RATES, 0.5, 1) == pytest.approx(3.11)
    assert required_appointment_share(21, 79, RATES, 0.1, 1) == pytest.approx(-0.89)


def test_required_share_needs_a_period_and_appointments():
    assert required_appointment_share(21, 79, RATES, 0.25, 0) is None
    no_appointments = FlowRates(0.1, 0.1, 0, 0.0, 365)
    assert required_appointment_share(21, 79, no_appointments, 0.25, 3) is None


def test_required_share_with_nobody_leaving():
    # Nobody leaves: G1 = 21 + 10 a over 110 people = 0.25 -> a = (27.5 - 21) / 10 = 0.65.
    still = FlowRates(0.0, 0.0, 10, 0.3, 365)
    assert required_appointment_share(21, 79, still, 0.25, 1) == pytest.approx(0.65)
    assert steady_state_share(still) is None


def test_required_share_over_a_fraction_of_a_period():
    # Nobody leaves, half a period: G = 21 + 10 a 0.5 of 105 people = 0.25 -> a = 5.25 / 5.
    still = FlowRates(0.0, 0.0, 10, 0.3, 365)
    assert required_appointment_share(21, 79, still, 0.25, 0.5) == pytest.approx(1.05)


def test_periods_until_counts_whole_periods():
    assert periods_until(date(2025, 3, 31), date(2026, 3, 31), 365) == 1
    assert periods_until(date(2025, 3, 31), date(2026, 3, 30), 365) == 0
    assert periods_until(date(2025, 3, 31), date(2024, 3, 31), 365) == 0


def test_project_from_snapshots_hand_worked():
    # Share after k years = 0.30 - 0.09 * 0.9^k (see docs/actions.md): 0.2469 after 5 years,
    # 0.2522 after 6, so 25% is first reached 6 periods (2,190 days) after 31 March 2025.
    projection = project([(END, AFTER), (START, BEFORE)], TargetPoint(date(2026, 3, 31), 0.25))
    assert projection.start == END
    assert projection.path[0] == (END, pytest.approx(0.21))
    assert projection.path[5][1] == pytest.approx(0.30 - 0.09 * 0.9**5)
    assert projection.met_on == date(2031, 3, 30)
    assert projection.required_share == pytest.approx(0.61)
    assert projection.steady_state == pytest.approx(0.30)


def test_project_never_meets_a_target_above_the_steady_state():
    projection = project([(START, BEFORE), (END, AFTER)], TargetPoint(date(2026, 3, 31), 0.5))
    assert projection.met_on is None
    assert projection.required_share > 1


def test_project_needs_two_snapshots():
    with pytest.raises(ValueError, match="two snapshots"):
        project([(END, AFTER)], TargetPoint(date(2026, 3, 31), 0.25))
