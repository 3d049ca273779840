"""`equitable metrics` on one HR extract as a whole process, against a plain pandas script.

    .venv/bin/python benchmarks/bench_metrics_process.py                    # 1,000,000 rows
    .venv/bin/python benchmarks/bench_metrics_process.py --rows 100000
    .venv/bin/python benchmarks/bench_metrics_process.py --baseline /path/to/other/checkout

One synthetic extract (`synthetic.generate_workforce(rows, seed=1)`, written as CSV) is timed
three ways in the same run, best of `--repeats` each, runs interleaved so that other work on the
machine slows all of them alike:

(a) `python -m equitable.cli metrics FILE --format json --out /dev/null` as a whole process:
    start-up, reading every cell as text, validation of every cell, keyed hash of every id,
    every figure, the JSON written;
(b) a plain pandas script as a whole process, reading the same CSV (`pandas.read_csv`) and
    computing the core figures only: hourly pay and ethnic groups derived, then
    `pandas_core.pandas_figures` (representation, pay gaps, bonuses, quartiles); no checks;
(c) validation alone: `validate_extract` of the file's cells, read once, in a process of its
    own (the extract's reading is not timed), with a key (the keyed hash of every id, as an
    import that stores the snapshot) and without (the checks alone, as (a) runs them).

With `--baseline DIR`, (a) and (c) also run on the checkout in DIR (its own `equitable`
package first on the path), so a change is measured beside the code before it.

Wall time is what a person waits; CPU time (user + system, all threads, from getrusage) is
what the machine spent, which other work on a shared machine does not inflate. Prints a
markdown table.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT_DATE = "2024-03-31"  # the synthetic pay is above the legal minimum on this date


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _environment(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}


def timed_process(command: list[str], root: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole process run from `root`; it must succeed."""
    cpu = _children_cpu()
    started = time.perf_counter()
    subprocess.run(
        command, cwd=root, env=_environment(root), check=True, capture_output=True, text=True
    )
    return time.perf_counter() - started, _children_cpu() - cpu


def equitable_command(path: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "equitable.cli",
        "metrics",
        str(path),
        "--format",
        "json",
        "--out",
        os.devnull,
        "--snapshot-date",
        SNAPSHOT_DATE,
    ]


def pandas_command(path: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--pandas-child", str(path)]


def validation_command(path: Path, repeats: int) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--validate-child",
        str(path),
        "--repeats",
        str(repeats),
    ]


# --- (b) the pandas script -------------------------------------------------------------------


def pandas_script(path: Path) -> None:
    """Read the CSV with pandas and compute the core figures, as an analyst would."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import pandas as pd
    from pandas_core import pandas_figures

    from equitable.metrics.labels import ETHNICITY_TO_GROUP, WHITE_BRITISH

    df = pd.read_csv(path)
    for column in ("ethnicity", "sex", "disability", "sexual_orientation", "religion"):
        df[column] = df[column].fillna("Not known")
    df["ethnic_group"] = df["ethnicity"].map(ETHNICITY_TO_GROUP).fillna("Unknown")
    df["white_british"] = (df["ethnicity"] == WHITE_BRITISH).where(df["ethnic_group"] != "Unknown")
    derived = df["annual_salary"] / (52.143 * 36.0)
    df["hourly_pay"] = df["hourly_pay"].fillna(derived).round(4)
    df["bonus_pay"] = df["bonus_pay"].fillna(0.0)
    pandas_figures(df)


# --- (c) validation alone --------------------------------------------------------------------


def validation_times(path: Path, repeats: int) -> dict:
    """Best wall and CPU seconds of `validate_extract` over the file's cells, read once: with
    a key (every id's keyed hash, as an import that stores the snapshot) and, where the
    checkout allows it, without one (the checks alone, as `equitable metrics` runs them)."""
    import inspect
    from datetime import date

    from equitable.metrics import extract

    table = extract.read_extract(path)
    keys: dict[str, bytes | None] = {"keyed": b"benchmark-key" * 3}
    if "None" in str(inspect.signature(extract.validate_extract).parameters["id_key"]):
        keys["unkeyed"] = None
    times = {}
    for name, key in keys.items():
        walls, cpus = [], []
        for _ in range(repeats):
            cpu = time.process_time()
            started = time.perf_counter()
            result = extract.validate_extract(
                table, snapshot_date=date.fromisoformat(SNAPSHOT_DATE), id_key=key
            )
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            assert result.ok, result.problems[:5]
        times[name] = {"wall": min(walls), "cpu": min(cpus)}
    return times


# --- the run ---------------------------------------------------------------------------------


def best(times: list[tuple[float, float]]) -> tuple[float, float]:
    return min(t[0] for t in times), min(t[1] for t in times)


def run(rows: int, repeats: int, baseline: Path | None) -> str:
    sys.path.insert(0, str(ROOT))
    from equitable.metrics import synthetic

    roots = {"Equitable": ROOT, **({"baseline": baseline} if baseline else {})}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="equitable-bench-") as folder:
        path = Path(folder) / f"workforce_{rows}.csv"
        synthetic.write_workforce_csv(synthetic.generate_workforce(rows, seed=1), path)
        size_mb = path.stat().st_size / 1e6
        processes: dict[str, list[tuple[float, float]]] = {name: [] for name in roots}
        processes["pandas"] = []
        for _ in range(repeats):
            for name, root in roots.items():
                processes[name].append(timed_process(equitable_command(path), root))
            processes["pandas"].append(timed_process(pandas_command(path), ROOT))
        validations = {}
        for name, root in roots.items():
            output = subprocess.run(
                validation_command(path, repeats),
                cwd=root,
                env=_environment(root),
                check=True,
                capture_output=True,
                text=True,
            )
            validations[name] = json.loads(output.stdout.strip().splitlines()[-1])
    pandas_wall, pandas_cpu = best(processes["pandas"])
    lines = [
        f"{rows:,} rows ({size_mb:.0f} MB CSV), best of {repeats}; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, "
        f"{os.cpu_count()} CPUs",
        "",
        "| what | wall | CPU | pandas ÷ this (wall) | pandas ÷ this (CPU) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in roots:
        wall, cpu = best(processes[name])
        lines.append(
            f"| `equitable metrics` ({name}), whole process | {wall:.2f} s | {cpu:.2f} s "
            f"| **{pandas_wall / wall:.2f}×** | {pandas_cpu / cpu:.2f}× |"
        )
    lines.append(
        f"| pandas script (read, group, gaps, quartiles only), whole process "
        f"| {pandas_wall:.2f} s | {pandas_cpu:.2f} s | 1.00× | 1.00× |"
    )
    what = {
        "keyed": "with the keyed hash of every id",
        "unkeyed": "checks alone, no key (as `equitable metrics`)",
    }
    for name in roots:
        for kind, timing in validations[name].items():
            lines.append(
                f"| validation alone ({name}), `validate_extract` {what[kind]} "
                f"| {timing['wall']:.2f} s | {timing['cpu']:.2f} s | | |"
            )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to time beside this one")
    parser.add_argument("--pandas-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--validate-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.pandas_child:
        pandas_script(args.pandas_child)
        return 0
    if args.validate_child:
        sys.path.insert(0, os.getcwd())  # the checkout being timed
        print(json.dumps(validation_times(args.validate_child, args.repeats)))
        return 0
    print(run(args.rows, args.repeats, args.baseline.resolve() if args.baseline else None))
    return 0


if __name__ == "__main__":
    sys.exit(main())
