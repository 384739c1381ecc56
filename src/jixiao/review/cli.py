"""``jixiao review FILE... [--profile P] [--format text|json|html|xlsx] [-o OUT]``.

Exit 0 when the review ran, whatever it found; 2 on bad input (one line, via ``handle_errors``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jixiao.cli import current_lang, handle_errors, lang_option, read_inputs
from jixiao.domain.errors import InputError, Location

__all__ = ["commands", "review_command"]


@click.command("review")
@click.argument("files", nargs=-1, required=True)
@click.option("--profile", "profile", default="shanghai-2022", show_default=True,
              help="审核口径 / profile: shanghai-2022, national-2021, shanghai-2025")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "xlsx"]), default="text",
              show_default=True, help="报告格式 / report format")
@click.option("--config", "config_path", default=None,
              help="TOML 配置：关闭规则、调整阈值和扣分表 / TOML file switching rules off or changing thresholds")
@click.option("-o", "--output", "output", default=None, help="输出文件（默认标准输出）/ output file (default stdout)")
@lang_option
@handle_errors
def review_command(files: tuple[str, ...], profile: str, fmt: str, config_path: str | None, output: str | None,
                   lang: str | None) -> None:
    """审核绩效目标申报表，输出审核意见、等级（优/良/中/差）和汇总。"""
    from jixiao.review.engine import require_declarations, review
    from jixiao.review.profiles import load_config, resolve
    from jixiao.review.render import render

    config = load_config(config_path) if config_path else None
    resolve(profile, config)  # a bad profile or configuration fails before any file is read
    declarations = require_declarations(read_inputs(files))
    report = review(declarations, profile=profile, config=config)
    result = render(report, fmt, current_lang())
    data = result.encode("utf-8") if isinstance(result, str) else result
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise InputError(f"无法写入输出文件：{exc.strerror}", f"cannot write the output: {exc.strerror}",
                             code="JX-E124", where=Location(file=output)) from None
        return
    if fmt == "xlsx" and sys.stdout.isatty():
        raise InputError("xlsx 报告是二进制文件，请用 -o 指定输出文件", "an xlsx report is binary: give -o FILE",
                         code="JX-E123")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


commands = [review_command]
