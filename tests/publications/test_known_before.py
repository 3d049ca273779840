"""Before approval, everything already published for the snapshot counts as known: what it
withheld stays withheld, whichever publication (a correction, the open data) comes next."""

from __future__ import annotations

import pytest

from equitable.publications import services
from equitable.publications.keys import release_key
from equitable.publications.models import Kind
from equitable.workforce import services as workforce
from tests.publications.factories import published, store_snapshot

pytestmark = pytest.mark.slow


def withheld_counts(tables) -> set[tuple[str, int, str]]:
    out = set()
    for name, frame in tables.items():
        for column in ("count", "known", "prefer_not_to_say", "not_known", "bonus_count"):
            if column in frame.columns:
                out |= {(name, i, column) for i, v in enumerate(frame[column]) if v is None}
    return out


def test_the_open_data_release_never_shows_a_count_the_pay_gap_report_withheld(org, users):
    snapshot = store_snapshot(org)
    report = published(org, users["edi_officer"], users["org_admin"], snapshot)
    before = withheld_counts(services.tables_of(report))
    assert before  # the few Chinese staff, and what would give them away

    # The organisation lowers its threshold afterwards: on its own, the next release could
    # show some of what the report withheld (whether it does depends on the snapshot's key,
    # which draws each count's withholding limit, so it is not asserted here).
    org.suppression_threshold = 5
    org.save()
    draft = services.create_draft(users["edi_officer"], org, Kind.OPEN_DATA, snapshot)

    services.approve(users["org_admin"], draft)
    released = workforce.decode_tables(draft.tables)
    shared = {name: released[name] for name in services.tables_of(report)}
    assert before <= withheld_counts(shared)


def test_every_publication_of_a_snapshot_uses_its_one_release_key(org, users, tmp_path):
    snapshot = store_snapshot(org)
    key = release_key(org, snapshot.snapshot_date)
    assert len(key) == 32 and release_key(org, snapshot.snapshot_date) == key
    other = store_snapshot(org, snapshot.snapshot_date.replace(year=2024))
    assert release_key(org, other.snapshot_date) != key
