"""A service with a small complaints extract, stored through the same import as an upload."""

from __future__ import annotations

from equitable.service_users import services
from equitable.service_users.models import Service

HEADER = "Case reference,Date received,Ethnicity,Sex,Full name\n"


def extract_csv(rows: list[tuple[str, str, str]]) -> bytes:
    lines = [HEADER] + [
        f"C{i},{day},{ethnicity},{sex},Person {i}\n" for i, (day, ethnicity, sex) in enumerate(rows)
    ]
    return "".join(lines).encode()


# 40 complaints: 30 White British, 7 Indian (a small count), 3 not recorded; Q1 and Q2 2024.
SAMPLE = extract_csv(
    [("10/01/2024", "White British", "Female")] * 15
    + [("10/04/2024", "White British", "Male")] * 15
    + [("10/01/2024", "Indian", "Female")] * 7
    + [("10/04/2024", "", "Male")] * 3
)


def make_service(org, name: str = "Complaints", *, with_extract: bool = True) -> Service:
    service = services.create_service(
        org, name=name, kind=Service.Kind.COMPLAINTS, description="", user=None
    )
    if with_extract:
        result = services.import_extract(service, SAMPLE, "complaints.csv", user=None)
        assert result.ok, result.problems
    return service
