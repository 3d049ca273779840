"""Sample URL parameters for the lifecycle views (see tests/matrix_support.py)."""

from __future__ import annotations

NOT_OBJECT_SCOPED = {"lifecycle:download", "lifecycle:report-download"}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.lifecycle.models import LifecycleImport

    job = LifecycleImport.objects.create(
        organisation=org,
        kind="applications",
        source_filename="applications.csv",
        status=LifecycleImport.Status.INVALID,
        source_columns=["application_id", "ethnicity", "stage_reached"],
        column_mapping={c: c for c in ("application_id", "ethnicity", "stage_reached")},
        problems=[{"row": 2, "column": "stage_reached", "value": "?", "message": "not known"}],
        problem_count=1,
    )
    job_kwargs = {"pk": job.pk}
    return {
        "lifecycle:download": {"family": "recruitment", "fmt": "csv"},
        "lifecycle:report-download": {"report": "wres", "fmt": "xlsx"},
        "lifecycle:import-job": job_kwargs,
        "lifecycle:import-mapping": job_kwargs,
        "lifecycle:import-values": job_kwargs,
        "lifecycle:import-cancel": job_kwargs,
        "lifecycle:import-problems-csv": job_kwargs,
    }
