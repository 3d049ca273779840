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


# A complaints system's own export: its own headers ("Case Ref", "Date Logged", "Ethnic
# Origin", "Gender Identity") and values ("Wht Brit", "Black African (BA)", "Cis"), a name and
# an e-mail address. Seven complaints, three in 2024-Q1 and four in 2024-Q2.
COUNCIL_CSV = (
    b"Case Ref,Date Logged,Ethnic Origin,Gender Identity,Sex,Name,Email\n"
    b"C1,05/01/2024,Wht Brit,Cis,F,Ann A,a@example.org\n"
    b"C2,20/02/2024,Wht Brit,Cis,M,Bob B,b@example.org\n"
    b"C3,10/03/2024,Black African (BA),Cis,F,Cat C,c@example.org\n"
    b"C4,02/04/2024,Black African (BA),Trans woman,F,Dee D,d@example.org\n"
    b"C5,15/05/2024,Wht Brit,Cis,M,Eve E,e@example.org\n"
    b"C6,30/06/2024,Asian - Indian,,F,Fay F,f@example.org\n"
    b"C7,11/06/2024,Prefer not to say,Cis,M,Gus G,g@example.org\n"
)

# What the council chooses on the mapping page.
COUNCIL_COLUMNS = {
    "Case Ref": "record_id",
    "Date Logged": "date",
    "Ethnic Origin": "ethnicity",
    "Gender Identity": "gender_reassignment",
    "Sex": "sex",
}
COUNCIL_VALUES = {
    "ethnicity": {
        "Wht Brit": "English, Welsh, Scottish, Northern Irish or British",
        "Black African (BA)": "African",
    },
    "gender_reassignment": {"Cis": "Gender identity the same as sex registered at birth"},
}
