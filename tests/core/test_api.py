"""The JSON API: session or token authentication, and the OpenAPI schema."""

from django.urls import reverse

from equitable.core.models import ApiToken


def test_openapi_schema_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Equitable API"
    assert "/api/me" in schema["paths"]


def test_anonymous_calls_are_refused(client):
    assert client.get("/api/me").status_code == 401


def test_a_token_authenticates(client, users):
    _, token = ApiToken.issue(users["hr_analyst"], "script")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["organisation_slug"] == "our-borough"


def test_a_wrong_token_is_refused(client, users):
    ApiToken.issue(users["hr_analyst"], "script")
    assert client.get("/api/me", HTTP_AUTHORIZATION="Bearer eq_wrong").status_code == 401


def test_tokens_are_stored_only_as_hashes(client_as, users):
    response = client_as("board_member").post(reverse("core:api-tokens"), {"name": "laptop"})
    html = response.content.decode()
    stored = ApiToken.objects.get(user=users["board_member"])
    token = html.split('<code id="new-token">')[1].split("</code>")[0]
    assert stored.token_hash == ApiToken.hash(token)
    assert token not in stored.token_hash


def test_the_session_authenticates_too(client_as):
    assert client_as("board_member").get("/api/me").json()["role"] == "board_member"
