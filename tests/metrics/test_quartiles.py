"""Pay quarters: regulation 13 sizes, remainders and tied people shared pro rata."""

from __future__ import annotations

import numpy as np
import pytest

from equitable.metrics.figures import compute_all
from equitable.metrics.quartiles import quartile_counts, quartile_sizes, share_tied_block
from tests.metrics.frames import workforce


def quartile_table(frame, characteristic="sex", present_columns=None):
    name = "ethnicity" if characteristic == "ethnic_group" else characteristic
    table = compute_all(frame, present_columns=present_columns)[f"pay_quartiles_{name}"]
    return {(row["quartile"], row[characteristic]): row for row in table.iter_rows(named=True)}


@pytest.mark.parametrize(
    ("n", "sizes"),
    [
        (0, (0, 0, 0, 0)),
        (1, (1, 0, 0, 0)),
        (2, (1, 0, 1, 0)),
        (3, (1, 1, 1, 0)),
        (8, (2, 2, 2, 2)),  # r = 0: equal quarters
        (9, (3, 2, 2, 2)),  # r = 1: the lower quarter takes the extra person
        (10, (3, 2, 3, 2)),  # r = 2: lower and upper middle
        (11, (3, 3, 3, 2)),  # r = 3: lower, lower middle and upper middle; upper never
        (4445, (1112, 1111, 1111, 1111)),  # gov.uk worked example T3/T5
    ],
)
def test_sizes_follow_the_remainder_rule(n, sizes):
    assert quartile_sizes(n) == sizes
    assert sum(quartile_sizes(n)) == n


def test_guidance_tie_example_shares_36_women_4_men_as_9_plus_1_then_27_plus_3():
    """gov.uk: 40 on one rate (36 women, 4 men), 10 places in the lower quarter, 30 in the lower
    middle. Lower: 10 × 36/40 = 9 women, 10 × 4/40 = 1 man; lower middle: the other 27 + 3."""
    assert share_tied_block([36, 4], [10, 30]) == [[9, 1], [27, 3]]


def test_block_straddling_two_boundaries_is_shared_in_order():
    """8 tied people (6 F, 2 M) with places 1, 3, 3, 1 in the four quarters.

    Lower, 1 place: quotas 6/8 = 0.75 F, 2/8 = 0.25 M -> floors 0, 0; the place goes to the
    larger remainder: 1 F. Left 5 F, 2 M for 7 places.
    Lower middle, 3 places: 15/7 = 2.14 F, 6/7 = 0.86 M -> 2 F + 1 M. Left 3 F, 1 M.
    Upper middle, 3 places: 9/4 = 2.25 F, 3/4 = 0.75 M -> 2 F + 1 M. Left 1 F.
    Upper, 1 place: 1 F.
    """
    assert share_tied_block([6, 2], [1, 3, 3, 1]) == [[1, 0], [2, 1], [2, 1], [1, 0]]


def test_equal_remainders_go_to_the_larger_group_then_the_earlier():
    assert share_tied_block([1, 3], [2, 2]) == [[0, 2], [1, 1]]
    assert share_tied_block([1, 1], [1, 1]) == [[1, 0], [0, 1]]


def test_share_refuses_mismatched_places():
    with pytest.raises(ValueError, match="block of 4 people but 5 places"):
        share_tied_block([2, 2], [2, 3])


def test_tie_example_end_to_end():
    """160 people, quarters of 40. Positions 0-29: 30 people below the tie (sex not given);
    positions 30-69: 40 on £10.00 (36 women, 4 men) - 10 in the lower quarter, 30 in the lower
    middle; positions 70-159: 90 above, sex not given.
    Lower = 30 not known + 9 women + 1 man; lower middle = 27 women + 3 men + 10 not known."""
    pay = [1.0 + i / 100 for i in range(30)] + [10.0] * 40 + [20.0 + i / 100 for i in range(90)]
    sex = ["Not known"] * 30 + ["Female"] * 36 + ["Male"] * 4 + ["Not known"] * 90
    table = quartile_table(workforce(ethnicity=["Indian"] * 160, sex=sex, hourly_pay=pay))
    assert table[("Lower", "Female")]["count"] == 9
    assert table[("Lower", "Male")]["count"] == 1
    assert table[("Lower", "Not known")]["count"] == 30
    assert table[("Lower middle", "Female")]["count"] == 27
    assert table[("Lower middle", "Male")]["count"] == 3
    assert table[("Lower middle", "Not known")]["count"] == 10
    assert table[("Lower", "Female")]["total"] == 40
    assert table[("Lower", "Female")]["percent"] == pytest.approx(22.5)


def test_guidance_quarter_composition_example():
    """gov.uk T3: 4,445 people, quarters 1,112 / 1,111 / 1,111 / 1,111 with 187 / 110 / 298 /
    750 men. Men 16.8 / 9.9 / 26.8 / 67.5%, women 83.2 / 90.1 / 73.2 / 32.5%."""
    sizes = quartile_sizes(4445)
    men = (187, 110, 298, 750)
    sex = []
    for size, m in zip(sizes, men, strict=True):
        sex += ["Male"] * m + ["Female"] * (size - m)
    pay = [10.0 + i / 100 for i in range(4445)]
    table = quartile_table(workforce(ethnicity=["Indian"] * 4445, sex=sex, hourly_pay=pay))
    for quartile, m_pct, f_pct in zip(
        ("Lower", "Lower middle", "Upper middle", "Upper"),
        (16.8, 9.9, 26.8, 67.5),
        (83.2, 90.1, 73.2, 32.5),
        strict=True,
    ):
        assert round(table[(quartile, "Male")]["percent"], 1) == m_pct
        assert round(table[(quartile, "Female")]["percent"], 1) == f_pct


@pytest.mark.parametrize("n", [8, 9, 10, 11])
def test_every_remainder_end_to_end(n):
    """Distinct rates, everyone a woman except the top earner: quarter totals follow the rule
    and the one man is in the upper quarter."""
    pay = [float(i + 1) for i in range(n)]
    sex = ["Female"] * (n - 1) + ["Male"]
    table = quartile_table(workforce(ethnicity=["Indian"] * n, sex=sex, hourly_pay=pay))
    totals = tuple(
        table[(q, "Female")]["total"] for q in ("Lower", "Lower middle", "Upper middle", "Upper")
    )
    assert totals == quartile_sizes(n)
    assert table[("Upper", "Male")]["count"] == 1


def test_ethnicity_quartiles_keep_unknown_as_its_own_row_and_add_the_aggregate():
    """8 people, distinct rates: quarters of 2. Lowest two Unknown, next two Asian, then two
    Black, then two White. Aggregate = Asian + Black + Mixed + Other per quarter."""
    groups = ["Prefer not to say"] * 2 + ["Indian"] * 2 + ["African"] * 2 + ["Irish"] * 2
    frame = workforce(ethnicity=groups, hourly_pay=[float(i) for i in range(1, 9)])
    table = quartile_table(frame, "ethnic_group")
    assert table[("Lower", "Unknown")]["count"] == 2
    assert table[("Lower", "Unknown")]["percent"] == 100.0
    assert table[("Lower middle", "Asian")]["count"] == 2
    assert table[("Lower middle", "Black, Asian and Multi-ethnic")]["count"] == 2
    assert table[("Upper", "White")]["count"] == 2
    assert table[("Upper", "Black, Asian and Multi-ethnic")]["count"] == 0
    assert len(table) == 4 * 7


def test_everyone_on_one_rate_shares_all_quarters_by_mix():
    """12 people all on £10 (9 F, 3 M), quarters of 3, filled in order:
    Lower: 3 × 9/12 = 2.25 F, 0.75 M -> 2 F + 1 M (larger remainder). Left 7 F, 2 M.
    Lower middle: 3 × 7/9 = 2.33 F, 0.67 M -> 2 F + 1 M. Left 5 F, 1 M.
    Upper middle: 3 × 5/6 = 2.5 F, 0.5 M -> equal remainders, the larger group: 3 F. Left 2 F, 1 M.
    Upper: the rest, 2 F + 1 M."""
    counts = quartile_counts(np.full(12, 10.0), np.array([0] * 9 + [1] * 3), 2)
    assert counts.tolist() == [[2, 1], [2, 1], [3, 0], [2, 1]]
    assert counts.sum(axis=0).tolist() == [9, 3]


def test_no_one_paid_gives_empty_quarters():
    """The source had an hourly pay column but every value is blank."""
    frame = workforce(ethnicity=["Indian"], sex=["Male"], hourly_pay=[None])
    table = quartile_table(frame, present_columns={"ethnicity", "sex", "hourly_pay"})
    assert table[("Lower", "Male")]["count"] == 0
    assert table[("Lower", "Male")]["percent"] is None
