"""Every address and every form, as every role and anonymously, fed odd values: nothing answers
500. A wrong value is a 404, a 403 or a form with its errors, never a crash.

For each persona the test walks the URL matrix (tests/matrix_support.py and tests/*/matrix.py):
1. every address with each of its parameters replaced by odd values (zero, past 64 bits, an
   empty year like 0001Q1, odd bytes, very long);
2. every page the persona may open, with odd values in every query parameter a view reads
   (found in the source, so a new one is covered without editing this file);
3. every form found on those pages, posted (or, for a GET form, sent) with values Hypothesis
   generates from the form's own choices and from garbage: empty, huge, unicode, NaN and
   infinity, negative, dates out of range, formula-like strings, markup, control characters,
   and files that are not what they claim.
Examples are derandomised (the "equitable" Hypothesis profile), so every run tries the same ones.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from equitable.incidents.anonymity import LIMITERS
from tests.conftest import ORG_ROLES
from tests.fuzz.garbage import ODD_TEXT, form_data, forms_on, odd_addresses, query_names
from tests.matrix_support import all_routes, collect_samples

PERSONAS = [*ORG_ROLES, "coordinator", "anonymous"]
EXAMPLES_PER_FIELD = 2  # per field of a POST form and persona (a GET form, a filter, gets 1)
FIELDS_PER_FORM = 12
# Addresses that send a file (PDF, workbook, download): slow to build and without forms, so they
# get odd addresses but are not opened as pages (the permission matrix opens them).
FILE_ROUTES = {
    "actions:board-report-pdf",
    "actions:export",
    "actions:update-file",
    "incidents:attachment",
    "standard:evidence-file",
    "standard:export-pdf",
    "standard:export-xlsx",
    "workforce:download",
}


@pytest.fixture
def world(users, org, settings, tmp_path):
    """The matrix samples in our council, plus a workforce snapshot so figures have data."""
    from equitable.workforce import services as workforce
    from tests.incidents.conftest import FAST_ARGON2
    from tests.workforce.conftest import extract_rows, write_csv

    settings.EQUITABLE_RECEIPT_ARGON2 = FAST_ARGON2
    for limiter in LIMITERS.values():
        limiter.reset()
    outcome = workforce.import_file(
        org, write_csv(tmp_path / "extract.csv", extract_rows()), snapshot_date=date(2025, 3, 31)
    )
    assert outcome.ok
    samples, _, skip = collect_samples(org)
    yield samples, skip
    for limiter in LIMITERS.values():
        limiter.reset()


def signed_in(users, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(users[persona])
    return client


def may_open(persona: str, route) -> bool:
    allowed = route.callback.allowed_roles
    return allowed == "public" or persona in allowed


def odd_query(round_: int) -> dict[str, str]:
    """Odd values for every query parameter a view reads, a different mix each time."""
    names = query_names()
    return {name: ODD_TEXT[(round_ * 7 + i) % len(ODD_TEXT)] for i, name in enumerate(names)}


def fuzz_form(form, send, offset: int) -> None:
    """Fields in turn get garbage (Hypothesis picks it) while the others are plausible: each
    example is one request per chosen field. A form with many fields (a self-assessment
    category) has a different share of them spoiled by each persona, FIELDS_PER_FORM at a time,
    so that together they cover it."""
    names = [name for name in form.fields if name != "csrfmiddlewaretoken"] or [""]
    step = max(1, len(names) // FIELDS_PER_FORM)
    chosen = names[offset % step :: step][:FIELDS_PER_FORM]

    @settings(
        max_examples=EXAMPLES_PER_FIELD if form.method == "post" else 1,
        suppress_health_check=list(HealthCheck),
        deadline=None,
    )
    @given(requests=st.tuples(*(form_data(form, name) for name in chosen)))
    def example(requests):
        for data in requests:
            send(form, data)

    example()


@pytest.mark.parametrize("persona", PERSONAS)
def test_odd_addresses_queries_and_form_values_never_fail(persona, users, world):
    samples, skip = world
    client = signed_in(users, persona)
    failures: list = []
    forms: dict = {}

    def check(method: str, url: str, response) -> None:
        if response.status_code >= 500:
            failures.append((method, url[:200], response.status_code))

    for route in all_routes():
        if route.name in skip:
            continue
        sample = samples.get(route.name, {})
        for url in odd_addresses(route.pattern, sample) if route.has_params else []:
            check("GET", url, client.get(url))
        if route.name in FILE_ROUTES or not may_open(persona, route):
            continue
        url = reverse(route.name, kwargs=sample or None)
        response = client.get(url, odd_query(len(forms)))
        check("GET ?odd", url, response)
        if response.status_code != 200:  # an odd query may rightly be a 404: read the page
            response = client.get(url)
            check("GET", url, response)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for form in forms_on(response.content.decode(), url):
                forms.setdefault(form.signature, form)

    def send(form, data) -> None:
        if persona != "anonymous":
            client.force_login(users[persona])
        if form.method == "post":
            check("POST", form.action, client.post(form.action, data))
        else:
            plain = {
                k: v
                for k, v in data.items()
                if not isinstance(v, list) or all(isinstance(i, str) for i in v)
            }
            check("GET form", form.action, client.get(form.action, plain))

    for form in forms.values():
        fuzz_form(form, send, PERSONAS.index(persona))
    assert forms, "no forms found: the walk did not reach the pages"
    assert failures == []
