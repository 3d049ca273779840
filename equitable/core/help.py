"""Help pages: one per section, saying where each figure comes from, and the project's own
definitions (docs/metrics.md, docs/disclosure-control.md) rendered in the app.

Why render the docs rather than copy them: the definitions a page cites and the ones the
developers keep are then the same text. They are rendered with markdown-it-py (CommonMark,
raw HTML off: a `<script>` in a doc is shown as text, never run; links are checked by the
library's own `validateLink`, which refuses `javascript:`, `vbscript:`, `file:` and `data:`
other than pictures), once per process, with GOV.UK classes on each element and wide tables in
a scroll container. A link to another of these docs goes to its page here; a link to a doc or
file we do not show becomes plain text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from markdown_it import MarkdownIt
from markupsafe import Markup

from equitable.core import roles as R


@dataclass(frozen=True)
class HelpSection:
    slug: str
    title: str
    url_name: str  # the section's own page, linked from its help
    roles: frozenset
    path_prefix: str  # pages under this path link to this help


SECTIONS = [
    HelpSection(
        "workforce", "Workforce evidence", "workforce:index", R.DASHBOARD_ROLES, "/workforce/"
    ),
    HelpSection("actions", "Action plan", "actions:index", R.DASHBOARD_ROLES, "/actions/"),
    HelpSection(
        "lifecycle",
        "Employee lifecycle",
        "lifecycle:index",
        frozenset({R.Role.EDI_OFFICER, R.Role.HR_ANALYST, R.Role.BOARD_MEMBER, R.Role.CHAMPION}),
        "/lifecycle/",
    ),
    HelpSection(
        "training",
        "Training compliance",
        "training:index",
        frozenset({R.Role.EDI_OFFICER, R.Role.HR_ANALYST, R.Role.BOARD_MEMBER, R.Role.CHAMPION}),
        "/training/",
    ),
    HelpSection(
        "standard",
        "Tackling Racial Inequality Standard",
        "standard:index",
        R.ALL_ROLES,
        "/standard/",
    ),
    HelpSection(
        "programmes",
        "Development programmes",
        "programmes:index",
        R.PERSONAL_DATA_ROLES | {R.Role.BOARD_MEMBER, R.Role.CHAMPION},
        "/programmes/",
    ),
    HelpSection(
        "publications",
        "Published reports and open data",
        "publications:index",
        R.PROGRAMME_ROLES,
        "/publications/",
    ),
    HelpSection(
        "incidents", "Incident reports", "incidents:index", R.INCIDENT_TREND_ROLES, "/incidents/"
    ),
    HelpSection("mentoring", "Mentoring", "mentoring:index", R.ALL_ORG_ROLES, "/mentoring/"),
    HelpSection("admin", "Administration", "core:admin-home", R.ADMIN_ROLES, "/admin/"),
]
BY_SLUG = {section.slug: section for section in SECTIONS}

# The docs shown in the app: slug -> file in docs/.
DOCS = {"metrics": "metrics.md", "disclosure-control": "disclosure-control.md"}
_DOC_BY_FILE = {file: slug for slug, file in DOCS.items()}

_CLASSES: dict[str, str | dict[str, str]] = {
    "heading_open": {
        "h1": "govuk-heading-l",
        "h2": "govuk-heading-m",
        "h3": "govuk-heading-s",
        "h4": "govuk-heading-s",
    },
    "paragraph_open": "govuk-body",
    "bullet_list_open": "govuk-list govuk-list--bullet",
    "ordered_list_open": "govuk-list govuk-list--number",
    "table_open": "govuk-table",
    "thead_open": "govuk-table__head",
    "tbody_open": "govuk-table__body",
    "tr_open": "govuk-table__row",
    "th_open": "govuk-table__header",
    "td_open": "govuk-table__cell",
    "link_open": "govuk-link",
    "blockquote_open": "govuk-inset-text",
}


def _classes_for(token_type: str, tag: str) -> str | None:
    """The GOV.UK classes for a rendered token: by token type, and for headings by level."""
    classes = _CLASSES.get(token_type)
    if isinstance(classes, dict):
        return classes.get(tag)
    return classes


def section_for_path(path: str) -> HelpSection | None:
    """The section whose pages start with this path (for the "Help" link of a page)."""
    for section in SECTIONS:
        if path.startswith(section.path_prefix):
            return section
    return None


def sections_for(user) -> list[HelpSection]:
    return [section for section in SECTIONS if user.role in section.roles]


def _docs_dir() -> Path:
    return Path(settings.PROJECT_DIR) / "docs"


def _rewrite_link(href: str) -> str | None:
    """Our URL for a link between the docs; None for one to a file not shown here."""
    if href.startswith(("http://", "https://", "mailto:", "#")):
        return href
    file, _, fragment = href.partition("#")
    slug = _DOC_BY_FILE.get(Path(file).name)
    if slug is None:
        return None
    return reverse("core:help-doc", args=[slug]) + (f"#{fragment}" if fragment else "")


def _slugify(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def render_markdown(text: str) -> Markup:
    """Markdown to safe HTML with GOV.UK classes (raw HTML in the source is escaped)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(text)
    for index, token in enumerate(tokens):
        classes = _classes_for(token.type, token.tag)
        if classes:
            token.attrSet("class", classes)
        if token.type == "heading_open" and index + 1 < len(tokens):
            token.attrSet("id", _slugify(tokens[index + 1].content))
        if token.type == "inline" and token.children:
            children = []
            skip_close = 0
            for child in token.children:
                if child.type == "link_open":
                    href = _rewrite_link(str(child.attrGet("href") or ""))
                    if href is None:
                        skip_close += 1
                        continue
                    child.attrSet("href", href)
                    child.attrSet("class", "govuk-link")
                elif child.type == "link_close" and skip_close:
                    skip_close -= 1
                    continue
                children.append(child)
            token.children = children
    html = md.renderer.render(tokens, md.options, {})
    html = html.replace(
        '<table class="govuk-table">',
        '<div class="eq-table-scroll" role="region" aria-label="Table" tabindex="0">'
        '<table class="govuk-table">',
    ).replace("</table>", "</table></div>")
    # A code block wider than the page scrolls: keyboard users must be able to reach it too.
    html = html.replace("<pre>", '<pre tabindex="0">')
    return Markup(html)  # noqa: S704 - markdown-it escaped every text and attribute


@functools.cache
def rendered_doc(slug: str) -> Markup | None:
    """The doc as HTML, rendered once per process; None when it is not one we show or the
    installation carries no docs/ folder."""
    file = DOCS.get(slug)
    if file is None:
        return None
    path = _docs_dir() / file
    if not path.is_file():
        return None
    return render_markdown(path.read_text(encoding="utf-8"))
