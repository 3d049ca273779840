"""Personal API tokens: each user sees and revokes only their own; revoked and expired tokens
are refused (401); issuing and revoking are audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from equitable.core.models import ApiToken, AuditEvent


def me(client, token: str) -> int:
    return client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def test_a_new_token_works_for_the_lifetime_chosen(client_as, users, client):
    response = client_as("hr_analyst").post(
        reverse("core:api-tokens"), {"name": "figures script", "days": "30"}
    )
    page = response.content.decode()
    token = page.split('<code id="new-token">')[1].split("</code>")[0]
    stored = ApiToken.objects.get(user=users["hr_analyst"])
    assert timedelta(days=29, hours=23) < stored.expires_at - timezone.now() <= timedelta(days=30)
    assert me(client, token) == 200
    created = AuditEvent.objects.get(action="create", object_type="api_token")
    assert created.object_id == str(stored.pk) and "figures script" in created.detail
    assert token not in created.detail


def test_a_lifetime_outside_the_choices_is_refused(client_as):
    response = client_as("hr_analyst").post(
        reverse("core:api-tokens"), {"name": "forever", "days": "36500"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert ApiToken.objects.count() == 0
    with pytest.raises(ValueError, match="one of"):
        ApiToken.issue(None, "forever", days=36500)


def test_a_revoked_token_is_refused(client_as, users, client):
    stored, token = ApiToken.issue(users["board_member"], "laptop")
    assert me(client, token) == 200
    response = client_as("board_member").post(reverse("core:api-token-revoke", args=[stored.pk]))
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.revoked_at is not None and stored.status == "revoked"
    assert me(client, token) == 401
    revoked = AuditEvent.objects.get(action="change", object_type="api_token")
    assert revoked.object_id == str(stored.pk) and revoked.username == "board_member"


def test_an_expired_token_is_refused(users, client):
    stored, token = ApiToken.issue(users["edi_officer"], "old script")
    ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert me(client, token) == 401
    stored.refresh_from_db()
    assert stored.status == "expired"


def test_a_token_of_an_inactive_user_is_refused(users, client):
    _, token = ApiToken.issue(users["edi_officer"], "script")
    users["edi_officer"].is_active = False
    users["edi_officer"].save()
    assert me(client, token) == 401


@pytest.mark.parametrize("intruder", ["edi_officer", "other:board_member", "coordinator"])
def test_nobody_can_revoke_another_users_token(client_as, users, client, intruder):
    stored, token = ApiToken.issue(users["board_member"], "laptop")
    response = client_as(intruder).post(reverse("core:api-token-revoke", args=[stored.pk]))
    assert response.status_code == 404
    stored.refresh_from_db()
    assert stored.revoked_at is None and me(client, token) == 200


def test_revoking_needs_a_post(client_as, users):
    stored, _ = ApiToken.issue(users["board_member"], "laptop")
    response = client_as("board_member").get(reverse("core:api-token-revoke", args=[stored.pk]))
    assert response.status_code == 405


def test_the_list_shows_only_your_own_tokens_and_their_state(client_as, users):
    active, _ = ApiToken.issue(users["champion"], "mine, working")
    revoked, _ = ApiToken.issue(users["champion"], "mine, revoked")
    revoked.revoke()
    ApiToken.issue(users["edi_officer"], "a colleague's")
    ApiToken.issue(users["other:champion"], "another council's")
    page = client_as("champion").get(reverse("core:api-tokens")).content.decode()
    assert "mine, working" in page and "mine, revoked" in page
    assert "a colleague" not in page and "another council" not in page
    assert "Active" in page and "Revoked" in page
    assert reverse("core:api-token-revoke", args=[active.pk]) in page
    assert reverse("core:api-token-revoke", args=[revoked.pk]) not in page
