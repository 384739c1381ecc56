"""The canonical-JSON entry of the reader registry (bytes in, documents out)."""

from __future__ import annotations

from jixiao.domain.model import Document
from jixiao.formats import decode_text
from jixiao.formats.json import loads

__all__ = ["read_json"]


def read_json(data: bytes, name: str | None) -> list[Document]:
    """Return the documents of a canonical JSON file."""
    return loads(decode_text(data, name), file=name)
