"""Category pages keep headings in order (no skipped level: WCAG 1.3.1, axe "heading-order")
and the Standard's tables sit in their own scroll container, so at 375 px the table scrolls,
not the page."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from equitable.standard import library as lib
from equitable.standard import services
from equitable.standard.models import EvidenceFile

pytestmark = pytest.mark.django_db

HEADING = re.compile(r"<h([1-6])\b")


def heading_levels(html: str) -> list[int]:
    main = html.split('id="main-content"', 1)[1]
    return [int(level) for level in HEADING.findall(main)]


def skipped(levels: list[int]) -> list[tuple[int, int]]:
    """Pairs where a heading goes more than one level deeper than the one before it."""
    return [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]


def test_the_checker_finds_a_skipped_level():
    assert skipped([1, 3]) == [(1, 3)]
    assert skipped([1, 2, 3, 2, 3, 4, 2]) == []


@pytest.mark.parametrize("role", ["edi_officer", "board_member"])
@pytest.mark.parametrize("category", [c.id for c in lib.get_standard().categories])
def test_every_category_page_has_its_headings_in_order(client_as, org, role, category):
    assessment = services.start_assessment(org, "2025")
    criterion = lib.get_standard().category(category).criteria[0].id
    EvidenceFile.objects.create(
        assessment=assessment,
        criterion_id=criterion,
        file=ContentFile(b"x", name="x.txt"),
        original_name="x.txt",
    )
    page = client_as(role).get(reverse("standard:category", args=[assessment.pk, category]))
    levels = heading_levels(page.content.decode())
    assert levels[0] == 1
    assert 4 not in levels or lib.get_standard().category(category).has_parts
    assert skipped(levels) == []


@pytest.mark.parametrize(
    "url_name",
    ["standard:index", "standard:assessment", "standard:about", "standard:pairing"],
)
def test_every_table_is_in_a_labelled_scroll_container(client_as, org, url_name):
    assessment = services.start_assessment(org, "2025")
    args = [assessment.pk] if url_name == "standard:assessment" else []
    html = client_as("edi_officer").get(reverse(url_name, args=args)).content.decode()
    tables = html.count("<table")
    wrapped = len(
        re.findall(
            r'<div class="eq-table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*<table',
            html,
        )
    )
    assert tables == wrapped
