"""Bulk loading with review: N declarations into PostgreSQL through the service layer.

Same run, same rows:

* **load**: ``services.declarations.import_documents(…, review=True)``: every document checked,
  reviewed (single and batch rules, with the unit's earlier declarations of the year as peers)
  before the insert, written with its history row and its indicator rows; one transaction per
  chunk of ``CHUNK`` declarations of one unit, as a unit's import would be;
* **baseline**: Django's plain ``bulk_create`` of the same declaration rows (the same columns, the
  search index included) with no review, no history and no indicators: the least any load of these
  rows costs. The table is emptied between the two.

The forms are the seed forms varied by ``bench.corpus.make_forms_text``, read by the text reader
first (not counted in either figure; printed apart). Aim: at least 2,000 declarations a second.

Environment: JIXIAO_BENCH_BULK (declarations, 10000), JIXIAO_BENCH_BULK_BASELINE (0: no baseline),
JIXIAO_BENCH_BULK_DATABASE_URL (default
``postgres://postgres@127.0.0.1:5432/jixiao_bench_bulk``: dropped and created; never ``test``).
The load averages are printed beside each figure: the machine is shared, and a figure taken at a
load above the core count is slower than the code.
"""

from __future__ import annotations

import os
import re
import time
import urllib.parse
from typing import Any

from bench.corpus import make_forms_text

COUNT = int(os.environ.get("JIXIAO_BENCH_BULK", "10000"))
# 0 leaves the baseline out (a long run at 100,000 on a loaded machine: the figure then has none).
BASELINE = os.environ.get("JIXIAO_BENCH_BULK_BASELINE", "1") != "0"
CHUNK = 5_000
UNITS = 10
AIM = 2_000.0
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = os.environ.get(
    "JIXIAO_BENCH_BULK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jixiao_bench_bulk"
)


def _database(create: bool, url: str = DATABASE_URL) -> None:
    """Drop the benchmark database of ``url``, and create it again when ``create``."""
    import psycopg

    name = urllib.parse.urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ("postgres", "test"):
        raise SystemExit(f"refusing to drop database {name!r}")
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {name}")


def _load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def _server_cpu(connection: Any) -> Any:
    """Return a function giving the CPU seconds the connection's server process has used since now.

    Read from /proc when the server runs on this machine (else the figure is None): the CPU time of
    each side holds under a load that stretches the wall-clock time.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    def used() -> float | None:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    start = used()
    return lambda: None if start is None else (used() or 0.0) - start


def _baseline(chunks: list[tuple[Any, Any]], admin: Any) -> dict[str, Any]:
    """Insert the rows by ``bulk_create`` alone, time it, and empty the tables again."""
    from django.db import connection, transaction

    from jixiao.db.declarations.models import Declaration, DeclarationTally
    from jixiao.services.declarations import _apply

    out: dict[str, Any] = {}
    rows = []
    for unit, chunk in chunks:
        for doc in chunk:
            obj = Declaration(organisation=unit, created_by=admin)
            _apply(obj, doc)
            rows.append(obj)
    out["baseline_load"] = _load()
    server = _server_cpu(connection)
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        Declaration.objects.bulk_create(rows, batch_size=1000)
    out["baseline_s"] = time.perf_counter() - started
    out["baseline_cpu_s"] = time.process_time() - cpu
    out["baseline_server_cpu_s"] = server()
    del rows
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Declaration._meta.db_table} CASCADE")
        cursor.execute(f"TRUNCATE {Declaration.history.model._meta.db_table}")
        # TRUNCATE fires no delete trigger: the counts the triggers keep are emptied with the rows.
        cursor.execute(f"TRUNCATE {DeclarationTally._meta.db_table}")
    return out


def _django(url: str) -> None:
    """Set Django up on the benchmark database ``url`` and migrate it."""
    os.environ["JIXIAO_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _run() -> dict[str, Any]:
    _django(DATABASE_URL)
    from django.db import connection, transaction

    from jixiao.db.accounts.models import Organisation, Role, User
    from jixiao.db.declarations.models import Declaration, Indicator
    from jixiao.formats.text import read_forms
    from jixiao.services.declarations import import_documents

    bureau = Organisation.objects.create(name="青浦区财政局", kind=Organisation.Kind.BUREAU)
    units = [
        Organisation.objects.create(name=f"第{n + 1:02d}预算单位", kind=Organisation.Kind.UNIT, parent=bureau)
        for n in range(UNITS)
    ]
    admin = User.objects.create(username="bulk-admin", role=Role.ADMIN, organisation=bureau)

    out: dict[str, Any] = {}
    started = time.perf_counter()
    docs = read_forms(make_forms_text(COUNT, rng_seed=5))
    out["parse_s"] = time.perf_counter() - started
    chunks = [(units[(i // CHUNK) % UNITS], docs[i : i + CHUNK]) for i in range(0, len(docs), CHUNK)]

    # Baseline: the same rows by the ORM's bulk_create, nothing else.
    if BASELINE:
        out |= _baseline(chunks, admin)

    out["load_load"] = _load()
    server = _server_cpu(connection)
    started, cpu = time.perf_counter(), time.process_time()
    for unit, chunk in chunks:
        with transaction.atomic():
            import_documents(admin, chunk, unit, review=True)
    out["load_s"] = time.perf_counter() - started
    out["load_cpu_s"] = time.process_time() - cpu
    out["load_server_cpu_s"] = server()
    out["load_after"] = _load()
    out["declarations"] = Declaration.objects.count()
    out["indicators"] = Indicator.objects.count()
    out["history"] = Declaration.history.count()
    out["reviewed"] = Declaration.objects.exclude(review_grade="").count()
    return out


def main() -> None:
    """Load COUNT declarations with review and print the rate beside the plain insert's."""
    _database(create=True)
    try:
        r = _run()
    finally:
        _database(create=False)
    n = r["declarations"]
    rate = n / r["load_s"]
    print(
        f"{n:,} declarations ({r['indicators']:,} indicators, {r['history']:,} history rows, "
        f"{r['reviewed']:,} reviewed); parsed first in {r['parse_s']:.1f} s (not counted)"
    )
    print(
        f"load with review: {r['load_s']:.1f} s = {rate:,.0f} declarations/s "
        f"(aim >= {AIM:,.0f}: {'met' if rate >= AIM else 'NOT met'}); load average {r['load_load']} → {r['load_after']}"
    )
    server = r["load_server_cpu_s"]
    print(
        f"CPU time of the load: this process {r['load_cpu_s']:.1f} s ({r['load_cpu_s'] / n * 1000:.2f} ms a "
        "declaration), the database server "
        + (
            f"{server:.1f} s ({server / n * 1000:.2f} ms a declaration)"
            if server is not None
            else "not readable"
        )
    )
    if server is not None:
        # The process and the server work at the same time (the rows are streamed): on two free
        # cores the busier of the two bounds the rate, whatever the wall-clock time under a load.
        busier = max(r["load_cpu_s"], server) / n
        print(f"bound on two free cores by CPU alone: {1 / busier:,.0f} declarations/s")
    if "baseline_s" not in r:
        print("baseline: not run (JIXIAO_BENCH_BULK_BASELINE=0)")
        return
    base, base_server = n / r["baseline_s"], r["baseline_server_cpu_s"]
    print(
        f"baseline, plain bulk_create of the same rows: {r['baseline_s']:.1f} s = {base:,.0f}/s "
        f"(load {r['baseline_load']}); the load costs {r['load_s'] / r['baseline_s']:.2f}× the baseline; "
        f"CPU: this process {r['baseline_cpu_s'] / n * 1000:.2f} ms a declaration, the server "
        + (f"{base_server / n * 1000:.2f} ms" if base_server is not None else "not readable")
    )


if __name__ == "__main__":
    main()
