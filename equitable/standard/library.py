"""The CELC Tackling Racial Inequality Standard as data: load, validate, derive ranges, score.

Pure Python (no Django), so that `equitable standard show|score` run without a database and the
web app, the exports and the command line all score through the same functions.

The Standard lives in `data/<id>-<version>.yaml` (one file per published version; see
docs/standard.md). Each category is a table of criterion rows; a row offers some of the levels
developing (1 point), established (2) and leading (3). A category's points are the sum of its
rows' points, and the *published* score ranges turn the points into a level. The document also
explains how it derived those ranges from the rows (`derive_ranges`), which lets us check a
transcription against the published figures (`range_disagreements`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_STANDARD_ID = "celc-tri"

LEVELS: tuple[str, ...] = ("developing", "established", "leading")
"""The practice levels a row can offer, lowest first."""

LEVEL_POINTS: dict[str, int] = {"none": 0, "developing": 1, "established": 2, "leading": 3}
"""Points per practice level, as the Standard's "Points per practice level" lists them."""

RESPONSE_LEVELS: tuple[str, ...] = ("none", *LEVELS)

LEVEL_NAMES: dict[str, str] = {
    "none": "None",
    "developing": "Developing",
    "established": "Established",
    "leading": "Leading",
}


class StandardFileError(ValueError):
    """A Standard data file that does not follow the schema; `problems` lists every one."""

    def __init__(self, origin: str, problems: Sequence[str]):
        self.origin = origin
        self.problems = list(problems)
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(
            f"{origin}: {len(self.problems)} problem(s) in the Standard file:\n{listed}"
        )


class ResponseError(ValueError):
    """Responses that cannot be scored; `problems` lists every refused entry."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        listed = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{len(self.problems)} response(s) refused:\n{listed}")


# --------------------------------------------------------------------------- the Standard


@dataclass(frozen=True)
class ScoreRange:
    level: str
    min: int
    max: int

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.level, "min": self.min, "max": self.max}


@dataclass(frozen=True)
class Criterion:
    """One row of a category's table: the text of each level it offers, lowest first."""

    id: str
    category_id: str
    part_id: str
    texts: dict[str, str]
    notes: tuple[str, ...] = ()

    @property
    def offered(self) -> tuple[str, ...]:
        return tuple(level for level in LEVELS if level in self.texts)

    @property
    def max_points(self) -> int:
        return LEVEL_POINTS[self.offered[-1]]

    def points(self, level: str) -> int:
        return LEVEL_POINTS[level]

    def next_level(self, level: str) -> str | None:
        """The next level up that this row offers, or None at the top."""
        higher = [lv for lv in self.offered if LEVEL_POINTS[lv] > LEVEL_POINTS[level]]
        return higher[0] if higher else None


@dataclass(frozen=True)
class Part:
    """A part of a category (2a … 2e); a category without parts has one part with its own id."""

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    summary: str
    introduction: str
    published_ranges: tuple[ScoreRange, ...]
    parts: tuple[Part, ...]
    has_parts: bool
    score_ranges_note: str = ""

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(criterion for part in self.parts for criterion in part.criteria)

    @property
    def max_points(self) -> int:
        """Every row at the highest level it offers."""
        return sum(criterion.max_points for criterion in self.criteria)

    @property
    def derived_ranges(self) -> tuple[ScoreRange, ...]:
        return derive_ranges(self.criteria)


@dataclass(frozen=True)
class Standard:
    id: str
    version: str
    title: str
    short_title: str
    source: dict[str, Any]
    levels: tuple[dict[str, Any], ...]
    methodology: dict[str, str]
    categories: tuple[Category, ...]
    glossary: tuple[dict[str, Any], ...]
    statement: dict[str, Any]
    path: Path | None = None
    _index: dict[str, Criterion] = field(default_factory=dict, repr=False, compare=False)

    @property
    def criteria(self) -> dict[str, Criterion]:
        """Every criterion by id, in document order."""
        return self._index

    def criterion(self, criterion_id: str) -> Criterion:
        return self._index[criterion_id]

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)

    @property
    def commitments(self) -> list[dict[str, str]]:
        """The Anti-Racist Statement's commitment and common-approach items, with ids."""
        statement = self.statement
        return [
            {"id": item["id"], "text": item["text"], "group": group}
            for group in ("commitment", "common_approach")
            for item in statement[group]["items"]
        ]

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"


@dataclass(frozen=True)
class StandardInfo:
    id: str
    version: str
    title: str
    path: Path


# --------------------------------------------------------------------------- loading


def _text(value: Any, where: str, problems: list[str], *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: expected non-empty text, got {value!r}")
        return ""
    return " ".join(value.split())


def _mapping(value: Any, where: str, problems: list[str]) -> dict:
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a mapping, got {type(value).__name__}")
        return {}
    return value


def _list(value: Any, where: str, problems: list[str]) -> list:
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: expected a non-empty list, got {value!r}")
        return []
    return value


def _parse_ranges(value: Any, where: str, problems: list[str]) -> tuple[ScoreRange, ...]:
    """Published ranges: developing, established, leading in order, from 0, contiguous."""
    data = _mapping(value, where, problems)
    if not data:
        return ()
    if list(data) != list(LEVELS):
        problems.append(
            f"{where}: expected the levels {', '.join(LEVELS)} in that order, got {', '.join(map(str, data))}"
        )
        return ()
    ranges = []
    expected_min = 0
    for level in LEVELS:
        entry = _mapping(data[level], f"{where}.{level}", problems)
        low, high = entry.get("min"), entry.get("max")
        if not isinstance(low, int) or not isinstance(high, int) or isinstance(low, bool):
            problems.append(
                f"{where}.{level}: min and max must be whole numbers, got {low!r}, {high!r}"
            )
            return ()
        if low != expected_min:
            problems.append(
                f"{where}.{level}: min should be {expected_min} (ranges start at 0 and are contiguous), got {low}"
            )
        if high < low:
            problems.append(f"{where}.{level}: max {high} is below min {low}")
        ranges.append(ScoreRange(level, low, high))
        expected_min = high + 1
    return tuple(ranges)


def _parse_criteria(
    rows: Any, prefix: str, category_id: str, where: str, problems: list[str]
) -> tuple[Criterion, ...]:
    criteria = []
    for number, row in enumerate(_list(rows, where, problems), start=1):
        row_where = f"{where}[{number - 1}]"
        row = _mapping(row, row_where, problems)
        expected_id = f"{prefix}.{number}"
        criterion_id = row.get("id")
        if criterion_id != expected_id:
            problems.append(
                f"{row_where}: id should be {expected_id!r} (ids number rows in document order), got {criterion_id!r}"
            )
        unknown = set(row) - {"id", "notes", *LEVELS}
        if unknown:
            problems.append(
                f"{row_where} ({expected_id}): unknown keys {', '.join(sorted(map(str, unknown)))}; a row has id, notes and the levels {', '.join(LEVELS)}"
            )
        texts = {
            level: _text(row[level], f"{row_where} ({expected_id}).{level}", problems)
            for level in LEVELS
            if level in row
        }
        if not texts:
            problems.append(
                f"{row_where} ({expected_id}): offers no level; give at least one of {', '.join(LEVELS)}"
            )
        notes = row.get("notes") or []
        criteria.append(
            Criterion(
                id=expected_id,
                category_id=category_id,
                part_id=prefix,
                texts=texts,
                notes=tuple(_text(n, f"{row_where}.notes", problems) for n in notes),
            )
        )
    return tuple(criteria)


def _parse_category(raw: Any, index: int, problems: list[str]) -> Category | None:
    where = f"categories[{index}]"
    data = _mapping(raw, where, problems)
    if not data:
        return None
    category_id = data.get("id")
    if not isinstance(category_id, str) or not re.fullmatch(r"\d+", category_id or ""):
        problems.append(f'{where}: id must be a quoted number such as "1", got {category_id!r}')
        return None
    where = f"{where} (category {category_id})"
    ranges = _parse_ranges(data.get("score_ranges"), f"{where}.score_ranges", problems)
    if "parts" in data and "criteria" in data:
        problems.append(f"{where}: give either criteria or parts, not both")
    if "parts" in data:
        parts = []
        for position, raw_part in enumerate(_list(data["parts"], f"{where}.parts", problems)):
            part_where = f"{where}.parts[{position}]"
            part = _mapping(raw_part, part_where, problems)
            expected = f"{category_id}{chr(ord('a') + position)}"
            if part.get("id") != expected:
                problems.append(f"{part_where}: id should be {expected!r}, got {part.get('id')!r}")
            parts.append(
                Part(
                    id=expected,
                    title=_text(part.get("title"), f"{part_where}.title", problems),
                    criteria=_parse_criteria(
                        part.get("criteria"),
                        expected,
                        category_id,
                        f"{part_where}.criteria",
                        problems,
                    ),
                    notes=tuple(
                        _text(n, f"{part_where}.notes", problems) for n in part.get("notes") or []
                    ),
                )
            )
        has_parts = True
    else:
        criteria = _parse_criteria(
            data.get("criteria"), category_id, category_id, f"{where}.criteria", problems
        )
        parts = [Part(id=category_id, title="", criteria=criteria)]
        has_parts = False
    return Category(
        id=category_id,
        title=_text(data.get("title"), f"{where}.title", problems),
        summary=_text(data.get("summary"), f"{where}.summary", problems, required=False),
        introduction=_text(data.get("introduction"), f"{where}.introduction", problems),
        published_ranges=ranges,
        parts=tuple(parts),
        has_parts=has_parts,
        score_ranges_note=_text(
            data.get("score_ranges_note"), f"{where}.score_ranges_note", problems, required=False
        ),
    )


def _check_statement(value: Any, problems: list[str]) -> dict[str, Any]:
    statement = _mapping(value, "anti_racist_statement", problems)
    _text(statement.get("title"), "anti_racist_statement.title", problems)
    seen: set[str] = set()
    for group in ("commitment", "common_approach"):
        section = _mapping(statement.get(group), f"anti_racist_statement.{group}", problems)
        for position, item in enumerate(
            _list(section.get("items"), f"anti_racist_statement.{group}.items", problems)
        ):
            where = f"anti_racist_statement.{group}.items[{position}]"
            item = _mapping(item, where, problems)
            item_id = item.get("id")
            if not isinstance(item_id, str) or not item_id:
                problems.append(f"{where}: id must be text, got {item_id!r}")
            elif item_id in seen:
                problems.append(f"{where}: duplicate id {item_id!r}")
            else:
                seen.add(item_id)
            if "text" in item:
                item["text"] = _text(item["text"], f"{where}.text", problems)
            else:
                problems.append(f"{where}: missing text")
    return statement


def _check_glossary(value: Any, problems: list[str]) -> tuple[dict[str, Any], ...]:
    entries = []
    for position, raw in enumerate(_list(value, "glossary", problems)):
        entry = _mapping(raw, f"glossary[{position}]", problems)
        term = _text(entry.get("term"), f"glossary[{position}].term", problems)
        definition = entry.get("definition")
        if definition is None and not entry.get("note"):
            problems.append(
                f"glossary[{position}] ({term}): no definition; give one, or a note saying why it is blank"
            )
        entries.append(
            {
                "term": term,
                "definition": _text(
                    definition, f"glossary[{position}].definition", problems, required=False
                )
                or None,
                "note": entry.get("note") or "",
            }
        )
    return tuple(entries)


def parse_standard(data: Any, origin: str = "<data>", path: Path | None = None) -> Standard:
    """Build a Standard from parsed YAML, raising StandardFileError listing every problem."""
    problems: list[str] = []
    data = _mapping(data, "top level", problems)
    if not data:
        raise StandardFileError(origin, problems)
    standard_id = data.get("id")
    version = data.get("version")
    if not isinstance(standard_id, str) or not re.fullmatch(r"[a-z0-9-]+", standard_id or ""):
        problems.append(f"id: expected lower-case letters, digits and hyphens, got {standard_id!r}")
    if not isinstance(version, str) or not version.strip():
        problems.append(f'version: expected quoted text such as "2022", got {version!r}')
    categories = [
        category
        for index, raw in enumerate(_list(data.get("categories"), "categories", problems))
        if (category := _parse_category(raw, index, problems)) is not None
    ]
    for position, category in enumerate(categories, start=1):
        if category.id != str(position):
            problems.append(
                f'categories[{position - 1}]: id should be "{position}" (categories are numbered in order), got {category.id!r}'
            )
    levels = _list(data.get("levels"), "levels", problems)
    level_ids = [lv.get("id") for lv in levels if isinstance(lv, dict)]
    if level_ids != list(RESPONSE_LEVELS):
        problems.append(
            f"levels: expected {', '.join(RESPONSE_LEVELS)} in that order, got {level_ids}"
        )
    for lv in levels:
        if (
            isinstance(lv, dict)
            and lv.get("id") in LEVEL_POINTS
            and lv.get("points") != LEVEL_POINTS[lv["id"]]
        ):
            problems.append(
                f"levels ({lv['id']}): points should be {LEVEL_POINTS[lv['id']]}, got {lv.get('points')!r}"
            )
    methodology = _mapping(data.get("score_range_methodology"), "score_range_methodology", problems)
    glossary = _check_glossary(data.get("glossary"), problems)
    statement = _check_statement(data.get("anti_racist_statement"), problems)
    index: dict[str, Criterion] = {}
    for category in categories:
        for criterion in category.criteria:
            if criterion.id in index:
                problems.append(f"criterion {criterion.id}: duplicate id")
            index[criterion.id] = criterion
    title = _text(data.get("title"), "title", problems)
    if problems:
        raise StandardFileError(origin, problems)
    return Standard(
        id=standard_id,
        version=version,
        title=title,
        short_title=str(data.get("short_title") or data.get("title")),
        source=dict(data.get("source") or {}),
        levels=tuple(levels),
        methodology={k: " ".join(str(v).split()) for k, v in methodology.items()},
        categories=tuple(categories),
        glossary=glossary,
        statement=statement,
        path=path,
        _index=index,
    )


def load_standard(path: str | Path) -> Standard:
    """Read and validate one Standard file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise StandardFileError(str(path), [f"cannot read the file: {error.strerror}"]) from error
    except yaml.YAMLError as error:
        raise StandardFileError(str(path), [f"not valid YAML: {error}"]) from error
    return parse_standard(data, str(path), path)


def _version_key(version: str) -> tuple:
    """Natural order, so that "2022" < "2022.1" < "2023" and "v9" < "v10"."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", version))


_LOADED: dict[tuple[str, int, int], Standard] = {}


def _load_cached(path: Path) -> Standard:
    """Parse each file once per process (re-read when it changes on disk)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    if key not in _LOADED:
        _LOADED[key] = load_standard(path)
    return _LOADED[key]


def available_standards(data_dir: Path = DATA_DIR) -> list[StandardInfo]:
    """Every Standard file in `data_dir`, by id then version (oldest first).

    Adding a version is adding a file: nothing else lists them.
    """
    found = []
    for path in sorted(data_dir.glob("*.yaml")):
        standard = _load_cached(path)
        found.append(StandardInfo(standard.id, standard.version, standard.title, path))
    return sorted(found, key=lambda info: (info.id, _version_key(info.version)))


def get_standard(
    standard_id: str = DEFAULT_STANDARD_ID, version: str | None = None, data_dir: Path = DATA_DIR
) -> Standard:
    """A Standard by id and version (default: the newest)."""
    infos = [info for info in available_standards(data_dir) if info.id == standard_id]
    if not infos:
        known = sorted({info.id for info in available_standards(data_dir)})
        raise LookupError(
            f"no Standard with id {standard_id!r}; available: {', '.join(known) or 'none'}"
        )
    if version is None:
        return _load_cached(infos[-1].path)
    for info in infos:
        if info.version == version:
            return _load_cached(info.path)
    versions = ", ".join(info.version for info in infos)
    raise LookupError(f"{standard_id} has no version {version!r}; available: {versions}")


# --------------------------------------------------------------------------- score ranges


def _row_points_at_top_of(level: str, criterion: Criterion) -> int:
    """What a row contributes to the top of `level`'s range, following the document:

    - the row's own `level` when it offers it;
    - else the next level up when the row offers that ("all available established practice in
      the remaining criteria, where the developing practice is not available");
    - else the highest level below `level` that the row offers (0 if none): rows offering only
      leading add nothing to developing's top (category 1: 10 points), and rows offering only
      developing still count at established's top (category 6: 23 points).
    """
    if level in criterion.texts:
        return LEVEL_POINTS[level]
    position = LEVELS.index(level)
    if position + 1 < len(LEVELS) and LEVELS[position + 1] in criterion.texts:
        return LEVEL_POINTS[LEVELS[position + 1]]
    lower = [LEVEL_POINTS[lv] for lv in LEVELS[:position] if lv in criterion.texts]
    return max(lower, default=0)


def derive_ranges(criteria: Iterable[Criterion]) -> tuple[ScoreRange, ...]:
    """Score ranges derived from rows by the method the Standard describes.

    developing: 0 to the top of developing; established: one more, to the top of established;
    leading: one more, to every row at its highest level.
    """
    rows = list(criteria)
    ranges = []
    low = 0
    for level in LEVELS:
        high = sum(_row_points_at_top_of(level, row) for row in rows)
        ranges.append(ScoreRange(level, low, high))
        low = high + 1
    return tuple(ranges)


@dataclass(frozen=True)
class RangeDisagreement:
    category_id: str
    title: str
    published: tuple[ScoreRange, ...]
    derived: tuple[ScoreRange, ...]

    @property
    def differences(self) -> list[str]:
        return [
            f"{p.level}: published {p.min}–{p.max}, derived {d.min}–{d.max}"
            for p, d in zip(self.published, self.derived, strict=True)
            if (p.min, p.max) != (d.min, d.max)
        ]

    def describe(self) -> str:
        return f"Category {self.category_id} ({self.title}): " + "; ".join(self.differences)


def range_disagreements(standard: Standard) -> list[RangeDisagreement]:
    """Every category whose published ranges differ from those derived from its rows."""
    return [
        RangeDisagreement(
            category.id, category.title, category.published_ranges, category.derived_ranges
        )
        for category in standard.categories
        if [(r.min, r.max) for r in category.published_ranges]
        != [(r.min, r.max) for r in category.derived_ranges]
    ]


def level_for(points: int, ranges: Sequence[ScoreRange]) -> str:
    """The level whose range holds `points`; above the last range is still the last level.

    The published ranges decide: category 2's rows add up to 76 although its published leading
    range stops at 75, and 76 must read as Leading, not fail.
    """
    if points < 0:
        raise ValueError(f"points cannot be negative: {points}")
    for score_range in ranges:
        if points <= score_range.max:
            return score_range.level
    return ranges[-1].level


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class PartScore:
    id: str
    title: str
    points: int
    max_points: int


@dataclass(frozen=True)
class CategoryScore:
    id: str
    title: str
    points: int
    max_points: int
    level: str
    ranges: tuple[ScoreRange, ...]
    parts: tuple[PartScore, ...]
    criterion_points: dict[str, int]

    @property
    def next_level(self) -> ScoreRange | None:
        """The range above the one reached, or None when leading."""
        index = [r.level for r in self.ranges].index(self.level)
        return self.ranges[index + 1] if index + 1 < len(self.ranges) else None

    @property
    def points_to_next_level(self) -> int | None:
        upcoming = self.next_level
        return None if upcoming is None else max(upcoming.min - self.points, 0)

    def as_dict(self) -> dict[str, Any]:
        upcoming = self.next_level
        return {
            "id": self.id,
            "title": self.title,
            "points": self.points,
            "max_points": self.max_points,
            "level": self.level,
            "level_name": LEVEL_NAMES[self.level],
            "next_level": upcoming.level if upcoming else None,
            "points_to_next_level": self.points_to_next_level,
            "published_ranges": [r.as_dict() for r in self.ranges],
            "parts": [
                {"id": p.id, "title": p.title, "points": p.points, "max_points": p.max_points}
                for p in self.parts
            ]
            if len(self.parts) > 1
            else [],
            "criteria": self.criterion_points,
        }


@dataclass(frozen=True)
class ScoreResult:
    standard_id: str
    version: str
    categories: tuple[CategoryScore, ...]
    points: int
    max_points: int
    level: str
    ranges: tuple[ScoreRange, ...]
    organisation: str = ""

    def category(self, category_id: str) -> CategoryScore:
        return next(c for c in self.categories if c.id == category_id)

    def as_dict(self) -> dict[str, Any]:
        return {
            "standard": self.standard_id,
            "version": self.version,
            "organisation": self.organisation,
            "categories": [c.as_dict() for c in self.categories],
            "overall": {
                "categories": [c.id for c in self.categories],
                "points": self.points,
                "max_points": self.max_points,
                "level": self.level,
                "level_name": LEVEL_NAMES[self.level],
                "ranges": [r.as_dict() for r in self.ranges],
            },
        }


def normalise_level(value: Any) -> str | None:
    """A response level as written in a file or form ("Established", null) → "established"."""
    if value is None:
        return "none"
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("", "null", "~"):
            return "none"
        if text in RESPONSE_LEVELS:
            return text
    return None


def _offers(criterion: Criterion) -> str:
    return ", ".join(("none", *criterion.offered))


def validate_responses(
    standard: Standard, responses: Mapping[Any, Any], categories: Sequence[str] | None = None
) -> dict[str, str]:
    """Clean responses (id → level), or ResponseError listing every refused entry.

    Refused: an id the Standard does not have, a level that is not one of none, developing,
    established, leading, and a level the row does not offer (the message names the row's levels).
    """
    problems = []
    cleaned: dict[str, str] = {}
    scope = set(categories) if categories is not None else None
    for raw_id, raw_level in responses.items():
        if not isinstance(raw_id, str):
            problems.append(
                f'{raw_id!r}: criterion ids are text such as "6.10"; quote them in YAML'
            )
            continue
        criterion_id = raw_id.strip()
        criterion = standard.criteria.get(criterion_id)
        if criterion is None:
            problems.append(f"{criterion_id}: no such criterion in {standard.label}")
            continue
        if scope is not None and criterion.category_id not in scope:
            problems.append(
                f"{criterion_id}: category {criterion.category_id} is not among the assessed categories {', '.join(sorted(scope))}"
            )
            continue
        level = normalise_level(raw_level)
        if level is None:
            problems.append(
                f"{criterion_id}: {raw_level!r} is not a level; use one of {', '.join(RESPONSE_LEVELS)} ({criterion_id} offers {_offers(criterion)})"
            )
            continue
        if level != "none" and level not in criterion.texts:
            problems.append(
                f"{criterion_id}: {level} is not offered; {criterion_id} offers {_offers(criterion)}"
            )
            continue
        cleaned[criterion_id] = level
    if problems:
        raise ResponseError(problems)
    return cleaned


def score_category(category: Category, responses: Mapping[str, str]) -> CategoryScore:
    """Points of one category from clean responses (missing rows count as none)."""
    criterion_points = {c.id: LEVEL_POINTS[responses.get(c.id, "none")] for c in category.criteria}
    parts = tuple(
        PartScore(
            part.id,
            part.title or category.title,
            sum(criterion_points[c.id] for c in part.criteria),
            sum(c.max_points for c in part.criteria),
        )
        for part in category.parts
    )
    points = sum(criterion_points.values())
    return CategoryScore(
        id=category.id,
        title=category.title,
        points=points,
        max_points=category.max_points,
        level=level_for(points, category.published_ranges),
        ranges=category.published_ranges,
        parts=parts,
        criterion_points=criterion_points,
    )


def overall_ranges(categories: Sequence[Category]) -> tuple[ScoreRange, ...]:
    """Ranges for several categories together: the sum of their published ranges.

    The Standard publishes ranges per category only; its worked example reports one category's
    points and level as the "overall score" and "level achieved". Because every range is a sum
    over rows, the sum of the categories' ranges is what the same method gives for their rows
    together, and for one category it is exactly that category's published range.
    """
    ranges = []
    low = 0
    for position, level in enumerate(LEVELS):
        high = sum(category.published_ranges[position].max for category in categories)
        ranges.append(ScoreRange(level, low, high))
        low = high + 1
    return tuple(ranges)


def score(
    standard: Standard,
    responses: Mapping[Any, Any],
    *,
    categories: Sequence[str] | None = None,
    organisation: str = "",
) -> ScoreResult:
    """Score responses against the Standard: per category points, maximum and level, and overall.

    `categories` limits the assessment to some categories (the worked example covers category 1
    only); by default all are assessed and missing ids count as none.
    """
    if categories is not None:
        unknown = [c for c in categories if c not in {cat.id for cat in standard.categories}]
        if unknown:
            known = ", ".join(c.id for c in standard.categories)
            raise ResponseError(
                [
                    f"category {c}: no such category in {standard.label} (categories: {known})"
                    for c in unknown
                ]
            )
    cleaned = validate_responses(standard, responses, categories)
    chosen = [c for c in standard.categories if categories is None or c.id in categories]
    scored = tuple(score_category(category, cleaned) for category in chosen)
    ranges = overall_ranges(chosen)
    points = sum(c.points for c in scored)
    return ScoreResult(
        standard_id=standard.id,
        version=standard.version,
        categories=scored,
        points=points,
        max_points=sum(c.max_points for c in scored),
        level=level_for(points, ranges),
        ranges=ranges,
        organisation=organisation,
    )


# --------------------------------------------------------------------------- assessment files


ASSESSMENT_KEYS = {
    "standard",
    "version",
    "organisation",
    "period",
    "categories",
    "responses",
    "description",
}


@dataclass(frozen=True)
class AssessmentFile:
    standard: str
    version: str | None
    organisation: str
    period: str
    categories: list[str] | None
    responses: dict[str, Any]


def parse_assessment(data: Any) -> AssessmentFile:
    """Check the shape of an assessment document (levels are checked when scoring)."""
    problems = []
    if not isinstance(data, dict):
        raise ResponseError(
            [f"expected a mapping with standard and responses, got {type(data).__name__}"]
        )
    unknown = set(data) - ASSESSMENT_KEYS
    if unknown:
        problems.append(
            f"unknown keys {', '.join(sorted(map(str, unknown)))}; allowed: {', '.join(sorted(ASSESSMENT_KEYS))}"
        )
    standard_id = data.get("standard")
    if not isinstance(standard_id, str) or not standard_id:
        problems.append(f'standard: give the Standard\'s id, e.g. "{DEFAULT_STANDARD_ID}"')
    responses = data.get("responses", {})
    if responses in (None, ""):
        responses = {}
    if not isinstance(responses, dict):
        problems.append("responses: expected a mapping of criterion id to level")
    categories = data.get("categories")
    if categories is not None and (
        not isinstance(categories, list) or not all(isinstance(c, str | int) for c in categories)
    ):
        problems.append('categories: expected a list of category ids such as ["1", "3"]')
    if problems:
        raise ResponseError(problems)
    return AssessmentFile(
        standard=str(standard_id),
        version=str(data["version"]) if data.get("version") is not None else None,
        organisation=str(data.get("organisation") or ""),
        period=str(data.get("period") or ""),
        categories=[str(c) for c in categories] if categories is not None else None,
        responses=responses,
    )


def read_assessment_file(path: str | Path) -> AssessmentFile:
    """Read YAML or JSON. YAML scalars stay text, so `6.10:` is the id "6.10", not the number 6.1."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ResponseError([f"{path}: cannot read the file ({error.strerror})"]) from error
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only str/list/dict
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise ResponseError(
            [f"{path}: not valid {'JSON' if path.suffix.lower() == '.json' else 'YAML'}: {error}"]
        ) from error
    return parse_assessment(data)


def score_assessment_file(path: str | Path, data_dir: Path = DATA_DIR) -> ScoreResult:
    """Read an assessment file, find its Standard and score it."""
    assessment = read_assessment_file(path)
    try:
        standard = get_standard(assessment.standard, assessment.version, data_dir)
    except LookupError as error:
        raise ResponseError([str(error)]) from error
    return score(
        standard,
        assessment.responses,
        categories=assessment.categories,
        organisation=assessment.organisation,
    )


# --------------------------------------------------------------------------- description


def describe(standard: Standard) -> dict[str, Any]:
    """The Standard as plain data: categories, criteria with their levels and points, ranges."""
    disagreements = {d.category_id: d.differences for d in range_disagreements(standard)}
    return {
        "id": standard.id,
        "version": standard.version,
        "title": standard.title,
        "source": standard.source,
        "levels": [
            {"id": lv["id"], "name": lv["name"], "points": lv["points"]} for lv in standard.levels
        ],
        "categories": [
            {
                "id": category.id,
                "title": category.title,
                "introduction": category.introduction,
                "max_points": category.max_points,
                "published_ranges": [r.as_dict() for r in category.published_ranges],
                "derived_ranges": [r.as_dict() for r in category.derived_ranges],
                "ranges_agree": category.id not in disagreements,
                "range_differences": disagreements.get(category.id, []),
                "parts": [{"id": part.id, "title": part.title} for part in category.parts]
                if category.has_parts
                else [],
                "criteria": [
                    {
                        "id": criterion.id,
                        "part": criterion.part_id,
                        "levels": [
                            {
                                "level": level,
                                "points": LEVEL_POINTS[level],
                                "text": criterion.texts[level],
                            }
                            for level in criterion.offered
                        ],
                        "max_points": criterion.max_points,
                    }
                    for criterion in category.criteria
                ],
            }
            for category in standard.categories
        ],
        "glossary": list(standard.glossary),
        "anti_racist_statement": {
            "title": standard.statement["title"],
            "commitments": standard.commitments,
        },
    }
