"""Browser-test fixtures: the real server in a subprocess, Debian's Chromium through Playwright.

The server is the one a user starts (``jixiao demo``: migrate, load the demo data, serve) on a free
loopback port, against a fresh SQLite database in a temporary directory. Chromium is the Debian
package (``/usr/bin/chromium``, apt package ``chromium`` in the Makefile's APT_PACKAGES); we never
download a browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "test-output" / "browser"
CHROMIUM = os.environ.get("JIXIAO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Bounds, not pauses: how long the server may take to migrate, load the demo and listen.
START_TIMEOUT_S = 60.0


def free_port() -> int:
    """Return a loopback TCP port that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running ``jixiao demo`` process and where to reach it."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    problems: list[str] = field(default_factory=list)

    def log_tail(self, lines: int = 60) -> str:
        """Return the end of the server's output (for failure messages)."""
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``url`` until it answers, the process dies, or START_TIMEOUT_S passes."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server exited with {process.returncode}:\n"
                + log.read_text(encoding="utf-8", errors="replace")[-4000:]
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # a readiness poll under a deadline, not a synchronisation sleep
    raise RuntimeError(
        f"the server did not answer {url} within {START_TIMEOUT_S:.0f} s:\n"
        + log.read_text(encoding="utf-8", errors="replace")[-4000:]
    )


@pytest.fixture(scope="module")
def jixiao_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Start ``jixiao demo`` on a free loopback port over a fresh SQLite database."""
    work = tmp_path_factory.mktemp("jixiao-server")
    port = free_port()
    env = dict(os.environ)
    env.update(
        {
            "JIXIAO_DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "JIXIAO_STATIC_ROOT": str(work / "static"),
            "PYTHONUNBUFFERED": "1",
            # The peer figures (指标对标, the peer rules) follow every change at once, not once a minute.
            "JIXIAO_PEER_REFRESH_SECONDS": "0",
        }
    )
    log = work / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jixiao", "demo", "--host", "127.0.0.1", "--port", str(port)],
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    server = LiveServer(url=url, process=process, log=log)
    try:
        _wait_until_serving(url + "/login/", process, log)
        yield server
    finally:
        # The server runs in its own session: end its process group (gunicorn workers too).
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait(timeout=10)


@pytest.fixture()
def chromium() -> Iterator[object]:
    """Launch Debian's Chromium headless through Playwright (never a downloaded browser).

    Function-scoped on purpose: Playwright's sync API runs an asyncio loop in this thread while it
    is open, and Django refuses database calls from a thread with a running loop, so the loop must
    be closed before the database tests that run after this one in the same session.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def shots() -> Path:
    """The screenshot folder ``test-output/browser/`` (emptied at the start of the test)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    return SHOTS
