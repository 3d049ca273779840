"""Importing an HR extract: all or nothing, every problem listed, ids hashed, names never stored."""

from __future__ import annotations

import io
import stat
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from django.conf import settings
from django.urls import reverse

from equitable.cli import main
from equitable.core.models import AuditEvent
from equitable.workforce import services
from equitable.workforce.models import ImportJob, Snapshot, SnapshotFrame
from tests.workforce.conftest import SNAPSHOT_DATE, extract_rows, write_csv

pytestmark = pytest.mark.django_db


def test_a_clean_file_is_stored_with_hashed_ids_and_no_names(org, good_csv):
    outcome = services.import_file(org, good_csv, snapshot_date=SNAPSHOT_DATE)

    assert outcome.ok and outcome.problems == []
    snapshot = Snapshot.objects.get(organisation=org)
    assert snapshot.row_count == 112
    frame = services.snapshot_frame(snapshot)
    assert frame.height == 112
    assert "full_name" not in frame.columns
    blob = bytes(SnapshotFrame.objects.get(snapshot=snapshot).parquet)
    assert b"Number1" not in blob and b"E00001" not in blob
    assert set(frame["ethnicity"].unique()) >= {"Indian", "Caribbean"}


def test_the_same_id_hashes_the_same_way_in_every_snapshot(org, tmp_path):
    first = write_csv(tmp_path / "a.csv", extract_rows())
    services.import_file(org, first, snapshot_date=date(2024, 3, 31))
    services.import_file(org, first, snapshot_date=date(2025, 3, 31))
    keys = [
        set(services.snapshot_frame(s)["employee_key"].to_list())
        for s in services.snapshots_of(org)
    ]
    assert keys[0] == keys[1] and len(keys[0]) == 112


def test_a_broken_file_stores_nothing_and_lists_every_problem(org, broken_csv):
    outcome = services.import_file(org, broken_csv, snapshot_date=SNAPSHOT_DATE)

    assert not outcome.ok
    assert Snapshot.objects.count() == 0
    columns = {problem.column for problem in outcome.problems}
    assert {"ethnicity", "hourly_pay", "employee_id"} <= columns
    values = {problem.value for problem in outcome.problems}
    assert "Martian" in values and "lots" in values


def test_reimporting_a_date_needs_confirmation_and_replaces_only_that_snapshot(
    org, good_csv, tmp_path
):
    services.import_file(org, good_csv, snapshot_date=date(2024, 3, 31))
    services.import_file(org, good_csv, snapshot_date=SNAPSHOT_DATE)
    smaller = write_csv(tmp_path / "smaller.csv", extract_rows()[:50])

    with pytest.raises(services.SnapshotExists):
        services.import_file(org, smaller, snapshot_date=SNAPSHOT_DATE)
    assert Snapshot.objects.get(snapshot_date=SNAPSHOT_DATE).row_count == 112

    services.import_file(org, smaller, snapshot_date=SNAPSHOT_DATE, replace=True)
    assert Snapshot.objects.get(snapshot_date=SNAPSHOT_DATE).row_count == 50
    assert Snapshot.objects.get(snapshot_date=date(2024, 3, 31)).row_count == 112


def test_each_import_is_audited_without_personal_values(org, good_csv):
    services.import_file(org, good_csv, snapshot_date=SNAPSHOT_DATE)
    event = AuditEvent.objects.get(action="import")
    assert event.organisation == org
    assert "112 rows" in event.detail
    assert "Indian" not in event.detail


def test_the_id_key_file_is_created_readable_by_the_owner_only():
    path = Path(settings.EQUITABLE_ID_HASH_KEY_FILE)
    path.unlink(missing_ok=True)
    key = services.id_hash_key()
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert services.id_hash_key() == key


def test_the_council_column_names_are_mapped_and_remembered(org, tmp_path):
    header = ["Staff No", "Name", "Ethnic Origin", "Directorate"]
    rows = [
        {
            "Staff No": f"S{i}",
            "Name": "A Person",
            "Ethnic Origin": "Indian",
            "Directorate": "People",
        }
        for i in range(12)
    ]
    path = write_csv(tmp_path / "own.csv", rows, header)
    mapping = {"Staff No": "employee_id", "Name": "", "Ethnic Origin": "ethnicity"}
    outcome = services.import_file(org, path, snapshot_date=SNAPSHOT_DATE, column_mapping=mapping)
    assert outcome.ok
    services.remember_mapping(org, mapping, {})

    suggested = services.suggest_column_mapping(org, header)
    assert suggested == {
        "Staff No": "employee_id",
        "Name": "",
        "Ethnic Origin": "ethnicity",
        "Directorate": "directorate",
    }


def test_the_command_line_imports_and_exits_2_listing_every_problem(
    org, good_csv, broken_csv, capsys, monkeypatch
):
    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    argv = ["workforce", "import", "--organisation", org.slug, "--snapshot-date", "2025-03-31"]

    assert main([*argv, str(broken_csv)]) == 2
    err = capsys.readouterr().err
    assert "Martian" in err and "lots" in err and "nothing was stored" in err
    assert Snapshot.objects.count() == 0

    assert main([*argv, str(good_csv)]) == 0
    assert "Stored 112 rows" in capsys.readouterr().out
    assert main([*argv, str(good_csv)]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main([*argv, "--replace", str(good_csv)]) == 0


def test_the_command_line_refuses_an_unknown_organisation(db, good_csv, capsys, monkeypatch):
    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    argv = ["workforce", "import", str(good_csv), "--organisation", "nowhere"]
    assert main([*argv, "--snapshot-date", "2025-03-31"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_snapshot_frames_and_figures_for_serve_other_apps(org, snapshot):
    frames = services.snapshot_frames(org)
    assert [d for d, _ in frames] == [SNAPSHOT_DATE]
    assert services.latest_snapshot(org) == snapshot
    exact = services.figures_for(org, published=False)
    overall = {r["ethnic_group"]: r["count"] for r in exact["representation_overall"]}
    assert overall["Black"] == 15 and overall["Asian"] == 38
    published = services.figures_for(org, published=True)
    assert all("suppressed" in row for row in published["representation_overall"])


def test_figures_for_is_empty_without_data(org):
    assert services.figures_for(org, published=True) == {}


def test_the_stored_blob_round_trips_the_frame_exactly():
    frame = pl.DataFrame(
        {"employee_key": ["00ff" * 8, None], "age": [40, None], "sex": ["Female", None]}
    )
    blob = services.frame_to_parquet(frame)
    assert services.frame_from_parquet(blob).equals(frame)
    assert pl.read_parquet(io.BytesIO(blob)).schema["employee_key"] == pl.Binary


def test_whole_keys_stored_by_earlier_versions_read_as_their_128_bit_prefix():
    """Snapshots stored before keys were truncated still match the people in new ones."""
    whole = "0123456789abcdef" * 4  # 256 bits, as earlier versions stored it
    blob = services.frame_to_parquet(pl.DataFrame({"employee_key": [whole, None]}))
    assert services.frame_from_parquet(blob)["employee_key"].to_list() == [whole[:32], None]


def test_an_excel_extract_imports_like_a_csv(org, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee Number", "Ethnic Group", "Gender"])
    for n in range(20):
        sheet.append([f"X{n}", "Asian or Asian British - Indian", "F" if n % 2 else "M"])
    path = tmp_path / "extract.xlsx"
    workbook.save(path)

    outcome = services.import_file(org, path, snapshot_date=SNAPSHOT_DATE)
    assert outcome.ok, outcome.problems
    frame = services.snapshot_frame(outcome.snapshot)
    assert frame["ethnicity"].unique().to_list() == ["Indian"]


# --- issue 12, section 5: what the file meant, on the pages and the command line -------------


def _pages():
    from tests.workforce import test_views

    return test_views


def _esr_like(tmp_path, pay: str = '"£31,250.00"') -> Path:
    """An NHS ESR-style extract (headers and value wordings of docs/data-formats.md)."""
    header = (
        "Employee Number,Assignment Number,Org L3,Ethnic Origin,Gender,Disability Flag,"
        "Contracted Wte,Annual Salary\n"
    )
    codes = ["A White - British", "H Asian or Asian British - Indian", "Z Not Stated"]
    rows = "".join(
        f"{100 + n},{100 + n}-1,Surgery,{codes[n % 3]},{'Female' if n % 2 else 'Male'},No,1,{pay}\n"
        for n in range(30)
    )
    path = tmp_path / "esr.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_the_mapping_page_says_where_the_headers_are_and_what_left_out_columns_look_like(
    client_as, tmp_path
):
    client = client_as("hr_analyst")
    path = tmp_path / "titled.csv"
    path.write_text(
        "Workforce extract\n\n" + _esr_like(tmp_path).read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert _pages().upload(client, path).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert job.column_mapping["Employee Number"] == "employee_id"
    assert job.column_mapping["Assignment Number"] == ""  # one id; the person may choose
    assert job.column_mapping["Disability Flag"] == "disability"
    page = client.get(reverse("workforce:import-mapping", args=[job.pk])).content.decode()
    assert "Headers found in row 3 of the CSV file." in page
    assert "Assignment Number: looks like employee_id" in page
    assert "Org L3: looks like directorate" in page
    job = _pages().import_through_pages(client, path)
    assert job.status == ImportJob.Status.VALID, job.problems
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "Assignment Number (looks like employee_id" in page


def test_a_decimal_comma_is_refused_until_the_mapping_page_says_the_file_uses_one(
    client_as, tmp_path
):
    client = client_as("hr_analyst")
    path = _esr_like(tmp_path, pay='"31250,00"')
    job = _pages().import_through_pages(client, path)
    assert job.status == ImportJob.Status.INVALID
    assert {p["row"] for p in job.problems} == set(range(2, 32))
    assert all("decimal separator" in p["message"] for p in job.problems)

    data = _pages().mapping_post(job)
    data["decimal_separator"] = "comma"
    client.post(reverse("workforce:import-mapping", args=[job.pk]), data)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALID and job.decimal_comma
    client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    frame = services.snapshot_frame(Snapshot.objects.get())
    assert frame["annual_salary"].unique().to_list() == [31250.0]


def test_an_implausible_hourly_rate_needs_a_confirmation_step(client_as, tmp_path):
    client = client_as("hr_analyst")
    rows = extract_rows()
    rows[7]["hourly_pay"] = "1250"  # row 9: £12.50 with its decimal point lost
    path = write_csv(tmp_path / "pay.csv", rows)
    job = _pages().import_through_pages(client, path)
    assert job.status == ImportJob.Status.INVALID and job.confirmable_count == 1
    assert job.problems[0]["row"] == 9 and job.problems[0]["confirmable"]
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "Hourly rates to confirm" in page and "To confirm" in page

    refused = client.post(reverse("workforce:import-confirm-pay", args=[job.pk]), {})
    assert "Tick the box to confirm" in refused.content.decode()
    client.post(reverse("workforce:import-confirm-pay", args=[job.pk]), {"confirm": "on"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALID and job.pay_confirmed
    client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    assert 1250.0 in services.snapshot_frame(Snapshot.objects.get())["hourly_pay"].to_list()


def test_a_new_column_matching_undoes_a_pay_confirmation(client_as, tmp_path):
    client = client_as("hr_analyst")
    rows = extract_rows()
    rows[7]["hourly_pay"] = "1250"
    job = _pages().import_through_pages(client, write_csv(tmp_path / "pay.csv", rows))
    client.post(reverse("workforce:import-confirm-pay", args=[job.pk]), {"confirm": "on"})
    client.post(reverse("workforce:import-mapping", args=[job.pk]), _pages().mapping_post(job))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.INVALID and not job.pay_confirmed


def test_the_values_page_suggests_only_by_meaning(client_as, tmp_path):
    client = client_as("hr_analyst")
    rows = extract_rows()
    rows[3]["ethnicity"] = "White - Other European (Polish)"
    rows[4]["sex"] = "X"
    job = _pages().import_through_pages(client, write_csv(tmp_path / "odd.csv", rows))
    page = client.get(reverse("workforce:import-values", args=[job.pk])).content.decode()
    assert "Suggested: “Other White” (it contains “white other”); check it" in page
    assert "No suggestion: nothing in it matches an accepted value" in page
    assert '<option value="Other White" selected>' in page
    assert '<option value="" selected>' in page  # "X" is not pre-filled with anything


def test_a_workbook_bomb_is_refused_on_upload_and_its_file_removed(client_as, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(200):
                sheet.write(b"<row><c><v>0</v></c></row>" * 4096)
    client = client_as("hr_analyst")
    response = _pages().upload(client, path)
    assert "decompression bomb" in response.content.decode()
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.FAILED and not job.upload_path
    assert not list(services.uploads_dir().glob("*.xlsx"))  # the bomb is not kept


def test_the_command_line_reads_decimal_commas_and_confirmed_pay_when_told(
    org, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    argv = ["workforce", "import", "--organisation", org.slug, "--snapshot-date", "2025-03-31"]
    comma = _esr_like(tmp_path, pay='"31250,00"')

    assert main([*argv, str(comma)]) == 2
    err = capsys.readouterr().err
    assert err.index("Headers found in row 1") < err.index("problems; nothing was stored")
    assert "Left out, but they look like columns the figures use" in err
    assert "Assignment Number (looks like employee_id" in err
    assert "row 2, column annual_salary, value '31250,00'" in err
    assert main([*argv, "--decimal-comma", str(comma)]) == 0
    capsys.readouterr()

    low = _esr_like(tmp_path, pay="9000")  # £9,000 full time: £4.60 an hour
    argv[-1] = "2025-04-30"
    assert main([*argv, str(low)]) == 2
    err = capsys.readouterr().err
    assert "below the legal minimum" in err and "--confirm-pay" in err
    assert main([*argv, "--confirm-pay", str(low)]) == 0


def test_the_values_offered_for_ethnicity_include_each_groups_category_not_given():
    from equitable.metrics.classification import accepted_values

    offered = accepted_values("ethnicity")
    assert "Asian (category not given)" in offered and "White (category not given)" in offered
    assert offered[-2:] == ("Prefer not to say", "Not known")
    assert accepted_values("sex") == ("Female", "Male", "Prefer not to say", "Not known")
