"""``jixiao template`` (an Excel form to fill) and ``jixiao export`` (documents to .xlsx or .pdf)."""

from __future__ import annotations

from pathlib import Path

import click

from jixiao.cli.common import handle_errors, lang_option, read_inputs, write_output
from jixiao.domain.errors import InputError, Location
from jixiao.domain.framework import FRAMEWORKS

__all__ = ["commands", "export_command", "template_command"]


@click.command("template")
@click.option(
    "--kind",
    type=click.Choice(["declaration", "self_evaluation"]),
    default="declaration",
    show_default=True,
    help="申报表 (declaration) 或自评表 (self_evaluation)",
)
@click.option("-o", "--output", required=True, help="输出的 .xlsx 文件 / output .xlsx file")
@click.option("--year", type=int, default=None, help="预算年度（决定指标体系）/ budget year")
@click.option(
    "--framework",
    type=click.Choice(sorted(FRAMEWORKS)),
    default=None,
    help="指标体系（默认按年度选择上海市体系）/ indicator framework",
)
@lang_option
@handle_errors
def template_command(
    kind: str, output: str, year: int | None, framework: str | None, lang: str | None
) -> None:
    """生成可填写的 Excel 模板：官方版式、下拉选项、保护非填写单元格，申报表另附批量录入表。"""
    from jixiao.formats.xlsx import template_xlsx

    write_output(output, template_xlsx(kind, year=year, framework=framework))
    click.echo(output)


@click.command("export")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--to",
    "fmt",
    type=click.Choice(["xlsx", "pdf"]),
    default=None,
    help="输出格式（默认按 -o 的扩展名）/ output format (default: from -o)",
)
@click.option("-o", "--output", required=True, help="输出文件 / output file")
@click.option(
    "--bulk",
    is_flag=True,
    help="申报表写入一张批量录入表（每行一个指标）/ one bulk sheet, a row per indicator",
)
@lang_option
@handle_errors
def export_command(
    files: tuple[str, ...], fmt: str | None, output: str, bulk: bool, lang: str | None
) -> None:
    """把申报表/自评表（任何可读格式）按官方版式导出为一个 .xlsx 或 .pdf 文件。"""
    fmt = fmt or Path(output).suffix.lower().lstrip(".")

    def refused(zh: str, en: str) -> InputError:
        return InputError(zh, en, code="JX-E107", where=Location(file=output))

    if fmt not in ("xlsx", "pdf"):
        raise refused(
            "请用 --to xlsx 或 --to pdf 指定输出格式", "give the output format with --to xlsx or --to pdf"
        )
    docs = read_inputs(files)
    if bulk:
        from jixiao.domain.model import Declaration
        from jixiao.formats.xlsx import bulk_xlsx

        declarations = [d for d in docs if isinstance(d, Declaration)]
        if fmt != "xlsx" or len(declarations) != len(docs):
            raise refused("--bulk 只用于把申报表导出为 .xlsx", "--bulk exports declarations to .xlsx only")
        data = bulk_xlsx(declarations)
    elif fmt == "xlsx":
        from jixiao.formats.xlsx import write_xlsx

        data = write_xlsx(docs)
    else:
        from jixiao.formats.render.pdf import render_pdf

        data = render_pdf(docs)
    write_output(output, data)
    click.echo(f"{output}（{len(docs)} 份表格 / forms）")


commands = [template_command, export_command]
