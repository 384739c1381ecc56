"""What a scan job needs of the scan reader: a page count without rendering, and a page's grid kept
as JSON and read back equal."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from jixiao.formats.grid import Cell, Grid, Note, Origin
from jixiao.formats.render.pdf import render_pdf
from jixiao.formats.scan import grid_from_dict, grid_to_dict, scan_page_count


def _frames(n: int, fmt: str) -> bytes:
    frames = [Image.new("RGB", (64, 80), "white") for _ in range(n)]
    out = io.BytesIO()
    frames[0].save(out, format=fmt, save_all=True, append_images=frames[1:])
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "pages"),
    [
        pytest.param(_frames(3, "TIFF"), 3, id="tiff-3"),
        pytest.param(_frames(1, "PNG"), 1, id="png"),
        pytest.param(_frames(2, "PDF"), 2, id="image-only-pdf"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, None, id="damaged-png"),
        pytest.param(b"%PDF-1.7\n garbage", None, id="damaged-pdf"),
        pytest.param("项目名称 城运".encode(), None, id="text"),
    ],
)
def test_a_scans_pages_are_counted_and_anything_else_is_not_a_scan(data: bytes, pages: int | None) -> None:
    assert scan_page_count(data) == pages


def test_a_born_digital_pdf_is_not_a_scan(seed_docs: list[object]) -> None:
    assert scan_page_count(render_pdf(seed_docs[:2])) is None  # type: ignore[arg-type]


_text = st.text(max_size=8)
_maybe_float = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=32)
_origin = st.builds(
    Origin,
    page=st.none() | st.integers(1, 99),
    bbox=st.none() | st.tuples(*[st.floats(0, 5000, width=32)] * 4),
    sheet=st.none() | _text,
    cell=st.none() | _text,
    line=st.none() | st.integers(1, 999),
    confidence=_maybe_float,
)
_cell = st.builds(
    Cell, st.integers(0, 40), st.integers(0, 12), _text, st.integers(1, 3), st.integers(1, 3), _origin
)
_note = st.builds(Note, st.integers(0, 40), _text, _text, _text, st.none() | _text, _origin)


@given(
    cells=st.lists(_cell, max_size=12),
    notes=st.lists(_note, max_size=3),
    page=st.none() | st.integers(1, 99),
)
def test_a_grid_kept_as_json_reads_back_equal(cells: list[Cell], notes: list[Note], page: int | None) -> None:
    import json

    grid = Grid(cells, source="scan", file="扫描件.pdf", page=page, notes=notes)
    assert grid_from_dict(json.loads(json.dumps(grid_to_dict(grid)))) == grid
