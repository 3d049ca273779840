"""What a rendered page must never contain, and the links and forms a crawler follows.

Plain Python (no Django) so that the checks themselves are tested on hand-made pages
(tests/pages/test_html_checks.py) before they are trusted on every page of the demo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Template source that reached the page: an undefined name under DebugUndefined, a tag that
# did not parse, or Jinja's own wording for a missing key.
TEMPLATE_MARKERS = ("{{", "}}", "{%", "%}", "no such element", "is undefined")
# Markup that was escaped twice (HTML built as a string, then escaped by autoescape).
ESCAPED_MARKUP = re.compile(
    r"&lt;/?(?:p|a|div|span|strong|em|ul|ol|li|br|h[1-6]|table|tr|td|th|svg|script)\b",
    re.IGNORECASE,
)
# Words a programmer wrote for another programmer: a Python value printed as text.
PROGRAMMER_VALUES = re.compile(r">\s*(?:None|nan|NaN|True|False|\[\]|\{\})\s*<")
FREE_TEXT_TYPES = {"text", "search", "email", "url", "tel", ""}


@dataclass
class Field:
    tag: str  # input | textarea | select
    name: str
    type: str = ""
    value: str = ""
    checked: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)

    def free_text(self) -> list[Field]:
        return [
            f
            for f in self.fields
            if f.tag == "textarea" or (f.tag == "input" and f.type in FREE_TEXT_TYPES)
        ]

    def user_fields(self) -> list[Field]:
        """Fields a person fills in (not hidden values, not buttons)."""
        return [
            f
            for f in self.fields
            if f.name and f.type not in {"hidden", "submit", "button", "reset", "image"}
        ]

    def hidden_values(self) -> dict[str, str]:
        """What a browser sends when the person fills nothing in: the hidden inputs only."""
        return {f.name: f.value for f in self.fields if f.type == "hidden" and f.name}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag in {"a", "link"} and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            self._form = Form(
                method=attributes.get("method", "get").lower(), action=attributes.get("action", "")
            )
            self.forms.append(self._form)
        elif tag in {"input", "select", "button"} and self._form is not None:
            self._form.fields.append(
                Field(
                    tag,
                    attributes.get("name", ""),
                    attributes.get("type", "submit" if tag == "button" else "").lower(),
                    attributes.get("value", ""),
                    "checked" in attributes,
                )
            )
        elif tag == "textarea":
            self._textarea = Field("textarea", attributes.get("name", ""))
            if self._form is not None:
                self._form.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data


@dataclass
class ParsedPage:
    links: list[str]
    forms: list[Form]


def parse(html: str) -> ParsedPage:
    page = _Page()
    page.feed(html)
    page.close()
    return ParsedPage(page.links, page.forms)


def _visible(html: str) -> str:
    """The page without its scripts and inline SVG titles' attributes (where braces are legal)."""
    return re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL | re.IGNORECASE)


def markup_problems(html: str) -> list[str]:
    """Template source, double-escaped markup or a printed Python value in a page."""
    text = _visible(html)
    problems = [f"template marker {marker!r}" for marker in TEMPLATE_MARKERS if marker in text]
    for match in ESCAPED_MARKUP.finditer(text):
        problems.append(f"escaped markup {match.group(0)!r}")
        break
    for match in PROGRAMMER_VALUES.finditer(text):
        problems.append(f"a Python value shown as text {match.group(0).strip('<> ')!r}")
        break
    return problems


def default_problems(form: Form) -> list[str]:
    """Free-text fields pre-filled with something no person typed."""
    problems = []
    for f in form.free_text():
        value = f.value.strip()
        if any(marker in value for marker in TEMPLATE_MARKERS) or value in {"None", "nan"}:
            problems.append(f"field {f.name!r} pre-filled with {value[:60]!r}")
    return problems


def empty_after_empty_post(form: Form) -> list[str]:
    """After an empty submission every free-text field of that form must still be empty."""
    return [
        f"field {f.name!r} holds {f.value.strip()[:60]!r} after an empty submission"
        for f in form.free_text()
        if f.value.strip()
    ]
