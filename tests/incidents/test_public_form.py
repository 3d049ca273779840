"""The public form: no sign-in, no cookies, a receipt shown once, the reporter can come back."""

import io

from django.urls import reverse
from PIL import Image

from equitable.incidents import services
from equitable.incidents.models import Attachment, Report, TrendCount
from tests.incidents import files
from tests.incidents.helpers import answers, receipt_from, submit


def test_the_start_page_goes_straight_to_the_only_organisation(client, org):
    response = client.get(reverse("report:start"))
    assert response.status_code == 302
    assert response["Location"] == reverse("report:form", args=[org.slug])


def test_the_start_page_asks_which_organisation_when_there_are_several(client, org, other_org):
    response = client.get(reverse("report:start"))
    assert response.status_code == 200
    assert org.name in response.content.decode() and other_org.name in response.content.decode()


def test_the_form_sets_no_cookie_and_says_what_is_kept(client, org):
    response = client.get(reverse("report:form", args=[org.slug]))
    assert response.status_code == 200
    assert response.cookies == {} and "Set-Cookie" not in response.headers
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "We do <strong>not</strong> keep your name, your internet address" in page
    assert "use your own phone or computer" in page
    assert "http://" not in page and "https://" not in page  # no third-party requests


def test_submitting_stores_an_encrypted_report_and_shows_the_receipt_once(client, org):
    response = submit(client, org, what_happened="MARKER-TEXT in the lift")
    assert response.status_code == 200 and response.cookies == {}
    code = receipt_from(response)
    assert len(code.replace(" ", "")) == 28
    report = Report.objects.get()
    assert b"MARKER-TEXT" not in bytes(report.what_happened)
    assert services.content(report)["what_happened"] == "MARKER-TEXT in the lift"
    assert report.submitted_week.weekday() == 0  # coarsened to the Monday
    assert report.receipt_hash.startswith("$argon2id$")
    assert code.replace(" ", "")[8:] not in report.receipt_hash
    assert TrendCount.objects.get(characteristic="*").count == 1
    # Looking at the form again does not show the code.
    assert code not in client.get(reverse("report:form", args=[org.slug])).content.decode()


def test_missing_answers_are_listed_and_nothing_is_stored(client, org):
    response = submit(client, org, incident_type="", what_happened="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose what kind of incident it was" in page and "Tell us what happened" in page
    assert Report.objects.count() == 0


def test_a_form_without_a_valid_token_is_refused(client, org):
    response = submit(client, org, form_token="forged")
    assert "The form could not be checked" in response.content.decode()
    assert Report.objects.count() == 0
    response = client.post(
        reverse("report:form", args=[org.slug]), answers(), HTTP_SEC_FETCH_SITE="cross-site"
    )
    assert "must be sent from this website" in response.content.decode()
    assert Report.objects.count() == 0


def test_the_honeypot_pretends_success_but_stores_nothing(client, org):
    response = submit(client, org, website="http://spam.example")
    assert response.status_code == 200 and 'id="receipt-code"' in response.content.decode()
    assert Report.objects.count() == 0


def test_a_photo_is_stored_encrypted_without_its_exif(client, org):
    data = answers()
    data["attachments"] = [io.BytesIO(files.jpeg_with_exif())]
    data["attachments"][0].name = "IMG_Jane_Whistle.jpg"
    response = client.post(reverse("report:form", args=[org.slug]), data)
    assert response.status_code == 200, response.content.decode()
    attachment = Attachment.objects.get()
    assert files.AUTHOR.encode() not in bytes(attachment.content)
    stored = services.attachment_bytes(attachment)
    assert files.AUTHOR.encode() not in stored and b"PhoneMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert "Jane" not in attachment.filename


def test_an_uncleanable_file_is_refused_with_a_reason(client, org):
    data = answers()
    upload = io.BytesIO(b"MZ\x90\x00 a program")
    upload.name = "photo.jpg"
    data["attachments"] = [upload]
    response = client.post(reverse("report:form", args=[org.slug]), data)
    assert "File 1 is not a type we can clean" in response.content.decode()
    assert Report.objects.count() == 0


def test_the_reporter_reads_replies_and_adds_information_with_the_receipt(client, org):
    code = receipt_from(submit(client, org))
    report = Report.objects.get()
    services.add_message(report, "team", "Thank you. Which floor was it?")
    typed = code.replace(" ", "-")
    response = client.post(
        reverse("report:follow-up"), {"receipt": typed, "form_token": answers()["form_token"]}
    )
    page = response.content.decode()
    assert response.status_code == 200 and response.cookies == {}
    assert "Which floor was it?" in page and "Something happened in the canteen." in page
    response = client.post(
        reverse("report:follow-up"),
        {
            "receipt": typed,
            "action": "add",
            "text": "The third floor",
            "form_token": answers()["form_token"],
        },
    )
    assert "Your message has been added" in response.content.decode()
    assert [m["text"] for m in services.conversation(report)] == [
        "Thank you. Which floor was it?",
        "The third floor",
    ]


def test_a_guessed_receipt_finds_nothing(client, org):
    code = receipt_from(submit(client, org)).replace(" ", "")
    wrong_secret = code[:8] + ("0" * 20 if code[8:] != "0" * 20 else "1" * 20)
    for guess in (wrong_secret, "1" * 28):
        response = client.post(
            reverse("report:follow-up"), {"receipt": guess, "form_token": answers()["form_token"]}
        )
        assert "could not find a report with that receipt code" in response.content.decode()


def test_look_ups_and_submissions_are_rate_limited_per_address(client, org, settings):
    settings.EQUITABLE_REPORT_RATE_LIMIT = 3
    statuses = [
        client.post(
            reverse("report:follow-up"),
            {"receipt": "1" * 28, "form_token": answers()["form_token"]},
            REMOTE_ADDR="198.51.100.9",
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    other = client.post(
        reverse("report:follow-up"), {"receipt": "1" * 28}, REMOTE_ADDR="198.51.100.10"
    )
    assert other.status_code == 200
    for _ in range(3):
        client.post(reverse("report:form", args=[org.slug]), answers(), REMOTE_ADDR="203.0.113.5")
    limited = client.post(
        reverse("report:form", args=[org.slug]), answers(), REMOTE_ADDR="203.0.113.5"
    )
    assert limited.status_code == 429 and "Too many attempts" in limited.content.decode()
    assert Report.objects.count() == 3
