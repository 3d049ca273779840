"""Synthetic staff surveys for the demo, tests and benchmarks, written as tools export them.

The demo council's Race Survey 2020 (573 respondents, December 2020) and its late-2022
follow-up, and two pulse surveys, with the differences the Independent Race Review found
(Black, Asian and Multi-ethnic staff less likely to feel safe to speak up, to see fair career
opportunities, or to feel confident reporting racism) and some improvement by 2022. Every
value is random: no respondent is real and no comment names anyone.

Pure module: no Django.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass

# (category as a survey words it, share of respondents, ONS group)
ETHNICITY_ANSWERS: tuple[tuple[str, float, str], ...] = (
    ("White - English, Welsh, Scottish, Northern Irish or British", 0.30, "White"),
    ("White - Irish", 0.02, "White"),
    ("White - Any other White background", 0.08, "White"),
    ("Asian or Asian British - Indian", 0.19, "Asian"),
    ("Asian or Asian British - Pakistani", 0.04, "Asian"),
    ("Asian or Asian British - Bangladeshi", 0.015, "Asian"),
    ("Asian or Asian British - Chinese", 0.01, "Asian"),
    ("Asian or Asian British - Any other Asian background", 0.05, "Asian"),
    ("Black or Black British - African", 0.07, "Black"),
    ("Black or Black British - Caribbean", 0.06, "Black"),
    ("Black or Black British - Any other Black background", 0.01, "Black"),
    ("Mixed - White and Black Caribbean", 0.015, "Mixed"),
    ("Mixed - White and Asian", 0.01, "Mixed"),
    ("Mixed - Any other mixed background", 0.01, "Mixed"),
    ("Other ethnic group - Arab", 0.015, "Other"),
    ("Other ethnic group - Any other ethnic group", 0.015, "Other"),
    ("Prefer not to say", 0.05, "Unknown"),
)
AGREE = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
COMMENTS = (
    "More visible support from senior leaders would help.",
    "The mentoring scheme has been good for my confidence.",
    "I would like clearer routes to promotion in my service.",
    "Training on inclusive recruitment should be for every panel member.",
    "I am not sure reports of racism are followed up.",
    "My team is supportive and I feel able to speak up.",
    "Flexible working has made a real difference.",
    "Managers need more time for one-to-ones.",
)


@dataclass(frozen=True)
class SurveyQuestion:
    """A question of the synthetic questionnaire: `base` is the share favourable among White
    staff; `gap` the points lower among Black, Asian and Multi-ethnic staff in 2020."""

    code: str
    text: str
    theme: str
    kind: str  # "agree", "yes_no", "experience", "text"
    base: float = 0.6
    gap: float = 0.1
    pulse: bool = False


QUESTIONS: tuple[SurveyQuestion, ...] = (
    SurveyQuestion(
        "Q1",
        "I feel safe to speak up and challenge the way things are done",
        "Psychological safety",
        "agree",
        0.62,
        0.16,
        True,
    ),
    SurveyQuestion(
        "Q2", "I feel able to be myself at work", "Psychological safety", "agree", 0.70, 0.14, True
    ),
    SurveyQuestion(
        "Q3",
        "Mistakes are dealt with fairly in my team",
        "Psychological safety",
        "agree",
        0.58,
        0.12,
    ),
    SurveyQuestion(
        "Q4",
        "My manager treats everyone in the team fairly",
        "Management behaviour",
        "agree",
        0.68,
        0.13,
        True,
    ),
    SurveyQuestion(
        "Q5",
        "The council provides equal opportunities for career progression or promotion",
        "Career opportunities",
        "agree",
        0.55,
        0.20,
    ),
    SurveyQuestion(
        "Q6",
        "I have had a conversation about my development in the last 12 months",
        "Career opportunities",
        "agree",
        0.60,
        0.10,
    ),
    SurveyQuestion(
        "Q7",
        "I am aware of the Dignity at Work policy",
        "Confidence in reporting",
        "agree",
        0.72,
        0.08,
        True,
    ),
    SurveyQuestion(
        "Q8",
        "I would feel confident reporting racism",
        "Confidence in reporting",
        "agree",
        0.60,
        0.22,
        True,
    ),
    SurveyQuestion(
        "Q9", "My wellbeing is supported at work", "Wellbeing", "agree", 0.57, 0.07, True
    ),
    SurveyQuestion(
        "Q10", "I have a sponsor or mentor", "Career opportunities", "yes_no", 0.22, -0.02
    ),
    SurveyQuestion(
        "Q11",
        "In the last 12 months I have personally experienced racism from a colleague or manager",
        "Racism experienced",
        "yes_no",
        0.92,
        0.17,
    ),
    SurveyQuestion(
        "Q12",
        "In the last 12 months how often have you experienced harassment, bullying or abuse from residents or the public?",
        "Racism experienced",
        "experience",
        0.70,
        0.10,
    ),
    SurveyQuestion(
        "Q13",
        "In the last 12 months how often have you experienced harassment, bullying or abuse from colleagues or managers?",
        "Racism experienced",
        "experience",
        0.78,
        0.12,
    ),
    SurveyQuestion("Q14", "Is there anything else you would like to tell us?", "Comments", "text"),
)
DEMOGRAPHICS = (
    ("ethnicity", "What is your ethnic group?"),
    ("sex", "What is your sex?"),
    ("disability", "Do you consider yourself to have a disability?"),
    ("sexual_orientation", "What is your sexual orientation?"),
    ("religion", "What is your religion or belief?"),
    ("age_band", "What is your age?"),
    ("directorate", "Which directorate do you work in?"),
    ("pay_band", "What is your pay band?"),
)


@dataclass(frozen=True)
class Wave:
    title: str
    month: str  # YYYY-MM
    respondents: int
    improvement: float  # how much of the 2020 gap has closed (0 to 1)
    pulse: bool = False


WAVES = (
    Wave("Staff Survey on Race 2020", "2020-12", 573, 0.0),
    Wave("Race Survey 2022", "2022-11", 640, 0.4),
    Wave("Pulse survey summer 2023", "2023-06", 410, 0.5, pulse=True),
    Wave("Pulse survey summer 2024", "2024-06", 455, 0.6, pulse=True),
)


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _respondent(rng: random.Random, directorates: Sequence[str]) -> dict[str, str]:
    ethnicity, _, group = rng.choices(
        ETHNICITY_ANSWERS, weights=[share for _, share, _ in ETHNICITY_ANSWERS]
    )[0]
    return {
        "ethnicity": ethnicity,
        "_group": group,
        "sex": _weighted(rng, (("Female", 0.6), ("Male", 0.36), ("Prefer not to say", 0.04))),
        "disability": _weighted(rng, (("Yes", 0.1), ("No", 0.84), ("Prefer not to say", 0.06))),
        "sexual_orientation": _weighted(
            rng,
            (
                ("Heterosexual or straight", 0.82),
                ("Gay or lesbian", 0.04),
                ("Bisexual", 0.03),
                ("Prefer not to say", 0.11),
            ),
        ),
        "religion": _weighted(
            rng,
            (
                ("Christian", 0.38),
                ("Hindu", 0.14),
                ("Muslim", 0.12),
                ("No religion", 0.24),
                ("Other religion", 0.04),
                ("Prefer not to say", 0.08),
            ),
        ),
        "age_band": _weighted(
            rng, (("16-24", 0.05), ("25-34", 0.2), ("35-44", 0.25), ("45-54", 0.28), ("55+", 0.22))
        ),
        "directorate": rng.choice(list(directorates)),
        "pay_band": _weighted(
            rng,
            (("Band 1", 0.3), ("Band 2", 0.3), ("Band 3", 0.25), ("Band 4", 0.1), ("Band 5", 0.05)),
        ),
    }


def _favourable_share(question: SurveyQuestion, group: str, wave: Wave) -> float:
    gap = question.gap * (1 - wave.improvement)
    extra = {"Black": 0.05, "Mixed": 0.02, "Asian": -0.03, "Other": 0.0}.get(group, 0.0)
    if group in ("White", "Unknown"):
        return question.base
    return max(0.02, min(0.98, question.base - gap - extra * (1 - wave.improvement)))


def _answer(rng: random.Random, question: SurveyQuestion, share: float) -> str | None:
    if rng.random() < 0.02:
        return None  # skipped
    if question.kind == "text":
        return rng.choice(COMMENTS) if rng.random() < 0.35 else None
    favourable = rng.random() < share
    if question.kind == "yes_no":
        # Q10 asks a good thing (Yes favourable); Q11 an experience of harm (No favourable).
        good, bad = ("Yes", "No") if question.code == "Q10" else ("No", "Yes")
        return good if favourable else bad
    if question.kind == "experience":
        if favourable:
            return "Never"
        return rng.choice(
            ("1-2 times", "1-2 times", "3-5 times", "6-10 times", "More than 10 times")
        )
    if rng.random() < 0.03:
        return "Don't know"
    if favourable:
        return "Strongly agree" if rng.random() < 0.35 else "Agree"
    return rng.choice(("Neither agree nor disagree", "Disagree", "Disagree", "Strongly disagree"))


def questions_for(wave: Wave) -> tuple[SurveyQuestion, ...]:
    return tuple(q for q in QUESTIONS if q.pulse or not wave.pulse)


def wave_rows(wave: Wave, *, directorates: Sequence[str], seed: int) -> list[dict[str, str | None]]:
    """One dict per respondent: demographic answers and each question's answer."""
    rng = random.Random(f"{seed}:{wave.title}")
    rows = []
    for _ in range(wave.respondents):
        person = _respondent(rng, directorates)
        group = person.pop("_group")
        row: dict[str, str | None] = dict(person)
        for question in questions_for(wave):
            row[question.code] = _answer(rng, question, _favourable_share(question, group, wave))
        rows.append(row)
    return rows


def _csv(rows: list[list[str]], *, bom: bool) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def surveymonkey_export(wave: Wave, rows: list[dict[str, str | None]]) -> bytes:
    """Two header rows, the metadata columns SurveyMonkey always writes (left empty but for the
    ids, as a web link collector with anonymous responses leaves them), UTF-8 with BOM, CRLF."""
    meta = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    questions = questions_for(wave)
    first = meta + [text for _, text in DEMOGRAPHICS] + [q.text for q in questions]
    second = (
        [""] * len(meta)
        + ["Response"] * len(DEMOGRAPHICS)
        + ["Open-Ended Response" if q.kind == "text" else "Response" for q in questions]
    )
    body = []
    for number, row in enumerate(rows, start=1):
        body.append(
            [str(11_000_000_000 + number), "402218477", "", "", "", "", "", "", ""]
            + [row[c] or "" for c, _ in DEMOGRAPHICS]
            + [row[q.code] or "" for q in questions]
        )
    return _csv([first, second, *body], bom=True)


def qualtrics_export(wave: Wave, rows: list[dict[str, str | None]]) -> bytes:
    """Three header rows (ids, labels, ImportId JSON), `Status` IP Address, no BOM."""
    meta = [
        ("StartDate", "Start Date"),
        ("EndDate", "End Date"),
        ("Status", "Response Type"),
        ("Progress", "Progress"),
        ("Finished", "Finished"),
        ("ResponseId", "Response ID"),
    ]
    questions = questions_for(wave)
    ids = (
        [m for m, _ in meta]
        + [f"D{i + 1}" for i in range(len(DEMOGRAPHICS))]
        + [q.code for q in questions]
    )
    labels = (
        [label for _, label in meta]
        + [text for _, text in DEMOGRAPHICS]
        + [q.text for q in questions]
    )
    imports = [json.dumps({"ImportId": i}) for i in ids]
    body = []
    for number, row in enumerate(rows, start=1):
        body.append(
            ["", "", "IP Address", "100", "True", f"R_{number:06d}"]
            + [row[c] or "" for c, _ in DEMOGRAPHICS]
            + [row[q.code] or "" for q in questions]
        )
    return _csv([ids, labels, imports, *body], bom=False)


def plain_export(wave: Wave, rows: list[dict[str, str | None]]) -> bytes:
    """One header row: the canonical demographic names and the questions' text."""
    questions = questions_for(wave)
    header = [c for c, _ in DEMOGRAPHICS] + [q.text for q in questions]
    keys = [c for c, _ in DEMOGRAPHICS] + [q.code for q in questions]
    body = [[row[k] or "" for k in keys] for row in rows]
    return _csv([header, *body], bom=False)


def demo_exports(directorates: Sequence[str], seed: int = 15) -> list[tuple[Wave, bytes, str]]:
    """The four demo waves as the tools export them: (wave, bytes, file name)."""
    found = []
    for index, wave in enumerate(WAVES):
        rows = wave_rows(wave, directorates=directorates, seed=seed)
        if index == 0:
            found.append((wave, surveymonkey_export(wave, rows), "race-survey-2020.csv"))
        elif index == 1:
            found.append((wave, qualtrics_export(wave, rows), "race-survey-2022.csv"))
        else:
            found.append((wave, plain_export(wave, rows), f"pulse-{wave.month}.csv"))
    return found
