"""Organisation admins edit, deactivate and reactivate users and change their roles."""

from django.urls import reverse

from equitable.core.models import AuditEvent, User
from equitable.core.roles import Role


def _edit(client, user, **data):
    payload = {"email": user.email, "role": user.role, **data}
    return client.post(reverse("core:admin-user", args=[user.pk]), payload)


def test_users_page_lists_the_organisations_people_only(client_as, users):
    html = client_as("org_admin").get(reverse("core:admin-users")).content.decode()
    assert "edi_officer" in html and "board_member" in html
    assert "other-edi_officer" not in html


def test_it_requires_the_admin_role(client_as, users):
    for persona in ("edi_officer", "hr_analyst", "champion", "board_member", "coordinator"):
        client = client_as(persona)
        assert client.get(reverse("core:admin-users")).status_code == 403
        assert (
            client.get(reverse("core:admin-user", args=[users["board_member"].pk])).status_code
            == 403
        )
        response = client.post(
            reverse("core:admin-user-active", args=[users["board_member"].pk]), {"active": "no"}
        )
        assert response.status_code == 403
    assert User.objects.get(pk=users["board_member"].pk).is_active


def test_another_organisations_user_is_not_found(client_as, users):
    client = client_as("org_admin")
    stranger = users["other:board_member"]
    assert client.get(reverse("core:admin-user", args=[stranger.pk])).status_code == 404
    assert (
        client.post(
            reverse("core:admin-user-active", args=[stranger.pk]), {"active": "no"}
        ).status_code
        == 404
    )
    assert client.post(reverse("core:admin-user-reset", args=[stranger.pk])).status_code == 404
    assert User.objects.get(pk=stranger.pk).is_active


def test_admin_changes_a_role_and_the_change_is_audited(client_as, users, org):
    person = users["board_member"]
    response = _edit(client_as("org_admin"), person, role="edi_officer", email="b@council.gov.uk")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.role, person.email) == ("edi_officer", "b@council.gov.uk")
    event = AuditEvent.objects.get(action="change", object_type="user", object_id=str(person.pk))
    assert "role board_member → edi_officer" in event.detail and "e-mail" in event.detail


def test_a_champion_needs_a_directorate_and_keeps_only_theirs(client_as, users, org):
    person = users["board_member"]
    response = _edit(client_as("org_admin"), person, role="champion")
    assert "Choose at least one directorate" in response.content.decode()
    place = org.directorates.get(name="Place")
    _edit(client_as("org_admin"), person, role="champion", directorates=[place.pk])
    assert list(User.objects.get(pk=person.pk).directorates.all()) == [place]
    _edit(client_as("org_admin"), person, role="board_member", directorates=[place.pk])
    assert not User.objects.get(pk=person.pk).directorates.exists()


def test_another_organisations_directorate_cannot_be_given(client_as, users, other_org):
    foreign = other_org.directorates.get(name="People")
    response = _edit(
        client_as("org_admin"), users["board_member"], role="champion", directorates=[foreign.pk]
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert User.objects.get(pk=users["board_member"].pk).role == "board_member"


def test_deactivate_and_reactivate(client_as, users, client):
    admin = client_as("org_admin")
    person = users["hr_analyst"]
    url = reverse("core:admin-user-active", args=[person.pk])
    assert admin.post(url, {"active": "no"}).status_code == 302
    assert not User.objects.get(pk=person.pk).is_active
    assert not client.login(username="hr_analyst", password="a-long-test-password")
    assert admin.post(url, {"active": "yes"}).status_code == 302
    assert User.objects.get(pk=person.pk).is_active
    details = list(
        AuditEvent.objects.filter(object_type="user", object_id=str(person.pk))
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == ["deactivated", "reactivated"]


def test_a_deactivated_users_session_and_tokens_stop_working(client_as, users):
    from equitable.core.models import ApiToken

    person = users["edi_officer"]
    session = client_as("edi_officer")
    _, token = ApiToken.issue(person, "script")
    client_as("org_admin").post(
        reverse("core:admin-user-active", args=[person.pk]), {"active": "no"}
    )
    assert session.get(reverse("core:home")).status_code == 302  # sent to sign in
    assert ApiToken.find_usable(token) is None


def test_an_admin_cannot_deactivate_themselves(client_as, users):
    admin = users["org_admin"]
    response = client_as("org_admin").post(
        reverse("core:admin-user-active", args=[admin.pk]), {"active": "no"}, follow=True
    )
    assert "You cannot deactivate yourself" in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


def test_an_admin_cannot_change_their_own_role(client_as, users):
    admin = users["org_admin"]
    response = _edit(client_as("org_admin"), admin, role="edi_officer")
    assert "You cannot change the role of yourself" in response.content.decode()
    assert User.objects.get(pk=admin.pk).role == Role.ORG_ADMIN


def test_one_of_two_admins_may_be_deactivated(client_as, org, users):
    from tests.conftest import make_user

    second = make_user("second.admin", Role.ORG_ADMIN, org)
    url = reverse("core:admin-user-active", args=[second.pk])
    assert client_as("org_admin").post(url, {"active": "no"}).status_code == 302
    assert not User.objects.get(pk=second.pk).is_active


def test_the_only_active_admin_is_protected_from_another_admin(db, org, users):
    """Two admins, one deactivated: reactivated admin B cannot demote A once A is the last."""
    from equitable.core import admin_services
    from tests.conftest import make_user

    a = users["org_admin"]
    b = make_user("b.admin", Role.ORG_ADMIN, org)
    admin_services.set_active(a, b, False)
    # b is inactive; a is the only active admin. An (inactive-session) b acting on a is refused.
    try:
        admin_services.set_active(b, a, False)
    except admin_services.AdminRuleBroken as error:
        assert "only active admin" in str(error)
    else:
        raise AssertionError("the last admin was deactivated")
    try:
        admin_services.update_user(b, a, email="", role=Role.EDI_OFFICER, directorates=[])
    except admin_services.AdminRuleBroken as error:
        assert "only active admin" in str(error)
    else:
        raise AssertionError("the last admin was demoted")
    assert User.objects.get(pk=a.pk).role == Role.ORG_ADMIN
