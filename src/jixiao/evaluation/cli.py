"""``jixiao score`` (self-evaluations) and ``jixiao monitor`` (in-year monitoring reports)."""

from __future__ import annotations

import json

import click

from jixiao.cli import current_lang, handle_errors, lang_option, read_inputs
from jixiao.domain.errors import InputError
from jixiao.domain.model import SelfEvaluation
from jixiao.evaluation.config import REGION_RULES

__all__ = ["commands", "score_command"]

region_option = click.option(
    "--region", type=click.Choice(sorted(REGION_RULES)), default="national", show_default=True,
    help="计分规则所属地区 / region whose scoring rules apply",
)


@click.command("score")
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@region_option
@lang_option
@handle_errors
def score_command(files: tuple[str, ...], fmt: str, region: str, lang: str | None) -> None:
    """重新计算自评表得分，并列出表上与规则不符的数字。"""
    from jixiao.evaluation.report import format_text, score_report

    lang_now = current_lang()
    docs = read_inputs(files)
    evaluations = [d for d in docs if isinstance(d, SelfEvaluation)]
    if not evaluations:
        raise InputError("输入中没有自评表（kind 为 self_evaluation 的文档）",
                         "no self-evaluation (a document of kind self_evaluation) in the input",
                         code="JX-E105")
    reports = [score_report(doc, region, lang_now) for doc in evaluations]
    if fmt == "json":
        click.echo(json.dumps(reports, ensure_ascii=False, indent=2))
    else:
        click.echo("\n\n".join(format_text(doc, rep, lang_now) for doc, rep in zip(evaluations, reports,
                                                                                    strict=True)))


commands = [score_command]
