"""Read a service's users or complaints extract, in either of its two shapes, into one frame
of counts.

Why one frame of counts: a council sends either one row per person or case (complaints
logged, account sign-ups, adult social care users) or counts per characteristic value (what a
case system's report gives). Both become `service, quarter, characteristic, value, count`, so
every figure is computed one way whatever arrived.

Rows: the lifecycle validator (`lifecycle.records.validate_records`) with this module's spec,
so a council meets the workforce rules (encodings, header search, formula cells, identifiers
such as names, addresses, e-mails and phone numbers dropped unread, ethnicity, sex and
disability classified as in a workforce extract, dates as workforce imports read them). Religion
and sexual orientation use the workforce vocabularies (ONS 2021 categories); the three
characteristics workforce extracts do not carry have the short vocabularies below.

All or nothing: any problem and there is no frame; every problem names its spreadsheet row and
column. Pure module: polars, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from equitable.metrics import classification
from equitable.metrics.extract import ExtractReadError, Problem, read_extract
from equitable.metrics.lifecycle.records import (
    ROW,
    Column,
    RecordSpec,
    RecordsResult,
    plan_columns,
    problems_by_rows,
    validate_records,
)
from equitable.metrics.quarters import Quarter, dashed_expr
from equitable.metrics.reading import SourceTable, header_key
from equitable.metrics.schema import (
    ETHNICITY_TO_GROUP,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    RELIGION_VALUES,
    SEXUAL_ORIENTATION_VALUES,
    UNDISCLOSED,
)

NOT_RECORDED = "Not recorded"  # the quarter of a record without a date
GENDER_REASSIGNMENT_VALUES = (
    "Gender identity the same as sex registered at birth",
    "Gender identity different from sex registered at birth",
    *UNDISCLOSED,
)
MARRIAGE_VALUES = (
    "Married or in a civil partnership",
    "Not married or in a civil partnership",
    *UNDISCLOSED,
)
PREGNANCY_VALUES = (
    "Pregnant or on maternity leave",
    "Not pregnant or on maternity leave",
    *UNDISCLOSED,
)
# Age bands on the census's five-year boundaries (TS007A), so residents can be compared.
AGE_BANDS = ("Under 15", "15-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+")
_BAND_EDGES = (0, 15, 25, 35, 45, 55, 65, 75, 85)

# The nine protected characteristics, in the Equality Act's order as councils list them.
CHARACTERISTICS = (
    "age",
    "disability",
    "gender_reassignment",
    "marriage_civil_partnership",
    "pregnancy_maternity",
    "ethnicity",
    "religion",
    "sex",
    "sexual_orientation",
)
CHARACTERISTIC_LABELS = {
    "age": "Age",
    "disability": "Disability",
    "gender_reassignment": "Gender reassignment",
    "marriage_civil_partnership": "Marriage and civil partnership",
    "pregnancy_maternity": "Pregnancy and maternity",
    "ethnicity": "Ethnic group",
    "religion": "Religion or belief",
    "sex": "Sex",
    "sexual_orientation": "Sexual orientation",
}
# Ethnicity is reported in the five ONS high-level groups (the detailed 19 are too fine for a
# service's few hundred records), plus "Unknown" for the undisclosed.
ETHNIC_GROUP_VALUES = ("Asian", "Black", "Mixed", "White", "Other", PREFER_NOT_TO_SAY, NOT_KNOWN)
VALUES: dict[str, tuple[str, ...]] = {
    "age": (*AGE_BANDS, *UNDISCLOSED),
    "disability": ("Disabled", "Not disabled", *UNDISCLOSED),
    "gender_reassignment": GENDER_REASSIGNMENT_VALUES,
    "marriage_civil_partnership": MARRIAGE_VALUES,
    "pregnancy_maternity": PREGNANCY_VALUES,
    "ethnicity": ETHNIC_GROUP_VALUES,
    "religion": RELIGION_VALUES,
    "sex": ("Female", "Male", *UNDISCLOSED),
    "sexual_orientation": SEXUAL_ORIENTATION_VALUES,
}

COUNTS_SCHEMA: dict[str, pl.DataType] = {
    "service": pl.String(),
    "quarter": pl.String(),
    "characteristic": pl.String(),
    "value": pl.String(),
    "count": pl.Int64(),
}

_OWN_ALIASES: dict[str, dict[str, str]] = {
    "gender_reassignment": {
        "same": GENDER_REASSIGNMENT_VALUES[0],
        "same as sex registered at birth": GENDER_REASSIGNMENT_VALUES[0],
        "cisgender": GENDER_REASSIGNMENT_VALUES[0],
        "different": GENDER_REASSIGNMENT_VALUES[1],
        "different from sex registered at birth": GENDER_REASSIGNMENT_VALUES[1],
        "trans": GENDER_REASSIGNMENT_VALUES[1],
        "trans woman": GENDER_REASSIGNMENT_VALUES[1],
        "trans man": GENDER_REASSIGNMENT_VALUES[1],
        "non binary": GENDER_REASSIGNMENT_VALUES[1],
    },
    "marriage_civil_partnership": {
        "married": MARRIAGE_VALUES[0],
        "civil partnership": MARRIAGE_VALUES[0],
        "in a civil partnership": MARRIAGE_VALUES[0],
        "married or in a civil partnership": MARRIAGE_VALUES[0],
        "single": MARRIAGE_VALUES[1],
        "never married": MARRIAGE_VALUES[1],
        "divorced": MARRIAGE_VALUES[1],
        "widowed": MARRIAGE_VALUES[1],
        "separated": MARRIAGE_VALUES[1],
        "cohabiting": MARRIAGE_VALUES[1],
    },
    "pregnancy_maternity": {
        "yes": PREGNANCY_VALUES[0],
        "pregnant": PREGNANCY_VALUES[0],
        "on maternity leave": PREGNANCY_VALUES[0],
        "no": PREGNANCY_VALUES[1],
        "not pregnant": PREGNANCY_VALUES[1],
    },
}


def _aliases(characteristic: str, values: tuple[str, ...]) -> dict[str, str]:
    """Spellings recognised without a mapping: the shared undisclosed answers, the workforce
    aliases where workforce extracts carry the characteristic, then this module's own."""
    if characteristic in ("religion", "sexual_orientation"):
        return dict(classification.aliases_for(characteristic))
    found = {
        k: v
        for k, v in classification.aliases_for("sex").items()
        if v in UNDISCLOSED  # "Prefer not to say", "Not stated", "Unknown"...
    }
    found |= {classification.normalise(v): v for v in values}
    found |= {
        classification.normalise(k): v for k, v in _OWN_ALIASES.get(characteristic, {}).items()
    }
    return found


def _choice(name: str, values: tuple[str, ...], headers: tuple[str, ...] = ()) -> Column:
    return Column(name, "choice", choices=values, aliases=_aliases(name, values), headers=headers)


RECORDS_SPEC = RecordSpec(
    kind="service_records",
    label="service users or complaints",
    columns=(
        Column("record_id", "id", headers=("case id", "case reference", "reference", "id")),
        Column("service", "text", required=True, headers=("service name", "service area")),
        Column("date", "date", headers=("date received", "received", "start date", "sign up date")),
        Column("ethnicity", "ethnicity"),
        Column("sex", "sex"),
        Column("age", "count", headers=("age in years", "age years")),
        Column("age_band", "age_band", headers=("age group", "age range")),
        Column("disability", "disability"),
        _choice("religion", RELIGION_VALUES, ("religion or belief", "faith")),
        _choice("sexual_orientation", SEXUAL_ORIENTATION_VALUES),
        _choice("gender_reassignment", GENDER_REASSIGNMENT_VALUES, ("gender identity", "trans")),
        _choice(
            "marriage_civil_partnership",
            MARRIAGE_VALUES,
            ("marital status", "marriage and civil partnership", "marriage"),
        ),
        _choice("pregnancy_maternity", PREGNANCY_VALUES, ("pregnancy and maternity", "pregnancy")),
    ),
    unique=("service", "record_id"),
)
RECORD_COLUMNS = tuple(c.name for c in RECORDS_SPEC.columns)

_CHARACTERISTIC_NAMES = {
    classification.normalise(text): name
    for name, label in CHARACTERISTIC_LABELS.items()
    for text in (name, name.replace("_", " "), label)
} | {
    "ethnic group": "ethnicity",
    "race": "ethnicity",
    "religion": "religion",
    "belief": "religion",
    "gender identity": "gender_reassignment",
    "marital status": "marriage_civil_partnership",
    "marriage": "marriage_civil_partnership",
    "pregnancy": "pregnancy_maternity",
    "age band": "age",
}
COUNTS_SPEC = RecordSpec(
    kind="service_counts",
    label="service counts per characteristic value",
    columns=(
        Column("service", "text", required=True, headers=("service name", "service area")),
        Column("quarter", "text", headers=("period",)),
        Column("characteristic", "text", required=True, headers=("protected characteristic",)),
        Column("value", "text", required=True, headers=("category", "group", "answer")),
        Column("count", "count", required=True, headers=("number", "total", "n")),
    ),
    unique=("service", "quarter", "characteristic", "value"),
)


@dataclass
class ServiceExtract:
    """The counts (None when there are problems), the shape read and what was left out."""

    counts: pl.DataFrame | None
    problems: list[Problem]
    shape: str  # "records" or "counts"
    row_count: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    characteristics: tuple[str, ...] = ()  # those the file holds
    # Column -> the file's values nothing placed (for the mapping page), row files only.
    unmapped_values: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.counts is not None and not self.problems


# --- helpers ----------------------------------------------------------------------------------


def age_band_of(age: int | None) -> str:
    """The census-aligned band of an age in years ("Not known" when missing)."""
    if age is None:
        return NOT_KNOWN
    for edge, band in zip(reversed(_BAND_EDGES), reversed(AGE_BANDS), strict=True):
        if age >= edge:
            return band
    return AGE_BANDS[0]


_BAND = re.compile(r"^(\d+)-(\d+)$")


def census_band(band: str) -> str | None:
    """A canonical age band from the file ("16-24", "65+", "Under 25") as one of AGE_BANDS, or
    None when it straddles a census boundary (it cannot be compared with residents)."""
    if band in UNDISCLOSED:
        return band
    if match := _BAND.match(band):
        low, high = int(match.group(1)), int(match.group(2))
    elif band.endswith("+"):
        low, high = int(band[:-1]), 200
    elif band.startswith("Under "):
        low, high = 0, int(band.removeprefix("Under ")) - 1
    else:
        return None
    first, last = age_band_of(low), age_band_of(high)
    return first if first == last else None


def quarter_of(text: str) -> str | None:
    """ "2024-Q1" from "2024-Q1", "2024 Q1", "Q1 2024" or "2024q1"; None otherwise."""
    try:
        return Quarter.parse(text).dashed
    except ValueError:
        return None


def quarter_expr(date: pl.Expr) -> pl.Expr:
    """Calendar quarter of a date, "2024-Q1"; "Not recorded" without a date."""
    return pl.when(date.is_null()).then(pl.lit(NOT_RECORDED)).otherwise(dashed_expr(date))


def _shape(columns: list[str], column_mapping: Mapping[str, str] | None = None) -> str:
    if column_mapping and "characteristic" in column_mapping.values():
        return "counts"
    keys = {header_key(c) for c in columns}
    counts_headers = {header_key(h) for h in ("characteristic", "protected characteristic")}
    return "counts" if keys & counts_headers else "records"


# --- mapping a council's own headers and values ---------------------------------------------
#
# Why here: the mapping page and the import need the same answers (which columns a file of
# this shape may hold, what is suggested for each header, which values a characteristic
# accepts and what an unplaced value most likely means), and they are pure questions about
# the specs above. The column matching is the lifecycle files' (`plan_columns`).

# Columns the import fills itself: a file uploaded on a service's page is that service's.
SERVICE_HEADERS = ("service", "service name", "service area")


def shape_of(columns: list[str], column_mapping: Mapping[str, str] | None = None) -> str:
    """ "counts" when a column is (or is mapped to) `characteristic`, else "records"."""
    return _shape(columns, column_mapping)


def spec_for_shape(shape: str) -> RecordSpec:
    return COUNTS_SPEC if shape == "counts" else RECORDS_SPEC


def mappable_columns(shape: str) -> list[str]:
    """The canonical columns a file's header may be matched to (not `service`, which the
    service's page decides)."""
    return [c.name for c in spec_for_shape(shape).columns if c.name != "service"]


def service_columns(columns: list[str]) -> list[str]:
    """The file's headers that name the service (checked by the import, never mapped)."""
    wanted = {header_key(h) for h in SERVICE_HEADERS}
    return [c for c in columns if header_key(c) in wanted]


def suggest_column_mapping(
    source_columns: list[str], remembered: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Source header -> canonical column ("" not used) for every header but the service's:
    the remembered choice first (a remembered target given twice is asked again), then the
    headers and aliases the specs recognise, each canonical column once."""
    columns = [c for c in source_columns if c not in service_columns(source_columns)]
    kept = {s: t for s, t in (remembered or {}).items() if s in columns}
    spec = spec_for_shape(shape_of(columns, kept))
    names = set(mappable_columns(spec.kind.removeprefix("service_")))
    explicit: dict[str, str] = {}
    for source, target in kept.items():
        if target and (target not in names or target in explicit.values()):
            target = ""
        explicit[source] = target
    assignment, _, _, _ = plan_columns(spec, columns, explicit)
    by_source = {source: name for name, source in assignment.items() if name in names}
    return {column: by_source.get(column, "") for column in columns}


def undecided_columns(
    source_columns: list[str], remembered: Mapping[str, str] | None = None
) -> list[str]:
    """Headers neither recognised, nor dropped as identifiers, nor remembered: the ones a
    person must look at before a file can be stored in one step (a complaints system's "Date
    Logged" left out silently would lose every quarter)."""
    columns = [c for c in source_columns if c not in service_columns(source_columns)]
    kept = {s: t for s, t in (remembered or {}).items() if s in columns}
    spec = spec_for_shape(shape_of(columns, kept))
    _, _, ignored, _ = plan_columns(spec, columns, kept)
    return [c for c in ignored if c not in kept]


def value_vocabulary(column: str) -> tuple[str, ...]:
    """The canonical values a value of `column` may be mapped to: for ethnicity the 19 ONS
    2021 categories (the classifier's targets; the import then reports the five groups)."""
    if column in ("ethnicity", "sex", "disability"):
        return tuple(classification.VOCABULARIES.get(column, UNDISCLOSED))
    if column == "age_band":
        return (*AGE_BANDS, *UNDISCLOSED)
    return VALUES.get(column, UNDISCLOSED)


def suggest_value(column: str, raw: str) -> classification.Suggestion:
    """What an unplaced value most likely means, by meaning only (`classification.suggest`
    for the characteristics workforce extracts carry; the longest known spelling inside the
    value for the other three), or no suggestion."""
    if column in ("ethnicity", "sex", "disability", "religion", "sexual_orientation"):
        return classification.suggest(column, raw)
    aliases = _aliases(column, VALUES.get(column, UNDISCLOSED))
    words = classification.normalise(raw).split()
    for length in range(len(words), 0, -1):
        found = {
            aliases[phrase]: phrase
            for start in range(len(words) - length + 1)
            if (phrase := " ".join(words[start : start + length])) in aliases and len(phrase) > 2
        }
        if len(found) == 1:
            value, phrase = next(iter(found.items()))
            return classification.Suggestion(value, f"it contains “{phrase}”")
        if found:
            return classification.Suggestion(None, "it holds words of more than one value")
    return classification.Suggestion(None, "nothing in it says which value it is")


# --- reading ----------------------------------------------------------------------------------


def read_service_extract(
    source: Any,
    filename: str | None = None,
    *,
    column_mapping: Mapping[str, str] | None = None,
    value_mapping: Mapping[str, Mapping[str, str]] | None = None,
) -> ServiceExtract:
    """Read and validate a CSV or XLSX extract (either shape, told apart by a `characteristic`
    column); an unreadable file is one problem, not an exception."""
    try:
        table = read_extract(source, filename)
    except (ExtractReadError, OSError) as error:
        return ServiceExtract(None, [Problem(None, None, None, str(error))], "records")
    return validate_service_extract(
        table, column_mapping=column_mapping, value_mapping=value_mapping
    )


def validate_service_extract(
    raw: pl.DataFrame | SourceTable,
    *,
    column_mapping: Mapping[str, str] | None = None,
    value_mapping: Mapping[str, Mapping[str, str]] | None = None,
) -> ServiceExtract:
    """Validate a frame of text (header in row 1) or a read table, in either shape."""
    source = raw if isinstance(raw, SourceTable) else SourceTable(raw)
    columns = list(source.frame.columns)
    if _shape(columns, column_mapping) == "counts":
        return _from_counts(source, column_mapping)
    return _from_records(source, column_mapping, value_mapping)


def _from_records(
    source: SourceTable,
    column_mapping: Mapping[str, str] | None,
    value_mapping: Mapping[str, Mapping[str, str]] | None,
) -> ServiceExtract:
    result = validate_records(
        source, RECORDS_SPEC, column_mapping=column_mapping, value_mapping=value_mapping
    )
    present = result.present_columns
    problems = list(result.problems)
    if not any(c in present for c in (*CHARACTERISTICS, "age_band")):
        problems.append(
            Problem(
                None,
                None,
                None,
                "the file has no protected characteristic column (ethnicity, sex, age or "
                "age_band, disability, religion, sexual_orientation, gender_reassignment, "
                "marriage_civil_partnership, pregnancy_maternity)",
            )
        )
    if "age" in present and "age_band" in present:
        problems.append(Problem(None, "age_band", None, "give age or age_band, not both"))
    frame = result.frame
    if frame is not None and "age_band" in present:
        problems += _band_problems(frame, source.first_data_row)
    if frame is not None and "age" in present:
        problems += problems_by_rows(
            frame.with_row_index(ROW, offset=source.first_data_row),
            pl.col("age") > 120,
            "age",
            "an age over 120 years: check the column holds ages",
        )
    held = tuple(
        c for c in CHARACTERISTICS if c in present or (c == "age" and "age_band" in present)
    )
    extract = _extract(result, problems, "records", held)
    if problems or frame is None:
        return extract
    extract.counts = records_to_counts(frame, held)
    return extract


def _band_problems(frame: pl.DataFrame, first_row: int) -> list[Problem]:
    bands = frame.get_column("age_band").unique().drop_nulls().to_list()
    straddling = [b for b in bands if census_band(b) is None]
    if not straddling:
        return []
    numbered = frame.with_row_index("__n", offset=first_row)
    problems = []
    for band in sorted(straddling):
        rows = numbered.filter(pl.col("age_band") == band).get_column("__n").head(10).to_list()
        problems.append(
            Problem(
                int(rows[0]),
                "age_band",
                band,
                f"the band {band} crosses a census age boundary (rows "
                f"{', '.join(str(r) for r in rows)}); use the census bands "
                f"{', '.join(AGE_BANDS)}, or give each person's age",
            )
        )
    return problems


def _extract(
    result: RecordsResult, problems: list[Problem], shape: str, held: tuple[str, ...]
) -> ServiceExtract:
    return ServiceExtract(
        counts=None,
        problems=sorted(problems, key=lambda p: (p.row is not None, p.row or 0)),
        shape=shape,
        row_count=result.row_count,
        dropped_columns=list(result.dropped_columns),
        ignored_columns=list(result.ignored_columns),
        characteristics=held,
        unmapped_values={k: list(v) for k, v in result.unmapped_values.items()},
    )


def records_to_counts(frame: pl.DataFrame, characteristics: tuple[str, ...]) -> pl.DataFrame:
    """One row per person or case → count per service, quarter, characteristic and value.

    Each record is counted once per characteristic the file holds (a blank cell as "Not
    known"), so every characteristic of a service and quarter counts the same records."""
    base = frame.select(
        pl.col("service"),
        quarter_expr(pl.col("date")).alias("quarter"),
        *[_value_expr(frame, c).alias(c) for c in characteristics],
    )
    parts = [
        base.group_by("service", "quarter", pl.col(c).alias("value"))
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns(pl.lit(c).alias("characteristic"))
        .select(list(COUNTS_SCHEMA))
        for c in characteristics
    ]
    if not parts:
        return pl.DataFrame(schema=COUNTS_SCHEMA)
    return sort_counts(pl.concat(parts))


def _value_expr(frame: pl.DataFrame, characteristic: str) -> pl.Expr:
    if characteristic == "ethnicity":
        group = pl.col("ethnic_group")
        return (
            pl.when(pl.col("ethnicity").is_in(list(UNDISCLOSED)))
            .then(pl.col("ethnicity"))
            .otherwise(group)
        )
    if characteristic == "age":
        if "age_band" in frame.columns and frame.get_column("age").null_count() == frame.height:
            bands = frame.get_column("age_band").unique().drop_nulls().to_list()
            return pl.col("age_band").replace_strict(
                bands, [census_band(b) for b in bands], default=NOT_KNOWN, return_dtype=pl.String
            )
        age = pl.col("age")
        band: pl.Expr = pl.lit(AGE_BANDS[0])
        for edge, label in zip(_BAND_EDGES[1:], AGE_BANDS[1:], strict=True):
            band = pl.when(age >= edge).then(pl.lit(label)).otherwise(band)
        return pl.when(age.is_null()).then(pl.lit(NOT_KNOWN)).otherwise(band)
    return pl.col(characteristic).fill_null(NOT_KNOWN)


def sort_counts(counts: pl.DataFrame) -> pl.DataFrame:
    """Services by name, quarters in time order ("Not recorded" last), characteristics and
    values in table order."""
    order = {c: i for i, c in enumerate(CHARACTERISTICS)}
    return (
        counts.with_columns(
            pl.col("characteristic")
            .replace_strict(order, default=99, return_dtype=pl.Int32)
            .alias("__c"),
            pl.struct("characteristic", "value")
            .map_elements(
                lambda s: _value_order(s["characteristic"], s["value"]), return_dtype=pl.Int32
            )
            .alias("__v"),
            (pl.col("quarter") == NOT_RECORDED).alias("__q"),
        )
        .sort("service", "__q", "quarter", "__c", "__v")
        .drop("__c", "__v", "__q")
    )


def _value_order(characteristic: str, value: str) -> int:
    values = VALUES.get(characteristic, ())
    return values.index(value) if value in values else len(values)


# --- the counts shape -------------------------------------------------------------------------


def _from_counts(source: SourceTable, column_mapping: Mapping[str, str] | None) -> ServiceExtract:
    result = validate_records(source, COUNTS_SPEC, column_mapping=column_mapping)
    problems = list(result.problems)
    frame = result.frame
    if frame is None or problems:
        return _extract(result, problems, "counts", ())
    numbered = frame.with_row_index("__n", offset=source.first_data_row)
    rows: list[dict[str, Any]] = []
    for row in numbered.iter_rows(named=True):
        line = int(row["__n"])
        characteristic = _CHARACTERISTIC_NAMES.get(classification.normalise(row["characteristic"]))
        if characteristic is None:
            problems.append(
                Problem(
                    line,
                    "characteristic",
                    row["characteristic"],
                    "not one of the nine protected characteristics: "
                    + ", ".join(CHARACTERISTIC_LABELS.values()),
                )
            )
            continue
        value = count_value(characteristic, row["value"])
        if value is None:
            problems.append(
                Problem(
                    line,
                    "value",
                    row["value"],
                    f"not a recognised value of {CHARACTERISTIC_LABELS[characteristic].lower()}; "
                    f"accepted: {', '.join(VALUES[characteristic])}",
                )
            )
            continue
        quarter = NOT_RECORDED
        if row["quarter"] is not None:
            found = quarter_of(row["quarter"])
            if found is None:
                problems.append(
                    Problem(line, "quarter", row["quarter"], "not a quarter (use 2024-Q1)")
                )
                continue
            quarter = found
        rows.append(
            {
                "service": row["service"],
                "quarter": quarter,
                "characteristic": characteristic,
                "value": value,
                "count": row["count"],
                "__n": line,
            }
        )
    held = tuple(c for c in CHARACTERISTICS if any(r["characteristic"] == c for r in rows))
    if not problems:
        problems += _total_problems(rows)
    extract = _extract(result, problems, "counts", held)
    if extract.problems:
        return extract
    counts = pl.DataFrame(rows, schema={**COUNTS_SCHEMA, "__n": pl.Int64()}).drop("__n")
    counts = counts.group_by(list(COUNTS_SCHEMA)[:-1]).agg(pl.col("count").sum())
    extract.counts = sort_counts(counts.select(list(COUNTS_SCHEMA)))
    return extract


def count_value(characteristic: str, raw: str) -> str | None:
    """The reported value of a count row's `value` cell, or None when it is not one."""
    if characteristic == "ethnicity":
        if raw.strip() in ETHNIC_GROUP_VALUES:
            return raw.strip()
        found = classification.classify_value("ethnicity", raw)
        if found is None:
            return None
        return found if found in UNDISCLOSED else ETHNICITY_TO_GROUP[found]
    if characteristic in ("sex", "disability"):
        return classification.classify_value(characteristic, raw)
    if characteristic == "age":
        from equitable.metrics.lifecycle.records import age_band_value

        band = age_band_value(raw)
        return census_band(band) if band is not None else None
    key = classification.normalise(raw)
    return _aliases(characteristic, VALUES[characteristic]).get(key)


def _total_problems(rows: list[dict[str, Any]]) -> list[Problem]:
    """Every characteristic of a service and quarter must count the same people: otherwise
    the shares of one are not comparable with another's, nor completeness measurable."""
    totals: dict[tuple[str, str], dict[str, tuple[int, int]]] = {}
    for r in rows:
        per = totals.setdefault((r["service"], r["quarter"]), {})
        count, first = per.get(r["characteristic"], (0, r["__n"]))
        per[r["characteristic"]] = (count + r["count"], min(first, r["__n"]))
    problems = []
    for (service, quarter), per in sorted(totals.items()):
        if len({total for total, _ in per.values()}) <= 1:
            continue
        listed = "; ".join(
            f"{CHARACTERISTIC_LABELS[c].lower()} {total:,}" for c, (total, _) in sorted(per.items())
        )
        first = min(row for _, row in per.values())
        where = "" if quarter == NOT_RECORDED else f" in {quarter}"
        problems.append(
            Problem(
                first,
                "count",
                None,
                f"{service}{where}: the characteristics count different numbers of people "
                f"({listed}); add the people not counted as Not known so each adds up to the "
                "same total",
            )
        )
    return problems


__all__ = [
    "AGE_BANDS",
    "CHARACTERISTICS",
    "CHARACTERISTIC_LABELS",
    "COUNTS_SCHEMA",
    "NOT_RECORDED",
    "ServiceExtract",
    "VALUES",
    "mappable_columns",
    "read_service_extract",
    "records_to_counts",
    "shape_of",
    "suggest_column_mapping",
    "suggest_value",
    "undecided_columns",
    "validate_service_extract",
    "value_vocabulary",
]
