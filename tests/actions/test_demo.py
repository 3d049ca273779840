"""The demo council carries seed 000's plan and register in full, with the leadership target."""

from __future__ import annotations

from datetime import date

import pytest

from equitable.actions import demo
from equitable.actions.models import Action, ActionPlan, Measure, ProgressUpdate, Recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_org(org):
    org.slug = demo.DEMO_SLUG
    org.save()
    demo.load_demo(org)
    return org


def test_the_corporate_plan_is_the_transcribed_annex_b(demo_org):
    plan = ActionPlan.objects.get(organisation=demo_org, directorate=None)
    assert plan.title == "Race Equality Action Plan"
    assert [t.title for t in plan.themes.all()] == [
        "Creation of safe spaces",
        "Changing the organisation’s culture and behaviour through leadership, training and development",
        "Recruitment and retention",
    ]
    actions = Action.objects.filter(objective__theme__plan=plan)
    assert actions.count() == 37
    assert Measure.objects.filter(objective__theme__plan=plan).count() == 34
    dropped = actions.get(ref="CB1-3")
    assert dropped.status == "dropped" and "MyMentor" in dropped.dropped_reason
    assert actions.get(ref="SS1-1").completed_on == date(2022, 10, 14)
    assert ProgressUpdate.objects.filter(action__objective__theme__plan=plan).count() == 18


def test_the_leadership_target_is_25_35_45_50(demo_org):
    measure = Measure.objects.get(objective__theme__plan__organisation=demo_org, ref="RR1-M1")
    assert measure.computed_key == "leadership_black_asian_multi_ethnic_share"
    points = [(p.on, p.value) for p in measure.targets.get().points.all()]
    assert points == [
        (date(2022, 12, 31), 25),
        (date(2023, 12, 31), 35),
        (date(2024, 12, 31), 45),
        (date(2025, 12, 31), 50),
    ]


def test_the_register_is_annex_a_with_links_to_actions(demo_org):
    register = Recommendation.objects.filter(organisation=demo_org)
    assert register.count() == 30
    assert register.get(ref="RR-2").actions.count() == 3
    assert register.get(ref="GA-4").when == "September 2022 – December 2022"


def test_the_champion_has_a_people_plan_and_loading_twice_changes_nothing(demo_org):
    people = ActionPlan.objects.get(organisation=demo_org, directorate__name="People")
    assert people.themes.get().objectives.get().actions.count() == 3
    demo.load_demo(demo_org)
    assert ActionPlan.objects.filter(organisation=demo_org).count() == 2


def test_other_demo_councils_get_no_plan(other_org):
    demo.load_demo(other_org)
    assert not ActionPlan.objects.filter(organisation=other_org).exists()
