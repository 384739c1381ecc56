"""A guard on the merged ranges of an uploaded sheet, run before any reader expands them.

A merged range costs as much as the cells it covers: a reader gives every covered cell its place
(the grid of :mod:`jixiao.formats.grid`), so a 6.5 KB workbook declaring twenty ranges of two
million cells each made one server worker use 7 GB and 43 s. The used-area guard of the xlsx
reader reads the cells' ``r="…"`` references only; this one adds the ``<mergeCell ref="…">``
ranges of each sheet and refuses the sheet when together they cover more than
``LIMITS.max_cells`` cells (:mod:`jixiao.domain.limits`).
"""

from __future__ import annotations

import re
import zipfile
import zlib

from jixiao.domain.errors import FormatError, Location
from jixiao.domain.limits import LIMITS, Limits, range_area

__all__ = ["SHEET_READ_ERRORS", "check_merged_cells", "damaged_sheet"]

# What reading a sheet's part of the archive raises when the part is damaged (a truncated or
# corrupt deflate stream, a missing member, an unsupported compression).
SHEET_READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, KeyError)

_MERGE = re.compile(rb'<(?:\w{1,20}:)?mergeCell\b[^>]{0,200}?\bref="([^"]{1,40})"')
_KEEP = 300  # longer than any match: a match starting in the kept tail is read whole next round


def _refs(archive: zipfile.ZipFile, path: str) -> list[bytes]:
    """Return the merged ranges' refs of a sheet part, streaming its XML in 1 MB chunks."""
    refs: list[bytes] = []
    block = b""
    with archive.open(path) as handle:
        while True:
            chunk = handle.read(1 << 20)
            block += chunk
            cut = len(block) if not chunk else max(0, len(block) - _KEEP)
            for match in _MERGE.finditer(block):
                if match.start() >= cut:
                    break
                refs.append(match.group(1))
            if not chunk:
                return refs
            block = block[cut:]


def damaged_sheet(sheet: str, file: str | None, exc: BaseException) -> FormatError:
    """Return the JX-E430 error of a sheet whose part cannot be read (``exc`` says why)."""
    return FormatError(
        f"工作表「{sheet}」已损坏（{exc}）",
        f"sheet '{sheet}' is damaged ({exc})",
        code="JX-E430",
        where=Location(file=file, sheet=sheet),
    )


def check_merged_cells(
    archive: zipfile.ZipFile, path: str, sheet: str, file: str | None, limits: Limits = LIMITS
) -> None:
    """Raise FormatError JX-E435 when the sheet's merged ranges cover too many cells (or are malformed)."""
    try:
        refs = _refs(archive, path)
    except SHEET_READ_ERRORS as exc:
        raise damaged_sheet(sheet, file, exc) from None
    total = 0
    for raw in refs:
        ref = raw.decode("ascii", "replace")
        area = range_area(ref)
        if area is None:
            raise FormatError(
                f"工作表「{sheet}」的合并单元格范围无效：{ref}",
                f"sheet '{sheet}' has an invalid merged range: {ref}",
                code="JX-E435",
                where=Location(file=file, sheet=sheet, cell=ref),
            )
        total += area
        if total > limits.max_cells:
            raise FormatError(
                f"工作表「{sheet}」的合并单元格过大（共超过 {limits.max_cells:,} 个单元格），"
                "请取消大范围的合并后再上传",
                f"the merged cells of sheet '{sheet}' cover more than {limits.max_cells:,} cells; "
                "unmerge the large ranges and upload again",
                code="JX-E435",
                where=Location(file=file, sheet=sheet, cell=ref),
            )
