"""Time every workforce figure from data in memory: polars library vs pandas vs the floor.

    .venv/bin/python benchmarks/bench_compute.py                 # 100k and 1M
    .venv/bin/python benchmarks/bench_compute.py --sizes 100000  # just one size
    .venv/bin/python benchmarks/bench_compute.py --ten-million   # adds 10M (needs ~4 GiB, slow)

Each (size, implementation) runs in its own subprocess so that its peak memory (max RSS from
`resource.getrusage`, which sees polars' and numpy's native allocations where tracemalloc does
not) is its own. The synthetic extract of each size is generated and validated once, in a
process of its own, and written to Parquet in the temporary directory; every measuring
subprocess reads that file (as the pages read a stored snapshot) and times the computation only
(best of a few repeats):

(a) `equitable.metrics.figures.compute_all` from the validated string frame;
(b) an idiomatic pandas version of the same core figures: categorical columns, vectorised
    group-bys, no row loops (disclosure, representation by four dimensions and detailed, top 5%,
    mean/median gaps for ethnicity both groupings, sex, disability and ethnicity by sex, bonus
    gaps, quartiles with tie sharing);
(c) the floor: one numpy argsort of pay plus one np.bincount over precomputed group codes.

Prints a markdown table with times, peak RSS and the ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pandas_core import pandas_figures  # noqa: E402

from equitable.metrics.labels import (  # noqa: E402
    DETAILED_ETHNICITIES,
    DISABILITY_VALUES,
    ETHNICITY_TO_GROUP,
    ETHNICITY_VALUES,
    SEX_VALUES,
)

SEED = 20260331
WHITE_BRITISH_NAME = DETAILED_ETHNICITIES[12][0]


# --- data --------------------------------------------------------------------------------


def synthetic_workforce(n: int, seed: int = SEED) -> tuple[pl.DataFrame, set[str] | None]:
    """The validated frame and its present columns.

    Uses the ingestion helpers' generator and validator (the real path: raw extract ->
    `validate_extract` -> figures) when they are there; otherwise a numpy generator that
    builds the validated shape directly. Validation is not timed.
    """
    try:
        from equitable.metrics.extract import validate_extract
        from equitable.metrics.synthetic import generate_workforce
    except ImportError:
        return _numpy_workforce(n, seed), None
    raw = generate_workforce(n, seed)
    result = validate_extract(raw, snapshot_date=date(2026, 3, 31), id_key=b"benchmark")
    if not result.ok or result.frame is None:
        raise SystemExit(f"synthetic extract failed validation: {result.problems[:5]}")
    return result.frame, result.present_columns


def _pick(values: list[str], codes: np.ndarray) -> pl.Series:
    """A string column from small integer codes without a numpy string array (memory at 10M)."""
    return pl.Series(values, dtype=pl.String).gather(pl.Series(codes))


def _numpy_workforce(n: int, seed: int) -> pl.DataFrame:
    """A council-like extract: skewed ethnicity, 12 directorates, 10 bands, 40 grades."""
    rng = np.random.default_rng(seed)
    weights = np.array([2, 2, 14, 4, 3, 6, 5, 1, 1, 1, 1, 1, 30, 2, 0.2, 0.2, 8, 1, 2, 6, 8.6])
    ethnicity_codes = rng.choice(21, n, p=weights / weights.sum())
    band = rng.integers(1, 11, n)
    pay = np.round(9.5 + band * 2.8 + rng.gamma(2.0, 1.5, n), 2)  # ties are common, as in payroll
    orientation = ["Heterosexual", "Gay or lesbian", "Bisexual", "Prefer not to say", "Not known"]
    religion = ["No religion", "Christian", "Hindu", "Muslim", "Prefer not to say", "Not known"]
    frame = pl.DataFrame(
        {
            "employee_key": pl.int_range(n, eager=True).cast(pl.String),
            "ethnicity": _pick(list(ETHNICITY_VALUES), ethnicity_codes),
            "ethnic_group": _pick(
                [ETHNICITY_TO_GROUP[v] for v in ETHNICITY_VALUES], ethnicity_codes
            ),
            "sex": _pick(list(SEX_VALUES), rng.choice(4, n, p=[0.6, 0.36, 0.02, 0.02])),
            "disability": _pick(
                list(DISABILITY_VALUES), rng.choice(4, n, p=[0.06, 0.8, 0.04, 0.1])
            ),
            "sexual_orientation": _pick(
                orientation, rng.choice(5, n, p=[0.6, 0.03, 0.02, 0.1, 0.25])
            ),
            "religion": _pick(religion, rng.choice(6, n, p=[0.25, 0.3, 0.1, 0.1, 0.1, 0.15])),
            "pay_band": _pick([str(b) for b in range(11)], band),
            "grade": _pick([f"G{g}" for g in range(48)], band * 4 + rng.integers(0, 4, n)),
            "directorate": _pick(
                [f"Directorate {d}" for d in range(1, 13)], rng.integers(0, 12, n)
            ),
            "leadership_tier": _pick(["None", "Tier 1"], (band >= 9).astype(np.int8)),
            "hourly_pay": pay,
            "bonus_pay": np.where(rng.random(n) < 0.08, np.round(rng.gamma(2, 400, n), 2), 0.0),
        }
    )
    white_british = pl.when(pl.col("ethnic_group") == "Unknown").then(None)
    return frame.with_columns(
        white_british.otherwise(pl.col("ethnicity") == WHITE_BRITISH_NAME).alias("white_british")
    )


# --- (b) pandas: pandas_core.pandas_figures ------------------------------------------------


# --- one measurement (runs in a subprocess) ------------------------------------------------


def _max_rss_mib() -> float:
    """The process's peak RSS so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return math.nan


def _reset_peak() -> bool:
    """Reset the kernel's high-water mark so the peak seen is the computation's own."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def _frame_file(n: int) -> Path:
    return Path(tempfile.gettempdir()) / f"equitable-bench-{n}-{SEED}.parquet"


def prepare(n: int) -> None:
    """Write the validated synthetic frame of n rows to Parquet, once, in its own process.

    Why: generating an extract as text and validating it takes several times the memory of the
    frame itself, and the app never does both at once with the figures (an import stores the
    frame; the pages read it back from its Parquet blob). Measuring from the file makes each
    subprocess's peak what a server computing the figures of a stored snapshot needs."""
    frame, present = synthetic_workforce(n)
    path = _frame_file(n)
    frame.write_parquet(path, compression="lz4")
    path.with_suffix(".json").write_text(json.dumps(sorted(present) if present else None))


def _load(n: int) -> tuple[pl.DataFrame, set[str] | None]:
    path = _frame_file(n)
    present = json.loads(path.with_suffix(".json").read_text())
    return pl.read_parquet(path), (set(present) if present is not None else None)


def measure(case: str, n: int, repeats: int) -> dict:
    frame, present = _load(n)
    if case == "polars":
        from equitable.metrics.figures import compute_all

        def run():
            return compute_all(frame, present_columns=present)
    elif case == "pandas":
        pdf = frame.to_pandas()

        def run():
            return pandas_figures(pdf)
    else:
        pay = frame["hourly_pay"].to_numpy()
        codes = (
            frame["ethnic_group"]
            .cast(pl.Enum(["Asian", "Black", "Mixed", "White", "Other", "Unknown"]))
            .to_physical()
            .to_numpy()
        )

        def run():
            order = np.argsort(pay)
            return order, np.bincount(codes, minlength=6)

    if case == "pandas":
        del frame  # keep only the copy the case uses, so peak memory is its own
    baseline = _status_mib("VmRSS")
    reset = _reset_peak()
    best = best_cpu = math.inf
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    compute_peak = _status_mib("VmHWM") if reset else _max_rss_mib()
    return {
        "seconds": best,
        "cpu_seconds": best_cpu,
        "process_peak_mib": _max_rss_mib(),
        "baseline_mib": baseline,
        "compute_extra_mib": compute_peak - baseline,
    }


# --- driver --------------------------------------------------------------------------------


def prepare_once(n: int) -> None:
    if not _frame_file(n).exists() or not _frame_file(n).with_suffix(".json").exists():
        subprocess.run([sys.executable, __file__, "--prepare", str(n)], check=True)


def run_case(case: str, n: int, repeats: int) -> dict:
    command = [sys.executable, __file__, "--one", case, "--n", str(n), "--repeats", str(repeats)]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--ten-million", action="store_true", help="also run 10,000,000 rows")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.n, args.repeats)))
        return
    if args.prepare:
        prepare(args.prepare)
        return

    sizes = list(args.sizes) + ([10_000_000] if args.ten_million else [])
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}\n")
    print(
        "| rows | polars compute_all | pandas | floor (argsort + bincount) | pandas / polars "
        "| polars / floor | CPU time polars / pandas / floor | extra memory polars "
        "| extra memory pandas | process peak polars | process peak pandas |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        repeats = args.repeats if n < 10_000_000 else 1
        prepare_once(n)
        results = {case: run_case(case, n, repeats) for case in ("polars", "pandas", "floor")}
        ms = {case: r["seconds"] * 1000 for case, r in results.items()}
        cpu = {case: r["cpu_seconds"] * 1000 for case, r in results.items()}
        polars, pandas = results["polars"], results["pandas"]
        print(
            f"| {n:,} | {ms['polars']:.0f} ms | {ms['pandas']:.0f} ms | {ms['floor']:.0f} ms | "
            f"{ms['pandas'] / ms['polars']:.1f}× | {ms['polars'] / ms['floor']:.1f}× | "
            f"{cpu['polars']:.0f} / {cpu['pandas']:.0f} / {cpu['floor']:.0f} ms | "
            f"{polars['compute_extra_mib']:.0f} MiB | {pandas['compute_extra_mib']:.0f} MiB | "
            f"{polars['process_peak_mib']:.0f} MiB | {pandas['process_peak_mib']:.0f} MiB |",
            flush=True,
        )
    print(
        "\nextra memory = peak RSS during the timed runs above the RSS before them (kernel "
        "high-water mark reset through /proc/self/clear_refs); process peak = getrusage max RSS "
        "of the subprocess that reads the validated frame from Parquet (as the pages read a "
        "stored snapshot) and computes; generating and validating the extract ran before, in a "
        "process of its own. CPU time is the process's (all "
        "threads) for the fastest run: less sensitive to other jobs on the machine than wall "
        "time, and above wall time when polars runs on both cores."
    )


if __name__ == "__main__":
    main()
