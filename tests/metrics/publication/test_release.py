"""Releasing a snapshot's figures: protected within the release as `protect()` protects, and
perturbed afresh for each snapshot so that one person joining or leaving between years cannot
be read from the releases (docs/disclosure-control.md, "Across publications")."""

from __future__ import annotations

import hashlib

import numpy as np
import polars as pl
import pytest

from equitable.metrics.disclosure_control import PEOPLE
from equitable.metrics.publication import release
from equitable.metrics.publication.release import (
    MEAN_MINIMUM,
    PreparedRelease,
    count_noise_distribution,
    count_spread,
    limit_distribution,
    new_release_key,
    release_tables,
    withheld_chance,
)
from equitable.metrics.synthetic import generate_workforce
from tests.metrics.publication import intruder

KEYS = 200


def key(*parts: object) -> bytes:
    return hashlib.sha256("/".join(map(str, parts)).encode()).digest()


@pytest.fixture(scope="module")
def tables() -> dict[str, pl.DataFrame]:
    return intruder.figures(generate_workforce(400, 3))


@pytest.fixture(scope="module")
def prepared(tables) -> PreparedRelease:
    return PreparedRelease(tables)


@pytest.fixture(scope="module")
def under(prepared):
    """Key k's draws and release of the 400-staff snapshot, each worked out once: a release is
    a suppression run (about 1.3 s)."""
    found: dict[int, tuple] = {}

    def of(k: int) -> tuple:
        if k not in found:
            perturbed = prepared.perturbed(key("shared", k))
            found[k] = (perturbed, prepared.written(perturbed))
        return found[k]

    return of


def test_the_same_key_gives_the_same_release_and_a_republication_is_identical(tables, prepared):
    snapshot_key = key("snapshot", 2025)
    first = release_tables(tables, key=snapshot_key)
    again = prepared.release(snapshot_key)
    for name in tables:
        assert first.tables[name].equals(again.tables[name]), name
    assert first.accuracy == again.accuracy and first.method == again.method
    other = prepared.release(key("snapshot", 2026))
    moved = [n for n in tables if not other.tables[n].equals(first.tables[n])]
    assert "representation_overall" in moved and "pay_gap_sex" in moved


def test_a_release_key_is_32_secret_bytes_and_a_short_one_is_refused(tables):
    assert len(new_release_key()) == 32 and new_release_key() != new_release_key()
    with pytest.raises(ValueError, match="16 secret bytes"):
        release_tables(tables, key=b"short")
    with pytest.raises(ValueError, match="threshold"):
        release_tables(tables, key=key("k"), threshold=3)


def test_every_count_moves_with_the_stated_distribution_under_a_new_key(prepared, under):
    model = prepared.model
    counted = [
        i
        for i, c in enumerate(model.cells)
        if c.measure == PEOPLE and not c.unknown and (c.value or 0) >= 10
    ]
    # One draw per population: cells that are the same people share it.
    distinct = list({prepared.names[i]: i for i in counted}.values())
    truth = np.array([model.cells[i].value for i in distinct])
    spreads = np.array([count_spread(v) for v in truth])
    draws = [prepared.released_counts(key("move", k)) for k in range(KEYS)]
    moves = np.array([[values[i] for i in distinct] for values in draws]) - truth
    assert (np.abs(moves) <= spreads).all()
    assert spreads.min() == count_spread(10) == 4 and spreads.max() == count_spread(400) == 20
    # Cells of the commonest spread: their moves follow that spread's distribution.
    common = np.bincount(spreads).argmax()
    steps, chances = count_noise_distribution(int(common))
    of_common = moves[:, spreads == common]
    observed = np.array([(of_common == s).mean() for s in steps])
    assert of_common.size > 2_000
    assert np.abs(observed - chances).max() < 0.015, (observed, chances)
    # Each population's moves are fresh for every key, not one fixed offset per cell...
    assert (moves == 0).mean(axis=0).max() < 0.45
    # ...and unrelated between populations.
    correlation = np.corrcoef(moves[:, :50].T)
    assert np.abs(correlation[np.triu_indices(50, 1)]).mean() < 0.1
    # Zeros stay zeros (a published 0 is a true 0; nothing is shown that is not there).
    zeros = [i for i, c in enumerate(model.cells) if c.measure == PEOPLE and not c.unknown]
    zeros = [i for i in zeros if model.cells[i].value == 0]
    shown = under(0)[0].values
    assert zeros and all(shown.get(i, 0) == 0 for i in zeros)


def test_every_small_count_is_withheld_and_counts_up_to_22_are_withheld_by_their_draw(
    prepared, under
):
    """Suppression by keyed draws: a count is withheld when it is under its own withholding
    limit (10 to 22, most often 16), which takes every true count of 1 to 9 whatever the draw
    and a count of 10 to 21 with a chance that falls by about e^0.5 a person in each tail."""
    limits, chances = limit_distribution(10)
    assert limits.min() == 10 and limits.max() == 22 and limits[chances.argmax()] == 16
    assert [withheld_chance(v, 10) for v in (0, 1, 9, 22)] == [0.0, 1.0, 1.0, 0.0]
    ratios = [withheld_chance(v, 10) / withheld_chance(v + 1, 10) for v in range(16, 21)]
    assert all(1.6 < r < 2.7 for r in ratios), ratios
    seen_withheld = seen_shown = 0
    for k in range(3):
        perturbed = under(k)[0]
        for cell in perturbed.model.cells:
            if cell.measure != PEOPLE or not cell.published:
                continue
            if cell.value and cell.value < 10:
                assert cell.hidden, cell.label
            if cell.value and 12 <= cell.value <= 20:
                seen_withheld += cell.primary
                seen_shown += not cell.hidden
    assert seen_withheld and seen_shown
    released = under(0)[1].tables["representation_overall"]
    assert released["count"].drop_nulls().len() > 0


def test_no_withheld_count_can_be_worked_out_within_one_release(prepared, under):
    """The exact-differencing intruder of `metrics.attack`, told every shown count exactly
    (stronger than a real one, who sees them moved), pins no withheld count: the counts a
    draw withheld are protected as small counts are."""
    from equitable.metrics.attack import differencing_attack

    for k in range(2):
        model = under(k)[0].model
        people = {i for i, c in enumerate(model.cells) if c.measure == PEOPLE}
        published = {i: v for i, v in model.published_values().items() if i in people}
        constraints = [(t, parts) for t, parts in model.constraints if t in people]
        targets = [i for i in people if model.cells[i].hidden and model.cells[i].published]
        assert len(targets) > 100
        assert differencing_attack(published, constraints, targets=targets[::3]) == []


def test_rounding_rounds_the_released_counts_and_a_table_without_a_layout_is_refused(tables):
    from equitable.metrics.layout import LayoutError

    rounded = PreparedRelease(tables, round_to=5).release(key("round")).tables
    counts = rounded["representation_overall"]["count"].drop_nulls()
    assert counts.len() > 0 and (counts % 5 == 0).all()
    row = rounded["representation_overall"].filter(pl.col("count").is_not_null()).row(0, named=True)
    assert row["percent"] == pytest.approx(100 * row["count"] / row["total"])
    with pytest.raises(LayoutError, match="no declared layout"):
        release_tables({"mystery": pl.DataFrame({"count": [12]})}, key=key("k"))


def test_which_counts_are_withheld_moves_with_the_key(prepared, under):
    """Decided on the released counts, the pattern is another under each key (it was the same
    under every key when decided on the exact figures, and one person changed it)."""
    releases = [under(k)[0] for k in range(4)]
    patterns = [frozenset(r.pattern()) for r in releases]
    assert len(set(patterns)) == 4
    first = releases[0]
    assert set(map(str, first.withheld())) == {
        str(dict(c.box))
        for c in first.model.cells
        if c.published and c.hidden and c.measure == PEOPLE
    }
    assert {"own", "complement"} == set(first.pattern().values())


def test_the_same_population_reads_the_same_in_every_table(prepared, under):
    published = under(1)[1].tables
    everyone = set(published["representation_overall"]["total"].to_list())
    everyone |= set(published["representation_detailed_overall"]["total"].to_list())
    assert len(everyone) == 1
    # The White staff with an hourly rate are the White staff (everyone has a rate).
    white = published["representation_overall"].filter(pl.col("ethnic_group") == "White")
    wres = published["pay_gap_ethnicity"].filter(pl.col("grouping") == "wres")
    assert set(wres["reference_count"].to_list()) == {white["count"][0]}


def test_percentages_gaps_and_ratios_are_worked_out_from_the_released_figures(prepared, under):
    published = under(2)[1].tables
    for name in ("representation_overall", "representation_by_directorate"):
        rows = published[name].filter(pl.col("percent").is_not_null())
        assert rows.height > 0
        expected = (100 * rows["count"] / rows["total"]).clip(upper_bound=100)
        assert np.allclose(rows["percent"], expected)
        known = rows.filter(pl.col("gap_pp").is_not_null())
        gap = known["percent_of_known"] - known["population_percent"]
        assert np.allclose(known["gap_pp"], gap)
        ratio = known["percent_of_known"] / known["population_percent"]
        assert np.allclose(known["representation_ratio"], ratio)
    # The White British reference is about 100 people: its mean is shown under some keys.
    for k in range(8):
        ethnicity = under(k)[1].tables["pay_gap_ethnicity"]
        gaps = ethnicity.filter(pl.col("mean_gap_percent").is_not_null())
        if gaps.height:
            break
    assert gaps.height >= 1
    row = gaps.row(0, named=True)
    expected_gap = (
        (row["reference_mean_hourly_pay"] - row["mean_hourly_pay"])
        / row["reference_mean_hourly_pay"]
        * 100
    )
    assert row["mean_gap_percent"] == pytest.approx(expected_gap)


def test_means_are_released_only_over_a_hundred_people_and_move_with_noise(tables, prepared, under):
    exact = tables["pay_gap_sex"].row(0, named=True)
    seen = []
    for k in range(5):
        row = under(k)[1].tables["pay_gap_sex"].row(0, named=True)
        seen.append(row["mean_hourly_pay"])
        assert row["count"] >= MEAN_MINIMUM
    assert len(set(seen)) == 5
    assert abs(np.mean(seen) - exact["mean_hourly_pay"]) < 0.5
    small = under(0)[1].tables["bonus_gap_disability"]
    assert small["mean_bonus"].null_count() == small.height  # 15 or so paid a bonus


def test_every_table_says_what_the_protection_costs(prepared, under):
    released = under(3)[1]
    assert set(released.accuracy) == set(released.tables)
    sentence = released.accuracy["representation_overall"]
    assert sentence.startswith("Each count is within ±")
    assert "of the true count, about the square root of the count" in sentence
    assert "percentage within" in sentence
    assert "every count under 10 is withheld, and counts under 22 may be" in sentence
    assert "each mean and median within about £" in released.accuracy["pay_gap_sex"]
    assert "shown only for at least 100" in released.accuracy["bonus_gap_disability"]
    assert "square root of n" in released.method


# --- the attacks across three consecutive years -------------------------------------------

TRUTHS = [("Mixed", "Disabled"), ("White", "Not disabled")]
# Releases per attack: each is three suppression runs (about 0.5–1.3 s each at 400 staff).
ATTACK_KEYS = 40
# What each intruder may gain over guessing (1/6 for the group, 1/4 for disability), at most:
# set from the measured results in docs/disclosure-control.md, "Across publications" (the
# keys are fixed, so the tests' numbers are the same on every run).
# The intruder who knows how the person changes each figure, reading values and pattern:
GROUP_MARGIN = 0.20  # the group named, against 1/6 (noisy: two alternating truths)
DISABILITY_MARGIN = 0.15  # disability named, against 1/4
BELIEF_MARGIN = 0.05  # belief in the true group, and in the true disability
# The same intruder reading only which counts are withheld:
PATTERN_MARGIN = 0.03
# An intruder who knows every other person's record, reading only the pattern...
KNOWING_PATTERN_MARGIN = 0.10
# ...and reading the values too: the worst case, which the values still leak to (said as a
# limit in the docs; it was so before suppression was drawn, and the pattern alone then gave
# 0.68 belief in a joiner's group).
KNOWING_GROUP_BELIEF_AT_MOST = 0.40
KNOWING_DISABILITY_BELIEF_AT_MOST = 0.45


def _releases(council: intruder.Council, truth: tuple, prepared: dict) -> list[PreparedRelease]:
    years = council.tables[truth]
    out = []
    for tables in years:
        ident = id(tables)
        if ident not in prepared:
            prepared[ident] = PreparedRelease(tables)
        out.append(prepared[ident])
    return out


def _attack(kind: str, keys: int, read_values: bool = True) -> dict[str, float]:
    council = intruder.council(kind, 400, 3, TRUTHS)
    cache: dict = {}
    group_hits = disability_hits = 0
    group_belief, disability_belief, pay_error = [], [], []
    pattern_group_belief, pattern_disability_belief = [], []
    rest: dict[str, list[float]] = {}
    prior_pay_error = float(np.abs(intruder.PAY_GRID - intruder.TRUE_PAY).mean())

    def beliefs(verdict: intruder.Verdict, truth: tuple) -> tuple[float, float]:
        by_hypothesis = verdict.posterior.sum(axis=1)
        pairs = list(zip(by_hypothesis, intruder.HYPOTHESES, strict=True))
        return (
            float(sum(p for p, h in pairs if h[0] == truth[0])),
            float(sum(p for p, h in pairs if h[1] == truth[1])),
        )

    for k in range(keys):
        truth = TRUTHS[k % len(TRUTHS)]
        years = _releases(council, truth, cache)
        releases = [years[y].perturbed(key(kind, k, y)) for y in range(3)]
        observed = [r.by_label() for r in releases]
        patterns = [r.pattern() for r in releases]
        scales = [p.scale for p in years]
        verdict = intruder.attack(council, observed, scales, patterns)
        group, disability = beliefs(verdict, truth)
        group_belief.append(group)
        disability_belief.append(disability)
        group_hits += verdict.group_guess == truth[0]
        disability_hits += verdict.disability_guess == truth[1]
        by_pay = verdict.posterior.sum(axis=0)
        pay_error.append(float((by_pay * np.abs(intruder.PAY_GRID - intruder.TRUE_PAY)).sum()))
        from_pattern = intruder.attack(council, observed, scales, patterns, read_values=False)
        group, disability = beliefs(from_pattern, truth)
        pattern_group_belief.append(group)
        pattern_disability_belief.append(disability)
        for name, read_values in (("rest_pattern", False), ("rest", True)):
            verdict = intruder.attack(
                council, observed, scales, patterns, read_values=read_values, knows_the_rest=True
            )
            group, disability = beliefs(verdict, truth)
            rest.setdefault(f"{name}_group_belief", []).append(group)
            rest.setdefault(f"{name}_disability_belief", []).append(disability)
    return {
        "group": group_hits / keys,
        "disability": disability_hits / keys,
        "group_belief": float(np.mean(group_belief)),
        "disability_belief": float(np.mean(disability_belief)),
        "pay_error": float(np.mean(pay_error)),
        "prior_pay_error": prior_pay_error,
        "pattern_group_belief": float(np.mean(pattern_group_belief)),
        "pattern_disability_belief": float(np.mean(pattern_disability_belief)),
        **{name: float(np.mean(values)) for name, values in rest.items()},
    }


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["joiner", "leaver"])
def test_three_years_of_releases_do_not_give_away_who_joined_or_left(kind):
    found = _attack(kind, ATTACK_KEYS)
    print(kind, found)
    group, disability = 1 / len(intruder.GROUPS), 1 / len(intruder.DISABILITIES)
    assert found["group"] <= group + GROUP_MARGIN
    assert found["group_belief"] <= group + BELIEF_MARGIN
    assert found["disability"] <= disability + DISABILITY_MARGIN
    assert found["disability_belief"] <= disability + BELIEF_MARGIN
    # The pay estimate is no better than the prior's (the band's range of hourly rates).
    assert found["pay_error"] >= 0.95 * found["prior_pay_error"]
    # Which counts are withheld, read alone, moves the belief little.
    assert found["pattern_group_belief"] <= group + PATTERN_MARGIN
    assert found["pattern_disability_belief"] <= disability + PATTERN_MARGIN
    assert found["rest_pattern_group_belief"] <= group + KNOWING_PATTERN_MARGIN
    assert found["rest_pattern_disability_belief"] <= disability + KNOWING_PATTERN_MARGIN
    assert found["rest_group_belief"] <= KNOWING_GROUP_BELIEF_AT_MOST
    assert found["rest_disability_belief"] <= KNOWING_DISABILITY_BELIEF_AT_MOST


@pytest.mark.slow
def test_the_intruder_is_real_rounding_sized_noise_gives_the_joiner_away(monkeypatch):
    """With noise the size of rounding (±1, sums ±1p a person) and means over 10 people, as
    `protect()` alone would show them, the same intruder reads the joiner."""
    monkeypatch.setattr(release, "COUNT_NOISE_MIN", 1)
    monkeypatch.setattr(release, "COUNT_NOISE_SCALE", 0.0)
    monkeypatch.setattr(release, "SUM_NOISE", 0.01)
    monkeypatch.setattr(release, "MEAN_MINIMUM", 10)
    monkeypatch.setattr(release, "SUPPRESSION_REACH", 0)  # the pattern on the exact counts
    release.limit_distribution.cache_clear()
    try:
        found = _attack("joiner", 10)
    finally:
        release.limit_distribution.cache_clear()
    print("exact-ish", found)
    groups, disabilities = len(intruder.GROUPS), len(intruder.DISABILITIES)
    # Twice the prior's belief in the group (Mixed and Other are withheld at 400 staff, which
    # protect() does), certainty about disability, the pay to within a sixth of the prior's
    # error.
    assert found["group_belief"] >= 2 / groups
    assert found["disability_belief"] >= 0.9 > 1 / disabilities
    assert found["pay_error"] < found["prior_pay_error"] / 6


def _differencing_ranges(
    years: list[PreparedRelease], models: list, observed: list, kind: str
) -> list:
    """The classic intruder: linear programmes over the three releases together. Each year's
    sums hold exactly; each shown count is within its spread of the truth (year 3 shows the
    same people as year 2, with its own draws); every population changes by 0 or 1 person
    between years 1 and 2 (0 or −1 for a leaver). For each count of 1 to 9 withheld in
    year 2: its smallest and largest value."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    first, second = models
    offset = len(first.cells)
    people = {
        0: [i for i, c in enumerate(first.cells) if c.measure == PEOPLE],
        1: [i for i, c in enumerate(second.cells) if c.measure == PEOPLE],
    }
    bounds: list[tuple[float, float | None]] = [(0.0, None)] * (offset + len(second.cells))

    def shown_bounds(value: float) -> tuple[float, float]:
        if value == 0:
            return (0.0, 0.0)
        spread = count_spread(value) + 1  # the spread of the truth, which may be a bit larger
        return (max(0.0, value - spread), value + spread)

    for year, base in ((0, 0), (1, offset)):
        for i in people[year]:
            windows = [shown_bounds(o[i]) for o in observed[year] if i in o]
            if windows:
                bounds[base + i] = (max(w[0] for w in windows), min(w[1] for w in windows))
    rows, cols, data, rhs_eq = [], [], [], []
    row = 0
    for model, base in ((first, 0), (second, offset)):
        for total, parts in model.constraints:
            if model.cells[total].measure != PEOPLE:
                continue
            for cell, sign in ((total, -1.0), *((p, 1.0) for p in parts)):
                rows.append(row)
                cols.append(base + cell)
                data.append(sign)
            rhs_eq.append(0.0)
            row += 1
    a_eq = coo_matrix((data, (rows, cols)), shape=(row, len(bounds))).tocsr()
    names = {years[0].names[i]: i for i in people[0]}
    rows, cols, data, rhs_ub = [], [], [], []
    row = 0
    for j in people[1]:
        i = names.get(years[1].names[j])
        if i is None:
            continue
        low, high = (0.0, 1.0) if kind == "joiner" else (-1.0, 0.0)
        for sign, limit in ((1.0, high), (-1.0, -low)):  # sign × (x2 − x1) ≤ limit
            rows += [row, row]
            cols += [offset + j, i]
            data += [sign, -sign]
            rhs_ub.append(limit)
            row += 1
    a_ub = coo_matrix((data, (rows, cols)), shape=(row, len(bounds))).tocsr()
    targets = [
        j
        for j in people[1]
        if second.needs_protection(j) and second.cells[j].published and second.sensitive(j)
    ]
    found = []
    for j in targets[:40]:
        objective = np.zeros(len(bounds))
        objective[offset + j] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective,
                A_ub=a_ub,
                b_ub=rhs_ub,
                A_eq=a_eq,
                b_eq=rhs_eq,
                bounds=bounds,
                method="highs",
            )
            ends.append(np.inf if result.status == 3 else sign * result.fun)
        found.append((second.cells[j].value, ends[0], ends[1]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["joiner", "leaver"])
def test_differencing_the_three_releases_pins_no_withheld_count(kind):
    from equitable.metrics.attack import is_pinned

    council = intruder.council(kind, 400, 3, TRUTHS[:1])
    years = [PreparedRelease(t) for t in council.tables[TRUTHS[0]][:2]]
    releases = [
        [years[0].perturbed(key("exact", kind, 0))],
        [years[1].perturbed(key("exact", kind, y)) for y in (1, 2)],
    ]
    observed = [[r.values for r in year] for year in releases]
    # The year-2 count the programme protects are those withheld in the release read first.
    models = [releases[0][0].model, releases[1][0].model]
    found = _differencing_ranges(years, models, observed, kind)
    assert len(found) >= 10
    for value, low, high in found:
        assert low - 1e-6 <= value <= high + 1e-6  # the truth is among what the intruder allows
        assert not is_pinned(low, high)
    print(kind, "narrowest range", min(high - low for _, low, high in found), len(found))
