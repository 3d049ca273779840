"""The public site reads only published (and withdrawn) versions: drafts, approved-but-not-
published and other organisations' drafts cannot be reached from it, whatever the URL."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from equitable.publications.models import Kind, Publication
from tests.publications.factories import stored_publication


@pytest.fixture
def rows(org, other_org):
    return {
        "published": stored_publication(org),
        "withdrawn": stored_publication(
            org, status=Publication.Status.WITHDRAWN, kind=Kind.PAY_GAP
        ),
        "draft": stored_publication(org, status=Publication.Status.DRAFT, kind=Kind.OPEN_DATA),
        "approved": stored_publication(org, status=Publication.Status.APPROVED, kind=Kind.PAY_GAP),
        "other draft": stored_publication(other_org, status=Publication.Status.DRAFT),
    }


def test_the_lists_show_published_and_withdrawn_versions_only(client, org, rows):
    index = client.get(reverse("published:index")).content.decode()
    assert "Our Borough" in index and "Other Borough" not in index  # it published nothing
    page = client.get(reverse("published:organisation", args=[org.slug])).content.decode()
    assert rows["published"].title in page
    assert rows["withdrawn"].title in page and "Withdrawn" in page
    assert rows["draft"].title not in page and rows["approved"].title not in page


def test_nothing_unpublished_is_reachable(client, org, other_org, rows):
    for name in ("draft", "approved", "other draft"):
        item = rows[name]
        for slug in (org.slug, other_org.slug):
            args = [slug, item.pk]
            assert client.get(reverse("published:publication", args=args)).status_code == 404
            assert client.get(reverse("published:pdf", args=args)).status_code == 404
            assert (
                client.get(reverse("published:file", args=[*args, "pay_gap_sex.csv"])).status_code
                == 404
            )
    # A published one under another organisation's slug is not found either.
    wrong = [other_org.slug, rows["published"].pk]
    assert client.get(reverse("published:publication", args=wrong)).status_code == 404


def test_published_pages_and_files_are_served_as_stored(client, org, rows):
    item = rows["published"]
    page = client.get(reverse("published:publication", args=[org.slug, item.pk]))
    assert page.status_code == 200
    assert '<p class="govuk-body">Stored body</p>' in page.content.decode()
    pdf = client.get(reverse("published:pdf", args=[org.slug, item.pk]))
    assert pdf.content == b"%PDF-1.7 stored" and pdf["Content-Type"] == "application/pdf"
    data = client.get(reverse("published:file", args=[org.slug, item.pk, "pay_gap_sex.csv"]))
    assert data.content == b"sex,count\r\n"
    assert data["Content-Disposition"].endswith('-pay_gap_sex.csv"')
    missing = reverse("published:file", args=[org.slug, item.pk, "nothing.csv"])
    assert client.get(missing).status_code == 404


def test_a_withdrawn_publication_says_so_and_why(client, org, rows):
    item = rows["withdrawn"]
    Publication.objects.filter(pk=item.pk).update(withdrawal_reason="Wrong snapshot")
    page = client.get(reverse("published:publication", args=[org.slug, item.pk])).content.decode()
    assert "Withdrawn" in page and "Wrong snapshot" in page


@pytest.mark.slow
def test_the_downloads_follow_the_documented_schema(client, org, users):
    from tests.publications.factories import published, store_snapshot

    item = published(org, users["edi_officer"], users["org_admin"], store_snapshot(org))
    base = [org.slug, item.pk]
    raw = client.get(reverse("published:file", args=[*base, "pay_gap_ethnicity.csv"])).content
    header = next(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    schema = json.loads(
        client.get(reverse("published:file", args=[*base, "pay_gap_ethnicity.schema.json"])).content
    )
    assert [field["name"] for field in schema["fields"]] == header
    types = {field["name"]: field["type"] for field in schema["fields"]}
    assert types["count"] == "integer" and types["mean_gap_percent"] == "number"
    assert types["suppressed"] == "boolean" and types["ethnic_group"] == "string"
    assert schema["missingValues"] == [""]
    assert schema["licenses"][0]["name"] == "OGL-UK-3.0"
    everything = json.loads(
        client.get(
            reverse("published:file", args=[*base, "our-borough-pay-gap-2025-03-31-v1.json"])
        ).content
    )
    assert everything["publication"]["licence"]["title"] == "Open Government Licence v3.0"
    rows = everything["tables"]["pay_gap_ethnicity"]["rows"]
    assert {row["reference_group"] for row in rows} == {"White", "White British"}
    withheld = [
        row for table in everything["tables"].values() for row in table["rows"] if row["suppressed"]
    ]
    assert withheld and all(None in row.values() for row in withheld)  # a withheld figure: null
    page = client.get(reverse("published:publication", args=base)).content.decode()
    assert "Open Government Licence v3.0" in page and "Table Schema" in page
