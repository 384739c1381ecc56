"""The web application under load: 10,000 declarations in PostgreSQL, 20 concurrent clients on loopback.

Aim: under 20 concurrent clients, p95 latency under 150 ms (the aim at 100,000 declarations) and zero errors
for the list page, the declaration page, the dashboard and the API list endpoint; and the time to
import 1,000 forms through the import path. Steps:

1. drop and create the PostgreSQL database ``jixiao_bench`` (127.0.0.1:5432, user postgres; override
   with JIXIAO_BENCH_DATABASE_URL), migrate, load the demo accounts;
2. load 10,000 declarations (about 80,000 indicators): the seven seed forms varied by
   ``bench.corpus.make_forms_text``, read by the text reader, spread over 20 units and five years,
   written through the service layer (``services.declarations.import_documents``, one transaction
   per unit, history rows included, reviewed by the review engine before the insert), then
   moved to realistic workflow states; the approved and published ones get self-evaluations and
   July monitoring reports (a sample through the service layer, SQL copies of it for the rest);
3. start the real server (``jixiao serve``: gunicorn, gthread workers) on a free loopback port;
4. sign in (session cookie) and get an API token, then run 20 client threads with ``http.client``
   for a bounded number of requests per page; the baselines, measured under the same load in the same
   run, are a static file (WhiteNoise) and a trivial dynamic endpoint (``/api/targets/check``);
5. import 1,000 forms through the import pages (upload → preview → confirm), timed per step;
6. time the pages the server keeps under the data version (list, search, dashboard, API list:
   ``jixiao.web.page_cache``, ``jixiao.web.api.kept``) again with a server whose page cache is off, on the same data: the
   baseline of the cache; each table says which share of the requests the cache answered;
7. time one look at the self-evaluation dashboard and the year's results report in-process, and
   profile the slowest page in-process (cProfile and the SQL it runs) to say where its time goes
   (with the page cache off: the cost of a rendering).

Environment: JIXIAO_BENCH_DECLARATIONS (10000), JIXIAO_BENCH_SIZES (e.g. ``10000,100000``: the pages
timed at each size in one run, the database grown between them by SQL copies), JIXIAO_BENCH_SERVICE_LOAD (how many of them go through
the service layer, default all; the rest are SQL copies of them, without history rows), JIXIAO_BENCH_REQUESTS per page (2000),
JIXIAO_BENCH_CLIENTS (20), JIXIAO_BENCH_WORKERS (gunicorn processes, 4), JIXIAO_BENCH_KEEP_DB=1 to keep
the database afterwards. Only loopback traffic; every loop is bounded.
"""

from __future__ import annotations

import cProfile
import dataclasses
import http.client
import os
import pstats
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.corpus import make_forms_text

DECLARATIONS = int(os.environ.get("JIXIAO_BENCH_DECLARATIONS", "10000"))
# Of them, loaded through the service layer (parsed, reviewed, written with history); the rest are
# copies made in SQL (see _copy_declarations): 100,000 loaded one by one take half an hour on a
# loaded 2-core machine, and the pages' figures depend on the table, not on how it was filled.
SERVICE_LOAD = int(os.environ.get("JIXIAO_BENCH_SERVICE_LOAD", str(DECLARATIONS)))
REQUESTS = int(os.environ.get("JIXIAO_BENCH_REQUESTS", "2000"))
CLIENTS = int(os.environ.get("JIXIAO_BENCH_CLIENTS", "20"))
WORKERS = int(os.environ.get("JIXIAO_BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("JIXIAO_BENCH_THREADS", "4"))
REUSE_DB = os.environ.get("JIXIAO_BENCH_REUSE_DB") == "1"
IMPORT_FORMS = 1_000
UNITS = 20
YEARS = (2021, 2022, 2023, 2024, 2025)
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = os.environ.get("JIXIAO_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jixiao_bench")
AIM_P95_MS = 150.0
HOST = "127.0.0.1"
PASSWORD = "jixiao-demo-2022"  # jixiao.services.demo.DEMO_PASSWORD
REPO = Path(__file__).resolve().parents[1]

# Workflow states of the loaded declarations (share of the corpus), as in a district mid-year.
STATE_SHARES = (
    ("published", 0.40),
    ("approved", 0.10),
    ("finance_review", 0.10),
    ("dept_review", 0.10),
    ("submitted", 0.05),
    ("returned", 0.05),
    ("draft", 0.20),
)


# --------------------------------------------------------------------------------------------
# Database and data


def _recreate_database() -> None:
    """Drop and create the benchmark database (the server connection is the ``postgres`` database)."""
    import psycopg

    name = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in ("postgres", "test"):
        raise SystemExit(f"refusing to drop database {name!r}")
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def _drop_database() -> None:
    import psycopg

    name = urllib.parse.urlparse(DATABASE_URL).path.lstrip("/")
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _setup_django() -> None:
    os.environ["JIXIAO_DATABASE_URL"] = DATABASE_URL
    # One throwaway secret key for this process and the server it starts: an API token issued here
    # is bound to the user's session hash, which the key signs (a key of its own made every token 401).
    os.environ.setdefault("JIXIAO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def _load(count: int) -> dict[str, Any]:
    """Migrate, load the demo accounts, and load ``count`` declarations; return timings and counts."""
    from django.core.management import call_command

    from jixiao.db.accounts.models import Organisation
    from jixiao.db.declarations.models import Declaration, Grade, Indicator
    from jixiao.formats.text import read_forms
    from jixiao.services.declarations import import_documents
    from jixiao.services.demo import DEPARTMENT, OTHER_DEPARTMENT, load_demo

    out: dict[str, Any] = {}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    users = load_demo()
    out["migrate_demo_s"] = time.perf_counter() - started

    started = time.perf_counter()
    docs = read_forms(make_forms_text(min(count, SERVICE_LOAD), rng_seed=4))
    out["parse_s"] = time.perf_counter() - started

    departments = [Organisation.objects.get(name=DEPARTMENT), Organisation.objects.get(name=OTHER_DEPARTMENT)]
    units = []
    for n in range(UNITS):
        unit, _ = Organisation.objects.get_or_create(
            name=f"上海市青浦区第{n + 1:02d}预算单位",
            defaults={"kind": Organisation.Kind.UNIT, "parent": departments[n % len(departments)]},
        )
        units.append(unit)
    admin = users["admin"]
    started = time.perf_counter()
    for n, unit in enumerate(units):
        chunk = []
        for i, doc in enumerate(docs[n::UNITS]):
            year = YEARS[(i + n) % len(YEARS)]
            chunk.append(
                dataclasses.replace(
                    doc,
                    year=year,
                    project=dataclasses.replace(
                        doc.project, implementing_unit=unit.name, start_date=None, end_date=None
                    ),
                    goals=dataclasses.replace(
                        doc.goals, annual=f"{doc.goals.annual or ''}（{unit.name}，{year}年）"
                    ),
                )
            )
        # Reviewed before the insert, with the unit's earlier declarations as peers (one transaction).
        import_documents(admin, chunk, unit, review=True)
    out["load_s"] = time.perf_counter() - started

    # Realistic states and grades: a district mid-year (bulk UPDATE, as the data of a running system).
    ids = list(Declaration.objects.filter(organisation__in=units).order_by("id").values_list("id", flat=True))
    rng = random.Random(7)
    rng.shuffle(ids)
    start = 0
    for state, share in STATE_SHARES:
        part = ids[start : start + round(share * len(ids))]
        start += len(part)
        grade = "" if state in ("draft", "submitted", "dept_review") else None
        for i in range(0, len(part), 2000):
            batch = part[i : i + 2000]
            if grade is None:
                for g, sub in ((Grade.EXCELLENT, batch[0::2]), (Grade.GOOD, batch[1::2])):
                    Declaration.objects.filter(id__in=sub).update(status=state, grade=g)
            else:
                Declaration.objects.filter(id__in=batch).update(status=state, grade=grade)
    from django.db import connection

    started = time.perf_counter()
    copied = _copy_declarations(count - min(count, SERVICE_LOAD))
    out["copy_s"] = time.perf_counter() - started
    out["copied"] = copied
    out["self_evaluations"], out["monitoring"] = _fill_evaluations()

    with connection.cursor() as cursor:
        # What autovacuum does on a live server after a bulk load: statistics, and the visibility map
        # that lets counts use index-only scans.
        cursor.execute("VACUUM ANALYZE")
    out["declarations"] = Declaration.objects.count()
    out["indicators"] = Indicator.objects.count()
    return out


def _copy_declarations(extra: int) -> int:
    """Add ``extra`` declarations copied in SQL from the loaded ones (name suffixed, same state, same
    indicator rows; no history rows): a large table without the time of loading it row by row.

    The copies get keys above every loaded one (key + k × the highest key), so their indicator rows
    follow by the same offset. Returns the number of declarations added.
    """
    from django.db import connection

    from jixiao.db.declarations.models import Declaration, Indicator

    if extra <= 0:
        return 0
    table, ind_table = Declaration._meta.db_table, Indicator._meta.db_table
    columns = [f.column for f in Declaration._meta.concrete_fields if f.column not in ("id", "project_name")]
    ind_columns = [
        f.column for f in Indicator._meta.concrete_fields if f.column not in ("id", "declaration_id")
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT max(id), count(*) FROM {table}")
        top, have = cursor.fetchone()
        rounds = -(-extra // have)
        for k in range(1, rounds + 1):
            # The last round copies only what is still missing, by the loaded rows' order.
            limit = min(have, extra - (k - 1) * have)
            cursor.execute(
                f"INSERT INTO {table} (id, project_name, {', '.join(columns)}) "
                f"SELECT id + %s, left(project_name || '·副本' || %s, 300), {', '.join(columns)} "
                f"FROM (SELECT * FROM {table} WHERE id <= %s ORDER BY id LIMIT %s) AS d",
                [k * top, k, top, limit],
            )
            cursor.execute(
                f"INSERT INTO {ind_table} (declaration_id, {', '.join(ind_columns)}) "
                f"SELECT declaration_id + %s, {', '.join(ind_columns)} FROM {ind_table} "
                f"WHERE declaration_id IN (SELECT id FROM {table} WHERE id <= %s ORDER BY id LIMIT %s)",
                [k * top, top, limit],
            )
            print(f"  copied round {k}/{rounds}: {limit:,} declarations", flush=True)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {table}))", [table]
        )
    return extra


# The sample of self-evaluations and monitoring reports made through the service layer (the demo's
# made-up actuals, scored as always); the other evaluable declarations get SQL copies of them.
EVALUATION_SAMPLE = 70
# Self-evaluation states by key modulo 10 (a year after: most published, some late or in review);
# keys whose share is None have none yet (late, once their due date passed).
EVALUATION_STATES = ("published",) * 4 + ("approved", "submitted", "draft", "returned", None, None)


def _fill_evaluations() -> tuple[int, int]:
    """Give the evaluable declarations self-evaluations and monitoring reports, as a running system has.

    A sample goes through the service layer (``load_evaluation_demo``); each other approved or
    published declaration without one gets a copy of a sample record (its own name, unit and year;
    the state by :data:`EVALUATION_STATES`) and a July report copied alike.
    Returns the numbers of self-evaluations and monitoring reports.
    """
    from django.db import connection

    from jixiao.db.accounts.models import User
    from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord
    from jixiao.services.evaluation_demo import load_evaluation_demo

    load_evaluation_demo(User.objects.get(username="admin"), limit=EVALUATION_SAMPLE)
    sev, mon = SelfEvaluationRecord._meta.db_table, MonitoringRecord._meta.db_table
    states = "ARRAY[" + ", ".join(f"'{s}'" if s else "NULL" for s in EVALUATION_STATES) + "]::text[]"
    evaluable = "d.status IN ('approved', 'published')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH sample AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, * FROM {sev}),
                 k AS (SELECT count(*) AS k FROM sample)
            INSERT INTO {sev} (declaration_id, organisation_id, year, project_name, document,
                budget_score, total_score, grade, errors_count, status, updated, published)
            SELECT d.id, d.organisation_id, d.year, d.project_name, s.document, s.budget_score,
                s.total_score, s.grade, s.errors_count, ({states})[mod(d.id, 10) + 1], now(),
                CASE WHEN ({states})[mod(d.id, 10) + 1] = 'published' THEN now() END
            FROM declarations_declaration d, k, sample s
            WHERE {evaluable} AND s.n = mod(d.id, k.k) AND ({states})[mod(d.id, 10) + 1] IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM {sev} e WHERE e.declaration_id = d.id)
            """
        )
        for month in (7,):
            cursor.execute(
                f"""
                WITH sample AS (SELECT row_number() OVER (ORDER BY id) - 1 AS n, * FROM {mon}
                                WHERE cutoff_month = 7),
                     k AS (SELECT count(*) AS k FROM sample)
                INSERT INTO {mon} (declaration_id, organisation_id, year, project_name, cutoff_month,
                    document, budget_rate, budget_progress, light, warnings, errors_count, status, updated)
                SELECT d.id, d.organisation_id, d.year, d.project_name, %s, s.document, s.budget_rate,
                    s.budget_progress, s.light, s.warnings, s.errors_count, 'published', now()
                FROM declarations_declaration d, k, sample s
                WHERE {evaluable} AND s.n = mod(d.id, k.k)
                  AND NOT EXISTS (SELECT 1 FROM {mon} m WHERE m.declaration_id = d.id
                                  AND m.cutoff_month = %s)
                """,
                [month, month],
            )
    return SelfEvaluationRecord.objects.count(), MonitoringRecord.objects.count()


def _grow_to(size: int) -> int:
    """Copy declarations in SQL until the table holds ``size``; refresh the planner's statistics."""
    from django.db import connection

    from jixiao.db.declarations.models import Declaration

    copied = _copy_declarations(size - Declaration.objects.count())
    _fill_evaluations()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return copied


# --------------------------------------------------------------------------------------------
# Server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _start_server(port: int, log: Path, **extra_env: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, JIXIAO_DATABASE_URL=DATABASE_URL, PYTHONUNBUFFERED="1", **extra_env)
    # The server refuses to run without a secret key outside DEBUG: this run's (see _setup_django).
    env.setdefault("JIXIAO_SECRET_KEY", secrets.token_urlsafe(50))
    # Twenty clients from one loopback address are not an abuse: the limits have their own tests,
    # and a 429 here would time the limiter, not the page.
    env.setdefault("JIXIAO_RATELIMIT", "0")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jixiao",
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
            ],
            cwd=log.parent,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("server exited:\n" + log.read_text(errors="replace")[-3000:])
        try:
            status, _, _ = _get(port, "/login/")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)  # readiness poll under a deadline
    raise SystemExit("server did not start:\n" + log.read_text(errors="replace")[-3000:])


def _stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


class Session:
    """A signed-in browser-like session: cookies and the CSRF token, over plain http.client."""

    def __init__(self, port: int, username: str) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        status, headers, body = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert status == 200 and token, f"login page: {status}"
        form = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1].decode()}
        )
        status, headers, _ = self.request(
            "POST", "/login/", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert status == 302 and "sessionid" in self.cookies, f"sign-in failed: {status}"

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=600)
        try:
            all_headers = {
                "Cookie": self.cookie_header(),
                "Referer": f"http://{HOST}:{self.port}/",
                **(headers or {}),
            }
            if "csrftoken" in self.cookies:
                all_headers["X-CSRFToken"] = self.cookies["csrftoken"]
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
            for key, value in response.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()


# --------------------------------------------------------------------------------------------
# Load


@dataclasses.dataclass
class Result:
    """Latencies (s) and errors of one page under load."""

    name: str
    latencies: list[float]
    errors: int
    wall_s: float
    first_error: str = ""
    # The server's X-Jixiao-Page-Cache answers (hit, miss, bypass) counted per request.
    cache: Counter[str] = dataclasses.field(default_factory=Counter)

    def hit_share(self) -> str:
        """The share of requests answered from the page cache, or "-" for a page it does not keep."""
        total = sum(self.cache.values())
        return f"{self.cache['hit'] / total:.0%}" if total else "-"

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))] * 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    def top_ms(self) -> float:
        """The slowest request (ms)."""
        return max(self.latencies or [0]) * 1000

    def rate(self) -> float:
        """Requests answered per second of the page's wall time."""
        return len(self.latencies) / self.wall_s


def _load_page(
    port: int, name: str, paths: Callable[[int], str], headers: dict[str, str], requests: int, clients: int
) -> Result:
    """Send ``requests`` GETs from ``clients`` threads (keep-alive connections); time each one."""
    counter = iter(range(requests))
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    cache: Counter[str] = Counter()

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                path = paths(n)
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    elapsed = time.perf_counter() - started
                    ok = response.status == 200
                    if response.getheader("Connection", "").lower() == "close":
                        conn.close()
                except (OSError, http.client.HTTPException) as exc:
                    elapsed, ok = time.perf_counter() - started, False
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                    with lock:
                        errors.append(f"{path}: {type(exc).__name__} {exc}")
                    continue
                state = response.getheader("X-Jixiao-Page-Cache")
                with lock:
                    latencies.append(elapsed)
                    if state:
                        cache[state] += 1
                    if not ok:
                        errors.append(f"{path}: HTTP {response.status}")
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, name=f"client-{i}") for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(
        name, latencies, len(errors), time.perf_counter() - started, errors[0] if errors else "", cache
    )


# The same pages timed by wrk (Debian's C load generator, `make setup` installs it): the clients
# above are Python threads in one process, sharing a GIL and the server's 2 cores, so their figures
# hold the client's own queueing; wrk's two threads cost little beside them. Both are printed.
WRK = shutil.which("wrk")
WRK_SECONDS = int(os.environ.get("JIXIAO_BENCH_WRK_SECONDS", "10"))
_WRK_SCRIPT = """
local paths = {%s}
local n = 0
local threads = {}
hits, answered = 0, 0
setup = function(thread)
  table.insert(threads, thread)
end
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
response = function(status, headers, body)
  local state = headers["X-Jixiao-Page-Cache"]
  if state then
    answered = answered + 1
    if state == "hit" then hits = hits + 1 end
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local h, a = 0, 0
  for _, t in ipairs(threads) do
    h = h + t:get("hits")
    a = a + t:get("answered")
  end
  io.write(string.format("JXWRK %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(99), h, a))
end
"""


def _lua_string(text: str) -> str:
    # Paths are ASCII (quoted) URLs: only the quote and the backslash need escaping in Lua.
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrk_page(
    port: int, name: str, paths: Callable[[int], str], headers: dict[str, str], count: int, clients: int
) -> Result | None:
    """Time ``paths(0..count-1)`` in turn with wrk (``clients`` keep-alive connections, 2 threads,
    WRK_SECONDS); return its median/p95/max as a Result, or None without wrk."""
    if WRK is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % ", ".join(_lua_string(paths(n)) for n in range(count)))
    try:
        command = [
            WRK,
            "-t",
            "2",
            "-c",
            str(clients),
            "-d",
            f"{WRK_SECONDS}s",
            "--timeout",
            "30s",
            "-s",
            script.name,
        ]
        for key, value in headers.items():
            command += ["-H", f"{key}: {value}"]
        done = subprocess.run(
            [*command, f"http://{HOST}:{port}"], capture_output=True, text=True, timeout=WRK_SECONDS + 60
        )
    finally:
        os.unlink(script.name)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("JXWRK ")), None)
    if line is None:
        return Result(name, [], 1, 1.0, f"wrk: {done.stdout[-300:]} {done.stderr[-300:]}")
    requests, duration_us, p50, p95, top, socket_errors, status_errors, p99, hits, answered = (
        int(v) for v in line.split()[1:]
    )
    return WrkResult(
        name,
        [],
        socket_errors + status_errors,
        duration_us / 1e6,
        f"{socket_errors} socket errors, {status_errors} non-2xx/3xx"
        if socket_errors + status_errors
        else "",
        requests=requests,
        p50_ms=p50 / 1000,
        p95_ms=p95 / 1000,
        p99_ms=p99 / 1000,
        max_ms=top / 1000,
        cache=Counter({"hit": hits, "other": answered - hits}) if answered else Counter(),
    )


@dataclasses.dataclass
class WrkResult(Result):
    """wrk's summary of one page: its percentiles (it keeps no list of latencies)."""

    requests: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0

    def p(self, q: float) -> float:
        return {0.5: self.p50_ms, 0.95: self.p95_ms, 0.99: self.p99_ms}.get(q, float("nan"))

    @property
    def median_ms(self) -> float:
        return self.p50_ms

    def top_ms(self) -> float:
        return self.max_ms

    def rate(self) -> float:
        return self.requests / self.wall_s


# --------------------------------------------------------------------------------------------
# Import through the pages


def _import_through_pages(port: int) -> dict[str, float]:
    """Upload 1,000 forms as the filler, open the preview, confirm; return the seconds of each step."""
    text = make_forms_text(IMPORT_FORMS, rng_seed=99).encode("utf-8")
    session = Session(port, "filler")
    status, _, body = session.request("GET", "/declarations/import/")
    assert status == 200, f"import page: {status}"
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token
    boundary = "jixiaobench7d1"
    payload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token[1].decode()}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="bench-1000.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        + text
        + f"\r\n--{boundary}--\r\n".encode()
    )
    out: dict[str, float] = {"bytes": float(len(text))}
    started = time.perf_counter()
    status, headers, body = session.request(
        "POST",
        "/declarations/import/",
        payload,
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    out["upload_parse_s"] = time.perf_counter() - started
    assert status == 302, f"upload: {status} {body[:300]!r}"
    preview = urllib.parse.urlparse(headers["location"]).path
    started = time.perf_counter()
    status, _, body = session.request("GET", preview)
    out["preview_s"] = time.perf_counter() - started
    assert status == 200, f"preview: {status}"
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert token
    started = time.perf_counter()
    status, headers, body = session.request(
        "POST",
        preview,
        urllib.parse.urlencode({"csrfmiddlewaretoken": token[1].decode()}).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    out["confirm_s"] = time.perf_counter() - started
    location = headers.get("location", "")
    assert status == 302 and "/import/" not in location, f"confirm: {status} {headers}"
    out["job_s"] = 0.0
    if "/jobs/" in location:
        # A large import is a job: the server only queued it. A worker (as `make demo` runs beside
        # the server) saves and reviews it; timed until the queue is empty.
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "jixiao", "worker", "--batch"],
            env=dict(os.environ, JIXIAO_DATABASE_URL=DATABASE_URL),
            check=True,
            capture_output=True,
            timeout=1800,
        )
        out["job_s"] = time.perf_counter() - started
    out["total_s"] = out["upload_parse_s"] + out["preview_s"] + out["confirm_s"] + out["job_s"]
    return out


# --------------------------------------------------------------------------------------------
# Profile


def _client(username: str, token: str | None) -> tuple[Any, dict[str, str]]:
    from django.test import Client

    from jixiao.db.accounts.models import User

    client = Client()
    if token:
        return client, {"Authorization": f"Bearer {token}"}
    client.force_login(User.objects.get(username=username))
    return client, {}


def _cost(path: str, username: str, token: str | None) -> str:
    """Return one line: the median in-process time of ``path`` over 5 requests, its SQL count and time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, headers = _client(username, token)
    client.get(path, headers=headers)
    runs = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(path, headers=headers)
            runs.append(
                (
                    time.perf_counter() - started,
                    len(queries.captured_queries),
                    sum(float(q["time"]) for q in queries.captured_queries),
                )
            )
    total, count, sql = sorted(runs)[2]
    return f"  {path:45} {total * 1000:7.1f} ms, {count:3d} SQL queries {sql * 1000:7.1f} ms"


def _explain(sql: str) -> list[str]:
    """Return PostgreSQL's plan with timings for one captured query (first lines)."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
            return [row[0] for row in cursor.fetchall()][:12]
    except Exception as exc:  # a plan is a bonus: never let it stop the benchmark
        return [f"(no plan: {type(exc).__name__})"]


def _profile(path: str, username: str, token: str | None) -> str:
    """Run one request in-process under cProfile; return the SQL count/time and the top functions."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client, headers = _client(username, token)
    client.get(path, headers=headers)  # warm caches and imports
    reset_queries()
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.enable()
        response = client.get(path, headers=headers)
        profiler.disable()
        elapsed = time.perf_counter() - started
    sql_s = sum(float(q["time"]) for q in queries.captured_queries)
    slowest = sorted(queries.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:4]
    stats = pstats.Stats(profiler)
    # Where the time goes: our code's functions by cumulative time, and the template rendering total.
    rows = []
    template_s = 0.0
    for (file, line, func), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if file.endswith("django/template/base.py") and func == "render" and cumtime > template_s:
            template_s = cumtime
        if "/jixiao/" in file and "/site-packages/" not in file:
            rows.append((cumtime, f"{file.split('/jixiao/', 1)[1]}:{line}({func})"))
    lines = [
        f"  {path}: status {response.status_code}, {elapsed * 1000:.0f} ms in-process (profiled), "
        f"{len(queries.captured_queries)} SQL queries taking {sql_s * 1000:.0f} ms, "
        f"template rendering {template_s * 1000:.0f} ms"
    ]
    lines.append("  slowest queries:")
    for q in slowest:
        lines.append(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:150]}")
    if slowest:
        lines.append("  plan of the slowest query:")
        lines += ["    " + ln for ln in _explain(slowest[0]["sql"])]
    lines.append("  jixiao functions by cumulative time:")
    for cumtime, where in sorted(rows, reverse=True)[:8]:
        lines.append(f"    {cumtime * 1000:6.1f} ms  {where}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def _print_results(
    client: str, results: list[Result], alone: dict[str, float], load_before: float, load_after: float
) -> list[Result]:
    """Print one client's latency table and the verdict; return the rows of the measured (non-baseline) pages."""
    base = results[0].median_ms
    print(
        f"\n{client}: {os.cpu_count()} CPUs; load average {load_before:.1f} before and {load_after:.1f} after "
        "(the machine is shared: other processes' load lengthens every figure alike)"
    )
    print(
        f"{'page':32} {'1 client':>9} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} {'errors':>6} "
        f"{'median/static':>13} {'cache hits':>10}"
    )
    for r in results:
        print(
            f"{r.name:32} {alone[r.name]:9.1f} {r.median_ms:10.1f} {r.p(0.95):8.1f} "
            f"{r.top_ms():8.0f} {r.rate():7.0f} {r.errors:6d} "
            f"{r.median_ms / base:12.1f}× {r.hit_share():>10}"
        )
        if r.first_error:
            print(f"    first error: {r.first_error}")
    measured = [r for r in results if not r.name.startswith("baseline")]
    over = [r.name for r in measured if r.p(0.95) > AIM_P95_MS or r.errors]
    print(
        f"{client}: aim p95 < {AIM_P95_MS:.0f} ms and no errors: "
        + ("met" if not over else "NOT met for " + ", ".join(over)),
        flush=True,
    )
    return measured


def _pages(
    port: int, count: int, cookie: dict[str, str], bearer: dict[str, str]
) -> list[tuple[str, Callable[[int], str], dict[str, str]]]:
    """The pages timed at ``count`` declarations: two baselines first, then the pages of the aim."""
    from jixiao.db.declarations.models import Declaration

    pks = list(Declaration.objects.values_list("id", flat=True))
    rng = random.Random(11)
    sample = [rng.choice(pks) for _ in range(REQUESTS)]
    pages_count = max(1, min(400, count // 25))
    return [
        ("baseline: static file", lambda n: "/static/jixiao/app.css", {}),
        ("baseline: /api/targets/check", lambda n: "/api/targets/check?text=%3E%3D90%25", {}),
        ("list page", lambda n: f"/declarations/?page={n % pages_count + 1}", cookie),
        (
            "list page, search",
            lambda n: "/declarations/?q=" + urllib.parse.quote(("网格", "满意度", "热线", "宣传")[n % 4]),
            cookie,
        ),
        ("declaration page", lambda n: f"/declarations/{sample[n % len(sample)]}/", cookie),
        ("dashboard", lambda n: "/", cookie),
        ("API list", lambda n: f"/api/declarations/?limit=50&offset={(n % pages_count) * 25}", bearer),
    ]


# The pages jixiao.web.page_cache and jixiao.web.api.kept keep: timed once more with it off, the baseline of the cache.
CACHED_PAGES = ("list page", "list page, search", "dashboard", "API list")

# The two load generators: the Python threads (the figures of earlier runs) and wrk.
PYTHON_CLIENT = "Python client (20 http.client threads in one process)"
WRK_CLIENT = "wrk (C, 2 threads)"


def _measure(
    port: int, count: int, api_token: str, only: tuple[str, ...] | None = None, title: str = ""
) -> dict[str, list[Result]]:
    """Time every page (or the baseline and those named in ``only``) at the database's current size
    with each client; return its rows by client."""
    # The finance bureau sees the whole district: the largest scope, the heaviest pages.
    session = Session(port, "finance")
    pages = _pages(port, count, {"Cookie": session.cookie_header()}, {"Authorization": f"Bearer {api_token}"})
    if only is not None:
        pages = [page for page in pages if page[0] == "baseline: static file" or page[0] in only]
    # Warm every worker's imports and connections before timing (bounded: 4 rounds).
    for name, paths, headers in pages:
        _load_page(port, name, paths, headers, 4 * WORKERS, CLIENTS)
    # One client alone first: the cost of a request without queueing behind 19 others.
    alone = {name: _load_page(port, name, paths, headers, 40, 1).median_ms for name, paths, headers in pages}
    out: dict[str, list[Result]] = {}
    load_before = os.getloadavg()[0]
    # The search row is extra (not one of the four pages of the aim) and slow: a quarter of the requests.
    results = [
        _load_page(port, name, paths, headers, REQUESTS // 4 if "search" in name else REQUESTS, CLIENTS)
        for name, paths, headers in pages
    ]
    out[PYTHON_CLIENT] = results
    _print_results(PYTHON_CLIENT + title, results, alone, load_before, os.getloadavg()[0])
    if WRK is None:
        print("\nwrk is not installed (`make setup` installs it): the pages timed by the Python client only")
        return out
    load_before = os.getloadavg()[0]
    timed = [_wrk_page(port, name, paths, headers, REQUESTS, CLIENTS) for name, paths, headers in pages]
    out[WRK_CLIENT] = [r for r in timed if r is not None]
    # The "1 client" column is the same in both tables: one request at a time, nothing queued.
    _print_results(
        f"{WRK_CLIENT}, {WRK_SECONDS} s a page, {CLIENTS} connections{title}",
        out[WRK_CLIENT],
        alone,
        load_before,
        os.getloadavg()[0],
    )
    return out


def _print_sizes(runs: list[tuple[int, dict[str, list[Result]]]]) -> None:
    """The sizes side by side: p95 and median per page, each beside the static file of its own size."""
    if len(runs) < 2:
        return
    for client in runs[0][1]:
        print(
            f"\n{client}, the sizes side by side (p95 / median ms; × = median over the static file's median "
            "at that size):"
        )
        names = [r.name for r in runs[0][1][client]]
        print(f"{'page':32} " + " ".join(f"{f'{count:,}':>26}" for count, _ in runs))
        for i, name in enumerate(names):
            cells = []
            for _, by_client in runs:
                results = by_client[client]
                r, base = results[i], results[0].median_ms
                cells.append(f"{r.p(0.95):8.0f} / {r.median_ms:6.0f} ({r.median_ms / base:5.1f}×)")
            print(f"{name:32} " + " ".join(f"{c:>26}" for c in cells))
        search = [by_client[client][names.index("list page, search")] for _, by_client in runs]
        first, last = search[0], search[-1]
        verdict = "met" if last.p(0.95) <= first.p(0.95) else "NOT met"
        print(
            f"{client}: search at {runs[-1][0]:,} no slower than at {runs[0][0]:,} (p95 {last.p(0.95):.0f} "
            f"against {first.p(0.95):.0f} ms): {verdict}",
            flush=True,
        )


def _print_import(port: int, loaded: dict[str, Any], tmp: str) -> None:
    """Import 1,000 forms through the pages and print the steps' times (or the failure)."""
    try:
        imported = _import_through_pages(port)
    except (AssertionError, OSError, http.client.HTTPException, KeyError) as exc:
        # Report the failure and the server's traceback; the profile still runs.
        log = (Path(tmp) / "server.log").read_text(errors="replace").splitlines()
        errors = [ln for ln in log if not ln.startswith("127.0.0.1 - -")][-25:]
        print(f"\nimport {IMPORT_FORMS:,} forms through the pages FAILED: {str(exc)[:300]}")
        print("\n".join("    " + ln for ln in errors))
        return
    print(
        f"\nimport {IMPORT_FORMS:,} forms through the pages ({imported['bytes'] / 1e6:.1f} MB text): "
        f"upload+parse {imported['upload_parse_s']:.1f} s, preview {imported['preview_s']:.1f} s, "
        f"confirm {imported['confirm_s']:.1f} s, the worker's job (save+review) {imported['job_s']:.1f} s, "
        f"total {imported['total_s']:.1f} s "
        f"({IMPORT_FORMS / imported['total_s']:.0f} forms/s); baseline: parse alone "
        f"{loaded['parse_s'] * IMPORT_FORMS / min(DECLARATIONS, SERVICE_LOAD):.2f} s"
    )


def main() -> None:
    """Load the data, serve it, load-test each page at each size, import 1,000 forms, profile the slowest page.

    ``JIXIAO_BENCH_SIZES`` (e.g. ``10000,100000``) times the pages at several sizes in one run: the
    database grows between them by SQL copies, so that every size is measured beside the same
    static-file baseline on the same machine minutes apart.
    """
    sizes = [int(n) for n in os.environ.get("JIXIAO_BENCH_SIZES", str(DECLARATIONS)).split(",")]
    print(
        f"PostgreSQL {DATABASE_URL.rsplit('@', 1)[-1]}: "
        + ("the kept database" if REUSE_DB else f"{', '.join(f'{n:,}' for n in sizes)} declarations")
        + "; "
        f"{CLIENTS} clients × {REQUESTS:,} requests per page; gunicorn {WORKERS} workers × {THREADS} threads",
        flush=True,
    )
    if REUSE_DB:
        # A database kept by an earlier run (JIXIAO_BENCH_KEEP_DB=1): its pages timed at its size as
        # it is, nothing loaded, grown or imported (to compare server settings or a change quickly).
        _setup_django()
        from jixiao.db.declarations.models import Declaration as _Declaration

        sizes = [_Declaration.objects.count()]
        print(f"reusing the kept database: {sizes[0]:,} declarations", flush=True)
        loaded = None
    else:
        _recreate_database()
        _setup_django()
        loaded = _load(sizes[0])
    if loaded is not None:
        print(
            f"loaded {loaded['declarations']:,} declarations, {loaded['indicators']:,} indicators: "
            f"parse {loaded['parse_s']:.1f} s, insert with review {loaded['load_s']:.1f} s "
            f"({(loaded['declarations'] - loaded['copied']) / loaded['load_s']:,.0f}/s); "
            f"{loaded['copied']:,} of them SQL copies ({loaded['copy_s']:.1f} s)",
            flush=True,
        )

    from jixiao.db.accounts.models import ApiToken, User
    from jixiao.db.declarations.models import Declaration

    api_token = ApiToken.issue(User.objects.get(username="finance"), "bench")
    runs: list[tuple[int, dict[str, list[Result]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        server = _start_server(port, Path(tmp) / "server.log")
        try:
            for n, size in enumerate(sizes):
                if n:
                    started = time.perf_counter()
                    copied = _grow_to(size)
                    print(
                        f"\ngrown to {Declaration.objects.count():,} declarations by {copied:,} SQL copies "
                        f"({time.perf_counter() - started:.1f} s)",
                        flush=True,
                    )
                runs.append((size, _measure(port, size, api_token)))
                if n == 0 and loaded is not None:
                    _print_import(port, loaded, tmp)
            _print_sizes(runs)
            # The pages the server keeps (jixiao.web.page_cache), timed again on the same data with
            # the cache off: every request rendered, as the first look at a page is.
            _stop_server(server)
            server = _start_server(port, Path(tmp) / "server-uncached.log", JIXIAO_PAGE_CACHE="off")
            _measure(
                port, sizes[-1], api_token, CACHED_PAGES, f", the page cache OFF, {sizes[-1]:,} declarations"
            )
        finally:
            _stop_server(server)

    first = Declaration.objects.order_by("id").values_list("id", flat=True).first()
    paths_of = {
        "list page": "/declarations/?page=1",
        "list page, search": "/declarations/?q=%E7%BD%91%E6%A0%BC",
        "declaration page": f"/declarations/{first}/",
        "dashboard": "/",
        "API list": "/api/declarations/?limit=50&offset=0",
    }
    # The pages of the aim, by the Python client's figures (the client of every earlier run).
    measured = [r for r in runs[-1][1][PYTHON_CLIENT] if not r.name.startswith("baseline")]
    from django.conf import settings

    # What a rendering costs: the in-process client keeps its CSRF cookie like a browser, so the
    # page cache would answer it.
    settings.PAGE_CACHE = False
    print("\none request per page in-process (no server, no load, the page cache off), as finance:")
    for r in measured:
        print(_cost(paths_of[r.name], "finance", api_token if r.name == "API list" else None))
    # The self-evaluation pages, not under load: what one look costs at this size.
    from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord

    print(
        f"the self-evaluation dashboard and the year's results report "
        f"({SelfEvaluationRecord.objects.count():,} self-evaluations, "
        f"{MonitoringRecord.objects.count():,} monitoring reports):"
    )
    for path in ("/evaluation/", f"/evaluation/results/?year={YEARS[-2]}"):
        print(_cost(path, "finance", None))
    slowest = max(measured, key=lambda r: r.p(0.95))
    print(f"\nprofile of the slowest page ({slowest.name}):")
    print(_profile(paths_of[slowest.name], "finance", api_token if slowest.name == "API list" else None))
    if os.environ.get("JIXIAO_BENCH_KEEP_DB") != "1" and not REUSE_DB:
        from django.db import connections

        connections.close_all()
        _drop_database()


if __name__ == "__main__":
    main()
