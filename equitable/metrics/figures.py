"""Every workforce equality figure for one snapshot: `compute_all(frame) -> {name: table}`.

Frames in, frames out, no Django. Each table is flat (one row per group per cell) and its row
order is fixed here, never left to polars. A table whose columns the extract lacked is left out
and the `notes` table says why (kind "skipped"); `skipped(tables)` gives the same as a dict.
Formulas and sources for every figure: docs/metrics.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any, Generic, TypeVar

import numpy as np
import polars as pl

from equitable.metrics import disclosure_rates, paygap, representation
from equitable.metrics.labels import (
    AGGREGATE_LABEL,
    DISABILITY_VALUES,
    ETHNIC_GROUP_VALUES,
    NOT_RECORDED,
    QUARTILES,
    SEX_VALUES,
    UNKNOWN_GROUP,
    WHITE,
)
from equitable.metrics.layout import (
    IN_A_LEADERSHIP_TIER,
    IN_TOP_5_PERCENT,
    NO_HOURLY_RATE,
    PAID,
    PAID_A_BONUS,
    Count,
    Layout,
    Mention,
    Share,
    disability_label,
    ethnicity_label,
    fixed,
    key,
    of,
    quartile_label,
    reference_group,
    sex_label,
)
from equitable.metrics.prepared import (
    CELL_DISABILITY,
    CELL_GROUP,
    CELL_SEX,
    DIMENSIONS,
    N_CELLS,
    PreparedWorkforce,
    percent,
    prepare,
)
from equitable.metrics.quartiles import quartile_counts
from equitable.metrics.representation import Population

FIGURE_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "disclosure": ("ethnic_group",),
    "disclosure_by_directorate": ("ethnic_group", "directorate"),
    "representation_overall": ("ethnic_group",),
    "representation_detailed_overall": ("ethnicity",),
    **{f"representation_by_{d}": ("ethnic_group", d) for d in DIMENSIONS},
    "representation_in_leadership_tiers": ("ethnic_group", "leadership_tier"),
    "top_5_percent_earners": ("ethnic_group", "hourly_pay"),
    "top_5_percent_earners_by_sex": ("sex", "hourly_pay"),
    "top_5_percent_earners_by_disability": ("disability", "hourly_pay"),
    "pay_gap_ethnicity": ("ethnic_group", "hourly_pay"),
    "pay_gap_sex": ("sex", "hourly_pay"),
    "pay_gap_disability": ("disability", "hourly_pay"),
    "pay_gap_ethnicity_by_sex": ("ethnic_group", "sex", "hourly_pay"),
    "bonus_gap_ethnicity": ("ethnic_group", "bonus_pay"),
    "bonus_gap_sex": ("sex", "bonus_pay"),
    "bonus_gap_disability": ("disability", "bonus_pay"),
    "pay_quartiles_ethnicity": ("ethnic_group", "hourly_pay"),
    "pay_quartiles_sex": ("sex", "hourly_pay"),
    "pay_quartiles_disability": ("disability", "hourly_pay"),
}

# The characteristic behind each quartile / top-5% breakdown: its cell component and labels.
_CHARACTERISTIC_CELLS: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {
    "ethnic_group": (CELL_GROUP, ETHNIC_GROUP_VALUES),
    "sex": (CELL_SEX, SEX_VALUES),
    "disability": (CELL_DISABILITY, DISABILITY_VALUES),
}
T = TypeVar("T")
_NOTES_SCHEMA = {
    "table": pl.String(),
    "kind": pl.String(),
    "message": pl.String(),
    "subject": pl.String(),
    "group": pl.String(),
    "count": pl.Int64(),
    "total": pl.Int64(),
}


class Notes:
    """Why a table is missing, or what a reader should know about it.

    A sentence that prints a number of people is a publication too: it names its `subject`
    (a key of NOTE_MENTIONS, which says whom the numbers count) and carries the numbers in
    `count` and `total`, so disclosure control can withhold them and reword the sentence."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        table: str,
        kind: str,
        message: str,
        *,
        subject: str | None = None,
        group: str | None = None,
        count: int | None = None,
        total: int | None = None,
    ) -> None:
        row = {
            "table": table,
            "kind": kind,
            "message": message,
            "subject": subject,
            "group": group,
            "count": count,
            "total": total,
        }
        if row not in self.rows:
            self.rows.append(row)

    def for_table(self, table: str) -> Callable[..., None]:
        return lambda message, **numbers: self.add(table, "warning", message, **numbers)

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame(self.rows, schema=_NOTES_SCHEMA)


def _effective_present(frame: pl.DataFrame, present_columns: set[str] | None) -> set[str] | None:
    """`ethnic_group` and `white_british` are derived from `ethnicity` by ingestion."""
    if present_columns is None:
        return None
    present = set(present_columns)
    if "ethnicity" in present:
        for derived in ("ethnic_group", "white_british"):
            if derived in frame.columns and frame[derived].null_count() < frame.height:
                present.add(derived)
    return present


def compute_all(
    frame: pl.DataFrame,
    population: pl.DataFrame | None = None,
    present_columns: set[str] | None = None,
    decimals: int | None = None,
) -> dict[str, pl.DataFrame]:
    """Compute every figure the frame's columns allow.

    `present_columns` names the columns the source file had (the contract keeps the others as
    all-null columns); when None, any column with a value counts as present. `population` is the
    resident population frame (`ethnic_group`, `percent`, optional `ethnicity`). `decimals`
    rounds every float column at the end (None keeps full precision for further arithmetic).
    Raises FigureInputError when values break the contract.
    """
    workforce = prepare(frame, _effective_present(frame, present_columns))
    resident = Population.from_frame(population) if population is not None else None
    notes = Notes()
    tables: dict[str, pl.DataFrame] = {}
    builders = _builders(workforce, resident, notes)
    for name, requirements in FIGURE_REQUIREMENTS.items():
        missing = [column for column in requirements if not workforce.has(column)]
        if missing:
            reasons = [workforce.remarks[c] for c in missing if c in workforce.remarks]
            message = "; ".join(reasons) or f"the extract has no {' or '.join(missing)} column"
            notes.add(name, "skipped", message)
            continue
        tables[name] = builders[name]()
    _note_pay_coverage(workforce, notes)
    tables["notes"] = notes.frame()
    if decimals is not None:
        tables = {name: _round(table, decimals) for name, table in tables.items()}
    return tables


def skipped(tables: Mapping[str, pl.DataFrame]) -> dict[str, str]:
    """{table: reason} for every table compute_all left out."""
    notes = tables.get("notes")
    if notes is None:
        return {}
    rows = notes.filter(pl.col("kind") == "skipped").iter_rows(named=True)
    return {row["table"]: row["message"] for row in rows}


def compute_trends(
    snapshots: Mapping[date, pl.DataFrame],
    population: pl.DataFrame | None = None,
    present_columns: set[str] | None = None,
    decimals: int | None = None,
) -> dict[str, pl.DataFrame]:
    """Every figure for each dated snapshot, stacked with a leading `snapshot_date` column.

    Rows are ordered by snapshot date, then each table's own order. A table present in only some
    snapshots is stacked from those (columns missing from one snapshot become null).
    """
    stacked: dict[str, list[pl.DataFrame]] = {}
    for snapshot_date in sorted(snapshots):
        tables = compute_all(snapshots[snapshot_date], population, present_columns, decimals)
        for name, table in tables.items():
            dated = table.select(
                pl.lit(snapshot_date, dtype=pl.Date).alias("snapshot_date"), pl.all()
            )
            stacked.setdefault(name, []).append(dated)
    return {name: pl.concat(parts, how="diagonal_relaxed") for name, parts in stacked.items()}


# --- the builders --------------------------------------------------------------------------


def _builders(
    workforce: PreparedWorkforce, resident: Population | None, notes: Notes
) -> dict[str, Callable[[], pl.DataFrame]]:
    coded = workforce.coded
    builders: dict[str, Callable[[], pl.DataFrame]] = {
        "disclosure": lambda: disclosure_rates.overall(workforce.disclosure_status),
        "disclosure_by_directorate": lambda: disclosure_rates.by_dimension(
            "directorate", coded["directorate"], workforce.disclosure_status
        ),
        "representation_overall": lambda: representation.representation_frame(
            [],
            representation.group_rows(
                {}, np.bincount(coded["ethnic_group"].codes, minlength=6), resident
            ),
            resident,
        ),
        "representation_detailed_overall": lambda: representation.detailed_overall(
            coded["ethnicity"].codes, resident
        ),
        "top_5_percent_earners": lambda: _top_5_percent(workforce, resident, notes),
        "top_5_percent_earners_by_sex": lambda: _top_5_percent_by(workforce, "sex"),
        "top_5_percent_earners_by_disability": lambda: _top_5_percent_by(workforce, "disability"),
        "pay_quartiles_ethnicity": lambda: _quartile_table(workforce, "ethnic_group"),
        "pay_quartiles_sex": lambda: _quartile_table(workforce, "sex"),
        "pay_quartiles_disability": lambda: _quartile_table(workforce, "disability"),
    }

    def leadership_tiers_together() -> pl.DataFrame:
        """Everyone in any leadership tier as one group: the seeds' target ("% of staff at
        Corporate Strategic Board, Corporate Leadership Group and Leadership Forum")."""
        tiers = coded["leadership_tier"]
        in_tier = np.isin(
            tiers.codes, [code for code, label in enumerate(tiers.labels) if label != NOT_RECORDED]
        )
        counts = np.bincount(coded["ethnic_group"].codes[in_tier], minlength=6)
        return representation.representation_frame(
            [], representation.group_rows({}, counts, resident), resident
        )

    builders["representation_in_leadership_tiers"] = leadership_tiers_together

    def representation_by(dimension: str) -> pl.DataFrame:
        return representation.by_dimension(
            dimension, coded[dimension], coded["ethnic_group"].codes, resident
        )

    for dimension in DIMENSIONS:
        builders[f"representation_by_{dimension}"] = partial(representation_by, dimension)

    include_ons = workforce.has("white_british")
    comparisons: dict[str, Callable[[], list[paygap.Comparison]]] = {
        "ethnicity": partial(paygap.ethnicity_comparisons, include_ons),
        "sex": paygap.sex_comparisons,
        "disability": paygap.disability_comparisons,
    }
    pay = _Lazy(lambda: paygap.pay_distribution(workforce))
    bonus = _Lazy(lambda: paygap.bonus_distribution(workforce))
    everyone = _Lazy(lambda: np.bincount(workforce.cells, minlength=N_CELLS))

    def pay_gaps(subject: str) -> pl.DataFrame:
        table = f"pay_gap_{subject}"
        if subject == "ethnicity" and not include_ons:
            notes.add(
                table,
                "info",
                "White British against ethnic minorities (ONS grouping) needs detailed "
                "ethnicity; only the WRES grouping (White against each group) is shown",
            )
        return paygap.pay_gap_table(pay(), comparisons[subject](), notes.for_table(table))

    def bonus_gaps(subject: str) -> pl.DataFrame:
        return paygap.bonus_gap_table(
            bonus(), everyone(), comparisons[subject](), notes.for_table(f"bonus_gap_{subject}")
        )

    for subject in comparisons:
        builders[f"pay_gap_{subject}"] = partial(pay_gaps, subject)
        builders[f"bonus_gap_{subject}"] = partial(bonus_gaps, subject)
    builders["pay_gap_ethnicity_by_sex"] = lambda: paygap.pay_gap_table(
        pay(), paygap.ethnicity_by_sex_comparisons(), notes.for_table("pay_gap_ethnicity_by_sex")
    )
    return builders


class _Lazy(Generic[T]):
    """Build a shared intermediate (the pay distribution) only if some table needs it."""

    def __init__(self, make: Callable[[], T]):
        self._make = make
        self._value: T | None = None

    def __call__(self) -> T:
        if self._value is None:
            self._value = self._make()
        return self._value


def _top_5_percent_slice(workforce: PreparedWorkforce) -> tuple[int, int]:
    """Start of the top 5% in pay order, and the nominal size ceil(0.05 N).

    Everyone paid the boundary rate is included (LG Inform metric 645, formerly BVPI 11a-c:
    "if some people just below this point are on an identical salary to those just above it,
    include all people on that salary", http://id.esd.org.uk/metricType/645).
    """
    n = workforce.n_paid
    nominal = -(-n // 20)  # ceil(n / 20) in integers: no float rounding at 5%
    if nominal == 0:
        return n, 0
    boundary_rate = workforce.sorted_pay[n - nominal]
    start = int(np.searchsorted(workforce.sorted_pay, boundary_rate, side="left"))
    return start, nominal


def _top_5_percent_cells(workforce: PreparedWorkforce, notes: Notes | None) -> np.ndarray:
    start, nominal = _top_5_percent_slice(workforce)
    included = workforce.n_paid - start
    if notes is not None and included > nominal:
        notes.add(
            "top_5_percent_earners",
            "info",
            NOTE_MENTIONS["top_5_percent_ties"].template.format(
                total=workforce.n_paid, count=included, nominal=nominal
            ),
            subject="top_5_percent_ties",
            count=included,
            total=workforce.n_paid,
        )
    return np.bincount(workforce.sorted_cells[start:], minlength=N_CELLS)


def _top_5_percent(
    workforce: PreparedWorkforce, resident: Population | None, notes: Notes
) -> pl.DataFrame:
    cells = _top_5_percent_cells(workforce, notes)
    group_counts = np.bincount(CELL_GROUP, weights=cells, minlength=6).astype(np.int64)
    rows = representation.group_rows({}, group_counts, resident)
    return representation.representation_frame([], rows, resident)


def _top_5_percent_by(workforce: PreparedWorkforce, characteristic: str) -> pl.DataFrame:
    component, labels = _CHARACTERISTIC_CELLS[characteristic]
    cells = _top_5_percent_cells(workforce, None)
    counts = np.bincount(component, weights=cells, minlength=len(labels)).astype(np.int64)
    total = int(counts.sum())
    rows = [
        {characteristic: label, "count": int(c), "total": total, "percent": percent(c, total)}
        for label, c in zip(labels, counts, strict=True)
    ]
    schema = {
        characteristic: pl.String(),
        "count": pl.Int64(),
        "total": pl.Int64(),
        "percent": pl.Float64(),
    }
    return pl.DataFrame(rows, schema=schema)


def _quartile_table(workforce: PreparedWorkforce, characteristic: str) -> pl.DataFrame:
    """Rows (quartile, group, count, total, percent); undisclosed people keep their own row.

    For ethnicity an aggregate "Black, Asian and Multi-ethnic" row follows the six group rows
    (it is their sum without White and Unknown, so it is not part of the quartile's 100%).
    """
    component, labels = _CHARACTERISTIC_CELLS[characteristic]
    codes = component[workforce.sorted_cells]
    counts = quartile_counts(workforce.sorted_pay, codes, len(labels))
    rows = []
    for quartile, quartile_row in zip(QUARTILES, counts, strict=True):
        total = int(quartile_row.sum())
        values = list(zip(labels, quartile_row.tolist(), strict=True))
        if characteristic == "ethnic_group":
            aggregate = sum(c for g, c in values if g not in (WHITE, UNKNOWN_GROUP))
            values.append((AGGREGATE_LABEL, aggregate))
        for label, count in values:
            rows.append(
                {
                    "quartile": quartile,
                    characteristic: label,
                    "count": count,
                    "total": total,
                    "percent": percent(count, total),
                }
            )
    schema = {
        "quartile": pl.String(),
        characteristic: pl.String(),
        "count": pl.Int64(),
        "total": pl.Int64(),
        "percent": pl.Float64(),
    }
    return pl.DataFrame(rows, schema=schema)


def _note_pay_coverage(workforce: PreparedWorkforce, notes: Notes) -> None:
    """Always said, even when everyone has a rate: a sentence left out would tell a reader the
    number is 0 just as well, and disclosure control must know what the reader knows."""
    if workforce.hourly_pay is None:
        return
    missing = workforce.n_rows - workforce.n_paid
    mention = NOTE_MENTIONS["no_hourly_rate"]
    template = (
        mention.template if missing or mention.zero_template is None else mention.zero_template
    )
    notes.add(
        "pay_gap_ethnicity",
        "info",
        template.format(count=missing),
        subject="no_hourly_rate",
        count=missing,
    )


def _round(table: pl.DataFrame, decimals: int) -> pl.DataFrame:
    floats = [name for name, dtype in table.schema.items() if dtype == pl.Float64]
    return table.with_columns(pl.col(floats).round(decimals)) if floats else table


# --- layouts: what each table's numbers count (for disclosure control) ----------------------

NOTE_MENTIONS: dict[str, Mention] = {
    # Everyone paid the boundary rate of the top 5% is in it (LG Inform metric 645).
    "top_5_percent_ties": Mention(
        count=of(fixed(IN_TOP_5_PERCENT)),
        total=of(fixed(PAID)),
        template=(
            "5% of {total:,} people with an hourly rate is {nominal:,}; {count:,} are "
            "included because everyone paid the boundary rate counts"
        ),
        withheld=(
            "Everyone paid the boundary rate of the top 5% is included, so the group can be "
            "a little larger than 5%"
        ),
    ),
    "no_hourly_rate": Mention(
        count=of(fixed({"quartile": frozenset({NO_HOURLY_RATE})})),
        total=None,
        template=(
            "{count:,} people without an hourly rate are left out of pay gaps, quartiles and "
            "the top 5%"
        ),
        withheld=(
            "A small number of people without an hourly rate are left out of pay gaps, "
            "quartiles and the top 5%"
        ),
        zero_template="Everyone has an hourly rate: no one is left out of pay gaps, quartiles "
        "and the top 5%",
    ),
    "empty_pay_reference": Mention(
        count=of(fixed(PAID), key("group", reference_group)),
        total=None,
        template="no one with an hourly rate in the reference group {group}",
        withheld="the reference group is too small to compare with: not published",
    ),
    "empty_bonus_reference": Mention(
        count=of(fixed(PAID_A_BONUS), key("group", reference_group)),
        total=None,
        template="no one paid a bonus in the reference group {group}",
        withheld="the reference group is too small to compare with: not published",
    ),
}


def _top_5_percent_by_layout(characteristic: str) -> Layout:
    vocabulary = sex_label if characteristic == "sex" else disability_label
    top = fixed(IN_TOP_5_PERCENT)
    return Layout(
        keys=(characteristic,),
        columns=(
            Count("count", of(top, key(characteristic, vocabulary))),
            Count("total", of(top)),
            Share("percent", "count", "total"),
        ),
    )


def _quartile_layout(characteristic: str) -> Layout:
    vocabulary = {
        "ethnic_group": ethnicity_label,
        "sex": sex_label,
        "disability": disability_label,
    }[characteristic]
    where = key("quartile", quartile_label)
    return Layout(
        keys=("quartile", characteristic),
        columns=(
            Count("count", of(where, key(characteristic, vocabulary))),
            Count("total", of(where)),
            Share("percent", "count", "total"),
        ),
    )


LAYOUTS: dict[str, Layout] = {
    "disclosure": disclosure_rates.disclosure_layout(),
    "disclosure_by_directorate": disclosure_rates.disclosure_layout("directorate"),
    "representation_overall": representation.representation_layout(),
    "representation_detailed_overall": representation.representation_layout(detailed=True),
    **{f"representation_by_{d}": representation.representation_layout(d) for d in DIMENSIONS},
    "representation_in_leadership_tiers": representation.representation_layout(
        scope=IN_A_LEADERSHIP_TIER
    ),
    "top_5_percent_earners": representation.representation_layout(scope=IN_TOP_5_PERCENT),
    "top_5_percent_earners_by_sex": _top_5_percent_by_layout("sex"),
    "top_5_percent_earners_by_disability": _top_5_percent_by_layout("disability"),
    **{f"pay_gap_{s}": paygap.pay_gap_layout(s) for s in ("ethnicity", "sex", "disability")},
    "pay_gap_ethnicity_by_sex": paygap.pay_gap_layout("ethnicity_by_sex"),
    **{f"bonus_gap_{s}": paygap.bonus_gap_layout(s) for s in ("ethnicity", "sex", "disability")},
    "pay_quartiles_ethnicity": _quartile_layout("ethnic_group"),
    "pay_quartiles_sex": _quartile_layout("sex"),
    "pay_quartiles_disability": _quartile_layout("disability"),
    "notes": Layout(keys=("table", "kind", "message", "subject", "group"), mentions=NOTE_MENTIONS),
}
