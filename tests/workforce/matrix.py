"""Sample URL parameters for the workforce views (see tests/matrix_support.py)."""

from __future__ import annotations

from datetime import date

NOT_OBJECT_SCOPED = {"workforce:figure", "workforce:download"}
SKIP: dict[str, str] = {}


def _snapshot(org):
    """A small stored snapshot (its frame too: every workforce page reads the newest)."""
    import polars as pl

    from equitable.workforce import services

    on = date(2024, 3, 31)
    frame = pl.DataFrame(
        {"employee_id": [f"M{n}" for n in range(12)], "ethnicity": ["Indian", "Irish"] * 6}
    )
    result = services.validate_file(org, frame, snapshot_date=on)
    assert not result.problems, result.problems
    return services.store_snapshot(
        org,
        result.frame,
        snapshot_date=on,
        present_columns=result.present_columns,
        source_filename="extract.csv",
        user=None,
        replace=False,
    )


def samples(org) -> dict[str, dict]:
    from equitable.workforce.models import ImportJob

    job = ImportJob.objects.create(
        organisation=org,
        source_filename="extract.csv",
        snapshot_date=date(2025, 3, 31),
        status=ImportJob.Status.INVALID,
        source_columns=["employee_id", "ethnicity"],
        column_mapping={"employee_id": "employee_id", "ethnicity": "ethnicity"},
        problems=[{"row": 2, "column": "ethnicity", "value": "?", "message": "not known"}],
        problem_count=1,
        unmapped_values={"ethnicity": ["?"]},
    )
    job_kwargs = {"pk": job.pk}
    snapshot = _snapshot(org)
    return {
        "workforce:figure": {"name": "representation_overall"},
        "workforce:download": {"name": "representation_overall", "fmt": "csv"},
        "workforce:import-job": job_kwargs,
        "workforce:import-mapping": job_kwargs,
        "workforce:import-values": job_kwargs,
        "workforce:import-confirm": job_kwargs,
        "workforce:import-confirm-pay": job_kwargs,
        "workforce:import-cancel": job_kwargs,
        "workforce:import-problems-csv": job_kwargs,
        "workforce:snapshot-delete": {"pk": snapshot.pk},
    }
