"""``jixiao jobs`` and ``jixiao job ID``: the job queue of the database as the server's operator sees it.

``jobs`` lists the recent jobs; ``job ID --follow`` shows one job's progress bar (rich) until it has
finished, then its result or its error (exit code 1 when it failed); ``job ID --retry`` queues a
failed or cut-off job again (it resumes after its last committed chunk). They read the same rows the
web pages show, so a job started in the browser can be followed from a terminal on the server.
"""

from __future__ import annotations

import time
from typing import Any

import click

__all__ = ["commands", "job_command", "jobs_command"]


def _setup() -> None:
    from jixiao.cli.web import _migrate
    from jixiao.cli.web import _setup as setup

    setup()
    _migrate()


@click.command("jobs")
@click.option("--limit", default=20, show_default=True, type=int, help="显示条数 / how many")
def jobs_command(limit: int) -> None:
    """列出最近的后台任务 / list the recent jobs of the database."""
    _setup()
    from rich.console import Console
    from rich.table import Table

    from jixiao.db.jobs.models import Job

    table = Table("#", "类型 / kind", "用户 / user", "状态 / state", "进度 / done", "标题 / title")
    for job in Job.objects.select_related("user").order_by("-id")[: max(1, limit)]:
        table.add_row(
            str(job.pk), job.kind, job.user.username, job.state, f"{job.done}/{job.total}", job.title
        )
    Console().print(table)


@click.command("job")
@click.argument("job_id", type=int)
@click.option("--follow", is_flag=True, help="显示进度条直到完成 / show a progress bar until it has finished")
@click.option(
    "--retry",
    is_flag=True,
    help="重新排队失败或中断的任务，从最后提交处继续 / queue a failed or cut-off job again, resuming it",
)
@click.option(
    "--interval", default=1.0, show_default=True, type=float, help="刷新间隔（秒） / refresh interval"
)
def job_command(job_id: int, follow: bool, retry: bool, interval: float) -> None:
    """显示一个后台任务的进度、结果或错误 / show a job's progress, result or error."""
    _setup()
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jixiao.db.jobs.models import Job, JobState
    from jixiao.services.jobs import job_status, retry_job

    console = Console()
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise click.ClickException(f"没有后台任务 {job_id} / no job {job_id}")
    if retry and job.state != JobState.DONE:
        # A job whose worker was killed looks running; the row lock keeps a live worker safe.
        retry_job(job)
        job.refresh_from_db()
    finished = (JobState.DONE, JobState.FAILED)
    if follow and job.state not in finished:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(f"{job.kind} #{job.pk}", total=job.total or None, completed=job.done)
            while job.state not in finished:
                time.sleep(max(0.1, interval))
                job.refresh_from_db()
                bar.update(
                    task,
                    completed=job.done,
                    total=job.total or None,
                    description=f"{job.kind} #{job.pk} {job.state}",
                )
    status: dict[str, Any] = job_status(job)
    console.print(
        f"{job.kind} #{job.pk}: {status['state']} {status['done']}/{status['total']} ({status['percent']}%)"
    )
    if status.get("result") is not None:
        console.print(status["result"])
    if job.state == JobState.FAILED:
        raise click.ClickException(job.error or "failed")


commands = [jobs_command, job_command]
