"""Building blocks for the publications tests: a snapshot with pay, bonus and disability, and
publications at each status."""

from __future__ import annotations

from datetime import date

import polars as pl

from equitable.publications import services
from equitable.publications.models import Kind, Publication, PublishedFile
from equitable.workforce import services as workforce

ETHNICITIES = (
    "English, Welsh, Scottish, Northern Irish or British",
    "Indian",
    "African",
    "Irish",
    "Pakistani",
    "Caribbean",
    "Chinese",  # few: withheld
)
SNAPSHOT_DATE = date(2025, 3, 31)


def staff_frame(count: int = 240, *, offset: int = 0) -> pl.DataFrame:
    ids = range(offset, offset + count)
    return pl.DataFrame(
        {
            "employee_id": [f"E{n:05d}" for n in ids],
            "ethnicity": [ETHNICITIES[6] if n % 53 == 0 else ETHNICITIES[n % 6] for n in ids],
            "sex": ["Female" if n % 3 else "Male" for n in ids],
            "disability": ["Disabled" if n % 9 == 0 else "Not disabled" for n in ids],
            "directorate": ["People" if n % 2 else "Place" for n in ids],
            "pay_band": [f"Band {1 + (n * 7) % 4}" for n in ids],
            "hourly_pay": [15.0 + (n % 17) * 1.25 for n in ids],
            "bonus_pay": [500.0 + (n % 5) * 100 if n % 4 == 0 else 0.0 for n in ids],
        }
    )


def store_snapshot(org, on: date = SNAPSHOT_DATE, frame: pl.DataFrame | None = None):
    frame = staff_frame() if frame is None else frame
    result = workforce.validate_file(org, frame, snapshot_date=on)
    assert not result.problems, result.problems[:5]
    return workforce.store_snapshot(
        org,
        result.frame,
        snapshot_date=on,
        present_columns=result.present_columns,
        source_filename="extract.csv",
        user=None,
        replace=False,
    )


def published(org, author, approver, snapshot, kind=Kind.PAY_GAP) -> Publication:
    """A publication taken through the whole workflow."""
    publication = services.create_draft(author, org, kind, snapshot, narrative="What we found.")
    services.approve(approver, publication)
    services.make_publication(publication.pk, approver.pk)
    return Publication.objects.get(pk=publication.pk)


def stored_publication(org, *, status=Publication.Status.PUBLISHED, kind=Kind.ANNUAL_REPORT):
    """A publication row as publication leaves it, without rendering (for the matrix)."""
    publication = Publication.objects.create(
        organisation=org,
        kind=kind,
        snapshot_date=SNAPSHOT_DATE,
        version=Publication.objects.filter(organisation=org, kind=kind).count() + 1,
        title=f"{org.name} {kind} ({status})",
        narrative="Narrative",
        status=status,
        body_html='<p class="govuk-body">Stored body</p>',
        pdf=b"%PDF-1.7 stored",
    )
    PublishedFile.objects.create(
        publication=publication,
        name="pay_gap_sex.csv",
        content_type="text/csv; charset=utf-8",
        content=b"sex,count\r\n",
    )
    return publication
