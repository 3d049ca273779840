"""The plan and register workbook: what is written comes back unchanged, and a bad file is
refused whole, with every problem named by sheet, row, column and value."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from equitable.actions.demo_data import demo_workbook
from equitable.actions.programme_measures import PROGRAMME_MEASURES
from equitable.actions.spreadsheet import (
    MEASURES_SHEET,
    PLAN_SHEET,
    REGISTER_SHEET,
    ActionRow,
    PlanWorkbook,
    Problem,
    RecommendationRow,
    WorkbookRefused,
    parse_date,
    read_workbook,
    write_workbook,
)

COMPUTED_KEYS = {
    "leadership_black_asian_multi_ethnic_share",
    "top5_disabled_share",
    "unknown_ethnicity_rate",
    "ethnicity_median_pay_gap",
    # From the lifecycle figures (equitable.actions.lifecycle_measures).
    "applicant_success_relative_likelihood",
    "appointments_black_asian_multi_ethnic_share",
    "disciplinary_black_asian_multi_ethnic_share",
    "disciplinary_relative_likelihood",
    "mediation_black_asian_multi_ethnic_rate",
    "promotion_black_asian_multi_ethnic_rate",
    "leadership_entry_black_asian_multi_ethnic_rate",
    # From the training compliance figures (equitable.actions.training_measures).
    "training_mandatory_edi_completed",
    "training_senior_leaders_face_to_face",
    "training_recruitment_panel_trained_black_asian_multi_ethnic",
    # From development programmes (equitable.actions.programme_measures).
    *PROGRAMME_MEASURES,
}


def _small_book() -> PlanWorkbook:
    return PlanWorkbook(
        actions=[
            ActionRow(
                plan="People plan",
                directorate="People",
                theme="Recruitment and retention",
                objective="Representative senior team",
                ref="P1",
                action="Diverse interview panels",
                owner="Resources Team",
                strategic_lead="Corporate Director, People",
                operational_lead="Head of Recruitment",
                start=date(2024, 4, 1),
                due=date(2025, 3, 31),
                status="on track",
            ),
            ActionRow(
                plan="People plan",
                directorate="People",
                theme="Recruitment and retention",
                objective="Representative senior team",
                ref="P2",
                action="Mentoring circle",
                status="dropped",
                dropped_reason="Merged with the corporate scheme",
            ),
        ],
        recommendations=[
            RecommendationRow(
                ref="R1",
                theme="Recruitment",
                recommendation="Review panels",
                response="Done in 2024",
                who="Resources Team, L&D Team",
                when="April 2024",
                status="done",
                actions=["P1", "P2"],
            )
        ],
    )


def _edit(content: bytes, sheet: str, cell: str, value) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    workbook[sheet][cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _problems(content: bytes, **kwargs) -> list[Problem]:
    with pytest.raises(WorkbookRefused) as refused:
        read_workbook(content, **kwargs)
    return refused.value.problems


# --- Round trip -----------------------------------------------------------------------------


def test_round_trip_of_a_small_workbook():
    book = _small_book()
    assert read_workbook(write_workbook(book)) == book


def test_round_trip_of_the_whole_transcribed_plan_and_register():
    book = demo_workbook()
    assert len(book.actions) == 37
    assert len(book.recommendations) == 30
    assert len(book.measures) == 34  # 30 from Annex B and 4 demo extras
    back = read_workbook(write_workbook(book), computed_keys=COMPUTED_KEYS)
    assert back == book


def test_the_export_has_real_dates_and_a_status_drop_down():
    workbook = load_workbook(io.BytesIO(write_workbook(_small_book())))
    sheet = workbook[PLAN_SHEET]
    assert [c.value for c in sheet[1]][:4] == ["Plan", "Directorate", "Theme", "Objective"]
    assert sheet["J2"].value == datetime(2024, 4, 1)  # Start, a real date cell
    assert sheet["J2"].number_format == "DD/MM/YYYY"
    assert any('"not started,on track' in v.formula1 for v in sheet.data_validations.dataValidation)
    assert workbook.sheetnames == [PLAN_SHEET, REGISTER_SHEET, MEASURES_SHEET]


def test_import_accepts_text_dates_any_case_blank_rows_extra_columns_and_no_measures_sheet():
    content = write_workbook(_small_book())
    content = _edit(content, PLAN_SHEET, "J2", "01/04/2024")
    content = _edit(content, PLAN_SHEET, "K2", "2025-03-31")
    content = _edit(content, PLAN_SHEET, "L2", "On Track")
    content = _edit(content, PLAN_SHEET, "O1", "Our notes")
    content = _edit(content, PLAN_SHEET, "O2", "anything")
    workbook = load_workbook(io.BytesIO(content))
    workbook[PLAN_SHEET].insert_rows(3)  # a blank row between the two actions
    del workbook[MEASURES_SHEET]
    buffer = io.BytesIO()
    workbook.save(buffer)
    book = read_workbook(buffer.getvalue())
    assert book.actions == _small_book().actions
    assert book.measures == []


def test_the_latest_update_column_may_be_left_out():
    workbook = load_workbook(io.BytesIO(write_workbook(_small_book())))
    workbook[PLAN_SHEET].delete_cols(14)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_workbook(buffer.getvalue()).actions == _small_book().actions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-31", date(2025, 3, 31)),
        ("31/03/2025", date(2025, 3, 31)),
        ("1/4/2025", date(2025, 4, 1)),
        ("", None),
        (None, None),
        (datetime(2025, 3, 31, 0, 0), date(2025, 3, 31)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["next year", "31/13/2025", "2025-02-30", "Q1 2025"])
def test_parse_date_refuses(text):
    with pytest.raises(ValueError):
        parse_date(text)


# --- Refused files --------------------------------------------------------------------------


def test_refuses_a_bad_status_naming_sheet_row_column_and_value():
    content = _edit(write_workbook(_small_book()), PLAN_SHEET, "L2", "nearly done")
    assert _problems(content) == [
        Problem(
            PLAN_SHEET,
            2,
            "Status",
            "nearly done",
            "Use one of: not started, on track, at risk, off track, done, dropped.",
        )
    ]


def test_refuses_bad_dates_and_a_due_date_before_the_start():
    content = write_workbook(_small_book())
    content = _edit(content, PLAN_SHEET, "K2", "end of March")
    content = _edit(content, PLAN_SHEET, "J3", "2025-06-01")
    content = _edit(content, PLAN_SHEET, "K3", "2025-01-01")
    problems = _problems(content)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "Due", "end of March"),
        (3, "Due", "01/01/2025"),
    ]
    assert "Not a date" in problems[0].message
    assert "Due before its start (01/06/2025)" in problems[1].message


def test_refuses_a_missing_column():
    workbook = load_workbook(io.BytesIO(write_workbook(_small_book())))
    workbook[PLAN_SHEET].delete_cols(12)  # Status
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _problems(buffer.getvalue()) == [
        Problem(PLAN_SHEET, 1, "Status", "", "This column is missing.")
    ]


def test_refuses_a_missing_sheet():
    workbook = load_workbook(io.BytesIO(write_workbook(_small_book())))
    del workbook[REGISTER_SHEET]
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _problems(buffer.getvalue()) == [
        Problem(REGISTER_SHEET, 0, "", "", "The workbook has no sheet “Recommendations”.")
    ]


@pytest.mark.parametrize(
    "content",
    [b"", b"Plan,Theme\nA,B\n", b"PK\x03\x04 not really a zip", "é".encode("cp1252")],
)
def test_refuses_a_file_that_is_not_an_xlsx(content):
    assert _problems(content) == [
        Problem("", 0, "", "", "The file is not an Excel workbook (.xlsx).")
    ]


def test_refuses_an_empty_sheet():
    workbook = Workbook()
    workbook.active.title = PLAN_SHEET
    workbook.create_sheet(REGISTER_SHEET)
    buffer = io.BytesIO()
    workbook.save(buffer)
    problems = _problems(buffer.getvalue())
    assert {(p.sheet, p.message) for p in problems} == {
        (PLAN_SHEET, "The sheet is empty: no header row."),
        (REGISTER_SHEET, "The sheet is empty: no header row."),
    }


def test_lists_every_problem_at_once():
    content = write_workbook(demo_workbook())
    content = _edit(content, PLAN_SHEET, "L5", "")  # status blank
    content = _edit(content, PLAN_SHEET, "M5", "")
    content = _edit(content, PLAN_SHEET, "L6", "dropped")  # dropped without a reason
    content = _edit(content, PLAN_SHEET, "E10", "SS1-1")  # ref used twice (SS2-4 is unlinked)
    content = _edit(content, REGISTER_SHEET, "H2", "SS1-1, ZZ9")  # unknown action ref
    content = _edit(content, REGISTER_SHEET, "G3", "finished")
    content = _edit(content, MEASURES_SHEET, "H2", "up")
    content = _edit(content, MEASURES_SHEET, "I3", "computed")  # computed without a key
    content = _edit(content, MEASURES_SHEET, "J4", "made_up_key")  # key on a manual measure
    content = _edit(content, PLAN_SHEET, "B8", "Nowhere")
    problems = _problems(content, computed_keys=COMPUTED_KEYS, directorates=["People", "Resources"])
    assert [(p.sheet, p.row, p.column, p.value) for p in problems] == [
        (PLAN_SHEET, 5, "Status", ""),
        (PLAN_SHEET, 6, "Dropped reason", ""),
        (PLAN_SHEET, 8, "Directorate", "Nowhere"),
        (PLAN_SHEET, 10, "Ref", "SS1-1"),
        (REGISTER_SHEET, 2, "Actions", "ZZ9"),
        (REGISTER_SHEET, 3, "Status", "finished"),
        (MEASURES_SHEET, 2, "Direction", "up"),
        (MEASURES_SHEET, 3, "Computed key", ""),
        (MEASURES_SHEET, 4, "Computed key", "made_up_key"),
    ]
    assert str(problems[0]) == "Action plan, row 5, column “Status”: Fill this in."


def test_refuses_an_unknown_computed_key():
    content = write_workbook(demo_workbook())
    row = next(
        i
        for i, row in enumerate(load_workbook(io.BytesIO(content))[MEASURES_SHEET].values, 1)
        if row[8] == "computed"
    )
    content = _edit(content, MEASURES_SHEET, f"J{row}", "leadership_share")
    problems = _problems(content, computed_keys=COMPUTED_KEYS)
    assert [(p.row, p.column, p.value) for p in problems] == [
        (row, "Computed key", "leadership_share")
    ]
