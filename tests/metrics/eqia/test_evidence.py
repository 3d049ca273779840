"""EqIA workforce evidence: the make-up of the staff in scope against the organisation, and the
relative likelihood of being in scope or affected, checked against figures worked by hand."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equitable.metrics.eqia.evidence import (
    AGE_BANDS,
    LAYOUTS,
    ScopeError,
    evidence_tables,
    parse_scope,
    protected_evidence,
)
from equitable.metrics.labels import AGGREGATE_LABEL, ETHNICITY_VALUES
from equitable.metrics.population import demo_population
from equitable.metrics.prepared import FigureInputError
from tests.metrics.eqia.support import keys, snapshot

WB = "English, Welsh, Scottish, Northern Irish or British"
ND = "Not disabled"

# 24 staff. People (12, the scope): 5 Asian, 2 Black, 4 White, 1 who preferred not to say.
# Place (12): 8 White, 1 Asian, 2 Black, 1 Mixed. Organisation: 12 White, 6 Asian, 4 Black,
# 1 Mixed, 0 Other, 1 Unknown; "Black, Asian and Multi-ethnic" 11.
STAFF = [
    ("P01", "Indian", "Female", ND, "People", "5", "30"),
    ("P02", "Pakistani", "Male", ND, "People", "5", "41"),
    ("P03", "Bangladeshi", "Female", "Disabled", "People", "6", "23"),
    ("P04", "Indian", "Female", ND, "People", "6", "52"),
    ("P05", "Chinese", "Male", ND, "People", "4", "60"),
    ("P06", "African", "Female", ND, "People", "5", "38"),
    ("P07", "Caribbean", "Male", ND, "People", "6", "47"),
    ("P08", WB, "Female", ND, "People", "5", "29"),
    ("P09", WB, "Male", "Disabled", "People", "4", "66"),
    ("P10", "Irish", "Female", ND, "People", "5", "35"),
    ("P11", "Other White", "Male", ND, "People", "6", "44"),
    ("P12", "Prefer not to say", "Female", ND, "People", "5", "31"),
    ("Q01", WB, "Male", ND, "Place", "3", "50"),
    ("Q02", WB, "Female", ND, "Place", "3", "27"),
    ("Q03", WB, "Male", ND, "Place", "4", "33"),
    ("Q04", WB, "Female", ND, "Place", "2", "58"),
    ("Q05", WB, "Male", "Disabled", "Place", "2", "24"),
    ("Q06", "Other White", "Female", ND, "Place", "3", "39"),
    ("Q07", "Other White", "Male", ND, "Place", "4", "45"),
    ("Q08", "Irish", "Female", ND, "Place", "3", "61"),
    ("Q09", "Indian", "Male", ND, "Place", "2", "36"),
    ("Q10", "African", "Female", ND, "Place", "3", "42"),
    ("Q11", "Caribbean", "Male", ND, "Place", "4", "28"),
    ("Q12", "White and Asian", "Female", ND, "Place", "3", "55"),
]
PEOPLE = {"directorate": ["People"]}


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return snapshot(STAFF)


def row(table: pl.DataFrame, column: str, value: str) -> dict:
    found = table.filter(pl.col(column) == value).to_dicts()
    assert len(found) == 1, (column, value, found)
    return found[0]


def test_the_make_up_of_the_scope_is_worked_out_by_hand(frame):
    """Wilson 95 % interval, z = 1.959964, z² = 3.841459, for k of n (p = k/n):
    centre = (p + z²/2n) / (1 + z²/n), half = z √(p(1−p)/n + z²/4n²) / (1 + z²/n).

    Asian in scope, 5 of 12: p = 0.416667, 1 + z²/n = 1.320122,
    centre = (0.416667 + 0.160061) / 1.320122 = 0.436875,
    half = 1.959964 × √(0.020255 + 0.006669) / 1.320122 = 0.243616,
    so 19.326 % to 68.049 % around 41.667 %.
    Asian in the organisation, 6 of 24: 25 %, 11.999 % to 44.899 %.
    "Black, Asian and Multi-ethnic" in scope: 5 + 2 + 0 = 7 of 12, 58.333 % (31.951 to 80.674);
    of the 11 of known ethnicity, 63.636 %."""
    tables = evidence_tables(frame, PEOPLE)
    in_scope = tables["in_scope_by_ethnic_group"]
    assert in_scope["ethnic_group"].to_list() == [
        "Asian", "Black", "Mixed", "White", "Other", "Unknown", AGGREGATE_LABEL,
    ]  # fmt: skip
    assert in_scope["count"].to_list() == [5, 2, 0, 4, 0, 1, 7]
    assert set(in_scope["total"].to_list()) == {12}
    asian = row(in_scope, "ethnic_group", "Asian")
    assert asian["percent"] == pytest.approx(41.667, abs=5e-4)
    assert asian["percent_ci_low"] == pytest.approx(19.326, abs=5e-4)
    assert asian["percent_ci_high"] == pytest.approx(68.049, abs=5e-4)
    aggregate = row(in_scope, "ethnic_group", AGGREGATE_LABEL)
    assert aggregate["percent"] == pytest.approx(58.333, abs=5e-4)
    assert aggregate["percent_ci_low"] == pytest.approx(31.951, abs=5e-4)
    assert aggregate["percent_ci_high"] == pytest.approx(80.674, abs=5e-4)
    assert aggregate["percent_of_known"] == pytest.approx(63.636, abs=5e-4)
    assert row(in_scope, "ethnic_group", "Unknown")["percent_of_known"] is None
    # Nobody Mixed in scope: 0 %, and the interval starts exactly at 0.
    mixed = row(in_scope, "ethnic_group", "Mixed")
    assert (mixed["percent"], mixed["percent_ci_low"]) == (0.0, 0.0)

    organisation = tables["organisation_by_ethnic_group"]
    assert organisation["count"].to_list() == [6, 4, 1, 12, 0, 1, 11]
    asian = row(organisation, "ethnic_group", "Asian")
    assert (asian["percent"], asian["total"]) == (25.0, 24)
    assert asian["percent_ci_low"] == pytest.approx(11.999, abs=5e-4)
    assert asian["percent_ci_high"] == pytest.approx(44.899, abs=5e-4)


def test_every_characteristic_is_broken_down_over_its_whole_vocabulary(frame):
    """Female in scope: P01, P03, P04, P06, P08, P10, P12 = 7 of 12, 58.333 % (31.951 to
    80.674). Ages in scope: 23 | 29 30 31 | 35 38 41 44 | 47 52 | 60 | 66."""
    tables = evidence_tables(frame, PEOPLE)
    sex = tables["in_scope_by_sex"]
    assert sex.select("sex", "count").rows() == [
        ("Female", 7), ("Male", 5), ("Prefer not to say", 0), ("Not known", 0),
    ]  # fmt: skip
    female = row(sex, "sex", "Female")
    assert female["percent_ci_low"] == pytest.approx(31.951, abs=5e-4)
    assert row(tables["in_scope_by_disability"], "disability", "Disabled")["count"] == 2
    ages = tables["in_scope_by_age_band"]
    assert ages["age_band"].to_list() == list(AGE_BANDS)
    assert ages["count"].to_list() == [1, 3, 4, 2, 1, 1, 0]
    detailed = tables["in_scope_by_ethnicity"]
    assert detailed["ethnicity"].to_list() == list(ETHNICITY_VALUES)
    assert row(detailed, "ethnicity", "Indian")["count"] == 2
    assert row(detailed, "ethnicity", "Indian")["ethnic_group"] == "Asian"
    # The snapshot records neither religion nor sexual orientation: no table of blanks.
    assert "in_scope_by_religion" not in tables
    assert "organisation_by_sexual_orientation" not in tables


def test_the_relative_likelihood_of_being_in_scope_is_worked_out_by_hand(frame):
    """Katz: RR = (k1/n1) / (k2/n2), ln RR ± z √(1/k1 − 1/n1 + 1/k2 − 1/n2).

    Asian: 5 of 6 in scope against White 4 of 12: RR = 0.8333 / 0.3333 = 2.5;
    se = √(1/5 − 1/6 + 1/4 − 1/12) = √0.2 = 0.447214; 2.5 × e^(∓0.876523) = 1.041 to 6.006.
    Black: 2 of 4: RR = 1.5, se = √(1/2 − 1/4 + 1/4 − 1/12) = 0.645497: 0.423 to 5.315.
    "Black, Asian and Multi-ethnic": 7 of 11: RR = 1.909, se = 0.468: 0.764 to 4.773."""
    table = evidence_tables(frame, PEOPLE)["in_scope_relative_likelihood"]
    expected = {
        "Asian": (6, 5, 2.5, 1.041, 6.006),
        "Black": (4, 2, 1.5, 0.423, 5.315),
        AGGREGATE_LABEL: (11, 7, 1.909, 0.764, 4.773),
    }
    for group, (pool, count, ratio, low, high) in expected.items():
        found = row(table, "ethnic_group", group)
        assert (found["group_pool"], found["group_count"]) == (pool, count)
        assert (found["reference_pool"], found["reference_count"]) == (12, 4)
        assert found["reference_group"] == "White"
        assert found["relative_likelihood"] == pytest.approx(ratio, abs=5e-4)
        assert found["ci_low"] == pytest.approx(low, abs=5e-4)
        assert found["ci_high"] == pytest.approx(high, abs=5e-4)
    assert row(table, "ethnic_group", "Asian")["reading"].startswith(
        "Asian staff were 2.5 times as likely as White staff to be in scope (95% CI 1.04 to 6.01)"
    )


def test_affected_people_are_compared_within_the_scope(frame):
    """Affected list: P01, P02 (Asian), P06 (Black), P08 (White), Q01 (out of scope) and an id
    not in the snapshot. Asian: 2 of 5 in scope against White 1 of 4: RR = 0.4 / 0.25 = 1.6,
    se = √(1/2 − 1/5 + 1/1 − 1/4) = √1.05 = 1.024695: 0.215 to 11.922."""
    affected = keys(["P01", "P02", "P06", "P08", "Q01", "NOT-ON-FILE"])
    tables = evidence_tables(frame, PEOPLE, affected_keys=affected)
    asian = row(tables["affected_relative_likelihood"], "ethnic_group", "Asian")
    assert (asian["group_pool"], asian["group_count"]) == (5, 2)
    assert (asian["reference_pool"], asian["reference_count"]) == (4, 1)
    assert asian["relative_likelihood"] == pytest.approx(1.6, abs=5e-4)
    assert asian["ci_low"] == pytest.approx(0.215, abs=5e-4)
    assert asian["ci_high"] == pytest.approx(11.922, abs=5e-4)
    # After the proposal: the 12 in scope less the 4 affected.
    after = tables["after_by_ethnic_group"]
    assert after["count"].to_list() == [3, 1, 0, 3, 0, 1, 4]
    notes = tables["evidence_notes"]
    outside = row(notes, "subject", "affected_outside_scope")
    assert outside["count"] == 2
    assert outside["message"].startswith("2 ids of the affected list are not in scope")


def test_a_list_of_ids_narrows_the_scope_it_is_given_with(frame):
    """People ∧ the list {P01, P02, Q01, unknown id}: only P01 and P02 are in scope."""
    listed = keys(["P01", "P02", "Q01", "NOT-ON-FILE"])
    tables = evidence_tables(frame, PEOPLE, in_scope_keys=listed)
    assert row(tables["in_scope_by_ethnic_group"], "ethnic_group", "Asian")["total"] == 2
    assert row(tables["evidence_notes"], "subject", "unmatched_in_scope_keys")["count"] == 1
    # The list alone: P01, P02 and Q01.
    alone = evidence_tables(frame, None, in_scope_keys=[k.upper() for k in listed])
    assert alone["in_scope_by_ethnic_group"]["total"][0] == 3


def test_every_scope_key_must_match_and_a_blank_is_not_recorded(frame):
    """People in pay band 6: P03, P04, P07, P11. Nobody is in band 9: a note says so."""
    tables = evidence_tables(frame, {"directorate": ["People"], "pay_band": ["6", "9"]})
    assert tables["in_scope_by_ethnic_group"]["total"][0] == 4
    messages = tables["evidence_notes"]["message"].to_list()
    assert any("pay_band value '9' matches nobody" in m for m in messages)
    blank = frame.with_columns(pl.lit(None, dtype=pl.String).alias("division"))
    everyone = evidence_tables(blank, {"division": ["Not recorded"]})
    assert everyone["in_scope_by_ethnic_group"]["total"][0] == 24


def test_residents_come_from_the_census_shares(frame):
    tables = evidence_tables(frame, PEOPLE, population=demo_population())
    residents = tables["residents_by_ethnic_group"]
    assert residents["ethnic_group"].to_list() == [
        "Asian", "Black", "Mixed", "White", "Other", AGGREGATE_LABEL,
    ]  # fmt: skip
    shares = dict(residents.select("ethnic_group", "percent").rows())
    assert shares[AGGREGATE_LABEL] == pytest.approx(100 - shares["White"])


def test_an_empty_scope_gives_zeros_not_a_crash(frame):
    tables = evidence_tables(frame, {"directorate": ["Nowhere"]})
    in_scope = tables["in_scope_by_ethnic_group"]
    assert in_scope["count"].to_list() == [0] * 7
    assert in_scope["percent"].null_count() == 7
    messages = tables["evidence_notes"]["message"].to_list()
    assert any("nobody in the snapshot is in scope" in m for m in messages)
    protected_evidence(tables)  # and protection copes with it


def test_a_snapshot_breaking_the_contract_is_refused_with_every_problem(frame):
    odd = frame.with_columns(pl.lit("Other").alias("sex"), pl.lit("Martian").alias("ethnicity"))
    with pytest.raises(FigureInputError) as caught:
        evidence_tables(odd, PEOPLE)
    assert len(caught.value.problems) == 2
    assert "'Martian'" in caught.value.problems[0]
    with pytest.raises(FigureInputError, match="employee_key"):
        evidence_tables(frame.drop("employee_key"), PEOPLE)


def test_every_table_has_a_declared_layout(frame):
    affected = keys(["P01"])
    tables = evidence_tables(
        frame, PEOPLE, in_scope_keys=keys(["P01", "P02"]), affected_keys=affected,
        population=demo_population(),
    )  # fmt: skip
    assert set(tables) <= set(LAYOUTS)
    assert all(set(t.columns) <= LAYOUTS[n].declared() for n, t in tables.items())


# --- parse_scope --------------------------------------------------------------------------


def test_parse_scope_keeps_text_values_stripped_in_order():
    assert parse_scope({"directorate": [" People", "Place", "People"], "pay_band": ["5"]}) == {
        "directorate": ("People", "Place"),
        "pay_band": ("5",),
    }


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (["People"], ["the scope must be a JSON object"]),
        ({}, ["the scope names no column"]),
        ({"directorate": "People"}, ["directorate: the values must be a list"]),
        ({"directorate": []}, ["directorate: the list of values is empty"]),
        (
            {"ethnicity": ["Indian"], "pay_band": [5, " "], "nowhere": ["x"]},
            [
                "'ethnicity' is not a column a scope can name",
                "pay_band: value 1 (5) is not text",
                "pay_band: value 2 is blank",
                "'nowhere' is not a column a scope can name",
            ],
        ),
    ],
)
def test_parse_scope_lists_every_problem(data, expected):
    with pytest.raises(ScopeError) as caught:
        parse_scope(data)
    problems = caught.value.problems
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problem
    assert isinstance(caught.value, ValueError)


def test_evidence_tables_refuses_a_bad_scope(frame):
    with pytest.raises(ScopeError):
        evidence_tables(frame, {"sex": ["Female"]})


# --- against a naive count ----------------------------------------------------------------

DIRECTORATES = ("People", "Place", "Resources")
BANDS = ("1", "2", "3")
ETHNICITIES = ("Indian", "African", WB, "Irish", "White and Asian", "Arab", "Not known")


@st.composite
def staff(draw):
    people = draw(
        st.lists(
            st.tuples(
                st.sampled_from(ETHNICITIES),
                st.sampled_from(("Female", "Male", "Not known")),
                st.sampled_from(DIRECTORATES),
                st.sampled_from((*BANDS, None)),
            ),
            min_size=1,
            max_size=40,
        )
    )
    scope = {
        "directorate": draw(st.lists(st.sampled_from(DIRECTORATES), min_size=1, unique=True)),
    }
    if draw(st.booleans()):
        scope["pay_band"] = draw(
            st.lists(st.sampled_from((*BANDS, "Not recorded")), min_size=1, unique=True)
        )
    affected = draw(st.lists(st.integers(0, len(people) - 1), unique=True))
    return people, scope, affected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(staff())
def test_counts_agree_with_a_naive_count(case):
    people, scope, affected = case
    frame = pl.DataFrame(
        {
            "employee_key": [f"{i:032x}" for i in range(len(people))],
            "ethnicity": [p[0] for p in people],
            "sex": [p[1] for p in people],
            "directorate": [p[2] for p in people],
            "pay_band": [p[3] for p in people],
        }
    )
    affected_keys = [f"{i:032x}" for i in affected]
    tables = evidence_tables(frame, scope, affected_keys=affected_keys)

    def chosen(person) -> bool:
        band = person[3] if person[3] is not None else "Not recorded"
        return person[2] in scope["directorate"] and band in scope.get("pay_band", [band])

    in_scope = [i for i, p in enumerate(people) if chosen(p)]
    hit = [i for i in in_scope if i in affected]
    group = {"Indian": "Asian", "African": "Black", WB: "White", "Irish": "White",
             "White and Asian": "Mixed", "Arab": "Other", "Not known": "Unknown"}  # fmt: skip
    for label in ("Asian", "Black", "Mixed", "White", "Other", "Unknown"):
        naive = sum(1 for i in in_scope if group[people[i][0]] == label)
        assert row(tables["in_scope_by_ethnic_group"], "ethnic_group", label)["count"] == naive
        everyone = sum(1 for p in people if group[p[0]] == label)
        assert row(tables["organisation_by_ethnic_group"], "ethnic_group", label)["count"] == (
            everyone
        )
        left = sum(1 for i in in_scope if i not in hit and group[people[i][0]] == label)
        assert row(tables["after_by_ethnic_group"], "ethnic_group", label)["count"] == left
    female = sum(1 for i in in_scope if people[i][1] == "Female")
    assert row(tables["in_scope_by_sex"], "sex", "Female")["count"] == female
    asian = row(tables["affected_relative_likelihood"], "ethnic_group", "Asian")
    assert asian["group_count"] == sum(1 for i in hit if group[people[i][0]] == "Asian")
    assert asian["group_pool"] == sum(1 for i in in_scope if group[people[i][0]] == "Asian")
    groups = tables["in_scope_by_ethnic_group"].filter(pl.col("ethnic_group") != AGGREGATE_LABEL)
    assert groups["count"].sum() == tables["in_scope_by_sex"]["count"].sum() == len(in_scope)
