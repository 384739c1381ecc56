"""Uploaded workbooks whose merged ranges would cover millions of cells are refused before reading."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from jixiao.domain.errors import FormatError
from jixiao.domain.limits import LIMITS, range_area
from jixiao.formats import read_bytes
from jixiao.formats.xlsx import template_xlsx


def _with_merges(refs: list[str]) -> bytes:
    """Return our own template with ``refs`` added as merged ranges of its first sheet."""
    source = zipfile.ZipFile(io.BytesIO(template_xlsx("declaration")))
    extra = "".join(f'<mergeCell ref="{r}"/>' for r in refs).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if b"<mergeCells" in data:
                    data = re.sub(rb"(<mergeCells[^>]*>)", lambda m: m.group(1) + extra, data, count=1)
                else:
                    data = data.replace(
                        b"</sheetData>", b"</sheetData><mergeCells>" + extra + b"</mergeCells>"
                    )
            target.writestr(info, data)
    return out.getvalue()


def test_a_small_file_with_huge_merged_ranges_is_refused() -> None:
    # Twelve ranges of 200,000 cells: each below the per-sheet cell limit, together above it.
    refs = [f"{get_column_letter(30 + 2 * n)}2000:{get_column_letter(31 + 2 * n)}101999" for n in range(12)]
    assert sum(range_area(r) or 0 for r in refs) > LIMITS.max_cells
    data = _with_merges(refs)
    assert len(data) < 64 * 1024
    with pytest.raises(FormatError) as caught:
        read_bytes(data, "bomb.xlsx")
    assert caught.value.code == "JX-E435"
    assert "合并单元格" in caught.value.message_zh and "bomb.xlsx" in caught.value.message("zh")


@pytest.mark.parametrize("ref", ["A1:ZZZZ1", "A0:B2", "1A:B2", "A1:B2:C3"])
def test_a_malformed_merged_range_is_refused(ref: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_bytes(_with_merges([ref]), "bad.xlsx")
    assert caught.value.code == "JX-E435"


def test_ordinary_merges_still_read() -> None:
    """The template's own merged title and labels pass the guard (the guard refuses only excess)."""
    from jixiao.domain.model import Declaration, Indicator, Project
    from jixiao.domain.targets import try_parse_target
    from jixiao.formats.xlsx import write_xlsx

    rows = [Indicator("产出指标", "数量指标", f"指标{n}", try_parse_target(">=1件")) for n in range(40)]
    docs = read_bytes(write_xlsx([Declaration(2023, Project("项目"), indicators=rows)]), "forms.xlsx")
    assert len(docs) == 1 and len(docs[0].indicators) == 40


_cols = st.integers(1, 16384)
_rows = st.integers(1, 1_048_576)


@given(_cols, _rows, _cols, _rows)
def test_range_area_counts_like_openpyxl(c1: int, r1: int, c2: int, r2: int) -> None:
    ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
    lo = CellRange(min_col=min(c1, c2), min_row=min(r1, r2), max_col=max(c1, c2), max_row=max(r1, r2))
    assert range_area(ref) == lo.size["rows"] * lo.size["columns"]
