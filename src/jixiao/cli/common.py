"""What every ``jixiao`` command shares: the language option, error handling, reading inputs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from jixiao.domain.errors import InputError, JixiaoError, Location, lang_from_env
from jixiao.domain.model import Document
from jixiao.domain.vocabulary import DEFAULT_REGION, REGIONS, configured_region

__all__ = [
    "current_lang",
    "fail",
    "format_option",
    "handle_errors",
    "lang_option",
    "read_input",
    "read_inputs",
    "region_option",
    "write_output",
]

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


def _configured_region() -> str:
    return configured_region(os.environ)


# One region key selects the framework, the review profile and the scoring rules; its default is
# JIXIAO_REGION (as for the web application), else jixiao.domain.vocabulary.DEFAULT_REGION.
region_option = click.option(
    "--region",
    type=click.Choice(sorted(REGIONS)),
    default=_configured_region,
    show_default=f"JIXIAO_REGION, else {DEFAULT_REGION}",
    help="地区：决定指标体系、审核口径与计分规则 / region: selects the framework, review profile and scoring rules",
)


def format_option(*choices: str, help: str | None = None) -> Callable[[F], F]:
    """Return a command's ``--format`` option (into ``fmt``): one of ``choices``, the first by default."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=choices[0],
        show_default=True,
        help=help,
    )


def read_input(name: str, limit: int | None = None) -> bytes:
    """Return the bytes of input file ``name`` (at most ``limit`` + 1, so that a caller sees it is over).

    An OS error is the one-line InputError JX-E101 naming the file and the system's reason.
    """
    try:
        with Path(name).open("rb") as handle:
            return handle.read(-1 if limit is None else limit + 1)
    except OSError as exc:
        what = ("文件不存在或无法打开", "the file does not exist or cannot be opened")
        raise _file_error(name, "JX-E101", what, exc) from None


def write_output(path: str, data: bytes) -> None:
    """Write a command's output file; an OS error is the one-line InputError JX-E108 naming the file."""
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise _file_error(path, "JX-E108", ("无法写入文件", "cannot write the file"), exc) from None


def _file_error(path: str, code: str, what: tuple[str, str], exc: OSError) -> InputError:
    # The system's reason after what failed, and the file named, in one line.
    zh, en = what
    return InputError(f"{zh}：{exc.strerror}", f"{en}: {exc.strerror}", code=code, where=Location(file=path))
