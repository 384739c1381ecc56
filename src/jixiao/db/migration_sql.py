"""Migration operations that run raw SQL on PostgreSQL alone.

The full-text search helpers (character grams, bigram tsvectors, their GIN indexes) are
PostgreSQL features; SQLite keeps the plain LIKE search, so on SQLite these migrations apply and
unapply as no-ops and the migration graph stays the same on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations

__all__ = ["postgresql_only"]


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
