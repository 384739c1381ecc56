"""``jixiao corpus`` and ``jixiao corpus-report``: analytics over a tree of published forms.

Thin adapters over :mod:`jixiao.corpus`: the reading runs on Dask (a local cluster by default), the
report queries the Parquet dataset with DuckDB. No database is involved.
"""

from __future__ import annotations

import io
import json
import sys
from decimal import Decimal
from typing import Any

import click

from jixiao.cli.common import current_lang, format_option, handle_errors, lang_option
from jixiao.domain.i18n import N_, tr

__all__ = ["commands", "corpus_command", "corpus_report_command"]


@click.command("corpus")
@click.argument("folders", nargs=-1, required=True)
@click.option(
    "-o",
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False),
    help="Parquet 数据集目录 / dataset folder",
)
@click.option(
    "--scheduler", default=None, help="已有 Dask 集群的调度器地址（tcp://host:8786）/ an existing cluster"
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=2,
    show_default=True,
    help="本机工作进程数（0：在本进程读取）",
)
@click.option("--profile", default="shanghai-2022", show_default=True, help="审核口径 / review profile")
@click.option(
    "--batch", type=click.IntRange(min=1), default=None, help="每个任务的文件数（默认自动）/ files per task"
)
@click.option("--progress/--no-progress", default=True, help="显示进度条 / show a progress bar")
@click.option(
    "--job",
    is_flag=True,
    help="作为后台任务排队，由 jixiao worker 执行（可中断续跑）/ queue as a job for jixiao worker (resumable)",
)
@click.option("--user", default=None, help="后台任务的所有者（默认：第一个管理员）/ the job's owner")
@lang_option
@handle_errors
def corpus_command(
    folders: tuple[str, ...],
    out: str,
    scheduler: str | None,
    workers: int,
    profile: str,
    batch: int | None,
    progress: bool,
    job: bool,
    user: str | None,
    lang: str | None,
) -> None:
    """读取目录树中的全部表格（任何可读格式），在 Dask 上逐个文件读取与审核，写出 Parquet 数据集。

    --job：不在本进程读取，而是在应用数据库中排队一个后台任务（jixiao worker 逐批读取，
    每批写出自己的 Parquet 分片；中断后续跑不会重复），用 jixiao job ID --follow 查看进度。
    """
    from jixiao.corpus import find_files, run_corpus

    lang = current_lang()
    if job:
        _queue_corpus_job(list(folders), out, profile, user, lang)
        return
    paths = find_files(folders)
    bar_label = tr("读取", lang)
    # On a terminal the bar redraws in place; piped, click prints it once at the end.
    bar_file = sys.stderr if progress else io.StringIO()
    with click.progressbar(length=len(paths), label=bar_label, file=bar_file) as bar:
        done = 0

        def advance(now: int, total: int) -> None:
            nonlocal done
            bar.update(now - done)
            done = now

        summary = run_corpus(
            folders,
            out,
            profile=profile,
            scheduler=scheduler,
            workers=workers,
            batch=batch,
            progress=advance,
            paths=paths,
        )
    failed = sum(summary.failures.values())
    click.echo(
        tr(
            "共 {files} 个文件，{documents} 张表，{indicators} 个指标，{findings} 条审核意见，"
            "{failed} 个文件读取失败（{seconds} 秒）→ {out}",
            lang,
            files=summary.files,
            documents=summary.documents,
            indicators=summary.indicators,
            findings=summary.findings,
            failed=failed,
            seconds=f"{summary.seconds:.1f}",
            out=out,
        )
    )
    for code, count in sorted(summary.failures.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {code}  {count}")


def _queue_corpus_job(folders: list[str], out: str, profile: str, user: str | None, lang: str) -> None:
    from jixiao.cli.jobs import _setup

    _setup()
    from jixiao.services.file_jobs import claim_corpus_job, job_owner

    queued = claim_corpus_job(job_owner(user), folders, out, profile)
    click.echo(
        tr(
            "已排队后台任务 #{id}：{files} 个文件 → {out}；由 jixiao worker 执行，"
            "jixiao job {id} --follow 查看进度",
            lang,
            id=queued.pk,
            files=queued.total,
            out=queued.title,
        )
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def _table(title: str, rows: list[dict[str, Any]], top: int, lang: str) -> str:
    lines = [tr("== {title}（{count}）==", lang, title=title, count=len(rows))]
    if rows:
        names = list(rows[0])
        lines.append("\t".join(names))
        for row in rows[:top]:
            lines.append("\t".join("" if row[n] is None else str(_plain(row[n])) for n in names))
        if len(rows) > top:
            lines.append(f"… {len(rows) - top}")
    return "\n".join(lines)


@click.command("corpus-report")
@click.argument("out", type=click.Path(file_okay=False))
@click.option(
    "--by",
    type=click.Choice(["region", "level", "year", "unit"]),
    multiple=True,
    help="对标分组维度（可多次）",
)
@click.option(
    "--min-units", type=click.IntRange(min=1), default=3, show_default=True, help="套话：至少多少个单位"
)
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True, help="每节最多显示行数")
@format_option("text", "json")
@lang_option
@handle_errors
def corpus_report_command(
    out: str, by: tuple[str, ...], min_units: int, top: int, fmt: str, lang: str | None
) -> None:
    """在 Parquet 语料数据集上（DuckDB）输出：指标对标、同比（目标低于上年实际、三年不变）、跨单位套话。"""
    from jixiao.corpus import report

    lang = current_lang()
    sections: dict[str, list[dict[str, Any]]] = {"benchmarks": report.benchmarks(out)}
    for dim in by or ("region", "level", "year"):
        sections[f"benchmarks_by_{dim}"] = report.benchmarks(out, by=dim)
    sections["low_balled"] = report.low_balled(out)
    sections["unchanged_3_years"] = report.unchanged(out)
    sections["boilerplate_goals"] = report.boilerplate(out, min_units=min_units)
    sections["boilerplate_indicator_sets"] = report.indicator_sets(out, min_units=min_units)
    sections["failures"] = report.failures(out)
    if fmt == "json":
        data = {k: [{n: _plain(v) for n, v in row.items()} for row in rows] for k, rows in sections.items()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        return
    titles = {
        "benchmarks": N_("指标对标：目标值分布"),
        "benchmarks_by_region": N_("对标（按地区）"),
        "benchmarks_by_level": N_("对标（按层级）"),
        "benchmarks_by_year": N_("对标（按年度）"),
        "benchmarks_by_unit": N_("对标（按单位）"),
        "low_balled": N_("目标低于本单位上年实际"),
        "unchanged_3_years": N_("目标连续三年不变"),
        "boilerplate_goals": N_("跨单位相同的目标表述"),
        "boilerplate_indicator_sets": N_("跨单位相同的指标组合"),
        "failures": N_("读取失败（按错误代码）"),
    }
    click.echo("\n\n".join(_table(tr(titles[k], lang), rows, top, lang) for k, rows in sections.items()))


commands = [corpus_command, corpus_report_command]
