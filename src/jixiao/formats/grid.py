"""The cell grid: one model of a form on a page, whatever file it came from.

Every reader (PDF geometry, xlsx/xls, docx tables, HTML tables, extracted text, OCR of a scan)
turns its source into :class:`Grid` objects; one layout-free interpreter turns grids into
documents (DESIGN.md, "Reading = grid + interpreter"). A grid knows nothing about forms: it holds
cells with their text, position, spans and where each came from, so that every value the
interpreter reads can say where it was read.

Coordinates are 0-based rows and columns of the grid. A merged cell appears once, at its top-left
position, with ``row_span``/``col_span`` > 1; the positions it covers hold no other cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = ["Cell", "Grid", "Note", "Origin", "join_pieces"]


# Cells and origins are values: named tuples, so that a builder makes one in C (a text of 10,000
# forms makes 700,000 cells, bench/bench_text.py) and they hash and compare by value. Change one
# with ``_replace``.


class Origin(NamedTuple):
    """Where a cell came from in its source file.

    ``bbox`` is ``(x0, top, x1, bottom)`` in PDF points for PDF pages and in pixels for images.
    ``confidence`` is the OCR recognition confidence in 0..1, None for born-digital sources.
    """

    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    confidence: float | None = None


_NO_ORIGIN = Origin()


class Cell(NamedTuple):
    """One cell of a grid: its text as printed (stripped), position, spans and origin."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    origin: Origin = _NO_ORIGIN


@dataclass(frozen=True, slots=True)
class Note:
    """Something a grid builder was unsure of while making cells (a text row it could not split).

    The interpreter turns it into a warning of the document whose rows hold ``row``.
    """

    row: int
    code: str
    message: str
    message_en: str
    path: str | None = None  # the field it concerns, e.g. "indicators[3]"
    origin: Origin = field(default_factory=Origin)


@dataclass(slots=True)
class Grid:
    """The cells of one table-like region of a source: a PDF page, a sheet, a docx/HTML table, a text.

    ``source`` names the builder (``"pdf"``, ``"xlsx"``, ``"docx"``, ``"html"``, ``"text"``, ``"scan"``);
    ``file`` is the source's name for messages. Text outside any ruled table (a title above it, a
    ``单位：万元`` line) is kept as cells of their own rows, so labels above a table can still be found.
    ``notes`` carry what the builder was unsure of (see :class:`Note`).
    """

    cells: list[Cell]
    source: str
    file: str | None = None
    page: int | None = None
    sheet: str | None = None
    notes: list[Note] = field(default_factory=list)
    _index: dict[tuple[int, int], Cell] | None = field(default=None, init=False, repr=False, compare=False)

    def _positions(self) -> dict[tuple[int, int], Cell]:
        # Built on first use: the interpreter keeps its own index, and a text of 10,000 forms
        # would pay for this one for nothing.
        if self._index is None:
            self._index = {(cell.row, cell.col): cell for cell in self.cells}
        return self._index

    @property
    def n_rows(self) -> int:
        """Return one past the last row any cell covers (0 for an empty grid)."""
        return max((c.row + c.row_span for c in self.cells), default=0)

    @property
    def n_cols(self) -> int:
        """Return one past the last column any cell covers (0 for an empty grid)."""
        return max((c.col + c.col_span for c in self.cells), default=0)

    def at(self, row: int, col: int) -> Cell | None:
        """Return the cell whose top-left corner is at ``(row, col)``, or None."""
        return self._positions().get((row, col))

    def covering(self, row: int, col: int) -> Cell | None:
        """Return the cell that covers ``(row, col)``, merged cells included, or None."""
        cell = self._positions().get((row, col))
        if cell is not None:
            return cell
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None

    def row(self, row: int) -> list[Cell]:
        """Return the cells that start in ``row``, left to right."""
        return sorted((c for c in self.cells if c.row == row), key=lambda c: c.col)

    def rows(self) -> Iterator[list[Cell]]:
        """Yield each row's cells (see :meth:`row`), top to bottom, skipping empty rows."""
        by_row: dict[int, list[Cell]] = {}
        for c in self.cells:
            by_row.setdefault(c.row, []).append(c)
        for r in sorted(by_row):
            yield sorted(by_row[r], key=lambda c: c.col)


def join_pieces(parts: list[str]) -> str:
    """Join pieces of one cell's text: Chinese without a space, Latin words and numbers with one.

    Each piece is stripped and empty pieces are dropped (a wrapped cell's lines, an OCR line's
    words).
    """
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out
