"""The new-user form checks what the user model will check, so a bad name is an error on the
form rather than a server error when the user is saved."""

import pytest
from django.urls import reverse

from equitable.core.models import User

GOOD = {"role": "board_member", "password": "a-very-long-pass-phrase-9"}


@pytest.mark.parametrize(
    ("username", "email", "message"),
    [
        ("bad user", "", "Enter a valid username"),
        ("semi;colon", "", "Enter a valid username"),
        ("x" * 151, "", "150 characters or fewer"),
        ("good.name", "a" * 250 + "@x.uk", "Ensure this value has at most 254 characters"),
    ],
)
def test_a_name_or_address_the_model_would_refuse_is_a_form_error(
    client_as, username, email, message
):
    response = client_as("org_admin").post(
        reverse("core:new-user"), {**GOOD, "username": username, "email": email}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert not User.objects.filter(username=username).exists()


def test_a_valid_name_is_created(client_as, org):
    response = client_as("org_admin").post(
        reverse("core:new-user"), {**GOOD, "username": "jo.bloggs"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="jo.bloggs").organisation == org
