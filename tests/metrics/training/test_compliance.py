"""Training compliance: a hand-worked example, the overdue list, and an intruder who reads only
the protected tables."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest

from equitable.metrics import attack
from equitable.metrics.training import compliance
from equitable.metrics.training.compliance import (
    OVERDUE_FACE_TO_FACE,
    OVERDUE_MANDATORY,
    OVERDUE_PANEL,
    OVERDUE_REFRESH,
)

AS_OF = date(2025, 3, 31)
SENIOR_BY = date(2022, 12, 31)

# Six people (docs/metrics.md, "Training compliance", works this example by hand):
# A  long-serving, mandatory e-learning 1 June 2024 (within two years)
# B  started 1 Dec 2024 (a new starter whose 8 weeks are over), trained 40 days in
# C  started 1 Mar 2025 (within 8 weeks: not yet due), nothing
# D  senior leader since 2015, mandatory face to face 1 June 2022: face-to-face by the end of
#    2022 done, but the two-yearly refresh is due since 1 June 2024
# E  started 1 Oct 2024, trained 106 days in (late); a panel member, panel-trained
# F  senior leader with no start date and no training; a panel member
WORKFORCE = pl.DataFrame(
    {
        "employee_key": ["A", "B", "C", "D", "E", "F"],
        "directorate": ["People", "People", "People", "Finance", "Finance", "Finance"],
        "pay_band": ["3", "3", "5", "5", "4", "4"],
        "ethnic_group": ["White", "Asian", "Black", "White", "Mixed", "White"],
        "sex": ["Female", "Male", "Female", "Male", "Female", "Not known"],
        "disability": ["Not disabled"] * 6,
        "leadership_tier": [None, None, None, "Corporate Leadership Group", None, "Directors"],
        "start_date": [
            date(2010, 1, 1),
            date(2024, 12, 1),
            date(2025, 3, 1),
            date(2015, 5, 5),
            date(2024, 10, 1),
            None,
        ],
    }
)
RECORDS = pl.DataFrame(
    {
        "employee_key": ["A", "A", "B", "D", "E", "E", "Z"],
        "course": ["Equality Matters"] * 7,
        "category": [
            "Mandatory EDI",
            "Anti-racism",  # after the as-of date: not counted
            "Mandatory EDI",
            "Mandatory EDI",
            "Mandatory EDI",
            "Recruitment panel training",
            "Mandatory EDI",  # Z is in no snapshot
        ],
        "mode": [
            "E-learning",
            "Face to face",
            "E-learning",
            "Face to face",
            "E-learning",
            "Virtual classroom",
            "E-learning",
        ],
        "completion_date": [
            date(2024, 6, 1),
            date(2025, 5, 1),
            date(2025, 1, 10),
            date(2022, 6, 1),
            date(2025, 1, 15),
            date(2024, 11, 1),
            date(2024, 1, 1),
        ],
    }
)


def tables() -> dict[str, pl.DataFrame]:
    return compliance.compliance_tables(
        RECORDS, WORKFORCE, AS_OF, panel=["E", "F"], senior_by=SENIOR_BY
    )


def row(table: pl.DataFrame, column: str, value: str) -> dict:
    return table.filter(pl.col(column) == value).to_dicts()[0]


def test_hand_worked_compliance_for_all_staff():
    everyone = tables()["all_staff"].to_dicts()[0]
    assert (everyone["staff"], everyone["mandatory_completed"]) == (6, 4)  # A, B, D, E
    assert everyone["mandatory_completed_percent"] == pytest.approx(66.667, abs=1e-3)
    # Wilson 95% for 4 of 6, worked by hand: 0.6016 ± 0.3016
    assert everyone["mandatory_completed_percent_ci_low"] == pytest.approx(29.99, abs=0.01)
    assert everyone["mandatory_completed_percent_ci_high"] == pytest.approx(90.32, abs=0.01)
    assert (everyone["existing_staff"], everyone["up_to_date"]) == (5, 3)  # not C; A, B, E
    assert (everyone["new_starters"], everyone["inducted_in_8_weeks"]) == (2, 1)  # B, E; B
    assert (everyone["senior_leaders"], everyone["senior_face_to_face"]) == (2, 1)  # D, F; D
    assert (everyone["panel_members"], everyone["panel_trained"]) == (2, 1)  # E, F; E
    # facilitator-led: D's face-to-face session (A's workshop is after the as-of date, E's
    # virtual classroom was panel training, not EDI)
    assert everyone["facilitated_workshop"] == 1


def test_hand_worked_compliance_by_directorate_and_ethnic_group():
    result = tables()
    finance = row(result["by_directorate"], "directorate", "Finance")
    assert [
        finance[c] for c in ("staff", "mandatory_completed", "existing_staff", "up_to_date")
    ] == [
        3,
        2,
        3,
        1,
    ]
    assert finance["up_to_date_percent"] == pytest.approx(100 / 3)
    people = row(result["by_directorate"], "directorate", "People")
    assert (people["senior_leaders"], people["senior_face_to_face_percent"]) == (0, None)
    groups = result["by_ethnic_group"]
    assert groups.get_column("ethnic_group").to_list() == [
        "Asian",
        "Black",
        "Mixed",
        "White",
        "Other",
        "Black, Asian and Multi-ethnic",
        "Unknown",
    ]
    minority = row(groups, "ethnic_group", "Black, Asian and Multi-ethnic")
    assert (minority["staff"], minority["mandatory_completed"]) == (3, 2)  # B, C, E; B, E
    white = row(groups, "ethnic_group", "White")
    assert (white["staff"], white["up_to_date"], white["senior_leaders"]) == (3, 1, 2)
    assert row(groups, "ethnic_group", "Other")["staff"] == 0  # a zero row, not a missing one


def test_a_later_deadline_for_senior_leaders_counts_nothing_done_after_the_as_of_date():
    # A's face-to-face anti-racism workshop (May 2025) is after the as-of date.
    result = compliance.compliance_tables(RECORDS, WORKFORCE, AS_OF, senior_by=date(2026, 1, 1))
    assert result["all_staff"]["senior_face_to_face"].item() == 1
    assert result["all_staff"]["panel_members"].item() == 0  # no panel list given


def test_overdue_lists_each_duty_since_when():
    persons = compliance.people(RECORDS, WORKFORCE, AS_OF, panel=["E", "F"], senior_by=SENIOR_BY)
    listed = compliance.overdue(persons, AS_OF, senior_by=SENIOR_BY)
    rows = {(r["employee_key"], r["overdue"]): r for r in listed.to_dicts()}
    assert set(rows) == {
        ("D", OVERDUE_REFRESH),
        ("F", OVERDUE_MANDATORY),
        ("F", OVERDUE_FACE_TO_FACE),
        ("F", OVERDUE_PANEL),
    }
    assert rows[("D", OVERDUE_REFRESH)]["since"] == date(2024, 6, 1)
    assert rows[("D", OVERDUE_REFRESH)]["last_completed"] == date(2022, 6, 1)
    assert rows[("F", OVERDUE_FACE_TO_FACE)]["since"] == SENIOR_BY
    assert rows[("F", OVERDUE_MANDATORY)]["since"] is None  # no start date
    assert listed.columns == list(compliance.OVERDUE_SCHEMA)


def test_a_snapshot_with_an_employee_twice_is_refused():
    twice = pl.concat([WORKFORCE, WORKFORCE.head(1)])
    with pytest.raises(ValueError, match="twice"):
        compliance.compliance_tables(RECORDS, twice, AS_OF)


# --- the intruder ----------------------------------------------------------------------------

THRESHOLD = 10
GROUPS = ("Asian", "Black", "Mixed", "White", "Other", "Unknown")
MINORITY = ("Asian", "Black", "Mixed", "Other")


def synthetic_people(seed: int, size: int = 600) -> pl.DataFrame:
    rng = random.Random(seed)
    rows = []
    for _ in range(size):
        tenure = rng.choices(compliance.TENURE_ATOMS, weights=(4, 12, 84))[0]
        rows.append(
            {
                "employee_key": f"k{len(rows)}",
                "scope": compliance.ALL_STAFF,
                "directorate": rng.choice(("People", "Place", "Resources")),
                "pay_band": rng.choices(("1", "2", "3", "4"), weights=(35, 30, 25, 10))[0],
                "ethnic_group": rng.choices(GROUPS, weights=(20, 15, 4, 50, 3, 8))[0],
                "sex": rng.choices(("Female", "Male", "Not known"), weights=(58, 40, 2))[0],
                "disability": rng.choices(("Disabled", "Not disabled"), weights=(8, 92))[0],
                "mandatory": rng.choices(compliance.MANDATORY_ATOMS, weights=(70, 15, 15))[0],
                "tenure": tenure,
                "induction": rng.choices(("yes", "no"), weights=(60, 40))[0],
                "senior": rng.choices(("yes", "no"), weights=(4, 96))[0],
                "face_to_face": rng.choices(("yes", "no"), weights=(50, 50))[0],
                "facilitated": rng.choices(("yes", "no"), weights=(30, 70))[0],
                "panel": rng.choices(("yes", "no"), weights=(8, 92))[0],
                "panel_trained": rng.choices(("yes", "no"), weights=(60, 40))[0],
            }
        )
    return pl.DataFrame(rows)


def read(published: dict[str, pl.DataFrame]) -> tuple[dict, list]:
    """What a reader of the published tables knows, in the reader's own terms: each count by
    (measure, dimension, value), a count implied by a shown percentage and pool, and the sums
    between them (every breakdown adds up to all staff, the four groups to "Black, Asian and
    Multi-ethnic", a pool to its count and the rest)."""
    values: dict[tuple, float | None] = {}
    sums: list[tuple[tuple, list[tuple]]] = []
    measures = compliance.MEASURES
    for name, (column, _) in compliance.DIMENSIONS.items():
        for r in published[name].to_dicts():
            dimension, value = ("all", "all") if name == "all_staff" else (column, r[column])
            counted = ["staff", *(c for m in measures.values() for c in (m[1], m[0]))]
            for measure in dict.fromkeys(counted):
                values[(measure, dimension, value)] = r[measure]
            for count, pool, _, _ in measures.values():
                cell = (count, dimension, value)
                share, n = r[f"{count}_percent"], r[pool]
                if values[cell] is None and share is not None and n is not None:
                    values[cell] = round(share * n / 100)
                rest = (f"{pool} without {count}", dimension, value)
                values.setdefault(rest, None)
                sums.append(((pool, dimension, value), [cell, rest]))
        if name == "all_staff":
            continue
        values_of = [
            v for v in published[name][column].to_list() if v != compliance.AGGREGATE_LABEL
        ]
        for measure in {"staff", *(c for m in measures.values() for c in (m[0], m[1]))}:
            sums.append(((measure, "all", "all"), [(measure, column, v) for v in values_of]))
            if column == "ethnic_group":
                sums.append(
                    (
                        (measure, column, compliance.AGGREGATE_LABEL),
                        [(measure, column, g) for g in MINORITY],
                    )
                )
    return values, sums


def test_an_intruder_reading_the_protected_tables_pins_no_small_count():
    exact = compliance.tables_of(synthetic_people(7))
    published = compliance.protected_tables(exact, threshold=THRESHOLD)
    truth, _ = read(exact)
    seen, sums = read(published)
    withheld = [c for c, v in seen.items() if v is None and c in truth and truth[c] is not None]
    small = [c for c in withheld if 0 < truth[c] < THRESHOLD]
    assert len(small) > 5, "the data set should have small counts to protect"
    assert all(not (0 < v < THRESHOLD) for v in seen.values() if v is not None)
    for cell in small:
        low, high = attack.feasible_range(seen, sums, cell)
        assert not attack.is_pinned(low, high), (cell, low, high)


def test_protection_refuses_a_table_it_has_no_layout_for():
    with pytest.raises(KeyError):
        compliance.protected_tables({"by_grade": tables()["by_pay_band"]})
