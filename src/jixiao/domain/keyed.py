"""Catalogues keyed by their entries' own ``key`` (frameworks, profiles, regions, options).

Each catalogue lists its entries once, in the order the pages and the documentation show them;
the dict is built from the entries so that an entry's key is written in one place only.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

__all__ = ["by_key"]


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


_K = TypeVar("_K", bound=_Keyed)


def by_key(*entries: _K) -> dict[str, _K]:
    """Return ``entries`` keyed by their ``key``, in order; a key listed twice is a ValueError (a
    catalogue that silently kept the last of two entries would lose the first one's rules)."""
    out: dict[str, _K] = {}
    for entry in entries:
        if entry.key in out:
            raise ValueError(f"{entry.key!r} listed twice")
        out[entry.key] = entry
    return out
