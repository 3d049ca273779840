"""The workforce evidence of an assessment: the snapshot before the decision (and the one
after), exact for the roles with personal access (audited), protected for everyone else."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.core.models import AuditEvent
from equitable.eqia import evidence
from equitable.eqia.models import Assessment
from equitable.metrics import attack
from equitable.metrics.eqia import evidence as library
from tests.eqia.factories import make_assessment, staff_frame, store_snapshot


@pytest.fixture
def snapshots(org):
    """80 staff on 31 March 2024 (40 in People); 85 on 31 March 2025."""
    return [
        store_snapshot(org, date(2024, 3, 31), staff_frame(80)),
        store_snapshot(org, date(2025, 3, 31), staff_frame(85, offset=10)),
    ]


@pytest.fixture
def restructure(org, snapshots):
    affected = evidence.hash_ids([f"E{n:04d}" for n in range(1, 40, 2)])  # 20 in People
    return make_assessment(
        org,
        status=Assessment.Status.FULL,
        decision_date=date(2024, 9, 30),
        scope_filter={"directorate": ["People"]},
        affected_keys=affected,
    )


def _in_scope_total(part):
    return {row["ethnic_group"]: row for row in part.tables["in_scope_by_ethnic_group"]}


def test_before_and_after_are_the_snapshots_either_side_of_the_decision(users, restructure):
    found = evidence.evidence_for(restructure, users["hr_analyst"])
    assert found.published is False
    assert found.before.on == date(2024, 3, 31)
    assert found.after.on == date(2025, 3, 31)
    rows = _in_scope_total(found.before)
    assert rows["White"]["total"] == 40
    likelihood = {r["ethnic_group"]: r for r in found.before.tables["affected_relative_likelihood"]}
    assert likelihood["Asian"]["group_pool"] == 20  # the Indian half of People
    assert likelihood["Asian"]["group_count"] == 10
    # The after snapshot has no affected list of its own: its people left or stayed.
    assert "affected_relative_likelihood" not in found.after.tables


def test_an_exact_view_is_audited_and_a_protected_one_is_not(users, restructure):
    evidence.evidence_for(restructure, users["edi_officer"])
    evidence.evidence_for(restructure, users["board_member"])
    events = AuditEvent.objects.filter(object_type="eqia_evidence")
    assert [(e.user, e.action) for e in events] == [(users["edi_officer"], "view")]


def test_readers_without_personal_access_see_only_protected_figures(org, users, restructure):
    exact = evidence.evidence_for(restructure, users["hr_analyst"]).before
    shown = evidence.evidence_for(restructure, users["champion"]).before
    threshold = org.suppression_threshold
    small = [
        (name, row)
        for name, rows in exact.tables.items()
        for row in rows
        if isinstance(row.get("count"), int) and 0 < row["count"] < threshold
    ]
    assert small, "the example must have small groups for the test to mean anything"
    for name, rows in shown.tables.items():
        for row in rows:
            count = row.get("count")
            # Withheld, an empty category, or at least the threshold.
            assert count is None or count == 0 or count >= threshold, (name, row)


def test_an_intruder_cannot_pin_a_withheld_count_from_the_published_tables(org, users, restructure):
    """The audit attacks every withheld cell with every equation the published tables give
    (totals, the aggregate row, the organisation against the scope)."""
    from equitable.workforce import services as workforce

    frame = workforce.snapshot_frame(workforce.snapshots_of(org)[0])
    tables = library.evidence_tables(
        frame, restructure.scope_filter, affected_keys=restructure.affected_keys
    )
    assert attack.audit(tables, threshold=org.suppression_threshold, layouts=library.LAYOUTS) == []
    # And what the page shows is exactly what protect publishes.
    shown = evidence.evidence_for(restructure, users["board_member"]).before.tables
    published = library.protected_evidence(tables, threshold=org.suppression_threshold)
    assert shown["in_scope_by_ethnic_group"] == published["in_scope_by_ethnic_group"].to_dicts()


def test_an_uploaded_list_narrows_the_scope(users, restructure):
    restructure.scope_keys = evidence.hash_ids([f"E{n:04d}" for n in range(1, 21, 2)])
    restructure.affected_keys = []
    found = evidence.evidence_for(restructure, users["hr_analyst"])
    assert _in_scope_total(found.before)["White"]["total"] == 10


def test_no_snapshot_before_the_decision_is_said_plainly(org, users, snapshots):
    early = make_assessment(
        org, decision_date=date(2020, 1, 1), scope_filter={"directorate": ["People"]}
    )
    found = evidence.evidence_for(early, users["hr_analyst"])
    assert found.before is None
    assert "no workforce snapshot on or before the decision date" in found.problems[0]


def test_a_bad_stored_scope_lists_its_problems_instead_of_failing(org, users, snapshots):
    broken = make_assessment(org, scope_filter={"shoe_size": ["9"]})
    found = evidence.evidence_for(broken, users["hr_analyst"])
    assert found.before is None
    assert any("shoe_size" in problem for problem in found.problems)


def test_the_evidence_page_shows_withheld_cells_as_c(client_as, restructure):
    from django.urls import reverse

    page = client_as("board_member").get(reverse("eqia:evidence", args=[restructure.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Before the decision: snapshot of 31 March 2024" in text
    assert "[c]" in text


def test_read_id_list_skips_a_header_and_lists_every_problem():
    assert evidence.read_id_list("employee_id\nE1\n\nE2, extra\n") == ["E1", "E2"]
    with pytest.raises(evidence.IdListError) as raised:
        evidence.read_id_list("")
    assert raised.value.problems == ["The list has no employee ids"]
