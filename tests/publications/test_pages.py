"""The organisation's publication pages: start a draft, edit it, preview it, approval by a
second person, publish, withdraw and correct, as people use them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.publications.models import Kind, Publication
from tests.publications.factories import store_snapshot

pytestmark = pytest.mark.slow


def test_the_whole_workflow_through_the_pages(client_as, org, users):
    snapshot = store_snapshot(org)
    author, approver = client_as("edi_officer"), client_as("org_admin")
    empty = author.post(reverse("publications:new"), {})
    assert empty.status_code == 400 and "Choose what to publish" in empty.content.decode()
    response = author.post(
        reverse("publications:new"), {"kind": Kind.PAY_GAP, "snapshot": snapshot.pk}
    )
    item = Publication.objects.get()
    assert response["Location"] == reverse("publications:edit", args=[item.pk])
    author.post(
        reverse("publications:edit", args=[item.pk]),
        {"title": "Pay gaps 2025", "narrative": "Our <b>gaps</b>.\n\nWhat we do."},
    )
    item.refresh_from_db()
    assert item.title == "Pay gaps 2025"

    preview = author.get(reverse("publications:preview", args=[item.pk])).content.decode()
    assert "Preview of a draft: not published" in preview
    assert "Our &lt;b&gt;gaps&lt;/b&gt;." in preview and "Gender pay gap" in preview
    # The public site does not have it.
    assert author.get(reverse("published:publication", args=[org.slug, item.pk])).status_code == 404

    own = author.get(reverse("publications:approve", args=[item.pk])).content.decode()
    assert "someone else must approve it" in own
    refused = author.post(reverse("publications:approve", args=[item.pk]))
    assert refused.status_code == 400
    item.refresh_from_db()
    assert item.status == Publication.Status.DRAFT

    approver.post(reverse("publications:approve", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == Publication.Status.APPROVED and item.approved_by == users["org_admin"]
    author.post(reverse("publications:publish", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == Publication.Status.PUBLISHED
    public = author.get(reverse("published:publication", args=[org.slug, item.pk])).content.decode()
    # The preview showed exactly what was published (the body between its markers).
    body = public.split('<div class="eq-publication">', 1)[1].split("</main>", 1)[0]
    assert "Our &lt;b&gt;gaps&lt;/b&gt;." in body

    blank = author.post(reverse("publications:withdraw", args=[item.pk]), {"reason": ""})
    assert "Say why it is withdrawn" in blank.content.decode()
    author.post(reverse("publications:correct", args=[item.pk]))
    correction = Publication.objects.get(version=2)
    assert correction.status == Publication.Status.DRAFT
    edit = author.get(reverse("publications:edit", args=[correction.pk])).content.decode()
    assert "What changed from the previous version" in edit
    author.post(reverse("publications:withdraw", args=[item.pk]), {"reason": "Superseded"})
    item.refresh_from_db()
    assert item.status == Publication.Status.WITHDRAWN


def test_another_councils_publication_is_not_found(client_as, other_org):
    from tests.publications.factories import stored_publication

    theirs = stored_publication(other_org, status=Publication.Status.DRAFT)
    client = client_as("edi_officer")
    assert client.get(reverse("publications:detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("publications:approve", args=[theirs.pk])).status_code == 404
