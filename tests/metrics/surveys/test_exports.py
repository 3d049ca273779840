"""Reading survey exports: each tool's header layout, and nothing that points to a person."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from equitable.files.limits import UnsafeFile
from equitable.metrics.surveys import exports, mapping
from equitable.metrics.surveys.model import SurveyFile, SurveyFileError

FIXTURES = Path(__file__).parent / "fixtures"


def read(name: str) -> SurveyFile:
    return exports.read_survey_export((FIXTURES / name).read_bytes(), name)


def everything(file: SurveyFile) -> str:
    """Every value and name the read file holds, to prove personal data is gone."""
    cells = " ".join(str(v) for row in file.answers.iter_rows() for v in row)
    names = " ".join(f"{c.key} {c.question} {c.sub_item} {c.tool_id}" for c in file.columns)
    return f"{cells} {names} {' '.join(file.answers.columns)}"


def assert_absent(file: SurveyFile, *values: str) -> None:
    text = everything(file)
    for value in values:
        assert value not in text, value


def test_surveymonkey_two_header_rows_keyed_by_question_and_sub_item():
    data = (FIXTURES / "surveymonkey.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    file = read("surveymonkey.csv")
    assert file.tool == "surveymonkey"
    assert file.first_data_row == 3
    matrix = "How far do you agree with each statement?"
    support = "Which support have you used? (tick all that apply)"
    assert [c.key for c in file.columns] == [
        "What is your ethnic group?",
        f"{matrix} - I feel safe to speak up at work",
        f"{matrix} - I would feel confident reporting racism",
        f"{support} - Mentoring",
        f"{support} - Coaching",
        f"{support} - Other (please specify)",
        "Any other comments?",
    ]
    assert file.column(f"{support} - Coaching").question == support
    assert file.column(f"{support} - Coaching").sub_item == "Coaching"
    assert file.answers[f"{support} - Mentoring"].to_list() == ["Mentoring", None]
    assert file.row_numbers == (3, 4)
    assert set(file.dropped_columns) == {
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    }
    assert_absent(
        file, "10.1.2.3", "someone@example.org", "Ann", "Smith", "12:30", "11801", "4242", "dept-7"
    )
    comments = file.answers["Any other comments?"].to_list()
    # A quoted newline stays inside its cell; a comment like a formula stays text.
    assert comments == ["More training please,\nand more time", '=HYPERLINK("x")']
    assert "Black, Black British, Caribbean or African - Caribbean" in (
        file.answers["What is your ethnic group?"].to_list()
    )


def test_qualtrics_three_header_rows_drop_previews_spam_and_metadata():
    file = read("qualtrics.csv")
    assert file.tool == "qualtrics"
    assert file.first_data_row == 4
    assert [c.key for c in file.columns] == ["Q1", "Q5_1", "Q5_2", "Q6", "Q7"]
    assert file.column("Q5_1").question == "How far do you agree"
    assert file.column("Q5_1").sub_item == "I feel valued"
    assert file.column("Q5_1").tool_id == "Q5_1"
    assert file.column("Q6").question == "Which of these have you used?"
    assert file.column("Q6").sub_item is None
    assert file.dropped_rows == {"survey preview": 1, "spam": 1}
    assert file.row_numbers == (4, 6)
    for header in ("StartDate", "IPAddress", "RecordedDate", "ResponseId", "RecipientEmail"):
        assert header in file.dropped_columns
    assert "LocationLatitude" in file.dropped_columns and "Status" in file.dropped_columns
    assert_absent(
        file, "10.0.0.1", "R_abc", "pat.jones", "Jones", "EMP042", "51.5072", "2025-07", "11:13"
    )
    # -99 (seen, not answered) is blank; the comma-joined select-all stays one text cell.
    assert file.answers["Q5_2"].to_list() == ["Neither agree nor disagree", None]
    assert file.answers["Q6"].to_list()[0] == "Mentoring, coaching or sponsorship,Staff network"
    # The partial (Progress 29, Finished False) counts as a response.
    assert file.answers["Q1"].to_list() == ["Female", "Male"]


def test_qualtrics_reads_through_the_mapping_step():
    file = read("qualtrics.csv")
    responses = mapping.apply_mapping(file, mapping.suggest_mapping(file))
    assert responses.frame.height == 2


def test_microsoft_forms_xlsx_one_header_row(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    from datetime import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "What is your ethnic group?",
            "I feel safe to speak up at work",
            "Which networks do you belong to?",
            "Comments",
        ]
    )
    sheet.append(
        [
            1,
            datetime(2024, 3, 4, 9, 15, 2),
            datetime(2024, 3, 4, 9, 21, 40),
            "kim.park@example.org",
            "Kim Park",
            "Chinese",
            "Agree",
            "Race equality network;Women's network;",
            "=not a formula",
        ]
    )
    sheet.append([2, datetime(2024, 3, 5, 10, 0), datetime(2024, 3, 5, 10, 4), "anonymous"])
    sheet["I2"].data_type = "s"  # openpyxl would write "=..." as a formula
    buffer = io.BytesIO()
    book.save(buffer)
    file = exports.read_survey_export(buffer.getvalue(), "Staff survey(1-2).xlsx")
    assert file.tool == "microsoft_forms"
    assert [c.key for c in file.columns] == [
        "What is your ethnic group?",
        "I feel safe to speak up at work",
        "Which networks do you belong to?",
        "Comments",
    ]
    assert file.dropped_columns == ("ID", "Start time", "Completion time", "Email", "Name")
    assert file.row_numbers == (2, 3)
    assert file.answers["Which networks do you belong to?"].to_list() == [
        "Race equality network;Women's network;",
        None,
    ]
    assert file.answers["Comments"].to_list() == ["=not a formula", None]
    assert_absent(file, "kim.park", "Kim Park", "anonymous", "2024", "09:15", "9:15")


def test_smartsurvey_three_header_rows():
    file = read("smartsurvey.csv")
    assert file.tool == "smartsurvey"
    assert file.first_data_row == 4
    networks = "Q3. Which networks do you belong to?"
    assert [c.key for c in file.columns] == [
        "Q1. What is your ethnic group?",
        "Q2. I feel safe to speak up at work",
        f"{networks} - Q3.1. Race equality network",
        f"{networks} - Q3.2. Disability network",
        "Q4. Any other comments?",
    ]
    assert file.answers[f"{networks} - Q3.1. Race equality network"].to_list() == ["Yes", "No"]
    assert file.row_numbers == (4, 5)
    assert "Tracking Link" in file.dropped_columns and "Unique ID" in file.dropped_columns
    assert_absent(file, "Sam Lee", "sam.lee", "192.168", "u-77", "123456789", "Default Web Link")


def test_snap_variable_names_with_a_label_row_in_windows_1252():
    file = read("snap.csv")
    assert file.tool == "snap"
    assert file.first_data_row == 3
    assert [c.key for c in file.columns] == ["Q1", "Q2", "Q5.1", "Q5.2", "Q9"]
    assert file.column("Q5.1").question == "My manager treats me fairly"
    assert file.column("Q9").question == "Comments on the café and canteen?"
    # Snap's missing codes are not answers.
    assert file.answers["Q5.2"].to_list() == [None, "Disagree"]
    assert file.answers["Q2"].to_list() == ["Irish", None]
    assert file.answers["Q9"].to_list() == ["Café needs space", None]


def test_snap_without_a_label_row():
    data = b"Q1,Q2.1,Q2.2\r\nFemale,Agree,Disagree\r\nMale,Agree,Agree\r\n"
    file = exports.read_survey_export(data, "snap.csv")
    assert file.tool == "snap"
    assert file.row_numbers == (2, 3)
    assert file.column("Q2.1").question == "Q2.1"


def test_a_plain_table_with_canonical_names():
    file = read("plain.csv")
    assert file.tool == "plain"
    assert file.dropped_columns == ("respondent_id",)
    assert [c.key for c in file.columns] == [
        "ethnicity",
        "sex",
        "directorate",
        "safe_to_speak_up",
        "comments",
    ]
    assert file.row_numbers == (2, 3, 4)
    responses = mapping.apply_mapping(file, mapping.default_mapping(file))
    assert set(responses.frame["ethnic_group"]) >= {"Asian", "White"}


def test_a_question_mentioning_location_or_email_is_kept():
    data = (
        b"Which location do you work in?,How do you prefer to get news by email?\nTown hall,Yes\n"
    )
    file = exports.read_survey_export(data, "x.csv")
    assert len(file.columns) == 2 and file.dropped_columns == ()


@pytest.mark.parametrize(
    "data",
    [
        b"ethnicity,q\r\nIrish,Agree\r\n",
        b"\xef\xbb\xbfethnicity,q\r\nIrish,Agree\r\n",
        b"ethnicity;q\nIrish;Agree\n",
        "ethnicity,q\nIrish,Agree\n".encode("utf-16"),
    ],
)
def test_encodings_and_separators(data):
    file = exports.read_survey_export(data, "x.csv")
    assert file.answers.to_dicts() == [{"ethnicity": "Irish", "q": "Agree"}]


def test_windows_1252_ragged_rows_and_blank_lines_never_crash():
    data = "ethnicity,q\r\nIrish,Agree\r\nCaf\xe9,\r\n\r\nshort\r\n".encode("cp1252")
    file = exports.read_survey_export(data, "x.csv")
    assert file.answers.height == 3
    assert file.row_numbers == (2, 3, 5)
    assert file.answers["ethnicity"].to_list() == ["Irish", "Café", "short"]
    assert file.answers["q"].to_list() == ["Agree", None, None]


def test_duplicate_headers_get_unique_keys():
    data = b"q,q,,q\nA,B,C,D\n"
    file = exports.read_survey_export(data, "x.csv")
    assert [c.key for c in file.columns] == ["q", "q (2)", "column 3", "q (3)"]
    assert file.answers.row(0) == ("A", "B", "C", "D")


def test_a_row_longer_than_the_header_is_a_problem_with_its_row():
    with pytest.raises(SurveyFileError) as error:
        exports.read_survey_export(b"a,b\n1,2\n1,2,3\n", "x.csv")
    assert error.value.problems[0].row == 3
    assert "3 cells" in error.value.problems[0].message


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "x.csv", "empty"),
        (b"\r\n\r\n", "x.csv", "empty"),
        (b"q1,q2\r\n", "x.csv", "no responses"),
        (b"UserID,UserNo,Q1. Question\r\n,,Answer\r\n", "x.csv", "no responses"),
        (b"Respondent ID,Email Address\n1,a@b.org\n", "x.csv", "no question columns"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "binary"),
        (b"\xd0\xcf\x11\xe0", "old.xls", "xls"),
        (b"PK\x03\x04 not really", "x.xlsx", "Excel"),
    ],
)
def test_bad_files_get_a_clear_error(data, name, message):
    with pytest.raises(SurveyFileError, match=message):
        exports.read_survey_export(data, name)


def test_oversize_and_zip_bombs_are_unsafe():
    with pytest.raises(UnsafeFile, match="larger than"):
        exports.read_survey_export(b"a" * (exports.MAX_EXPORT_BYTES + 1), "big.csv")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (200 * 1024 * 1024))
    with pytest.raises(UnsafeFile) as error:
        exports.read_survey_export(buffer.getvalue(), "bomb.xlsx")
    assert not isinstance(error.value, SurveyFileError)


def test_qualtrics_numeric_status_codes_and_a_legacy_export():
    rows = [
        "StartDate,Status,IPAddress,Finished,Q1",
        "Start Date,Response Type,IP Address,Finished,Q1 text",
        '"{""ImportId"":""startDate""}","{""ImportId"":""status""}",'
        '"{""ImportId"":""ipAddress""}","{""ImportId"":""finished""}","{""ImportId"":""QID1""}"',
        "2025-01-01 10:00:00,0,10.0.0.9,1,3",
        "2025-01-01 10:00:00,1,,1,4",
        "2025-01-01 10:00:00,8,10.0.0.8,1,5",
        "2025-01-01 10:00:00,2,,0,5",
    ]
    file = exports.read_survey_export("\r\n".join(rows).encode(), "q.csv")
    assert file.dropped_rows == {"survey preview": 1, "spam": 1, "survey test": 1}
    assert file.answers["Q1"].to_list() == ["3"] and file.row_numbers == (4,)
    legacy = (
        "V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1\r\n"
        "ResponseID,ResponseSet,Name,ExternalDataReference,EmailAddress,IPAddress,Status,"
        "StartDate,EndDate,Finished,What is your sex?\r\n"
        "R_1,Default,Anonymous,,a@b.org,10.0.0.1,0,2015-01-01 10:00:00,2015-01-01 10:05:00,1,Male\r\n"
        "R_2,Default,Anonymous,,,,1,2015-01-01 10:00:00,2015-01-01 10:05:00,1,Female\r\n"
    )
    file = exports.read_survey_export(legacy.encode(), "legacy.csv")
    assert file.tool == "qualtrics"
    assert [c.key for c in file.columns] == ["Q1"]
    assert file.column("Q1").question == "What is your sex?"
    assert file.dropped_rows == {"survey preview": 1}
    assert_absent(file, "R_1", "a@b.org", "10.0.0.1", "2015")
