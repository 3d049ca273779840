"""Computed measures from the lifecycle figures: one value per financial year, read from one row
of one family table (hand-worked from constructed records run through the real library, and
from hand-built rows for the failure paths)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.actions import lifecycle_measures as lm
from equitable.metrics import disclosure_control
from equitable.metrics.lifecycle import movements, records, recruitment
from equitable.metrics.schema import FRAME_SCHEMA

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"


def _applications(groups: dict[str, dict[str, int]], day: str = "2024-06-01") -> pl.DataFrame:
    """Validated applications: for each ethnicity, how many stopped at each furthest stage."""
    rows = []
    for ethnicity, stages in groups.items():
        for stage, count in stages.items():
            for _ in range(count):
                rows.append(
                    {
                        "application_id": f"A{len(rows)}",
                        "ethnicity": ethnicity,
                        "stage_reached": stage,
                        "date_applied": day,
                    }
                )
    result = records.validate_records(pl.DataFrame(rows), recruitment.APPLICATIONS)
    assert result.ok, result.problems
    return result.frame


# 2024-25. White British: 40 applied, 20 shortlisted, 10 appointed. African: 60 applied, 20
# shortlisted, 6 appointed.
APPLICATIONS = {
    WHITE_BRITISH: {"applied": 20, "shortlisted": 10, "appointed": 10},
    "African": {"applied": 40, "shortlisted": 14, "appointed": 6},
}


def _rows(tables: dict[str, pl.DataFrame]) -> dict[str, list[dict]]:
    return {name: frame.to_dicts() for name, frame in tables.items()}


@pytest.fixture(scope="module")
def recruitment_rows():
    return _rows(recruitment.recruitment_tables(_applications(APPLICATIONS)))


def test_applicant_success_is_the_wres_ratio_of_appointed_over_applied(recruitment_rows):
    # White 10/40 = 0.25; Black, Asian and Multi-ethnic 6/60 = 0.10; 0.25 / 0.10 = 2.50.
    [value] = lm.values("applicant_success_relative_likelihood", recruitment_rows)
    assert value == lm.PeriodValue("2024-25", date(2025, 3, 31), 2.5)


def test_share_of_appointments_is_of_appointees_whose_ethnicity_is_known(recruitment_rows):
    # 6 of the 16 appointed (6 + 10) = 37.5%.
    [value] = lm.values("appointments_black_asian_multi_ethnic_share", recruitment_rows)
    assert value.value == 37.5


def test_each_financial_year_is_one_value_dated_31_march(recruitment_rows):
    later = _applications(
        {
            WHITE_BRITISH: {"applied": 10, "appointed": 10},
            "African": {"applied": 15, "appointed": 5},
        },
        day="2025-05-01",
    )
    both = pl.concat([_applications(APPLICATIONS), later])
    tables = _rows(recruitment.recruitment_tables(both))
    values = lm.values("appointments_black_asian_multi_ethnic_share", tables)
    # 2025-26: 5 of 15 appointed = 33.33%.
    assert [(v.on, v.value) for v in values] == [
        (date(2025, 3, 31), 37.5),
        (date(2026, 3, 31), 33.33),
    ]


def test_a_withheld_figure_gives_a_withheld_value_not_a_number():
    # 6 Black, Asian and Multi-ethnic appointees is under a threshold of 10: disclosure control
    # withholds the count, so the published measure is withheld, never recomputed around it.
    exact = recruitment.recruitment_tables(_applications(APPLICATIONS))
    published = _rows(disclosure_control.protect(exact, layouts=recruitment.LAYOUTS, threshold=10))
    [share] = lm.values("appointments_black_asian_multi_ethnic_share", published)
    assert share.value is None and share.state == lm.WITHHELD
    [ratio] = lm.values("applicant_success_relative_likelihood", published)
    assert ratio.value is None and ratio.state == lm.WITHHELD


def test_measures_read_only_the_figures_in_the_published_row():
    """Change every figure of the row but the one the measure reads: the value stays; blank that
    one: the value goes. So nothing but the published figure reaches the measure."""
    row = {
        "period": "2024-25",
        "applicant_type": "All",
        "stage": "applied to appointed",
        "ethnic_group": "Black, Asian and Multi-ethnic",
        "reference_group": "White",
        "group_pool": None,
        "group_count": None,
        "reference_pool": None,
        "reference_count": None,
        "relative_likelihood": 1.8,
    }
    tables = {"recruitment_relative_likelihood": [row]}
    [value] = lm.values("applicant_success_relative_likelihood", tables)
    assert value.value == 1.8
    [share] = lm.values("appointments_black_asian_multi_ethnic_share", tables)
    assert share.state == lm.WITHHELD


def test_no_data_gives_no_values_and_says_what_to_import():
    assert lm.values("disciplinary_relative_likelihood", {}) == []
    assert lm.availability("disciplinary_relative_likelihood", {}) == (
        "Not available yet: import casework records (one row per case)."
    )
    assert lm.availability("promotion_black_asian_multi_ethnic_rate", {}).endswith(
        "import at least two workforce snapshots a year apart."
    )


def _casework_row(process: str, **figures):
    return {
        "period": "2024-25",
        "process": process,
        "staff_on": date(2025, 3, 31),
        "ethnic_group": "Black, Asian and Multi-ethnic",
        "reference_group": "White",
        **figures,
    }


# T11's indicator 3: 16 of 800 Black, Asian and Multi-ethnic staff entered a formal
# disciplinary (2%), 12 of 1,200 White staff (1%): RL3 = 2.00. Mediation: 24 of 800 = 3%.
CASEWORK = {
    "casework_relative_likelihood": [
        _casework_row(
            "disciplinary",
            group_pool=800,
            group_count=16,
            group_rate=2.0,
            reference_pool=1200,
            reference_count=12,
            reference_rate=1.0,
            relative_likelihood=2.0,
        ),
        _casework_row(
            "mediation",
            group_pool=800,
            group_count=24,
            group_rate=3.0,
            reference_pool=1200,
            reference_count=24,
            reference_rate=2.0,
            relative_likelihood=1.5,
        ),
        # A two-year window is not a year of its own: left out.
        {
            **_casework_row("disciplinary", group_count=30, reference_count=20),
            "period": "2023-24 to 2024-25",
            "relative_likelihood": 2.2,
        },
    ]
}


def test_disciplinary_relative_likelihood_is_wres_indicator_3():
    [value] = lm.values("disciplinary_relative_likelihood", CASEWORK)
    assert value.value == 2.0


def test_share_of_disciplinaries_against_black_asian_and_multi_ethnic_staff():
    # 16 of the 28 (16 + 12) staff entering a formal disciplinary = 57.14%.
    [value] = lm.values("disciplinary_black_asian_multi_ethnic_share", CASEWORK)
    assert value.value == 57.14


def test_mediation_rate_is_the_groups_rate_of_being_in_mediation():
    [value] = lm.values("mediation_black_asian_multi_ethnic_rate", CASEWORK)
    assert value.value == 3.0


def test_a_group_with_nobody_in_the_pool_is_not_calculable_rather_than_withheld():
    empty = {
        "casework_relative_likelihood": [
            _casework_row(
                "disciplinary",
                group_pool=0,
                group_count=0,
                reference_pool=50,
                reference_count=2,
                relative_likelihood=None,
            )
        ]
    }
    [value] = lm.values("disciplinary_relative_likelihood", empty)
    assert value.value is None and value.state == lm.NOT_CALCULABLE


def test_a_directorate_plan_reads_the_directorate_breakdown_or_says_it_has_none():
    rows = {
        "casework_relative_likelihood_by_directorate": [
            {**CASEWORK["casework_relative_likelihood"][0], "directorate": "People"},
            {
                **CASEWORK["casework_relative_likelihood"][0],
                "directorate": "Resources",
                "relative_likelihood": 0.5,
            },
        ],
        **CASEWORK,
    }
    [people] = lm.values("disciplinary_relative_likelihood", rows, directorate="People")
    [resources] = lm.values("disciplinary_relative_likelihood", rows, directorate="Resources")
    assert (people.value, resources.value) == (2.0, 0.5)
    # Mediation is not broken down by directorate: a directorate plan gets no value, and why.
    assert lm.values("mediation_black_asian_multi_ethnic_rate", rows, directorate="People") == []
    assert (
        lm.availability("mediation_black_asian_multi_ethnic_rate", rows, directorate="People")
        == lm.NOT_BY_DIRECTORATE_TEXT
    )


def _person(key, ethnicity, group, band, tier="Not recorded"):
    return {
        "employee_key": key,
        "ethnicity": ethnicity,
        "ethnic_group": group,
        "sex": "Female",
        "disability": "Not disabled",
        "pay_band": band,
        "directorate": "People",
        "leadership_tier": tier,
        "hourly_pay": {"1": 20.0, "2": 30.0, "3": 50.0}[band],
        "age": 40,
        "start_date": date(2015, 1, 1),
    }


def _frame(people: list[dict]) -> pl.DataFrame:
    frame = pl.DataFrame(people, schema={k: FRAME_SCHEMA[k] for k in people[0]})
    missing = {k: pl.lit(None, dtype=t) for k, t in FRAME_SCHEMA.items() if k not in people[0]}
    return frame.with_columns(**missing).select(list(FRAME_SCHEMA))


def test_promotion_and_entry_into_the_tiers_from_two_snapshots():
    # 31 March 2024: 20 Black (African) and 20 White staff in band 1. A year later 4 of the 20
    # Black staff are in band 2 (20%), one of them also in the Leadership Forum (1 of the 20
    # outside the tiers: 5%); 10 of the 20 White staff are in band 2.
    black = [("African", "Black")] * 20
    white = [(WHITE_BRITISH, "White")] * 20
    before = [_person(f"b{i}", *black[i], "1") for i in range(20)] + [
        _person(f"w{i}", *white[i], "1") for i in range(20)
    ]
    after = [
        _person(
            f"b{i}",
            *black[i],
            "2" if i < 4 else "1",
            "Leadership Forum" if i == 0 else "Not recorded",
        )
        for i in range(20)
    ] + [_person(f"w{i}", *white[i], "2" if i < 10 else "1") for i in range(20)]
    tables = _rows(
        movements.movement_tables(
            [(date(2024, 3, 31), _frame(before)), (date(2025, 3, 31), _frame(after))]
        )
    )
    [promoted] = lm.values("promotion_black_asian_multi_ethnic_rate", tables)
    assert (promoted.on, promoted.value) == (date(2025, 3, 31), 20.0)
    [entered] = lm.values("leadership_entry_black_asian_multi_ethnic_rate", tables)
    assert entered.value == 5.0


def test_unknown_key_is_refused():
    with pytest.raises(KeyError, match="applicant_success_relative_likelihood"):
        lm.values("applicant_success", {})


@pytest.mark.parametrize(
    ("period", "end"),
    [
        ("2024-25", date(2025, 3, 31)),
        ("1999-00", date(2000, 3, 31)),
        ("2024-26", None),
        ("2023-24 to 2024-25", None),
        ("All years", None),
    ],
)
def test_period_end_only_for_single_financial_years(period, end):
    assert lm.period_end(period) == end
