"""The one protect step for survey figures: hand-worked suppression, the filter-combining
intruder, random small surveys, why every withheld row is withheld, rounding."""

from __future__ import annotations

import json
import random

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equitable.metrics import attack
from equitable.metrics.layout import LayoutError
from equitable.metrics.surveys import publishing
from tests.metrics.surveys import intruder
from tests.metrics.surveys.survey_fakes import POINTS, fake_derive_tables, survey_tables

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
THRESHOLD = 10


@pytest.fixture(autouse=True)
def fake_derive(monkeypatch):
    """figures.derive_tables is written in parallel: a contract-shaped stand-in."""
    monkeypatch.setattr(publishing, "_derive", fake_derive_tables)


def respondents(groups, *, seed=0, questions=("q1",), skip=0.0, directorates=("A", "B")):
    rng = random.Random(seed)
    rows = []
    for ethnicity, n in groups:
        for _ in range(n):
            row = {
                "ethnicity": ethnicity,
                "sex": rng.choice(("Female", "Male")),
                "directorate": rng.choice(directorates),
                "pay_band": rng.choice(("Band 1", "Band 2")),
            }
            for q in questions:
                row[q] = None if rng.random() < skip else rng.choice(POINTS)
            rows.append(row)
    return pl.DataFrame(rows)


def row(frame, **keys):
    found = frame.filter(pl.all_horizontal(pl.col(k) == v for k, v in keys.items()))
    assert found.height == 1, keys
    return found.row(0, named=True)


# --- hand-worked ------------------------------------------------------------------------------


def test_black_twenty_of_african_caribbean_and_other_black():
    """Black 20 = African 12 + Caribbean 5 + Other Black 3, beside White British 40 and
    Indian 15 (nobody else). Caribbean and Other Black are under 10: withheld. With only them
    withheld, Black - African = 8 would give their 8 people's answers by subtraction, so a
    complement goes too (African or Black), and no withheld count can then be worked out.
    Every withheld row gives the same reason (small, or withheld so that a smaller group
    cannot be worked out): telling them apart would say Caribbean and Other Black are each
    under 10."""
    frame = respondents(
        [("African", 12), ("Caribbean", 5), ("Other Black", 3), (WHITE_BRITISH, 40), ("Indian", 15)]
    )
    exact = survey_tables(frame, ["q1"])
    published = publishing.publish(exact, threshold=THRESHOLD)
    by_group = published["results_by_ethnic_group"]
    for group in ("Caribbean", "Other Black"):
        r = row(by_group, ethnic_group=group)
        assert r["respondents"] is None and r["percent_favourable"] is None
        assert r["suppressed"] is True
        assert r["why_withheld"] == publishing.withheld_reason(10)
    african, black = row(by_group, ethnic_group="African"), row(by_group, ethnic_group="Black")
    assert african["respondents"] is None or black["respondents"] is None
    for r in (african, black):
        if r["respondents"] is None:
            assert r["why_withheld"] == publishing.withheld_reason(10)
    # White and the whole survey are large and alone in nothing: shown, with percentages.
    white = row(by_group, ethnic_group="White")
    assert white["respondents"] == 40 and white["percent_favourable"] is not None
    assert row(published["results_overall"], question="q1")["respondents"] == 75
    # The exact answer counts are never published.
    for name, table in published.items():
        assert not {"favourable", "neutral", "unfavourable"} & set(table.columns), name
    # Comparison with White re-derived from the protected rows only.
    comparison = published["comparison_with_white"]
    black_vs_white = row(comparison, ethnic_group="Black")
    if black["respondents"] is None:
        assert black_vs_white["suppressed"] is True
        assert black_vs_white["difference_points"] is None
        assert black_vs_white["why_withheld"] == "not shown because Black is withheld"
    _assert_intruder_fails(exact, published, "q1")


# --- the filter-combining intruder --------------------------------------------------------------


def _truth(exact, question):
    """The exact respondents of every cell the intruder names, from the exact tables."""
    truth = {}
    for name, dims in intruder.TABLE_DIMS.items():
        for r in exact[name].filter(pl.col("question") == question).iter_rows(named=True):
            truth[intruder.cell(**{d: r[intruder.COLUMN[d]] for d in dims})] = r["respondents"]
    return truth


def _assert_intruder_fails(exact, published, question, threshold=THRESHOLD):
    view = intruder.read(published, question)
    truth = _truth(exact, question)
    found = intruder.ranges(view)
    assert found, "nothing withheld: the case tests nothing"
    for c, (low, high) in found.items():
        value = truth.get(c, 0)
        assert low - 1e-6 <= value <= high + 1e-6, (c, value, low, high)
        if 0 < value < threshold:
            # Not pinned, and no aggregate holding it can be isolated below the threshold:
            # its largest feasible value is at least the threshold.
            assert not attack.is_pinned(low, high), (c, value, low, high)
            assert high >= threshold - 1e-6, (c, value, low, high)
        elif value == 0:
            assert high >= 1 - 1e-6, (c, low, high)
    for parts, value in intruder.remainders(view):
        assert value >= threshold - 1e-6, (parts, value)
    # Reading "fewer than 10" too: still no withheld count under the threshold pinned (a
    # complement of the threshold or more may be: it is not what is protected).
    for c, (low, high) in intruder.ranges(view, use_reasons=True, threshold=threshold).items():
        if truth.get(c, 0) < threshold:
            assert not attack.is_pinned(low, high), (c, truth.get(c, 0), low, high)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_intruder_combining_filters_recovers_nothing(seed):
    """Every table a user can reach for one question, with directorate and pay band filters
    crossed with ethnic group and sex: no withheld count under the threshold is pinned, and
    no aggregate of withheld rows isolable by subtraction is under the threshold."""
    groups = [
        (WHITE_BRITISH, 60),
        ("Irish", 4),
        ("Other White", 9),
        ("African", 12),
        ("Caribbean", 5),
        ("Other Black", 3),
        ("Indian", 15),
        ("Pakistani", 6),
        ("White and Black Caribbean", 7),
        ("Arab", 2),
        ("Prefer not to say", 8),
        ("Not known", 3),
    ]
    frame = respondents(groups, seed=seed, directorates=("People", "Place", "Resources"))
    exact = survey_tables(frame, ["q1"])
    published = publishing.publish(exact, threshold=THRESHOLD)
    _assert_intruder_fails(exact, published, "q1")


def test_the_intruder_is_real():
    """The same intruder recovers counts when only the small rows are withheld."""
    frame = respondents(
        [("African", 12), ("Caribbean", 5), ("Other Black", 3), (WHITE_BRITISH, 40)]
    )
    exact = survey_tables(frame, ["q1"])
    naive = {}
    for name, table in exact.items():
        if name in intruder.TABLE_DIMS:
            small = pl.col("respondents") < THRESHOLD
            naive[name] = table.with_columns(
                pl.when(small).then(None).otherwise(pl.col("respondents")).alias("respondents")
            )
    view = intruder.read(naive, "q1")
    pinned = [c for c, (lo, hi) in intruder.ranges(view).items() if attack.is_pinned(lo, hi)]
    assert pinned or any(v < THRESHOLD for _, v in intruder.remainders(view))


ETHNICITIES = (
    WHITE_BRITISH,
    "Other White",
    "African",
    "Caribbean",
    "Indian",
    "Chinese",
    "White and Asian",
    "Arab",
    "Prefer not to say",
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    counts=st.lists(st.integers(min_value=0, max_value=25), min_size=4, max_size=9),
    seed=st.integers(min_value=0, max_value=10_000),
    threshold=st.sampled_from([5, 10]),
)
def test_random_small_surveys(counts, seed, threshold):
    groups = [(e, n) for e, n in zip(ETHNICITIES, counts, strict=False) if n]
    if sum(n for _, n in groups) < 2:
        return
    frame = respondents(groups, seed=seed, questions=("q1", "q2"), skip=0.1)
    exact = survey_tables(frame, ["q1", "q2"])
    published = publishing.publish(exact, threshold=threshold)
    for question in ("q1", "q2"):
        view = intruder.read(published, question)
        if view.withheld:
            _assert_intruder_fails(exact, published, question, threshold)
    _assert_withheld_rows_say_why(published, threshold)


# --- why --------------------------------------------------------------------------------------


def _assert_withheld_rows_say_why(published, threshold):
    allowed = {publishing.withheld_reason(threshold)}
    for name, table in published.items():
        assert "suppressed" in table.columns and "why_withheld" in table.columns, name
        for r in table.iter_rows(named=True):
            if r["suppressed"]:
                assert r["why_withheld"], (name, r)
                if name in publishing.RESULT_TABLES:
                    assert r["why_withheld"] in allowed
                    assert r["respondents"] is None and r["percent_favourable"] is None
                    assert r["distribution"] is None and r["mean_score"] is None
            else:
                assert r["why_withheld"] is None, (name, r)


def test_every_withheld_row_says_why():
    frame = respondents(
        [(WHITE_BRITISH, 30), ("African", 4), ("Indian", 11), ("Prefer not to say", 2)],
        questions=("q1", "q2", "q3"),
        skip=0.2,
    )
    published = publishing.publish(survey_tables(frame, ["q1", "q2", "q3"]), threshold=10)
    _assert_withheld_rows_say_why(published, 10)
    assert published["results_by_ethnic_group"]["suppressed"].any()


def test_questions_take_their_overall_row():
    frame = respondents([(WHITE_BRITISH, 6)], questions=("q1",))
    published = publishing.publish(survey_tables(frame, ["q1"]), threshold=10)
    question = row(published["questions"], question="q1")
    assert question["respondents"] is None and question["percent_favourable"] is None
    assert question["why_withheld"] == publishing.withheld_reason(10)


# --- the survey's pattern, cache, refusals, rounding --------------------------------------------


def test_a_count_withheld_in_the_fullest_question_is_withheld_in_every_question():
    """Questions answered by nearly the same people must not show, one beside the other,
    what the other withholds."""
    frame = respondents(
        [(WHITE_BRITISH, 40), ("African", 12), ("Caribbean", 5), ("Indian", 15)],
        questions=("q1", "q2", "q3"),
        skip=0.05,
        seed=4,
    )
    exact = survey_tables(frame, ["q1", "q2", "q3"])
    published = publishing.publish(exact)["results_by_ethnic_group"]
    overall = exact["results_overall"]
    fullest = overall.sort("respondents", descending=True)["question"][0]
    withheld = set(
        published.filter(pl.col("question") == fullest, pl.col("suppressed"))["ethnic_group"]
    )
    assert withheld
    for q in ("q1", "q2", "q3"):
        here = set(published.filter(pl.col("question") == q, pl.col("suppressed"))["ethnic_group"])
        assert withheld <= here, q


def test_identical_questions_share_one_protection(monkeypatch):
    frame = respondents([(WHITE_BRITISH, 30), ("African", 4)], questions=("q1", "q2", "q3"))
    calls = []
    real = publishing.disclosure_control.protect
    monkeypatch.setattr(
        publishing.disclosure_control,
        "protect",
        lambda *a, **k: calls.append(1) or real(*a, **k),
    )
    publishing.publish(survey_tables(frame, ["q1", "q2", "q3"]))
    assert len(calls) == 1


def test_every_results_table_has_a_layout():
    """All seventeen results tables, the open characteristics among them (religion values are
    the survey's own, not the workforce's statuses)."""
    frame = respondents([(WHITE_BRITISH, 45), ("African", 14), ("Indian", 12)], seed=3)
    rng = random.Random(3)
    frame = frame.with_columns(
        pl.Series("disability", [rng.choice(("Disabled", "Not disabled")) for _ in range(71)]),
        pl.Series(
            "sexual_orientation",
            [
                rng.choice(("Gay or lesbian", "Heterosexual or straight", "Prefer not to say"))
                for _ in range(71)
            ],
        ),
        pl.Series(
            "religion", [rng.choice(("No religion", "Christian", "Muslim")) for _ in range(71)]
        ),
        pl.Series("age_band", [rng.choice(("16-24", "25-49", "50+")) for _ in range(71)]),
        pl.Series(
            "length_of_service",
            [rng.choice(("Under 2 years", "2 years or more")) for _ in range(71)],
        ),
    )
    exact = survey_tables(frame, ["q1"])
    assert set(publishing.RESULT_TABLES) <= set(exact)
    published = publishing.publish(exact)
    assert set(publishing.RESULT_TABLES) <= set(published)
    _assert_withheld_rows_say_why(published, 10)
    overall = row(published["results_overall"], question="q1")["respondents"]
    for name in ("results_by_religion", "results_by_age_band", "results_by_disability"):
        shown = published[name]["respondents"].drop_nulls().sum()
        assert shown <= overall


def test_unknown_table_refused():
    with pytest.raises(LayoutError, match="no declared layout"):
        publishing.publish({"results_by_shoe_size": pl.DataFrame({"question": ["q1"]})})


def test_threshold_below_five_refused():
    with pytest.raises(ValueError):
        publishing.publish({}, threshold=3)


def test_rounding_rounds_counts_and_coarsens_percentages():
    frame = respondents([(WHITE_BRITISH, 43), ("Indian", 27)], seed=2)
    published = publishing.publish(survey_tables(frame, ["q1"]), round_to=5)
    overall = row(published["results_overall"], question="q1")
    assert overall["respondents"] == 70
    white = row(published["results_by_ethnic_group"], ethnic_group="White")
    assert white["respondents"] == 45  # 43 to the nearest 5
    assert white["percent_favourable"] == round(white["percent_favourable"])
    assert all(p == round(p) for _, p in json.loads(white["distribution"]))


def test_response_rates_follow_the_survey_pattern():
    frame = respondents([(WHITE_BRITISH, 40), ("African", 12), ("Caribbean", 5)])
    exact = survey_tables(frame, ["q1"])
    exact["response_rates"] = pl.DataFrame(
        {
            "characteristic": ["overall", "ethnic_group", "ethnic_group", "ethnic_group"],
            "group": ["All staff", "White", "Black", "Asian"],
            "respondents": [57, 40, 17, 0],
            "headcount": [120, 80, 30, 10],
            "response_rate": [47.5, 50.0, 56.67, 0.0],
            "ci_low": [40.0, 40.0, 40.0, 0.0],
            "ci_high": [55.0, 60.0, 70.0, 30.0],
        }
    )
    published = publishing.publish(exact)
    rates = published["response_rates"]
    results = published["results_by_ethnic_group"]
    for group in ("White", "Black"):
        if row(results, ethnic_group=group)["respondents"] is None:
            r = row(rates, group=group)
            assert r["respondents"] is None and r["response_rate"] is None
            assert r["why_withheld"]
    assert row(rates, group="All staff")["respondents"] == 57


def test_change_since_previous_reads_the_previous_publication():
    now = respondents([(WHITE_BRITISH, 40), ("African", 15)], seed=1)
    before = respondents([(WHITE_BRITISH, 40), ("African", 6), ("Indian", 11)], seed=2)
    previous = publishing.publish(survey_tables(before, ["q1"]))
    published = publishing.publish(survey_tables(now, ["q1"]), previous_published=previous)
    change = published["change_since_previous"]
    african = row(change, group="African")
    assert african["suppressed"] is True
    assert african["why_withheld"] == (
        "not shown because African is withheld in the previous survey"
    )
    for r in change.iter_rows(named=True):
        sources = (
            row(previous["results_by_ethnic_group"], ethnic_group=r["group"]),
            row(published["results_by_ethnic_group"], ethnic_group=r["group"]),
        )
        assert r["suppressed"] is any(s["suppressed"] for s in sources)


# --- which complement is withheld ------------------------------------------------------------


def test_white_stays_published_when_a_small_unknown_cell_needs_a_complement():
    """Unknown (12 preferring not to say) splits into 3 and 9 over two pay bands. Withheld
    alone, Unknown in Band 1 can only move up by 10 if Unknown itself moves, and with the
    whole survey shown that means a group moves the other way: the cheapest per person moved
    was White (81), so White was withheld, and with it every comparison with White. The
    same room (a range 10 wide) is kept by letting Unknown in Band 1 go down to 0 and up to
    10 inside Unknown's 12, withholding cross-tab cells only: White, the four other groups,
    "Black, Asian and Multi-ethnic" and the whole survey are weighted to be withheld last,
    so they stay shown, and the intruder still recovers nothing."""
    groups = [
        (WHITE_BRITISH, 64),
        ("Irish", 6),
        ("Other White", 11),
        ("African", 18),
        ("Caribbean", 11),
        ("Indian", 25),
        ("Pakistani", 17),
        ("Prefer not to say", 12),
    ]
    frame = respondents(groups, seed=0, directorates=("A", "B", "C"))
    exact = survey_tables(frame, ["q1"])
    unknown_band_1 = row(
        exact["results_by_pay_band_and_ethnic_group"], pay_band="Band 1", ethnic_group="Unknown"
    )
    assert 0 < unknown_band_1["respondents"] < THRESHOLD
    published = publishing.publish(exact, threshold=THRESHOLD)
    by_group = published["results_by_ethnic_group"]
    white = row(by_group, ethnic_group="White")
    assert white["respondents"] == 81 and white["percent_favourable"] is not None
    for group in ("Black, Asian and Multi-ethnic", "Asian", "Black"):
        assert row(by_group, ethnic_group=group)["respondents"] is not None, group
    assert row(published["results_overall"], question="q1")["respondents"] == 164
    assert row(by_group, ethnic_group="Irish")["respondents"] is None
    assert row(published["comparison_with_white"], ethnic_group="Asian")["suppressed"] is False
    _assert_intruder_fails(exact, published, "q1")
    _assert_withheld_rows_say_why(published, THRESHOLD)


def test_without_headline_weights_white_was_the_complement(monkeypatch):
    """The same survey protected with every cell costed alike withholds White: the case
    above tests the weights, not luck."""
    monkeypatch.setattr(publishing, "HEADLINE_WEIGHT", 1.0)
    groups = [
        (WHITE_BRITISH, 64),
        ("Irish", 6),
        ("Other White", 11),
        ("African", 18),
        ("Caribbean", 11),
        ("Indian", 25),
        ("Pakistani", 17),
        ("Prefer not to say", 12),
    ]
    frame = respondents(groups, seed=0, directorates=("A", "B", "C"))
    exact = survey_tables(frame, ["q1"])
    published = publishing.publish(exact, threshold=THRESHOLD)
    assert row(published["results_by_ethnic_group"], ethnic_group="White")["respondents"] is None
    _assert_intruder_fails(exact, published, "q1")
