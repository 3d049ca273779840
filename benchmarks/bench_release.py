"""Time releasing one snapshot's tables (`publication.release.release_tables`) against
`disclosure_control.protect` on the same tables: what the across-years perturbation adds.

    .venv/bin/python benchmarks/bench_release.py                  # 1,500 and 10,000 staff
    .venv/bin/python benchmarks/bench_release.py --sizes 2500     # just one size

Each size's synthetic extract is validated and its figures computed once (not timed); then
`protect` and `release_tables` each run a few times (best kept), and a re-release with a
prepared snapshot (`PreparedRelease.release`, the key-dependent part alone). Prints a markdown
table.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from equitable.metrics.disclosure_control import protect  # noqa: E402
from equitable.metrics.extract import validate_extract  # noqa: E402
from equitable.metrics.figures import compute_all  # noqa: E402
from equitable.metrics.population import demo_population  # noqa: E402
from equitable.metrics.publication.release import (  # noqa: E402
    PreparedRelease,
    new_release_key,
    release_tables,
)
from equitable.metrics.synthetic import generate_workforce  # noqa: E402


def best(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_500, 10_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("| staff | tables | protect() | release_tables() | added | re-release, prepared |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        raw = generate_workforce(size, seed=5)
        result = validate_extract(raw, snapshot_date=date(2025, 3, 31), id_key=b"k" * 32)
        assert result.frame is not None
        tables = compute_all(result.frame, demo_population(), result.present_columns)
        key = new_release_key()
        protecting = best(lambda t=tables: protect(t), args.repeats)
        releasing = best(lambda t=tables, k=key: release_tables(t, key=k), args.repeats)
        prepared = PreparedRelease(tables)
        again = best(lambda p=prepared, k=key: p.release(k), args.repeats)
        print(
            f"| {size:,} | {len(tables)} | {protecting * 1000:,.0f} ms | "
            f"{releasing * 1000:,.0f} ms | {(releasing - protecting) * 1000:+,.0f} ms | "
            f"{again * 1000:,.0f} ms |"
        )


if __name__ == "__main__":
    main()
