"""The programme pages: the list of a cohort by typed ids or a file (all or nothing, every
problem by row and column), and who sees which figures."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.programmes import services
from equitable.programmes.models import Participant, Programme
from tests.programmes.factories import make_cohort, with_snapshots


def _enter(client, cohort, ids: str, status: str = "participant"):
    return client.post(
        reverse("programmes:cohort-people", args=[cohort.pk]),
        {"form": "enter", "enter-ids": ids, "enter-status": status},
    )


def _upload(client, cohort, body: bytes, name: str = "list.csv"):
    return client.post(
        reverse("programmes:cohort-people", args=[cohort.pk]),
        {"form": "upload", "upload-extract": SimpleUploadedFile(name, body)},
    )


def test_typed_ids_are_kept_as_the_snapshots_keyed_hash(org, users, client_as):
    with_snapshots(org)
    cohort = make_cohort(org)
    response = _enter(client_as("edi_officer"), cohort, "E001\n\nE004\n", "participant")
    assert response.status_code == 302
    stored = set(cohort.participants.values_list("employee_key", flat=True))
    assert stored == set(services.keyed_ids(["E001", "E004"]))
    assert "E001" not in stored
    event = AuditEvent.objects.get(object_type="programme_cohort", action="change")
    assert event.detail == "2 people entered as participant" and "E001" not in event.detail


def test_an_id_missing_from_the_start_snapshot_saves_nothing(org, users, client_as):
    with_snapshots(org)
    cohort = make_cohort(org)
    response = _enter(client_as("edi_officer"), cohort, "E001\nE999\nE001")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Row 2, column employee ids: not in the workforce snapshot of 31/03/2023" in html
    assert "Row 3, column employee ids: the same employee id as row 1" in html
    summary = html.split('id="problems"')[1].split("</ul>")[0]
    assert "E999" not in summary  # problems name rows, never ids (the typed box keeps them)
    assert not cohort.participants.exists()


def test_a_file_replaces_the_list_or_lists_every_problem(org, users, client_as):
    with_snapshots(org)
    cohort = make_cohort(org)
    client = client_as("hr_analyst")
    bad = b"employee_id,status\nE001,participant\nE002,mentored\n,applied\nE777,applied\n"
    html = _upload(client, cohort, bad).content.decode()
    assert "Row 3, column status: status must be one of applied, selected" in html
    assert "Row 4, column employee_id: no employee id" in html
    assert "Row 5, column employee_id: not in the workforce snapshot" in html
    assert not cohort.participants.exists()
    _enter(client, cohort, "E010", "applied")
    good = b"Employee ID,Status\nE001,participant\nE004,Completed\nE007,applied\n"
    assert _upload(client, cohort, good).status_code == 302
    statuses = dict(cohort.participants.values_list("employee_key", "status"))
    keys = services.keyed_ids(["E001", "E004", "E007"])
    assert statuses == dict(zip(keys, ["participant", "completed", "applied"], strict=True))
    assert AuditEvent.objects.filter(object_type="programme_cohort", action="import").exists()


def test_a_file_without_the_columns_is_refused(org, users, client_as):
    with_snapshots(org)
    cohort = make_cohort(org)
    html = _upload(client_as("edi_officer"), cohort, b"id,state\nE001,participant\n").content
    assert b"column employee_id: the file has no such column" in html


def test_a_cohort_before_any_snapshot_says_so(org, users, client_as):
    cohort = make_cohort(org)
    html = _enter(client_as("edi_officer"), cohort, "E001").content.decode()
    assert "no workforce snapshot is dated on or before the cohort&#39;s start" in html


def _listed(org):
    with_snapshots(org)
    cohort = make_cohort(org)
    ids = [f"E{n:03d}" for n in (1, 2, 4, 5, 6, 9, 10, 13)]
    assert services.enter_ids(cohort, "\n".join(ids), "participant", user=None) == []
    assert services.enter_ids(cohort, "E014\nE017", "applied", user=None) == []
    return cohort


def test_the_edi_officer_sees_exact_figures_and_the_view_is_audited(org, users, client_as):
    cohort = _listed(org)
    html = client_as("edi_officer").get(reverse("programmes:cohort", args=[cohort.pk])).content
    html = html.decode()
    assert "You see exact counts" in html
    assert "Participation by ethnic group" in html and "<svg" in html
    assert "Within 12 months" in html and "Selection of applicants" in html
    assert AuditEvent.objects.filter(object_type="programme_figures", action="view").exists()


def test_a_board_member_sees_protected_figures(org, users, client_as):
    cohort = _listed(org)
    html = client_as("board_member").get(reverse("programmes:cohort", args=[cohort.pk])).content
    html = html.decode()
    assert "Small numbers are withheld" in html and "[c]" in html
    assert "Change who the cohort lists" not in html
    assert not AuditEvent.objects.filter(object_type="programme_figures").exists()


def test_a_champion_sees_only_their_directorates_participation(org, users, client_as):
    cohort = _listed(org)
    tables, exact, _ = services.page_tables(cohort, users["champion"])
    assert not exact and list(tables) == ["participation_by_directorate"]
    assert set(tables["participation_by_directorate"]["directorate"]) <= {"People"}
    html = client_as("champion").get(reverse("programmes:cohort", args=[cohort.pk])).content
    assert b"Within 12 months" not in html and b"your own directorate" in html


def test_a_programme_and_a_cohort_are_added(org, users, client_as):
    client = client_as("edi_officer")
    response = client.post(
        reverse("programmes:programme-new"),
        {"name": "Black on Board", "kind": "black_on_board", "description": ""},
    )
    programme = Programme.objects.get(organisation=org, name="Black on Board")
    assert response.status_code == 302
    response = client.post(
        reverse("programmes:cohort-new", args=[programme.pk]),
        {"name": "2025-26", "start_date": "2025-04-01", "pay_bands": "3, 4", "grades": ""},
    )
    cohort = programme.cohorts.get()
    assert response.status_code == 302
    assert cohort.pay_bands == ["3", "4"] and cohort.grades == [] and cohort.directorates == []
    bad = client.post(
        reverse("programmes:cohort-new", args=[programme.pk]),
        {"name": "2025-26", "start_date": "2025-04-01", "end_date": "2025-01-01"},
    )
    assert b"already has a cohort of that name" in bad.content
    assert b"The end date must be on or after the start date" in bad.content


def test_clearing_the_list_is_audited(org, users, client_as):
    cohort = _listed(org)
    client_as("edi_officer").post(reverse("programmes:cohort-clear", args=[cohort.pk]))
    assert not Participant.objects.filter(cohort=cohort).exists()
    assert AuditEvent.objects.filter(object_type="programme_cohort", action="delete").exists()
