"""Staff survey figures beside 2c.5 and 4.2, and the levels they can suggest.

Pure (no Django): `survey_evidence(waves, window_end)` reads the survey waves' PROTECTED
tables (as rows: `questions`, `comparison_with_white`, `change_since_previous`) and
`suggest_from_surveys(evidence)` turns what they show into suggestions, each with its rule
beside it, as `lifecycle_suggestions.py` does for the lifecycle data.
`equitable.standard.services` feeds them (`survey_tables`, `survey_levels`) and the category
page shows `evidence.tables[criterion]` beside the criterion. The assessor may always overrule
a suggestion, giving a reason.

What the survey figures can and cannot show:
* 2c.5 ("data arising from annual staff surveys are used to design EDI training"): that an
  annual staff survey or race survey with results by ethnic group was run in the last 12
  months, and which questions show a gap between Black, Asian and Multi-ethnic and White staff
  beyond chance (what the training can be designed from). Not that the training *is* designed
  from it, nor the facilitated safe spaces that leading adds.
* 4.2 (leading only: "the organisation can evidence change/improvement ... via ... staff
  surveys"): the change since the previous wave for all staff and for Black, Asian and
  Multi-ethnic staff, and the gap to White staff now. Not the staff networks or 360 feedback,
  nor whether the change is in habits, behaviours and ways of working across all levels.

Withheld figures (row `suppressed`, or a figure missing) are shown as withheld with the row's
`why_withheld`, never as numbers, and nothing is derived from them. "Beyond chance" is the
row's `significant` (after the Holm correction `metrics.surveys.figures` applies over the
comparisons of one question); a row without it counts as not beyond chance.

"The last 12 months": the 12 months up to `window_end` (the end of the period assessed, from
`lifecycle_suggestions.assessment_window_end`). Waves whose fieldwork closed after it are
not read: an assessment of 2022 to 2023 does not rest on a 2024 survey.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from equitable.metrics.labels import AGGREGATE_LABEL, ETHNIC_GROUPS, WHITE
from equitable.standard.suggestions import Suggestion

Rows = Sequence[Mapping[str, Any]]
Tables = Mapping[str, Rows]

SOURCE = "staff survey data"
CRITERIA = ("2c.5", "4.2")  # the criteria these figures answer
TABLES = ("questions", "comparison_with_white", "change_since_previous")  # the tables read
# Kinds of wave that are "annual staff surveys" for 2c.5 (Survey.kind): a pulse survey is not.
TRAINING_KINDS = frozenset({"annual", "race"})
KIND_NAMES = {"annual": "an annual staff survey", "race": "a race survey"}
# The groups read beside the Black, Asian and Multi-ethnic aggregate: the four high-level ONS
# groups other than White. Their rows are shown when beyond chance (the aggregate always is).
MINORITY_GROUPS = tuple(g for g in ETHNIC_GROUPS if g != WHITE)
ALL_STAFF = "All staff"
WITHHELD = "withheld to protect small groups"


@dataclass(frozen=True)
class Wave:
    """One survey wave: its details and its protected tables (table -> rows)."""

    title: str
    kind: str  # Survey.kind: "race", "pulse", "annual" or "other"
    fieldwork_month: date  # the first day of the month fieldwork closed
    previous_title: str = ""
    previous_month: date | None = None
    tables: Tables = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.title} ({self.fieldwork_month:%B %Y})"

    @property
    def previous_label(self) -> str:
        if not self.previous_title:
            return ""
        month = f" ({self.previous_month:%B %Y})" if self.previous_month else ""
        return self.previous_title + month


@dataclass(frozen=True)
class Figure:
    """One row beside a criterion: a question, a group, its % favourable against a reference
    (White staff now, or the same group in the previous wave) and the difference in points.
    `withheld` holds the reason when the row is withheld; its figures are then all None."""

    question: str  # the question's text
    group: str
    percent: float | None
    reference_percent: float | None
    points: float | None
    ci_low: float | None
    ci_high: float | None
    significant: bool
    withheld: str | None = None

    @property
    def percent_text(self) -> str:
        return "" if self.percent is None else f"{self.percent:.1f}%"

    @property
    def reference_text(self) -> str:
        return "" if self.reference_percent is None else f"{self.reference_percent:.1f}%"

    @property
    def points_text(self) -> str:
        if self.points is None:
            return ""
        interval = ""
        if self.ci_low is not None and self.ci_high is not None:
            interval = f" ({_signed(self.ci_low)} to {_signed(self.ci_high)})"
        return _signed(self.points) + interval

    @property
    def significance_text(self) -> str:
        if self.points is None:
            return ""
        if not self.significant:
            return "No"
        return "Yes, higher" if self.points > 0 else "Yes, lower"


@dataclass(frozen=True)
class FigureTable:
    """Figures shown beside a criterion: those beyond chance as a table, how many others are
    within chance, and the withheld ones (each with its reason, never a number)."""

    caption: str  # of the table of figures beyond chance
    headings: tuple[str, str, str]  # its three figure columns, in the order shown
    figures: tuple[Figure, ...]  # every row read (shown or withheld)
    change: bool = False  # a change over time: the previous wave's % (then) comes first
    none_text: str = ""  # the sentence shown when no figure is beyond chance

    @property
    def rows(self) -> tuple[Figure, ...]:
        """The figures beyond chance (the table)."""
        return tuple(f for f in self.figures if f.withheld is None and f.significant)

    @property
    def within_chance(self) -> int:
        return sum(1 for f in self.figures if f.withheld is None and not f.significant)

    @property
    def withheld(self) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.withheld is not None)


@dataclass(frozen=True)
class SurveyEvidence:
    """What the survey waves show, reduced to what 2c.5 and 4.2 ask."""

    window_end: date
    training_wave: Wave | None  # the newest of them
    training_recent: bool  # its fieldwork in the 12 months to window_end
    gaps: tuple[Figure, ...]  # the training wave's Black, Asian and Multi-ethnic vs White rows
    change_wave: Wave | None  # the newest wave with a previous wave and a change table
    changes: tuple[Figure, ...]  # its change since the previous wave
    change_gaps: tuple[Figure, ...]  # its gap to White staff now

    @property
    def window_text(self) -> str:
        return f"the 12 months to {self.window_end:%-d %B %Y}"

    @property
    def tables(self) -> dict[str, tuple[FigureTable, ...]]:
        """The figures to show beside each criterion (criterion id -> tables)."""
        found: dict[str, tuple[FigureTable, ...]] = {}
        if self.training_wave is not None and self.gaps:
            found["2c.5"] = (_gap_table(self.training_wave, self.gaps),)
        if self.change_wave is not None and (self.changes or self.change_gaps):
            wave = self.change_wave
            tables = []
            if self.changes:
                tables.append(
                    FigureTable(
                        f"Changes beyond chance, {wave.previous_label} to {wave.label}",
                        ("Then", "Now", "Change, points (95% CI)"),
                        self.changes,
                        change=True,
                        none_text=(
                            f"From {wave.previous_label} to {wave.label} no change is beyond "
                            "what chance alone would give, for all staff or for Black, Asian "
                            "and Multi-ethnic staff."
                        ),
                    )
                )
            if self.change_gaps:
                tables.append(_gap_table(wave, self.change_gaps))
            found["4.2"] = tuple(tables)
        return found

    @property
    def improvements(self) -> tuple[Figure, ...]:
        """Rises beyond chance for Black, Asian and Multi-ethnic staff (the aggregate or one
        of its high-level groups)."""
        return tuple(
            f for f in self.changes if f.group != ALL_STAFF and f.significant and _above(f, 0)
        )

    @property
    def declines(self) -> tuple[Figure, ...]:
        return tuple(
            f for f in self.changes if f.group != ALL_STAFF and f.significant and _below(f, 0)
        )


def _gap_table(wave: Wave, rows: tuple[Figure, ...]) -> FigureTable:
    return FigureTable(
        f"Gaps beyond chance between Black, Asian and Multi-ethnic and White staff, {wave.label}",
        ("Favourable", "White staff", "Difference, points (95% CI)"),
        rows,
        none_text=(
            f"In {wave.label} no gap between Black, Asian and Multi-ethnic and White staff is "
            "beyond what chance alone would give."
        ),
    )


def _signed(value: float) -> str:
    return f"{value:+.1f}".replace("-", "\u2212")


def _above(figure: Figure, value: float) -> bool:
    return figure.points is not None and figure.points > value


def _below(figure: Figure, value: float) -> bool:
    return figure.points is not None and figure.points < value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _figure(
    row: Mapping[str, Any], text: str, group: str, percent: str, reference: str, points: str
) -> Figure:
    """A table row as a Figure; withheld (no figure at all) when the row is suppressed or any
    of its figures is missing, so a withheld row is never shown or counted as a number."""
    values = [_number(row.get(c)) for c in (percent, reference, points)]
    if row.get("suppressed") or any(v is None for v in values):
        reason = str(row.get("why_withheld") or "").strip() or WITHHELD
        return Figure(text, group, None, None, None, None, None, False, reason)
    low, high = _number(row.get("ci_low")), _number(row.get("ci_high"))
    return Figure(
        text,
        group,
        values[0],
        values[1],
        values[2],
        low,
        high,
        row.get("significant") is True,
    )


def _texts(tables: Tables) -> dict[str, str]:
    return {
        str(row["question"]): str(row.get("text") or row["question"])
        for row in tables.get("questions") or ()
        if row.get("question") is not None
    }


def _order(tables: Tables, rows: Rows) -> list[str]:
    """Questions in the wave's order (the questions table), then any others as they come."""
    order = list(_texts(tables))
    for row in rows:
        code = str(row.get("question"))
        if code not in order:
            order.append(code)
    return order


def _gaps(wave: Wave) -> tuple[Figure, ...]:
    """Per question: the Black, Asian and Multi-ethnic row against White (shown or withheld),
    then each high-level group's row whose gap is beyond chance."""
    rows = [
        r
        for r in wave.tables.get("comparison_with_white") or ()
        if r.get("reference_group", WHITE) == WHITE
    ]
    texts = _texts(wave.tables)
    found = []
    for code in _order(wave.tables, rows):
        text = texts.get(code, code)
        of_question = [r for r in rows if str(r.get("question")) == code]
        for row in of_question:
            if row.get("ethnic_group") == AGGREGATE_LABEL:
                found.append(
                    _figure(
                        row,
                        text,
                        AGGREGATE_LABEL,
                        "percent_favourable",
                        "reference_percent_favourable",
                        "difference_points",
                    )
                )
        for group in MINORITY_GROUPS:
            for row in of_question:
                if row.get("ethnic_group") != group:
                    continue
                figure = _figure(
                    row,
                    text,
                    group,
                    "percent_favourable",
                    "reference_percent_favourable",
                    "difference_points",
                )
                if figure.withheld is None and figure.significant:
                    found.append(figure)
    return tuple(found)


def _changes(wave: Wave) -> tuple[Figure, ...]:
    """Per question: all staff and Black, Asian and Multi-ethnic staff (shown or withheld),
    then each high-level group's change beyond chance."""
    rows = wave.tables.get("change_since_previous") or ()
    texts = _texts(wave.tables)
    found = []

    def figure(row: Mapping[str, Any], text: str, group: str) -> Figure:
        return _figure(
            row, text, group, "percent_favourable", "previous_percent_favourable", "change_points"
        )

    for code in _order(wave.tables, rows):
        text = texts.get(code, code)
        of_question = [r for r in rows if str(r.get("question")) == code]
        for row in of_question:
            if row.get("characteristic") == "overall":
                found.append(figure(row, text, ALL_STAFF))
        for row in of_question:
            if row.get("characteristic") == "ethnic_group" and row.get("group") == AGGREGATE_LABEL:
                found.append(figure(row, text, AGGREGATE_LABEL))
        for group in MINORITY_GROUPS:
            for row in of_question:
                if row.get("characteristic") != "ethnic_group" or row.get("group") != group:
                    continue
                shown = figure(row, text, group)
                if shown.withheld is None and shown.significant:
                    found.append(shown)
    return tuple(found)


def _recent(month: date, window_end: date) -> bool:
    """Fieldwork closed in a month that overlaps the 12 months up to `window_end`."""
    window_start = window_end - timedelta(days=365)
    next_month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return month <= window_end and next_month > window_start + timedelta(days=1)


def choose_waves(waves: Sequence[Wave], window_end: date) -> tuple[Wave | None, Wave | None]:
    """(the newest annual staff or race survey, the newest wave with a previous wave), both
    with fieldwork on or before `window_end`. Only these two are read."""
    usable = sorted(
        (w for w in waves if w.fieldwork_month <= window_end),
        key=lambda w: w.fieldwork_month,
        reverse=True,
    )
    training = next((w for w in usable if w.kind in TRAINING_KINDS), None)
    change = next((w for w in usable if w.previous_title), None)
    return training, change


def survey_evidence(waves: Sequence[Wave], window_end: date) -> SurveyEvidence:
    """Read the chosen waves' protected tables."""
    training, change = choose_waves(waves, window_end)
    changes = _changes(change) if change is not None else ()
    if change is not None and not changes:
        change = None  # no question asked in both waves: nothing to show for 4.2
    return SurveyEvidence(
        window_end=window_end,
        training_wave=training,
        training_recent=training is not None and _recent(training.fieldwork_month, window_end),
        gaps=_gaps(training) if training is not None else (),
        change_wave=change,
        changes=changes,
        change_gaps=_gaps(change) if change is not None else (),
    )


# --- the suggestions ------------------------------------------------------------------------


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _questions(figures: Sequence[Figure]) -> int:
    return len({f.question for f in figures})


def suggest_training_data(evidence: SurveyEvidence) -> Suggestion | None:
    """2c.5. Established: an annual staff survey or race survey whose fieldwork closed in the
    last 12 months, with results by ethnic group (at least one comparison of Black, Asian and
    Multi-ethnic staff, or one of their groups, with White staff that is not withheld). Such
    surveys held but the newest older than 12 months: none. Leading (facilitated safe spaces
    too) is beyond what the figures show; so is whether the training is designed from them.
    No such survey, or every comparison withheld: no suggestion."""
    wave = evidence.training_wave
    if wave is None:
        return None
    kind = KIND_NAMES.get(wave.kind, "a survey")
    if not evidence.training_recent:
        return Suggestion(
            "none",
            f"Newest annual staff or race survey: {wave.label}, none for {evidence.window_text}",
            "Rule: established needs an annual staff survey (or race survey) whose fieldwork "
            "closed in the last 12 months, with results by ethnic group; the newest one held "
            "is older: none. If you ran one that is not in Equitable, choose established and "
            "give it as evidence.",
            SOURCE,
        )
    shown = [f for f in evidence.gaps if f.withheld is None]
    if not shown:
        return None  # every comparison withheld: the data say nothing either way
    gaps = [f for f in shown if f.significant]
    lower = [f for f in gaps if _below(f, 0)]
    figure = (
        f"{wave.label}, {kind} with results by ethnic group: gaps beyond chance between "
        f"Black, Asian and Multi-ethnic and White staff on {_questions(gaps)} of "
        f"{_questions(evidence.gaps)} questions"
        + (f" ({_questions(lower)} less favourable)" if gaps else "")
    )
    return Suggestion(
        "established",
        figure,
        "Rule: an annual staff survey (or race survey) whose fieldwork closed in the last 12 "
        "months, with results by ethnic group compared with White staff, is the data the "
        "criterion asks to design EDI training from: established, if the training is designed "
        "from it (the gaps are listed below); if it is not, choose none. Leading also needs "
        "facilitated safe spaces, which survey figures cannot show. A figure withheld for "
        "small numbers shows nothing either way.",
        SOURCE,
    )


def suggest_survey_change(evidence: SurveyEvidence) -> Suggestion | None:
    """4.2 (leading only). Leading: in the newest wave with a previous wave, at least one
    question whose favourable answers among Black, Asian and Multi-ethnic staff (the aggregate
    or one of its high-level groups) rose beyond chance since the previous wave. Otherwise no
    suggestion: no rise beyond chance is not evidence of no change (the criterion also counts
    staff networks and 360 feedback)."""
    wave = evidence.change_wave
    if wave is None or not evidence.improvements:
        return None
    rises = evidence.improvements
    falls = evidence.declines
    groups = sorted({f.group for f in rises}, key=lambda g: (g != AGGREGATE_LABEL, g))
    figure = (
        f"{wave.previous_label} to {wave.label}: favourable answers rose beyond chance on "
        f"{_questions(rises)} question{'s' if _questions(rises) != 1 else ''} for "
        f"{_and(groups)} staff" + (f"; fell beyond chance on {_questions(falls)}" if falls else "")
    )
    return Suggestion(
        "leading",
        figure,
        "Rule: at least one question whose favourable answers among Black, Asian and "
        "Multi-ethnic staff rose beyond what chance alone would give between two survey waves "
        "is evidence of change via staff surveys: leading. The criterion asks for change in "
        "habits, behaviours and ways of working across all levels of the organisation: if "
        "these questions do not show that"
        + (", or the falls outweigh it" if falls else "")
        + ", choose none. A figure withheld for small numbers shows nothing either way.",
        SOURCE,
    )


def suggest_from_surveys(evidence: SurveyEvidence) -> dict[str, Suggestion]:
    """Suggested levels by criterion id, for the criteria the survey figures can answer."""
    found = {
        "2c.5": suggest_training_data(evidence),
        "4.2": suggest_survey_change(evidence),
    }
    return {cid: suggestion for cid, suggestion in found.items() if suggestion is not None}
