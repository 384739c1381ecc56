"""Migration operations that run raw SQL on PostgreSQL alone.

The full-text search helpers (character grams, bigram tsvectors, their GIN indexes) are
PostgreSQL features; SQLite keeps the plain LIKE search, so on SQLite these migrations apply and
unapply as no-ops and the migration graph stays the same on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations

__all__ = ["on_each_database", "postgresql_only"]


def _run_on_postgresql(statements: Sequence[str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


def postgresql_only(forward: Sequence[str], backward: Sequence[str]) -> migrations.RunPython:
    """Return the operation that runs ``forward`` on migrate and ``backward`` on unmigrate, in
    order, on PostgreSQL; on any other database it does nothing either way."""
    return migrations.RunPython(_run_on_postgresql(forward), _run_on_postgresql(backward))


def on_each_database(
    what: str, forward: dict[str, Sequence[str]], backward: dict[str, Sequence[str]]
) -> migrations.RunPython:
    """Return the operation that runs the statements of the database's vendor (``"postgresql"``,
    ``"sqlite"``) in order: ``forward`` on migrate, ``backward`` on unmigrate.

    A database with no statements of its own is refused on migrate (``what`` names what it would
    lack, e.g. "tally triggers"): the triggers these migrations create are what keeps derived rows
    right, and a database without them would be silently wrong.
    """

    def run_forward(apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        if vendor not in forward:
            raise RuntimeError(f"no {what} for the {vendor} database")
        for sql in forward[vendor]:
            schema_editor.execute(sql, params=None)

    def run_backward(apps: Any, schema_editor: Any) -> None:
        for sql in backward.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return migrations.RunPython(run_forward, run_backward)
