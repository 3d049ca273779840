"""Fifty signed-in people asking for dashboard pages back to back, against the demo served as
production serves it: two `equitable serve` processes behind nginx (round robin), wrk on
loopback for a bounded time, then again while an HR extract is imported beside them.

What is checked here is that every answer is right under load (a 200, never an error, a
refused connection or a timeout, whichever process answers); how fast is measured by
`benchmarks/bench_load.py`, whose figures are in the README (speed is never a unit-test
assertion here: the suite shares two cores with other work).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.load import runner

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("every_page")]

SECONDS = 8
IMPORT_ROWS = 100_000


@pytest.fixture(scope="module")
def installation(walk, tmp_path_factory):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("the walked demo is on SQLite; the SQLite run covers it")
    for tool in (runner.WRK, runner.NGINX):
        if not shutil.which(tool) and not Path(tool).exists():
            pytest.fail(f"{tool} is missing (scripts/test.sh installs it)")
    with runner.serving(Path(walk["data_dir"]), processes=2, threads=8) as served:
        yield served, runner.write_plan(served.url, tmp_path_factory.mktemp("load"), people=8)


def test_every_page_answers_under_load_from_either_process(installation):
    served, plan = installation
    steps = plan.read_text().splitlines()
    assert len(steps) > 60  # every persona's pages (the plan keeps only 200s)
    result = runner.run_wrk(served.url, plan, seconds=SECONDS)
    print(f"\nload: {result}")
    assert result["requests"] > 50
    assert result["non_2xx"] == 0
    assert result["socket_errors"] == 0
    assert all(server.poll() is None for server in served.servers)


def test_pages_stay_right_while_an_extract_is_imported(installation, walk, tmp_path):
    served, plan = installation
    data_dir = Path(walk["data_dir"])
    extract = tmp_path / "extract.csv"
    environment = runner.server_environment(data_dir)
    subprocess.run(
        [
            *(sys.executable, "-m", "equitable", "generate-workforce"),
            *("--employees", str(IMPORT_ROWS), "--seed", "3", "--out", str(extract)),
        ],
        cwd=runner.ROOT,
        env=environment,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [sys.executable, "-c", CREATE_ORGANISATION, str(data_dir)],
        cwd=runner.ROOT,
        env=environment,
        check=True,
    )
    importing = subprocess.Popen(
        [
            *(sys.executable, "-m", "equitable", "workforce", "import", str(extract)),
            *("--data-dir", str(data_dir), "--organisation", "load-borough"),
            *("--snapshot-date", "2026-03-31"),
        ],
        cwd=runner.ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        result = runner.run_wrk(served.url, plan, seconds=SECONDS)
    finally:
        _, errors = importing.communicate(timeout=600)
    print(f"\nload while importing: {result}")
    assert importing.returncode == 0, errors[-3000:]
    assert result["non_2xx"] == 0
    assert result["socket_errors"] == 0


CREATE_ORGANISATION = """
import sys
from equitable.core.runtime import setup_django
setup_django(sys.argv[1])
from equitable.core.models import Organisation
Organisation.objects.get_or_create(slug="load-borough", defaults={"name": "Load Borough"})
"""
