"""Is a new HR extract the same workforce as the snapshot before it? A continuity check.

Why: a snapshot compared with the one before is only meaningful when both describe the same
organisation counted the same way. An extract of another body, a subset (one directorate), or
one whose id column holds assignment numbers instead of employee numbers validates cleanly, and
its figures then read as a real change ("+13.2 points (better)" in a board report). People
cannot be compared by name (none are stored), but employee ids are stored as keyed hashes that
are the same for the same person in every snapshot, so the overlap of the two sets of hashes
says whether the extracts are of the same people.

Formulas, with P the previous snapshot's set of employee keys and N the new extract's:

* seen_before = |N ∩ P| / |N|: the share of the new extract's people already in the previous
  snapshot (1 − the share of joiners);
* still_here = |N ∩ P| / |P|: the share of the previous snapshot's people still present
  (1 − the share of leavers);
* headcount_change = (|N| − |P|) / |P|.

The extract "looks unrelated" when seen_before < SEEN_BEFORE_MIN or |headcount_change| >
HEADCOUNT_CHANGE_MAX. Why these thresholds: local government loses about 13-15% of its staff a
year (LGA workforce surveys; the demo's synthetic council 9%), so a year apart about 85% of the
people should be seen before and, even two years apart, about 70%. Fewer than half seen before
means most of the file is new people, far beyond turnover: almost always a different id scheme,
another organisation or a partial extract. A council's headcount rarely moves by more than a
few per cent a year; more than 30% is a TUPE transfer, an outsourcing or a wrong file, and each
of those should be confirmed by a person before the figures are compared. Both are warnings a
person confirms, never refusals: a real restructure is possible.

Pure module (no Django): sets of keys in, numbers out. Keys are the hashes, never raw ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Below this share of the new extract's ids seen in the previous snapshot, ask for confirmation.
SEEN_BEFORE_MIN = 0.5
# Above this relative change in headcount (either way), ask for confirmation.
HEADCOUNT_CHANGE_MAX = 0.3


@dataclass(frozen=True)
class Continuity:
    """How a new extract's people compare with the previous snapshot's (counts of keys)."""

    previous_headcount: int
    headcount: int
    in_both: int

    @property
    def seen_before(self) -> float | None:
        """|N ∩ P| / |N|, or None for an empty extract."""
        return self.in_both / self.headcount if self.headcount else None

    @property
    def still_here(self) -> float | None:
        """|N ∩ P| / |P|, or None when the previous snapshot was empty."""
        return self.in_both / self.previous_headcount if self.previous_headcount else None

    @property
    def headcount_change(self) -> float | None:
        """(|N| − |P|) / |P|, or None when the previous snapshot was empty."""
        if not self.previous_headcount:
            return None
        return (self.headcount - self.previous_headcount) / self.previous_headcount

    @property
    def reasons(self) -> list[str]:
        """Why the extract looks unrelated, in words; empty when it does not."""
        reasons = []
        seen = self.seen_before
        if seen is not None and seen < SEEN_BEFORE_MIN:
            reasons.append(
                f"only {seen:.0%} of its employee ids were in the previous snapshot "
                f"(below {SEEN_BEFORE_MIN:.0%})"
            )
        change = self.headcount_change
        if change is not None and abs(change) > HEADCOUNT_CHANGE_MAX:
            reasons.append(
                f"the headcount changes by {change:+.0%} ({self.previous_headcount:,} to "
                f"{self.headcount:,}; more than {HEADCOUNT_CHANGE_MAX:.0%} either way)"
            )
        return reasons

    @property
    def looks_unrelated(self) -> bool:
        return bool(self.reasons)


def compare(previous_keys: Iterable[str | None], keys: Iterable[str | None]) -> Continuity:
    """Compare two sets of employee keys (blank keys ignored; each key counted once)."""
    previous = {key for key in previous_keys if key}
    current = {key for key in keys if key}
    return Continuity(len(previous), len(current), len(previous & current))
