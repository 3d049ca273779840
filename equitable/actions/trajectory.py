"""Targets with trajectories: the path between dated target values, red/amber/green status
against it, and a stock-flow projection of a group's share of a population.

Pure Python, no Django, so that pages, the board report, the command line and tests share one
definition. Formulas and hand-worked examples are in docs/actions.md; the tests in
tests/actions/test_trajectory.py are those examples.

Why a stock-flow model: the leadership-tier target ("25% of the Corporate Strategic Board,
Corporate Leadership Group and Leadership Forum from a Black, Asian and Multi-ethnic background
by 2022 … 50% by 2025") moves only when people leave the tiers and others are appointed to them.
The snapshots the council holds tell us how fast each group leaves and how appointments are
shared between groups; carrying those rates forward shows when the target would be met, and
solving the same equation backwards shows what share of appointments would meet it on time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Amber band, in the measure's own unit: 5 percentage points for the percentage measures the
# plans use. Absolute rather than relative (10% of the target) so that a target of 0 (a pay gap
# closed) still has an amber band, and so that "within 5 points" reads the same on every target.
DEFAULT_TOLERANCE = 5.0
# Gaps are compared after rounding to this many decimal places, so that a share computed as
# 34.99999999999 counts as meeting a target of 35.
_GAP_DECIMALS = 9


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better (a representation share)
    LOWER = "lower"  # lower is better (a pay gap, an unknown-ethnicity rate)


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True, order=True)
class TargetPoint:
    """A target value in force on a date ("35% by 31 December 2023")."""

    on: date
    value: float


# --- Trajectory -----------------------------------------------------------------------------


def trajectory_value(points: Sequence[TargetPoint], on: date) -> float | None:
    """The value the trajectory expects on a date.

    Linear in calendar days between consecutive points; the last value holds after the last
    point (a target stays in force once its date has passed); None before the first point (no
    expectation yet: give the target a baseline point to start the path earlier).
    """
    ordered = sorted(points)
    if not ordered or on < ordered[0].on:
        return None
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.on <= on <= later.on:
            span = (later.on - earlier.on).days
            if span == 0:
                return later.value
            fraction = (on - earlier.on).days / span
            return earlier.value + fraction * (later.value - earlier.value)
    return ordered[-1].value


# --- Red, amber, green ----------------------------------------------------------------------


def rag_status(
    actual: float,
    expected: float,
    direction: Direction | str = Direction.HIGHER,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Rag:
    """Status of an actual value against the trajectory's value on the same date.

    Higher is better: green when actual >= expected; amber when expected - tolerance <= actual <
    expected; red when actual < expected - tolerance. Lower is better mirrors it: green when
    actual <= expected, amber up to expected + tolerance, red beyond. Both boundaries belong to
    the better status.
    """
    if tolerance < 0:
        raise ValueError(f"tolerance must not be negative, got {tolerance}")
    ahead = actual - expected if Direction(direction) is Direction.HIGHER else expected - actual
    ahead = round(ahead, _GAP_DECIMALS)
    if ahead >= 0:
        return Rag.GREEN
    if ahead >= -tolerance:
        return Rag.AMBER
    return Rag.RED


@dataclass(frozen=True)
class PeriodStatus:
    on: date
    actual: float
    expected: float | None
    rag: Rag | None  # None before the trajectory starts


def rag_by_period(
    actuals: Iterable[tuple[date, float]],
    points: Sequence[TargetPoint],
    direction: Direction | str = Direction.HIGHER,
    tolerance: float = DEFAULT_TOLERANCE,
) -> list[PeriodStatus]:
    """RAG for every dated actual value, oldest first."""
    statuses = []
    for on, actual in sorted(actuals):
        expected = trajectory_value(points, on)
        rag = None if expected is None else rag_status(actual, expected, direction, tolerance)
        statuses.append(PeriodStatus(on, actual, expected, rag))
    return statuses


# --- Flows between snapshots ----------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One employee in one snapshot, reduced to what the projection needs."""

    in_population: bool  # e.g. in a leadership tier
    in_group: bool  # e.g. from a Black, Asian and Multi-ethnic background


@dataclass(frozen=True)
class GroupFlows:
    """Movements of one group into and out of the population over one period.

    stock_end = stock_start - leavers + joiners + promotions_in + reclassified_in -
    reclassified_out. Reclassified: a person who stayed in the population but whose recorded
    group changed (an updated ethnicity record); counted so the identity holds, not used as a
    rate.
    """

    stock_start: int = 0
    leavers: int = 0  # in the population at the start, not at the end (left or moved out)
    joiners: int = 0  # not employed at the start, in the population at the end
    promotions_in: int = 0  # employed outside the population at the start, in it at the end
    reclassified_in: int = 0
    reclassified_out: int = 0

    @property
    def stock_end(self) -> int:
        return (
            self.stock_start
            - self.leavers
            + self.joiners
            + self.promotions_in
            + self.reclassified_in
            - self.reclassified_out
        )

    @property
    def appointments(self) -> int:
        return self.joiners + self.promotions_in


@dataclass(frozen=True)
class PeriodFlows:
    start: date
    end: date
    group: GroupFlows
    others: GroupFlows


def flows_between(
    start: date,
    before: Mapping[str, Member],
    end: date,
    after: Mapping[str, Member],
) -> PeriodFlows:
    """Count joiners, leavers and promotions into the population, by group, between two
    snapshots keyed by the same (hashed) employee id."""
    counts: dict[bool, dict[str, int]] = {
        in_group: dict.fromkeys(
            (
                "stock_start",
                "leavers",
                "joiners",
                "promotions_in",
                "reclassified_in",
                "reclassified_out",
            ),
            0,
        )
        for in_group in (True, False)
    }
    for person, was in before.items():
        if not was.in_population:
            continue
        counts[was.in_group]["stock_start"] += 1
        now = after.get(person)
        if now is None or not now.in_population:
            counts[was.in_group]["leavers"] += 1
        elif now.in_group != was.in_group:
            counts[was.in_group]["reclassified_out"] += 1
            counts[now.in_group]["reclassified_in"] += 1
    for person, now in after.items():
        if not now.in_population:
            continue
        earlier = before.get(person)
        if earlier is None:
            counts[now.in_group]["joiners"] += 1
        elif not earlier.in_population:
            counts[now.in_group]["promotions_in"] += 1
    return PeriodFlows(start, end, GroupFlows(**counts[True]), GroupFlows(**counts[False]))


# --- Rates and projection -------------------------------------------------------------------


@dataclass(frozen=True)
class FlowRates:
    """Per-period rates carried forward by the projection.

    leave_rate_*: share of the group's stock that leaves the population in a period.
    appointments: joiners plus promotions in, all groups, per period.
    group_share_of_appointments: the share of those appointments that went to the group.
    period_days: the average length of a period between snapshots.
    """

    leave_rate_group: float
    leave_rate_others: float
    appointments: float
    group_share_of_appointments: float
    period_days: float


def estimate_rates(periods: Sequence[PeriodFlows]) -> FlowRates:
    """Pool every period between successive snapshots into one set of per-period rates.

    Leaving rate = all leavers of the group / all of its stock at the starts of the periods
    (pooled, so a small period does not weigh as much as a large one); appointments = mean per
    period; the group's share of appointments = its appointments / all appointments.
    """
    if not periods:
        raise ValueError("a projection needs at least two snapshots (one period of flows)")

    def pooled(numerator: int, denominator: int) -> float:
        return numerator / denominator if denominator else 0.0

    group_stock = sum(p.group.stock_start for p in periods)
    others_stock = sum(p.others.stock_start for p in periods)
    group_appointments = sum(p.group.appointments for p in periods)
    all_appointments = group_appointments + sum(p.others.appointments for p in periods)
    return FlowRates(
        leave_rate_group=pooled(sum(p.group.leavers for p in periods), group_stock),
        leave_rate_others=pooled(sum(p.others.leavers for p in periods), others_stock),
        appointments=all_appointments / len(periods),
        group_share_of_appointments=pooled(group_appointments, all_appointments),
        period_days=sum((p.end - p.start).days for p in periods) / len(periods),
    )


# How the projection's rates were measured (said on the projection, with why).
METHOD_SNAPSHOTS = "trend of past snapshots"
METHOD_MOVEMENTS = "rates from movements"


@dataclass(frozen=True)
class MovementRates:
    """One side's (the group's or everyone else's) yearly rates from the lifecycle movements
    (`equitable.metrics.lifecycle.movements.projection_rates`), with the pipeline they apply
    to now."""

    tier_entry_rate: float  # of staff outside the tiers, the share entering one in a year
    tier_leaver_rate: float  # of staff in the tiers, the share leaving in a year
    outside_tiers: int  # staff outside the tiers in the newest snapshot


def rates_from_movements(
    group: MovementRates, others: MovementRates, periods: Sequence[PeriodFlows]
) -> FlowRates:
    """Per-period rates from each group's measured promotion and leaving rates.

    Appointments per period to a side = its tier entry rate × its staff outside the tiers now
    (promotions from today's pipeline) + its joiners straight into the tiers per period (from
    the snapshots: the movements count promotions only). Leaving = its tier leaver rate. So a
    group whose pipeline has grown gets more appointments than the past counts alone would
    give, at the promotion rate it has actually had.
    """
    if not periods:
        raise ValueError("a projection needs at least two snapshots (one period of flows)")
    count = len(periods)
    appointed_group = group.tier_entry_rate * group.outside_tiers + (
        sum(p.group.joiners for p in periods) / count
    )
    appointed_others = others.tier_entry_rate * others.outside_tiers + (
        sum(p.others.joiners for p in periods) / count
    )
    total = appointed_group + appointed_others
    return FlowRates(
        leave_rate_group=group.tier_leaver_rate,
        leave_rate_others=others.tier_leaver_rate,
        appointments=total,
        group_share_of_appointments=appointed_group / total if total else 0.0,
        period_days=sum((p.end - p.start).days for p in periods) / count,
    )


def share(group: float, others: float) -> float:
    total = group + others
    return group / total if total else 0.0


def step(group: float, others: float, rates: FlowRates, appointment_share: float):
    """One period of the stock-flow model:
    next = current - leavers + appointments to the group (joiners and promotions in)."""
    next_group = group * (1 - rates.leave_rate_group) + appointment_share * rates.appointments
    next_others = (
        others * (1 - rates.leave_rate_others) + (1 - appointment_share) * rates.appointments
    )
    return next_group, next_others


def project_shares(
    group: float, others: float, rates: FlowRates, periods: int
) -> list[tuple[float, float, float]]:
    """(group stock, others stock, group share) after each of `periods` periods at the current
    rates; element 0 is the starting point."""
    path = [(group, others, share(group, others))]
    for _ in range(periods):
        group, others = step(group, others, rates, rates.group_share_of_appointments)
        path.append((group, others, share(group, others)))
    return path


def steady_state_share(rates: FlowRates) -> float | None:
    """The share the population settles at if the rates never change:
    group stock -> a*A/l_g, others -> (1-a)*A/l_o. None when a group never leaves (no limit)."""
    if rates.leave_rate_group <= 0 or rates.leave_rate_others <= 0:
        return None
    a, total = rates.group_share_of_appointments, rates.appointments
    return share(a * total / rates.leave_rate_group, (1 - a) * total / rates.leave_rate_others)


def _retained_appointments(leave_rate: float, periods: float) -> float:
    """S(k) = sum_{j=0}^{k-1} (1-l)^j = (1 - (1-l)^k) / l: how many of a constant stream of one
    appointment per period are still in post after k periods (the closed form also serves a
    fractional k, and is k when nobody leaves)."""
    kept = 1 - leave_rate
    if math.isclose(kept, 1.0):
        return float(periods)
    return (1 - kept**periods) / (1 - kept)


def required_appointment_share(
    group: float, others: float, rates: FlowRates, target_share: float, periods: float
) -> float | None:
    """Share a of appointments that must go to the group, every period, for its share to reach
    `target_share` (a fraction) after `periods` periods.

    With r = 1 - leaving rate and S(k) as in `_retained_appointments`:
        G_k = G_0 r_g^k + a A S_g(k)      O_k = O_0 r_o^k + (1 - a) A S_o(k)
    and G_k / (G_k + O_k) = T solves to
        a = (T (O_0 r_o^k + A S_o(k)) - (1 - T) G_0 r_g^k) / (A ((1 - T) S_g(k) + T S_o(k))).
    A result above 1 means the target cannot be met in time even if every appointment went to
    the group; below 0, that it is met whoever is appointed. None when there is no period left
    or no appointments to share. `periods` may be fractional (a deadline 9 months after the
    newest yearly snapshot is 0.75 of a period).
    """
    if periods <= 0 or rates.appointments <= 0:
        return None
    t = target_share
    kept_group = group * (1 - rates.leave_rate_group) ** periods
    kept_others = others * (1 - rates.leave_rate_others) ** periods
    s_group = _retained_appointments(rates.leave_rate_group, periods)
    s_others = _retained_appointments(rates.leave_rate_others, periods)
    denominator = rates.appointments * ((1 - t) * s_group + t * s_others)
    if denominator <= 0:
        return None
    return (t * (kept_others + rates.appointments * s_others) - (1 - t) * kept_group) / denominator


@dataclass(frozen=True)
class Projection:
    rates: FlowRates
    start: date
    path: list[tuple[date, float]]  # (date, projected share as a fraction), start first
    met_on: date | None  # first projected date the share reaches the final target; None if never
    required_share: float | None  # of appointments, to reach the final target on its date
    steady_state: float | None
    method: str = METHOD_SNAPSHOTS
    method_reason: str = ""  # why this method, in a sentence for the page


def periods_until(start: date, deadline: date, period_days: float) -> int:
    """Whole periods that end on or before the deadline."""
    if period_days <= 0:
        return 0
    return max(0, math.floor((deadline - start).days / period_days + 1e-9))


SNAPSHOTS_REASON = (
    "the leavers and appointments of the tiers counted between past snapshots, carried forward"
)
MOVEMENTS_REASON = (
    "each group's measured yearly rates of promotion into the tiers and of leaving them, "
    "applied to today's pipeline of staff outside the tiers, so a change in who is in line "
    "for promotion shows in the projection"
)


def project(
    snapshots: Sequence[tuple[date, Mapping[str, Member]]],
    target: TargetPoint,
    horizon_periods: int = 40,
    movements: tuple[MovementRates, MovementRates] | None = None,
    snapshots_reason: str = SNAPSHOTS_REASON,
) -> Projection:
    """Carry the rates forward from the newest snapshot.

    Two methods. With `movements` (the group's and everyone else's rates from the lifecycle
    movements), "rates from movements" (`rates_from_movements`); without, "trend of past
    snapshots" (`estimate_rates`: the flows counted between successive snapshots), with
    `snapshots_reason` saying why the movements were not used. `target` is the final target as
    a fraction (0.5 for 50%) and its date. The projection looks `horizon_periods` ahead for the
    first period that reaches it; `required_share` is the share of appointments per period
    that would reach it exactly on its date.
    """
    ordered = sorted(snapshots, key=lambda pair: pair[0])
    periods = [
        flows_between(d0, s0, d1, s1)
        for (d0, s0), (d1, s1) in zip(ordered, ordered[1:], strict=False)
    ]
    if movements is not None:
        rates = rates_from_movements(*movements, periods)
        method, reason = METHOD_MOVEMENTS, MOVEMENTS_REASON
    else:
        rates = estimate_rates(periods)
        method, reason = METHOD_SNAPSHOTS, snapshots_reason
    start, newest = ordered[-1]
    group = sum(1 for m in newest.values() if m.in_population and m.in_group)
    others = sum(1 for m in newest.values() if m.in_population and not m.in_group)
    horizon = max(horizon_periods, periods_until(start, target.on, rates.period_days))
    path = [
        (start + timedelta(days=round(k * rates.period_days)), projected)
        for k, (_, _, projected) in enumerate(project_shares(group, others, rates, horizon))
    ]
    met_on = next(
        (on for on, projected in path if round(projected - target.value, _GAP_DECIMALS) >= 0),
        None,
    )
    periods_left = (target.on - start).days / rates.period_days if rates.period_days > 0 else 0
    return Projection(
        rates=rates,
        start=start,
        path=path,
        met_on=met_on,
        required_share=required_appointment_share(group, others, rates, target.value, periods_left),
        steady_state=steady_state_share(rates),
        method=method,
        method_reason=reason,
    )
