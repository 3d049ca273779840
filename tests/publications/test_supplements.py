"""The annual report's lifecycle and survey figures: the rows of the report's year, each group
against White staff, as the lifecycle and survey apps protect them, kept at approval."""

from __future__ import annotations

import polars as pl
import pytest

from equitable.lifecycle import services as lifecycle
from equitable.publications import services
from equitable.publications.models import Kind
from equitable.surveys import summary
from equitable.workforce.services import decode_tables
from tests.publications.factories import store_snapshot

pytestmark = pytest.mark.slow


def promotions() -> pl.DataFrame:
    groups = ["Asian", "Indian", "Black, Asian and Multi-ethnic", "Asian"]
    return pl.DataFrame(
        {
            "period": ["2024-25", "2024-25", "2024-25", "2023-24"],
            "ethnic_group": groups,
            "reference_group": ["White", "White", "White", "White"],
            "group_pool": [500, 120, 900, 480],
            "group_count": [None, 9, 40, 20],
            "relative_likelihood": [None, 0.8, 0.9, 1.1],
            "suppressed": [True, False, False, False],
        }
    )


def test_the_lifecycle_year_and_the_survey_are_kept_at_approval(org, users, monkeypatch):
    def family(organisation, name):
        return {"promotions": promotions()} if name == "movements" else {}

    monkeypatch.setattr(lifecycle, "published_family", family)
    panel = {
        "title": "Pulse survey 2024",
        "month_label": "June 2024",
        "respondents": 455,
        "questions": [
            {
                "text": "I feel safe to speak up",
                "all_staff": {"withheld": False, "value": 55.5},
                "black_asian_multi_ethnic": {"withheld": True},
                "white": {"withheld": False, "value": 54.5},
                "difference": None,
            }
        ],
    }
    monkeypatch.setattr(summary, "board_panel", lambda organisation, on=None: panel)
    snapshot = store_snapshot(org)
    draft = services.create_draft(
        users["edi_officer"], org, Kind.ANNUAL_REPORT, snapshot, narrative="x"
    )
    services.approve(users["org_admin"], draft)
    kept = decode_tables(draft.supplements["lifecycle"])["promotions"]
    # The report's year only (2024-25 for 31 March 2025), the five groups and the aggregate.
    assert kept["ethnic_group"].to_list() == ["Asian", "Black, Asian and Multi-ethnic"]
    assert kept["group_count"].to_list() == [None, 40]
    assert draft.supplements["survey"]["title"] == "Pulse survey 2024"

    monkeypatch.setattr(lifecycle, "published_family", lambda organisation, name: {})
    services.make_publication(draft.pk, users["org_admin"].pk)
    draft.refresh_from_db()
    assert "Promotions" in draft.body_html and "2024-25" in draft.body_html  # as approved
    assert "I feel safe to speak up" in draft.body_html and "[c]" in draft.body_html
    assert services.published_evidence(org).annual_report_has_lifecycle
