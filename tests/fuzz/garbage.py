"""What the fuzzers send: odd values for addresses, query strings, form fields and files, and
a reader that finds every form on a page (its fields and their choices)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from hypothesis import strategies as st

# Values that have broken web forms before: empty, huge, unicode, not-a-number, negative, dates
# out of range, formula-like (CSV injection), markup and template syntax, control characters.
ODD_TEXT = [
    "Ünïcödé ✓ =1+1",  # first: the value Hypothesis tries first (space, unicode, a formula)
    "",
    " ",
    "0",
    "-1",
    "-0.5",
    "1e308",
    "1e309",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "99999999999999999999999",
    "9223372036854775808",
    "0001-01-01",
    "9999-12-31",
    "2025-02-30",
    "31/12/2025",
    "0001Q1",
    "9999Q4",
    "=1+1",
    '=HYPERLINK("http://example.com","x")',
    "+SUM(A1:A9)",
    "@cmd",
    "\t=1",
    "\r=1",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% debug %}",
    "\x00",
    "a\r\nb",
    "😀" * 40,
    "Ω" * 5000,
    "x" * 100_000,
    "#000000",
    "../../etc/passwd",
    "true",
    "[]",
]
# Path parameters: the converter decides what can reach a view; these are what it lets through
# (or should not): zero, past 64 bits, an empty year, odd bytes, very long.
ODD_PATH = {
    "int": ["0", "99999999999999999999999", "9223372036854775808"],
    "default": ["0001Q1", "9999Q4", "%00", "%C3%BC%F0%9F%98%80", "x" * 300, "NaN", "-1"],
}
ODD_FILES = [
    b"",
    b"not really a file",
    b"PK\x03\x04" + b"\x00" * 64,
    b"%PDF-1.4\n%%EOF garbage",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
    b"\xef\xbb\xbfemployee_id,ethnicity\n=1+1,\xff\xfe\n",
    bytes(range(256)) * 200,
]
FILE_NAMES = ["extract.csv", "workbook.xlsx", "photo.png", "report.pdf", "notes.txt", "x.exe", ""]


def odd_text() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(ODD_TEXT), st.text(max_size=40))


# A value that passes a field's checks, guessed from its type and name, so that one garbage
# value at a time gets deep into a form (past "this field is required" on every other field).
PLAUSIBLE_BY_NAME = [
    (("date", "_on", "due", "start", "end", "month"), "2025-03-31"),
    (("colour", "color"), "#1d4f76"),
    (("link", "url", "website"), "https://example.com/evidence"),
    (("quarter",), "2025Q1"),
    (("points",), "2025-12-31 50"),
    (("email",), "jo.bloggs@council.gov.uk"),
    (("username",), "jo.bloggs"),
    (("password",), "a-very-long-pass-phrase-9"),
    (
        ("hours", "threshold", "days", "tolerance", "value", "count", "size", "number", "hand-"),
        "10",
    ),
]
PLAUSIBLE_BY_TYPE = {
    "email": "jo.bloggs@council.gov.uk",
    "password": "a-very-long-pass-phrase-9",
    "number": "10",
    "date": "2025-03-31",
    "url": "https://example.com/evidence",
}


def plausible_text(name: str, kind: str) -> str:
    if kind in PLAUSIBLE_BY_TYPE:
        return PLAUSIBLE_BY_TYPE[kind]
    lowered = name.lower()
    if lowered == "on":
        return "2025-03-31"
    for words, value in PLAUSIBLE_BY_NAME:
        if any(word in lowered for word in words):
            return value
    return "Example text"


def garbage_for(name: str, spec: Field) -> st.SearchStrategy:
    """Garbage for one field: an odd value, or a plausible value with a part made odd (so that
    "2025-12-31 50" becomes "2025-12-31 nan", or "jo.bloggs" becomes "jo.bloggs 😀")."""
    if spec.kind == "file":
        return st.lists(upload(), min_size=1, max_size=2)
    if spec.multiple:
        return st.lists(st.one_of(st.sampled_from(spec.choices or [""]), odd_text()), max_size=3)
    words = plausible_text(name, spec.kind).split()
    mutated = st.builds(
        lambda odd, index: " ".join(words[:index] + [odd] + words[index + 1 :]),
        st.sampled_from(ODD_TEXT),
        st.integers(0, len(words) - 1),
    )
    return st.one_of(odd_text(), mutated, st.builds(lambda odd: " ".join(words) + odd, odd_text()))


def plausible_for(name: str, spec: Field) -> st.SearchStrategy:
    if spec.kind == "file":
        return st.just([])
    if spec.choices:
        chosen = st.sampled_from(spec.choices)
        return st.lists(chosen, min_size=1, max_size=2, unique=True) if spec.multiple else chosen
    return st.just(plausible_text(name, spec.kind))


@st.composite
def upload(draw):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        draw(st.sampled_from(FILE_NAMES)) or "upload",
        draw(st.sampled_from(ODD_FILES)),
        content_type=draw(st.sampled_from(["application/octet-stream", "text/csv", ""])),
    )


@st.composite
def form_data(draw, form: Form, spoiled: str) -> dict:
    """Plausible values in every field but `spoiled`, which gets garbage: one bad value at a
    time reaches the code behind the form's other checks."""
    names = [name for name in form.fields if name != "csrfmiddlewaretoken"]
    return {
        name: draw(
            garbage_for(name, form.fields[name])
            if name == spoiled
            else plausible_for(name, form.fields[name])
        )
        for name in names
    }


# --- reading forms ------------------------------------------------------------------------


@dataclass
class Field:
    kind: str = "text"
    choices: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def signature(self) -> tuple:
        return (self.method, self.action, tuple(sorted(self.fields)))


class _FormReader(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            action = attributes.get("action") or self.page_url
            self._form = Form((attributes.get("method") or "get").lower(), action)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            spec = self._form.fields.setdefault(
                name, Field(kind="file" if kind == "file" else kind)
            )
            value = attributes.get("value")
            # A radio, checkbox or hidden value is a choice; a typed field's value only a default.
            if value is not None and (value or kind in {"radio", "checkbox", "hidden"}):
                spec.choices.append(value)
            if kind == "checkbox" or "multiple" in attributes:
                spec.multiple = True
        elif tag == "textarea" and name:
            self._form.fields.setdefault(name, Field(kind="textarea"))
        elif tag == "select" and name:
            self._form.fields.setdefault(
                name, Field(kind="select", multiple="multiple" in attributes)
            )
            self._select = name
        elif tag == "option" and self._select is not None:
            value = attributes.get("value")
            if value is not None:
                self._form.fields[self._select].choices.append(value)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def forms_on(page: str, page_url: str) -> list[Form]:
    reader = _FormReader(page_url)
    reader.feed(page)
    return reader.forms


# --- addresses ----------------------------------------------------------------------------

_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def odd_addresses(pattern: str, sample: dict) -> list[str]:
    """The route's address with each parameter in turn replaced by odd values (sent as they
    are: some are already percent-encoded bytes), the others taken from the sample."""
    addresses = []
    parameters = list(_PARAMETER.finditer(pattern))
    for target in parameters:
        kind = "int" if target["converter"] == "int" else "default"
        for odd in ODD_PATH[kind]:

            def value(match, odd=odd, name=target["name"]):
                if match["name"] == name:
                    return odd
                return quote(str(sample.get(match["name"], "1")))

            addresses.append("/" + _PARAMETER.sub(value, pattern))
    return addresses


@functools.cache
def query_names() -> tuple[str, ...]:
    """Every query parameter a view reads, found in the source (so a new one is fuzzed too)."""
    root = Path(__file__).resolve().parents[2] / "equitable"
    names = {"page", "quarter", "next", "format", "sort"}
    for source in root.rglob("*.py"):
        names |= set(
            re.findall(r"request\.GET\.get(?:list)?\(\s*[\"'](\w+)[\"']", source.read_text())
        )
    return tuple(sorted(names))
