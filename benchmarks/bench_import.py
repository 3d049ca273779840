"""Import speed: generate a synthetic extract, write it as CSV, then read and validate it.

    .venv/bin/python benchmarks/bench_import.py              # 100,000 and 1,000,000 rows
    .venv/bin/python benchmarks/bench_import.py --sizes 100000
    .venv/bin/python benchmarks/bench_import.py --ten-million  # adds 10,000,000 (about 2 GB CSV)

Each size runs in a fresh Python process so that its peak memory (ru_maxrss) belongs to that
size alone. "load" = `load_extract` (read the CSV as text + validate every cell + keyed hash of
every employee id), the step a council's upload goes through; rows/second is rows / load time.
Prints a markdown table. The aim in issue 6 is 200,000 rows a second or more. "load CPU time"
is user + system CPU seconds of the load (all threads): on a busy machine wall time grows while
CPU time does not, so the two together say how much of a slow run was waiting for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(rows: int, folder: Path) -> dict:
    """Run in the child process: one size, timings in seconds, peak memory in MiB."""
    sys.path.insert(0, str(ROOT))
    from equitable.metrics import extract, synthetic

    path = folder / f"workforce_{rows}.csv"
    started = time.perf_counter()
    frame = synthetic.generate_workforce(rows, seed=1)
    generated = time.perf_counter()
    synthetic.write_workforce_csv(frame, path)
    written = time.perf_counter()
    del frame
    before_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_started = time.perf_counter()
    cpu_started = _cpu_seconds()
    raw = extract.read_table(path)
    read = time.perf_counter()
    result = extract.validate_extract(
        raw, snapshot_date=date(2024, 3, 31), id_key=b"benchmark-key-" * 3
    )
    validated = time.perf_counter()
    cpu = _cpu_seconds() - cpu_started
    assert result.ok, result.problems[:5]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = path.stat().st_size / 1e6
    path.unlink()
    load = validated - load_started
    return {
        "rows": rows,
        "csv_mb": size_mb,
        "generate_s": generated - started,
        "write_s": written - generated,
        "read_s": read - load_started,
        "validate_s": validated - read,
        "load_s": load,
        "rows_per_s": rows / load,
        "load_cpu_s": cpu,
        "peak_mib": peak,
        "peak_before_load_mib": before_load,
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_child(rows: int, folder: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(rows), "--folder", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def markdown(results: list[dict]) -> str:
    lines = [
        "| rows | CSV (MB) | generate (s) | write CSV (s) | read (s) | validate (s) "
        "| load = read + validate (s) | rows/second | load CPU time (s) | peak memory (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['rows']:,} | {r['csv_mb']:.0f} | {r['generate_s']:.2f} | {r['write_s']:.2f} "
            f"| {r['read_s']:.2f} | {r['validate_s']:.2f} | {r['load_s']:.2f} "
            f"| {r['rows_per_s']:,.0f} | {r['load_cpu_s']:.2f} | {r['peak_mib']:,.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--ten-million", action="store_true", help="also 10,000,000 rows")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.folder)))
        return 0
    sizes = list(args.sizes) + ([10_000_000] if args.ten_million else [])
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="equitable-bench-") as folder:
        results = [run_child(rows, Path(folder)) for rows in sizes]
    print(markdown(results))
    print(
        f"\n{os.cpu_count()} CPUs; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after (other work on the machine slows every figure)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
