"""What earlier publications withheld, read back as populations to withhold again."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.metrics.disclosure_control import protect
from equitable.metrics.layout import LayoutError
from equitable.metrics.publication.known import all_withheld, withheld_populations
from equitable.metrics.publication.release import release_tables

KEY = bytes(32)


def key_that_shows_seven() -> bytes:
    """A release key under which a count of 7 is shown at threshold 5: the release draws each
    count's withholding limit from the key (5 to 17 at threshold 5), so some keys withhold it."""
    for number in range(200):
        key = number.to_bytes(32, "big")
        released = release_tables({"disclosure": disclosure(7)}, key=key, threshold=5)
        if released.tables["disclosure"]["prefer_not_to_say"][0] is not None:
            return key
    raise AssertionError("no key among 200 shows a count of 7 at threshold 5")


def disclosure(prefer_not_to_say: int) -> pl.DataFrame:
    """Ethnicity: 200 staff, 180 known, the rest split between "prefer not to say" and "not
    known"."""
    return pl.DataFrame(
        {
            "characteristic": ["ethnicity"],
            "known": [180],
            "prefer_not_to_say": [prefer_not_to_say],
            "not_known": [20 - prefer_not_to_say],
            "total": [200],
            "percent_known": [90.0],
        }
    )


def test_a_count_withheld_earlier_stays_withheld_when_the_threshold_is_lowered():
    first = protect({"disclosure": disclosure(7)}, threshold=10)
    row = first["disclosure"].row(0, named=True)
    assert row["prefer_not_to_say"] is None and row["not_known"] is None  # 7, and 13 = 20 − 7
    known = withheld_populations([first])
    assert len(known) == 2
    # At threshold 5 the 7 would be shown, and with it the 13; told what was withheld before,
    # the release withholds both again.
    key = key_that_shows_seven()
    fresh = release_tables({"disclosure": disclosure(7)}, key=key, threshold=5)
    assert fresh.tables["disclosure"]["prefer_not_to_say"][0] is not None  # 7, moved a little
    again = release_tables({"disclosure": disclosure(7)}, key=key, threshold=5, withhold=known)
    assert again.tables["disclosure"]["prefer_not_to_say"][0] is None
    assert again.tables["disclosure"]["not_known"][0] is None
    assert again.tables["disclosure"]["known"][0] is not None  # shown before, shown again


def test_each_population_is_listed_once_across_publications():
    first = protect({"disclosure": disclosure(7)}, threshold=10)
    assert len(withheld_populations([first, first])) == 2
    assert withheld_populations([protect({"disclosure": disclosure(0)}, threshold=5)]) == []


def test_a_table_without_a_layout_is_refused():
    with pytest.raises(LayoutError):
        withheld_populations([{"mystery": pl.DataFrame({"count": [None]})}])


def test_a_release_that_withholds_everything_known_needs_nothing_forced():
    first = protect({"disclosure": disclosure(7)}, threshold=10)
    known = withheld_populations([first])
    same = release_tables({"disclosure": disclosure(7)}, key=KEY, threshold=10)
    assert all_withheld(known, withheld_populations([same.tables]))
    lowered = release_tables({"disclosure": disclosure(7)}, key=key_that_shows_seven(), threshold=5)
    assert not all_withheld(known, withheld_populations([lowered.tables]))
    assert all_withheld([], [])
