"""Time every employee lifecycle figure from data in memory: polars library vs pandas.

    .venv/bin/python benchmarks/bench_lifecycle.py            # 1M applications, 3 × 100k staff
    .venv/bin/python benchmarks/bench_lifecycle.py --applications 100000 --employees 10000

The inputs (`equitable.metrics.lifecycle.synthetic.benchmark_inputs`: three consecutive
snapshots of 100,000 staff from `generate_workforce`, with leavers, starters and promotions
between them, and a million applications, cases, leavers and development records consistent
with them) are generated and validated once, in a process of their own, and written to
Parquet; each measuring subprocess reads them (as the pages read stored record sets) and times
the computation only, best of a few repeats:

(a) polars: `recruitment_tables`, `movement_tables`, `casework_tables` and
    `development_tables`, every exact table of every family;
(b) an idiomatic pandas version of the core figures: stage counts and rates per ethnic group
    (per year and applicant type), the shortlisted → appointed relative likelihood with its
    Katz interval, leavers and promotions per group between snapshots, and the formal
    disciplinary relative likelihood (categoricals, vectorised group-bys, no row loops).

Prints a markdown table with times, the ratio and peak memory. Validation is not timed.
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

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SEED = 20260401
ID_KEY = b"benchmark-lifecycle"
STAGES = ("applied", "longlisted", "shortlisted", "interviewed", "offered", "appointed")
KINDS = ("applications", "cases", "leavers", "development")


def _folder(applications: int, employees: int) -> Path:
    return Path(tempfile.gettempdir()) / f"equitable-bench-lifecycle-{applications}-{employees}"


def prepare(applications: int, employees: int) -> None:
    """Generate, validate (as an import would) and store every input as Parquet."""
    from equitable.metrics.extract import validate_extract
    from equitable.metrics.lifecycle import casework, development, movements, recruitment
    from equitable.metrics.lifecycle.records import validate_records
    from equitable.metrics.lifecycle.synthetic import benchmark_inputs

    inputs = benchmark_inputs(SEED, employees=employees, applications=applications)
    folder = _folder(applications, employees)
    folder.mkdir(exist_ok=True)
    dates = []
    for on, raw in inputs.snapshots:
        result = validate_extract(raw, snapshot_date=on, id_key=ID_KEY, confirm_pay=True)
        if not result.ok or result.frame is None:
            raise SystemExit(f"snapshot {on} failed validation: {result.problems[:5]}")
        result.frame.write_parquet(folder / f"snapshot-{on.isoformat()}.parquet")
        dates.append(on.isoformat())
    specs = {
        "applications": recruitment.APPLICATIONS,
        "cases": casework.CASES,
        "leavers": movements.LEAVERS,
        "development": development.DEVELOPMENT,
    }
    for kind in KINDS:
        records = validate_records(getattr(inputs.records, kind), specs[kind], id_key=ID_KEY)
        if not records.ok or records.frame is None:
            raise SystemExit(f"{kind} failed validation: {records.problems[:5]}")
        records.frame.write_parquet(folder / f"{kind}.parquet")
    (folder / "dates.json").write_text(json.dumps(dates))


def _load(applications: int, employees: int):
    folder = _folder(applications, employees)
    dates = [date.fromisoformat(d) for d in json.loads((folder / "dates.json").read_text())]
    snapshots = [
        (on, pl.read_parquet(folder / f"snapshot-{on.isoformat()}.parquet")) for on in dates
    ]
    records = {kind: pl.read_parquet(folder / f"{kind}.parquet") for kind in KINDS}
    return snapshots, records


# --- (a) polars --------------------------------------------------------------------------------


def polars_figures(snapshots, records) -> dict[str, dict[str, pl.DataFrame]]:
    from equitable.metrics.lifecycle import casework, development, movements, recruitment

    return {
        "recruitment": recruitment.recruitment_tables(records["applications"]),
        "movements": movements.movement_tables(snapshots, leavers=records["leavers"]),
        "casework": casework.casework_tables(records["cases"], snapshots),
        "development": development.development_tables(records["development"], snapshots),
    }


# --- (b) pandas --------------------------------------------------------------------------------


def _katz(k1, n1, k0, n0):
    """Relative likelihood (reference rate ÷ group rate) with the Katz log interval."""
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (k0 / n0) / (k1 / n1)
        se = np.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0)
        return ratio, ratio * np.exp(-1.96 * se), ratio * np.exp(1.96 * se)


def pandas_figures(snapshots, applications, cases):  # noqa: ANN001 - pandas frames
    """The core figures as a competent pandas analyst writes them."""
    import numpy as np
    import pandas as pd

    out = {}
    minority = ["Asian", "Black", "Mixed", "Other"]
    groups = ["Asian", "Black", "Mixed", "White", "Other"]

    # Recruitment: stage reached as a number, one column per stage reached.
    a = applications
    start = a["date_applied"].dt.year - (a["date_applied"].dt.month < 4)
    period = start.astype(str) + "-" + ((start + 1) % 100).astype(str).str.zfill(2)
    stage = a["stage_reached"].map({s: i for i, s in enumerate(STAGES)}).to_numpy()
    frame = pd.DataFrame(
        {
            "period": period.astype("category"),
            "internal": a["internal"].map({True: "Internal", False: "External"}).astype("category"),
            "group": a["ethnic_group"].astype("category"),
        }
    )
    withdrawn = a["withdrawn"].fillna(False).to_numpy()
    for i, name in enumerate(STAGES):
        frame[name] = stage >= i
        frame[f"{name}_pool"] = (stage > i) | ((stage == i) & ~withdrawn)
    columns = [*STAGES, *(f"{s}_pool" for s in STAGES)]
    by_type = frame.groupby(["period", "internal", "group"], observed=True)[columns].sum()
    every = frame.groupby(["period", "group"], observed=True)[columns].sum()
    every = pd.concat({"All": every}, names=["internal"]).reorder_levels(
        ["period", "internal", "group"]
    )
    counts = pd.concat([by_type, every])
    aggregate = (
        counts[counts.index.get_level_values("group").isin(minority)]
        .groupby(level=["period", "internal"])
        .sum()
    )
    aggregate["group"] = "Black, Asian and Multi-ethnic"
    counts = pd.concat([counts, aggregate.set_index("group", append=True)])
    rates = pd.DataFrame(index=counts.index)
    for before, after in zip(STAGES, STAGES[1:], strict=False):
        rates[f"{before} to {after}"] = counts[after] / counts[f"{before}_pool"] * 100
    out["recruitment_stages"] = pd.concat([counts, rates], axis=1)
    k = counts["appointed"]
    n = counts["shortlisted_pool"]
    white = counts.xs("White", level="group")
    k0 = white["appointed"].reindex(counts.droplevel("group").index).to_numpy()
    n0 = white["shortlisted_pool"].reindex(counts.droplevel("group").index).to_numpy()
    ratio, low, high = _katz(k.to_numpy(), n.to_numpy(), k0, n0)
    out["recruitment_relative_likelihood"] = pd.DataFrame(
        {"relative_likelihood": ratio, "ci_low": low, "ci_high": high}, index=counts.index
    )

    # Movements: leavers and promotions per group between consecutive snapshots.
    leavers, promotions = {}, {}
    for (_, before), (on, after) in zip(snapshots, snapshots[1:], strict=False):
        merged = before[["employee_key", "ethnic_group", "pay_band"]].merge(
            after[["employee_key", "pay_band"]],
            on="employee_key",
            how="left",
            suffixes=("", "_after"),
            indicator=True,
        )
        merged["left"] = merged["_merge"] == "left_only"
        band_before = pd.to_numeric(merged["pay_band"], errors="coerce")
        band_after = pd.to_numeric(merged["pay_band_after"], errors="coerce")
        merged["promoted"] = band_after > band_before
        merged["group"] = merged["ethnic_group"].astype("category")
        per_group = merged.groupby("group", observed=True)[["left", "promoted"]].agg(
            ["sum", "count"]
        )
        leavers[on] = per_group["left"].assign(rate=lambda t: t["sum"] / t["count"] * 100)
        promotions[on] = per_group["promoted"].assign(rate=lambda t: t["sum"] / t["count"] * 100)
    out["leavers"] = pd.concat(leavers)
    out["promotions"] = pd.concat(promotions)

    # Casework: entering a formal disciplinary in the year, against the year-end headcount.
    formal = cases[(cases["case_type"] == "disciplinary") & cases["formal"]]
    rows = []
    for on, staff in snapshots:
        begin = pd.Timestamp(on.year - 1, on.month, on.day) + pd.Timedelta(days=1)
        in_year = formal[
            (formal["date_opened"] >= begin) & (formal["date_opened"] <= pd.Timestamp(on))
        ]
        entered = staff["employee_key"].isin(in_year["employee_key"])
        table = pd.DataFrame(
            {"group": staff["ethnic_group"].astype("category"), "entered": entered}
        )
        per_group = table.groupby("group", observed=True)["entered"].agg(["sum", "count"])
        per_group.loc["Black, Asian and Multi-ethnic"] = per_group.loc[
            per_group.index.isin(minority)
        ].sum()
        reference = per_group.loc["White"]
        ratio, low, high = _katz(
            reference["sum"], reference["count"], per_group["sum"], per_group["count"]
        )  # group ÷ White (WRES 3)
        rows.append(
            per_group.assign(relative_likelihood=ratio, ci_low=low, ci_high=high, period=str(on))
        )
    out["casework_relative_likelihood"] = pd.concat(rows)
    del groups, np
    return out


# --- one measurement (runs in a subprocess) ----------------------------------------------------


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(case: str, applications: int, employees: int, repeats: int) -> dict:
    snapshots, records = _load(applications, employees)
    if case == "polars":

        def run():
            return polars_figures(snapshots, records)

        tables = run()
        table_count = sum(len(family) for family in tables.values())
        rows = sum(t.height for family in tables.values() for t in family.values())
    else:
        pandas_snapshots = [(on, frame.to_pandas()) for on, frame in snapshots]
        apps = records["applications"].to_pandas()
        cases = records["cases"].to_pandas()
        del snapshots, records

        def run():
            return pandas_figures(pandas_snapshots, apps, cases)

        tables = run()
        table_count, rows = len(tables), sum(len(t) for t in tables.values())
    times = {}
    best = best_cpu = math.inf
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    if case == "polars":  # each family on its own, to say where the time goes
        for family in ("recruitment", "movements", "casework", "development"):
            start = time.perf_counter()
            polars_family(family, snapshots, records)
            times[family] = time.perf_counter() - start
    return {
        "seconds": best,
        "cpu_seconds": best_cpu,
        "families": times,
        "tables": table_count,
        "rows": rows,
        "process_peak_mib": _max_rss_mib(),
    }


def polars_family(family: str, snapshots, records):
    from equitable.metrics.lifecycle import casework, development, movements, recruitment

    if family == "recruitment":
        return recruitment.recruitment_tables(records["applications"])
    if family == "movements":
        return movements.movement_tables(snapshots, leavers=records["leavers"])
    if family == "casework":
        return casework.casework_tables(records["cases"], snapshots)
    return development.development_tables(records["development"], snapshots)


# --- driver ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.applications, args.employees)
        return
    if args.one:
        print(json.dumps(measure(args.one, args.applications, args.employees, args.repeats)))
        return
    sizes = ["--applications", str(args.applications), "--employees", str(args.employees)]
    if not (_folder(args.applications, args.employees) / "dates.json").exists():
        subprocess.run([sys.executable, __file__, "--prepare", *sizes], check=True)
    print(f"load average before: {Path('/proc/loadavg').read_text().split()[:3]}\n")
    results = {}
    for case in ("polars", "pandas"):
        command = [sys.executable, __file__, "--one", case, *sizes, "--repeats", str(args.repeats)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        results[case] = json.loads(done.stdout.strip().splitlines()[-1])
    polars, pandas = results["polars"], results["pandas"]
    print(
        "| applications | staff per snapshot | polars (every table of every family) "
        "| pandas (core figures) | pandas ÷ polars | CPU polars / pandas | peak polars / pandas |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(
        f"| {args.applications:,} | {args.employees:,} | {polars['seconds'] * 1000:,.0f} ms "
        f"({polars['tables']} tables, {polars['rows']:,} rows) | "
        f"{pandas['seconds'] * 1000:,.0f} ms | {pandas['seconds'] / polars['seconds']:.1f}× | "
        f"{polars['cpu_seconds'] * 1000:,.0f} / {pandas['cpu_seconds'] * 1000:,.0f} ms | "
        f"{polars['process_peak_mib']:,.0f} / {pandas['process_peak_mib']:,.0f} MiB |"
    )
    print(
        "\npolars by family (one run each): "
        + ", ".join(
            f"{name} {seconds * 1000:,.0f} ms" for name, seconds in polars["families"].items()
        )
    )


if __name__ == "__main__":
    main()
