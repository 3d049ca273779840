"""The resident population benchmark: Census 2021 ethnic group shares for a local authority.

Five sources, one shape (`ethnic_group`, `ethnicity`, `count`, `percent`):

* `read_population`: the Nomis bulk CSV for Census 2021 table TS021 (ethnic group), e.g.
  `census2021-ts021-ltla.csv` from https://www.nomisweb.co.uk/output/census/2021/census2021-ts021.zip.
  One row per area; columns `date`, `geography`, `geography code`, then
  `Ethnic group: Total: All usual residents`, each high-level group
  (`Ethnic group: Asian, Asian British or Asian Welsh`) followed by its detailed categories
  (`Ethnic group: Asian, Asian British or Asian Welsh: Indian`). Headers are matched tolerantly:
  whitespace and line breaks are normalised and a trailing `; measures: Value` is ignored.
* `read_population_categories`: TS021 with one row per category, as the ONS "create a custom
  dataset" download (https://www.ons.gov.uk/datasets/TS021) and Nomis table views give it, or a
  two-column file of our own (`ethnicity`, `count`): a column naming the 19 ONS 2021
  categories (with or without their group, "Asian, Asian British or Asian Welsh: Indian" or
  "Indian") and a column of counts (`Observation`, `count`, `value`, `residents`). Rows of
  group totals, the total and "Does not apply" are checked against the categories, not used.
  `read_population_file` reads either layout.
* `population_from_counts`: the 19 categories' counts (typed in by hand, or from the above).
* `population_from_percentages`: shares typed in by hand (five groups, summing to 100).
* `demo_population`: the resident shares printed in the demo council's action plan (seed 000);
  `demo_population_detailed`: the same five shares split into the 19 categories (made up).

The result has five rows for the high-level groups (`ethnicity` null) and, from the census file
or the 19 counts, nineteen rows for the detailed categories. Each group's count is the sum of
its categories' counts:

    count(group)   = Σ count(category) over the group's categories      (DETAILED_ETHNICITIES)
    percent(row)   = 100 × count(row) / Σ count(all 19 categories)

(In the Nomis bulk file the group columns are read as published and checked against that sum,
within the census's perturbation slack.) `percent` is of all usual residents (the census has
no "not known"), so workforce shares are best compared with it as shares of staff of known
ethnicity.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Mapping
from os import PathLike
from typing import IO

import polars as pl

from equitable.metrics.labels import DETAILED_ETHNICITIES, ETHNIC_GROUPS

# TS021 names of the five high-level groups, by our short label.
CENSUS_GROUP_NAMES: dict[str, str] = {
    "Asian": "Asian, Asian British or Asian Welsh",
    "Black": "Black, Black British, Black Welsh, Caribbean or African",
    "Mixed": "Mixed or Multiple ethnic groups",
    "White": "White",
    "Other": "Other ethnic group",
}
TOTAL_HEADER = "Ethnic group: Total: All usual residents"
NAME_HEADER = "geography"
CODE_HEADER = "geography code"
# The shares in a hand-entered benchmark must add up to 100 within this many points (five
# whole-number shares, each rounded, can be out by a little).
PERCENT_TOLERANCE = 1.0
# Census 2021 counts are perturbed (cell-key), but within one table the detailed categories add
# up to their group; allow a small slack rather than reject a genuine file.
SUM_TOLERANCE = 0.005

SCHEMA = {
    "ethnic_group": pl.String,
    "ethnicity": pl.String,
    "count": pl.Int64,
    "percent": pl.Float64,
}


class PopulationError(ValueError):
    """The population file or figures cannot be used; the message says every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _group_header(group: str) -> str:
    return f"Ethnic group: {CENSUS_GROUP_NAMES[group]}"


def _detail_header(group: str, ethnicity: str) -> str:
    return f"{_group_header(group)}: {ethnicity}"


def _normalise_header(header: str) -> str:
    header = re.sub(r"\s+", " ", header).strip()
    header = re.sub(r";\s*measures:\s*value$", "", header, flags=re.IGNORECASE)
    return header.strip()


def _read_text(source: str | PathLike[str] | bytes | IO[bytes] | IO[str]) -> str:
    if isinstance(source, bytes):
        raw: bytes | str = source
    elif hasattr(source, "read"):
        if hasattr(source, "seek"):
            source.seek(0)
        raw = source.read()  # type: ignore[union-attr]
    else:
        with open(source, "rb") as handle:  # type: ignore[arg-type]
            raw = handle.read()
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def read_population(
    source: str | PathLike[str] | bytes | IO[bytes] | IO[str],
    local_authority: str | None = None,
) -> pl.DataFrame:
    """One authority's resident population by ethnic group from a Nomis TS021 bulk CSV.

    `local_authority` is a name ("Harrow") or a code ("E09000015"), matched without regard to
    case; it may be left out when the file holds a single area.
    """
    text = _read_text(source)
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise PopulationError([f"not a readable CSV file: {error}"]) from None
    frame = frame.rename({c: _normalise_header(c) for c in frame.columns})
    _check_layout(frame.columns)
    row = _choose_area(frame, local_authority)
    return _population_rows(row)


def _expected_headers() -> list[str]:
    headers = [NAME_HEADER, CODE_HEADER, TOTAL_HEADER]
    for group in ETHNIC_GROUPS:
        headers.append(_group_header(group))
        headers.extend(_detail_header(g, e) for e, g in DETAILED_ETHNICITIES if g == group)
    return headers


def _check_layout(columns: list[str]) -> None:
    missing = [h for h in _expected_headers() if h not in columns]
    if missing:
        shown = ", ".join(f'"{m}"' for m in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        raise PopulationError(
            [
                "this is not the Nomis bulk CSV for Census 2021 table TS021 (ethnic group): "
                f"missing column(s) {shown}{more}. Download census2021-ts021.zip from "
                "https://www.nomisweb.co.uk/census/2021/bulk and use the local authority file "
                "(census2021-ts021-ltla.csv)."
            ]
        )


def _choose_area(frame: pl.DataFrame, local_authority: str | None) -> dict[str, str | None]:
    names = frame[NAME_HEADER].to_list()
    codes = frame[CODE_HEADER].to_list()
    if local_authority is None:
        if frame.height == 1:
            return frame.row(0, named=True)
        raise PopulationError(
            [
                f"the file lists {frame.height} areas: choose your local authority by name or "
                "code (for example Harrow or E09000015)"
            ]
        )
    wanted = local_authority.strip().casefold()
    for index, (name, code) in enumerate(zip(names, codes, strict=True)):
        if wanted in {str(name).strip().casefold(), str(code).strip().casefold()}:
            return frame.row(index, named=True)
    choices = {str(n).casefold(): f"{n} ({c})" for n, c in zip(names, codes, strict=True)}
    close = difflib.get_close_matches(wanted, list(choices), n=3, cutoff=0.6)
    hint = (
        "; did you mean " + " or ".join(choices[c] for c in close) + "?"
        if close
        else f"; the file lists {len(names)} areas"
    )
    raise PopulationError([f'local authority "{local_authority}" is not in the file{hint}'])


def _number(row: Mapping[str, str | None], header: str, problems: list[str]) -> int:
    value = row.get(header)
    text = (value or "").replace(",", "").strip()
    if not text.isdigit():
        problems.append(f'{row.get(NAME_HEADER)}: column "{header}" has "{value}", not a count')
        return 0
    return int(text)


def _population_rows(row: Mapping[str, str | None]) -> pl.DataFrame:
    problems: list[str] = []
    total = _number(row, TOTAL_HEADER, problems)
    groups = {g: _number(row, _group_header(g), problems) for g in ETHNIC_GROUPS}
    details = [
        (group, ethnicity, _number(row, _detail_header(group, ethnicity), problems))
        for ethnicity, group in DETAILED_ETHNICITIES
    ]
    if problems:
        raise PopulationError(problems)
    if total <= 0:
        raise PopulationError([f"{row.get(NAME_HEADER)}: the total of usual residents is 0"])
    slack = max(2, SUM_TOLERANCE * total)
    if abs(sum(groups.values()) - total) > slack:
        problems.append(
            f"{row.get(NAME_HEADER)}: the five groups add up to {sum(groups.values())}, "
            f"not the total {total}"
        )
    for group, count in groups.items():
        detail_sum = sum(c for g, _, c in details if g == group)
        if abs(detail_sum - count) > slack:
            problems.append(
                f"{row.get(NAME_HEADER)}: the detailed {group} categories add up to "
                f"{detail_sum}, not {count}"
            )
    if problems:
        raise PopulationError(problems)
    rows = [
        {"ethnic_group": g, "ethnicity": None, "count": c, "percent": 100 * c / total}
        for g, c in groups.items()
    ]
    rows += [
        {"ethnic_group": g, "ethnicity": e, "count": c, "percent": 100 * c / total}
        for g, e, c in details
    ]
    return pl.DataFrame(rows, schema=SCHEMA)


def population_from_percentages(shares: Mapping[str, float]) -> pl.DataFrame:
    """A benchmark typed in by hand: a percentage for each of the five groups.

    Keys are the short labels (Asian, Black, Mixed, White, Other) or the census names; a group
    left out counts as 0. The shares must add up to 100 (within one point, for rounding)."""
    by_census_name = {v.casefold(): k for k, v in CENSUS_GROUP_NAMES.items()}
    by_short = {k.casefold(): k for k in ETHNIC_GROUPS}
    problems: list[str] = []
    values = dict.fromkeys(ETHNIC_GROUPS, 0.0)
    for key, value in shares.items():
        group = by_short.get(key.strip().casefold()) or by_census_name.get(key.strip().casefold())
        if group is None:
            problems.append(
                f'"{key}" is not an ethnic group: use {", ".join(ETHNIC_GROUPS)} '
                "(ONS 2021 Census high-level groups)"
            )
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f'{group}: "{value}" is not a number')
            continue
        if not 0 <= number <= 100:
            problems.append(f"{group}: {number:g} is not a percentage between 0 and 100")
            continue
        values[group] = number
    if not problems:
        total = sum(values.values())
        if abs(total - 100) > PERCENT_TOLERANCE:
            problems.append(
                f"the percentages add up to {total:g}, not 100: check each group, or put the "
                "remainder in Other"
            )
    if problems:
        raise PopulationError(problems)
    return pl.DataFrame(
        [
            {"ethnic_group": g, "ethnicity": None, "count": None, "percent": values[g]}
            for g in ETHNIC_GROUPS
        ],
        schema=SCHEMA,
    )


def demo_population() -> pl.DataFrame:
    """The demo council's resident population as printed in its action plan (seed 000, "Figure 1.
    Harrow's staff profile compared to the resident population"): White 37%, Asian 44%, Black 7%,
    Multi-heritage (Mixed) 3%. The plan prints no figure for Other; the remaining 9% is put there
    so the shares add up to 100."""
    return population_from_percentages(
        {"White": 37, "Asian": 44, "Black": 7, "Mixed": 3, "Other": 9}
    )


# --- the 19 categories, one row each -----------------------------------------------------------

# Headers of the count column in a one-row-per-category file (casefolded, spaces normalised).
COUNT_HEADERS = ("observation", "count", "value", "residents", "usual residents", "number")
# Rows of such a file that are not a category: checked, never counted.
TOTAL_NAMES = ("total", "all usual residents", "total: all usual residents")
DOES_NOT_APPLY = "does not apply"
MAX_AREAS_LISTED = 3


def _category_key(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip().casefold()
    return re.sub(r"^ethnic group:\s*", "", text)


def _category_names() -> dict[str, tuple[str, str | None]]:
    """Every way a row may name a category or a group → (group, category or None)."""
    names: dict[str, tuple[str, str | None]] = {}
    for group, census in CENSUS_GROUP_NAMES.items():
        names[_category_key(census)] = (group, None)
        names[_category_key(group)] = (group, None)
    for ethnicity, group in DETAILED_ETHNICITIES:
        names[_category_key(ethnicity)] = (group, ethnicity)
        names[_category_key(f"{CENSUS_GROUP_NAMES[group]}: {ethnicity}")] = (group, ethnicity)
    # The short "Asian" also names the group "Asian, Asian British or Asian Welsh"; the detailed
    # "Other Asian" stays detailed (it is a key of its own above).
    return names


def _whole_number(value: object) -> int | None:
    text = str(value if value is not None else "").replace(",", "").strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    return None


def population_from_counts(counts: Mapping[str, object]) -> pl.DataFrame:
    """The population from the count of residents in each of the 19 ONS 2021 categories.

    Keys are the detailed names ("Indian", or "Asian, Asian British or Asian Welsh: Indian");
    every category must be given (0 where there is none) as a whole number. The five groups are
    the sums of their categories (module docstring)."""
    names = _category_names()
    problems: list[str] = []
    values: dict[str, int] = {}
    for key, value in counts.items():
        group, ethnicity = names.get(_category_key(key), (None, None))
        if ethnicity is None:
            problems.append(
                f'"{key}" is not one of the 19 ONS 2021 Census ethnic categories'
                + (" (it is a whole group: give its categories instead)" if group else "")
            )
            continue
        number = _whole_number(value)
        if number is None:
            problems.append(f'{ethnicity}: "{value}" is not a whole number of residents')
            continue
        if ethnicity in values:
            problems.append(f"{ethnicity} is given twice")
            continue
        values[ethnicity] = number
    missing = [e for e, _ in DETAILED_ETHNICITIES if e not in values]
    if missing and not problems:
        problems.append(
            "no count for " + ", ".join(missing) + " (give 0 where there are no residents)"
        )
    if problems:
        raise PopulationError(problems)
    return _from_detailed(values)


def _from_detailed(values: Mapping[str, int]) -> pl.DataFrame:
    total = sum(values.values())
    if total <= 0:
        raise PopulationError(["the counts add up to 0 residents"])
    groups = dict.fromkeys(ETHNIC_GROUPS, 0)
    for ethnicity, group in DETAILED_ETHNICITIES:
        groups[group] += values[ethnicity]
    rows = [
        {"ethnic_group": g, "ethnicity": None, "count": c, "percent": 100 * c / total}
        for g, c in groups.items()
    ]
    rows += [
        {
            "ethnic_group": group,
            "ethnicity": ethnicity,
            "count": values[ethnicity],
            "percent": 100 * values[ethnicity] / total,
        }
        for ethnicity, group in DETAILED_ETHNICITIES
    ]
    return pl.DataFrame(rows, schema=SCHEMA)


def _find_columns(frame: pl.DataFrame) -> tuple[str | None, str | None]:
    names = _category_names()
    best, best_hits = None, 0
    for column in frame.columns:
        hits = sum(1 for v in frame[column].to_list() if v and _category_key(v) in names)
        if hits > best_hits:
            best, best_hits = column, hits
    count = next(
        (c for c in reversed(frame.columns) if _category_key(c) in COUNT_HEADERS and c != best),
        None,
    )
    return (best if best_hits else None), count


def read_population_categories(
    source: str | PathLike[str] | bytes | IO[bytes] | IO[str],
    local_authority: str | None = None,
) -> pl.DataFrame:
    """TS021 with one row per category (module docstring); `local_authority` picks one area
    when the file has a column naming several (by name or code, as in `read_population`)."""
    text = _read_text(source)
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as error:
        raise PopulationError([f"not a readable CSV file: {error}"]) from None
    category, count = _find_columns(frame)
    if category is None or count is None:
        raise PopulationError(
            [
                "this file is neither the Nomis bulk CSV for Census 2021 table TS021 nor a "
                "table with one row per ethnic category: it needs a column naming the 19 ONS "
                "2021 categories (for example Indian, African, Roma) and a column of counts "
                f"headed one of {', '.join(COUNT_HEADERS)}"
            ]
        )
    # Columns that go with the category (its code) are not areas; the others that vary are.
    areas = [
        c
        for c in frame.columns
        if c not in (category, count)
        and frame.select(c, category).n_unique() != frame[category].n_unique()
    ]
    frame = _one_area(frame, areas, local_authority)
    names = _category_names()
    problems: list[str] = []
    values: dict[str, int] = {}
    checks: dict[str, int] = {}
    for line, row in enumerate(frame.iter_rows(named=True), start=2):
        name, raw = row[category], row[count]
        key = _category_key(name or "")
        if key == DOES_NOT_APPLY or not key:
            continue
        number = _whole_number(raw)
        if number is None:
            problems.append(f'row {line} ({name}): "{raw}" is not a whole number of residents')
            continue
        if key in TOTAL_NAMES:
            checks["total"] = number
            continue
        if key not in names:
            problems.append(f'row {line}: "{name}" is not one of the 19 ONS 2021 categories')
            continue
        group, ethnicity = names[key]
        if ethnicity is None:
            checks[group] = number
        elif ethnicity in values:
            problems.append(f"row {line}: {ethnicity} is listed twice")
        else:
            values[ethnicity] = number
    missing = [e for e, _ in DETAILED_ETHNICITIES if e not in values]
    if missing:
        problems.append("the file has no row for " + ", ".join(missing))
    if problems:
        raise PopulationError(problems)
    total = sum(values.values())
    slack = max(2, SUM_TOLERANCE * total)
    for group, stated in checks.items():
        summed = (
            total
            if group == "total"
            else sum(values[e] for e, g in DETAILED_ETHNICITIES if g == group)
        )
        if abs(summed - stated) > slack:
            what = "the total" if group == "total" else f"{group}"
            problems.append(
                f"the file gives {stated:,} for {what} but its categories add up to {summed:,}"
            )
    if problems:
        raise PopulationError(problems)
    return _from_detailed(values)


def _one_area(
    frame: pl.DataFrame, other_columns: list[str], local_authority: str | None
) -> pl.DataFrame:
    """The rows of one area when a column names several (the ONS download for many areas)."""
    varying = [c for c in other_columns if frame[c].n_unique() > 1]
    if not varying:
        return frame
    if local_authority is None or not local_authority.strip():
        areas = frame[varying[0]].unique(maintain_order=True).to_list()
        raise PopulationError(
            [
                f"the file lists {len(areas)} areas: choose your local authority by name or "
                "code (for example " + " or ".join(str(a) for a in areas[:MAX_AREAS_LISTED]) + ")"
            ]
        )
    wanted = local_authority.strip().casefold()
    mask = pl.lit(False)
    for column in varying:
        mask = mask | (pl.col(column).str.strip_chars().str.to_lowercase() == wanted)
    chosen = frame.filter(mask)
    if chosen.is_empty():
        raise PopulationError([f'local authority "{local_authority}" is not in the file'])
    return chosen


def read_population_file(
    source: str | PathLike[str] | bytes | IO[bytes] | IO[str],
    local_authority: str | None = None,
) -> pl.DataFrame:
    """Either TS021 layout: the Nomis bulk CSV (one row per area) or one row per category."""
    text = _read_text(source)
    first_line = text.split("\n", 1)[0]
    if "ethnic group: total" in _normalise_header(first_line).casefold():
        return read_population(text.encode(), local_authority or None)
    return read_population_categories(text.encode(), local_authority or None)


# Made-up detailed split of the demo council's resident population (seed 000's five shares of
# 261,300 residents, Harrow's Census 2021 total): plausible for an outer London borough with a
# large Indian community, not any real borough's figures.
DEMO_RESIDENTS = 261_300
DEMO_DETAILED_COUNTS: dict[str, int] = {
    # Asian 44% = 114,972
    "Bangladeshi": 2_613,
    "Chinese": 3_920,
    "Indian": 67_938,
    "Pakistani": 10_452,
    "Other Asian": 30_049,
    # Black 7% = 18,291
    "African": 10_452,
    "Caribbean": 5_226,
    "Other Black": 2_613,
    # Mixed 3% = 7,839
    "White and Asian": 2_613,
    "White and Black African": 1_306,
    "White and Black Caribbean": 1_829,
    "Other Mixed or Multiple ethnic groups": 2_091,
    # White 37% = 96,681
    "English, Welsh, Scottish, Northern Irish or British": 54_873,
    "Irish": 3_658,
    "Gypsy or Irish Traveller": 261,
    "Roma": 1_568,
    "Other White": 36_321,
    # Other 9% = 23,517
    "Arab": 5_226,
    "Any other ethnic group": 18_291,
}


def demo_population_detailed() -> pl.DataFrame:
    """The demo council's residents in the 19 categories: made-up counts (`DEMO_DETAILED_COUNTS`)
    whose five groups are exactly the shares of `demo_population` (White 37%, Asian 44%, Black
    7%, Mixed 3%, Other 9% of 261,300)."""
    return population_from_counts(DEMO_DETAILED_COUNTS)
