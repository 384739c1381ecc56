"""Writing helpers for openpyxl worksheets whose cost is linear in the size of the form.

openpyxl's ``Worksheet.merge_cells`` first tests the new range against every range merged before
(``MultiCellRange.__contains__`` is a scan), so a form with n merged rows costs n² comparisons:
4,000 indicators took 13.5 s and 20,000 over ten minutes of one server worker. The official
layouts never overlap two merged ranges (each cell of :mod:`.layout` owns its rectangle), so
:func:`merge` adds the range to the sheet's set directly and checks the no-overlap rule itself in
time proportional to the range's area, with a set of the cells already covered.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_TRIGGERS", "Merger", "neutralise"]


class Merger:
    """Merge ranges on one worksheet in linear time (one instance per sheet)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.covered: set[tuple[int, int]] = set()

    def merge(self, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
        """Merge the rectangle, as ``ws.merge_cells`` does, refusing a range that overlaps another."""
        from openpyxl.worksheet.cell_range import CellRange
        from openpyxl.worksheet.merge import MergedCellRange

        cells = [(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]
        if any(cell in self.covered for cell in cells):
            raise ValueError(
                f"merged ranges overlap at {CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row).coord}"
            )
        self.covered.update(cells)
        mcr = MergedCellRange(
            self.ws, CellRange(min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row).coord
        )
        self.ws.merged_cells.ranges.add(mcr)
        self.ws._clean_merge_range(mcr)


# OWASP "CSV Injection": a cell whose text starts with one of these is run as a formula by Excel or
# LibreOffice once someone edits it or saves the sheet as CSV (=HYPERLINK(…), @SUM(…), +cmd|…).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> None:
    """Keep a text cell text: typed as a string, and quote-prefixed when it looks like a formula.

    The quote prefix is Excel's own leading ``'`` (what Excel stores when a user types ``'=1``): the
    sheet shows the text as typed, the formula bar shows the apostrophe, and the value read back
    is unchanged, so a target such as ``=100%`` survives an export and a re-import.
    """
    value = cell.value
    if isinstance(value, str) and value:
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
