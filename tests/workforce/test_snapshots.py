"""Managing snapshots: delete (with what it changes, audited, measures recomputed), replace
through the import flow, the preview and continuity check before storing, the warning for
columns left out that figures need, and import problems grouped by kind and downloadable."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from equitable.actions.models import BoardReport, Measure, MeasureValue
from equitable.actions.services import refresh_computed_values
from equitable.core.models import AuditEvent
from equitable.workforce import import_checks, services, snapshots
from equitable.workforce.models import ImportJob, Snapshot
from tests.actions.factories import make_plan
from tests.workforce.conftest import HEADER, SNAPSHOT_DATE, extract_rows, write_csv
from tests.workforce.test_views import import_through_pages, mapping_post, upload

pytestmark = pytest.mark.django_db

EARLIER = date(2024, 3, 31)


@pytest.fixture
def unknown_measure(org):
    """A computed measure (unknown-ethnicity rate) with a target, so it has snapshot values."""
    _, _, measure = make_plan(org, "Race Equality Action Plan")
    measure.kind = Measure.Kind.COMPUTED
    measure.computed_key = "unknown_ethnicity_rate"
    measure.name = "% of staff whose ethnicity is unknown"
    measure.save()
    MeasureValue.objects.filter(measure=measure).delete()
    return measure


def _import(org, tmp_path, on: date, rows=None, name="extract.csv") -> Snapshot:
    path = write_csv(tmp_path / f"{on.isoformat()}-{name}", rows or extract_rows())
    outcome = services.import_file(org, path, snapshot_date=on, source_filename=name)
    assert outcome.ok, outcome.problems
    return outcome.snapshot


def _renamed(rows: list[dict], prefix="X") -> list[dict]:
    """The same people under other ids (as if the id column held assignment numbers)."""
    return [{**row, "employee_id": prefix + row["employee_id"][1:]} for row in rows]


# --- delete ----------------------------------------------------------------------------------


def test_deleting_says_what_it_changes_then_deletes_audits_and_recomputes(
    client_as, org, tmp_path, unknown_measure
):
    older = _import(org, tmp_path, EARLIER)
    newest = _import(org, tmp_path, SNAPSHOT_DATE)
    assert set(MeasureValue.objects.values_list("on", flat=True)) == {EARLIER, SNAPSHOT_DATE}
    BoardReport.objects.create(
        organisation=org,
        quarter="2025Q1",
        status=BoardReport.Status.ISSUED,
        version=1,
        figures={"headline": [{"as_at": SNAPSHOT_DATE.isoformat()}]},
    )
    client = client_as("edi_officer")

    page = client.get(reverse("workforce:snapshot-delete", args=[newest.pk])).content.decode()
    assert "Delete the snapshot of 31 March 2025?" in page
    assert "1 value dated 31 March 2025 comes from this snapshot and will be removed" in page
    assert "% of staff whose ethnicity is unknown" in page
    # The newest snapshot is read by every draft board report from its quarter on; the issued
    # 2025 Q1 report keeps its figures and says so.
    assert "Draft board reports from 2025 Q1 (January to March) on read this snapshot" in page
    assert "the snapshot of 31 March 2024 instead" in page
    assert "2025Q1 (version 1)" in page and "are not changed" in page
    assert Snapshot.objects.count() == 2  # a GET changes nothing

    response = client.post(reverse("workforce:snapshot-delete", args=[newest.pk]))
    assert response.status_code == 302 and response.url == reverse("workforce:snapshots")
    assert list(Snapshot.objects.values_list("pk", flat=True)) == [older.pk]
    # figures_changed: the measure's value of the deleted date is gone, the other stays.
    assert list(MeasureValue.objects.values_list("on", flat=True)) == [EARLIER]
    event = AuditEvent.objects.get(action="delete", object_type="workforce_snapshot")
    assert event.detail.startswith("deleted snapshot 2025-03-31 (112 rows from extract.csv)")
    assert "1 computed measure values removed: % of staff whose ethnicity is unknown" in (
        event.detail
    )
    assert "draft board reports from 2025 Q1 (January to March) on follow the data" in (
        event.detail
    )
    assert "issued board reports unchanged: 2025Q1 v1" in event.detail
    assert BoardReport.objects.get().status == BoardReport.Status.ISSUED


def test_a_middle_snapshot_is_read_by_the_reports_up_to_the_next_ones_quarter(org, tmp_path):
    _import(org, tmp_path, date(2023, 3, 31))
    middle = _import(org, tmp_path, EARLIER)
    _import(org, tmp_path, SNAPSHOT_DATE)
    impact = snapshots.impact_of(middle)
    assert (impact.first_quarter, impact.last_quarter) == ((2024, 1), (2025, 1))
    assert impact.quarters_text == ("from 2024 Q1 (January to March) to 2025 Q1 (January to March)")
    assert impact.snapshots_left == 2
    # Two snapshots in one quarter: the earlier is read by no board report.
    same = _import(org, tmp_path, date(2025, 2, 28))
    assert snapshots.impact_of(same).first_quarter is None


@pytest.mark.parametrize("role", ["champion", "board_member", "org_admin"])
def test_only_the_import_roles_may_delete(client_as, snapshot, role):
    client = client_as(role)
    url = reverse("workforce:snapshot-delete", args=[snapshot.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert client.get(reverse("workforce:snapshots")).status_code == 403
    assert Snapshot.objects.filter(pk=snapshot.pk).exists()


def test_another_councils_snapshot_is_not_found(client_as, snapshot):
    client = client_as("other:edi_officer")
    url = reverse("workforce:snapshot-delete", args=[snapshot.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Snapshot.objects.filter(pk=snapshot.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_the_snapshot_list_offers_replace_and_delete(client_as, snapshot):
    page = client_as("hr_analyst").get(reverse("workforce:snapshots")).content.decode()
    assert reverse("workforce:snapshot-delete", args=[snapshot.pk]) in page
    assert f"{reverse('workforce:import')}?replace=2025-03-31" in page
    index = client_as("hr_analyst").get(reverse("workforce:index")).content.decode()
    assert reverse("workforce:snapshots") in index


# --- replace ---------------------------------------------------------------------------------


def test_replacing_goes_through_the_import_flow_and_says_what_it_changes(
    client_as, org, tmp_path, unknown_measure
):
    old = _import(org, tmp_path, SNAPSHOT_DATE)
    client = client_as("hr_analyst")
    start = client.get(reverse("workforce:import") + "?replace=2025-03-31").content.decode()
    assert "Replace the snapshot of 31 March 2025" in start
    assert 'value="2025-03-31"' in start
    # A malformed or unknown date is simply an ordinary upload page.
    plain = client.get(reverse("workforce:import") + "?replace=31-99").content.decode()
    assert "Import a workforce extract" in plain

    rows = extract_rows()[:100]  # a corrected extract: 12 fewer staff
    job = import_through_pages(client, write_csv(tmp_path / "corrected.csv", rows))
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "What replacing the snapshot of 31 March 2025 changes" in page
    assert "will be recomputed from the new extract" in page
    assert Snapshot.objects.get().pk == old.pk  # nothing swapped before the confirmation

    client.post(reverse("workforce:import-confirm", args=[job.pk]), {"replace": "on"})
    new = Snapshot.objects.get()
    assert new.pk != old.pk and new.row_count == 100
    event = AuditEvent.objects.filter(action="import", object_type="workforce_snapshot").latest(
        "pk"
    )
    assert "replaced snapshot 2025-03-31 (112 rows from extract.csv)" in event.detail
    assert MeasureValue.objects.get().on == SNAPSHOT_DATE  # recomputed for the new one


# --- preview and continuity ------------------------------------------------------------------


def test_the_preview_shows_the_headline_figures_before_storing(client_as, org, tmp_path):
    _import(org, tmp_path, EARLIER)
    client = client_as("edi_officer")
    job = import_through_pages(client, write_csv(tmp_path / "new.csv", extract_rows()))
    assert job.status == ImportJob.Status.VALID and Snapshot.objects.count() == 1
    preview = job.options["preview"]
    figures = {row["key"]: row for row in preview["figures"]}
    # By hand: 112 staff; Indian 15, African 12, Caribbean 3, Pakistani 12 and Chinese 11 are
    # Black, Asian and Multi-ethnic: 53 of 112 = 47.32%. The same file as before: no change.
    assert figures["headcount"]["value"] == 112 and figures["headcount"]["change"] == 0
    assert figures["overall"]["value"] == 47.32 and figures["overall"]["change"] == 0
    assert figures["unknown"]["value"] == 0.0
    assert preview["compared_with"] == "2024-03-31"
    assert preview["continuity"]["seen_before"] == 1.0
    assert not preview["continuity"]["unrelated"]
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "Headline figures of this extract" in page and "47.3%" in page
    assert "100.0% of the employee ids in this extract (112 of 112)" in page
    assert "looks unrelated" not in page and 'name="unrelated"' not in page
    client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    assert Snapshot.objects.count() == 2


def test_an_unrelated_extract_needs_an_explicit_confirmation(client_as, org, tmp_path):
    _import(org, tmp_path, EARLIER)
    client = client_as("hr_analyst")
    path = write_csv(tmp_path / "other-ids.csv", _renamed(extract_rows()))
    job = import_through_pages(client, path)
    check = job.options["preview"]["continuity"]
    assert (check["in_both"], check["seen_before"], check["unrelated"]) == (0, 0.0, True)
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "This extract looks unrelated to the snapshot of 31 March 2024" in page
    assert "Only 0% of its employee ids were in the previous snapshot (below 50%)." in page

    refused = client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    assert refused.status_code == 200
    assert "looks unrelated to the snapshot before it" in refused.content.decode()
    assert Snapshot.objects.count() == 1

    client.post(reverse("workforce:import-confirm", args=[job.pk]), {"unrelated": "on"})
    assert Snapshot.objects.count() == 2
    event = AuditEvent.objects.get(detail__startswith="stored although it looks unrelated")
    assert "snapshot of 2024-03-31 (confirmed): only 0% of its employee ids" in event.detail


def test_a_headcount_jump_needs_confirmation_too(client_as, org, tmp_path):
    _import(org, tmp_path, EARLIER, rows=extract_rows()[:80])
    client = client_as("hr_analyst")
    job = import_through_pages(client, write_csv(tmp_path / "bigger.csv", extract_rows()))
    check = job.options["preview"]["continuity"]
    # 80 → 112 is +40%; all 80 earlier ids are there (80 of 112 seen before: 71%).
    assert check["headcount_change"] == 0.4 and not check["seen_before"] < 0.5
    assert check["unrelated"]
    assert client.post(reverse("workforce:import-confirm", args=[job.pk]), {}).status_code == 200


def test_the_first_snapshot_has_nothing_to_compare_with(client_as, tmp_path):
    client = client_as("hr_analyst")
    job = import_through_pages(client, write_csv(tmp_path / "first.csv", extract_rows()))
    assert job.options["preview"]["continuity"] is None
    assert job.options["preview"]["compared_with"] is None
    client.post(reverse("workforce:import-confirm", args=[job.pk]), {})
    assert Snapshot.objects.count() == 1


# --- columns left out ------------------------------------------------------------------------


def test_missing_fields_name_the_figures_they_stop_by_hand():
    assigned = {"employee_id", "ethnicity", "sex", "hourly_pay", "leadership_tier", "pay_band"}
    missing = {m.field: m for m in import_checks.missing_fields(assigned, [("Dept", None)])}
    assert set(missing) == {"directorate", "grade", "disability", "bonus_pay"}
    assert missing["directorate"].figures == (
        "Disclosure rates by directorate",
        "Ethnicity by directorate",
    )
    assert missing["directorate"].left_out == ()
    # A salary column gives hourly pay; a left-out column that looks like a field is named.
    salary = import_checks.missing_fields(
        {"employee_id", "ethnicity", "annual_salary"}, [("Org L3", "directorate")]
    )
    fields = {m.field: m for m in salary}
    assert "hourly_pay or annual_salary" not in fields
    assert fields["directorate"].left_out == ("Org L3",)


def test_a_dept_column_left_out_is_named_with_the_figures_it_stops(client_as, tmp_path):
    header = [("Dept" if h == "directorate" else h) for h in HEADER]
    rows = [
        {("Dept" if k == "directorate" else k): v for k, v in r.items()} for r in extract_rows()
    ]
    client = client_as("hr_analyst")
    upload(client, write_csv(tmp_path / "dept.csv", rows, header))
    job = ImportJob.objects.latest("pk")
    assert job.column_mapping["Dept"] == ""
    page = client.get(reverse("workforce:import-mapping", args=[job.pk])).content.decode()
    assert "Figures this file cannot give" in page
    assert "No directorate" in page and "Ethnicity by directorate" in page
    assert "Left out, but it looks like directorate: Dept." in page
    client.post(reverse("workforce:import-mapping", args=[job.pk]), mapping_post(job))
    confirm = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "The extract is ready to store" in confirm and "No directorate" in confirm
    # Matched, the warning goes.
    client.post(
        reverse("workforce:import-mapping", args=[job.pk]),
        mapping_post(job, Dept="directorate"),
    )
    confirm = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "No directorate" not in confirm


# --- problems grouped by kind ----------------------------------------------------------------


def _problem(row, column, message, value="x"):
    return {"row": row, "column": column, "value": value, "message": message}


def test_problems_are_grouped_by_kind_with_counts_by_hand():
    date_message = "not a date (use 31/03/2024 or 2024-03-31)"
    problems = [
        _problem(None, None, "the file has no rows below the header", None),
        *[_problem(row, "start_date", date_message) for row in range(2, 413)],
        _problem(5, "hourly_pay", "not a number"),
        _problem(9, "hourly_pay", "not a number"),
        _problem(7, "employee_id", "employee_id appears 3 times (rows 7, 8, 30)", "E1"),
        _problem(40, "employee_id", "employee_id appears 2 times (rows 40, 41)", "E9"),
        _problem(
            20_002, "hourly_pay", "not a number: 1,234 more rows like this from row 20002 on", None
        ),
        _problem(
            3,
            "ethnicity",
            "not a recognised ethnicity (12 rows: 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 …); it may "
            "mean “Other White” (it contains “white other”); map it to an accepted value",
        ),
        _problem(
            50,
            "ethnicity",
            "not a recognised ethnicity (row 50); no good suggestion: unknown; map it to an "
            "accepted value",
        ),
    ]
    groups = import_checks.group_problems(
        problems, {"Start date": "start_date", "Pay": "hourly_pay", "Staff No": "employee_id"}
    )
    summary = [(g.column, g.kind, g.count, g.rows_text) for g in groups]
    assert summary == [
        (None, "the file has no rows below the header", 1, ""),
        ("start_date", date_message, 411, "2–412"),
        ("hourly_pay", "not a number", 2 + 1234, "5, 9"),
        ("employee_id", "the same employee_id on more than one row", 3 + 2, "7, 40"),
        ("ethnicity", "not a recognised ethnicity", 12 + 1, "3, 50"),
    ]
    dates = groups[1]
    assert dates.summary == (
        "Not a date (use 31/03/2024 or 2024-03-31) — 411 rows: rows 2–412, "
        "column “Start date” (start_date)"
    )
    assert len(dates.listed) == import_checks.ROWS_LISTED and not dates.open
    assert groups[2].more == ["not a number: 1,234 more rows like this from row 20002 on"]
    assert groups[2].open  # two listed rows: shown open
    assert import_checks.row_ranges([9, 2, 3, 4, 7, 8, 3]) == "2–4, 7–9"


def test_the_problems_page_groups_411_wrong_dates_into_one_line(client_as, tmp_path):
    header = ["employee_id", "ethnicity", "Start date"]
    rows = [
        {"employee_id": f"E{n}", "ethnicity": "Indian", "Start date": "soon"} for n in range(411)
    ]
    rows[0]["ethnicity"] = "Martian"
    client = client_as("hr_analyst")
    job = import_through_pages(client, write_csv(tmp_path / "dates.csv", rows, header))
    assert job.status == ImportJob.Status.INVALID and job.problem_count == 412
    page = client.get(reverse("workforce:import-job", args=[job.pk])).content.decode()
    assert "There are 412 problems in the extract, of 2 kinds" in page
    assert (
        "Not a date (use 31/03/2024 or 2024-03-31) — 411 rows: rows 2–412, "
        "column “Start date” (start_date)"
    ) in page
    assert "Not a recognised ethnicity — 1 row: row 2, column ethnicity" in page
    assert "The first 20 of 411" in page
    assert reverse("workforce:import-problems-csv", args=[job.pk]) in page


def test_the_problems_download_is_complete_inert_value_safe_and_audited(client_as, tmp_path):
    header = ["employee_id", "ethnicity", "Start date", "hourly_pay"]
    rows = [
        {"employee_id": f"E{n}", "ethnicity": "Indian", "Start date": "", "hourly_pay": "12"}
        for n in range(30)
    ]
    rows[0]["Start date"] = '=HYPERLINK("http://x")'
    rows[1]["hourly_pay"] = "+1+2"
    rows[2]["ethnicity"] = "Martian"
    client = client_as("hr_analyst")
    job = import_through_pages(client, write_csv(tmp_path / "bad.csv", rows, header))
    response = client.get(reverse("workforce:import-problems-csv", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.csv"')
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == import_checks.CSV_HEADERS
    assert len(table) - 1 == job.problem_count == 3
    by_column = {row[2]: row for row in table[1:]}
    assert by_column["start_date"][0] == "2" and by_column["start_date"][1] == "Start date"
    assert by_column["start_date"][5] == '\'=HYPERLINK("http://x")'  # text, never a formula
    assert by_column["hourly_pay"][5] == "'+1+2"
    for row in table[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    # Special category: the value and the message quoting it stay out of the file.
    assert "Martian" not in text
    assert by_column["ethnicity"][5] == import_checks.WITHHELD_VALUE
    assert by_column["ethnicity"][4] == "not a recognised ethnicity"
    event = AuditEvent.objects.get(action="export", object_type="workforce_import")
    assert event.object_id == str(job.pk) and "3 rows" in event.detail
    assert "Martian" not in event.detail


def test_the_problems_download_is_for_the_import_roles_of_the_council(client_as, tmp_path, org):
    job = ImportJob.objects.create(
        organisation=org,
        source_filename="x.csv",
        snapshot_date=SNAPSHOT_DATE,
        status=ImportJob.Status.INVALID,
        problems=[_problem(2, "hourly_pay", "not a number", "lots")],
        problem_count=1,
    )
    url = reverse("workforce:import-problems-csv", args=[job.pk])
    assert client_as("champion").get(url).status_code == 403
    assert client_as("board_member").get(url).status_code == 403
    assert client_as("other:hr_analyst").get(url).status_code == 404
    assert client_as("edi_officer").get(url).status_code == 200
    assert not AuditEvent.objects.filter(username__startswith="other").exists()


def test_refresh_is_idempotent_after_a_delete(org, tmp_path, unknown_measure):
    _import(org, tmp_path, EARLIER)
    newest = _import(org, tmp_path, SNAPSHOT_DATE)
    snapshots.delete_snapshot(newest, None)
    assert refresh_computed_values(org) == 1


def test_the_command_line_stops_an_unrelated_extract_until_accepted(
    org, tmp_path, capsys, monkeypatch
):
    from equitable.cli import main

    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)
    _import(org, tmp_path, EARLIER)
    other = write_csv(tmp_path / "other-ids.csv", _renamed(extract_rows()))
    argv = ["workforce", "import", "--organisation", org.slug, "--snapshot-date", "2025-03-31"]

    assert main([*argv, str(other)]) == 2
    err = capsys.readouterr().err
    assert "Continuity: 0% of the employee ids (0 of 112) were in the snapshot of 2024-03-31" in err
    assert "looks unrelated to the snapshot of 2024-03-31" in err and "--accept-unrelated" in err
    assert Snapshot.objects.count() == 1

    assert main([*argv, "--accept-unrelated", str(other)]) == 0
    assert Snapshot.objects.count() == 2
    # The same people again: no question asked.
    same = write_csv(tmp_path / "same.csv", _renamed(extract_rows()))
    argv[-1] = "2026-03-31"
    assert main([*argv, str(same)]) == 0
    assert "Continuity: 100% of the employee ids" in capsys.readouterr().err
