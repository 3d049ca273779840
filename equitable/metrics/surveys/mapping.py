"""Say what each column of a survey export is, and turn the export into validated responses.

Three steps, all pure (no Django):

* `default_mapping`: the command line's rule with no mapping file (canonical characteristic
  names are demographics, `respondent_id` is ignored, a column whose answers all lie on the
  5-point agreement scale is a scaled question with the two agree answers favourable);
* `suggest_mapping`: what the mapping page starts from: the organisation's remembered mapping of
  each column first, then guesses by meaning (a question about ethnic group is a demographic;
  agreement, frequency and yes/no scales are recognised whatever their case);
* `apply_mapping`: all or nothing. Every answer off its scale, every demographic value that
  cannot be placed and every duplicate code is a problem with its row and column, and nothing
  is returned unless there are none. Rows are shuffled, so their order says nothing about who
  answered when.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from equitable.metrics import classification
from equitable.metrics.extract import Problem
from equitable.metrics.labels import ETHNICITY_TO_GROUP, UNKNOWN_GROUP
from equitable.metrics.surveys.model import (
    CHARACTERISTICS,
    CHOICE,
    DEMOGRAPHIC,
    FREE_TEXT,
    IGNORE,
    MULTIPLE,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    QUESTION_KINDS,
    ROLES,
    SCALED,
    ColumnMapping,
    Question,
    Responses,
    Scale,
    SurveyColumn,
    SurveyFile,
    SurveyFileError,
    SurveyMapping,
)

# Answers that are no answer at all, whatever the scale (survey-exports.md point 8).
NO_ANSWER = frozenset(
    {
        "don't know",
        "dont know",
        "do not know",
        "prefer not to say",
        "not applicable",
        "n/a",
        "-99",
        "no reply",
        "not asked",
    }
)
AGREEMENT_5 = Scale.agreement()
AGREEMENT_7 = Scale(
    points=(
        "Strongly agree",
        "Agree",
        "Somewhat agree",
        "Neither agree nor disagree",
        "Somewhat disagree",
        "Disagree",
        "Strongly disagree",
    ),
    favourable=frozenset({"Strongly agree", "Agree", "Somewhat agree"}),
    neutral=frozenset({"Neither agree nor disagree"}),
    unfavourable=frozenset({"Somewhat disagree", "Disagree", "Strongly disagree"}),
)
FREQUENCY = Scale(
    points=("Always", "Often", "Sometimes", "Rarely", "Never"),
    favourable=frozenset({"Always", "Often"}),
    neutral=frozenset({"Sometimes"}),
    unfavourable=frozenset({"Rarely", "Never"}),
    kind="frequency",
)
# How often something bad happened: never is the favourable answer (WRES 5, 6).
EXPERIENCE = Scale(
    points=("Never", "1-2 times", "3-5 times", "6-10 times", "More than 10 times"),
    favourable=frozenset({"Never"}),
    neutral=frozenset(),
    unfavourable=frozenset({"1-2 times", "3-5 times", "6-10 times", "More than 10 times"}),
    kind="frequency",
)
_ADVERSE_WORDS = ("experienced", "harassment", "bullying", "abuse", "discriminat")
_NEUTRAL_SPELLINGS = {
    "neutral": "Neither agree nor disagree",
    "neither": "Neither agree nor disagree",
}
# Column names (normalised) and question wordings that name a characteristic.
_DEMOGRAPHIC_WORDS: tuple[tuple[str, str], ...] = (
    ("ethnic", "ethnicity"),
    ("sexual orientation", "sexual_orientation"),
    ("religion", "religion"),
    ("belief", "religion"),
    ("disab", "disability"),
    ("gender", "sex"),
    ("sex", "sex"),
    ("age", "age_band"),
    ("directorate", "directorate"),
    ("department", "directorate"),
    ("service area", "directorate"),
    ("pay band", "pay_band"),
    ("grade", "pay_band"),
    ("length of service", "length_of_service"),
    ("how long", "length_of_service"),
)
_ABOUT_YOU = (
    "what is your",
    "what's your",
    "which ",
    "how would you describe",
    "do you consider",
    "are you",
    "your ",
    "how long",
    "how old",
    "please select your",
    "please tell us your",
)
# Characteristics placed on the workforce vocabularies (so response rates meet the workforce
# figures); the rest keep the survey's own answers.
_CLASSIFIED = ("ethnicity", "sex", "disability")
# Sexual orientation and religion keep the survey's own answers (surveys ask in more detail
# than HR systems record), with the common spellings made one.
_OWN_SPELLINGS = {
    "sexual_orientation": {
        "gay or lesbian": "Gay or lesbian",
        "lesbian or gay": "Gay or lesbian",
        "gay lesbian": "Gay or lesbian",
        "heterosexual or straight": "Heterosexual or straight",
        "straight or heterosexual": "Heterosexual or straight",
        "heterosexual": "Heterosexual or straight",
        "straight": "Heterosexual or straight",
        "bisexual": "Bisexual",
    },
    "religion": {
        "no religion": "No religion",
        "none": "No religion",
        "christian": "Christian",
        "christianity": "Christian",
        "muslim": "Muslim",
        "hindu": "Hindu",
        "sikh": "Sikh",
        "jewish": "Jewish",
        "buddhist": "Buddhist",
    },
}
# Whole numbers only in this range read as a numbered scale whose meaning the officer must give.
_NUMBERED = re.compile(r"^(?:10|[0-9])$")
MAX_CHOICES = 12
# Column names of `Responses.frame` that a question code may not take.
_RESERVED = frozenset({*CHARACTERISTICS, "ethnic_group"})
MAX_PROBLEMS = 1000


def _key(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


def _distinct(file: SurveyFile, key: str) -> list[str]:
    column = file.answers[key]
    values = column.drop_nulls().cast(pl.String).str.strip_chars()
    return [v for v in values.unique(maintain_order=True).to_list() if v != ""]


def _scale_for(answers: Sequence[str], question: str) -> Scale | None:
    """The known scale all these answers lie on, or None."""
    given = {_key(a) for a in answers if _key(a) not in NO_ANSWER}
    if not given:
        return None
    adverse = any(word in question.lower() for word in _ADVERSE_WORDS)
    for scale in (AGREEMENT_5, AGREEMENT_7, EXPERIENCE, FREQUENCY):
        points = {_key(p) for p in scale.points} | (
            set(_NEUTRAL_SPELLINGS) if scale is AGREEMENT_5 else set()
        )
        if given <= points:
            return scale
    if given <= {"yes", "no"}:
        favourable = "No" if adverse else "Yes"
        return Scale(
            points=("Yes", "No") if favourable == "Yes" else ("No", "Yes"),
            favourable=frozenset({favourable}),
            neutral=frozenset(),
            unfavourable=frozenset({"Yes", "No"} - {favourable}),
            kind="yes_no",
        )
    return None


def _characteristic_of(column: SurveyColumn) -> str | None:
    name = _key(column.key).replace("_", " ")
    for characteristic in CHARACTERISTICS:
        if name == characteristic.replace("_", " "):
            return characteristic
    words = _key(column.question)
    # Only a question about the respondent ("What is your ethnic group?", "Do you consider
    # yourself disabled?"), not one that mentions a characteristic ("I have experienced racism
    # because of my ethnicity").
    asks_about_you = words.startswith(_ABOUT_YOU) or len(words.split()) <= 5
    if len(words) > 120 or not asks_about_you:
        return None
    for word, characteristic in _DEMOGRAPHIC_WORDS:
        if re.search(rf"\b{re.escape(word)}", words):
            return characteristic
    return None


def _demographic(
    column: SurveyColumn, characteristic: str, answers: Sequence[str]
) -> ColumnMapping:
    values: dict[str, str] = {}
    for answer in answers:
        placed = _place(characteristic, answer)
        if placed is not None:
            values[answer] = placed
    return ColumnMapping(
        key=column.key, role=DEMOGRAPHIC, characteristic=characteristic, values=values
    )


def _place(characteristic: str, answer: str) -> str | None:
    if characteristic in _CLASSIFIED:
        return classification.classify_value(characteristic, answer)
    text = " ".join(answer.split())
    if not text:
        return NOT_KNOWN
    key = classification.normalise(text)
    undisclosed = classification.aliases_for("sex").get(key)
    if undisclosed in (PREFER_NOT_TO_SAY, NOT_KNOWN) or key in (
        "i would prefer not to say",
        "prefer not to answer",
    ):
        return undisclosed or PREFER_NOT_TO_SAY
    return _OWN_SPELLINGS.get(characteristic, {}).get(key, text)


def _code(column: SurveyColumn, used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (column.tool_id or column.key).lower()).strip("-")[:40]
    base = base or "q"
    code, n = base, 2
    while code in used or code in _RESERVED:
        code, n = f"{base}-{n}", n + 1
    used.add(code)
    return code


def _question_text(column: SurveyColumn) -> str:
    if column.sub_item:
        return f"{column.question} - {column.sub_item}"
    return column.question


def _guess(
    column: SurveyColumn, file: SurveyFile, used: set[str], *, by_meaning: bool
) -> ColumnMapping:
    answers = _distinct(file, column.key)
    name = _key(column.key).replace("_", " ")
    if name in ("respondent id", "respondent"):
        return ColumnMapping(key=column.key, role=IGNORE)
    named = next((c for c in CHARACTERISTICS if name == c.replace("_", " ")), None)
    if named is not None:
        # A column named as a characteristic is that characteristic (the plain format).
        return _demographic(column, named, answers)
    characteristic = _characteristic_of(column) if by_meaning else None
    scale = _scale_for(answers, column.question)
    if characteristic is not None and (scale is None or scale.kind == "yes_no"):
        return _demographic(column, characteristic, answers)
    if not by_meaning and scale is not AGREEMENT_5:
        scale = None
    text = _question_text(column)
    given = [a for a in answers if _key(a) not in NO_ANSWER]
    if given and all(_NUMBERED.match(a) for a in given):
        # A numbers-only export (answers 1-5) says nothing of which end is favourable: a
        # scaled question with no scale, refused by `apply_mapping` until the officer gives it.
        return ColumnMapping(key=column.key, role=SCALED, code=_code(column, used), text=text)
    if by_meaning and _joined(answers):
        options = tuple(
            dict.fromkeys(part.strip() for a in answers for part in a.split(";") if part.strip())
        )
        return ColumnMapping(
            key=column.key, role=MULTIPLE, options=options, code=_code(column, used), text=text
        )
    if scale is not None:
        return ColumnMapping(
            key=column.key, role=SCALED, scale=scale, code=_code(column, used), text=text
        )
    wordy = bool(answers) and sum(len(a) for a in answers) / len(answers) > 30
    asks_for_words = any(
        w in _key(column.question) for w in ("comment", "anything else", "tell us")
    )
    if answers and (wordy or asks_for_words):
        return ColumnMapping(key=column.key, role=FREE_TEXT, code=_code(column, used), text=text)
    if answers and len(answers) <= MAX_CHOICES:
        return ColumnMapping(
            key=column.key,
            role=CHOICE,
            options=tuple(answers),
            code=_code(column, used),
            text=text,
        )
    if not answers:
        return ColumnMapping(key=column.key, role=IGNORE)
    return ColumnMapping(key=column.key, role=FREE_TEXT, code=_code(column, used), text=text)


def _joined(answers: Sequence[str]) -> bool:
    """Microsoft Forms' select-all cells: options joined by ";" with a trailing ";"."""
    return bool(answers) and all(a.endswith(";") for a in answers)


def _option_columns(file: SurveyFile, used: set[str]) -> dict[str, ColumnMapping]:
    """Select-all questions exported one column per option (the cell holds the option's text,
    or Yes/1/Selected; blank when not chosen): one shared code per question."""
    ticks = {"yes", "1", "selected", "true", "x", "checked"}
    groups: dict[str, list[SurveyColumn]] = {}
    for column in file.columns:
        if not column.sub_item:
            continue
        answers = {_key(a) for a in _distinct(file, column.key)}
        if answers and answers <= ticks | {_key(column.sub_item)}:
            groups.setdefault(column.question, []).append(column)
    found = {}
    for question, columns in groups.items():
        answers = {_key(a) for c in columns for a in _distinct(file, c.key)}
        if len(columns) < 2 and not answers <= {_key(columns[0].sub_item or "")}:
            continue  # one Yes column is a yes/no question, not a select-all
        code = _code(SurveyColumn(key=question, question=question), used)
        for column in columns:
            found[column.key] = ColumnMapping(
                key=column.key,
                role=MULTIPLE,
                options=(column.sub_item or column.key,),
                code=code,
                text=question,
            )
    return found


def default_mapping(file: SurveyFile) -> SurveyMapping:
    """The rule `equitable survey FILE` follows with no mapping file (issue 15)."""
    used: set[str] = set()
    return SurveyMapping(tuple(_guess(c, file, used, by_meaning=False) for c in file.columns))


def suggest_mapping(
    file: SurveyFile, remembered: Mapping[str, Mapping[str, Any]] | None = None
) -> SurveyMapping:
    """The remembered mapping of each column (by its key), else a guess by meaning."""
    used: set[str] = {str(m.get("code")) for m in (remembered or {}).values() if m.get("code")}
    options = {
        key: entry
        for key, entry in _option_columns(file, used).items()
        if key not in (remembered or {})
    }
    mapped = []
    for column in file.columns:
        memory = (remembered or {}).get(column.key)
        if memory is not None:
            found = ColumnMapping.from_json(dict(memory))
            if found.code:
                used.add(found.code)
            mapped.append(found)
        elif column.key in options:
            mapped.append(options[column.key])
        else:
            mapped.append(_guess(column, file, used, by_meaning=True))
    return SurveyMapping(tuple(mapped))


def unmapped_values(file: SurveyFile, mapping: SurveyMapping) -> dict[str, list[str]]:
    """Demographic answers the mapping does not place, and scaled answers off the scale."""
    missing: dict[str, list[str]] = {}
    for entry in mapping.columns:
        if entry.key not in file.answers.columns:
            continue
        answers = _distinct(file, entry.key)
        if entry.role == DEMOGRAPHIC:
            off = [
                a
                for a in answers
                if a not in entry.values and _place(entry.characteristic or "", a) is None
            ]
        elif entry.role == SCALED and entry.scale is not None:
            off = [
                a
                for a in answers
                if _answer_on(entry.scale, entry.values.get(a, a)) is None
                and _key(a) not in _no_answers(entry.scale)
            ]
        else:
            off = []
        if off:
            missing[entry.key] = off
    return missing


def _no_answers(scale: Scale) -> set[str]:
    return {_key(a) for a in scale.no_answer} | NO_ANSWER


def _answer_on(scale: Scale, answer: str) -> str | None:
    """The scale point an answer is, compared case-insensitively ("Neutral" is neither)."""
    key = _key(answer)
    for point in scale.points:
        if _key(point) == key:
            return point
    neutral = _NEUTRAL_SPELLINGS.get(key)
    if neutral is not None and neutral in scale.points:
        return neutral
    return None


def _check_mapping(file: SurveyFile, mapping: SurveyMapping) -> list[Problem]:
    problems = []
    codes: dict[str, str] = {}
    multiple: set[str] = set()
    characteristics: dict[str, str] = {}
    for entry in mapping.columns:
        header = _header(file, entry.key)
        if entry.role not in ROLES:
            problems.append(Problem(None, header, entry.role, "is not a column role"))
        if entry.key not in file.answers.columns:
            problems.append(Problem(None, header, None, "is not a column of this file"))
            continue
        if entry.role == DEMOGRAPHIC:
            if entry.characteristic not in CHARACTERISTICS:
                problems.append(
                    Problem(None, header, entry.characteristic, "is not a characteristic")
                )
            elif entry.characteristic in characteristics:
                problems.append(
                    Problem(
                        None,
                        header,
                        entry.characteristic,
                        f"is also mapped from {characteristics[entry.characteristic]}",
                    )
                )
            else:
                characteristics[entry.characteristic] = header
        if entry.role == SCALED and entry.scale is None:
            problems.append(
                Problem(
                    None,
                    header,
                    None,
                    "is a scaled question with no scale (answers given as numbers only: "
                    "say which answer each number is and which are favourable)",
                )
            )
        if entry.role in QUESTION_KINDS:
            # Columns of one multiple-choice question share its code; nothing else may.
            code = entry.code or entry.key
            if code in _RESERVED:
                problems.append(
                    Problem(None, header, code, "is a characteristic's name, not a question code")
                )
            elif code in codes and (entry.role != MULTIPLE or code not in multiple):
                problems.append(
                    Problem(None, header, code, f"has the same question code as {codes[code]}")
                )
            codes.setdefault(code, header)
            if entry.role == MULTIPLE:
                multiple.add(code)
    return problems


def _header(file: SurveyFile, key: str) -> str:
    found = next((c for c in file.columns if c.key == key), None)
    return key if found is None else _question_text(found)[:120]


def _rows(file: SurveyFile) -> list[int]:
    if len(file.row_numbers) == file.answers.height:
        return list(file.row_numbers)
    return [file.first_data_row + i for i in range(file.answers.height)]


def apply_mapping(file: SurveyFile, mapping: SurveyMapping) -> Responses:
    """Validated responses, or SurveyFileError with every problem (row and column)."""
    problems = _check_mapping(file, mapping)
    rows = _rows(file)
    columns: dict[str, pl.Series] = {}
    questions: list[Question] = []
    multiple: dict[str, tuple[ColumnMapping, list[ColumnMapping]]] = {}
    for entry in mapping.columns:
        if entry.key not in file.answers.columns or entry.role == IGNORE:
            continue
        header = _header(file, entry.key)
        cells = [
            None if v is None or str(v).strip() == "" else str(v).strip()
            for v in file.answers[entry.key].cast(pl.String).to_list()
        ]
        values: list[str | None] = []
        if entry.role == DEMOGRAPHIC and entry.characteristic in CHARACTERISTICS:
            for row, cell in zip(rows, cells, strict=True):
                if cell is None:
                    values.append(NOT_KNOWN)
                    continue
                placed = entry.values.get(cell) or _place(entry.characteristic, cell)
                if placed is None:
                    problems.append(
                        Problem(
                            row,
                            header,
                            cell,
                            f"is not a {entry.characteristic.replace('_', ' ')} value we can place",
                        )
                    )
                values.append(placed)
            columns[entry.characteristic] = pl.Series(entry.characteristic, values, pl.String)
        elif entry.role == SCALED and entry.scale is not None:
            no_answer = _no_answers(entry.scale)
            for row, cell in zip(rows, cells, strict=True):
                if cell is None:
                    values.append(None)
                    continue
                point = _answer_on(entry.scale, entry.values.get(cell, cell))
                if point is None and _key(cell) not in no_answer:
                    problems.append(
                        Problem(row, header, cell, "is not an answer on this question's scale")
                    )
                values.append(point if point is not None else cell)
            code = entry.code or entry.key
            columns[code] = pl.Series(code, values, pl.String)
            questions.append(Question(code, entry.text or header, SCALED, entry.scale))
        elif entry.role == CHOICE:
            code = entry.code or entry.key
            columns[code] = pl.Series(code, cells, pl.String)
            options = entry.options or tuple(dict.fromkeys(c for c in cells if c is not None))
            questions.append(Question(code, entry.text or header, CHOICE, options=options))
        elif entry.role == FREE_TEXT:
            code = entry.code or entry.key
            columns[code] = pl.Series(code, cells, pl.String)
            questions.append(Question(code, entry.text or header, FREE_TEXT))
        elif entry.role == MULTIPLE:
            code = entry.code or entry.key
            multiple.setdefault(code, (entry, []))[1].append(entry)
    for code, (first, entries) in multiple.items():
        columns[code] = _multiple(file, entries, code, rows, problems)
        options = tuple(dict.fromkeys(o for e in entries for o in e.options))
        questions.append(
            Question(code, first.text or _header(file, first.key), MULTIPLE, options=options)
        )
    if problems:
        raise SurveyFileError(problems[:MAX_PROBLEMS])
    if not questions:
        raise SurveyFileError([Problem(None, None, None, "no column is mapped as a question")])
    frame = pl.DataFrame(list(columns.values())) if columns else pl.DataFrame()
    if "ethnicity" in frame.columns:
        frame = frame.with_columns(
            pl.col("ethnicity")
            .replace_strict(ETHNICITY_TO_GROUP, default=UNKNOWN_GROUP)
            .alias("ethnic_group")
        )
    order = [c for c in CHARACTERISTICS if c in frame.columns]
    order += ["ethnic_group"] if "ethnic_group" in frame.columns else []
    frame = frame.select(*order, *(q.code for q in questions))
    shuffled = list(range(frame.height))
    random.SystemRandom().shuffle(shuffled)
    frame = frame[shuffled] if frame.height else frame
    return Responses(frame, tuple(questions))


_TICKS = frozenset({"yes", "1", "selected", "true", "x", "checked", "no", "0", "false"})


def _one_option(entry: ColumnMapping, cells: Sequence[str | None]) -> bool:
    """A column of one option: each cell is that option's text or a tick (or blank)."""
    if len(entry.options) != 1:
        return False
    allowed = _TICKS | {_key(entry.options[0])}
    return all(cell is None or _key(cell) in allowed | {""} for cell in cells)


def _multiple(
    file: SurveyFile,
    entries: list[ColumnMapping],
    code: str,
    rows: Sequence[int],
    problems: list[Problem],
) -> pl.Series:
    """A multiple-choice question as a list of the options chosen: from one column per option
    (the cell holds the option, or Yes), or from one joined cell matched against the known
    options longest first (options may themselves hold commas)."""
    chosen: list[list[str]] = [[] for _ in range(file.answers.height)]
    for entry in entries:
        column = file.column(entry.key)
        cells = file.answers[entry.key].cast(pl.String).to_list()
        if column.sub_item or _one_option(entry, cells):
            option = entry.options[0] if entry.options else (column.sub_item or column.question)
            for i, cell in enumerate(cells):
                if cell is not None and _key(cell) not in ("", "no", "0", "false"):
                    chosen[i].append(option)
            continue
        options = sorted(entry.options, key=len, reverse=True)
        header = _header(file, entry.key)
        for i, cell in enumerate(cells):
            rest = cell or ""
            for option in options:
                # Case-insensitively, so "mentoring" in a joined cell is the option "Mentoring".
                pattern = re.compile(re.escape(option), re.IGNORECASE)
                if pattern.search(rest):
                    chosen[i].append(option)
                    rest = pattern.sub(";", rest)
            left = [p.strip() for p in re.split(r"[;,]", rest) if p.strip()]
            if left and _key(", ".join(left)) not in NO_ANSWER:
                problems.append(
                    Problem(
                        rows[i], header, ", ".join(left), "is not one of this question's options"
                    )
                )
    return pl.Series(code, chosen, dtype=pl.List(pl.String))
