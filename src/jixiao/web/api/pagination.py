"""Limit/offset pagination with bounded numbers (an unbounded offset overflows the database)."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

__all__ = ["MAX_OFFSET", "BoundedPagination", "DocumentPagination"]

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
