"""Migration operations that run raw SQL on PostgreSQL alone.

The full-text search helpers (character grams, bigram tsvectors, their GIN indexes) are
PostgreSQL features; SQLite keeps the plain LIKE search, so on SQLite these migrations apply and
unapply as no-ops and the migration graph stays the same on both databases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import migrations

__all__ = ["DATA_VERSION_UPSERT", "data_version_watch", "on_each_database", "postgresql_only"]


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
    what: str, forward: Mapping[str, Sequence[str]], backward: Mapping[str, Sequence[str]]
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


# The data version's row (declarations/0011): a new random token on each write of a watched table.
DATA_VERSION_TABLE = "declarations_dataversion"
DATA_VERSION_UPSERT = {
    "postgresql": (
        f"INSERT INTO {DATA_VERSION_TABLE} (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text)) "
        "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token"
    ),
    "sqlite": (
        f"INSERT INTO {DATA_VERSION_TABLE} (id, token) VALUES (1, lower(hex(randomblob(16)))) "
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token"
    ),
}
_SQLITE_OPS = ("INSERT", "UPDATE", "DELETE")


def data_version_watch(tables: Sequence[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Return the (forward, backward) statements, per database, that make every write to ``tables``
    replace the data version's token (see declarations/0011 for why triggers and how).

    PostgreSQL: the deferred row trigger and the TRUNCATE trigger that call the functions 0011
    creates; SQLite: a row trigger per operation that writes the token itself.
    """
    upsert = DATA_VERSION_UPSERT["sqlite"]
    forward = {
        "postgresql": [
            sql
            for table in tables
            for sql in (
                f"CREATE CONSTRAINT TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION jixiao_data_version_row()",
                f"CREATE TRIGGER {table}_data_version_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION jixiao_data_version_statement()",
            )
        ],
        "sqlite": [
            f"CREATE TRIGGER {table}_data_version_{op.lower()} AFTER {op} ON {table} BEGIN {upsert}; END"
            for table in tables
            for op in _SQLITE_OPS
        ],
    }
    backward = {
        "postgresql": [
            sql
            for table in tables
            for sql in (
                f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_data_version_truncate ON {table}",
            )
        ],
        "sqlite": [
            f"DROP TRIGGER IF EXISTS {table}_data_version_{op.lower()}"
            for table in tables
            for op in _SQLITE_OPS
        ],
    }
    return forward, backward
