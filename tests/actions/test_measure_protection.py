"""Computed measures shown to people without personal-data access come from the protected
tables, and are stored when the figures change, so every page and the API show one value."""

from __future__ import annotations

import pytest

from equitable.actions import measures as computed
from equitable.actions.models import Measure, MeasureValue
from equitable.core.models import ApiToken
from equitable.workforce import services as workforce
from tests.workforce.conftest import SNAPSHOT_DATE, extract_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def top5_measure(corporate):
    """The disabled share of the top 5% of earners (seed 003's KPI) as a computed measure."""
    _, _, measure = corporate
    measure.kind = Measure.Kind.COMPUTED
    measure.computed_key = "top5_disabled_share"
    measure.save()
    MeasureValue.objects.filter(measure=measure).delete()
    return measure


@pytest.fixture
def imported(org, tmp_path, top5_measure):
    """112 staff: the top 5% is 8 people, fewer than the threshold of 10."""
    outcome = workforce.import_file(
        org, write_csv(tmp_path / "extract.csv", extract_rows()), snapshot_date=SNAPSHOT_DATE
    )
    assert outcome.ok, outcome.problems
    return outcome.snapshot


def _api(client, user):
    _, token = ApiToken.issue(user, "script")
    response = client.get("/api/actions/measures", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    return {m["computed_key"]: m for m in response.json()}


def test_storing_a_snapshot_stores_the_measure_without_any_page_opened(imported, top5_measure):
    stored = MeasureValue.objects.get(measure=top5_measure, on=SNAPSHOT_DATE)
    exact = workforce.figures_for(imported.organisation, imported, published=False)
    assert stored.value == computed.compute("top5_disabled_share", exact)
    assert stored.origin == MeasureValue.Origin.SNAPSHOT


def test_the_board_sees_the_share_of_a_small_top_5_percent_withheld(client, users, imported):
    """Withheld in the table (8 people in the top 5%), so withheld as a measure too: a share
    of 8 people gives the count back."""
    exact = _api(client, users["edi_officer"])["top5_disabled_share"]
    board = _api(client, users["board_member"])["top5_disabled_share"]
    assert exact["latest_value"] is not None
    assert board["latest_value"] is None
    table = workforce.figures_for(imported.organisation, imported, published=True)
    disabled = next(
        r for r in table["top_5_percent_earners_by_disability"] if r["disability"] == "Disabled"
    )
    assert disabled["count"] is None


def test_a_measure_page_and_the_api_agree(client_as, client, users, imported, top5_measure):
    from django.urls import reverse

    api = _api(client, users["edi_officer"])["top5_disabled_share"]["latest_value"]
    page = client_as("edi_officer").get(reverse("actions:measure", args=[top5_measure.pk]))
    assert f"{api:.1f}" in page.content.decode()
    # Opening the page wrote nothing.
    assert MeasureValue.objects.filter(measure=top5_measure).count() == 1


def test_a_new_threshold_recomputes_what_the_board_sees(org, imported, top5_measure):
    from equitable.core.forms import OrganisationSettingsForm
    from equitable.core.services import save_organisation_settings

    data = {
        "name": org.name,
        "brand_colour": org.brand_colour,
        "standard_weekly_hours": org.standard_weekly_hours,
        "suppression_threshold": 5,
        "round_counts_to_5": False,
        "report_retention_days": org.report_retention_days,
    }
    MeasureValue.objects.filter(measure=top5_measure).update(published_value=999.0)
    form = OrganisationSettingsForm(data, instance=org)
    assert form.is_valid(), form.errors
    save_organisation_settings(form, None)
    stored = MeasureValue.objects.get(measure=top5_measure, on=SNAPSHOT_DATE)
    published = workforce.figures_for(org, imported, published=True)
    assert stored.published_value != 999.0
    assert stored.published_value == computed.compute("top5_disabled_share", published, 5)


def test_a_withheld_value_says_so_on_the_measures_page(client_as, imported, top5_measure):
    from django.urls import reverse

    page = client_as("board_member").get(reverse("actions:measures")).content.decode()
    assert "[c] withheld (31 Mar 2025)" in page
    exact = client_as("edi_officer").get(reverse("actions:measures")).content.decode()
    assert "[c] withheld" not in exact


def test_a_value_entered_by_hand_is_the_same_for_everyone(corporate):
    """However it was stored (bulk-loaded demo values never pass through save())."""
    _, _, measure = corporate
    MeasureValue.objects.bulk_create(
        [MeasureValue(measure=measure, on=SNAPSHOT_DATE, value=61.0, origin="manual")]
    )
    value = MeasureValue.objects.get(measure=measure, on=SNAPSHOT_DATE)
    assert value.published_value is None
    assert value.shown(published=True) == value.shown(published=False) == 61.0
