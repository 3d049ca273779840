"""Sample URL parameters for the service monitoring views (see tests/matrix_support.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from equitable.service_users import services
from tests.service_users.factories import COUNCIL_CSV, make_service

NOT_OBJECT_SCOPED: set[str] = set()
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    service = make_service(org, "Complaints (matrix)")
    waiting = make_service(org, "Sign-ups (matrix)", with_extract=False)
    step = services.start_import(waiting, SimpleUploadedFile("council.csv", COUNCIL_CSV), user=None)
    assert step.job is not None
    return {
        "service_users:import-mapping": {"pk": step.job.pk},
        "service_users:import-cancel": {"pk": step.job.pk},
        "service_users:service": {"pk": service.pk},
        "service_users:upload": {"pk": service.pk},
        "service_users:download": {"pk": service.pk, "table": "completeness"},
    }
