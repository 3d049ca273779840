"""Organisation settings and users, for organisation admins."""

from django.urls import reverse

from equitable.core.models import Organisation, User, contrast_with_white


def test_contrast_rule_matches_wcag():
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#ffffff"), 1) == 1.0


def test_admin_saves_settings(client_as, org):
    response = client_as("org_admin").post(
        reverse("core:admin-home"),
        {
            "name": "Our Borough Council",
            "brand_colour": "#003300",
            "standard_weekly_hours": "35",
            "suppression_threshold": "10",
            "report_retention_days": "365",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.brand_colour) == ("Our Borough Council", "#003300")


def test_it_refuses_a_pale_header_colour_and_a_threshold_below_five(client_as, org):
    response = client_as("org_admin").post(
        reverse("core:admin-home"),
        {
            "name": "Our Borough",
            "brand_colour": "#ffff00",
            "standard_weekly_hours": "36",
            "suppression_threshold": "3",
            "report_retention_days": "365",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "contrast below 4.5:1" in html
    assert "greater than or equal to 5" in html
    assert Organisation.objects.get(pk=org.pk).brand_colour != "#ffff00"


def test_admin_adds_a_champion_with_a_directorate(client_as, org):
    people = org.directorates.get(name="People")
    response = client_as("org_admin").post(
        reverse("core:new-user"),
        {
            "username": "new.champion",
            "role": "champion",
            "directorates": [people.pk],
            "password": "correct-horse-battery-staple",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="new.champion")
    assert user.organisation == org and list(user.directorates.all()) == [people]


def test_a_champion_without_directorate_is_refused(client_as):
    response = client_as("org_admin").post(
        reverse("core:new-user"),
        {"username": "lonely", "role": "champion", "password": "correct-horse-battery-staple"},
    )
    assert "Choose at least one directorate" in response.content.decode()
    assert not User.objects.filter(username="lonely").exists()


def test_brand_stylesheet_carries_the_colour(client, org):
    css = client.get(reverse("core:brand-css", args=[org.slug])).content.decode()
    assert org.brand_colour in css
