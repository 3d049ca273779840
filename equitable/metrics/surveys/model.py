"""The types every survey module shares: a read export, a column mapping, validated responses.

Why one module: the reader, the mapping step, the figures and the Django app all pass these
between them, and a change of shape is made once. Pure module: no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from equitable.metrics.extract import Problem

# Tools whose export layout the reader recognises ("plain": one header row, no tool metadata).
TOOLS = ("surveymonkey", "qualtrics", "microsoft_forms", "smartsurvey", "snap", "plain")
TOOL_NAMES = {
    "surveymonkey": "SurveyMonkey",
    "qualtrics": "Qualtrics",
    "microsoft_forms": "Microsoft Forms",
    "smartsurvey": "SmartSurvey",
    "snap": "Snap Surveys",
    "plain": "a plain table (one header row)",
}

# What a column of a survey is.
DEMOGRAPHIC = "demographic"
SCALED = "scaled"  # Likert agreement or frequency, or yes/no: has favourable answers
CHOICE = "choice"  # one answer from a list, no favourable direction
MULTIPLE = "multiple"  # any number of answers from a list (one column or one per option)
FREE_TEXT = "free_text"
IGNORE = "ignore"
ROLES = (DEMOGRAPHIC, SCALED, CHOICE, MULTIPLE, FREE_TEXT, IGNORE)
QUESTION_KINDS = (SCALED, CHOICE, MULTIPLE, FREE_TEXT)

# Characteristics a demographic column can be mapped onto (the canonical column names of
# `Responses.frame`). Ethnicity values are the ONS 2021 categories of `metrics.labels`.
CHARACTERISTICS = (
    "ethnicity",
    "sex",
    "disability",
    "sexual_orientation",
    "religion",
    "age_band",
    "directorate",
    "pay_band",
    "length_of_service",
)
# Values every characteristic column may also hold (blank becomes NOT_KNOWN; the two are
# reported apart, as survey-exports.md point 8 asks).
PREFER_NOT_TO_SAY = "Prefer not to say"
NOT_KNOWN = "Not known"

# The scale kinds (for wording only: "agree" or "often").
SCALE_KINDS = ("agreement", "frequency", "yes_no", "other")
AGREEMENT_5 = (
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
)
NO_ANSWER_DEFAULTS = ("Don't know", "Prefer not to say")


# Results table -> its breakdown columns (after `question`): what figures computes and
# publishing protects.
RESULT_TABLES: dict[str, tuple[str, ...]] = {
    "results_overall": (),
    "results_by_ethnic_group": ("ethnic_group",),
    "results_by_ethnicity_and_sex": ("ethnic_group", "sex"),
    "results_by_sex": ("sex",),
    "results_by_disability": ("disability",),
    "results_by_sexual_orientation": ("sexual_orientation",),
    "results_by_religion": ("religion",),
    "results_by_age_band": ("age_band",),
    "results_by_directorate": ("directorate",),
    "results_by_pay_band": ("pay_band",),
    "results_by_length_of_service": ("length_of_service",),
    "results_by_directorate_and_ethnic_group": ("directorate", "ethnic_group"),
    "results_by_directorate_and_sex": ("directorate", "sex"),
    "results_by_directorate_and_disability": ("directorate", "disability"),
    "results_by_pay_band_and_ethnic_group": ("pay_band", "ethnic_group"),
    "results_by_pay_band_and_sex": ("pay_band", "sex"),
    "results_by_pay_band_and_disability": ("pay_band", "disability"),
}


class SurveyFileError(ValueError):
    """An export that cannot be read or mapped: every problem, with row and column."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass(frozen=True)
class SurveyColumn:
    """One column of an export, keyed by question and sub-item, never by position.

    `key` is unique within the file and stable across waves of the same questionnaire: the
    tool's own id where it has one (Qualtrics `Q5_1`), else the question text, with
    " - " + sub_item for a matrix row or option column."""

    key: str
    question: str
    sub_item: str | None = None
    tool_id: str | None = None


@dataclass(frozen=True)
class SurveyFile:
    """An export as read: one text column per kept `SurveyColumn` (blank cells are null), one
    row per response kept. Personal metadata (IP, e-mail, names, location, recipient
    references, custom data, start and end times) is dropped on read and only its headers are
    listed in `dropped_columns`; rows that are not responses (previews, spam, tests) are
    counted by reason in `dropped_rows`. `first_data_row` is the file row (1-based) of the
    first response, so problems name spreadsheet rows."""

    tool: str
    columns: tuple[SurveyColumn, ...]
    answers: pl.DataFrame
    dropped_columns: tuple[str, ...] = ()
    dropped_rows: dict[str, int] = field(default_factory=dict)
    first_data_row: int = 2
    # The file row of each kept response, in order (rows dropped leave gaps).
    row_numbers: tuple[int, ...] = ()

    def column(self, key: str) -> SurveyColumn:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True)
class Scale:
    """The answers of a scaled question, most favourable first, and how each counts.

    `favourable`, `neutral` and `unfavourable` partition `points`; `no_answer` answers
    ("Don't know", "Prefer not to say") are left out of the base like a skipped question.
    `scores` (optional) gives each point a number for means and Cronbach's alpha; by
    default the points score len(points) .. 1 in order."""

    points: tuple[str, ...]
    favourable: frozenset[str]
    neutral: frozenset[str]
    unfavourable: frozenset[str]
    no_answer: frozenset[str] = frozenset(NO_ANSWER_DEFAULTS)
    kind: str = "agreement"

    def score(self, answer: str) -> float | None:
        if answer not in self.points:
            return None
        return float(len(self.points) - self.points.index(answer))

    def to_json(self) -> dict[str, Any]:
        return {
            "points": list(self.points),
            "favourable": sorted(self.favourable, key=self._order),
            "neutral": sorted(self.neutral, key=self._order),
            "unfavourable": sorted(self.unfavourable, key=self._order),
            "no_answer": sorted(self.no_answer),
            "kind": self.kind,
        }

    def _order(self, answer: str) -> int:
        return self.points.index(answer) if answer in self.points else len(self.points)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Scale:
        return cls(
            points=tuple(data["points"]),
            favourable=frozenset(data["favourable"]),
            neutral=frozenset(data.get("neutral", ())),
            unfavourable=frozenset(data["unfavourable"]),
            no_answer=frozenset(data.get("no_answer", NO_ANSWER_DEFAULTS)),
            kind=data.get("kind", "agreement"),
        )

    @classmethod
    def agreement(cls) -> Scale:
        """The 5-point agreement scale, the two agree answers favourable."""
        return cls(
            points=AGREEMENT_5,
            favourable=frozenset(AGREEMENT_5[:2]),
            neutral=frozenset(AGREEMENT_5[2:3]),
            unfavourable=frozenset(AGREEMENT_5[3:]),
        )


@dataclass(frozen=True)
class ColumnMapping:
    """What one export column is. For a demographic, `characteristic` and `values` (the
    export's answer → the canonical value); for a scaled question, `scale`; for choice and
    multiple-choice questions, `options`; `code` is the question's code in `Responses`
    (several columns of one multiple-choice question share it, one per option)."""

    key: str
    role: str
    characteristic: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    scale: Scale | None = None
    options: tuple[str, ...] = ()
    code: str | None = None
    text: str | None = None  # the question as the results print it (default: the header)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "role": self.role,
            "characteristic": self.characteristic,
            "values": dict(self.values),
            "scale": self.scale.to_json() if self.scale else None,
            "options": list(self.options),
            "code": self.code,
            "text": self.text,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ColumnMapping:
        return cls(
            key=data["key"],
            role=data["role"],
            characteristic=data.get("characteristic"),
            values=dict(data.get("values") or {}),
            scale=Scale.from_json(data["scale"]) if data.get("scale") else None,
            options=tuple(data.get("options") or ()),
            code=data.get("code"),
            text=data.get("text"),
        )


@dataclass(frozen=True)
class SurveyMapping:
    """Every column's role. Stored per organisation (as JSON) so the next wave maps in one
    step; `equitable survey --mapping MAP.json` reads the same JSON."""

    columns: tuple[ColumnMapping, ...]

    def for_key(self, key: str) -> ColumnMapping | None:
        return next((c for c in self.columns if c.key == key), None)

    def to_json(self) -> dict[str, Any]:
        return {"columns": [c.to_json() for c in self.columns]}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SurveyMapping:
        return cls(tuple(ColumnMapping.from_json(c) for c in data.get("columns", [])))


@dataclass(frozen=True)
class Question:
    """A question as the figures see it. `code` names its column of `Responses.frame`."""

    code: str
    text: str
    kind: str  # one of QUESTION_KINDS
    scale: Scale | None = None
    options: tuple[str, ...] = ()
    theme: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "kind": self.kind,
            "scale": self.scale.to_json() if self.scale else None,
            "options": list(self.options),
            "theme": self.theme,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Question:
        return cls(
            code=data["code"],
            text=data["text"],
            kind=data["kind"],
            scale=Scale.from_json(data["scale"]) if data.get("scale") else None,
            options=tuple(data.get("options") or ()),
            theme=data.get("theme"),
        )


@dataclass(frozen=True)
class Responses:
    """Validated responses: one row per respondent, no respondent id, no time.

    `frame` columns: every characteristic of CHARACTERISTICS that was mapped (Utf8; blank is
    NOT_KNOWN; `ethnicity` holds the ONS 2021 detailed names of `metrics.labels`, or
    "<group> (category not given)", "Prefer not to say", "Not known"), plus `ethnic_group`
    (the five short groups or "Unknown") whenever `ethnicity` is mapped; then one column per
    question, named by its code: Utf8 answers for scaled and choice questions (null when not
    answered; a `no_answer` answer is kept as given), List(Utf8) for multiple choice, Utf8 for
    free text. Row order is shuffled on import, so it says nothing about response order."""

    frame: pl.DataFrame
    questions: tuple[Question, ...]

    @property
    def characteristics(self) -> tuple[str, ...]:
        return tuple(c for c in CHARACTERISTICS if c in self.frame.columns)

    def question(self, code: str) -> Question:
        return next(q for q in self.questions if q.code == code)

    @property
    def scaled(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.kind == SCALED)
