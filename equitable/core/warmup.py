"""Figures computed ahead of the first reader: after anything they rest on changes, a job
computes and stores every table a page, download or report will ask for.

Why: protecting an organisation's tables is the slow part of showing them (the workforce
tables about a second per snapshot, the lifecycle recruitment family of the demo council
twelve seconds), and it is the same work for every reader. Done in the request, the first
board member after an import waits for it, and every web process that has not seen the tables
yet does it again. Done here, once, and stored in the database (`SnapshotFigures`,
`lifecycle.StoredFigures`), a figure page costs a lookup and a template render in every
process. Computing on first use stays as the fallback, so a page is right even before the job
has run.

Each app registers what it computes (`register`, from its AppConfig.ready), so core knows no
app. The job runs where every job runs (`core.jobs`: a thread of the web process, or the RQ
queue with `EQUITABLE_JOBS=queue`), after the change has committed; in thread mode only in a
process that serves requests (`start_serving`). In thread mode one
organisation is warmed by one thread at a time: a change during a warm-up makes that thread go
round again instead of starting another. `EQUITABLE_WARM_FIGURES=off` turns it off (the test
suite does, except where it tests this).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import transaction

from equitable.core.models import Organisation
from equitable.core.signals import figures_changed

logger = logging.getLogger(__name__)

Warmer = Callable[[Organisation], None]
WARMERS: dict[str, Warmer] = {}

# In thread mode a warm-up runs only in a serving process (`equitable serve` sets this): a
# command-line import or the demo's set-up would start threads that race it and die with it.
_serving = False
_running: set[int] = set()
_again: set[int] = set()
_state_lock = threading.Lock()


def register(name: str, warmer: Warmer) -> None:
    """Add what one app computes ahead (called once per app, from its AppConfig.ready, so
    they run in INSTALLED_APPS order: workforce before the apps whose figures use its)."""
    WARMERS[name] = warmer


def warm_organisation(organisation_pk: int) -> list[str]:
    """Compute and store every registered family of figures of one organisation; returns the
    names warmed. Safe to run twice or at once in two processes: each store is keyed by what
    the figures rest on."""
    with _state_lock:
        if organisation_pk in _running:
            _again.add(organisation_pk)
            return []
        _running.add(organisation_pk)
    try:
        while True:
            warmed = _warm_once(organisation_pk)
            with _state_lock:
                if organisation_pk not in _again:
                    return warmed
                _again.discard(organisation_pk)
    finally:
        with _state_lock:
            _running.discard(organisation_pk)


def _warm_once(organisation_pk: int) -> list[str]:
    organisation = Organisation.objects.filter(pk=organisation_pk).first()
    if organisation is None:  # deleted since the change
        return []
    for warmer in WARMERS.values():
        warmer(organisation)
    return list(WARMERS)


def abandoned(organisation_pk: int) -> None:
    """A warm-up whose workers kept dying: nothing is lost (pages compute on first use)."""
    logger.warning("warming the figures of organisation %s was given up", organisation_pk)


def warm_everything() -> None:
    """Every organisation, in this process (`equitable demo` before it serves, and start-up)."""
    for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        warm_organisation(pk)


def _enabled() -> bool:
    from equitable.core import jobs

    return settings.EQUITABLE_WARM_FIGURES and (_serving or jobs.uses_queue())


def start_serving() -> None:
    """This process serves requests: warm every organisation in the background now (after an
    upgrade or a restore the stored figures may be under old keys) and after each change."""
    global _serving
    _serving = True
    schedule_everything()


def schedule_everything() -> None:
    """Every organisation, in the background."""
    if not _enabled():
        return
    from equitable.core import jobs

    for pk in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        jobs.submit("figures.warm", pk, background=True)


def schedule(organisation: Organisation) -> None:
    """Warm the organisation's figures once the current transaction has committed."""
    if not _enabled():
        return
    from equitable.core import jobs

    pk = organisation.pk
    transaction.on_commit(lambda: jobs.submit("figures.warm", pk, background=True))


def on_figures_changed(sender, organisation: Organisation, **kwargs) -> None:  # noqa: ARG001
    schedule(organisation)


figures_changed.connect(on_figures_changed, dispatch_uid="core-warm-figures")
