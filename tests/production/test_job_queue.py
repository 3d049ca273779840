"""The job queue (RQ on a real Redis) with real worker processes: an import whose worker is
killed part way through is retried and finishes, storing its snapshot once; one whose workers
keep dying is failed cleanly, with a sentence and its upload deleted.

Everything runs as production does: separate processes (`equitable worker`, and short Python
steps standing in for the web process) sharing one data directory (SQLite) and one Redis. Only
the wait for RQ to notice a dead worker (its heartbeat lapses about 90 s after the last beat)
is shortened, by asking the registry to clean up as if that time had passed.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.redis_support import redis_port, redis_url  # noqa: F401

pytestmark = pytest.mark.slow

ROWS = 500_000  # enough that checking the file takes over a second, to kill a worker in it

SEED = textwrap.dedent(
    f"""
    import sys
    from datetime import date
    from pathlib import Path
    from equitable.core.runtime import setup_django, migrate
    setup_django(sys.argv[1]); migrate()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from equitable.core.models import Organisation, User
    from equitable.metrics import synthetic
    from equitable.workforce import services
    org = Organisation.objects.create(slug="queue-borough", name="Queue Borough")
    user = User.objects.create(username="hr", role="hr_analyst", organisation=org)
    path = Path(sys.argv[1]) / "extract.csv"
    synthetic.write_workforce_csv(synthetic.generate_workforce({ROWS}, seed=3), path)
    upload = SimpleUploadedFile("extract.csv", path.read_bytes(), content_type="text/csv")
    job = services.start_job(org, user, upload, snapshot_date=date(2025, 3, 31))
    services.start_validation(job)
    print(job.pk)
    """
)
STORE = textwrap.dedent(
    """
    import sys
    from equitable.core.runtime import setup_django
    setup_django(sys.argv[1])
    from equitable.workforce import services
    from equitable.workforce.models import ImportJob
    services.start_storing(ImportJob.objects.get(pk=int(sys.argv[2])), replace=False)
    """
)
# What a worker does when it finds another worker's heartbeat has lapsed (RQ's maintenance).
NOTICE_DEAD_WORKERS = textwrap.dedent(
    """
    import sys, time
    from equitable.core.runtime import setup_django
    setup_django(sys.argv[1])
    from rq.registry import StartedJobRegistry
    from equitable.core import jobs
    StartedJobRegistry(queue=jobs.queue()).cleanup(timestamp=time.time() + 3600)
    """
)


@pytest.fixture
def installation(tmp_path, redis_url):  # noqa: F811
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EQUITABLE_", "DATABASE_URL"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "equitable.settings",
        "EQUITABLE_DATA_DIR": str(tmp_path),
        "EQUITABLE_REDIS_URL": redis_url,
        "EQUITABLE_JOBS": "queue",
    }
    return tmp_path, env


def _python(env, script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _worker(env, folder: Path, *, burst: bool = False) -> subprocess.Popen:
    command = [sys.executable, "-m", "equitable", "worker", "--data-dir", str(folder)]
    return subprocess.Popen(
        [*command, *(["--burst"] if burst else [])],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _job(folder: Path, pk: int) -> dict:
    with sqlite3.connect(folder / "equitable.sqlite3", timeout=30) as db:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT status, stage, upload_path, snapshot_id FROM workforce_importjob WHERE id = ?",
            (pk,),
        ).fetchone()
        snapshots = db.execute("SELECT COUNT(*) FROM workforce_snapshot").fetchone()[0]
    return {**dict(row), "snapshots": snapshots}


def _kill_while(folder: Path, pk: int, env, status: str) -> None:
    """Start a worker, wait until it is working on the job (RQ lists it as started, and the
    import is at `status`), and kill it and its work horse without warning."""
    import redis

    started = redis.Redis.from_url(env["EQUITABLE_REDIS_URL"])
    worker = _worker(env, folder)
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            if started.zcard("rq:wip:equitable") and _job(folder, pk)["status"] == status:
                time.sleep(0.2)  # into the work: reading and checking the file
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"the worker never started the job: {_job(folder, pk)}")
    finally:
        # The worker and its work horse (RQ puts the horse in a process group of its own).
        for pid in [*_children(worker.pid), worker.pid]:
            os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=30)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:  # the parent's pid, after the state
            found.append(int(stat.parent.name))
    return found


def _finish(folder: Path, env) -> None:
    worker = _worker(env, folder, burst=True)
    assert worker.wait(timeout=300) == 0


def test_a_killed_worker_s_import_is_retried_and_stores_its_snapshot_once(installation):
    folder, env = installation
    pk = int(_python(env, SEED, folder).strip().splitlines()[-1])
    assert _job(folder, pk)["status"] == "validating"  # queued: no web process runs it

    _kill_while(folder, pk, env, "validating")
    assert _job(folder, pk)["status"] == "validating"  # nobody is finishing it now
    _python(env, NOTICE_DEAD_WORKERS, folder)
    _finish(folder, env)
    assert _job(folder, pk)["status"] == "valid"

    _python(env, STORE, folder, pk)
    _kill_while(folder, pk, env, "storing")
    _python(env, NOTICE_DEAD_WORKERS, folder)
    _finish(folder, env)
    stored = _job(folder, pk)
    assert (stored["status"], stored["snapshots"], stored["upload_path"]) == ("done", 1, "")
    assert stored["snapshot_id"] is not None

    # The same task delivered again (a duplicate retry) stores nothing more.
    _python(
        env,
        "import sys\nfrom equitable.core.runtime import setup_django\n"
        "setup_django(sys.argv[1])\nfrom equitable.workforce import services\n"
        "services.run_store_to_an_end(int(sys.argv[2]), replace=True)\n",
        folder,
        pk,
    )
    assert _job(folder, pk)["snapshots"] == 1


def test_an_import_whose_workers_keep_dying_fails_cleanly(installation):
    folder, env = installation
    pk = int(_python(env, SEED, folder).strip().splitlines()[-1])
    upload = Path(_job(folder, pk)["upload_path"])
    for _ in range(3):  # the first try and both retries
        _kill_while(folder, pk, env, "validating")
        _python(env, NOTICE_DEAD_WORKERS, folder)
    failed = _job(folder, pk)
    assert failed["status"] == "failed"
    assert failed["stage"] == "The worker stopped while the file was being checked"
    assert failed["upload_path"] == "" and not upload.exists()
