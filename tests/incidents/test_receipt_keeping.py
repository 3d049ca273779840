"""The receipt page says it is shown once, offers copying (JavaScript, from a static file) and
saving as a text file made from the code posted back: nothing kept, no cookie, no audit."""

from __future__ import annotations

import re

from django.db import connection
from django.urls import reverse

from equitable.core.models import AuditEvent
from equitable.incidents.anonymity import form_token
from equitable.incidents.models import Report
from tests.incidents.helpers import receipt_from, submit

SAVE = "report:save-receipt"


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


def test_the_page_says_plainly_that_the_code_is_shown_once(client, org):
    page = submit(client, org).content.decode()
    assert "Your receipt code is shown only once, on this page." in page
    assert "We cannot show it again or send it to you" in page


def test_the_copy_button_is_progressive_enhancement_from_a_static_file(client, org):
    page = submit(client, org).content.decode()
    button = re.search(r"<button[^>]*data-copy-from=\"receipt-code\"[^>]*>", page).group(0)
    assert " hidden" in button  # without JavaScript there is no button that does nothing
    assert '<script type="module" src="/static/receipt-copy.js"></script>' in page
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert all("nonce=" in tag for tag in inline)  # only the layout's nonce'd one (strict CSP)
    assert 'role="status"' in page


def test_saving_returns_the_code_as_a_text_file_and_keeps_nothing(client, org):
    code = receipt_from(submit(client, org))
    before = row_counts()
    response = client.post(
        reverse(SAVE), {"receipt": code.replace(" ", "-"), "form_token": form_token()}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="receipt-code.txt"'
    assert response["Cache-Control"] == "no-store"
    assert response.cookies == {} and "Set-Cookie" not in response.headers
    text = response.content.decode()
    assert code in text and "/report-an-incident/follow-up/" in text
    assert org.name not in text  # a file found on a shared device names no organisation
    assert row_counts() == before  # nothing written anywhere, not even the audit log
    assert not AuditEvent.objects.exists()
    assert Report.objects.count() == 1


def test_the_save_form_posts_the_code_back_from_the_page(client, org):
    page = submit(client, org).content.decode()
    code = receipt_from_page = re.search(r'id="receipt-code"[^>]*>([0-9 ]+)<', page).group(1)
    form = re.search(
        r'<form method="post" action="/report-an-incident/save-receipt/".*?</form>', page, re.S
    )
    assert form, "no save form"
    assert f'name="receipt" value="{receipt_from_page}"' in form.group(0)
    assert 'name="form_token"' in form.group(0) and code


def test_something_that_is_not_a_receipt_is_refused(client, org):
    response = client.post(
        reverse(SAVE), {"receipt": "<script>1</script>", "form_token": form_token()}
    )
    assert response.status_code == 400
    assert "That is not a receipt code" in response.content.decode()
    assert "<script>1" not in response.content.decode()


def test_a_post_without_the_form_token_is_refused(client, org):
    response = client.post(reverse(SAVE), {"receipt": "1234 " * 7})
    assert response.status_code == 400
    assert "The form could not be checked" in response.content.decode()


def test_a_post_from_another_site_is_refused(client, org):
    response = client.post(
        reverse(SAVE),
        {"receipt": "1234 " * 7, "form_token": form_token()},
        HTTP_SEC_FETCH_SITE="cross-site",
    )
    assert response.status_code == 400


def test_the_file_cannot_be_fetched_with_a_get(client, org):
    assert client.get(reverse(SAVE) + "?receipt=" + "1" * 28).status_code == 405
