"""After anything the figures rest on changes, a job computes and stores every protected table,
so that no reader waits for disclosure control and no web process repeats it."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from equitable.core import jobs, warmup
from equitable.workforce import services
from equitable.workforce.models import SnapshotFigures
from tests.workforce.conftest import extract_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def serving(settings, monkeypatch):
    """A serving process with warming on; jobs run at once, as a worker would run them."""
    settings.EQUITABLE_WARM_FIGURES = True
    monkeypatch.setattr(warmup, "_serving", True)
    submitted: list[tuple] = []
    submit = jobs.submit

    def run_now(name, *args, background, **kwargs):
        submitted.append((name, args))
        return submit(name, *args, background=False, **kwargs)

    monkeypatch.setattr(jobs, "submit", run_now)
    return submitted


def _import(org, tmp_path, on: date):
    outcome = services.import_file(
        org, write_csv(tmp_path / f"{on}.csv", extract_rows()), snapshot_date=on
    )
    assert outcome.ok, outcome.problems
    return outcome.snapshot


def test_storing_a_snapshot_stores_its_protected_figures_once_it_has_committed(
    org, tmp_path, serving, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = _import(org, tmp_path, date(2025, 3, 31))
    assert ("figures.warm", (org.pk,)) in serving
    stored = SnapshotFigures.objects.get(snapshot=snapshot)
    assert stored.published and stored.exact
    assert stored.published_key.startswith(f"{snapshot.pk}.")


def test_nothing_is_warmed_when_turned_off(
    org, tmp_path, serving, settings, django_capture_on_commit_callbacks
):
    settings.EQUITABLE_WARM_FIGURES = False
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = _import(org, tmp_path, date(2025, 3, 31))
    assert serving == []
    assert not SnapshotFigures.objects.filter(snapshot=snapshot, published__isnull=False).exists()


def test_a_command_line_process_in_thread_mode_leaves_warming_to_the_server(
    org, tmp_path, serving, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(warmup, "_serving", False)
    with django_capture_on_commit_callbacks(execute=True):
        _import(org, tmp_path, date(2025, 3, 31))
    assert serving == []


def test_a_change_during_a_warm_up_makes_it_go_round_again_instead_of_starting_another(
    org, monkeypatch
):
    started, release = threading.Event(), threading.Event()
    rounds: list[int] = []

    def slow(organisation_pk):
        rounds.append(organisation_pk)
        if len(rounds) == 1:
            started.set()
            release.wait(10)
        return ["slow"]

    monkeypatch.setattr(warmup, "_warm_once", slow)
    first = threading.Thread(target=warmup.warm_organisation, args=(org.pk,))
    first.start()
    assert started.wait(10)
    assert warmup.warm_organisation(org.pk) == []  # already running: it will go again
    release.set()
    first.join(10)
    assert rounds == [org.pk, org.pk]


def test_an_organisation_deleted_before_its_warm_up_is_skipped(org):
    pk = org.pk
    org.delete()
    assert warmup.warm_organisation(pk) == []
