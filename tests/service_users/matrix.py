"""Sample URL parameters for the service monitoring views (see tests/matrix_support.py)."""

from tests.service_users.factories import make_service

NOT_OBJECT_SCOPED: set[str] = set()
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    service = make_service(org, "Complaints (matrix)")
    return {
        "service_users:service": {"pk": service.pk},
        "service_users:upload": {"pk": service.pk},
        "service_users:download": {"pk": service.pk, "table": "completeness"},
    }
