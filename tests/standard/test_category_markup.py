"""The data-suggested level on a category page is markup, not markup printed as text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from equitable.standard import services
from tests.standard.test_suggestions import FIGURES

pytestmark = pytest.mark.django_db


def test_the_suggestion_renders_as_a_paragraph_with_its_figure_escaped(client_as, org, monkeypatch):
    figures = {**FIGURES, "as_of": "31 March 2025 <script>"}
    monkeypatch.setattr(services, "workforce_figures", lambda organisation: figures)
    assessment = services.start_assessment(org, "2025")
    text = (
        client_as("edi_officer")
        .get(reverse("standard:category", args=[assessment.pk, "3"]))
        .content.decode()
    )
    assert '<p class="govuk-body"><strong>From your workforce data:</strong> Ethnicity' in text
    assert "&lt;p" not in text and "&lt;strong" not in text
    assert "31 March 2025 &lt;script&gt;" in text  # the data is still escaped
