"""Storing imported records in PostgreSQL: a district-year of cases written by record id.

Same run, same rows (the synthetic district's grid cases and work orders, as the reader returns
them after a file is mapped and validated):

* **store**: ``services.records.store_table`` (what the import page and ``jixiao data import`` do
  after validation): the rows sent by COPY (CSV written by Arrow) into a staging table, then one
  ``INSERT … ON CONFLICT DO UPDATE`` by (unit, record id); timed for a first import (every row
  new) and for the same export imported again (every row an update);
* **baseline**: Django's ``bulk_create`` of the same rows as model instances (batches of 2,000),
  the usual way to write many rows with the ORM, into the emptied table; it can neither update
  nor say which rows were there.

Environment: JIXIAO_BENCH_STORE_SCALE (district-years, 1.0 ≈ 400,000 cases; default 0.5),
JIXIAO_BENCH_STORE_DATABASE_URL (default ``postgres://postgres@127.0.0.1:5432/jixiao_bench_store``:
dropped and created; never ``test``). The load averages are printed beside each figure.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from typing import Any

from bench.bench_bulk import _database, _django, _load, _server_cpu

SCALE = float(os.environ.get("JIXIAO_BENCH_STORE_SCALE", "0.5"))
DATABASE_URL = os.environ.get(
    "JIXIAO_BENCH_STORE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jixiao_bench_store"
)


def _run() -> dict[str, Any]:
    _django(DATABASE_URL)
    from django.db import connection, transaction

    from jixiao.db.accounts.models import Organisation
    from jixiao.db.records.models import CaseRecord
    from jixiao.records.synthetic import generate
    from jixiao.services.records import TZ, store_table

    org = Organisation.objects.create(name="青浦区城运中心", kind=Organisation.Kind.UNIT)
    cases = generate(2022, scale=SCALE, seed=5).cases
    out: dict[str, Any] = {"rows": cases.num_rows}

    def timed(label: str, work: Any) -> None:
        out[f"{label}_load"] = _load()
        server = _server_cpu(connection)
        started, cpu = time.perf_counter(), time.process_time()
        with transaction.atomic():
            result = work()
        out[f"{label}_s"] = time.perf_counter() - started
        out[f"{label}_cpu_s"] = time.process_time() - cpu
        out[f"{label}_server_cpu_s"] = server()
        out[f"{label}_result"] = result

    def first() -> tuple[int, int]:
        done = store_table(None, org, cases, "case", "district.csv")
        return done.created_count, done.updated_count

    timed("store", first)
    timed("again", first)
    out["stored"] = CaseRecord.objects.filter(organisation=org).count()

    # Baseline: the same rows by the ORM's bulk_create, into the emptied table.
    names = [n for n in cases.column_names if n != "case_id"]
    columns = {n: cases.column(n).to_pylist() for n in cases.column_names}

    def aware(value: Any) -> Any:
        # the exports' wall time, as the import reads it
        return value.replace(tzinfo=TZ) if isinstance(value, datetime) else value

    objs = [
        CaseRecord(
            organisation=org,
            case_id=columns["case_id"][i],
            **{n: aware(columns[n][i]) for n in names},
        )
        for i in range(cases.num_rows)
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {CaseRecord._meta.db_table}")
    timed("baseline", lambda: len(CaseRecord.objects.bulk_create(objs, batch_size=2000)))
    return out


def main() -> None:
    """Store the district's cases twice (new, then updates) and print the rates beside bulk_create's."""
    _database(True, DATABASE_URL)
    try:
        r = _run()
    finally:
        _database(False, DATABASE_URL)
    n = r["rows"]

    def line(label: str) -> str:
        seconds, cpu, server = r[f"{label}_s"], r[f"{label}_cpu_s"], r[f"{label}_server_cpu_s"]
        side = f"CPU this process {cpu / n * 1e6:.1f} µs a row, the database server " + (
            f"{server / n * 1e6:.1f} µs" if server is not None else "not readable"
        )
        return f"{seconds:.2f} s = {n / seconds:,.0f} records/s ({side}; load {r[f'{label}_load']})"

    print(f"{n:,} cases of a synthetic district (scale {SCALE}) into PostgreSQL; {r['stored']:,} stored")
    print(f"store, every row new ({r['store_result'][0]:,} created): {line('store')}")
    print(f"store again, every row an update ({r['again_result'][1]:,} updated): {line('again')}")
    ratio = r["baseline_s"] / r["store_s"]
    print(
        f"baseline, Django bulk_create of the same rows (new only): {line('baseline')}; store is {ratio:.1f}× as fast"
    )
