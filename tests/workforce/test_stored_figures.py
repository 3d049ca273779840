"""A snapshot's figures are computed once and kept in the database, so that every web process
reads the same tables instead of computing (and protecting) them again."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from equitable.workforce import services
from equitable.workforce.models import SnapshotFigures

pytestmark = pytest.mark.django_db


def _as_another_process_sees_it() -> None:
    services._tables_memo.clear()


def test_stored_tables_read_back_as_they_were_with_dates_flags_and_gaps():
    tables = {
        "dated": pl.DataFrame(
            {
                "snapshot_date": [date(2025, 3, 31), None],
                "group": ["Asian", None],
                "count": [12, None],
                "percent": [12.5, None],
                "suppressed": [False, True],
            }
        ),
        "undated": pl.DataFrame({"count": [1, 2], "suppressed": [True, None]}),
        "empty": pl.DataFrame(schema={"group": pl.String, "count": pl.Int64}),
    }
    decoded = services.decode_tables(services.encode_tables(tables))
    for name, table in tables.items():
        assert_frame_equal(decoded[name], table)


def test_a_second_process_reads_the_protected_figures_without_protecting_again(
    org, snapshot, monkeypatch
):
    first = services.published_tables(snapshot)
    _as_another_process_sees_it()

    def must_not_protect(*args, **kwargs):
        raise AssertionError("the stored figures should have been read")

    monkeypatch.setattr(services, "protect_for", must_not_protect)
    again = services.published_tables(snapshot)
    assert again.keys() == first.keys()
    for name in first:
        assert_frame_equal(again[name], first[name])


def test_a_new_threshold_is_never_read_from_figures_stored_under_the_old_one(org, snapshot):
    services.published_tables(snapshot)
    stored_key = SnapshotFigures.objects.get(snapshot=snapshot).published_key
    org.suppression_threshold = 16
    org.save()
    _as_another_process_sees_it()
    snapshot.refresh_from_db()
    rows = services.published_tables(snapshot)["representation_overall"].to_dicts()
    assert all(r["count"] is None or r["count"] == 0 or r["count"] >= 16 for r in rows)
    assert SnapshotFigures.objects.get(snapshot=snapshot).published_key != stored_key
