"""``jixiao score`` (self-evaluations), ``jixiao monitor`` (in-year monitoring reports) and
``jixiao results-report`` (评价结果应用 of a year, from the database)."""

from __future__ import annotations

import json

import click

from jixiao.cli.common import (
    current_lang,
    format_option,
    handle_errors,
    lang_option,
    read_input,
    read_inputs,
    region_option,
    write_output,
)
from jixiao.domain.errors import InputError, ScoringError
from jixiao.domain.i18n import month_span, tr
from jixiao.domain.model import SelfEvaluation
from jixiao.evaluation.config import get_rules

__all__ = ["commands", "monitor_command", "results_report_command", "score_command"]


@click.command("score")
@click.argument("files", nargs=-1, required=True)
@format_option("text", "json", "html", help="text / json, or html: the 自评表 in the official layout")
@region_option
@click.option(
    "--option",
    "options",
    multiple=True,
    metavar="KEY=CHOICE",
    help="地区选项，如 reverse_formula=ratio（见 jixiao rules）/ a regional option, e.g. reverse_formula=ratio",
)
@lang_option
@handle_errors
def score_command(
    files: tuple[str, ...], fmt: str, region: str, options: tuple[str, ...], lang: str | None
) -> None:
    """重新计算自评表得分，并列出表上与规则不符的数字及每个公式的依据。"""
    from jixiao.evaluation.config import with_options
    from jixiao.evaluation.report import format_text, score_report

    chosen: dict[str, str] = {}
    for item in options:
        key, sep, value = item.partition("=")
        if not sep:
            raise ScoringError(
                f"选项「{item}」应写成 KEY=CHOICE", f"option '{item}' must read KEY=CHOICE", code="JX-E621"
            )
        chosen[key.strip()] = value.strip()
    rules = with_options(region, chosen)
    lang_now = current_lang()
    docs = read_inputs(files)
    evaluations = [d for d in docs if isinstance(d, SelfEvaluation)]
    if not evaluations:
        raise InputError(
            "输入中没有自评表（kind 为 self_evaluation 的文档）",
            "no self-evaluation (a document of kind self_evaluation) in the input",
            code="JX-E105",
        )
    reports = [score_report(doc, rules, lang_now) for doc in evaluations]
    if fmt == "html":
        from jixiao.evaluation.render_html import render_self_evaluation_html

        click.echo(render_self_evaluation_html(evaluations, rules, lang_now), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        click.echo(
            "\n\n".join(
                format_text(doc, rep, lang_now, rules) for doc, rep in zip(evaluations, reports, strict=True)
            )
        )


@click.command("monitor")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--month",
    type=click.IntRange(1, 12),
    default=None,
    help="监控截止月份（默认取报告中的月份，通常为 7）/ cut-off month",
)
@format_option(
    "text",
    "json",
    "html",
    "xlsx",
    "pdf",
    help="text / json, or html / xlsx / pdf: the 监控表 in the official layout",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="输出文件（xlsx、pdf 必填）/ output file (required for xlsx and pdf)",
)
@region_option
@lang_option
@handle_errors
def monitor_command(
    files: tuple[str, ...], month: int | None, fmt: str, output: str | None, region: str, lang: str | None
) -> None:
    """检查运行监控表：预算执行进度与指标完成可能性，输出红黄绿灯和预警。"""
    from jixiao.domain.vocabulary import light_label
    from jixiao.evaluation.monitoring import monitor
    from jixiao.formats import decode_text
    from jixiao.formats.json_monitoring import loads

    if fmt in ("xlsx", "pdf") and not output:  # binary output never goes to a terminal
        raise InputError(
            f"--format {fmt} 需要用 -o 指定输出文件",
            f"--format {fmt} needs an output file: -o FILE",
            code="JX-E107",
        )
    lang_now = current_lang()
    out = []
    lines: list[str] = []
    all_reports = []
    all_results = []
    for name in files:
        for report in loads(decode_text(read_input(name), name), file=name):
            all_reports.append(report)
            result = monitor(report, region, month).raise_first()
            all_results.append(result)
            out.append({"project": report.project.name, **result.to_dict(lang_now)})
            lines.append(
                tr(
                    "{project}（{months}）{light}",
                    lang_now,
                    project=report.project.name,
                    months=month_span(1, result.cutoff_month, lang_now),
                    light=light_label(result.light or "-", lang_now),
                )
            )
            lines.extend(f"  ! {w.message(lang_now)}" for w in result.warnings)
    if fmt in ("xlsx", "pdf"):
        from jixiao.formats.render.monitoring import monitoring_pdf, monitoring_xlsx

        render = monitoring_xlsx if fmt == "xlsx" else monitoring_pdf
        data_out = render(all_reports, all_results, get_rules(region))
        write_output(output or "", data_out)
        click.echo(output)
    elif fmt == "html":
        from jixiao.evaluation.render_html import render_monitoring_html

        click.echo(render_monitoring_html(all_reports, region, month, lang_now), nl=False)
    elif fmt == "json":
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(lines))


@click.command("results-report")
@click.option("--year", "year_text", required=True, help="年度 / the budget year (e.g. 2022)")
@format_option(
    "text", "json", "xlsx", "pdf", help="text / json, or xlsx / pdf for the budget meeting (needs -o)"
)
@click.option("-o", "--output", default=None, help="输出文件 / output file (xlsx, pdf)")
@lang_option
@handle_errors
def results_report_command(year_text: str, fmt: str, output: str | None, lang: str | None) -> None:
    """评价结果应用：按主管部门、单位列出年度自评等级、得分、执行率、未完成指标和预算建议（读取数据库）。"""
    import os

    if fmt in ("xlsx", "pdf") and not output:
        raise InputError(
            f"--format {fmt} 需要用 -o 指定输出文件",
            f"--format {fmt} needs an output file: -o FILE",
            code="JX-E107",
        )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jixiao.evaluation.results import format_report_text
    from jixiao.services import results as results_svc

    year = results_svc.parse_year(year_text)
    call_command("migrate", interactive=False, verbosity=0)
    lang_now = current_lang()
    report = results_svc.results_report(None, year, everything=True, lang=lang_now)
    if fmt in ("xlsx", "pdf"):
        data, _ = results_svc.export_results(report, fmt)
        write_output(output or "", data)
        click.echo(output)
    elif fmt == "json":
        click.echo(json.dumps(report.to_dict(lang_now), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report_text(report, lang_now))


commands = [score_command, monitor_command, results_report_command]
