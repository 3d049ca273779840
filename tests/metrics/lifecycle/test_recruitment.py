"""Recruitment figures: who reaches each stage, the rate from the stage before with its Wilson
interval, and the relative likelihood (WRES indicator 2: White rate ÷ group rate) with its Katz
interval, from a file of applications or a file of counts per stage."""

from __future__ import annotations

import io
import math
from collections import Counter

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from equitable.metrics.lifecycle import recruitment
from equitable.metrics.lifecycle.records import load_records, validate_records
from equitable.metrics.lifecycle.recruitment import (
    APPLICATION_COUNTS,
    APPLICATIONS,
    period_label,
    recruitment_tables,
)

Z = 1.959963984540054
WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
AGGREGATE = "Black, Asian and Multi-ethnic"


def _text(rows: dict[str, list]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={name: pl.String for name in rows})


def applications(people: list[tuple], **columns: list) -> pl.DataFrame:
    """Validated applications from (ethnicity, stage_reached) pairs (and other columns)."""
    rows = {
        "application_id": [f"A{i}" for i in range(len(people))],
        "ethnicity": [p[0] for p in people],
        "stage_reached": [p[1] for p in people],
        **columns,
    }
    result = validate_records(_text(rows), APPLICATIONS)
    assert result.problems == []
    return result.frame


def counts(rows: list[tuple], **columns: list) -> pl.DataFrame:
    """Validated counts from (stage, ethnicity, count) triples."""
    raw = {
        "stage": [r[0] for r in rows],
        "ethnicity": [r[1] for r in rows],
        "count": [str(r[2]) for r in rows],
        **columns,
    }
    result = validate_records(_text(raw), APPLICATION_COUNTS)
    assert result.problems == []
    return result.frame


def people(spec: dict[str, dict[str, int]]) -> list[tuple]:
    """{ethnicity: {furthest stage: number}} as (ethnicity, stage) pairs."""
    return [(e, s) for e, stages in spec.items() for s, n in stages.items() for _ in range(n)]


def row(table: pl.DataFrame, **keys) -> dict:
    found = table.filter(pl.all_horizontal(pl.col(k) == v for k, v in keys.items()))
    assert found.height == 1, (keys, found)
    return found.row(0, named=True)


def wres2(tables, group=AGGREGATE, stage="shortlisted to appointed", applicant_type="All"):
    return row(
        tables["recruitment_relative_likelihood"],
        ethnic_group=group,
        stage=stage,
        applicant_type=applicant_type,
    )


# --- the reference examples -------------------------------------------------------------------


def test_t9_the_christie_white_4699_and_bme_1465_in_10000_appointed_from_shortlisting_is_3_21():
    tables = recruitment_tables(
        counts(
            [
                ("shortlisted", "White British", 10_000),
                ("appointed", "White British", 4_699),
                ("shortlisted", "Indian", 10_000),
                ("appointed", "Indian", 1_465),
            ]
        )
    )

    figure = wres2(tables)
    assert figure["reference_rate"] == pytest.approx(46.99)
    assert figure["group_rate"] == pytest.approx(14.65)
    assert round(figure["relative_likelihood"], 2) == 3.21
    assert figure["reading"].startswith(
        "White applicants were 3.21 times as likely as Black, Asian and Multi-ethnic applicants "
        "to be appointed from shortlisting (95% CI"
    )


T11_COUNTS = [
    ("shortlisted", "White British", 200),
    ("appointed", "White British", 50),
    ("shortlisted", "African", 300),
    ("appointed", "African", 45),
    ("shortlisted", "Not stated", 20),
    ("appointed", "Not stated", 5),
]
T11_PEOPLE = {
    WHITE_BRITISH: {"shortlisted": 150, "appointed": 50},
    "African": {"shortlisted": 255, "appointed": 45},
    "Not known": {"shortlisted": 15, "appointed": 5},
}


@pytest.mark.parametrize(
    "frame",
    [lambda: counts(T11_COUNTS), lambda: applications(people(T11_PEOPLE))],
    ids=["from counts", "from applications"],
)
def test_t11_indicator_2_from_counts_and_from_rows_is_1_667_unknown_ignored(frame):
    tables = recruitment_tables(frame())

    figure = wres2(tables)
    assert (figure["reference_pool"], figure["reference_count"]) == (200, 50)
    assert (figure["group_pool"], figure["group_count"]) == (300, 45)
    assert figure["relative_likelihood"] == pytest.approx(0.25 / 0.15)
    assert round(figure["relative_likelihood"], 3) == 1.667
    black = wres2(tables, group="Black")
    assert black["relative_likelihood"] == pytest.approx(figure["relative_likelihood"])


def test_counts_and_applications_give_the_same_tables():
    from_counts = recruitment_tables(counts(T11_COUNTS))
    from_rows = recruitment_tables(applications(people(T11_PEOPLE)))

    columns = ["ethnic_group", "stage", "reached", "stage_pool", "stage_total"]
    rows = from_rows["recruitment_stages"].filter(pl.col("stage") != "applied")
    assert rows.select(columns).equals(from_counts["recruitment_stages"].select(columns))


# --- a constructed case with known intervals --------------------------------------------------


def test_a_constructed_case_matches_wilson_and_katz_worked_by_hand():
    """White: 40 shortlisted, 12 appointed; Indian: 25 shortlisted, 3 appointed."""
    frame = applications(
        people(
            {
                WHITE_BRITISH: {"shortlisted": 28, "appointed": 12},
                "Indian": {"shortlisted": 22, "appointed": 3},
            }
        )
    )
    tables = recruitment_tables(frame)

    # Relative likelihood, White ÷ Asian: (12/40) / (3/25) = 0.30 / 0.12 = 2.5.
    # Katz: se(ln RR) = √(1/12 − 1/40 + 1/3 − 1/25) = √0.351666… = 0.593014…
    se = math.sqrt(1 / 12 - 1 / 40 + 1 / 3 - 1 / 25)
    assert se == pytest.approx(0.593014, abs=1e-6)
    figure = wres2(tables, group="Asian")
    assert figure["relative_likelihood"] == pytest.approx(2.5)
    assert figure["ci_low"] == pytest.approx(2.5 * math.exp(-Z * se))  # 0.7817…
    assert figure["ci_high"] == pytest.approx(2.5 * math.exp(Z * se))  # 7.993…
    assert figure["ci_low"] == pytest.approx(0.78192, abs=1e-4)
    assert "the difference is within what chance alone would give" in figure["reading"]

    # Wilson for 3 of 25: p = 0.12, centre = (p + z²/50) / (1 + z²/25),
    # half = z √(p(1−p)/25 + z²/2500) / (1 + z²/25).
    p, n = 3 / 25, 25
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    assert (centre - half, centre + half) == pytest.approx((0.041668, 0.299558), abs=1e-5)
    stage = row(
        tables["recruitment_stages"], ethnic_group="Asian", stage="appointed", applicant_type="All"
    )
    assert (stage["reached"], stage["stage_pool"], stage["stage_total"]) == (3, 25, 15)
    assert stage["rate"] == pytest.approx(12.0)
    assert stage["rate_ci_low"] == pytest.approx(100 * (centre - half))
    assert stage["rate_ci_high"] == pytest.approx(100 * (centre + half))
    assert stage["share"] == pytest.approx(100 * 3 / 15)
    assert figure["group_rate_ci_low"] == pytest.approx(100 * (centre - half))


def test_a_group_with_nobody_appointed_is_not_calculable_against_it():
    frame = applications(
        people({WHITE_BRITISH: {"shortlisted": 5, "appointed": 5}, "Arab": {"shortlisted": 4}})
    )
    figure = wres2(recruitment_tables(frame), group="Other")

    assert figure["group_count"] == 0 and figure["relative_likelihood"] is None
    assert figure["reading"].startswith("Not calculable")


# --- stages, withdrawals, applicant type, periods ------------------------------------------


def test_stages_nobody_stopped_at_are_skipped_and_rates_are_from_the_previous_stage_used():
    frame = applications(people({WHITE_BRITISH: {"applied": 6, "interviewed": 3, "appointed": 1}}))
    tables = recruitment_tables(frame)

    white = tables["recruitment_stages"].filter(
        (pl.col("ethnic_group") == "White") & (pl.col("applicant_type") == "All")
    )
    assert white.select("stage", "transition", "reached", "stage_pool").rows() == [
        ("applied", "applied", 10, 10),
        ("interviewed", "applied to interviewed", 4, 10),
        ("appointed", "interviewed to appointed", 1, 4),
    ]
    stages = set(tables["recruitment_relative_likelihood"]["stage"].to_list())
    assert stages == {
        "applied to interviewed",
        "interviewed to appointed",
        "applied to appointed",
    }


def test_withdrawn_applicants_reach_their_stage_but_leave_the_pool_they_withdrew_from():
    """10 White applicants shortlisted: 3 appointed, 2 withdrew after shortlisting, 5 not
    appointed. The shortlisted → appointed pool is the 8 who were decided on."""
    pairs = people({WHITE_BRITISH: {"shortlisted": 7, "appointed": 3}})
    withdrawn = ["yes", "yes"] + ["no"] * 8
    frame = applications(pairs, withdrawn=withdrawn)
    tables = recruitment_tables(frame)

    stage = row(
        tables["recruitment_stages"], ethnic_group="White", stage="appointed", applicant_type="All"
    )
    assert (stage["reached"], stage["stage_pool"]) == (3, 8)
    shortlisted = row(
        tables["recruitment_stages"],
        ethnic_group="White",
        stage="shortlisted",
        applicant_type="All",
    )
    assert shortlisted["reached"] == 10
    figure = wres2(tables, group="Asian")
    assert figure["reference_pool"] == 8 and figure["reference_count"] == 3


def test_internal_and_external_applicants_apart_and_together():
    pairs = people(
        {
            WHITE_BRITISH: {"shortlisted": 4, "appointed": 4},
            "Indian": {"shortlisted": 4, "appointed": 4},
        }
    )
    internal = ["yes", "no", "", "yes"] * 4
    tables = recruitment_tables(applications(pairs, internal=internal))

    pools = {
        t: wres2(tables, applicant_type=t)["group_pool"] for t in ("All", "Internal", "External")
    }
    assert pools == {"All": 8, "Internal": 4, "External": 2}  # 2 not recorded: in All only


def test_the_period_is_the_financial_year_of_the_application_date():
    pairs = people({WHITE_BRITISH: {"appointed": 3}})
    frame = applications(pairs, date_applied=["31/03/2024", "2024-04-01", ""])
    stages = recruitment_tables(frame)["recruitment_stages"]

    assert stages["period"].unique().sort().to_list() == [
        "2023-24", "2024-25", "Date not recorded",
    ]  # fmt: skip
    undated = recruitment_tables(applications(pairs))["recruitment_stages"]
    assert undated["period"].unique().to_list() == ["All years"]


@pytest.mark.parametrize(
    ("text", "label"),
    [("2024-25", "2024-25"), ("2024/2025", "2024-25"), ("FY 2023-24", "2023-24"),
     ("1999-00", "1999-00"), ("2024-26", None), ("last year", None)],
)  # fmt: skip
def test_periods_in_a_counts_file_are_financial_years(text, label):
    assert period_label(text) == label


def test_every_published_table_has_a_layout_and_the_contract_columns():
    tables = recruitment_tables(applications(people(T11_PEOPLE)))

    assert set(tables) == set(recruitment.LAYOUTS)
    for name in (
        "recruitment_relative_likelihood",
        "recruitment_relative_likelihood_by_sex",
        "recruitment_relative_likelihood_by_disability",
    ):
        assert {"reference_group", "stage", "relative_likelihood", "ci_low", "ci_high"} <= set(
            tables[name].columns
        )
    assert "ethnic_group" in tables["recruitment_relative_likelihood"].columns
    assert "sex" in tables["recruitment_relative_likelihood_by_sex"].columns
    assert "disability" in tables["recruitment_relative_likelihood_by_disability"].columns
    for name, table in tables.items():
        assert table.columns[0] == "period", name
        assert set(table.columns) <= recruitment.LAYOUTS[name].declared(), name


# --- the property test against a naive count -------------------------------------------------

ETHNICITIES = {"White British": "White", "Indian": "Asian", "African": "Black", "": "Unknown"}
STAGE_LIST = recruitment.STAGES


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(ETHNICITIES)),
            st.sampled_from(STAGE_LIST),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_stage_counts_and_pools_agree_with_a_naive_count(applicants):
    frame = applications(
        [(e, s) for e, s, _ in applicants],
        withdrawn=["yes" if w else "no" for _, _, w in applicants],
    )
    tables = recruitment_tables(frame)

    used = [
        s for s in STAGE_LIST if s in ("applied", "appointed") or any(a[1] == s for a in applicants)
    ]
    index = {s: i for i, s in enumerate(STAGE_LIST)}
    stages = tables["recruitment_stages"].filter(pl.col("applicant_type") == "All")
    for position, stage in enumerate(used):
        previous = used[position - 1] if position else None
        reached, pool = Counter(), Counter()
        for ethnicity, furthest, withdrew in applicants:
            group = ETHNICITIES[ethnicity]
            if index[furthest] >= index[stage]:
                reached[group] += 1
            if previous is None:
                pool[group] += index[furthest] >= index[stage]
            elif index[furthest] >= index[stage] or (
                index[previous] <= index[furthest] and not withdrew
            ):
                pool[group] += 1
        for group in ("White", "Asian", "Black", "Unknown"):
            found = row(stages, ethnic_group=group, stage=stage)
            assert (found["reached"], found["stage_pool"]) == (reached[group], pool[group])
            assert found["stage_total"] == sum(reached.values())
        if previous is not None:
            figure = wres2(tables, group="Asian", stage=f"{previous} to {stage}")
            assert figure["group_pool"] == pool["Asian"]
            assert figure["reference_pool"] == pool["White"]
            assert figure["reference_count"] == reached["White"]


# --- bad files --------------------------------------------------------------------------------


def test_a_bad_applications_file_lists_every_problem_with_its_row_and_column():
    raw = _text(
        {
            "application_id": ["A1", "A1", "A3", "A4"],
            "ethnicity": ["Indian", "Martian", "Irish", "Irish"],
            "stage_reached": ["appointed", "shortlisted", "rejected", "applied"],
            "internal": ["yes", "no", "perhaps", "no"],
            "date_applied": ["01/04/2024", "01/04/2024", "2024-13-01", "01/05/2024"],
            "date_decided": [None, None, None, "01/04/2024"],
        }
    )
    result = validate_records(raw, APPLICATIONS)

    assert result.frame is None
    assert {(p.row, p.column) for p in result.problems} == {
        (2, "application_id"),
        (3, "ethnicity"),
        (4, "stage_reached"),
        (4, "internal"),
        (4, "date_applied"),
        (5, "date_decided"),
    }


def test_counts_that_grow_along_the_stages_are_refused_with_their_rows():
    raw = _text(
        {
            "stage": ["applied", "shortlisted", "appointed", "applied", "shortlisted"],
            "ethnicity": ["Indian", "Indian", "Indian", "Irish", "Irish"],
            "count": ["10", "4", "6", "5", "5"],
            "period": ["2024-25", "2024-25", "2024-25", "2024-25", "2024/5"],
        }
    )
    result = validate_records(raw, APPLICATION_COUNTS)

    assert result.frame is None
    assert [(p.row, p.column) for p in result.problems] == [(4, "count"), (6, "period")]
    assert (
        "6 reached appointed but only 4 reached shortlisted (row 3)" in result.problems[0].message
    )


def test_an_applications_workbook_is_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Recruitment 2024-25"])
    sheet.append(["Application ID", "Ethnic group", "Gender", "Stage reached", "Internal"])
    sheet.append(["A1", "White British", "F", "Shortlisted", "Yes"])
    sheet.append(["A2", "Pakistani", "M", "Appointed", "No"])
    sheet.append(["A3", "Pakistani", "M", "Short listed", "No"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = load_records(buffer.getvalue(), APPLICATIONS, filename="applications.xlsx")

    assert result.problems == []
    assert result.frame.select("ethnicity", "sex", "stage_reached", "internal").rows() == [
        (WHITE_BRITISH, "Female", "shortlisted", True),
        ("Pakistani", "Male", "appointed", False),
        ("Pakistani", "Male", "shortlisted", False),
    ]
    figure = wres2(recruitment_tables(result.frame), group="Asian")
    assert (figure["group_pool"], figure["group_count"]) == (2, 1)


def test_many_applications_validate_on_their_distinct_values():
    """Not timed (see the benchmark): 200,000 rows, four ethnicities, two dates."""
    n = 200_000
    raw = pl.DataFrame(
        {
            "application_id": pl.int_range(n, eager=True).cast(pl.String),
            "ethnicity": ["Indian", "White British", "African", "Irish"] * (n // 4),
            "stage_reached": ["applied", "shortlisted", "appointed", "applied"] * (n // 4),
            "date_applied": ["01/04/2024", "2023-06-01"] * (n // 2),
        }
    )
    result = validate_records(raw, APPLICATIONS)
    assert result.ok
    stages = recruitment_tables(result.frame)["recruitment_stages"]

    def reached(period: str, group: str, stage: str) -> int:
        keys = dict(period=period, applicant_type="All", ethnic_group=group, stage=stage)
        return row(stages, **keys)["reached"]

    # Row i: ethnicity and stage by i % 4, date by i % 2: White British (1) and Irish (3)
    # applied in 2023-24; White British were shortlisted, Irish stopped at applied.
    assert reached("2023-24", "White", "applied") == n // 2
    assert reached("2023-24", "White", "shortlisted") == n // 4
    assert reached("2023-24", "White", "appointed") == 0
    assert reached("2024-25", "Black", "appointed") == n // 4
    assert reached("2024-25", "Asian", "applied") == n // 4
