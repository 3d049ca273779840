"""The single sign-on seam: verified claims become an existing Equitable user, or are refused."""

import pytest

from equitable.core.models import AuditEvent
from equitable.core.sso import SignOnRefused, user_from_claims

ISSUER = "https://login.example/tenant/v2.0"


@pytest.fixture(autouse=True)
def issuer(settings):
    settings.EQUITABLE_OIDC_ISSUER = ISSUER
    settings.EQUITABLE_OIDC_ORGANISATION = "our-borough"


def test_first_sign_in_links_by_email_then_by_subject(users):
    officer = users["edi_officer"]
    officer.email = "officer@our.gov.uk"
    officer.save()
    linked = user_from_claims({"iss": ISSUER, "sub": "abc", "email": "Officer@our.gov.uk"})
    assert linked == officer
    assert user_from_claims({"iss": ISSUER, "sub": "abc"}) == officer


def test_unknown_people_and_other_issuers_are_refused(users):
    with pytest.raises(SignOnRefused, match="create your Equitable account"):
        user_from_claims({"iss": ISSUER, "sub": "zzz", "email": "stranger@x.org"})
    with pytest.raises(SignOnRefused, match="identity provider"):
        user_from_claims({"iss": "https://evil.example", "sub": "abc"})


def test_only_accounts_of_the_providers_organisation_are_matched(users):
    elsewhere = users["other:edi_officer"]
    elsewhere.email = "someone@other.gov.uk"
    elsewhere.external_subject = "theirs"
    elsewhere.save()
    with pytest.raises(SignOnRefused, match="another organisation"):
        user_from_claims({"iss": ISSUER, "sub": "new", "email": "someone@other.gov.uk"})
    with pytest.raises(SignOnRefused):
        user_from_claims({"iss": ISSUER, "sub": "theirs"})


def test_without_an_organisation_to_sign_into_nobody_is_signed_in(users, settings):
    settings.EQUITABLE_OIDC_ORGANISATION = ""
    with pytest.raises(SignOnRefused, match="not set up"):
        user_from_claims({"iss": ISSUER, "sub": "abc"})


@pytest.fixture
def directory(settings, org):
    from equitable.core.models import Directorate

    Directorate.objects.get_or_create(organisation=org, name="People")
    settings.EQUITABLE_OIDC_GROUP_ROLES = (
        '{"g-edi": "edi_officer", "g-board": "board_member", "g-champ": "champion"}'
    )
    settings.EQUITABLE_OIDC_GROUP_DIRECTORATES = '{"g-people": "People"}'


def test_directory_groups_make_the_account_on_first_sign_in(users, directory, org):
    user = user_from_claims(
        {"iss": ISSUER, "sub": "new-1", "email": "new@our.gov.uk", "groups": ["g-board"]}
    )
    assert (user.organisation, user.role, user.email) == (org, "board_member", "new@our.gov.uk")
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(object_type="user", object_id=str(user.pk), action="create")


def test_the_broadest_group_wins_and_champions_get_their_directorate(users, directory):
    both = user_from_claims({"iss": ISSUER, "sub": "n2", "groups": ["g-board", "g-edi"]})
    assert both.role == "edi_officer"
    champion = user_from_claims({"iss": ISSUER, "sub": "n3", "groups": ["g-champ", "g-people"]})
    assert champion.role == "champion"
    assert [d.name for d in champion.directorates.all()] == ["People"]


def test_roles_follow_the_directory_at_every_sign_in(users, directory):
    user = user_from_claims({"iss": ISSUER, "sub": "n4", "groups": ["g-edi"]})
    again = user_from_claims({"iss": ISSUER, "sub": "n4", "groups": ["g-board"]})
    assert again.pk == user.pk and again.role == "board_member"
    with pytest.raises(SignOnRefused, match="no role in Equitable"):
        user_from_claims({"iss": ISSUER, "sub": "n4", "groups": ["g-unmapped"]})


def test_a_champion_group_without_a_directorate_is_refused(users, directory):
    with pytest.raises(SignOnRefused, match="name no directorate"):
        user_from_claims({"iss": ISSUER, "sub": "n5", "groups": ["g-champ"]})


def test_a_deactivated_account_is_not_remade_from_the_directory(users, directory):
    officer = users["edi_officer"]
    officer.external_subject = "old-sub"
    officer.is_active = False
    officer.save()
    with pytest.raises(SignOnRefused, match="deactivated"):
        user_from_claims({"iss": ISSUER, "sub": "old-sub", "groups": ["g-edi"]})


def test_a_group_mapping_to_no_such_role_is_a_clear_error(users, settings):
    settings.EQUITABLE_OIDC_GROUP_ROLES = '{"g": "superuser"}'
    with pytest.raises(SignOnRefused, match="roles Equitable does not have: superuser"):
        user_from_claims({"iss": ISSUER, "sub": "n6", "groups": ["g"]})
