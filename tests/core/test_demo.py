"""The demo council loads completely, once, and its people can sign in."""

import pytest
from django.urls import reverse

from equitable.core.demo import DEMO_PASSWORD, DEMO_SLUG, load_demo
from equitable.core.models import Organisation, User

pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db):
    return load_demo(employees=400)


def test_it_creates_demo_borough_with_five_directorates_and_every_role(demo):
    borough = Organisation.objects.get(slug=DEMO_SLUG)
    assert borough.directorates.count() == 5
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {
        "org_admin",
        "edi_officer",
        "hr_analyst",
        "champion",
        "board_member",
        "coordinator",
    }


def test_loading_twice_changes_nothing(demo):
    users_before = User.objects.count()
    load_demo(employees=400)
    assert User.objects.count() == users_before
    assert Organisation.objects.filter(slug=DEMO_SLUG).count() == 1


def test_every_demo_user_can_sign_in_and_see_home(demo, client):
    for username, _ in demo:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get(reverse("core:home")).status_code == 200
        client.logout()
