"""Pages under load: 50 signed-in people asking for dashboard pages back to back (wrk on
loopback), with one web process and with two behind nginx, then again while a one-million-row
HR extract is imported; and each page's server time in the process. All in one run, on the
same demo data, beside the floor measured in the same run: /healthz/ (no database, no
template), what a request costs the servers before any page work.

    .venv/bin/python benchmarks/bench_load.py                    # sets up a demo (~3 min)
    .venv/bin/python benchmarks/bench_load.py --data-dir /tmp/demo --seconds 20
    .venv/bin/python benchmarks/bench_load.py --import-rows 0     # without the import run

Needs wrk and nginx (Debian: apt-get install wrk nginx). Prints markdown tables for the
README. The import goes into an organisation of its own ("Load Borough"), so the pages read
the same figures throughout; it runs as `equitable workforce import` in its own process, as a
worker would run it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import runner  # noqa: E402

ROOT = runner.ROOT
LOAD_ORGANISATION = "load-borough"


def _equitable(data_dir: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "equitable", *args],
        cwd=ROOT,
        env=runner.server_environment(data_dir),
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def _create_load_organisation(data_dir: Path) -> None:
    script = (
        "import sys\n"
        "from equitable.core.runtime import setup_django\n"
        "setup_django(sys.argv[1])\n"
        "from equitable.core.models import Organisation\n"
        f"Organisation.objects.get_or_create(slug='{LOAD_ORGANISATION}', "
        "defaults={'name': 'Load Borough'})\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        cwd=ROOT,
        env=runner.server_environment(data_dir),
        check=True,
    )


def _floor_plan(folder: Path) -> Path:
    plan = folder / "floor.txt"
    plan.write_text("none=0\t/healthz/\n")
    return plan


def _server_times(data_dir: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load" / "server_time.py"), str(data_dir)],
        cwd=ROOT,
        env=runner.server_environment(data_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _row(label: str, result: dict, extra: str = "") -> str:
    return (
        f"| {label} | {result['per_second']} | {result['p50_ms']} | {result['p95_ms']} | "
        f"{result['p99_ms']} | {result['requests']} | {result['non_2xx']} | "
        f"{result['load_before']} | {extra} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="a demo data directory (default: new)")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="equitable-bench-load-"))
    data_dir = args.data_dir
    if data_dir is None:
        data_dir = folder / "demo"
        print("setting up the demo…", file=sys.stderr, flush=True)
        runner.set_up_demo(data_dir)

    times = _server_times(data_dir)
    print("\n**Server time per page** (median of 15, in the process, figures stored):\n")
    print("| page | " + " | ".join(runner.PERSONAS) + " |")
    print("|---|" + "---:|" * len(runner.PERSONAS))
    for path, by_person in times.items():
        cells = [str(by_person.get(p, "–")) for p in runner.PERSONAS]
        print(f"| `{path}` | " + " | ".join(cells) + " |")
    every = [v for by_person in times.values() for v in by_person.values()]
    figure_pages = [
        v
        for path, by_person in times.items()
        if path.startswith(("/workforce/", "/lifecycle/", "/service-users/"))
        for v in by_person.values()
    ]
    print(
        f"\nmedian of every page and persona: {statistics.median(every):.1f} ms; "
        f"of the figure pages: {statistics.median(figure_pages):.1f} ms "
        f"(slowest {max(figure_pages):.1f} ms)"
    )

    rows = []
    for processes in (1, 2):
        with runner.serving(data_dir, processes=processes) as installation:
            plan = runner.write_plan(installation.url, folder)
            label = "1 process" if processes == 1 else "2 processes behind nginx"
            for name, steps in (("floor: /healthz/", _floor_plan(folder)), ("pages", plan)):
                before = runner.load_average()
                result = runner.run_wrk(
                    installation.url, steps, seconds=args.seconds, connections=args.connections
                )
                result["load_before"] = before
                rows.append(_row(f"{label}, {name}", result))
                print(json.dumps({label: {name: result}}), file=sys.stderr, flush=True)
            if processes == 2 and args.import_rows:
                csv = folder / "million.csv"
                _equitable(
                    data_dir,
                    "generate-workforce",
                    "--employees",
                    str(args.import_rows),
                    "--seed",
                    "7",
                    "--out",
                    str(csv),
                )
                _create_load_organisation(data_dir)
                before = runner.load_average()
                started = time.monotonic()
                importing = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "equitable",
                        "workforce",
                        "import",
                        str(csv),
                        "--data-dir",
                        str(data_dir),
                        "--organisation",
                        LOAD_ORGANISATION,
                        "--snapshot-date",
                        "2026-03-31",
                    ],
                    cwd=ROOT,
                    env=runner.server_environment(data_dir),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                time.sleep(1)  # the import under way (reading the file) before the load
                result = runner.run_wrk(
                    installation.url, plan, seconds=args.seconds, connections=args.connections
                )
                _, errors = importing.communicate(timeout=1800)
                took = time.monotonic() - started
                if importing.returncode:
                    raise RuntimeError(f"the import failed: {errors[-2000:]}")
                result["load_before"] = before
                overlap = min(1.0, took / (args.seconds + 1))
                rows.append(
                    _row(
                        f"{label}, pages while importing {args.import_rows:,} rows",
                        result,
                        f"import took {took:.0f} s ({overlap:.0%} of the run)",
                    )
                )
    print(
        f"\n**{args.connections} connections, {args.seconds} s each** (wrk, 2 threads; "
        f"load average before each run shown; {os.cpu_count()} cores):\n"
    )
    print("| run | pages/s | p50 ms | p95 ms | p99 ms | requests | non-2xx | load | note |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
