"""Guards the readers of packaged and tabular files share: refuse a file before it costs too much.

A .docx and an .xlsx are both zip packages (Office Open XML): each must hold its main part and no
more parts than a real form has before its reader unpacks anything. A docx or HTML reader stops
once a file's tables hold more cells than a form could: every cell costs memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence

from jixiao.domain.errors import FormatError, Location

__all__ = ["check_parts", "too_many_cells"]


def check_parts(
    infos: Sequence[zipfile.ZipInfo],
    *,
    main_part: str,
    kind: tuple[str, str],
    noun: tuple[str, str],
    limit: int,
    codes: tuple[str, str],
    where: Location,
) -> None:
    """Refuse a package without ``main_part`` (``codes[0]``) or with more than ``limit`` parts
    (``codes[1]``); ``kind`` names the file type ("Word (.docx) 文档", "a Word (.docx) document")
    and ``noun`` the file ("文档", "document"), in Chinese and English."""
    if main_part not in {i.filename for i in infos}:
        raise FormatError(
            f"这是一个 zip 压缩包，但不是 {kind[0]}",
            f"this is a zip archive but not {kind[1]}",
            code=codes[0],
            where=where,
        )
    if len(infos) > limit:
        raise FormatError(
            f"{noun[0]}内部文件过多（{len(infos)} 个）",
            f"too many parts in the {noun[1]} ({len(infos)})",
            code=codes[1],
            where=where,
        )


def too_many_cells(limit: int, noun: tuple[str, str], code: str, file: str | None) -> FormatError:
    """Return the error refusing a file whose tables hold more than ``limit`` cells; ``noun`` names
    the file ("文档", "document"), in Chinese and English."""
    return FormatError(
        f"{noun[0]}中的表格单元格过多（超过 {limit} 个）",
        f"too many table cells in the {noun[1]} (more than {limit})",
        code=code,
        where=Location(file=file),
    )
