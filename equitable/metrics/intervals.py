"""Confidence intervals for rates and relative likelihoods, and the plain reading of each.

Pure module (no Django). Every rate and every relative likelihood the lifecycle figures print
carries a 95 % interval from here, so pages, downloads, the API and the command line say the
same thing; docs/metrics.md ("Uncertainty") gives the formulas and why these were chosen.

* A **rate** k / n (appointed from shortlisting, entered a formal process, left): the Wilson
  score interval (Wilson 1927). With z = 1.959964 and p = k / n,

      centre = (p + z²/2n) / (1 + z²/n),  half = z √(p(1−p)/n + z²/4n²) / (1 + z²/n)

  Chosen over p ± z√(p(1−p)/n) because councils' counts are small and rates near 0 are common
  (a handful of disciplinaries a year): the simple interval then has no width or goes below 0.
  Wilson stays inside [0, 1] and its coverage is close to 95 % from n ≈ 10 (Brown, Cai and
  DasGupta 2001).
* A **relative likelihood** (ratio of two rates, RR = (k₁/n₁) / (k₂/n₂)), as the WRES
  indicators 2-4 define it: the Katz log interval (Katz et al. 1978),

      ln RR ± z √(1/k₁ − 1/n₁ + 1/k₂ − 1/n₂)

  the standard interval for a ratio of independent proportions (it is what epidemiology
  packages print for a risk ratio). When k₁ or k₂ is 0 the variance is infinite, so the
  interval (not the ratio) is computed with the Haldane-Anscombe correction: 0.5 added to
  each of the four cells of the 2 × 2 table (k + 0.5, n + 1). A ratio whose denominator rate
  is 0 is not calculable (None), as the WRES worked examples leave it.

Both are given as scalar functions (for one figure and the tests) and as polars expressions
(for a whole table at once, the same formulas).
"""

from __future__ import annotations

import math

import polars as pl

Z_95 = 1.959963984540054
# Our convention, not an NHS threshold: the two-sided form of the US "four-fifths" rule of thumb
# (metric-definitions 1.4). Shown only labelled as ours.
CONVENTION_BAND = (0.80, 1.25)
CONVENTION_NOTE = (
    "The 0.80 to 1.25 band is a convention Equitable shows to help reading (the two-sided "
    "form of the US four-fifths rule of thumb); it is not an NHS or Skills for Care threshold."
)
CHANCE_NOTE = "the difference is within what chance alone would give"


def wilson_interval(k: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval for k/n as proportions (0 to 1); None when n is 0."""
    if n <= 0:
        return None
    if not 0 <= k <= n:
        raise ValueError(f"{k} of {n}: the count must be between 0 and the total")
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At k = 0 and k = n the interval ends exactly at 0 and 1 (floating point would not).
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return (low, high)


def relative_likelihood(k1: int, n1: int, k2: int, n2: int) -> float | None:
    """(k1/n1) / (k2/n2); None when either pool is empty or the second rate is 0."""
    if n1 <= 0 or n2 <= 0 or k2 <= 0:
        return None
    return (k1 / n1) / (k2 / n2)


def katz_interval(
    k1: int, n1: int, k2: int, n2: int, z: float = Z_95
) -> tuple[float, float] | None:
    """Katz log 95 % interval for (k1/n1) / (k2/n2); None when the ratio is not calculable.

    With a zero count the interval uses the Haldane-Anscombe correction (module docstring)."""
    for k, n in ((k1, n1), (k2, n2)):
        if not 0 <= k <= n:
            raise ValueError(f"{k} of {n}: the count must be between 0 and the total")
    if relative_likelihood(k1, n1, k2, n2) is None:
        return None
    if k1 == 0 or k2 == 0:
        k1, n1, k2, n2 = k1 + 0.5, n1 + 1, k2 + 0.5, n2 + 1  # type: ignore[assignment]
    ratio = (k1 / n1) / (k2 / n2)
    se = math.sqrt(max(0.0, 1 / k1 - 1 / n1 + 1 / k2 - 1 / n2))
    return (ratio * math.exp(-z * se), ratio * math.exp(z * se))


# --- the same as polars expressions -----------------------------------------------------------


def wilson_exprs(k: pl.Expr, n: pl.Expr, z: float = Z_95) -> tuple[pl.Expr, pl.Expr]:
    """(low, high) of `wilson_interval` over columns of counts; null where n is 0."""
    n_f = n.cast(pl.Float64)
    p = k.cast(pl.Float64) / n_f
    denominator = 1 + z * z / n_f
    centre = (p + z * z / (2 * n_f)) / denominator
    half = z * (p * (1 - p) / n_f + z * z / (4 * n_f * n_f)).sqrt() / denominator
    valid = n > 0
    low = pl.when(~valid).then(None).when(k == 0).then(0.0)
    high = pl.when(~valid).then(None).when(k == n).then(1.0)
    return (
        low.otherwise(pl.max_horizontal(centre - half, pl.lit(0.0))),
        high.otherwise(pl.min_horizontal(centre + half, pl.lit(1.0))),
    )


def relative_likelihood_exprs(
    k1: pl.Expr, n1: pl.Expr, k2: pl.Expr, n2: pl.Expr, z: float = Z_95
) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(ratio, low, high) of `relative_likelihood` and `katz_interval` over count columns."""
    f = [c.cast(pl.Float64) for c in (k1, n1, k2, n2)]
    calculable = (n1 > 0) & (n2 > 0) & (k2 > 0)
    ratio = (f[0] / f[1]) / (f[2] / f[3])
    zero = (k1 == 0) | (k2 == 0)
    a = pl.when(zero).then(f[0] + 0.5).otherwise(f[0])
    b = pl.when(zero).then(f[1] + 1).otherwise(f[1])
    c = pl.when(zero).then(f[2] + 0.5).otherwise(f[2])
    d = pl.when(zero).then(f[3] + 1).otherwise(f[3])
    corrected = (a / b) / (c / d)
    variance = 1 / a - 1 / b + 1 / c - 1 / d
    se = pl.max_horizontal(variance, pl.lit(0.0)).sqrt()
    low = corrected * (-z * se).exp()
    high = corrected * (z * se).exp()
    return (
        pl.when(calculable).then(ratio).otherwise(None),
        pl.when(calculable).then(low).otherwise(None),
        pl.when(calculable).then(high).otherwise(None),
    )


# --- the plain reading ------------------------------------------------------------------------


def _times(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.1f}"


def spans_parity(low: float | None, high: float | None) -> bool:
    """True when the interval includes 1: no disparity beyond what chance alone would give."""
    return low is not None and high is not None and low <= 1.0 <= high


def reading(
    ratio: float | None,
    low: float | None,
    high: float | None,
    *,
    subject: str,
    other: str,
    outcome: str,
) -> str:
    """One sentence a board member can read: `ratio` is subject's rate ÷ other's rate.

    Always says "N times as likely" with N ≥ 1, naming whichever group is the more likely
    (the interval inverted with it), and adds that the difference is within chance when the
    interval spans 1. Says "disparity", never "discrimination": a ratio shows a difference in
    outcomes, not its cause. Example: subject="White applicants", other="Asian applicants",
    outcome="be appointed from shortlisting"."""
    if ratio is None:
        return f"Not calculable: no {other} {_past(outcome)}, so there is no rate to compare with."
    interval = ""
    if ratio == 0:
        top = f" (95% CI 0 to {_times(high)})" if high is not None else ""
        sentence = f"No {subject} {_past(outcome)}, against some {other}{top}"
    elif math.isclose(ratio, 1.0, rel_tol=0.005):
        if low is not None and high is not None:
            interval = f" (95% CI {_times(low)} to {_times(high)})"
        sentence = f"{_cap(subject)} and {other} were about equally likely to {outcome}{interval}"
    else:
        more, less, value, lo, hi = subject, other, ratio, low, high
        if ratio < 1:
            more, less, value = other, subject, 1 / ratio
            lo, hi = (None if high in (None, 0) else 1 / high), (None if not low else 1 / low)
        if lo is not None and hi is not None:
            interval = f" (95% CI {_times(lo)} to {_times(hi)})"
        sentence = (
            f"{_cap(more)} were {_times(value)} times as likely as {less} to {outcome}{interval}"
        )
    if spans_parity(low, high):
        sentence += f"; {CHANCE_NOTE}"
    return sentence + "."


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


_PAST = {
    "be appointed": "were appointed",
    "be shortlisted": "were shortlisted",
    "enter": "entered",
    "leave": "left",
    "access": "accessed",
    "be promoted": "were promoted",
    "be": "were",
}


def _past(outcome: str) -> str:
    """'be appointed from shortlisting' → 'were appointed from shortlisting' (for 'No … were
    appointed …'); an outcome not listed is written as 'had the outcome: …'."""
    for verb in sorted(_PAST, key=len, reverse=True):
        if outcome == verb or outcome.startswith(verb + " "):
            return _PAST[verb] + outcome[len(verb) :]
    return f"had the outcome: {outcome}"


# --- differences of proportions and multiple comparisons (staff surveys) -----------------------


def newcombe_interval(
    k1: int, n1: int, k2: int, n2: int, z: float = Z_95
) -> tuple[float, float] | None:
    """Newcombe's hybrid score interval for p1 − p2 (Newcombe 1998, method 10), as proportions.

    With Wilson intervals (l1, u1) and (l2, u2) and d = p1 − p2:
    low = d − √((p1 − l1)² + (u2 − p2)²), high = d + √((u1 − p1)² + (p2 − l2)²).
    Chosen over d ± z·se because survey groups are small and percentages near 0 or 100 are
    common: the simple interval then leaves [−1, 1] or has no width; Newcombe's keeps close to
    95 % coverage (his paper's comparison of eleven methods). None when either group is empty."""
    first, second = wilson_interval(k1, n1, z), wilson_interval(k2, n2, z)
    if first is None or second is None:
        return None
    p1, p2 = k1 / n1, k2 / n2
    (l1, u1), (l2, u2) = first, second
    d = p1 - p2
    return (
        d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
        d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2),
    )


def two_proportion_p_value(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of the pooled two-proportion z test (1.0 when it cannot differ)."""
    if n1 <= 0 or n2 <= 0:
        return 1.0
    pooled = (k1 + k2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return 1.0
    statistic = abs(k1 / n1 - k2 / n2) / math.sqrt(variance)
    return math.erfc(statistic / math.sqrt(2))


def holm_adjust(p_values: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values (Holm 1979), in the input order: sorted ascending,
    the i-th (from 1) becomes max over j ≤ i of min(1, (m − j + 1) · p_(j)). A comparison is
    significant at 5 % when its adjusted value is below 0.05; the chance of any false alarm
    among the m comparisons stays at 5 %."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


def benjamini_hochberg_adjust(p_values: list[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (1995), in the input order: sorted ascending, the
    i-th becomes min over j ≥ i of min(1, m / j · p_(j)); controls the expected share of false
    discoveries rather than the chance of any."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m - 1, -1, -1):
        index = order[rank]
        running = min(running, min(1.0, m / (rank + 1) * p_values[index]))
        adjusted[index] = running
    return adjusted
