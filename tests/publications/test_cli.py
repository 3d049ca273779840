"""`equitable publish` and `equitable published`, against the test database (Django is set up
already, so setting up and migrating are skipped)."""

from __future__ import annotations

import json

import pytest

from equitable.cli import main
from equitable.publications.models import Publication
from tests.publications.factories import store_snapshot

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_setup(monkeypatch):
    from equitable.core import runtime

    monkeypatch.setattr(runtime, "setup_django", lambda data_dir=None: None)
    monkeypatch.setattr(runtime, "migrate", lambda verbosity=0: None)


def _publish(org, kind, *rest):
    return [
        "publish",
        "--data-dir",
        "unused",
        "--organisation",
        org.slug,
        "--kind",
        kind,
        "--snapshot-date",
        "2025-03-31",
        *rest,
    ]


def test_publish_drafts_approves_publishes_and_writes_the_files(org, users, tmp_path, capsys):
    store_snapshot(org)
    assert main(_publish(org, "pay-gap", "--narrative", "Our gaps.")) == 0
    assert Publication.objects.get().status == Publication.Status.DRAFT
    out = tmp_path / "out"
    approver = users["org_admin"].username
    assert main(_publish(org, "pay-gap", "--approve-as", approver, "--out", str(out))) == 0
    assert Publication.objects.get().status == Publication.Status.PUBLISHED
    stem = "our-borough-pay-gap-2025-03-31-v1"
    assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF")
    assert "Gender pay gap" in (out / f"{stem}.html").read_text()
    assert (out / "pay_gap_sex.csv").exists()
    assert json.loads((out / "pay_gap_sex.schema.json").read_text())["name"] == "pay_gap_sex"
    capsys.readouterr()
    assert main(["published", "--data-dir", "unused", "--organisation", org.slug]) == 0
    assert "2025-03-31  pay-gap        v1  Published" in capsys.readouterr().out


def test_publish_refuses_an_unknown_snapshot_an_unknown_approver_and_the_author(org, users, capsys):
    assert main(_publish(org, "annual-report")) == 2
    assert "no snapshot of 2025-03-31" in capsys.readouterr().err
    store_snapshot(org)
    assert main(_publish(org, "annual-report", "--approve-as", "nobody")) == 2
    assert "'nobody' is not an EDI officer or admin" in capsys.readouterr().err
    author = users["edi_officer"].username
    refused = _publish(
        org, "annual-report", "--author", author, "--narrative", "x", "--approve-as", author
    )
    assert main(refused) == 2
    assert "someone else must approve" in capsys.readouterr().err
    assert not Publication.objects.filter(status=Publication.Status.PUBLISHED).exists()
