"""Help pages per section, and the definitions rendered from docs/ (safely)."""

import pytest
from django.urls import reverse

from equitable.core import help

SECTIONS = ["workforce", "actions", "standard", "incidents", "admin"]


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_has_help_linking_the_definitions(client_as, users, section):
    response = client_as("board_member").get(reverse("core:help-section", args=[section]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Where each figure comes from" in html or "What the settings change" in html
    assert reverse("core:help-doc", args=["metrics"]) in html


def test_unknown_help_is_a_404(client_as, users):
    client = client_as("edi_officer")
    assert client.get(reverse("core:help-section", args=["nothing"])).status_code == 404
    assert client.get(reverse("core:help-doc", args=["operations"])).status_code == 404


def test_help_needs_sign_in(client):
    response = client.get(reverse("core:help"))
    assert response.status_code == 302 and reverse("core:sign-in") in response["Location"]


def test_metrics_doc_is_rendered_with_our_classes(client_as, users):
    html = client_as("hr_analyst").get(reverse("core:help-doc", args=["metrics"])).content.decode()
    assert '<h1 class="govuk-heading-l"' in html and "Workforce figures" in html
    assert '<div class="eq-table-scroll" role="region"' in html or "<table" not in html
    assert "Top 5% of earners" in html


def test_markdown_is_rendered_safely():
    html = str(
        help.render_markdown(
            "# T\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) "
            "[doc](metrics.md#groups) [ops](operations.md) [web](https://example.org)\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n"
        )
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert f'href="{reverse("core:help-doc", args=["metrics"])}#groups"' in html
    assert "operations.md" not in html and ">ops<" not in html or "ops" in html
    assert 'href="https://example.org"' in html
    assert (
        '<div class="eq-table-scroll" role="region" aria-label="Table" tabindex="0"><table class="govuk-table">'
        in html
    )


def test_pages_of_a_section_link_its_help(client_as, users):
    html = client_as("edi_officer").get(reverse("workforce:index")).content.decode()
    assert f'href="{reverse("core:help-section", args=["workforce"])}"' in html
    html = client_as("org_admin").get(reverse("core:admin-home")).content.decode()
    assert f'href="{reverse("core:help-section", args=["admin"])}"' in html
    html = client_as("org_admin").get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:help")}"' in html


def test_a_code_block_can_be_reached_from_the_keyboard():
    from equitable.core.help import render_markdown

    html = str(render_markdown("1. Run\n\n   ```\n   equitable backup --out x\n   ```\n"))
    assert '<pre tabindex="0"><code>equitable backup --out x' in html
