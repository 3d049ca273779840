"""Casework: entering formal processes by group (WRES 3, WDES 3, SC-WRES 4), two-year windows,
outcomes, the cases file, and what the published tables give away."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equitable.metrics.attack import feasible_range
from equitable.metrics.disclosure_control import protect
from equitable.metrics.lifecycle import casework as cw
from equitable.metrics.lifecycle.records import validate_records

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
AGGREGATE = "Black, Asian and Multi-ethnic"
END_2024 = date(2024, 3, 31)
END_2025 = date(2025, 3, 31)


def _staff(groups: dict[str, int], prefix: str = "") -> pl.DataFrame:
    """{ethnicity: headcount} → a snapshot frame with keys ethnicity-number."""
    rows = [
        {
            "employee_key": f"{prefix}{ethnicity}-{i}",
            "ethnicity": ethnicity,
            "sex": "Female" if i % 2 else "Male",
            "disability": "Disabled" if i % 5 == 0 else "Not disabled",
            "directorate": "Adults" if i % 3 else "Place",
            "pay_band": "1-6",
        }
        for ethnicity, n in groups.items()
        for i in range(n)
    ]
    return pl.DataFrame(rows)


def _cases(entrants: dict[str, int], opened: date, case_type: str = "disciplinary") -> list[dict]:
    """Formal cases for the first `n` staff of each ethnicity."""
    return [
        {
            "case_id": f"{case_type}-{ethnicity}-{i}-{opened}",
            "employee_key": f"{ethnicity}-{i}",
            "case_type": case_type,
            "formal": True,
            "date_opened": opened,
            "outcome": None,
        }
        for ethnicity, n in entrants.items()
        for i in range(n)
    ]


def _row(table: pl.DataFrame, **where) -> dict:
    found = table.filter(*(pl.col(c) == v for c, v in where.items()))
    assert found.height == 1, (where, found.height)
    return found.row(0, named=True)


def test_kmpt_worked_example_t10_gives_1_71():
    # T10: Black, Asian and Multi-ethnic staff 1.2% entering formal disciplinary, White 0.7%.
    staff = _staff({"Indian": 1000, WHITE_BRITISH: 1000})
    cases = pl.DataFrame(_cases({"Indian": 12, WHITE_BRITISH: 7}, date(2024, 6, 1)))
    tables = cw.casework_tables(cases, [(END_2025, staff)])
    row = _row(
        tables["casework_relative_likelihood"],
        period="2024-25",
        process="disciplinary",
        ethnic_group=AGGREGATE,
    )
    assert (row["group_rate"], row["reference_rate"]) == (pytest.approx(1.2), pytest.approx(0.7))
    assert round(row["relative_likelihood"], 2) == 1.71
    assert row["staff_on"] == END_2025
    assert row["reading"].startswith(
        "Black, Asian and Multi-ethnic staff were 1.71 times as likely as White staff to enter a "
        "formal disciplinary process"
    )


def test_t11_indicator_3_from_counts_with_its_katz_interval():
    # T11: 16 of 800 Black, Asian and Multi-ethnic staff, 12 of 1,200 White staff → 2.00.
    staff = _staff({"African": 800, WHITE_BRITISH: 1200})
    cases = pl.DataFrame(_cases({"African": 16, WHITE_BRITISH: 12}, date(2024, 9, 1)))
    table = cw.casework_tables(cases, [(END_2025, staff)])["casework_relative_likelihood"]
    row = _row(table, period="2024-25", process="disciplinary", ethnic_group="Black")
    assert row["relative_likelihood"] == pytest.approx(2.0)
    # Katz by hand: ln 2 ± 1.959964 × √(1/16 − 1/800 + 1/12 − 1/1200)
    se = math.sqrt(1 / 16 - 1 / 800 + 1 / 12 - 1 / 1200)
    assert se == pytest.approx(0.37914, abs=1e-5)
    assert row["ci_low"] == pytest.approx(2 * math.exp(-1.959964 * se), rel=1e-6)
    assert row["ci_high"] == pytest.approx(2 * math.exp(1.959964 * se), rel=1e-6)
    assert (round(row["ci_low"], 3), round(row["ci_high"], 3)) == (0.951, 4.205)
    assert "within what chance alone would give" in row["reading"]
    # The same people in any formal process: one case each, so the same figure.
    any_formal = _row(table, period="2024-25", process="any formal process", ethnic_group="Black")
    assert any_formal["relative_likelihood"] == pytest.approx(2.0)


def test_two_year_window_is_the_sum_of_its_years_against_the_end_snapshot():
    staff_2024 = _staff({"Pakistani": 300, WHITE_BRITISH: 700})
    staff_2025 = _staff({"Pakistani": 320, WHITE_BRITISH: 690})
    cases = pl.DataFrame(
        _cases({"Pakistani": 6, WHITE_BRITISH: 7}, date(2023, 5, 1))
        # Pakistani-0 enters again the next year: counted in both years and twice in the window.
        + _cases({"Pakistani": 4, WHITE_BRITISH: 9}, date(2024, 5, 1))
    )
    table = cw.casework_tables(cases, [(END_2024, staff_2024), (END_2025, staff_2025)])[
        "casework_relative_likelihood"
    ]
    window = "2023-24 to 2024-25"
    assert table.get_column("period").unique(maintain_order=True).to_list() == [
        "2023-24",
        "2024-25",
        window,
    ]
    for side in ("group", "reference"):  # Asian, and White as the reference
        years = [
            _row(table, period=p, process="disciplinary", ethnic_group="Asian")
            for p in ("2023-24", "2024-25")
        ]
        both = _row(table, period=window, process="disciplinary", ethnic_group="Asian")
        assert both[f"{side}_count"] == years[0][f"{side}_count"] + years[1][f"{side}_count"]
        assert both[f"{side}_pool"] == years[1][f"{side}_pool"]  # staff on 31 March 2025
        assert both["staff_on"] == END_2025
    asian = _row(table, period=window, process="disciplinary", ethnic_group="Asian")
    assert asian["relative_likelihood"] == pytest.approx((10 / 320) / (16 / 690))


def test_pool_falls_back_to_the_latest_snapshot_before_the_end_and_notes_say_so():
    staff = _staff({"Indian": 50, WHITE_BRITISH: 50})
    cases = pl.DataFrame(_cases({"Indian": 1}, date(2025, 6, 1)))
    tables = cw.casework_tables(cases, [(END_2025, staff)])
    row = _row(
        tables["casework_relative_likelihood"],
        period="2025-26",
        process="disciplinary",
        ethnic_group="Asian",
    )
    assert row["staff_on"] == END_2025
    messages = tables["casework_notes"].get_column("message").to_list()
    assert any(
        m.startswith("2025-26: the pool is the staff on 2025-03-31, the latest") for m in messages
    )


def test_unlinked_cases_count_by_their_own_characteristics_and_are_noted():
    staff = _staff({"Indian": 100, WHITE_BRITISH: 100})
    cases = pl.DataFrame(
        _cases({WHITE_BRITISH: 2}, date(2024, 6, 1))
        + [
            {
                "case_id": "anon-1",
                "employee_key": None,
                "ethnicity": "Indian",
                "case_type": "capability",
                "formal": True,
                "date_opened": date(2024, 7, 1),
                "outcome": "written warning",
            }
        ]
    )
    tables = cw.casework_tables(cases, [(END_2025, staff)])
    capability = _row(
        tables["casework_relative_likelihood"],
        period="2024-25",
        process="capability",
        ethnic_group="Indian",
    )
    assert capability["group_count"] == 1
    # Not linked, so no directorate: left out of the breakdown.
    by_directorate = tables["casework_relative_likelihood_by_directorate"].filter(
        (pl.col("period") == "2024-25")
        & (pl.col("process") == "capability")
        & (pl.col("ethnic_group") == "Asian")
    )
    assert by_directorate.get_column("group_count").sum() == 0
    note = tables["casework_notes"].filter(pl.col("subject") == "unlinked_cases").row(0, named=True)
    assert (note["count"], note["total"]) == (1, 3)
    assert note["message"].startswith("1 of 3 cases could not be linked")


def test_outcomes_share_severe_cases_with_wilson_intervals():
    staff = _staff({"Caribbean": 100, WHITE_BRITISH: 100})
    cases = pl.DataFrame(
        [
            {
                "case_id": f"c{i}",
                "employee_key": f"Caribbean-{i}",
                "case_type": "disciplinary",
                "formal": True,
                "date_opened": date(2024, 6, 1),
                "outcome": outcome,
            }
            for i, outcome in enumerate(
                ["dismissal", "final warning", "written warning", "no case to answer", None]
            )
        ]
    )
    outcomes = cw.casework_tables(cases, [(END_2025, staff)])["casework_outcomes"]
    severe = _row(
        outcomes,
        period="2024-25",
        case_type="disciplinary",
        ethnic_group="Black",
        outcome=cw.SEVERE,
    )
    assert (severe["count"], severe["total"], severe["percent"]) == (2, 5, 40.0)
    # Wilson for 2 of 5 by hand: centre (0.4 + z²/10) / (1 + z²/5).
    z = 1.959964
    centre = (0.4 + z * z / 10) / (1 + z * z / 5)
    half = z * math.sqrt(0.4 * 0.6 / 5 + z * z / 100) / (1 + z * z / 5)
    assert severe["ci_low"] == pytest.approx(100 * (centre - half), rel=1e-5)
    assert severe["ci_high"] == pytest.approx(100 * (centre + half), rel=1e-5)
    open_case = _row(
        outcomes,
        period="2024-25",
        case_type="disciplinary",
        ethnic_group="All cases",
        outcome="Not recorded",
    )
    assert open_case["count"] == 1


# --- property: against a naive count ----------------------------------------------------------

GROUP_OF = {
    "Indian": "Asian",
    "African": "Black",
    "White and Asian": "Mixed",
    WHITE_BRITISH: "White",
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(st.sampled_from(sorted(GROUP_OF)), min_size=1, max_size=40),
    events=st.lists(
        st.tuples(
            st.integers(0, 45),
            st.sampled_from(cw.CASE_TYPES),
            st.booleans(),
            st.integers(0, 1),
        ),
        max_size=30,
    ),
)
def test_counts_and_pools_match_a_naive_count(people, events):
    staff = pl.DataFrame(
        {
            "employee_key": [f"p{i}" for i in range(len(people))],
            "ethnicity": people,
            "sex": ["Female"] * len(people),
            "disability": ["Not known"] * len(people),
        }
    )
    cases = pl.DataFrame(
        [
            {
                "case_id": f"c{n}",
                "employee_key": f"p{who}",
                "case_type": kind,
                "formal": formal,
                "date_opened": date(2023 + year, 6, 1),
            }
            for n, (who, kind, formal, year) in enumerate(events)
        ],
        schema={
            "case_id": pl.String,
            "employee_key": pl.String,
            "case_type": pl.String,
            "formal": pl.Boolean,
            "date_opened": pl.Date,
        },
    )
    table = cw.casework_tables(cases, [(END_2024, staff), (END_2025, staff)])[
        "casework_relative_likelihood"
    ]
    known = {f"p{i}": GROUP_OF[e] for i, e in enumerate(people)}
    present = sorted({y for *_, y in events})
    years = (
        {y: ("2023-24", "2024-25")[y] for y in range(present[0], present[-1] + 1)}
        if present
        else {}
    )
    for group in ("Asian", "Black", "Mixed", "White"):
        pool = sum(1 for g in known.values() if g == group)
        for year, label in years.items():
            for process in ("any formal process", "disciplinary", "fitness_to_practise"):
                entered = set()
                for who, kind, formal, y in events:
                    key = f"p{who}"
                    if y != year:
                        continue
                    wanted = {
                        "any formal process": formal,
                        "disciplinary": formal and kind == "disciplinary",
                        "fitness_to_practise": kind == "fitness_to_practise",
                    }[process]
                    # Not in the snapshot: counted as "Not known", so in no group.
                    if wanted and known.get(key) == group:
                        entered.add(key)
                if not events:
                    continue
                # White is every row's reference group.
                side = "reference" if group == "White" else "group"
                shown = "Asian" if group == "White" else group
                row = _row(table, period=label, process=process, ethnic_group=shown)
                assert (row[f"{side}_pool"], row[f"{side}_count"]) == (pool, len(entered))


# --- the cases file ---------------------------------------------------------------------------


def test_a_bad_cases_file_lists_every_problem_with_row_and_column():
    raw = pl.DataFrame(
        {
            "Case ID": ["A1", "A2", "A2", "A4", "A5"],
            "Ethnicity": ["Indian", "White British", "African", "Chinese", "Martian"],
            "Case type": ["disciplinary", "grievance", "Capability", "parking", "grievance"],
            "Formal": ["yes", "no", "Formal", "yes", "yes"],
            "Date opened": ["2024-05-01", "2024-06-01", "2024-07-01", "2024-08-01", "nope"],
            "Date closed": ["2024-04-01", "", "", "", ""],
            "Outcome": ["dismissal", "dismissal", "", "", "upheld"],
        }
    )
    result = validate_records(raw, cw.CASES)
    assert result.frame is None
    found = {(p.row, p.column) for p in result.problems}
    assert {
        (2, "date_closed"),  # closed before opened
        (3, "outcome"),  # a grievance is not dismissed
        (3, "case_id"),  # A2 again (first seen in row 3)
        (5, "case_type"),  # parking
        (6, "ethnicity"),  # Martian
        (6, "date_opened"),  # not a date
    } <= found
    assert result.unmapped_values["case_type"] == ["parking"]


def test_a_good_cases_file_gives_the_canonical_frame():
    raw = pl.DataFrame(
        {
            "Case reference": ["A1", "A2"],
            "Ethnicity": ["Indian", "White British"],
            "Type": ["Misconduct", "Bullying & harassment"],
            "Formal": ["Formal", "Informal"],
            "Date opened": ["01/05/2024", "2024-06-01"],
            "Outcome": ["Final written warning", "Partially upheld"],
        }
    )
    result = validate_records(raw, cw.CASES)
    assert result.ok, result.problems
    assert result.frame.select("case_type", "formal", "outcome", "ethnic_group").rows() == [
        ("disciplinary", True, "final warning", "Asian"),
        ("bullying_harassment", False, "partly upheld", "White"),
    ]


# --- disclosure control ------------------------------------------------------------------------


def _small_family() -> tuple[dict[str, pl.DataFrame], dict[str, pl.DataFrame]]:
    staff = _staff({"Indian": 40, "African": 12, "White and Asian": 4, WHITE_BRITISH: 60})
    cases = pl.DataFrame(
        _cases(
            {"Indian": 3, "African": 11, "White and Asian": 1, WHITE_BRITISH: 12}, date(2024, 6, 1)
        )
    )
    tables = cw.casework_tables(cases, [(END_2025, staff)])
    scope = {
        "casework_relative_likelihood": tables["casework_relative_likelihood"].filter(
            pl.col("process").is_in(["disciplinary", "any formal process"])
        ),
        "casework_notes": tables["casework_notes"],
    }
    return scope, protect(scope, layouts=cw.LAYOUTS)


def test_published_casework_resists_differencing():
    """The intruder reads only published numbers: each row's group and reference counts and
    pools, and the sums any reader knows (the four minority groups add to Black, Asian and
    Multi-ethnic; a group's detailed categories add to the group). Every withheld count of 1
    to 9 keeps a feasible range at least 10 wide."""
    exact, published = _small_family()
    values: dict[tuple, float | None] = {}
    truth: dict[tuple, int] = {}
    for exact_row, row in zip(
        exact["casework_relative_likelihood"].iter_rows(named=True),
        published["casework_relative_likelihood"].iter_rows(named=True),
        strict=True,
    ):
        process = row["process"]
        for side, label in (("group", row["ethnic_group"]), ("reference", row["reference_group"])):
            for kind in ("pool", "count"):
                cell = (kind, "pool" if kind == "pool" else process, label)
                value = row[f"{side}_{kind}"]
                if values.get(cell) is None:
                    values[cell] = value
                truth[cell] = exact_row[f"{side}_{kind}"]
    sums = []
    for kind, process in [
        ("pool", "pool"),
        ("count", "disciplinary"),
        ("count", "any formal process"),
    ]:
        cell = lambda label, kind=kind, process=process: (kind, process, label)  # noqa: E731
        sums.append((cell(AGGREGATE), [cell(g) for g in ("Asian", "Black", "Mixed", "Other")]))
        sums.append(
            (
                cell("Asian"),
                [cell(c) for c in ("Bangladeshi", "Chinese", "Indian", "Pakistani", "Other Asian")],
            )
        )
        sums.append((cell("Black"), [cell(c) for c in ("African", "Caribbean", "Other Black")]))
    for whole, parts in sums:
        for c in (whole, *parts):
            values.setdefault(c, None)
    withheld = [c for c, v in values.items() if v is None and 0 < truth.get(c, 0) < 10]
    assert withheld, "the example must have small counts to attack"
    for cell in withheld:
        low, high = feasible_range(values, sums, cell)
        assert high - low >= 10, (cell, low, high)
    # What is shown is true.
    for cell, value in values.items():
        if value is not None and cell in truth:
            assert value == truth[cell]


def test_withheld_snapshot_headcounts_stay_withheld():
    exact, _ = _small_family()
    workforce = {
        "representation_overall": pl.DataFrame(
            {"ethnic_group": ["Asian", "Mixed"], "count": [40, None], "total": [116, 116]}
        )
    }
    restrictions = cw.casework_withhold(workforce, snapshot_date=END_2025)
    assert restrictions == [
        {
            "dataset": frozenset({"staff on 2025-03-31"}),
            "ethnicity": cw.ethnicity_atoms("Mixed"),
        }
    ]
    published = protect(exact, layouts=cw.LAYOUTS, withhold=restrictions)
    mixed = published["casework_relative_likelihood"].filter(pl.col("ethnic_group") == "Mixed")
    assert mixed.get_column("group_pool").null_count() == mixed.height


def test_every_table_has_a_layout():
    staff = _staff({"Indian": 20, WHITE_BRITISH: 20})
    tables = cw.casework_tables(
        pl.DataFrame(_cases({"Indian": 1}, date(2024, 6, 1))), [(END_2025, staff)]
    )
    assert set(tables) == set(cw.LAYOUTS)
    for name, table in tables.items():
        assert set(table.columns) <= cw.LAYOUTS[name].declared(), name


def test_no_snapshot_is_refused():
    with pytest.raises(ValueError, match="at least one workforce snapshot"):
        cw.casework_tables(pl.DataFrame(_cases({"Indian": 1}, date(2024, 6, 1))), [])
