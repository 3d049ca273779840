"""A Bayesian intruder against three consecutive yearly releases, and the synthetic councils
it attacks.

The intruder knows that between the years exactly one person joined (or left), and their
directorate, leadership tier and pay band (a director of People on the Corporate Strategic
Board); they want the person's ethnic group, disability and hourly pay. For every hypothesis
(ethnic group × disability × pay on a grid) they know exactly how each published figure
would change (`signatures`: the exact tables with and without such a person, so every cell
the person's presence changes, quartile and top-5% boundaries included), and they know the
method and its distributions (`release.count_noise_distribution`, `release.withheld_chance`,
`release.unit_draw_density`, the bound on each year's sums). They read, in all three
releases, every count shown (its value) and every count withheld (the pattern: withheld by
its own draw, or as a complement of another; they are told which, more than a reader is
told), every sum of pay (mean × count) and median shown, and weigh each hypothesis by the
likelihood of all of it. Two intruders: one integrates the first year's unknown true values
out (flat prior), one knows every other person's record, so each count's true value under
each hypothesis (`knows_the_rest`, the worst case). Bayes-optimal over the values and the
pattern given that each population's draws are independent (they are: keyed per population
and year), with one approximation said plainly: a complement's choice by secondary
suppression is treated as telling nothing beyond "its own draw did not withhold it" (it is
a function of the other withheld cells and the exact tables, which working out would need
a suppression run per hypothesis).

Vectorised with numpy so hundreds of releases take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

from equitable.metrics.disclosure_control import _Reader, layouts_for
from equitable.metrics.extract import validate_extract
from equitable.metrics.figures import compute_all
from equitable.metrics.population import demo_population
from equitable.metrics.publication import release
from equitable.metrics.schema import WEEKS_PER_YEAR, WHITE_BRITISH_CATEGORY
from equitable.metrics.synthetic import SALARY_RANGES, generate_workforce

# One detailed category stands for each group: the intruder is told it (a stronger intruder
# than one who must also guess the category within the group).
GROUPS = {
    "Asian": "Indian",
    "Black": "African",
    "Mixed": "White and Asian",
    "Other": "Arab",
    "White": WHITE_BRITISH_CATEGORY,
    "Unknown": "Prefer not to say",
}
DISABILITIES = ("Disabled", "Not disabled", "Prefer not to say", None)
HYPOTHESES = [(g, d) for g in GROUPS for d in DISABILITIES]
LOWEST_PAY = SALARY_RANGES["6"][0] / (WEEKS_PER_YEAR * 36)
HIGHEST_PAY = SALARY_RANGES["6"][1] / (WEEKS_PER_YEAR * 36)
PAY_GRID = np.linspace(LOWEST_PAY, HIGHEST_PAY, 12)
TRUE_PAY = 70.0
SNAPSHOT = date(2025, 3, 31)


def director(base: pl.DataFrame, group: str, disability: str | None, pay: float) -> pl.DataFrame:
    """One director of People on the Corporate Strategic Board, in the extract's layout."""
    template = base.filter(pl.col("pay_band") == "6").head(1)
    return template.with_columns(
        pl.lit("999001").alias("employee_id"),
        pl.lit(GROUPS[group]).alias("ethnicity"),
        pl.lit(disability, dtype=pl.String).alias("disability"),
        pl.lit("Male").alias("sex"),
        pl.lit("Corporate Strategic Board").alias("leadership_tier"),
        pl.lit("People").alias("directorate"),
        pl.lit(pay).alias("hourly_pay"),
        pl.lit(float(round(pay * WEEKS_PER_YEAR * 36))).alias("annual_salary"),
        pl.lit(None, dtype=pl.Float64).alias("bonus_pay"),
    )


def figures(raw: pl.DataFrame) -> dict[str, pl.DataFrame]:
    result = validate_extract(raw, snapshot_date=SNAPSHOT, id_key=b"k" * 32)
    assert result.frame is not None, result.problems[:3]
    return compute_all(result.frame, demo_population(), result.present_columns)


def exact_values(tables: dict[str, pl.DataFrame]) -> dict[str, float]:
    """Every count, sum and median the tables print, by population name (as the release
    names them), before any protection."""
    layouts = layouts_for(tables)
    reader = _Reader(tables, layouts, 10)
    reader.read()
    reader.read_mentions()
    names = release.draw_names(reader.model, reader.universes)
    values = {
        names[i]: float(c.value) for i, c in enumerate(reader.model.cells) if c.value is not None
    }
    for name in tables:
        measures = release._median_measures(layouts[name])
        for row, place in zip(reader.rows[name], reader.places.get(name, []), strict=False):
            for column, measure in measures.items():
                if row.get(column) is not None and place.get(column):
                    people = names[place[column][0]]
                    values[release._median_label(measure, people)] = float(row[column])
    return values


@dataclass
class Council:
    """Three consecutive years of one synthetic council: `years[h]` are the three years'
    exact tables when the person is of hypothesis h."""

    kind: str  # "joiner" or "leaver"
    exact: dict[tuple, list[dict[str, float]]]  # hypothesis -> the three years' exact values
    tables: dict[tuple, list[dict[str, pl.DataFrame]]]


def council(kind: str, employees: int, seed: int, truths: list[tuple]) -> Council:
    """Without the person, and with them (of every hypothesis): a joiner is absent in year 1
    and present in years 2 and 3; a leaver present in year 1 only. Nothing else changes."""
    base = generate_workforce(employees, seed)
    without = figures(base)
    exact: dict[tuple, list[dict[str, float]]] = {}
    tables: dict[tuple, list[dict[str, pl.DataFrame]]] = {}
    without_values = exact_values(without)
    for hypothesis in HYPOTHESES:
        with_person = figures(pl.concat([base, director(base, *hypothesis, TRUE_PAY)]))
        values = exact_values(with_person)
        if kind == "joiner":
            exact[hypothesis] = [without_values, values, values]
            years = [without, with_person, with_person]
        else:
            exact[hypothesis] = [values, without_values, without_values]
            years = [with_person, without, without]
        if hypothesis in truths:
            tables[hypothesis] = years
    return Council(kind, exact, tables)


# --- the likelihoods --------------------------------------------------------------------


SHOWN, OWN, COMPLEMENT, ABSENT = 0, 1, 2, 3


def _count_tables(largest: int, threshold: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """For every true count t = 0..largest: its spread, the chance its own draw withholds it,
    and the chance of each move (padded to the widest spread)."""
    spreads = np.array([release.count_spread(t) for t in range(largest + 1)])
    widest = int(spreads.max())
    moves = np.zeros((largest + 1, 2 * widest + 1))
    for t in range(largest + 1):
        steps, chances = release.count_noise_distribution(int(spreads[t]))
        moves[t, steps + widest] = chances
    withheld = np.array([release.withheld_chance(t, threshold) for t in range(largest + 1)])
    return spreads, withheld, moves, widest


def _count_likelihoods(
    statuses: np.ndarray,
    observed: np.ndarray,
    deltas: np.ndarray,
    threshold: int = 10,
    read_values: bool = True,
    first_year: np.ndarray | None = None,
) -> np.ndarray:
    """statuses and observed [cells, 3] (each year: SHOWN with its released value, withheld
    by its OWN draw, withheld as a COMPLEMENT, or ABSENT from that year's tables); deltas
    [cells, k] (each cell's change from year 1 to years 2 and 3 under k hypotheses) →
    likelihood [cells, k] of the three years' pattern (and, with `read_values`, the values
    shown), the year-1 true value integrated out under a flat prior.

    Exact for the method: a count of t people is withheld by its own draw with
    `release.withheld_chance(t)`, else shown with value t + move (move drawn with t's spread);
    a complement is a count its own draw did not withhold (secondary suppression's choice is
    treated as telling nothing more). A true 0 is shown as 0, or withheld (by `protect()`'s
    zero rule or as a complement): the intruder allows both. `read_values=False` reads only
    the pattern (shown or withheld), for the pattern-only intruder. `first_year` [cells, k]:
    the year-1 true values under each hypothesis, for an intruder who knows everyone else's
    records (nothing is integrated out then)."""
    cells = len(statuses)
    if not cells:
        return np.ones(deltas.shape)
    shown_values = np.where(statuses == SHOWN, observed, 0.0)
    guess = threshold + 2 * release.SUPPRESSION_REACH + 2
    largest = int(max(shown_values.max(), guess) + 60)
    spreads, withheld, moves, widest = _count_tables(largest, threshold)
    reach = widest + 2
    width = max(2 * reach + 1, guess + 1)
    # The grid of year-1 true values: around the first value shown, else from 0.
    anchor = np.zeros(cells)
    shown_any = (statuses == SHOWN).any(axis=1)
    first_shown = np.argmax(statuses == SHOWN, axis=1)
    anchor[shown_any] = np.maximum(observed[shown_any, first_shown[shown_any]] - reach, 0.0)
    grid = anchor[:, None] + np.arange(width)[None, :]  # [c, g]
    if first_year is not None:
        grid = np.zeros((cells, 1))
    total = np.ones((cells, width, deltas.shape[1]))
    for year in range(3):
        change = np.zeros(deltas.shape) if year == 0 else deltas
        t = grid[:, :, None] + change[:, None, :]  # [c, g, k]
        if first_year is not None:
            t = t + first_year[:, None, :]
        valid = t >= 0
        ti = np.clip(np.rint(t), 0, largest).astype(np.int64)
        status = statuses[:, year][:, None, None]
        value = observed[:, year][:, None, None]
        chance_withheld = withheld[ti]
        if read_values:
            move = np.rint(value - ti).astype(np.int64)
            inside = np.abs(move) <= spreads[ti]
            shown = np.where(
                value == 0,
                (ti == 0).astype(float),
                np.where(
                    (ti > 0) & inside,
                    moves[ti, np.clip(move + widest, 0, 2 * widest)] * (1.0 - chance_withheld),
                    0.0,
                ),
            )
        else:
            shown = np.where(ti == 0, 1.0, 1.0 - chance_withheld)
        own = np.where(ti == 0, 1.0, chance_withheld)
        complement = np.where(ti == 0, 1.0, 1.0 - chance_withheld)
        factor = np.select(
            [status == SHOWN, status == OWN, status == COMPLEMENT],
            [shown, own, complement],
            default=1.0,
        )
        total *= np.where(valid, factor + 1e-12, 0.0)
    return total.sum(axis=1)


def _continuous_likelihoods(
    observed: np.ndarray, scales: np.ndarray, deltas: np.ndarray, points: int = 41
) -> np.ndarray:
    """The same for sums and medians: observed and scales [cells, 3], deltas [cells, k]."""
    grid = np.linspace(-1.0, 1.0, points)
    step = grid[1] - grid[0]
    truth = observed[:, :1, None] - scales[:, :1, None] * grid[None, None, :]  # [c, 1, g]
    first = release.unit_draw_density(grid)[None, None, :] / scales[:, :1, None]
    later = np.ones(deltas.shape + (points,))
    for year in (1, 2):
        z = (observed[:, year, None, None] - truth - deltas[:, :, None]) / scales[
            :, year, None, None
        ]
        later *= (release.unit_draw_density(z) + 1e-6) / scales[:, year, None, None]
    return (first * later).sum(axis=2) * step * scales[:, :1]


@dataclass
class Verdict:
    posterior: np.ndarray  # over HYPOTHESES × PAY_GRID
    group_guess: str
    disability_guess: str | None
    pay_estimate: float


def attack(
    council: Council,
    observed: list[dict[str, float]],
    scales: list[dict[str, float]],
    patterns: list[dict[str, str]],
    read_values: bool = True,
    knows_the_rest: bool = False,
) -> Verdict:
    """Weigh every hypothesis by the likelihood of the three releases read (`observed`:
    released values by population; `scales`: each year's largest mean shown, by measure,
    which sets the noise on its sums; `patterns`: each year's withheld counts by population,
    "own" or "complement"). With `read_values=False`, only which counts are withheld; with
    `knows_the_rest`, the intruder knows every other person's record, so each count's true
    value under each hypothesis (the strongest intruder; sums still as above)."""
    scales_by_year = scales
    shown = set(observed[0]) & set(observed[1]) & set(observed[2])
    continuous = sorted(c for c in shown if not c.startswith("people of "))
    log_posterior = np.zeros((len(HYPOTHESES), len(PAY_GRID)))

    def change(hypothesis: tuple, label: str) -> float:
        years = council.exact[hypothesis]
        return years[1].get(label, 0.0) - years[0].get(label, 0.0)

    labels = sorted(
        {c for o in observed for c in o if c.startswith("people of ")}
        | {c for p in patterns for c in p}
    )
    labels = [c for c in labels if any(change(h, c) for h in HYPOTHESES)]
    if labels:
        statuses = np.full((len(labels), 3), ABSENT)
        values = np.zeros((len(labels), 3))
        for i, label in enumerate(labels):
            for year in range(3):
                if label in observed[year]:
                    statuses[i, year], values[i, year] = SHOWN, observed[year][label]
                elif label in patterns[year]:
                    own = patterns[year][label] == "own"
                    statuses[i, year] = OWN if own else COMPLEMENT
        deltas = np.array([[change(h, c) for h in HYPOTHESES] for c in labels])
        known = None
        if knows_the_rest:
            known = np.array(
                [[council.exact[h][0].get(c, 0.0) for h in HYPOTHESES] for c in labels]
            )
        likelihood = _count_likelihoods(
            statuses, values, deltas, read_values=read_values, first_year=known
        )
        log_posterior += np.log(np.maximum(likelihood, 1e-300)).sum(axis=0)[:, None]
    if continuous and read_values:
        values = np.array([[o[c] for o in observed] for c in continuous])
        bounds = np.zeros_like(values)
        pay_deltas = np.zeros((len(continuous), len(HYPOTHESES), len(PAY_GRID)))
        for i, label in enumerate(continuous):
            if label.startswith("median "):
                measure, people = label[len("median ") :].split(" of ", 1)
                for year in range(3):
                    n = max(observed[year].get(people, 1.0), 1.0)
                    bounds[i, year] = release.SUM_NOISE * scales_by_year[year][measure] / np.sqrt(n)
                for j, h in enumerate(HYPOTHESES):
                    pay_deltas[i, j, :] = change(h, label)
            else:
                measure, population = label.split(" of ", 1)
                for year in range(3):
                    n = max(observed[year].get("people of " + population, 1.0), 1.0)
                    bounds[i, year] = release.SUM_NOISE * scales_by_year[year][measure] * np.sqrt(n)
                for j, h in enumerate(HYPOTHESES):
                    member = change(h, "people of " + population)
                    pay_deltas[i, j, :] = change(h, label) + (PAY_GRID - TRUE_PAY) * member
        bounds = np.maximum(bounds, 1e-9)
        flat = pay_deltas.reshape(len(continuous), -1)
        likelihood = _continuous_likelihoods(values, bounds, flat)
        log_posterior += (
            np.log(np.maximum(likelihood, 1e-300)).sum(axis=0).reshape(log_posterior.shape)
        )
    posterior = np.exp(log_posterior - log_posterior.max())
    posterior /= posterior.sum()
    by_hypothesis = posterior.sum(axis=1)
    groups = list(GROUPS)
    by_group = np.array(
        [sum(by_hypothesis[i] for i, h in enumerate(HYPOTHESES) if h[0] == g) for g in groups]
    )
    by_disability = np.array(
        [sum(by_hypothesis[i] for i, h in enumerate(HYPOTHESES) if h[1] == d) for d in DISABILITIES]
    )
    return Verdict(
        posterior=posterior,
        group_guess=groups[int(by_group.argmax())],
        disability_guess=DISABILITIES[int(by_disability.argmax())],
        pay_estimate=float((posterior.sum(axis=0) * PAY_GRID).sum()),
    )
