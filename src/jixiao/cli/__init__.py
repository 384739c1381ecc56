"""The ``jixiao`` command line: thin adapters over formats/, review/, evaluation/ and services/.

Errors a user can cause print one line (Chinese; English with ``--lang en`` or ``LANG=en*``) and
exit 2; never a traceback. The commands of each area (review, score, export, serve …) live in the
modules of this package (``review``, ``evaluation``, ``formats``, ``web``) and join the group here.
"""

from __future__ import annotations

import json

import click

from jixiao.cli.common import current_lang, fail, format_option, handle_errors, lang_option, read_inputs
from jixiao.domain.model import Document

__all__ = ["current_lang", "fail", "handle_errors", "lang_option", "main", "read_inputs"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@lang_option
@click.version_option(package_name="jixiao")
def main(lang: str | None) -> None:
    """jixiao（绩效）: 财政项目支出绩效目标申报、审核、自评与公开。"""


@main.command("parse")
@click.argument("files", nargs=-1, required=True)
@format_option("json", "table")
@lang_option
@handle_errors
def parse_command(files: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """读取申报表/自评表（文本、JSON、Excel、PDF、Word、网页），按内容识别格式，输出规范 JSON 或表格。"""
    from jixiao.formats.json import dumps

    docs = read_inputs(files)
    if fmt == "json":
        click.echo(dumps(docs))
    else:
        click.echo(format_table(docs, current_lang()))


@main.command("schema")
def schema_command() -> None:
    """输出规范 JSON 的 JSON Schema。"""
    from jixiao.formats.json import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.command("errors")
@format_option("text", "markdown")
@lang_option
def errors_command(fmt: str, lang: str | None) -> None:
    """列出错误代码目录：代码、类别、HTTP 状态和含义（markdown 即 docs/errors.md）。"""
    from jixiao.domain.error_codes import CATALOGUE, WARNINGS, catalogue_markdown

    if fmt == "markdown":
        click.echo(catalogue_markdown(), nl=False)
        return
    lang_now = current_lang()
    for entry in CATALOGUE.values():
        click.echo(f"{entry.code}  {entry.status}  {entry.kind or '-':16} {entry.message(lang_now)}")
    for warning in WARNINGS.values():
        click.echo(f"{warning.code}  -    {warning.area:16} {warning.message(lang_now)}")


def format_table(docs: list[Document], lang: str = "zh") -> str:
    """Return a readable table of the documents and their indicators (``--format table``)."""
    from jixiao.formats.table import render_table

    return render_table(docs, lang)


def _register_area_commands() -> None:
    # Imported here, after ``main`` exists: each area module defines its commands in ``commands``.
    from jixiao.cli import corpus, departments, evaluation, formats, jobs, records, review, web

    for module in (review, evaluation, formats, web, jobs, records, corpus, departments):
        for command in module.commands:
            main.add_command(command)


_register_area_commands()
