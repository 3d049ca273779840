"""Words of the quarterly board report that do not need the database: how old a figure is,
and the EDI officer's key messages read from plain text.

Pure functions (no Django), so the wording is tested by hand on quarter boundaries
(tests/actions/test_board_report_text.py).
"""

from __future__ import annotations

import re
from datetime import date

from equitable.metrics.quarters import Quarter

# Key messages: bounded so the PDF's first page stays a summary, not a second report.
MAX_KEY_MESSAGES = 3000
MAX_KEY_MESSAGE_LINES = 40
BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013])\s+(.*)$")


def short_date(on: date) -> str:
    """31 Mar 2025 (no leading zero: '1 Apr 2025')."""
    return f"{on.day} {on:%b %Y}"


def figure_age(as_at: date | None, quarter: str, *, source: str = "snapshot") -> str | None:
    """How old a figure is when it is older than the report's quarter, else None.

    A figure dated before the quarter's first day comes from an earlier quarter; the distance
    is counted in calendar quarters (31 Mar 2025 is 1 quarter before 2025Q2 and 2 before
    2025Q3; 1 Apr 2025 is inside 2025Q2 and needs no note). `source` names what the date is
    of: "snapshot" → "from the 31 Mar 2025 snapshot — 2 quarters before this report";
    "value" → "from the 31 Dec 2024 value — 1 quarter before this report"."""
    if as_at is None:
        return None
    report = Quarter.parse(quarter)
    if as_at >= report.start:
        return None
    quarters = report.index - Quarter.of(as_at).index
    distance = f"{quarters} quarter{'s' if quarters != 1 else ''} before this report"
    if source == "snapshot":
        return f"from the {short_date(as_at)} snapshot — {distance}"
    return f"from the {short_date(as_at)} value — {distance}"


def key_message_blocks(text: str) -> list[dict]:
    """Plain text → paragraphs and bullet lists, for the template to render (escaped).

    A blank line ends a paragraph; a line starting with '-', '*', '•' or '–' and a space is a
    bullet, and consecutive bullets make one list. Nothing in the text is markup: the blocks
    hold plain strings and the templates escape them, in the page and in the PDF alike."""
    blocks: list[dict] = []
    paragraph: list[str] = []

    def close_paragraph() -> None:
        if paragraph:
            blocks.append({"kind": "p", "text": " ".join(paragraph)})
            paragraph.clear()

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        bullet = BULLET.match(raw)
        if not line:
            close_paragraph()
            if blocks and blocks[-1]["kind"] == "ul":
                blocks[-1]["closed"] = True
        elif bullet and bullet[1].strip():
            close_paragraph()
            if not blocks or blocks[-1]["kind"] != "ul" or blocks[-1].get("closed"):
                blocks.append({"kind": "ul", "items": []})
            blocks[-1]["items"].append(bullet[1].strip())
        else:
            paragraph.append(line)
    close_paragraph()
    return [
        {"kind": "p", "text": b["text"]}
        if b["kind"] == "p"
        else {"kind": "ul", "items": b["items"]}
        for b in blocks
    ]


def key_message_problems(text: str) -> list[str]:
    """Why the key messages cannot be saved as written (empty list: they can)."""
    problems = []
    if len(text) > MAX_KEY_MESSAGES:
        problems.append(
            f"Key messages must be {MAX_KEY_MESSAGES:,} characters or fewer "
            f"(these have {len(text):,})"
        )
    if text.count("\n") + 1 > MAX_KEY_MESSAGE_LINES:
        problems.append(f"Key messages must be {MAX_KEY_MESSAGE_LINES} lines or fewer")
    if any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        problems.append("Key messages must be plain text: remove the control characters")
    return problems
