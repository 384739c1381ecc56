"""Scanned grids → documents: the layout-free interpreter when it is there, the PDF's row reader before.

The interpreter (:mod:`jixiao.formats.interpret`) reads every source's grids. Until it is on this
branch, a scan's grid goes to the row reader that born-digital PDFs use today
(:func:`jixiao.formats.render.grid.read_grid`): each grid row becomes a row of spans, a merged
cell appearing on every row it covers (the rowspan fill-down), with column indices as positions.
"""

from __future__ import annotations

import importlib
from typing import Any

from jixiao.domain.model import Document
from jixiao.formats.grid import Grid
from jixiao.formats.render.grid import GridRow, Span, read_grid

__all__ = ["grid_rows", "read_grids"]


def _interpreter() -> Any:
    try:
        module = importlib.import_module("jixiao.formats.interpret")
    except ModuleNotFoundError as exc:
        if exc.name != "jixiao.formats.interpret":
            raise
        return None
    return getattr(module, "interpret", None)


def grid_rows(grids: list[Grid]) -> list[GridRow]:
    """Return the grids as the row stream of the PDF reader, page after page.

    A row without any ruled cell (no ``origin.cell`` address) is free text: the title, the year, a
    ``单位：万元`` line, a page footer.
    """
    out: list[GridRow] = []
    for g_index, grid in enumerate(grids):
        covering: list[list[Any]] = [[] for _ in range(grid.n_rows)]
        for cell in grid.cells:
            for r in range(cell.row, cell.row + cell.row_span):
                covering[r].append(cell)
        base = (g_index + 1) * 1_000_000
        for cells in covering:
            if not cells:
                continue
            cells.sort(key=lambda c: c.col)
            spans = [
                Span(
                    float(c.col),
                    float(c.col + c.col_span),
                    c.text,
                    key=base + c.row * 1000 + c.col,
                    page=c.origin.page if c.origin.page is not None else grid.page,
                )
                for c in cells
            ]
            line = all(c.origin.cell is None for c in cells)
            out.append(GridRow(spans, line=line, page=grid.page, table=0 if line else 1))
    return out


def read_grids(grids: list[Grid], file: str | None) -> list[Document]:
    """Return the documents in scanned grids (the interpreter's reading when it exists)."""
    interpret = _interpreter()
    if interpret is not None:
        docs: list[Document] = interpret(grids, file=file)
        return docs
    return read_grid(grid_rows(grids), file=file)
