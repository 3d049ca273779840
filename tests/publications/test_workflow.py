"""A publication's life: drafted, approved by a second person, published (stored once, never
changed), corrected as a new version, withdrawn; each step audited."""

from __future__ import annotations

import pytest

from equitable.core.models import AuditEvent
from equitable.publications import services
from equitable.publications.models import (
    ApprovalRefused,
    IllegalTransition,
    Kind,
    Publication,
)
from tests.conftest import make_user
from tests.publications.factories import published, store_snapshot

pytestmark = pytest.mark.slow  # each publication renders its charts and PDF


@pytest.fixture
def snapshot(org):
    return store_snapshot(org)


def test_a_draft_is_approved_by_someone_else_then_published_with_everything_stored(
    org, users, snapshot
):
    author, approver = users["edi_officer"], users["org_admin"]
    draft = services.create_draft(author, org, Kind.PAY_GAP, snapshot, narrative="Our gaps.")
    assert draft.status == Publication.Status.DRAFT and draft.version == 1
    assert draft.title == "Our Borough pay gap report 2025"

    with pytest.raises(ApprovalRefused, match="someone else must approve"):
        services.approve(author, draft)
    with pytest.raises(ApprovalRefused):
        services.approve(users["hr_analyst"], draft)  # not a publisher
    with pytest.raises(ApprovalRefused):
        services.approve(users["other:org_admin"], draft)  # another council's admin
    draft.refresh_from_db()
    assert draft.status == Publication.Status.DRAFT and draft.tables == {}

    services.approve(approver, draft)
    draft.refresh_from_db()
    assert draft.status == Publication.Status.APPROVED and draft.approved_by == approver
    assert {"pay_gap_sex", "bonus_gap_sex", "pay_quartiles_sex", "disclosure"} <= set(draft.tables)

    services.request_publication(approver, draft)  # thread mode: made now
    item = Publication.objects.get(pk=draft.pk)
    assert item.status == Publication.Status.PUBLISHED and item.published_at is not None
    assert bytes(item.pdf).startswith(b"%PDF")
    assert "Gender pay gap" in item.body_html and "Ethnicity pay gap" in item.body_html
    names = set(item.files.values_list("name", flat=True))
    assert {"pay_gap_sex.csv", "pay_gap_sex.schema.json"} <= names
    assert f"{services.file_stem(item)}.json" in names

    steps = list(
        AuditEvent.objects.filter(object_type="publication", object_id=str(item.pk))
        .order_by("pk")
        .values_list("action", "detail")
    )
    assert [action for action, _ in steps] == ["create", "change", "export"]
    assert steps[1][1].startswith("approved version 1")
    assert steps[2][1].startswith("published version 1")


def test_another_edi_officer_may_approve(org, users, snapshot):
    second = make_user("second-edi", "edi_officer", org)
    draft = services.create_draft(
        users["edi_officer"], org, Kind.ANNUAL_REPORT, snapshot, narrative="x"
    )
    services.approve(second, draft)
    assert draft.status == Publication.Status.APPROVED


def test_approval_needs_a_narrative_and_a_correction_needs_its_note(org, users, snapshot):
    draft = services.create_draft(users["edi_officer"], org, Kind.ANNUAL_REPORT, snapshot)
    with pytest.raises(IllegalTransition, match="narrative"):
        services.approve(users["org_admin"], draft)
    item = published(org, users["edi_officer"], users["org_admin"], snapshot)
    correction = services.start_correction(users["edi_officer"], item)
    assert correction.version == 2 and correction.narrative == "What we found."
    with pytest.raises(IllegalTransition, match="what changed"):
        services.approve(users["org_admin"], correction)


def test_what_is_published_never_changes(org, users, snapshot):
    item = published(org, users["edi_officer"], users["org_admin"], snapshot)
    body = item.body_html
    item.narrative = "Rewritten after publication"
    with pytest.raises(IllegalTransition, match="cannot change"):
        item.save()
    item = Publication.objects.get(pk=item.pk)
    item.tables = {}
    with pytest.raises(IllegalTransition, match="tables"):
        item.save()
    item = Publication.objects.get(pk=item.pk)
    assert item.body_html == body and item.narrative == "What we found."
    with pytest.raises(IllegalTransition):
        services.save_draft(
            users["edi_officer"],
            item,
            title="x",
            narrative="y",
            correction_note="",
            linked_actions=[],
        )
    # Publishing again (a retried job) leaves it as it was.
    services.make_publication(item.pk, users["org_admin"].pk)
    assert Publication.objects.get(pk=item.pk).body_html == body


def test_one_open_draft_per_kind_and_snapshot_and_a_correction_for_a_published_one(
    org, users, snapshot
):
    author = users["edi_officer"]
    services.create_draft(author, org, Kind.PAY_GAP, snapshot, narrative="x")
    with pytest.raises(IllegalTransition, match="already a draft"):
        services.create_draft(author, org, Kind.PAY_GAP, snapshot)
    other = services.create_draft(author, org, Kind.OPEN_DATA, snapshot)
    services.approve(users["org_admin"], other)
    services.make_publication(other.pk, users["org_admin"].pk)
    with pytest.raises(IllegalTransition, match="publish a correction"):
        services.create_draft(author, org, Kind.OPEN_DATA, snapshot)


def test_a_correction_is_a_new_version_and_the_first_stays_listed(org, users, snapshot):
    first = published(org, users["edi_officer"], users["org_admin"], snapshot)
    correction = services.start_correction(users["edi_officer"], first)
    services.save_draft(
        users["edi_officer"],
        correction,
        title=first.title,
        narrative="What we found, corrected.",
        correction_note="The disability figures counted agency staff; they no longer do.",
        linked_actions=[],
    )
    services.approve(users["org_admin"], correction)
    services.make_publication(correction.pk, users["org_admin"].pk)
    correction.refresh_from_db()
    assert "The disability figures counted agency staff" in correction.body_html
    assert services.current_version(first) == correction
    assert list(services.public_publications(org).values_list("version", flat=True)) == [2, 1]


def test_withdrawn_publications_stay_listed_as_withdrawn(org, users, snapshot):
    item = published(org, users["edi_officer"], users["org_admin"], snapshot)
    with pytest.raises(IllegalTransition, match="why"):
        services.withdraw(users["edi_officer"], item, "  ")
    services.withdraw(users["edi_officer"], item, "Published from the wrong snapshot")
    item = Publication.objects.get(pk=item.pk)
    assert item.status == Publication.Status.WITHDRAWN and item.withdrawn_at is not None
    assert list(services.public_publications(org)) == [item]
    assert services.current_version(item) is None
    assert AuditEvent.objects.filter(
        object_type="publication", detail="withdrawn from the site"
    ).exists()
    with pytest.raises(IllegalTransition):
        services.withdraw(users["edi_officer"], item, "again")


def test_returning_an_approved_publication_to_draft_forgets_its_figures(org, users, snapshot):
    draft = services.create_draft(users["edi_officer"], org, Kind.PAY_GAP, snapshot, narrative="x")
    services.approve(users["org_admin"], draft)
    services.return_to_draft(users["edi_officer"], draft)
    draft.refresh_from_db()
    assert draft.status == Publication.Status.DRAFT and draft.tables == {}
    assert draft.approved_by is None
