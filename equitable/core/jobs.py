"""Long work (imports) off the request: in a thread of the web process by default, or on a job
queue (RQ, with Redis) that any number of worker processes serve.

Why two modes: the embedded default (`make demo`, one `equitable serve`) must need no Redis and
no second process, so it keeps the thread it always had; an installation with several web
processes sets `EQUITABLE_JOBS=queue` (with `EQUITABLE_REDIS_URL`) and runs `equitable worker`,
so a job belongs to no web process and survives one being restarted. docs/decisions.md 34 says
why RQ.

A task is named, not passed as a function: `submit("workforce.store", job_pk, replace=False)`.
Its function must be safe to run again after a worker died part way (RQ retries abandoned
jobs): the import tasks record their end in the same transaction as what they store, and
return at once when they find it recorded.

Failure, in queue mode, is said on the import job itself: when a task has used its retries
(the worker was killed twice, or it timed out), `on_abandoned` marks the import failed with a
sentence and deletes its upload, exactly as a web process does at start-up in thread mode.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, connections

logger = logging.getLogger(__name__)

QUEUE = "equitable"
RETRIES = 2
TIMEOUT_SECONDS = 3600

# name → (function, what to call when the task is given up: with the same arguments)
TASKS: dict[str, tuple[str, str]] = {
    "workforce.validate": (
        "equitable.workforce.services.run_validation_to_an_end",
        "equitable.workforce.services.fail_abandoned_job",
    ),
    "workforce.store": (
        "equitable.workforce.services.run_store_to_an_end",
        "equitable.workforce.services.fail_abandoned_job",
    ),
    "document.make": (
        "equitable.core.documents.make",
        "equitable.core.documents.abandoned",
    ),
    "reminders.send": (
        "equitable.actions.reminders.send_on_the_queue",
        "equitable.actions.reminders.reminders_given_up",
    ),
    "publications.publish": (
        "equitable.publications.services.make_publication",
        "equitable.publications.services.publication_abandoned",
    ),
    "figures.warm": (
        "equitable.core.warmup.warm_organisation",
        "equitable.core.warmup.abandoned",
    ),
}


def uses_queue() -> bool:
    return settings.EQUITABLE_JOBS == "queue"


def _function(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _redis():
    import redis

    return redis.Redis.from_url(settings.EQUITABLE_REDIS_URL)


def queue():
    from rq import Queue

    return Queue(QUEUE, connection=_redis())


def submit(name: str, *args: Any, background: bool, **kwargs: Any) -> bool:
    """Run task `name` now (`background` false: small files, or inside a transaction), on the
    queue, or in a thread. Returns True when it was left to run in the background."""
    if name not in TASKS:
        raise ValueError(f"no task called {name!r}")
    if not background:
        _function(TASKS[name][0])(*args, **kwargs)
        return False
    if uses_queue():
        from rq import Callback, Retry

        queue().enqueue(
            execute,
            name,
            args,
            kwargs,
            retry=Retry(max=RETRIES),
            job_timeout=TIMEOUT_SECONDS,
            on_failure=Callback(given_up),
            description=f"{name} {args}",
        )
        return True

    def in_thread() -> None:
        close_old_connections()
        try:
            execute(name, args, kwargs)
        finally:
            connection.close()

    thread_name = f"equitable-{name}-{'-'.join(str(a) for a in args)}"
    threading.Thread(target=in_thread, name=thread_name, daemon=True).start()
    return True


def execute(name: str, args: tuple, kwargs: dict) -> None:
    """What a worker (or the thread) runs: the named task, on fresh database connections."""
    close_old_connections()
    try:
        _function(TASKS[name][0])(*args, **kwargs)
    finally:
        close_old_connections()


def given_up(job, connection_, exc_type=None, exc_value=None, tb=None) -> None:  # noqa: ARG001
    """RQ's failure callback. RQ calls it on every failure, retried or not, so it acts only
    when no retry is left: then the task will not run again, and its import says so."""
    if job.retries_left:
        return
    name, args, kwargs = job.args
    logger.warning("job %s %s given up: %s", name, args, getattr(exc_type, "__name__", exc_type))
    close_old_connections()
    _function(TASKS[name][1])(*args, **kwargs)


def run_worker(*, burst: bool = False) -> int:
    """`equitable worker`: serve the queue until stopped (SIGTERM finishes the current job).

    RQ's forking worker: each job runs in a child ("work horse") while the parent keeps the
    job's heartbeat, so a worker killed mid-job is noticed about 90 s later (its heartbeat
    lapses) by any other worker's maintenance, run every minute, and the job retried. The
    parent holds no database connection when it forks (a connection must never be shared with
    a child), and runs no polars work (polars' thread pool does not survive fork)."""
    from rq import Worker

    class ImportWorker(Worker):
        def fork_work_horse(self, job, queue):  # type: ignore[no-untyped-def]
            connections.close_all()
            super().fork_work_horse(job, queue)

    connections.close_all()
    worker = ImportWorker([queue()], connection=_redis(), maintenance_interval=60)
    worker.work(burst=burst, with_scheduler=False)
    return 0
