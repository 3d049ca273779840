"""The audit log page: filters, readable sentences, pages, and the CSV download."""

import ast
import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from equitable.core import audit, audit_log
from equitable.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2] / "equitable"


def _recorded_object_types() -> set[str]:
    """Every object type passed to audit.record anywhere in the code."""
    found = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                continue
            arg = node.args[2] if len(node.args) >= 3 else None
            for keyword in node.keywords:
                if keyword.arg == "object_type":
                    arg = keyword.value
            assert isinstance(arg, ast.Constant), f"{path}:{node.lineno}: object type not a literal"
            found.add(arg.value)
    return found


def test_every_recorded_object_type_has_words():
    missing = _recorded_object_types() - set(audit_log.OBJECT_LABELS)
    assert missing == set(), f"add to core/audit_log.py OBJECT_LABELS: {missing}"


def test_every_action_has_a_sentence(org, users):
    for action in AuditEvent.Action.values:
        event = audit.record(users["edi_officer"], action, "action", 7, "edited")
        sentence = audit_log.describe(org, [event])[0].sentence
        assert sentence and "action" not in sentence.split()[0]


@pytest.fixture
def snapshot(org, users):
    from equitable.workforce.models import Snapshot

    return Snapshot.objects.create(organisation=org, snapshot_date=date(2025, 3, 31), row_count=10)


def test_sentences_name_things_in_words(org, users, snapshot):
    officer = users["edi_officer"]
    events = [
        audit.record(
            officer,
            "view",
            "workforce_snapshot",
            snapshot.pk,
            "exact figures: representation_by_pay_band",
        ),
        audit.record(
            officer,
            "export",
            "workforce_snapshot",
            snapshot.pk,
            "pay_gap_ethnicity as csv (protected)",
        ),
        audit.record(
            officer,
            "import",
            "workforce_snapshot",
            snapshot.pk,
            "snapshot 2025-03-31: 10 rows from hr.csv",
        ),
        audit.record(users["org_admin"], "create", "user", officer.pk, "role edi_officer"),
        audit.record(users["org_admin"], "change", "user", officer.pk, "deactivated"),
        audit.record(officer, "view", "workforce_snapshot", 99999, "exact figures: disclosure"),
        audit.record(officer, "change", "brand_new_thing", 3, "x"),
        audit.record(None, "sign_in_failed", "user", detail="mallory", organisation=org),
        audit.record(
            None, "export", "action_plan", "", "workbook (command line)", organisation=org
        ),
    ]
    sentences = [item.sentence for item in audit_log.describe(org, events)]
    assert sentences == [
        "edi_officer viewed the exact figures “Ethnicity by pay band” of the snapshot of 31 March 2025",
        "edi_officer exported the protected figures “Ethnicity pay gap” of the snapshot of 31 March 2025 as CSV",
        "edi_officer imported the snapshot of 31 March 2025: 10 rows from hr.csv",
        "org_admin created the user edi_officer as EDI officer",
        "org_admin changed the user edi_officer: deactivated",
        "edi_officer viewed the exact figures “Disclosure rates” of snapshot 99999 (since deleted)",
        "edi_officer changed brand new thing 3: x",
        "Failed sign-in as “mallory”",
        "A command or scheduled task exported the action plans workbook: workbook (command line)",
    ]


def test_another_organisations_objects_are_not_named(org, other_org, users):
    from equitable.workforce.models import Snapshot

    theirs = Snapshot.objects.create(organisation=other_org, snapshot_date=date(2024, 3, 31))
    event = audit.record(users["edi_officer"], "view", "workforce_snapshot", theirs.pk, "")
    assert "2024" not in audit_log.describe(org, [event])[0].sentence


def test_the_page_shows_sentences_and_only_this_organisation(client_as, users, snapshot):
    audit.record(
        users["edi_officer"],
        "view",
        "workforce_snapshot",
        snapshot.pk,
        "exact figures: representation_by_pay_band",
    )
    audit.record(
        users["other:edi_officer"], "view", "workforce_snapshot", 1, "exact figures: disclosure"
    )
    html = client_as("org_admin").get(reverse("core:audit-log")).content.decode()
    assert (
        "viewed the exact figures “Ethnicity by pay band” of the snapshot of 31 March 2025" in html
    )
    assert "other-edi_officer" not in html


def test_filters_by_user_action_object_and_dates(client_as, users, org):
    officer, analyst = users["edi_officer"], users["hr_analyst"]
    audit.record(officer, "view", "incident_report", 1, "opened report")
    audit.record(officer, "export", "board_report", "", "2025-Q1")
    audit.record(analyst, "view", "incident_report", 2, "opened report")
    old = audit.record(analyst, "change", "action", 3, "edited")
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    client = client_as("org_admin")
    url = reverse("core:audit-log")

    def count(**query):
        html = client.get(url, query).content.decode()
        return int(re.search(r"([\d,]+) entr(y|ies)", html).group(1))

    assert count(username="edi_officer") == 2
    assert count(action="view") == 2
    assert count(object_type="incident_report", username="hr_analyst") == 1
    today = timezone.localdate()
    assert count(date_from=(today - timedelta(days=1)).isoformat()) == 3
    assert count(date_to=(today - timedelta(days=30)).isoformat()) == 1


def test_bad_filters_are_errors_not_crashes(client_as, users):
    client = client_as("org_admin")
    response = client.get(
        reverse("core:audit-log"), {"date_from": "31/02/2025", "action": "explode"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "real date" in html
    response = client.get(
        reverse("core:audit-log"), {"date_from": "2025-05-01", "date_to": "2025-04-01"}
    )
    assert "must be the same as or after" in response.content.decode()


def test_it_is_paginated(client_as, users):
    for n in range(55):
        audit.record(users["edi_officer"], "view", "incident_report", n, "opened report")
    client = client_as("org_admin")
    first = client.get(reverse("core:audit-log"), {"action": "view"}).content.decode()
    assert first.count("opened report") == 50
    assert "?action=view&amp;page=2" in first
    second = client.get(reverse("core:audit-log"), {"action": "view", "page": 2}).content.decode()
    assert second.count("opened report") == 5


def test_csv_export_is_filtered_inert_and_audited(client_as, users, org):
    audit.record(users["edi_officer"], "change", "action", 1, '=HYPERLINK("http://x")')
    audit.record(users["hr_analyst"], "view", "incident_report", 2, "opened report")
    response = client_as("org_admin").get(
        reverse("core:audit-log-csv"), {"username": "edi_officer"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == audit_log.CSV_HEADERS
    assert len(rows) == 2 and rows[1][1] == "edi_officer"
    assert rows[1][5].startswith("'=")  # made inert by files.tabular
    export = AuditEvent.objects.get(object_type="audit_log")
    assert export.action == "export" and "username" in export.detail


def test_audit_log_requires_the_admin_role(client_as, users):
    for persona in ("edi_officer", "hr_analyst", "champion", "board_member", "coordinator"):
        client = client_as(persona)
        assert client.get(reverse("core:audit-log")).status_code == 403
        assert client.get(reverse("core:audit-log-csv")).status_code == 403
