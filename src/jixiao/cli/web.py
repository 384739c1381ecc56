"""``jixiao serve``, ``jixiao demo`` and ``jixiao worker``: the web application and its job worker.

``serve`` migrates and serves the database named by ``JIXIAO_DATABASE_URL`` (default: SQLite under
``var/``); ``demo`` also loads the demo data when the database is empty, prints the accounts and
runs a job worker beside the server; ``worker`` works the job queue (large imports) of that database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import click

__all__ = ["commands", "demo_command", "serve_command", "worker_command"]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _serve(host: str, port: int, workers: int, threads: int = 4) -> None:
    """Serve the WSGI application with gunicorn (a real server, threads for concurrent users)."""
    from django.core.wsgi import get_wsgi_application
    from gunicorn.app.base import BaseApplication

    # The settings module is named by DJANGO_SETTINGS_MODULE (set in _setup), as in jixiao.web.wsgi.
    application = get_wsgi_application()

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": "-",
                "timeout": 60,
            }.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    _Server().run()


_host = click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address to bind")
_port = click.option("--port", default=8000, show_default=True, type=int, help="端口 / port")
_workers = click.option("--workers", default=2, show_default=True, type=int, help="gunicorn 进程数 / workers")
_threads = click.option(
    "--threads", default=4, show_default=True, type=int, help="每个进程的线程数 / threads per worker"
)


@click.command("serve")
@_host
@_port
@_workers
@_threads
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    """迁移数据库并启动网页应用 / migrate the database and serve the web application."""
    _setup()
    from django.core.exceptions import ImproperlyConfigured

    from jixiao.services.startup import require_secret_key

    try:
        require_secret_key()
    except ImproperlyConfigured as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(2) from None
    _migrate()
    click.echo(f"jixiao: http://{host}:{port}/")
    _serve(host, port, workers, threads)


@click.command("demo")
@_host
@_port
@_workers
def demo_command(host: str, port: int, workers: int) -> None:
    """迁移、加载演示数据（数据库为空时）并启动 / migrate, load the demo data if empty, serve."""
    # The demo runs on the loopback over plain HTTP with the development key (settings.DEMO).
    os.environ["JIXIAO_DEMO"] = "1"
    _setup()
    _migrate()
    from jixiao.services.demo import DEMO_PASSWORD, DEMO_USERS, load_demo, load_evaluation_demo, not_demo_data

    foreign = not_demo_data()
    if foreign is not None:
        # Never mix made-up records (and accounts with a published password) into real data.
        click.echo(
            f"[JX-E791] 数据库中已有非演示数据（{foreign}），演示不会写入任何数据；请用 jixiao serve 启动。"
            f" / the database holds data that is not the demo's ({foreign}); the demo writes nothing: "
            "use jixiao serve.",
            err=True,
        )
        raise SystemExit(2)
    users = load_demo()
    load_evaluation_demo(users["admin"])  # self-evaluations and monitoring (idempotent)
    click.echo("")
    click.echo(
        f"jixiao 演示 / demo: http://{host}:{port}/   (公开页面 / public: http://{host}:{port}/public/)"
    )
    click.echo("演示账户 / demo accounts (用户名 / username, 密码 / password):")
    for username, display, role, org in DEMO_USERS:
        click.echo(f"  {username:14} {DEMO_PASSWORD}   {display} · {role} · {org}")
    click.echo("")
    # Large imports run as jobs: a worker beside the server works them, and stops with it.
    worker = subprocess.Popen([sys.executable, "-m", "jixiao", "worker"], env=dict(os.environ))
    try:
        _serve(host, port, workers)
    finally:
        _stop(worker)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a child process: SIGTERM (the worker finishes its current task), then SIGKILL."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@click.command("worker")
@click.option(
    "--interval", default=1.0, show_default=True, type=float, help="空闲时轮询间隔（秒） / poll interval"
)
@click.option("--batch", is_flag=True, help="处理完排队的任务后退出 / work the queued jobs, then exit")
def worker_command(interval: float, batch: bool) -> None:
    """处理后台任务（大批量导入等）/ work the job queue (large imports) of the database.

    Several workers, on one machine or several sharing one PostgreSQL, each take the next job.
    """
    _setup()
    _migrate()
    from django.core.management import call_command

    call_command("db_worker", interval=interval, batch=batch, reload=False, verbosity=1)


commands = [serve_command, demo_command, worker_command]
