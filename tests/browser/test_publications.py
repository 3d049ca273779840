"""The public site's pages, and the preview and approval pages, pass axe-core in Chromium and
fit a phone's width."""

from __future__ import annotations

import pytest

from equitable.publications import services
from equitable.publications.models import Kind
from tests.browser.conftest import axe_violations
from tests.publications.factories import published, store_snapshot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_public_pages_preview_and_approval_pass_axe(page, live_server, sign_in, org, users):
    snapshot = store_snapshot(org)
    report = published(org, users["edi_officer"], users["org_admin"], snapshot, Kind.ANNUAL_REPORT)
    draft = services.create_draft(
        users["edi_officer"], org, Kind.PAY_GAP, snapshot, narrative="Our gaps."
    )
    public = ["/published/", f"/published/{org.slug}/", f"/published/{org.slug}/{report.pk}/"]
    for path in public:
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
            if width == 1280:
                assert axe_violations(page) == [], path
    page.goto(f"{live_server.url}{public[2]}")
    assert page.locator(".eq-chart svg[role=img]").count() >= 5
    assert page.locator("table").count() >= page.locator(".eq-chart svg[role=img]").count()
    sign_in(page, users["org_admin"].username)
    for path in (f"/publications/{draft.pk}/preview/", f"/publications/{draft.pk}/approve/"):
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert axe_violations(page) == [], path
