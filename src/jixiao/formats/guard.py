"""Guards the readers of packaged and tabular files share: refuse a file before it costs too much.

A .docx and an .xlsx are both zip packages (Office Open XML): each must hold its main part and no
more parts than a real form has before its reader unpacks anything. A docx or HTML reader stops
once a file's tables hold more cells than a form could: every cell costs memory.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from jixiao.domain.errors import FormatError, Location
from jixiao.formats.grid import Cell

__all__ = ["DOCX", "XLSX", "CellList", "Package", "check_parts", "too_many_cells"]


@dataclass(frozen=True, slots=True)
class Package:
    """An Office Open XML package type: the part it must hold, what it is called, its two codes."""

    main_part: str
    kind: tuple[str, str]  # the file type, in Chinese and English: "Word (.docx) 文档"
    noun: tuple[str, str]  # the file: "文档", "document"
    codes: tuple[str, str]  # not this type; too many parts


DOCX = Package(
    "word/document.xml",
    ("Word (.docx) 文档", "a Word (.docx) document"),
    ("文档", "document"),
    ("JX-E471", "JX-E472"),
)
XLSX = Package(
    "xl/workbook.xml",
    ("Excel (.xlsx) 工作簿", "an Excel (.xlsx) workbook"),
    ("工作簿", "workbook"),
    ("JX-E431", "JX-E432"),
)


def check_parts(infos: Sequence[zipfile.ZipInfo], package: Package, limit: int, where: Location) -> None:
    """Refuse a zip without the ``package``'s main part or with more than ``limit`` parts."""
    if package.main_part not in {i.filename for i in infos}:
        raise FormatError(
            f"这是一个 zip 压缩包，但不是 {package.kind[0]}",
            f"this is a zip archive but not {package.kind[1]}",
            code=package.codes[0],
            where=where,
        )
    if len(infos) > limit:
        raise FormatError(
            f"{package.noun[0]}内部文件过多（{len(infos)} 个）",
            f"too many parts in the {package.noun[1]} ({len(infos)})",
            code=package.codes[1],
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


@dataclass
class CellList:
    """The cells a reader has placed so far on a file's grid, and the grid row it is at.

    A subclass says how many cells a file may hold (``limit``) and how the refusal names the file
    (``noun``, ``code``): :meth:`add` refuses the cell past the limit.
    """

    limit: ClassVar[int]
    noun: ClassVar[tuple[str, str]]
    code: ClassVar[str]

    file: str | None
    cells: list[Cell] = field(default_factory=list)
    row: int = 0

    def add(self, cell: Cell) -> None:
        """Place ``cell``, or raise :func:`too_many_cells` when the file holds ``limit`` already."""
        if len(self.cells) >= self.limit:
            raise too_many_cells(self.limit, self.noun, self.code, self.file)
        self.cells.append(cell)
