"""One page image → one :class:`~jixiao.formats.grid.Grid`: lattice, text boxes, cells.

The page is deskewed and its red ink dropped (:mod:`.lattice`), its ruling lines are found and then
erased, so that the text detector sees only text and no crop carries a piece of a line. Each text
box goes to the cell that holds its centre; a box that runs over a cell border (two neighbouring
cells' texts detected as one line) is cut at the border and each part recognised on its own, so a
value never borrows from its neighbour. Text outside the ruled table (the title, the year, a
``单位：万元`` line, a page footer) becomes cells of rows of its own, above or below the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from jixiao.formats.grid import Cell, Grid, Origin, join_pieces
from jixiao.formats.scan.engine import Engine
from jixiao.formats.scan.lattice import (
    Image,
    Lattice,
    LatticeCell,
    Page,
    despeckle,
    find_lattice,
    prepare_page,
)

__all__ = ["read_page"]


@dataclass(slots=True)
class _Piece:
    """A recognised piece of text: its box in working pixels, text and confidence."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str = ""
    score: float = 0.0
    vertical: bool = False
    bounds: tuple[int, int, int, int] | None = None  # the cell's box: a crop never reaches past it

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def _split_at_borders(piece: _Piece, lattice: Lattice) -> list[_Piece]:
    """Cut a box that runs over vertical cell borders into one piece per cell it covers."""
    if not lattice.cells:
        return [piece]
    covering = [
        c
        for c in lattice.cells
        if c.box[1] <= piece.cy < c.box[3]
        and min(piece.x1, c.box[2]) - max(piece.x0, c.box[0]) > max(4.0, piece.height * 0.3)
    ]
    if len(covering) <= 1:
        piece.bounds = covering[0].box if covering else None
        return [piece]
    return [
        _Piece(max(piece.x0, c.box[0] + 1), piece.y0, min(piece.x1, c.box[2] - 1), piece.y1, bounds=c.box)
        for c in sorted(covering, key=lambda c: c.box[0])
    ]


def _crop(clean: Image, p: _Piece) -> Image:
    """Return the piece's image with a margin of paper (the recogniser reads a tight crop worse)."""
    h, w = clean.shape[:2]
    bx0, by0, bx1, by1 = p.bounds or (0, 0, w, h)
    pad = max(3, int(p.height * 0.3))
    x0, y0 = max(0, bx0, int(p.x0) - pad), max(0, by0, int(p.y0) - pad)
    x1, y1 = min(w, bx1, int(np.ceil(p.x1)) + pad), min(h, by1, int(np.ceil(p.y1)) + pad)
    return clean[y0:y1, x0:x1]


def _vertical_to_line(crop: Image) -> Image:
    """Return a column of characters (a vertical label: 项/目/资/金) laid out as one line.

    The recogniser reads lines; a vertical label is cut into characters at the blank pixel rows
    between them (strokes of one character, as in 二, stay together while they fit in a square)
    and the characters are set side by side.
    """
    columns = np.flatnonzero((crop < 160).any(axis=0))
    if columns.size == 0:
        return crop
    crop = crop[:, max(0, int(columns[0]) - 2) : int(columns[-1]) + 3]  # the characters' width
    h, w = crop.shape[:2]
    ink = (crop < 160).sum(axis=1) > 0
    runs: list[list[int]] = []
    y = 0
    while y < h:
        if ink[y]:
            start = y
            while y < h and ink[y]:
                y += 1
            runs.append([start, y])
        y += 1
    merged: list[list[int]] = []
    for run in runs:
        if merged and run[1] - merged[-1][0] <= w * 1.1:
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    if len(merged) < 2:
        return crop
    size = max(b - a for a, b in merged)
    pieces = []
    for a, b in merged:
        glyph = crop[a:b, :]
        pad_top = (size - (b - a)) // 2
        glyph = cv2.copyMakeBorder(
            glyph, pad_top, size - (b - a) - pad_top, 2, 2, cv2.BORDER_CONSTANT, value=255
        )
        pieces.append(glyph)
    line: Image = np.hstack(pieces)
    return cv2.copyMakeBorder(line, 4, 4, 4, 4, cv2.BORDER_CONSTANT, value=255)


def _vertical_cells(pieces: list[_Piece], lattice: Lattice) -> list[_Piece]:
    """Read a tall narrow cell (a vertical section label: 项目资金（元）) as one column of text.

    The detector finds such a label as single characters or short runs, which read badly on their
    own; the whole cell is read instead, its characters set side by side.
    """
    if not pieces:
        return pieces
    line = float(np.median([p.height for p in pieces]))
    out = list(pieces)
    for cell in lattice.cells:
        x0, y0, x1, y1 = cell.box
        if (y1 - y0) < 2.5 * (x1 - x0) or (x1 - x0) > 3.5 * line:
            continue
        inside = [p for p in out if x0 <= p.cx < x1 and y0 <= p.cy < y1]
        if not inside:
            continue
        taken = {id(p) for p in inside}
        out = [p for p in out if id(p) not in taken]
        box = (
            max(x0 + 2, min(p.x0 for p in inside)),
            max(y0 + 2, min(p.y0 for p in inside)),
            min(x1 - 2, max(p.x1 for p in inside)),
            min(y1 - 2, max(p.y1 for p in inside)),
        )
        out.append(_Piece(*box, vertical=True, bounds=cell.box))
    return out


def _lines(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Group pieces into lines, top to bottom, each left to right."""
    lines: list[list[_Piece]] = []
    for p in sorted(pieces, key=lambda p: p.cy):
        if lines:
            last = lines[-1]
            ref = sum(q.cy for q in last) / len(last)
            height = max(q.height for q in last)
            if abs(p.cy - ref) < min(height, p.height) * 0.5 and not p.vertical:
                last.append(p)
                continue
        lines.append([p])
    for line in lines:
        line.sort(key=lambda p: p.x0)
    return lines


# Dust next to text reads as a stray mark at either end of a cell (``2022-12-31.``, ``:2022-01-01``,
# ``·年度``, ``加大，``): no value or label on these forms begins with one of these marks or ends
# with one (a label's own colon, ``单位：``, is kept; a full stop 。 may end a sentence and is kept).
_STRAY_START = re.compile(r"^[.,·‘’'`:：;；，、]+")
_STRAY_END = re.compile(r"(?:[.,·‘’'`;；，、]+|(?<=\d)-)$")


def _strip_stray(text: str) -> str:
    text = _STRAY_END.sub("", _STRAY_START.sub("", text)).strip()
    # A quotation mark without its partner at an end of the cell is dust too (“=100%).
    if text.startswith("“") and "”" not in text:
        text = text[1:]
    if text.endswith("”") and "“" not in text:
        text = text[:-1]
    return text.strip()


def _cell_text(pieces: list[_Piece]) -> tuple[str, float | None]:
    if not pieces:
        return "", None
    text = _strip_stray(join_pieces([join_pieces([p.text for p in line]) for line in _lines(pieces)]))
    return text, round(min(p.score for p in pieces), 4)


def _group_cell(group: list[_Piece]) -> tuple[str, float | None, tuple[float, float, float, float]]:
    """Return the text, lowest confidence and bounding box of pieces read as one cell."""
    text, score = _cell_text(group)
    box = (
        min(p.x0 for p in group),
        min(p.y0 for p in group),
        max(p.x1 for p in group),
        max(p.y1 for p in group),
    )
    return text, score, box


def read_page(rgb: Image, engine: Engine, page_number: int | None = None, file: str | None = None) -> Grid:
    """Return the grid of one page image (RGB, uint8): its ruled cells and the text around them."""
    page = prepare_page(rgb)
    lattice = find_lattice(page.gray)
    clean = page.gray.copy()
    clean[lattice.line_mask > 0] = 255
    clean = despeckle(clean)
    bgr = cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR)
    pieces: list[_Piece] = []
    for quad in engine.detect(bgr):
        xs, ys = quad[:, 0], quad[:, 1]
        raw = _Piece(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        if raw.x1 - raw.x0 < 2 or raw.height < 2:
            continue
        pieces.extend(_split_at_borders(raw, lattice))
    pieces = _vertical_cells(pieces, lattice)
    crops = []
    for p in pieces:
        crop = _crop(clean, p)
        if p.vertical or p.height >= (p.x1 - p.x0) * 1.5:
            p.vertical = True
            crop = _vertical_to_line(crop)
        crops.append(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR))
    for p, (text, score) in zip(pieces, engine.recognize(crops), strict=True):
        p.text, p.score = text.strip(), score
    pieces = [p for p in pieces if p.text]
    return _grid(page, lattice, pieces, page_number, file)


def _grid(
    page: Page, lattice: Lattice, pieces: list[_Piece], page_number: int | None, file: str | None
) -> Grid:
    by_cell: dict[LatticeCell, list[_Piece]] = {}
    free: list[_Piece] = []
    for p in pieces:
        cell = lattice.cell_at(p.cx, p.cy)
        if cell is None:
            free.append(p)
        else:
            by_cell.setdefault(cell, []).append(p)
    top = lattice.ys[0] if lattice.ys else float("inf")
    bottom = lattice.ys[-1] if lattice.ys else float("inf")
    above = [line for line in _lines([p for p in free if p.cy < top])]
    below = [line for line in _lines([p for p in free if p.cy >= bottom])]
    inside = [p for p in free if top <= p.cy < bottom]
    offset = len(above)
    n_cols = max(1, len(lattice.xs) - 1)
    cells: list[Cell] = []

    def origin(
        box: tuple[float, float, float, float], score: float | None, address: str | None = None
    ) -> Origin:
        return Origin(page=page_number, bbox=page.to_input(box), cell=address, confidence=score)

    def free_cells(line: list[_Piece], row: int) -> None:
        # Pieces of one line far apart (a title on the left, 单位：万元 on the right) stay apart.
        groups: list[list[_Piece]] = []
        for p in line:
            if groups and p.x0 - groups[-1][-1].x1 < p.height * 2:
                groups[-1].append(p)
            else:
                groups.append([p])
        for col, group in enumerate(groups):
            text, score, box = _group_cell(group)
            cells.append(
                Cell(row, col, text, col_span=n_cols if len(groups) == 1 else 1, origin=origin(box, score))
            )

    for row, line in enumerate(above):
        free_cells(line, row)
    taken: set[tuple[int, int]] = set()
    for lc in lattice.cells:
        text, score = _cell_text(by_cell.get(lc, []))
        box = tuple(float(v) for v in lc.box)
        # Ruled cells carry their address in the grid (R1C1 = top left) for messages; free text has none.
        address = f"R{lc.row + offset + 1}C{lc.col + 1}"
        cells.append(
            Cell(lc.row + offset, lc.col, text, lc.row_span, lc.col_span, origin(box, score, address))  # type: ignore[arg-type]
        )
        taken.update((lc.row + r, lc.col + c) for r in range(lc.row_span) for c in range(lc.col_span))
    # Text inside the table's height but in no closed cell: at its elementary position.
    loose: dict[tuple[int, int], list[_Piece]] = {}
    for p in inside:
        r = max(0, int(np.searchsorted(lattice.ys, p.cy)) - 1)
        if lattice.xs[0] <= p.cx < lattice.xs[-1]:
            c = max(0, int(np.searchsorted(lattice.xs, p.cx)) - 1)
        else:
            c = n_cols if p.cx >= lattice.xs[-1] else n_cols + 1
        loose.setdefault((r, c), []).append(p)
    for (r, c), group in loose.items():
        if (r, c) in taken:  # pragma: no cover - a closed cell would have held the text
            continue
        text, score, box = _group_cell(group)
        cells.append(Cell(r + offset, c, text, origin=origin(box, score)))
    first_below = offset + max(0, len(lattice.ys) - 1)
    for n, line in enumerate(below):
        free_cells(line, first_below + n)
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(cells, source="scan", file=file, page=page_number)
