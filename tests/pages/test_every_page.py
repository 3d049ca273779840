"""Every page of the demo, as every demo sign-in and anonymously, renders as a council would see
it: no template source, no double-escaped markup, no 500, no field pre-filled with something
nobody typed, and the service's own 404 page rather than Django's debug page.

The demo is set up once, exactly as `equitable demo --setup-only` does, and walked in a child
process with the demo's own settings (tests/pages/crawl.py): pages are found from Django's URL
resolver and by following every link and redirect, so the demo data supplies the objects and no
list of pages can go stale. Every form that asks for input is also submitted empty.
"""

from __future__ import annotations

import pytest

from equitable.core.demo import DEMO_USERS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("every_page")]

PERSONAS = ["anonymous", *(username for username, _, _ in DEMO_USERS)]
# Routes a walk cannot reach by following the demo's own pages, each with the reason.
NOT_REACHED_BY_LINKS = {
    "core:sign-out": "a button that ends the session (the walk stays signed in)",
    "core:document": "the demo makes PDFs in the request; with the job queue a PDF link leads "
    "here (tests/core/test_documents.py)",
    "core:document-download": "linked from core:document only",
    "standard:submit": "a button with no fields: submitting changes the assessment",
    "publications:publish": "a button with no fields, shown for an approved publication "
    "(tests/publications/test_pages.py)",
    "publications:return": "a button with no fields, shown for an approved publication",
    "publications:correct": "a button with no fields: submitting starts a new version",
    "standard:reopen": "a button with no fields: reopening changes the assessment",
    "standard:pairing-answer": "a button with no fields: answers a pairing request",
    "workforce:import-cancel": "needs an import in progress (the demo has none)",
    "lifecycle:import-cancel": "needs a lifecycle import in progress (the demo has none)",
    "lifecycle:import-job": "needs a lifecycle import in progress",
    "lifecycle:import-mapping": "needs a lifecycle import in progress",
    "lifecycle:import-values": "needs a lifecycle import in progress",
    "lifecycle:import-problems-csv": "needs a lifecycle import with problems",
    "surveys:import-mapping": "needs a survey export waiting for its mapping (the demo has none)",
    "surveys:import-cancel": "needs a survey export waiting for its mapping",
    "workforce:import-confirm": "needs an import in progress",
    "workforce:import-job": "needs an import in progress",
    "workforce:import-mapping": "needs an import in progress",
    "workforce:import-values": "needs an import in progress",
    "workforce:import-confirm-pay": "needs an import in progress",
    "workforce:import-problems-csv": "needs an import with problems",
    "core:api-token-revoke": "the demo's users hold no API tokens",
    "core:admin-user-active": "a button that deactivates a user (would lock demo users out)",
    "core:admin-user-reset": "a button with no fields: e-mails a password reset link",
    "core:logo": "the header shows it only once a logo is uploaded (the demo has none)",
    "core:password-reset": "reached from the e-mailed link only (tests/core/test_password_reset.py)",
    "actions:update-file": "the demo's progress updates have no files",
    "standard:evidence-file": "the demo's assessments have no evidence files",
    "incidents:attachment": "the demo's reports have no attachments",
    "incidents:reply": "the demo's reports are keyed in from paper: no receipt, no reply form",
    "report:save-receipt": "posted from the confirmation page, which an empty report never reaches",
    "incidents:contact-delete": "a button with no fields: removes a support service",
    "core:sso-start": "404 unless single sign-on is set up (tests/sso, tests/browser drive it)",
    "core:sso-callback": "the identity provider's redirect back (tests/sso drives it)",
    "eqia:actions": "the demo's mitigations are all in an action plan already (tests/eqia)",
    "eqia:status": "buttons that move an assessment's status (the walk would change the demo)",
    "service_users:import-mapping": "needs a service-user upload waiting for its mapping",
    "actions:measure-value-new": "the form of a manual measure's page; the walk opens the first "
    "two measures with targets, which in the demo are now survey-sourced and computed from the "
    "training records (tests/actions cover the form)",
    "training:preview": "needs a training upload waiting to be confirmed (the demo has none)",
    "training:confirm": "a button on the preview page (needs a pending upload)",
    "service_users:import-cancel": "needs a service-user upload waiting for its mapping",
    "mentoring:leave": "a button with no fields: removes a person from a scheme",
    "mentoring:confirm-all": "a button with no fields: confirms pairs and e-mails them",
    "mentoring:pair-confirm": "a button with no fields: confirms a pair and e-mails it",
    "programmes:cohort-clear": "a button with no fields: empties a cohort's list",
}


def test_the_demo_runs_without_debug_and_with_strict_templates(walk):
    assert walk["debug"] is False
    assert walk["undefined"] == "StrictUndefined"


def test_a_missing_page_is_the_services_own_404(walk):
    assert walk["not_found_status"] == 404
    assert "Page not found" in walk["not_found_page"]
    assert "URLconf" not in walk["not_found_page"]  # Django's debug page lists every URL


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_renders_cleanly(walk, persona):
    assert walk["requests"][persona] > 10
    failures = [f"{f['method']} {f['url']}: {f['problem']}" for f in walk["failures"]]
    mine = [
        f for f, raw in zip(failures, walk["failures"], strict=True) if raw["persona"] == persona
    ]
    assert mine == []


def test_every_page_in_the_resolver_is_reached(walk):
    missing = sorted(set(walk["routes"]) - set(walk["reached"]) - set(NOT_REACHED_BY_LINKS))
    assert missing == [], "pages the walk never opened; link them or say why here"
    stale = sorted(set(NOT_REACHED_BY_LINKS) & set(walk["reached"]))
    assert stale == [], "reached now: remove them from NOT_REACHED_BY_LINKS"
