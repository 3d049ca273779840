"""The training pages: the import (upload, preview, confirm; all or nothing), compliance for
each role (exact, protected, a champion's own directorate), and the overdue list for the
personal-access roles only, every view and download audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.training import storage
from equitable.training.models import TrainingFile, TrainingImport
from tests.training.conftest import records_csv


def _upload(client, text: str, kind: str = "records", name: str = "training.csv"):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(reverse("training:upload"), {"kind": kind, "extract": upload})


def _import(client, text: str = "", kind: str = "records"):
    response = _upload(client, text or records_csv(), kind)
    assert response.status_code == 302, response.content.decode()[:2000]
    pending = TrainingImport.objects.get()
    assert response["Location"] == reverse("training:preview", args=[pending.pk])
    return client.post(reverse("training:confirm", args=[pending.pk]))


@pytest.mark.parametrize("persona", ["board_member", "champion", "org_admin"])
def test_only_the_import_roles_may_import(client_as, persona):
    assert client_as(persona).get(reverse("training:upload")).status_code == 403


def test_a_clean_file_is_previewed_then_stored_with_keyed_ids(client_as, org, snapshot):
    client = client_as("hr_analyst")
    response = _upload(client, records_csv())
    pending = TrainingImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "30 rows" in page and "Mandatory EDI: 30" in page
    assert "1 June 2024 and 1 June 2024" in page
    assert not TrainingFile.objects.exists()  # nothing stored before confirming
    response = client.post(reverse("training:confirm", args=[pending.pk]))
    assert response["Location"] == reverse("training:index")
    stored = storage.frame(org, "records")
    assert stored.height == 30 and "E0000" not in stored["employee_key"].to_list()
    assert not TrainingImport.objects.exists()
    assert AuditEvent.objects.filter(object_type="training_file", action="import").exists()


def test_a_bad_file_lists_every_problem_and_stores_nothing(client_as, org):
    bad = "employee_id,course,category,mode,completion_date\nE1,X,Mandatory,Pigeon,32/13/2024\n"
    response = _upload(client_as("edi_officer"), bad + ",Y,Nonsense,E-learning,2024-01-01\n")
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 problems" in page and "not a recognised mode" in page and "Nonsense" not in page
    assert not TrainingImport.objects.exists() and not TrainingFile.objects.exists()


def test_another_councils_pending_import_is_a_404(client_as, org, snapshot):
    _upload(client_as("hr_analyst"), records_csv())
    pending = TrainingImport.objects.get()
    other = client_as("other:hr_analyst")
    assert other.get(reverse("training:preview", args=[pending.pk])).status_code == 404
    assert other.post(reverse("training:confirm", args=[pending.pk])).status_code == 404


def test_exact_figures_for_the_edi_officer(client_as, org, snapshot):
    client = client_as("edi_officer")
    _import(client)
    page = client.get(reverse("training:index")).content.decode()
    assert "Exact counts" in page
    assert "75.0%" in page  # 30 of 40 completed


def test_protected_figures_for_the_board_and_a_champions_own_directorate(client_as, org, snapshot):
    _import(client_as("edi_officer"))
    board = client_as("board_member").get(reverse("training:index")).content.decode()
    assert "Figures are protected" in board and "By ethnic group" in board
    champion = client_as("champion").get(reverse("training:index")).content.decode()
    assert "Staff in People" in champion  # the champion's directorate, protected
    assert "By ethnic group" not in champion and "All staff" not in champion
    assert "Place" not in champion  # nothing of another directorate


@pytest.mark.parametrize("persona", ["board_member", "champion", "org_admin"])
def test_the_overdue_list_is_for_the_personal_access_roles_only(client_as, persona):
    assert client_as(persona).get(reverse("training:overdue")).status_code == 403
    download = reverse("training:overdue_download", args=["csv"])
    assert client_as(persona).get(download).status_code == 403


def test_the_overdue_list_and_its_download_are_audited(client_as, org, snapshot):
    client = client_as("edi_officer")
    _import(client)
    page = client.get(reverse("training:overdue")).content.decode()
    # the ten who never trained (all in Place), two of them senior leaders also without
    # face-to-face training
    assert "12 overdue duties" in page
    response = client.get(reverse("training:overdue_download", args=["csv"]) + "?directorate=Place")
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("Employee (keyed id),Directorate")
    assert len(rows) == 1 + 12 and all(",Place," in r for r in rows[1:])
    actions = set(
        AuditEvent.objects.filter(object_type="training_overdue").values_list("action", flat=True)
    )
    assert actions == {"view", "export"}
    xlsx = client.get(reverse("training:overdue_download", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_pending_upload_older_than_a_day_is_removed(client_as, org, snapshot):
    from datetime import timedelta

    from django.utils import timezone

    client = client_as("hr_analyst")
    _upload(client, records_csv())
    TrainingImport.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert TrainingImport.objects.count() == 1
    _upload(client_as("edi_officer"), records_csv())
    assert TrainingImport.objects.count() == 1  # the old one went, the new one waits
    assert TrainingImport.objects.get().created_by.role == "edi_officer"
