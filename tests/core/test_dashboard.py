"""The home page's dashboard per role (core/dashboard.py), on a hand-worked pair of snapshots.

The two extracts (100 staff each) and what they give, worked out by hand:

31 March 2024                                   31 March 2025
  leaders: 10 Black of 40       = 25.0%           14 Black of 42           = 33.33%
  top 5% (5 people paid £40):   2 Black = 40.0%   3 Black                  = 60.0%
  ethnicity not disclosed: 10 of 100 = 10.0%      5 of 100                 = 5.0%
  median hourly pay: Black, Asian and             19.00 against 25.00      = 24.0%
  Multi-ethnic 18.00, White 25.00 = gap 28.0%

Movement: +8.3 points (33.33 − 25.00 = 8.33), +20.0, −5.0 (better: lower), −4.0 (better).
Protected (threshold 10): the leadership tiers (10 and 14 Black, 30 and 28 White leaders) are
shown; the top 5% (5 people) and the 5 undisclosed of 2025 are withheld, and disclosure
control withholds the 2025 pay gap too (secondary suppression), so a board member sees [c].
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from equitable.actions import measures as computed
from equitable.actions.models import Action, Measure, MeasureValue
from equitable.core import dashboard
from equitable.core.models import AuditEvent
from equitable.incidents import services as incident_services
from equitable.incidents.models import Report, Status
from equitable.standard import services as standard_services
from equitable.standard.models import Assessment, Response
from equitable.workforce import services as workforce
from tests.actions.factories import make_plan
from tests.standard.helpers import WORKED_EXAMPLE
from tests.workforce.conftest import HEADER, write_csv

pytestmark = pytest.mark.django_db

WHITE_BRITISH = "English, Welsh, Scottish, Northern Irish or British"
LEADER = "Leadership Forum"
BEFORE, AFTER = date(2024, 3, 31), date(2025, 3, 31)

# (ethnicity, leadership tier, hourly pay, how many)
COMPOSITION_2024 = [
    ("African", LEADER, "40.00", 2),
    ("African", LEADER, "25.00", 8),
    (WHITE_BRITISH, LEADER, "40.00", 3),
    (WHITE_BRITISH, LEADER, "25.00", 27),
    ("African", "", "18.00", 10),
    ("Indian", "", "18.00", 20),
    (WHITE_BRITISH, "", "20.00", 20),
    ("Prefer not to say", "", "19.00", 10),
]
COMPOSITION_2025 = [
    ("African", LEADER, "40.00", 3),
    ("African", LEADER, "25.00", 11),
    (WHITE_BRITISH, LEADER, "40.00", 2),
    (WHITE_BRITISH, LEADER, "25.00", 26),
    ("African", "", "19.00", 10),
    ("Indian", "", "19.00", 20),
    (WHITE_BRITISH, "", "20.00", 23),
    ("Prefer not to say", "", "19.00", 5),
]


def _rows(composition) -> list[dict]:
    rows = []
    for ethnicity, tier, pay, count in composition:
        for _ in range(count):
            n = len(rows) + 1
            rows.append(
                {
                    "employee_id": f"E{n:05d}",
                    "full_name": f"Person Number{n}",
                    "ethnicity": ethnicity,
                    "sex": "Female" if n % 2 else "Male",
                    "disability": "Not disabled",
                    "directorate": "People",
                    "pay_band": "Band 1",
                    "leadership_tier": tier,
                    "hourly_pay": pay,
                }
            )
    return rows


@pytest.fixture
def two_snapshots(org, tmp_path):
    for on, composition in ((BEFORE, COMPOSITION_2024), (AFTER, COMPOSITION_2025)):
        path = write_csv(tmp_path / f"extract-{on.year}.csv", _rows(composition), HEADER)
        outcome = workforce.import_file(org, path, snapshot_date=on)
        assert outcome.ok, outcome.problems
    return workforce.snapshots_of(org)


def _headlines(org, user, snapshots) -> dict[str, dashboard.Headline]:
    return {h.key: h for h in dashboard.workforce_headlines(org, user, snapshots)}


def _page(client_as, persona) -> str:
    response = client_as(persona).get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


# --- movement arithmetic ------------------------------------------------------------------


def test_headlines_and_movement_match_the_hand_worked_example(org, users, two_snapshots):
    h = _headlines(org, users["edi_officer"], two_snapshots)
    assert (h["leadership"].value, h["leadership"].previous) == (33.33, 25.0)
    assert h["leadership"].movement == 8.33
    assert h["leadership"].movement_text == "+8.3 points since 31 Mar 2024 (better)"
    assert (h["top_5_percent"].value, h["top_5_percent"].previous) == (60.0, 40.0)
    assert h["top_5_percent"].movement_text == "+20.0 points since 31 Mar 2024 (better)"
    assert (h["unknown_ethnicity"].value, h["unknown_ethnicity"].previous) == (5.0, 10.0)
    assert h["unknown_ethnicity"].movement_text == "-5.0 points since 31 Mar 2024 (better)"
    assert (h["pay_gap"].value, h["pay_gap"].previous) == (24.0, 28.0)
    assert h["pay_gap"].movement_text == "-4.0 points since 31 Mar 2024 (better)"
    assert all(not x.withheld and x.as_at == AFTER for x in h.values())


def test_headlines_read_what_the_computed_measures_read(org, users, two_snapshots):
    """Not recomputed: the same readers over the same tables as the action plan's measures."""
    tables = workforce.figures_for(org, two_snapshots[-1], published=False)
    h = _headlines(org, users["hr_analyst"], two_snapshots)
    assert h["leadership"].value == computed.compute(
        "leadership_black_asian_multi_ethnic_share", tables
    )
    assert h["pay_gap"].value == computed.compute("ethnicity_median_pay_gap", tables)


@pytest.mark.parametrize(
    ("movement", "direction", "words"),
    [
        (1.23, "higher", "+1.2 points since 31 Mar 2025 (better)"),
        (1.25, "higher", "+1.3 points since 31 Mar 2025 (better)"),  # half away from zero
        (1.23, "lower", "+1.2 points since 31 Mar 2025 (worse)"),
        (-0.5, "higher", "-0.5 points since 31 Mar 2025 (worse)"),
        (-0.04, "lower", "No change since 31 Mar 2025"),
        (None, "higher", None),
    ],
)
def test_movement_in_words(movement, direction, words):
    assert dashboard.movement_words(movement, direction, date(2025, 3, 31)) == words


def test_a_movement_never_rests_on_a_withheld_value():
    assert dashboard.movement_between(None, 25.0) is None
    assert dashboard.movement_between(33.33, None) is None
    assert dashboard.movement_between(33.33, 25.0) == 8.33


# --- who sees what --------------------------------------------------------------------------


def test_board_member_sees_protected_values(org, users, client_as, two_snapshots):
    h = _headlines(org, users["board_member"], two_snapshots)
    # Shown: every count the share rests on is 10 or more.
    assert (h["leadership"].value, h["leadership"].movement) == (33.33, 8.33)
    # Withheld: 5 top earners, 5 undisclosed; the pay gap by secondary suppression.
    for key in ("top_5_percent", "unknown_ethnicity", "pay_gap"):
        assert h[key].value is None and h[key].withheld, key
        assert h[key].movement is None and h[key].movement_text is None, key
    protected = workforce.figures_for(org, two_snapshots[-1], published=True)
    assert h["pay_gap"].value == computed.compute("ethnicity_median_pay_gap", protected, 10)
    text = _page(client_as, "board_member")
    assert 'id="figures-protected"' in text and "[c]" in text
    assert "+8.3 points since 31 Mar 2024 (better)" in text
    assert "60.0%" not in text and "24.0%" not in text and "5.0%" not in text
    assert "No movement shown: the value is withheld" in text
    assert 'id="incidents-panel"' not in text and 'id="imports-panel"' not in text


def test_edi_officer_sees_exact_values(client_as, two_snapshots):
    text = _page(client_as, "edi_officer")
    assert 'id="figures-exact"' in text
    assert "60.0%" in text and "+20.0 points since 31 Mar 2024 (better)" in text
    assert reverse("workforce:figure", args=["representation_in_leadership_tiers"]) in text


def test_hr_analyst_sees_the_state_of_imports(org, users, client_as, two_snapshots):
    text = _page(client_as, "hr_analyst")
    assert 'id="imports-panel"' in text
    assert "31 March 2025 (100 rows" in text  # the latest snapshot
    assert 'id="incidents-panel"' not in text  # not a case handler


def test_imports_panel_lists_jobs_and_their_problems(org, users, client_as, tmp_path):
    from equitable.workforce.models import ImportJob

    ImportJob.objects.create(
        organisation=org,
        source_filename="march-extract.csv",
        snapshot_date=AFTER,
        status=ImportJob.Status.INVALID,
        problem_count=411,
    )
    text = _page(client_as, "hr_analyst")
    assert "march-extract.csv" in text and "Problems found" in text and "411" in text
    assert "1 of 1" in text
    assert 'id="no-snapshot"' in text and reverse("workforce:import") in text


def test_champion_sees_only_their_directorates_plan(org, client_as):
    today = timezone.localdate()
    _, corporate_action, corporate_measure = make_plan(org, "Corporate plan")
    people = org.directorates.get(name="People")
    _, people_action, people_measure = make_plan(org, "People plan", people, ref_prefix="P")
    for action in (corporate_action, people_action):
        Action.objects.filter(pk=action.pk).update(due=today - timedelta(days=3))
    text = _page(client_as, "champion")
    assert f'id="target-{people_measure.pk}"' in text
    assert f'id="target-{corporate_measure.pk}"' not in text
    assert reverse("actions:action", args=[people_action.pk]) in text
    assert reverse("actions:action", args=[corporate_action.pk]) not in text
    assert "your directorate's plan (People)" in text
    # Everyone else sees both plans.
    text = _page(client_as, "org_admin")
    assert f'id="target-{corporate_measure.pk}"' in text
    assert reverse("actions:action", args=[corporate_action.pk]) in text


def test_actions_by_urgency(org, users):
    from equitable.actions import summary

    today = date(2025, 6, 1)
    plan, action, _ = make_plan(org, "Corporate plan")
    objective = action.objective
    Action.objects.filter(pk=action.pk).update(due=date(2025, 5, 31))  # overdue
    soon = Action.objects.create(objective=objective, ref="C-2", text="Soon", due=date(2025, 7, 1))
    later = Action.objects.create(
        objective=objective, ref="C-3", text="Later", due=date(2025, 7, 2)
    )
    risky = Action.objects.create(
        objective=objective, ref="C-4", text="Risky", status=Action.Status.AT_RISK
    )
    Action.objects.create(
        objective=objective, ref="C-5", text="Done", due=date(2025, 5, 1), status="done"
    )
    result = summary.action_summary(org, users["edi_officer"], today)
    assert [a.ref for a in result.overdue] == ["C-1"]
    assert [a.pk for a in result.due_soon] == [soon.pk]  # 30 days: to 1 July, not 2 July
    assert later not in result.due_soon
    assert [a.pk for a in result.at_risk] == [risky.pk]
    assert result.open_count == 4


def test_case_handler_sees_reports_waiting_and_time_to_first_response(org, client_as):
    today = timezone.localdate()

    def report(weeks_ago: int, status=Status.NEW) -> Report:
        r, _ = incident_services.submit_report(
            org,
            incident_services.NewReport("bullying", ["race"], None, None, "Text", "no", ""),
            source="paper",
            received=today - timedelta(weeks=weeks_ago),
        )
        Report.objects.filter(pk=r.pk).update(status=status)
        return r

    report(0)
    report(4)  # its first-response date has passed
    for weeks_ago, reply_after in ((6, 1), (8, 2), (10, 4)):
        answered = report(weeks_ago, Status.ACKNOWLEDGED)
        Report.objects.filter(pk=answered.pk).update(
            first_response_week=answered.submitted_week + timedelta(weeks=reply_after)
        )
    text = _page(client_as, "edi_officer")
    assert 'id="incidents-panel"' in text
    assert "1 overdue" in text
    # First responses after 1, 2 and 4 weeks: the median is 2 weeks.
    assert "14 days" in text and "over 3 reports with a first response" in text
    waiting = text.split('id="incidents-waiting"')[1].split("</div>")[0]
    assert ">2<" in waiting
    for persona in ("board_member", "hr_analyst", "org_admin", "champion"):
        assert 'id="incidents-panel"' not in _page(client_as, persona)


def test_standard_levels_are_the_latest_submitted_assessments(org, client_as):
    assessment = standard_services.start_assessment(org, "2024 to 2025")
    Response.objects.bulk_create(
        Response(assessment=assessment, criterion_id=cid, level=level)
        for cid, level in WORKED_EXAMPLE.items()
    )
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.SUBMITTED, submitted_at=timezone.now()
    )
    levels = standard_services.current_levels(org)
    text = _page(client_as, "board_member")
    assert "Current levels (2024 to 2025 self-assessment)" in text
    assert levels[0]["title"] in text
    assert reverse("standard:assessment", args=[assessment.pk]) in text


def test_pinned_measures_show_for_everyone_protected(org, users, client_as, corporate_pinned):
    text = _page(client_as, "board_member")
    assert f'id="headline-measure-{corporate_pinned.pk}"' in text
    assert "50.0%" in text and "+8.0 points since 31 Dec 2024 (better)" in text


@pytest.fixture
def corporate_pinned(org):
    _, _, measure = make_plan(org, "Corporate plan")
    MeasureValue.objects.create(measure=measure, on=date(2025, 3, 31), value=50)
    Measure.objects.filter(pk=measure.pk).update(pinned_on_home=True)
    return measure


def test_edi_officer_pins_measures(org, other_org, users, client_as):
    _, _, ours = make_plan(org, "Corporate plan")
    _, _, theirs = make_plan(other_org, "Their plan")
    client = client_as("edi_officer")
    page = client.get(reverse("core:home-pins"))
    assert page.status_code == 200 and ours.name in page.content.decode()
    response = client.post(reverse("core:home-pins"), {"measures": [str(ours.pk)]})
    assert response.status_code == 302
    assert Measure.objects.get(pk=ours.pk).pinned_on_home
    assert AuditEvent.objects.filter(object_type="measure", detail__contains="1 pinned").exists()
    # Another council's measure is not a choice.
    response = client.post(reverse("core:home-pins"), {"measures": [str(theirs.pk)]})
    assert (
        response.status_code == 200 and "Choose measures from the list" in response.content.decode()
    )
    assert not Measure.objects.get(pk=theirs.pk).pinned_on_home
    # Unpinning: nothing chosen.
    client.post(reverse("core:home-pins"), {})
    assert not Measure.objects.get(pk=ours.pk).pinned_on_home


@pytest.mark.parametrize("persona", ["board_member", "champion", "hr_analyst", "coordinator"])
def test_only_programme_roles_choose_pins(client_as, persona):
    assert client_as(persona).get(reverse("core:home-pins")).status_code == 403


# --- empty organisation and the coordinator ------------------------------------------------


def test_empty_organisation_has_friendly_empty_states(client_as):
    text = _page(client_as, "edi_officer")
    assert "No snapshot yet" in text and reverse("workforce:import") in text
    for empty in ("no-pins", "no-targets", "no-actions", "no-levels", "no-imports"):
        assert f'id="{empty}"' in text, empty
    assert "No report has had a first response yet" in text
    board = _page(client_as, "board_member")
    assert "No snapshot yet. The EDI team or HR will import" in board
    assert reverse("workforce:import") not in board


def test_coordinator_home_works(client_as):
    text = _page(client_as, "coordinator")
    assert "London-wide" in text
    assert reverse("standard:index") in text
    assert 'id="workforce-panel"' not in text


def test_one_snapshot_says_there_is_nothing_to_compare_with(org, users, client_as, tmp_path):
    path = write_csv(tmp_path / "extract.csv", _rows(COMPOSITION_2025), HEADER)
    assert workforce.import_file(org, path, snapshot_date=AFTER).ok
    text = _page(client_as, "edi_officer")
    assert "there is no earlier snapshot to compare with" in text
    assert "No earlier value to compare with" in text


def test_other_organisations_figures_never_show(client_as, two_snapshots):
    text = _page(client_as, "other:edi_officer")
    assert "33.3%" not in text and 'id="no-snapshot"' in text
