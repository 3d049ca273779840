"""Import with validation INTO THE DATABASE: rows per second, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_import_db.py                    # 100k and 1M rows
    .venv/bin/python benchmarks/bench_import_db.py --sizes 100000     # one size
    .venv/bin/python benchmarks/bench_import_db.py --no-postgres      # SQLite only

Each (backend, size) runs in its own subprocess with a fresh data directory (and, for PostgreSQL,
a fresh database `equitable_bench` on DATABASE_URL's server or 127.0.0.1:5432). The synthetic
extract is written to CSV first (not timed); then the timed import is what the web page and the
command line do: read the CSV, validate every row (with the keyed hash of employee ids), and
store the snapshot in one transaction (`services.store_snapshot`: the validated frame as one
Parquet blob). For comparison, on the same validated rows, the alternative storage the design
considered: one database row per employee, written (a) with Django's `bulk_create` and
(b) with the fastest raw path (SQLite `executemany` in one transaction, PostgreSQL `COPY`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/equitable_bench"
ROW_TABLE_LIMIT = 100_000  # row-table comparisons are slow; measured on at most this many rows


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL") or PG_DEFAULT
    try:
        import psycopg

        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True, connect_timeout=2) as conn:
            conn.execute("DROP DATABASE IF EXISTS equitable_bench")
            conn.execute("CREATE DATABASE equitable_bench")
        return url.rsplit("/", 1)[0] + "/equitable_bench"
    except Exception as error:  # no server: SQLite only
        print(f"PostgreSQL not reachable ({error.__class__.__name__}); SQLite only")
        return None


def run_one(backend: str, rows: int) -> dict:
    """Inside the subprocess: set up Django on a fresh data directory and time one import."""
    data_dir = tempfile.mkdtemp(prefix="equitable-bench-")
    os.environ["EQUITABLE_DATA_DIR"] = data_dir
    os.environ["EQUITABLE_LOG_TO_FILE"] = "false"
    os.environ["EQUITABLE_DEBUG"] = "false"  # as in production: no query log holding the blob
    if backend == "sqlite":
        os.environ.pop("DATABASE_URL", None)
    from equitable.core.runtime import migrate, setup_django

    setup_django(data_dir)
    migrate()
    from equitable.core.models import Organisation
    from equitable.metrics.synthetic import generate_workforce
    from equitable.workforce import services

    organisation = Organisation.objects.create(slug="bench", name="Bench Borough")
    csv_path = Path(data_dir) / "extract.csv"
    generate_workforce(rows, 7).write_csv(csv_path)

    started = time.perf_counter()
    raw = services.read_upload(csv_path)
    read_done = time.perf_counter()
    result = services.validate_file(organisation, raw, snapshot_date=date(2025, 3, 31))
    assert not result.problems, result.problems[:5]
    validated = time.perf_counter()
    services.store_snapshot(
        organisation,
        result.frame,
        snapshot_date=date(2025, 3, 31),
        present_columns=result.present_columns,
        source_filename="extract.csv",
        user=None,
        replace=False,
    )
    stored = time.perf_counter()
    total = stored - started
    report = {
        "backend": backend,
        "rows": rows,
        "read_s": read_done - started,
        "validate_s": validated - read_done,
        "store_s": stored - validated,
        "total_s": total,
        "rows_per_s": rows / total,
        "store_rows_per_s": rows / (stored - validated),
    }
    sample = result.frame.head(min(rows, ROW_TABLE_LIMIT))
    report.update(_row_table_comparison(backend, sample))
    return report


def _row_table_comparison(backend: str, frame) -> dict:
    """Store the same rows as one database row each: bulk_create, then the raw fast path."""
    from django.db import connection, models, transaction

    class EmployeeRow(models.Model):
        snapshot_id = models.IntegerField()
        employee_key = models.CharField(max_length=64)
        ethnicity = models.CharField(max_length=60, null=True)
        sex = models.CharField(max_length=30, null=True)
        disability = models.CharField(max_length=30, null=True)
        directorate = models.CharField(max_length=200, null=True)
        pay_band = models.CharField(max_length=100, null=True)
        grade = models.CharField(max_length=100, null=True)
        leadership_tier = models.CharField(max_length=100, null=True)
        hourly_pay = models.FloatField(null=True)
        annual_salary = models.FloatField(null=True)
        bonus_pay = models.FloatField(null=True)
        age = models.IntegerField(null=True)

        class Meta:
            app_label = "workforce"
            db_table = "bench_employee_row"
            indexes = [models.Index(fields=["snapshot_id"])]

    with connection.schema_editor() as editor:
        editor.create_model(EmployeeRow)
    columns = [f.column for f in EmployeeRow._meta.fields if f.column != "id"]
    data = [
        (1, *row) for row in frame.select([c for c in columns if c != "snapshot_id"]).iter_rows()
    ]
    n = len(data)

    started = time.perf_counter()
    with transaction.atomic():
        EmployeeRow._default_manager.bulk_create(
            [EmployeeRow(**dict(zip(columns, row, strict=True))) for row in data],
            batch_size=2000,
        )
    bulk_create = time.perf_counter() - started
    EmployeeRow._default_manager.all().delete()

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor underneath Django's wrapper
            with raw.copy(f"COPY bench_employee_row ({', '.join(columns)}) FROM STDIN") as copy:
                for row in data:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO bench_employee_row ({', '.join(columns)}) VALUES ({placeholders})",
                data,
            )
    raw_path = time.perf_counter() - started
    return {
        "row_table_rows": n,
        "bulk_create_rows_per_s": n / bulk_create,
        "raw_rows_per_s": n / raw_path,
        "raw_path": "COPY" if connection.vendor == "postgresql" else "executemany",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("BACKEND", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        try:
            print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        finally:  # the data directory holds a CSV of every row: do not leave it behind
            data_dir = os.environ.get("EQUITABLE_DATA_DIR", "")
            if Path(data_dir).name.startswith("equitable-bench-"):
                shutil.rmtree(data_dir, ignore_errors=True)
        return 0
    backends: list[tuple[str, str | None]] = [("sqlite", None)]
    if not args.no_postgres:
        url = _postgres_url()
        if url:
            backends.append(("postgres", url))
    results = []
    for backend, url in backends:
        for size in args.sizes:
            env = dict(os.environ)
            fresh = _postgres_url() if url else None  # a fresh database for every run
            if fresh:
                env["DATABASE_URL"] = fresh
            output = subprocess.run(
                [sys.executable, __file__, "--one", backend, str(size)],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if output.returncode != 0:
                print(output.stderr[-3000:])
                return 1
            results.append(json.loads(output.stdout.strip().splitlines()[-1]))
    print(
        "| backend | rows | read s | validate s | store s | total s | rows/s (import) "
        "| row table: bulk_create rows/s | row table: raw rows/s |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['backend']} | {r['rows']:,} | {r['read_s']:.2f} | {r['validate_s']:.2f} "
            f"| {r['store_s']:.2f} | {r['total_s']:.2f} | {r['rows_per_s']:,.0f} "
            f"| {r['bulk_create_rows_per_s']:,.0f} | {r['raw_rows_per_s']:,.0f} ({r['raw_path']}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
