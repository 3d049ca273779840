"""The lifecycle pages as each role sees them: exact figures for the EDI officer and HR
analyst, the protected publication for board members, only their own directorates' rows for
champions; empty states that say what to import; downloads and the API read the same view."""

from __future__ import annotations

import json

import polars as pl
import pytest
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.lifecycle import imports, services
from tests.lifecycle.conftest import application_rows

FAMILY_PAGES = ("recruitment", "movements", "casework", "development")


@pytest.fixture
def one_year(org):
    """120 applications, all in 2024-25 (one period keeps the protected family small)."""
    rows = [dict(row, date_applied="2024-06-01") for row in application_rows(120)]
    frame = imports.validate_file(org, "applications", pl.DataFrame(rows)).frame
    return services.store_records(org, "applications", frame, user=None, source_filename="a.csv")


@pytest.mark.parametrize("persona", ["edi_officer", "hr_analyst", "board_member", "champion"])
def test_empty_pages_say_what_to_import(client_as, persona):
    client = client_as(persona)
    overview = client.get(reverse("lifecycle:index")).content.decode()
    assert "No data yet" in overview
    for name in FAMILY_PAGES:
        page = client.get(reverse(f"lifecycle:{name}"))
        assert page.status_code == 200
        assert "There are no" in page.content.decode() and "Import" in page.content.decode()


def test_the_section_is_in_the_navigation_for_its_roles(client_as):
    for persona, shown in (("board_member", True), ("champion", True), ("org_admin", False)):
        page = client_as(persona).get(reverse("core:home")).content.decode()
        assert (reverse("lifecycle:index") in page) is shown, persona
    assert client_as("org_admin").get(reverse("lifecycle:index")).status_code == 403


def _cells(page: str, text: str) -> bool:
    return text in page


def test_exact_roles_see_every_count_and_the_views_are_audited(client_as, one_year):
    client = client_as("hr_analyst")
    url = reverse("lifecycle:recruitment")
    page = client.get(url, {"stage": "shortlisted to appointed"}).content.decode()
    assert "Exact counts, including small numbers" in page
    assert "Relative likelihood at each recruitment stage" in page
    assert "our convention" in page  # the 0.80 to 1.25 band, labelled
    assert "<svg" in page and "[c]" not in page
    exact = services.exact_family(one_year.organisation, "recruitment")
    black = (
        exact["recruitment_relative_likelihood"]
        .filter(
            (pl.col("applicant_type") == "All")
            & (pl.col("stage") == "shortlisted to appointed")
            & (pl.col("ethnic_group") == "Black")
        )
        .row(0, named=True)
    )
    assert black["reading"] in page.replace("&#39;", "'")
    assert AuditEvent.objects.filter(
        object_type="lifecycle_figures", action=AuditEvent.Action.VIEW
    ).exists()
    # Filters choose rows of the same tables: the funnel and the breakdowns.
    funnel = client.get(url, {"table": "recruitment_stages"}).content.decode()
    assert "Share of the people at this stage" in funnel
    by_sex = client.get(url, {"characteristic": "sex"})
    assert by_sex.status_code == 200 and "Female" in by_sex.content.decode()
    people = client.get(url, {"directorate": "People"}).content.decode()
    assert "People" in people
    assert client.get(url, {"directorate": "Nowhere"}).status_code == 404
    assert client.get(url, {"table": "not_a_table"}).status_code == 404


def test_board_members_see_the_protected_publication_everywhere(client_as, one_year):
    client = client_as("board_member")
    organisation = one_year.organisation
    published = services.published_family(organisation, "recruitment")
    table = published["recruitment_relative_likelihood"]
    chosen = table.filter(
        (pl.col("period") == "2024-25")
        & (pl.col("applicant_type") == "All")
        & (pl.col("stage") == table["stage"][0])
    )
    assert chosen["suppressed"].any(), "the sample should withhold something"
    page = client.get(reverse("lifecycle:recruitment")).content.decode()
    assert "Figures are protected" in page and "[c]" in page
    assert "Exact counts" not in page
    # The download holds the same rows, withheld cells as [c], every one audited.
    csv = client.get(reverse("lifecycle:download", args=["recruitment", "csv"])).content.decode()
    assert "[c]" in csv
    assert len(csv.strip().splitlines()) == chosen.height + 1
    assert AuditEvent.objects.filter(
        object_type="lifecycle_figures", action=AuditEvent.Action.EXPORT
    ).exists()
    # The API gives the whole protected table, nulls where withheld.
    response = client.get("/api/lifecycle/recruitment/tables/recruitment_relative_likelihood")
    body = json.loads(response.content)
    assert response.status_code == 200 and body["exact"] is False
    assert body["rows"] == json.loads(json.dumps(table.to_dicts(), default=str))
    # A champion reads rows of the same publication: their own directorate only.
    champion = client_as("champion")
    page = champion.get(reverse("lifecycle:recruitment")).content.decode()
    assert 'value="People" selected' in page and 'value="Place"' not in page
    assert "Whole organisation" not in page
    assert (
        champion.get(reverse("lifecycle:recruitment"), {"directorate": "Place"}).status_code == 404
    )
    assert (
        champion.get(reverse("lifecycle:recruitment"), {"characteristic": "sex"}).status_code == 200
    )
    tables = json.loads(champion.get("/api/lifecycle/families").content)
    recruitment = next(f for f in tables if f["name"] == "recruitment")
    assert recruitment["tables"] and all(
        n.endswith("_by_directorate") for n in recruitment["tables"]
    )
    rows = json.loads(
        champion.get(
            "/api/lifecycle/recruitment/tables/recruitment_relative_likelihood_by_directorate"
        ).content
    )["rows"]
    assert rows and {row["directorate"] for row in rows} == {"People"}
    assert (
        champion.get(
            "/api/lifecycle/recruitment/tables/recruitment_relative_likelihood"
        ).status_code
        == 404
    )


def test_the_reports_are_not_for_champions(client_as):
    assert client_as("champion").get(reverse("lifecycle:wres")).status_code == 403
    assert client_as("champion").get("/api/lifecycle/wres").status_code == 403
    page = client_as("board_member").get(reverse("lifecycle:wres")).content.decode()
    assert "There is nothing to report yet" in page
    page = client_as("edi_officer").get(reverse("lifecycle:social-care-wres")).content.decode()
    assert "Choose the social care directorates" in page


def test_the_edi_officer_chooses_the_social_care_directorates(client_as, org):
    client = client_as("edi_officer")
    assert client_as("hr_analyst").get(reverse("lifecycle:settings")).status_code == 403
    response = client.post(reverse("lifecycle:settings"), {"directorates": ["Place"]})
    assert response.status_code == 302
    assert services.social_care_directorates(org) == ["Place"]
    empty = client.post(reverse("lifecycle:settings"), {})
    assert "Choose at least one directorate" in empty.content.decode()
