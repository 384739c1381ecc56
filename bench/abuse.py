"""Load and abuse: replay the attacks of a security review against a running jixiao server.

For each attack (the numbered findings of the review: the quadratic Excel export, a merged-range
bomb, expensive anonymous requests, the admin sign-in bypass, locking a colleague out, concurrent
import confirmations) it prints what the server answered and how long another, signed-in user's
list page took meanwhile: the p95 under the attack beside the p95 without it, measured in the same
run. It also measures the Excel writer in-process at 1,000, 4,000 and 20,000 indicators, beside
openpyxl's own ``merge_cells`` (the old path) at the sizes where that finishes in reasonable time.

    python -m bench.abuse                       # start a demo server on a free loopback port
    python -m bench.abuse --url http://127.0.0.1:8000 --password PW   # target a running demo

Bounded: every attack stops after ``--seconds`` (default 12) or its request count, whichever comes
first; the whole run takes about two minutes. Loopback only: any other host is refused. A server
started here trusts one proxy hop (JIXIAO_TRUSTED_PROXIES=1), so that the script can speak as
several client addresses through X-Forwarded-For; against a server that does not, every request
comes from one address and the lockout scenario says so.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
ABUSER, OTHER = "10.66.0.1", "10.77.0.2"
DEMO_PASSWORD = "jixiao-demo-2022"  # services.demo.DEMO_PASSWORD (importing it needs Django set up)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A `jixiao demo` server on a fresh SQLite database in a temporary directory."""

    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="jixiao-abuse-")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "JIXIAO_DATABASE_URL": f"sqlite:///{Path(self.dir.name) / 'abuse.sqlite3'}",
            "JIXIAO_STATIC_ROOT": str(Path(self.dir.name) / "static"),
            "JIXIAO_TRUSTED_PROXIES": "1",
        }
        self.log = open(Path(self.dir.name) / "server.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jixiao", "demo", "--port", str(self.port), "--workers", "2"],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=self.dir.name,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/login/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.5)
        self.stop()
        raise SystemExit(
            "the demo server did not start: " + (Path(self.dir.name) / "server.log").read_text()[-2000:]
        )

    def stop(self) -> None:
        """End the server (only the process started here) and remove its files."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        self.dir.cleanup()


def session(base: str, username: str, password: str, address: str = OTHER) -> requests.Session:
    """Return a signed-in browser-like session (CSRF token and session cookie)."""
    s = requests.Session()
    s.headers["X-Forwarded-For"] = address
    page = s.get(base + "/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the sign-in page"
    answer = s.post(
        base + "/login/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": base + "/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if answer.status_code != 302:
        raise SystemExit(f"cannot sign in as {username}: {answer.status_code}")
    s.headers["X-CSRFToken"] = s.cookies.get("csrftoken", "")
    s.headers["Referer"] = base + "/"
    return s


def p95(values: list[float]) -> float:
    """Return the 95th percentile in milliseconds."""
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=20)[-1] * 1000


def list_page_times(
    base: str, other: requests.Session, stop: threading.Event, limit: int = 400
) -> list[float]:
    """Time the other user's list page until ``stop`` is set (at most ``limit`` requests)."""
    times: list[float] = []
    while not stop.is_set() and len(times) < limit:
        started = time.perf_counter()
        status = other.get(base + "/declarations/", timeout=120).status_code
        times.append(time.perf_counter() - started)
        if status != 200:
            times[-1] = float("inf")
    return times


def under(
    base: str, other: requests.Session, attack: Callable[[threading.Event], Any], seconds: float
) -> tuple[Any, list[float]]:
    """Run ``attack`` (bounded by its own count and by ``seconds``) while timing the list page."""
    stop = threading.Event()
    measured: list[float] = []
    meter = threading.Thread(target=lambda: measured.extend(list_page_times(base, other, stop)))
    meter.start()
    timer = threading.Timer(seconds, stop.set)
    timer.start()
    try:
        result = attack(stop)
    finally:
        stop.set()
        timer.cancel()
        meter.join()
    return result, measured


def flood(stop: threading.Event, threads: int, count: int, call: Callable[[], int]) -> Counter[int]:
    """Call ``call`` from ``threads`` threads until ``count`` calls or ``stop``; count the statuses."""
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    done = [0]

    def worker() -> None:
        while not stop.is_set():
            with lock:
                if done[0] >= count:
                    return
                done[0] += 1
            try:
                status = call()
            except requests.RequestException as exc:
                status = -1
                print(f"    ! {type(exc).__name__}", flush=True)
            with lock:
                statuses[status] += 1

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return statuses


def declaration(n: int, name: str) -> dict[str, Any]:
    """Return a canonical JSON declaration with ``n`` indicators."""
    return {
        "kind": "declaration",
        "year": 2024,
        "project": {"name": name},
        "goals": {"overall": "目标", "annual": "目标"},
        "indicators": [
            {"level1": "产出指标", "level2": "数量指标", "name": f"指标{i}", "target": {"text": ">=1件"}}
            for i in range(n)
        ],
    }


def merge_bomb() -> bytes:
    """Return a small xlsx whose first sheet declares twenty merged ranges of two million cells."""
    from jixiao.formats.xlsx import template_xlsx

    source = zipfile.ZipFile(io.BytesIO(template_xlsx("declaration")))
    from openpyxl.utils import get_column_letter

    refs = "".join(
        f'<mergeCell ref="{get_column_letter(40 + n)}1:{get_column_letter(41 + n)}1000000"/>'
        for n in range(0, 40, 2)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb"(<mergeCells[^>]*>)", lambda m: m.group(1) + refs.encode(), data, count=1)
            target.writestr(info, data)
    return out.getvalue()


def report(title: str, answer: str, baseline: list[float], measured: list[float]) -> None:
    """Print one attack's line: what the server said, the list page's p95 under it and without."""
    print(f"  {title}")
    print(f"    server: {answer}")
    print(
        f"    other user's list page p95: {p95(measured):.0f} ms under the attack ({len(measured)} requests) "
        f"vs {p95(baseline):.0f} ms without"
    )


def writer_costs() -> None:
    """Measure the Excel writer at 1k/4k/20k indicators, and openpyxl's merge_cells where it finishes."""
    from jixiao.domain.model import Declaration, Goals, Indicator, Project
    from jixiao.domain.targets import try_parse_target
    from jixiao.formats.render.sheet import Merger
    from jixiao.formats.xlsx import write_xlsx

    def doc(n: int) -> Declaration:
        rows = [Indicator("产出指标", "数量指标", f"指标{i}", try_parse_target(">=1件")) for i in range(n)]
        return Declaration(2024, Project("项目"), goals=Goals("目标", "目标"), indicators=rows)

    def timed(n: int) -> float:
        started = time.perf_counter()
        write_xlsx([doc(n)])
        return time.perf_counter() - started

    print("1. Excel export, in-process (the writer itself; the server refuses over 500 indicators)")
    new = {n: timed(n) for n in (1000, 4000, 20000)}
    original = Merger.merge

    def slow(self: Merger, r0: int, c0: int, r1: int, c1: int) -> None:
        self.ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)

    Merger.merge = slow  # type: ignore[method-assign]
    try:
        old = {n: timed(n) for n in (1000, 4000)}
    finally:
        Merger.merge = original  # type: ignore[method-assign]
    for n, seconds in new.items():
        before = (
            f"{old[n]:.2f} s with openpyxl's merge_cells"
            if n in old
            else "not run with merge_cells (minutes)"
        )
        print(f"    {n:>6} indicators: {seconds:.2f} s   ({before})")
    print(f"    20k/1k ratio {new[20000] / new[1000]:.1f} (linear would be 20)")


def main(argv: list[str] | None = None) -> int:
    """Run every attack once and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running demo server on the loopback (default: start one)")
    parser.add_argument("--password", default=None, help="the demo accounts' password")
    parser.add_argument("--seconds", type=float, default=12.0, help="at most this long per attack")
    args = parser.parse_args(argv)
    password = args.password or DEMO_PASSWORD
    # A SIGTERM ends the run through the finally below, so the server started here ends with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    writer_costs()
    server = None
    if args.url:
        host = urlparse(args.url).hostname or ""
        if host not in LOOPBACK:
            print(f"refused: {host} is not the loopback; this script attacks only a local server")
            return 2
        base = args.url.rstrip("/")
    else:
        print("starting a demo server …", flush=True)
        server = Server()
        base = server.url
    try:
        run(base, password, args.seconds)
    finally:
        if server is not None:
            server.stop()
    return 0


def run(base: str, password: str, seconds: float) -> None:
    """The attacks, each beside the baseline of the same run."""
    other = session(base, "finance", password, OTHER)
    other.get(base + "/declarations/", timeout=30)
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    baseline = list_page_times(base, other, stop, limit=200)
    print(
        f"\nbaseline: the finance user's list page p95 {p95(baseline):.0f} ms ({len(baseline)} requests, no attack)"
    )

    filler = session(base, "filler", password, ABUSER)

    # 1. A declaration over the indicator limit, then exports of the largest allowed one.
    too_big = filler.post(
        base + "/api/declarations/", json={"document": declaration(20000, "两万指标")}, timeout=120
    )
    largest = filler.post(
        base + "/api/declarations/", json={"document": declaration(500, "五百指标")}, timeout=120
    )
    pk = largest.json().get("id") if largest.status_code == 201 else None
    times: list[float] = []

    def export(stop: threading.Event) -> Counter[int]:
        def one() -> int:
            started = time.perf_counter()
            status = filler.get(f"{base}/declarations/{pk}/export.xlsx", timeout=300).status_code
            times.append(time.perf_counter() - started)
            return status

        return flood(stop, 8, 40, one)

    statuses, measured = under(base, other, export, seconds)
    report(
        "1. eight parallel Excel exports of a 500-indicator declaration",
        f"20,000 indicators → {too_big.status_code} {too_big.json().get('code')}; 500 → {largest.status_code}; "
        f"exports {dict(statuses)}, p95 {p95(times):.0f} ms each",
        baseline,
        measured,
    )

    # 2. The merged-range bomb, uploaded by the filler.
    bomb = merge_bomb()

    def upload(stop: threading.Event) -> list[str]:
        answers: list[str] = []
        for _ in range(4):
            if stop.is_set():
                break
            started = time.perf_counter()
            r = filler.post(base + "/declarations/import/", files={"file": ("bomb.xlsx", bomb)}, timeout=300)
            code = re.search(r"JX-E\d+", r.text)
            answers.append(
                f"{r.status_code} {code.group(0) if code else ''} in {time.perf_counter() - started:.2f} s"
            )
        return answers

    answers, measured = under(base, other, upload, seconds)
    report(
        f"2. a {len(bomb) // 1024} KB xlsx with 20 merged ranges of 2,000,000 cells",
        "; ".join(answers),
        baseline,
        measured,
    )

    # 3. Anonymous: a large monitoring body, a flood of monitoring requests, the public list.
    anonymous = requests.Session()
    anonymous.headers["X-Forwarded-For"] = ABUSER
    monitor = {
        "kind": "monitoring",
        "year": 2024,
        "project": {"name": "项目"},
        "cutoff_month": 7,
        "indicators": [],
    }
    big = json.dumps([monitor] * 45_000)
    large = anonymous.post(
        base + "/api/evaluation/monitor", data=big, headers={"Content-Type": "application/json"}, timeout=120
    )
    small = json.dumps([monitor] * 50)

    def anonymous_flood(stop: threading.Event) -> Counter[int]:
        return flood(
            stop,
            12,
            400,
            lambda: (
                anonymous.post(
                    base + "/api/evaluation/monitor",
                    data=small,
                    headers={"Content-Type": "application/json"},
                    timeout=60,
                ).status_code
            ),
        )

    statuses, measured = under(base, other, anonymous_flood, seconds)
    page = requests.get(
        base + "/api/public/declarations", headers={"X-Forwarded-For": "10.88.0.3"}, timeout=60
    )
    body = page.json() if page.status_code == 200 else {}
    report(
        "3. anonymous: a 4.8 MB monitoring body, then 12 threads of monitoring requests",
        f"{len(big) / 1e6:.1f} MB body → {large.status_code} {large.json().get('code')}; flood {dict(statuses)}; "
        f"/api/public/declarations → {page.status_code}, {len(page.content) // 1024} KB, "
        f"{len(body.get('items', []))} of {body.get('count')} per page",
        baseline,
        measured,
    )

    # 4. Lock `admin` on /login/, then try the right password on /admin/login/ (same address).
    def admin_bypass(stop: threading.Event) -> str:
        s = requests.Session()
        s.headers["X-Forwarded-For"] = "10.99.0.4"
        s.get(base + "/login/", timeout=30)
        token = s.cookies.get("csrftoken", "")
        wrong = [
            s.post(
                base + "/login/",
                {"username": "admin", "password": "wrong", "csrfmiddlewaretoken": token},
                headers={"Referer": base + "/login/"},
                allow_redirects=False,
                timeout=30,
            ).status_code
            for _ in range(6)
        ]
        s.get(base + "/admin/login/", timeout=30)
        token = s.cookies.get("csrftoken", "")
        right = s.post(
            base + "/admin/login/",
            {"username": "admin", "password": password, "csrfmiddlewaretoken": token, "next": "/admin/"},
            headers={"Referer": base + "/admin/login/"},
            allow_redirects=False,
            timeout=30,
        )
        return f"/login/ wrong passwords {wrong}; right password on /admin/login/ → {right.status_code}"

    answer, measured = under(base, other, admin_bypass, seconds)
    report("4. the admin sign-in after a lockout on /login/", answer, baseline, measured)

    # 5. Lock `finance` out with five wrong passwords on the token endpoint, from another address.
    def lock_colleague(stop: threading.Event) -> str:
        wrong = [
            requests.post(
                base + "/api/auth/token",
                json={"username": "finance", "password": "guess"},
                headers={"X-Forwarded-For": "10.55.0.5"},
                timeout=30,
            ).status_code
            for _ in range(6)
        ]
        own = requests.post(
            base + "/api/auth/token",
            json={"username": "finance", "password": password},
            headers={"X-Forwarded-For": OTHER},
            timeout=30,
        )
        return f"attacker's tries {wrong}; finance from their own address → {own.status_code}"

    answer, measured = under(base, other, lock_colleague, seconds)
    report("5. locking a colleague out through /api/auth/token", answer, baseline, measured)

    # 8. Five concurrent confirmations of one import of the seven seed forms.
    from importlib import resources

    seed = resources.files("jixiao.data").joinpath("demo/seed-2022-qingpu.txt").read_bytes()
    before = filler.get(base + "/api/declarations/", params={"limit": 1}, timeout=30).json()["count"]
    uploaded = filler.post(
        base + "/declarations/import/", files={"file": ("seed.txt", seed)}, allow_redirects=False, timeout=120
    )
    preview = base + uploaded.headers.get("Location", "")

    def confirm(stop: threading.Event) -> Counter[int]:
        barrier = threading.Barrier(5)

        def one() -> int:
            barrier.wait(timeout=30)
            return filler.post(preview, allow_redirects=False, timeout=300).status_code

        return flood(stop, 5, 5, one)

    statuses, measured = under(base, other, confirm, seconds)
    after = filler.get(base + "/api/declarations/", params={"limit": 1}, timeout=30).json()["count"]
    report(
        "8. five concurrent confirmations of one 7-form import",
        f"upload → {uploaded.status_code}; confirmations {dict(statuses)}; declarations created: {after - before}",
        baseline,
        measured,
    )


if __name__ == "__main__":
    sys.exit(main())
