"""The Standard's category page shows the protected training figures beside 2b.2 and 2c.4
(and 2c.6 only with a panel list)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from equitable.standard import services as standard
from equitable.training import services
from tests.training.conftest import records_csv


def test_the_figures_sit_beside_2b2_and_2c4(client_as, org, users, snapshot):

    upload = SimpleUploadedFile("training.csv", records_csv().encode(), content_type="text/csv")
    services.confirm(
        services.check_upload(org, users["edi_officer"], "records", upload).pending,
        users["edi_officer"],
    )
    assessment = standard.start_assessment(org, "2024 to 2025")
    page = (
        client_as("board_member")
        .get(reverse("standard:category", args=[assessment.pk, "2"]))
        .content.decode()
    )
    assert "From the training records, for 2b.2" in page
    assert "From the training records, for 2c.4" in page
    assert "75.0%" in page  # 30 of 40 completed: protected, and shown
    assert "for 2c.6" not in page  # no panel list imported
