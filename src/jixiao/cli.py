"""The ``jixiao`` command line: thin adapters over formats/ and services/.

Errors a user can cause print one line (Chinese; English with ``--lang en`` or ``LANG=en*``) and
exit 2; never a traceback. Commands of other areas (review, score, export, serve …) live in their
own ``cli`` modules listed in :data:`COMMAND_MODULES` and join the group at start-up.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from jixiao.domain.errors import JixiaoError, lang_from_env
from jixiao.domain.model import Document

__all__ = ["COMMAND_MODULES", "fail", "handle_errors", "lang_option", "main", "read_inputs"]

# Each module defines click commands in a list named ``commands``.
COMMAND_MODULES = ("jixiao.review.cli", "jixiao.evaluation.cli", "jixiao.formats.cli", "jixiao.web.cli")

F = TypeVar("F", bound=Callable[..., Any])


def current_lang() -> str:
    """Return the language chosen by ``--lang`` or the environment ('zh' or 'en')."""
    ctx = click.get_current_context(silent=True)
    explicit = None
    while ctx is not None:
        explicit = explicit or (ctx.params.get("lang") if ctx.params else None)
        ctx = ctx.parent
    return lang_from_env(explicit, dict(os.environ))


def fail(error: JixiaoError) -> None:
    """Print ``error`` as one line on stderr and exit 2."""
    click.echo(error.message(current_lang()), err=True)
    sys.exit(2)


def handle_errors(func: F) -> F:
    """Turn a JixiaoError raised by a command into one line on stderr and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except JixiaoError as exc:
            fail(exc)
        except BrokenPipeError:  # `jixiao parse … | head` closes the pipe early: not an error
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="消息语言 / message language (default: from LANG)",
)


def read_inputs(files: Iterable[str]) -> list[Document]:
    """Return the documents of every file, in order, whatever their formats."""
    from jixiao.formats import read_path

    docs: list[Document] = []
    for name in files:
        docs.extend(read_path(Path(name)))
    return docs


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@lang_option
@click.version_option(package_name="jixiao")
def main(lang: str | None) -> None:
    """jixiao（绩效）: 财政项目支出绩效目标申报、审核、自评与公开。"""


@main.command("parse")
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="json", show_default=True)
@lang_option
@handle_errors
def parse_command(files: tuple[str, ...], fmt: str, lang: str | None) -> None:
    """读取申报表/自评表（文本、JSON、Excel、PDF），输出规范 JSON 或表格。"""
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


def format_table(docs: list[Document], lang: str = "zh") -> str:
    """Return a readable table of the documents and their indicators (``--format table``)."""
    from jixiao.formats.table import render_table

    return render_table(docs, lang)


def _register_area_commands() -> None:
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # that area has no commands yet
            raise
        for command in getattr(module, "commands", []):
            main.add_command(command)


_register_area_commands()
