"""Mean and median pay gaps and bonus gaps, by ethnicity, sex, disability and ethnicity by sex.

Formulas (Gender Pay Gap regulations, SI 2017/353 Schedule 1 paragraphs 8-12,
https://www.legislation.gov.uk/uksi/2017/353/schedule/1/made; the ethnicity pay reporting
guidance applies them with an ethnic reference group,
https://www.gov.uk/government/publications/ethnicity-pay-reporting-guidance-for-employers):

    mean gap %   = (mean_ref − mean_group) / mean_ref × 100
    median gap % = (median_ref − median_group) / median_ref × 100
    bonus gaps   : the same over those paid a bonus (> 0) in the 12 months to the snapshot
    bonus share  = people in the group paid a bonus / people in the group × 100

Positive means the group is paid less than the reference group. People who did not disclose the
characteristic compared are left out of both sides of every gap.

Speed: everyone sits in one of 288 finest cells (ethnic group × White British × sex × disability),
already in pay order. A group is a union of cells, so its count and sum come from per-cell totals;
its median comes from a per-cell, per-block count table (find the block holding the k-th member,
then look inside that block only). No group needs its own sort.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    ALL_ETHNIC_MINORITIES,
    ETHNIC_GROUP_VALUES,
    WHITE,
    WHITE_BRITISH,
    WHITE_OTHER_THAN_BRITISH,
)
from equitable.metrics.layout import (
    PAID,
    PAID_A_BONUS,
    Count,
    Gap,
    Layout,
    Mean,
    Median,
    Part,
    Restriction,
    Share,
    disability_label,
    ethnicity_label,
    fixed,
    key,
    of,
    reference_group,
    sex_label,
    unrestricted,
)
from equitable.metrics.prepared import (
    CELL_DISABILITY,
    CELL_GROUP,
    CELL_SEX,
    CELL_WHITE_BRITISH,
    N_CELLS,
    UNKNOWN_GROUP_CODE,
    PreparedWorkforce,
)

GROUP_CODE = {label: code for code, label in enumerate(ETHNIC_GROUP_VALUES)}
MINORITY_GROUPS = ("Asian", "Black", "Mixed", "Other")  # compared against White (WRES)
FEMALE, MALE = 0, 1
DISABLED, NOT_DISABLED = 0, 1


@dataclass(frozen=True)
class Summary:
    """Head count, mean and median of one group's values (None when the group is empty)."""

    count: int
    mean: float | None
    median: float | None


class CellDistribution:
    """Values already in ascending order, each tagged with its finest cell.

    Built once per measure (hourly pay, bonus pay); `summary(mask)` then answers for any union
    of cells in time proportional to the number of blocks, not the number of people.
    """

    def __init__(
        self, sorted_values: np.ndarray, sorted_cells: np.ndarray, block: int | None = None
    ):
        self.values = sorted_values
        self.cells = sorted_cells
        n = len(sorted_values)
        # About 512 blocks: the per-group work is O(cells × blocks + block size).
        self.block = block or max(1024, n // 512)
        n_blocks = max(1, -(-n // self.block))
        self.counts = np.bincount(sorted_cells, minlength=N_CELLS)
        self.sums = np.bincount(sorted_cells, weights=sorted_values, minlength=N_CELLS)
        block_of = np.arange(n, dtype=np.int32) // self.block
        flat = np.bincount(
            sorted_cells.astype(np.int32) * n_blocks + block_of, minlength=N_CELLS * n_blocks
        )
        self.block_counts = flat.reshape(N_CELLS, n_blocks)

    def summary(self, mask: np.ndarray) -> Summary:
        count = int(self.counts[mask].sum())
        if count == 0:
            return Summary(0, None, None)
        mean = float(self.sums[mask].sum() / count)
        per_block = np.cumsum(self.block_counts[mask].sum(axis=0))
        low = self._kth(mask, per_block, (count - 1) // 2)
        high = self._kth(mask, per_block, count // 2)
        return Summary(count, mean, (low + high) / 2)

    def _kth(self, mask: np.ndarray, cumulative: np.ndarray, k: int) -> float:
        """The k-th smallest value (0-based) among people whose cell is in `mask`."""
        block = int(np.searchsorted(cumulative, k, side="right"))
        before = int(cumulative[block - 1]) if block else 0
        start = block * self.block
        inside = np.flatnonzero(mask[self.cells[start : start + self.block]])
        return float(self.values[start + inside[k - before]])


def gap_percent(reference: float | None, group: float | None) -> float | None:
    """(reference − group) / reference × 100; None when either is missing or reference is 0."""
    if reference is None or group is None or reference == 0:
        return None
    return (reference - group) / reference * 100


# --- the groups compared, as masks over the 288 cells --------------------------------------


def ethnic_group_mask(label: str) -> np.ndarray:
    if label == AGGREGATE_LABEL:
        return (CELL_GROUP != GROUP_CODE[WHITE]) & (CELL_GROUP != UNKNOWN_GROUP_CODE)
    return CELL_GROUP == GROUP_CODE[label]


def ons_group_mask(label: str) -> np.ndarray:
    """ONS grouping: White British against each minority, White minorities included."""
    if label == WHITE_BRITISH:
        return CELL_WHITE_BRITISH == 0
    minority = (CELL_WHITE_BRITISH == 1) & (CELL_GROUP != UNKNOWN_GROUP_CODE)
    if label == ALL_ETHNIC_MINORITIES:
        return minority
    group = WHITE if label == WHITE_OTHER_THAN_BRITISH else label
    return minority & (CELL_GROUP == GROUP_CODE[group])


WRES_COMPARISONS = [*MINORITY_GROUPS, AGGREGATE_LABEL]
ONS_COMPARISONS = [*MINORITY_GROUPS, WHITE_OTHER_THAN_BRITISH, ALL_ETHNIC_MINORITIES]


@dataclass(frozen=True)
class Comparison:
    """One row of a gap table: its key columns, the group's cells and the reference's cells."""

    keys: dict[str, str]
    group: np.ndarray
    reference: np.ndarray
    reference_label: str


def ethnicity_comparisons(include_ons: bool) -> list[Comparison]:
    white = ethnic_group_mask(WHITE)
    rows = [
        Comparison(
            {"grouping": "wres", "ethnic_group": label}, ethnic_group_mask(label), white, WHITE
        )
        for label in WRES_COMPARISONS
    ]
    if include_ons:
        reference = ons_group_mask(WHITE_BRITISH)
        rows += [
            Comparison(
                {"grouping": "ons", "ethnic_group": label},
                ons_group_mask(label),
                reference,
                WHITE_BRITISH,
            )
            for label in ONS_COMPARISONS
        ]
    return rows


def sex_comparisons() -> list[Comparison]:
    return [Comparison({"sex": "Female"}, CELL_SEX == FEMALE, CELL_SEX == MALE, "Male")]


def disability_comparisons() -> list[Comparison]:
    return [
        Comparison(
            {"disability": "Disabled"},
            CELL_DISABILITY == DISABLED,
            CELL_DISABILITY == NOT_DISABLED,
            "Not disabled",
        )
    ]


def ethnicity_by_sex_comparisons() -> list[Comparison]:
    """Intersectional rows, two ways.

    `within_sex`: each group against White people of the same sex (isolates ethnicity).
    `vs_white_men`: each group of each sex against White men (the combined gap, as
    intersectional pay gap reports show it).
    """
    rows: list[Comparison] = []
    white_men = ethnic_group_mask(WHITE) & (CELL_SEX == MALE)
    for sex_code, sex in ((FEMALE, "Female"), (MALE, "Male")):
        of_sex = CELL_SEX == sex_code
        white_of_sex = ethnic_group_mask(WHITE) & of_sex
        for label in WRES_COMPARISONS:
            rows.append(
                Comparison(
                    {"comparison": "within_sex", "sex": sex, "ethnic_group": label},
                    ethnic_group_mask(label) & of_sex,
                    white_of_sex,
                    f"{WHITE} {sex.lower()}",
                )
            )
        for label in (*WRES_COMPARISONS, WHITE):
            if label == WHITE and sex == "Male":
                continue
            rows.append(
                Comparison(
                    {"comparison": "vs_white_men", "sex": sex, "ethnic_group": label},
                    ethnic_group_mask(label) & of_sex,
                    white_men,
                    "White male",
                )
            )
    return rows


# --- tables ------------------------------------------------------------------------------


def pay_gap_table(
    distribution: CellDistribution, comparisons: list[Comparison], note: Callable[..., None]
) -> pl.DataFrame:
    """Mean and median hourly pay gap for each comparison, one flat row each."""
    rows = []
    for comparison in comparisons:
        group = distribution.summary(comparison.group)
        reference = distribution.summary(comparison.reference)
        if reference.count == 0:
            note(
                f"no one with an hourly rate in the reference group {comparison.reference_label}",
                subject="empty_pay_reference",
                group=comparison.reference_label,
                count=0,
            )
        rows.append(
            {
                **comparison.keys,
                "reference_group": comparison.reference_label,
                "count": group.count,
                "reference_count": reference.count,
                "mean_hourly_pay": group.mean,
                "reference_mean_hourly_pay": reference.mean,
                "median_hourly_pay": group.median,
                "reference_median_hourly_pay": reference.median,
                "mean_gap_percent": gap_percent(reference.mean, group.mean),
                "median_gap_percent": gap_percent(reference.median, group.median),
            }
        )
    return _frame(rows, _pay_schema(comparisons))


def bonus_gap_table(
    bonuses: CellDistribution,
    everyone_counts: np.ndarray,
    comparisons: list[Comparison],
    note: Callable[..., None],
) -> pl.DataFrame:
    """Bonus gaps over those paid a bonus, and the share of each side paid one.

    `everyone_counts` is the head count per cell of all relevant employees (the share's
    denominator), `bonuses` the distribution of bonus amounts > 0.
    """
    rows = []
    for comparison in comparisons:
        group = bonuses.summary(comparison.group)
        reference = bonuses.summary(comparison.reference)
        group_total = int(everyone_counts[comparison.group].sum())
        reference_total = int(everyone_counts[comparison.reference].sum())
        if reference.count == 0:
            note(
                f"no one paid a bonus in the reference group {comparison.reference_label}",
                subject="empty_bonus_reference",
                group=comparison.reference_label,
                count=0,
            )
        rows.append(
            {
                **comparison.keys,
                "reference_group": comparison.reference_label,
                "count": group_total,
                "reference_count": reference_total,
                "bonus_count": group.count,
                "reference_bonus_count": reference.count,
                "percent_receiving_bonus": _share(group.count, group_total),
                "reference_percent_receiving_bonus": _share(reference.count, reference_total),
                "mean_bonus": group.mean,
                "reference_mean_bonus": reference.mean,
                "median_bonus": group.median,
                "reference_median_bonus": reference.median,
                "mean_bonus_gap_percent": gap_percent(reference.mean, group.mean),
                "median_bonus_gap_percent": gap_percent(reference.median, group.median),
            }
        )
    return _frame(rows, _bonus_schema(comparisons))


def _share(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def _key_schema(comparisons: list[Comparison]) -> dict[str, pl.DataType]:
    keys = comparisons[0].keys if comparisons else {}
    schema: dict[str, pl.DataType] = {name: pl.String() for name in keys}
    return schema | {"reference_group": pl.String()}


def _pay_schema(comparisons: list[Comparison]) -> dict[str, pl.DataType]:
    return _key_schema(comparisons) | {
        "count": pl.Int64(),
        "reference_count": pl.Int64(),
        "mean_hourly_pay": pl.Float64(),
        "reference_mean_hourly_pay": pl.Float64(),
        "median_hourly_pay": pl.Float64(),
        "reference_median_hourly_pay": pl.Float64(),
        "mean_gap_percent": pl.Float64(),
        "median_gap_percent": pl.Float64(),
    }


def _bonus_schema(comparisons: list[Comparison]) -> dict[str, pl.DataType]:
    return _key_schema(comparisons) | {
        "count": pl.Int64(),
        "reference_count": pl.Int64(),
        "bonus_count": pl.Int64(),
        "reference_bonus_count": pl.Int64(),
        "percent_receiving_bonus": pl.Float64(),
        "reference_percent_receiving_bonus": pl.Float64(),
        "mean_bonus": pl.Float64(),
        "reference_mean_bonus": pl.Float64(),
        "median_bonus": pl.Float64(),
        "reference_median_bonus": pl.Float64(),
        "mean_bonus_gap_percent": pl.Float64(),
        "median_bonus_gap_percent": pl.Float64(),
    }


def _frame(rows: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows in the order given (the comparisons' fixed order is the sort order)."""
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def pay_distribution(workforce: PreparedWorkforce) -> CellDistribution:
    return CellDistribution(workforce.sorted_pay, workforce.sorted_cells)


def bonus_distribution(workforce: PreparedWorkforce) -> CellDistribution:
    """Bonus amounts of everyone paid a bonus (> 0), sorted once."""
    assert workforce.bonus_pay is not None
    paid = np.flatnonzero(workforce.bonus_pay > 0)
    order = paid[np.argsort(workforce.bonus_pay[paid], kind="stable")]
    return CellDistribution(workforce.bonus_pay[order], workforce.cells[order])


# --- layouts (what every number of a gap table counts, for disclosure control) -------------

# The key columns of each gap table and the people each row's group is, by column.
_GROUP_KEYS: dict[str, tuple[tuple[str, object], ...]] = {
    "ethnicity": (("grouping", unrestricted), ("ethnic_group", ethnicity_label)),
    "sex": (("sex", sex_label),),
    "disability": (("disability", disability_label),),
    "ethnicity_by_sex": (
        ("comparison", unrestricted),
        ("sex", sex_label),
        ("ethnic_group", ethnicity_label),
    ),
}


def _sides(subject: str, scope: Restriction) -> tuple[tuple[str, ...], list[Part], list[Part]]:
    keys = _GROUP_KEYS[subject]
    group = [fixed(scope), *(key(column, vocabulary) for column, vocabulary in keys)]  # type: ignore[arg-type]
    reference = [fixed(scope), key("reference_group", reference_group)]
    return (*(column for column, _ in keys), "reference_group"), group, reference


def pay_gap_layout(subject: str) -> Layout:
    """`count` and `reference_count` are the people with an hourly rate in the group and the
    reference group; each mean is their summed hourly pay over that count; each gap a figure
    of the two means (medians)."""
    keys, group, reference = _sides(subject, PAID)
    return Layout(
        keys=keys,
        columns=(
            Count("count", of(*group)),
            Count("reference_count", of(*reference)),
            Mean("mean_hourly_pay", "count", "hourly_pay"),
            Mean("reference_mean_hourly_pay", "reference_count", "hourly_pay"),
            Median("median_hourly_pay", "count"),
            Median("reference_median_hourly_pay", "reference_count"),
            Gap("mean_gap_percent", "mean_hourly_pay", "reference_mean_hourly_pay"),
            Gap("median_gap_percent", "median_hourly_pay", "reference_median_hourly_pay"),
        ),
        warnings=True,
    )


def bonus_gap_layout(subject: str) -> Layout:
    """`count` is everyone in the group, `bonus_count` those paid a bonus; the share paid one
    is of the two; mean and median bonuses are over those paid one."""
    keys, everyone, reference_everyone = _sides(subject, {})
    _, paid, reference_paid = _sides(subject, PAID_A_BONUS)
    return Layout(
        keys=keys,
        columns=(
            Count("count", of(*everyone)),
            Count("reference_count", of(*reference_everyone)),
            Count("bonus_count", of(*paid)),
            Count("reference_bonus_count", of(*reference_paid)),
            Share("percent_receiving_bonus", "bonus_count", "count"),
            Share("reference_percent_receiving_bonus", "reference_bonus_count", "reference_count"),
            Mean("mean_bonus", "bonus_count", "bonus_pay"),
            Mean("reference_mean_bonus", "reference_bonus_count", "bonus_pay"),
            Median("median_bonus", "bonus_count"),
            Median("reference_median_bonus", "reference_bonus_count"),
            Gap("mean_bonus_gap_percent", "mean_bonus", "reference_mean_bonus"),
            Gap("median_bonus_gap_percent", "median_bonus", "reference_median_bonus"),
        ),
        warnings=True,
    )
