"""Rows of spans for the bulk Excel sheet (one declaration per row) and its cell values.

The official forms are read through :mod:`jixiao.formats.interpret`; only the bulk sheet that
:mod:`jixiao.formats.xlsx` writes (one row per declaration, not a form) is read row by row, and it
uses these types and value parsers, which name the sheet and cell of an unreadable value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from jixiao.domain.errors import DateError, FormatError, Location, MoneyError
from jixiao.domain.money import parse_amount, parse_date

_T = TypeVar("_T")

__all__ = ["GridRow", "Span"]


@dataclass(slots=True)
class Span:
    """One cell as seen on one row: horizontal extent, text, identity and where it came from.

    ``key`` identifies the cell: a merged cell spanning three rows appears on three rows with the
    same key. ``cell``/``page`` locate it for error messages.
    """

    x0: float
    x1: float
    text: str
    key: int
    cell: str | None = None
    page: int | None = None

    @property
    def center(self) -> float:
        """Return the horizontal middle of the span."""
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class GridRow:
    """One row of a grid, spans left to right. ``line`` rows are free text outside any table."""

    spans: list[Span]
    line: bool = False
    page: int | None = None
    sheet: str | None = None
    row: int | None = None
    table: int = 0

    def text(self) -> str:
        """Return the row's text, spans joined, whitespace removed."""
        return "".join("".join(s.text.split()) for s in self.spans)

    def at(self, x: float) -> Span | None:
        """Return the span that covers the horizontal position ``x``."""
        for span in self.spans:
            if span.x0 <= x < span.x1:
                return span
        return None


# What an empty cell looks like on a printed sheet.
_EMPTY = {"", "—", "-", "——", "/", "／", "无"}


def _where(span: Span, row: GridRow) -> Location:
    return Location(sheet=row.sheet, cell=span.cell, page=span.page if span.page is not None else row.page)


# --- value parsing ------------------------------------------------------------------------------


def _text(span: Span | None) -> str | None:
    if span is None:
        return None
    text = span.text.strip()
    return None if text in _EMPTY else text


def _parsed(span: Span | None, row: GridRow, what: str, parse: Callable[[str], _T], code: str) -> _T | None:
    """Return the span's text parsed, None for an empty cell; a bad value raises ``code``."""
    text = _text(span)
    if text is None or span is None:
        return None
    try:
        return parse(text)
    except (MoneyError, DateError) as exc:
        raise FormatError(
            f"{what}：{exc.message_zh}", f"{what}: {exc.message_en}", code=code, where=_where(span, row)
        ) from None


def _amount(span: Span | None, row: GridRow, what: str) -> Decimal | None:
    return _parsed(span, row, what, parse_amount, "JX-E411")


def _date(span: Span | None, row: GridRow, what: str) -> date | None:
    return _parsed(span, row, what, parse_date, "JX-E413")
