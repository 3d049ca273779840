"""The EqIA pages: each checks the organisation (another council's assessment is a 404) and
the role (403), and does what its form says."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.eqia import services
from equitable.eqia.models import Assessment, CharacteristicImpact
from tests.actions.factories import make_plan
from tests.eqia.factories import add_mitigation, awaiting_sign_off, make_assessment

S = Assessment.Status
OBJECT_VIEWS = [
    # (url name, roles allowed)
    ("eqia:assessment", services.READ_ROLES),
    ("eqia:edit", services.EDIT_ROLES),
    ("eqia:screening", services.EDIT_ROLES),
    ("eqia:full", services.EDIT_ROLES),
    ("eqia:evidence", services.READ_ROLES),
    ("eqia:scope", services.EDIT_ROLES),
    ("eqia:sign-off", services.SIGN_OFF_ROLES),
    ("eqia:actions", services.EDIT_ROLES),
    ("eqia:pdf", services.READ_ROLES),
]


@pytest.fixture
def assessment(org):
    found = make_assessment(org, status=S.FULL, full_assessment_needed=True)
    add_mitigation(found)
    return found


def _url(name, assessment):
    return reverse(name, args=[assessment.pk])


@pytest.mark.parametrize(("name", "roles"), OBJECT_VIEWS)
def test_it_checks_the_organisation(client_as, assessment, name, roles):
    for role in sorted(roles):
        response = client_as(f"other:{role}").get(_url(name, assessment))
        assert response.status_code == 404, (name, role)


@pytest.mark.parametrize(("name", "roles"), OBJECT_VIEWS)
def test_it_requires_its_role(client_as, assessment, name, roles):
    for role in ("org_admin", "edi_officer", "hr_analyst", "champion", "board_member"):
        status = client_as(role).get(_url(name, assessment)).status_code
        assert (status == 403) == (role not in roles), (name, role, status)
    assert client_as("coordinator").get(_url(name, assessment)).status_code == 403


def test_a_champion_cannot_edit_another_directorates_assessment(org, client_as):
    place = make_assessment(org, directorate="Place")
    champion = client_as("champion")
    assert champion.get(reverse("eqia:assessment", args=[place.pk])).status_code == 200
    assert champion.get(reverse("eqia:edit", args=[place.pk])).status_code == 403
    assert (
        champion.post(reverse("eqia:status", args=[place.pk]), {"move": "close"}).status_code == 403
    )


def test_status_changes_are_post_only_and_scoped(client_as, assessment):
    url = reverse("eqia:status", args=[assessment.pk])
    assert client_as("edi_officer").get(url).status_code == 405
    assert client_as("other:edi_officer").post(url, {"move": "close"}).status_code == 404
    assert client_as("board_member").post(url, {"move": "close"}).status_code == 403


def test_the_register_filters_and_flags_overdue_reviews(org, client_as):
    overdue = make_assessment(
        org, title="Old policy", status=S.SIGNED_OFF, review_date=date.today() - timedelta(days=3)
    )
    make_assessment(org, title="New policy", proposal_type="policy")
    page = client_as("board_member").get(reverse("eqia:index"))
    text = page.content.decode()
    assert "Review overdue" in text and overdue.title in text
    assert 'id="eqia-quality"' in text
    filtered = client_as("board_member").get(reverse("eqia:index"), {"proposal_type": "policy"})
    assert "New policy" in filtered.content.decode()
    assert "Old policy" not in filtered.content.decode()


def test_a_champion_creates_an_assessment_in_their_directorate(org, client_as):
    people = org.directorates.get(name="People")
    place = org.directorates.get(name="Place")
    client = client_as("champion")
    data = {
        "title": "Library opening hours",
        "proposal_type": "service change",
        "owner": "Head of Libraries",
        "decision_date": "2025-09-30",
    }
    refused = client.post(reverse("eqia:new"), {**data, "directorate": place.pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    response = client.post(reverse("eqia:new"), {**data, "directorate": people.pk})
    created = Assessment.objects.get(title="Library opening hours")
    assert response.status_code == 302
    assert response["Location"] == reverse("eqia:screening", args=[created.pk])
    assert (created.ref, created.directorate, created.status) == ("EQIA-001", people, S.SCREENING)
    assert AuditEvent.objects.filter(object_type="eqia", action="create").count() == 1


def test_an_empty_form_lists_every_problem(client_as):
    response = client_as("edi_officer").post(reverse("eqia:new"), {})
    text = response.content.decode()
    for message in ("Enter the title", "Choose the type", "Enter the owner"):
        assert message in text


def _formset_data(count, **each):
    data = {"c-TOTAL_FORMS": str(count), "c-INITIAL_FORMS": str(count)}
    for index in range(count):
        for key, value in each.items():
            data[f"c-{index}-{key}"] = value
    return data


def test_the_screening_form_saves_one_row_per_characteristic(org, client_as):
    assessment = make_assessment(org)
    count = len(services.characteristic_names(org))
    data = _formset_data(count, evidence="Snapshot", impact="neutral")
    data.update({"needed": "yes", "reason": "A restructure"})
    response = client_as("edi_officer").post(reverse("eqia:screening", args=[assessment.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("eqia:full", args=[assessment.pk])
    assessment.refresh_from_db()
    assert assessment.status == S.FULL and assessment.full_assessment_needed is True
    assert assessment.characteristics.filter(stage="screening").count() == count


def test_a_negative_impact_without_size_is_named_by_its_characteristic(org, client_as):
    assessment = make_assessment(org)
    count = len(services.characteristic_names(org))
    data = _formset_data(count)
    data.update({"c-5-impact": "negative", "needed": "no", "reason": "x"})
    response = client_as("edi_officer").post(reverse("eqia:screening", args=[assessment.pk]), data)
    assert response.status_code == 200
    assert "Race: Give the size of the negative impact" in response.content.decode()
    assert not assessment.characteristics.exists()


def test_the_full_assessment_needs_a_justification_to_continue_despite_impact(
    org, client_as, assessment
):
    count = len(services.characteristic_names(org))
    data = _formset_data(count, impact="neutral")
    data.update(
        {
            "conclusion": "continue",
            "aim_discrimination": "a",
            "aim_opportunity": "b",
            "aim_relations": "c",
        }
    )
    url = reverse("eqia:full", args=[assessment.pk])
    response = client_as("edi_officer").post(url, data)
    assert response.status_code == 200
    assert "Give the justification" in response.content.decode()
    data["justification"] = "The service must make the saving; mitigations reduce the impact"
    assert client_as("edi_officer").post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.conclusion == "continue"
    assert assessment.characteristics.filter(stage=CharacteristicImpact.Stage.FULL).count() == count


def test_signing_off_your_own_submission_is_refused_with_a_message(org, users, client_as):
    assessment = awaiting_sign_off(org, submitted_by=users["edi_officer"])
    url = reverse("eqia:sign-off", args=[assessment.pk])
    response = client_as("edi_officer").post(url, {"decision": "sign-off"})
    assert response.status_code == 200
    assert "someone else must sign it off" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == S.AWAITING_SIGN_OFF
    response = client_as("org_admin").post(url, {"decision": "sign-off"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.status, assessment.signed_off_by) == (S.SIGNED_OFF, users["org_admin"])


def test_an_illegal_move_is_a_message_not_an_error(org, client_as):
    assessment = make_assessment(org, status=S.FULL, full_assessment_needed=True)
    response = client_as("edi_officer").post(
        reverse("eqia:status", args=[assessment.pk]), {"move": "submit"}, follow=True
    )
    assert "Choose the overall conclusion" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == S.FULL


def test_mitigations_become_actions_in_the_chosen_plan(org, client_as, assessment):
    plan, _, _ = make_plan(org, "People plan", org.directorates.get(name="People"))
    row = assessment.characteristics.get()
    url = reverse("eqia:actions", args=[assessment.pk])
    response = client_as("champion").post(url, {"plan": plan.pk, "rows": [str(row.pk)]})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.action is not None and row.action.plan == plan


def test_the_scope_page_stores_hashes_of_an_uploaded_list_never_ids(client_as, assessment):
    upload = io.BytesIO(b"employee_id\nE0001\nE0002\nE0003\n")
    upload.name = "ids.csv"
    response = client_as("edi_officer").post(
        reverse("eqia:scope", args=[assessment.pk]), {"in_scope_list": upload}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert len(assessment.scope_keys) == 3
    assert all(len(key) == 32 and not key.startswith("E0") for key in assessment.scope_keys)


def test_a_bad_id_list_names_its_lines(client_as, assessment):
    upload = io.BytesIO(b"E1\nE2\nE1\n" + b"X" * 60 + b"\n")
    upload.name = "ids.csv"
    response = client_as("edi_officer").post(
        reverse("eqia:scope", args=[assessment.pk]), {"affected_list": upload}
    )
    text = response.content.decode()
    assert "Line 3: the same id as line 1" in text
    assert "Line 4: an id is at most 50 characters" in text
    assessment.refresh_from_db()
    assert assessment.affected_keys == []


def test_only_the_edi_officer_edits_the_additional_characteristics(org, client_as):
    url = reverse("eqia:characteristics")
    assert client_as("org_admin").get(url).status_code == 403
    response = client_as("edi_officer").post(url, {"names": "Care leavers\nCarers"})
    assert response.status_code == 302
    assert services.characteristic_names(org)[9:] == ["Care leavers", "Carers"]


def test_the_pdf_is_a_pdf_and_its_download_is_audited(client_as, assessment):
    response = client_as("board_member").get(reverse("eqia:pdf", args=[assessment.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_type="eqia", action="export").count() == 1


def test_an_empty_characteristics_list_is_refused(org, client_as):
    response = client_as("edi_officer").post(reverse("eqia:characteristics"), {"names": ""})
    assert "Enter the additional characteristics" in response.content.decode()
    assert len(services.characteristic_names(org)) == 12


def test_the_assessment_page_links_the_actions_its_mitigations_became(org, users, client_as):
    from equitable.eqia import mitigations

    plan, _, _ = make_plan(org, "People plan", org.directorates.get(name="People"))
    assessment = make_assessment(org, status=S.SIGNED_OFF, full_assessment_needed=True)
    add_mitigation(assessment)
    (action,) = mitigations.create_actions(
        assessment, plan, mitigations.pending(assessment), users["edi_officer"]
    )
    text = client_as("board_member").get(reverse("eqia:assessment", args=[assessment.pk]))
    assert reverse("actions:action", args=[action.pk]) in text.content.decode()
    assert "Create actions from mitigations" not in text.content.decode()


def test_the_full_assessment_starts_from_the_screenings_answers(org, client_as):
    assessment = make_assessment(org, status=S.FULL, full_assessment_needed=True)
    CharacteristicImpact.objects.create(
        assessment=assessment, stage="screening", characteristic="Race", evidence="Snapshot 2024"
    )
    page = client_as("edi_officer").get(reverse("eqia:full", args=[assessment.pk]))
    assert "Snapshot 2024" in page.content.decode()


def test_the_sign_off_page_warns_the_person_who_submitted(org, users, client_as):
    assessment = awaiting_sign_off(org, submitted_by=users["org_admin"])
    page = client_as("org_admin").get(reverse("eqia:sign-off", args=[assessment.pk]))
    assert "someone else must sign it off" in page.content.decode()
    other = client_as("edi_officer").get(reverse("eqia:sign-off", args=[assessment.pk]))
    assert "someone else must sign it off" not in other.content.decode()
