"""Limit/offset pagination with bounded numbers (an unbounded offset overflows the database)."""

from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from jixiao.services.queries import selected_rows

__all__ = ["MAX_OFFSET", "BoundedPagination", "DocumentPagination", "KnownCount"]

MAX_OFFSET = 10_000_000


class BoundedPagination(LimitOffsetPagination):
    """``?limit=`` (1–500, default 50) and ``?offset=`` (0–10,000,000); the body is ``{items, count}``."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DocumentPagination(LimitOffsetPagination):
    """Pages of whole canonical JSON documents: ``?limit=`` 1–100 (default 20), ``?offset=``."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class KnownCount:
    """Rows whose number is known beforehand (the declarations' tally): pages slice ``rows``.

    The pagination asks ``len()`` of what has no ``all()``, so the count is not taken again.
    """

    def __init__(self, rows: Any, count: int) -> None:
        self.rows = rows
        self.known = count

    def __len__(self) -> int:
        return self.known

    def __getitem__(self, key: slice) -> Any:
        return selected_rows(self.rows[key], self.known)
