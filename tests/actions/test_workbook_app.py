"""The workbook through the app: export, import back unchanged, import a change after
confirmation, and refuse a bad workbook listing every problem and changing nothing."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from equitable.actions import services
from equitable.actions.models import Action, ActionPlan, Recommendation
from equitable.actions.spreadsheet import PLAN_SHEET, REGISTER_SHEET, read_workbook

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _edit(content: bytes, sheet: str, cell: str, value) -> bytes:
    workbook = load_workbook(io.BytesIO(content))
    workbook[sheet][cell] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(content: bytes):
    return SimpleUploadedFile("plan.xlsx", content, content_type=XLSX)


def test_export_holds_every_plan_and_the_register(org, corporate, people, register):
    book = read_workbook(services.export_workbook(org))
    assert [(a.plan, a.directorate, a.ref) for a in book.actions] == [
        ("Race Equality Action Plan", "", "C-1"),
        ("People plan", "People", "P-1"),
    ]
    assert book.actions[1].latest_update == "10/01/2025: Panels set up"
    assert [(r.ref, r.actions) for r in book.recommendations] == [("RR-2", ["C-1"])]
    assert [m.ref for m in book.measures] == ["C-M1", "P-M1"]


def test_importing_the_export_changes_nothing(org, corporate, people, register):
    summary = services.apply_workbook(org, services.read_upload(org, services.export_workbook(org)))
    assert summary.created == dict.fromkeys(summary.created, 0)
    assert summary.updated == dict.fromkeys(summary.updated, 0)
    assert summary.unchanged == {"plans": 0, "actions": 2, "measures": 2, "recommendations": 1}


def test_round_trip_into_an_empty_council_recreates_the_plans(
    org, other_org, corporate, people, register
):
    original = read_workbook(services.export_workbook(org))
    services.apply_workbook(
        other_org, services.read_upload(other_org, services.export_workbook(org))
    )
    copy = read_workbook(services.export_workbook(other_org))
    for row in original.actions:
        row.latest_update = ""  # progress updates are kept in the app, not imported
    assert copy == original
    copied = ActionPlan.objects.get(organisation=other_org, title="People plan")
    assert copied.directorate.name == "People" and copied.directorate.organisation == other_org
    assert Recommendation.objects.get(organisation=other_org).actions.get().ref == "C-1"


def test_upload_then_confirm_imports_a_change(client_as, org, corporate):
    _, action, _ = corporate
    client = client_as("edi_officer")
    content = _edit(client.get(reverse("actions:export")).content, PLAN_SHEET, "L2", "At risk")
    page = client.post(reverse("actions:import"), {"workbook": _upload(content)})
    assert "actions: 0 new, 1 changed, 0 unchanged" in page.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK  # nothing stored before confirmation
    response = client.post(reverse("actions:import-confirm"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.AT_RISK


def test_a_bad_workbook_is_refused_with_every_problem_and_nothing_changes(
    client_as, corporate, register
):
    _, action, _ = corporate
    client = client_as("edi_officer")
    content = client.get(reverse("actions:export")).content
    content = _edit(content, PLAN_SHEET, "L2", "nearly there")
    content = _edit(content, PLAN_SHEET, "K2", "soon")
    content = _edit(content, PLAN_SHEET, "B2", "Nowhere")
    content = _edit(content, REGISTER_SHEET, "H2", "C-1, C-9")
    page = client.post(reverse("actions:import"), {"workbook": _upload(content)}).content.decode()
    assert "4 problems" in page
    for expected in ("nearly there", "soon", "Nowhere", "C-9", "No directorate has this name"):
        assert expected in page
    assert client.post(reverse("actions:import-confirm")).status_code == 302  # nothing pending
    action.refresh_from_db()
    assert action.status == Action.Status.ON_TRACK


def test_a_file_that_is_not_a_workbook_is_refused(client_as, corporate):
    page = client_as("edi_officer").post(
        reverse("actions:import"), {"workbook": _upload(b"Plan,Theme\n")}
    )
    assert "The file is not an Excel workbook (.xlsx)." in page.content.decode()


def test_export_download_is_audited(client_as, corporate):
    from equitable.core.models import AuditEvent

    response = client_as("edi_officer").get(reverse("actions:export"))
    assert response["Content-Type"] == XLSX
    assert AuditEvent.objects.filter(action="export", object_type="action_plan").exists()
