"""Pay quarters as regulation 13 of the Gender Pay Gap regulations builds them.

Source: The Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017,
Schedule 1 paragraph 13 (https://www.legislation.gov.uk/uksi/2017/353/schedule/1/made) and the
gov.uk guidance on making the calculations
(https://www.gov.uk/guidance/gender-pay-gap-reporting-make-your-calculations).

1. Rank everyone with an hourly rate from lowest to highest paid.
2. Split into four quarters of, so far as possible, equal size. With N = 4q + r the lower quarter
   takes an extra person when r >= 1, the upper middle when r >= 2, the lower middle when r = 3;
   the upper quarter never does.
3. People on the same hourly rate who straddle a boundary are shared between the quarters so that
   each quarter gets, as nearly as whole people allow, the same mix of groups as the tied block.
"""

from __future__ import annotations

import numpy as np


def quartile_sizes(n: int) -> tuple[int, int, int, int]:
    """Sizes of the lower, lower middle, upper middle and upper quarters for n people.

    >>> quartile_sizes(4445)
    (1112, 1111, 1111, 1111)
    >>> [quartile_sizes(n) for n in (8, 9, 10, 11)]
    [(2, 2, 2, 2), (3, 2, 2, 2), (3, 2, 3, 2), (3, 3, 3, 2)]
    """
    q, r = divmod(n, 4)
    return (q + (r >= 1), q + (r >= 3), q + (r >= 2), q)


def share_tied_block(group_counts: list[int], places: list[int]) -> list[list[int]]:
    """Share a block of people on one hourly rate between the quarters it straddles.

    `group_counts[g]` people of group g are in the block; `places[k]` of the block's positions
    fall in quarter k (so both sum to the block size). Quarters are filled in order; each takes
    its places in proportion to the block's remaining mix, whole people by largest remainder
    (ties in the remainder go to the larger group, then to the earlier group). Exact integer
    arithmetic, so the result never depends on float rounding.

    The guidance's example: 40 people (36 women, 4 men) with 10 places in the lower quarter and 30
    in the lower middle:

    >>> share_tied_block([36, 4], [10, 30])
    [[9, 1], [27, 3]]
    """
    remaining = list(group_counts)
    left = sum(remaining)
    if left != sum(places):
        raise ValueError(f"block of {left} people but {sum(places)} places")
    shares: list[list[int]] = []
    for quarter_places in places:
        if quarter_places == 0 or left == 0:
            shares.append([0] * len(remaining))
            continue
        floors = [quarter_places * count // left for count in remaining]
        remainders = [quarter_places * count % left for count in remaining]
        shortfall = quarter_places - sum(floors)
        by_remainder = sorted(
            range(len(remaining)), key=lambda g: (-remainders[g], -remaining[g], g)
        )
        for g in by_remainder[:shortfall]:
            floors[g] += 1
        shares.append(floors)
        remaining = [count - taken for count, taken in zip(remaining, floors, strict=True)]
        left -= quarter_places
    return shares


def quartile_counts(sorted_pay: np.ndarray, sorted_codes: np.ndarray, n_codes: int) -> np.ndarray:
    """Head count of each code in each quarter: a 4 × n_codes integer matrix.

    `sorted_pay` is ascending and `sorted_codes` gives each person's group in the same order (the
    workforce's single pay sort). Positions give everyone a nominal quarter; then every block of
    equal pay that crosses a boundary is taken out and shared back with `share_tied_block`.
    """
    n = len(sorted_pay)
    sizes = quartile_sizes(n)
    edges = np.concatenate(([0], np.cumsum(sizes)))
    counts = np.zeros((4, n_codes), dtype=np.int64)
    for k in range(4):
        counts[k] = np.bincount(sorted_codes[edges[k] : edges[k + 1]], minlength=n_codes)

    handled_blocks: set[int] = set()
    for boundary in edges[1:4]:
        if boundary <= 0 or boundary >= n or sorted_pay[boundary - 1] != sorted_pay[boundary]:
            continue
        rate = sorted_pay[boundary]
        start = int(np.searchsorted(sorted_pay, rate, side="left"))
        if start in handled_blocks:
            continue  # a block straddling two boundaries is shared once
        handled_blocks.add(start)
        end = int(np.searchsorted(sorted_pay, rate, side="right"))
        places = []
        for k in range(4):
            lo, hi = max(start, edges[k]), min(end, edges[k + 1])
            places.append(max(0, hi - lo))
            if hi > lo:
                counts[k] -= np.bincount(sorted_codes[lo:hi], minlength=n_codes)
        block = np.bincount(sorted_codes[start:end], minlength=n_codes).tolist()
        for k, share in enumerate(share_tied_block(block, places)):
            counts[k] += np.asarray(share, dtype=np.int64)
    return counts
