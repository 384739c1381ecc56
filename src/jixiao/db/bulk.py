"""Rows written by the thousand without the ORM's per-row work: COPY on PostgreSQL, executemany on SQLite.

Django's ``bulk_create`` and ``bulk_update`` build one model instance and one compiled expression per
row and value (``bulk_update`` a ``CASE WHEN`` per column): for a corpus-sized load that costs more
than the database's own work. These helpers take plain tuples of column values already in their
database form (see :func:`db_value`), so the caller pays one conversion per value and nothing per row.
Every call must run inside a transaction (``transaction.atomic``): ids are reserved under it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connections, models

__all__ = ["copy_history", "db_value", "insert_rows", "json_text", "update_rows"]


def _connection(model: type[models.Model]) -> Any:
    from django.db import router

    return connections[router.db_for_write(model)]


def _table(connection: Any, model: type[models.Model]) -> str:
    return str(connection.ops.quote_name(model._meta.db_table))


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    f = model._meta.get_field(name)
    assert isinstance(f, models.Field)
    return f


def _columns(connection: Any, model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [connection.ops.quote_name(_field(model, name).column) for name in fields]


def json_text(value: Any) -> str:
    """Return ``value`` as the text of a JSON column: UTF-8 as it is, without ``\\u`` escapes.

    Both databases read it as Django's own (escaped) text: PostgreSQL parses it into ``jsonb`` (or checks it, ``json``),
    SQLite's JSON functions and Django's reading take either spelling.
    """
    return json.dumps(value, ensure_ascii=False)


def db_value(model: type[models.Model], field: str, value: Any) -> Any:
    """Return ``value`` of ``model.field`` as the database takes it (the field's own conversion)."""
    f = _field(model, field)
    if isinstance(f, models.JSONField):
        return json_text(value)
    return f.get_db_prep_save(value, _connection(model))


def _copyable(value: Any) -> Any:
    # COPY's text format takes the values' text; Decimal, int, str, None and datetimes are adapted
    # by psycopg itself.
    if isinstance(value, (str, int, Decimal, dt.datetime, dt.date)) or value is None:
        return value
    return str(value)


def _reserve_ids(connection: Any, model: type[models.Model], count: int) -> list[int]:
    """Return ``count`` fresh primary keys of ``model`` (PostgreSQL: from its sequence)."""
    meta = model._meta
    with connection.cursor() as cursor:
        # The keys come back as a range when they follow one another (no concurrent insert took one
        # meanwhile: the usual case), else as the list: one row either way, not ``count`` rows.
        cursor.execute(
            "WITH k AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS v FROM generate_series(1, %s)) "
            "SELECT min(v), max(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL "
            "ELSE array_agg(v ORDER BY v) END FROM k",
            [meta.db_table, meta.pk.column, count],
        )
        lo, hi, keys = cursor.fetchone()
    return [int(k) for k in keys] if keys is not None else list(range(int(lo), int(hi) + 1))


def insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning_ids: bool = False,
    count: int | None = None,
) -> list[int]:
    """Insert ``rows`` (values of ``fields``, in database form) into ``model``'s table.

    With ``returning_ids`` the new primary keys are returned in the order of ``rows``. PostgreSQL:
    the keys are taken from the table's sequence first and the rows sent by COPY. SQLite: the first
    row's insert takes the write lock and gives its key; AUTOINCREMENT never reuses a key, so the
    keys after it are free and the other rows go in with them by one ``executemany``.

    ``rows`` may be an iterator that makes each row when it is asked for (``count`` then says how
    many there are): on PostgreSQL they are made while the server takes in the rows sent before,
    so the caller's work on the rows and the database's overlap. Nothing may use the connection
    while the iterator runs.
    """
    connection = _connection(model)
    if not isinstance(rows, Sequence) and (connection.vendor != "postgresql" or count is None):
        rows = list(rows)
    if isinstance(rows, Sequence):
        count = len(rows)
    if not count:
        return []
    table = _table(connection, model)
    pk = model._meta.pk
    assert pk is not None
    columns = _columns(connection, model, fields)
    ids: list[int] = []
    if connection.vendor == "postgresql":
        if returning_ids:
            ids = _reserve_ids(connection, model, count)
            columns = [connection.ops.quote_name(pk.column), *columns]
        with connection.cursor() as cursor:
            # The driver's cursor: COPY is not part of the DB-API Django wraps.
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                if returning_ids:
                    for key, row in zip(ids, rows, strict=True):
                        copy.write_row((key, *map(_copyable, row)))
                else:
                    for row in rows:
                        copy.write_row(tuple(map(_copyable, row)))
        return ids
    assert isinstance(rows, Sequence)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        if not returning_ids:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
            return []
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows[0])
        first = int(cursor.lastrowid)
        ids = list(range(first, first + len(rows)))
        cursor.executemany(
            f"INSERT INTO {table} ({connection.ops.quote_name(pk.column)}, {', '.join(columns)}) "
            f"VALUES (%s, {marks})",
            [(key, *row) for key, row in zip(ids[1:], rows[1:], strict=True)],
        )
    return ids


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Set ``fields`` of the rows whose primary key is each row's last value: one statement, many rows.

    Only the named columns are written (nothing a concurrent save wrote to the others is overwritten).
    """
    connection = _connection(model)
    table = _table(connection, model)
    pk = model._meta.pk
    assert pk is not None
    columns = _columns(connection, model, fields)
    # The JSON text is cast to the column's own type (jsonb, or json for a column read only whole).
    cast = {
        name: f"::{_field(model, name).db_type(connection)}"
        for name in fields
        if connection.vendor == "postgresql" and isinstance(_field(model, name), models.JSONField)
    }
    sets = ", ".join(f"{c} = %s{cast.get(name, '')}" for c, name in zip(columns, fields, strict=True))
    sql = f"UPDATE {table} SET {sets} WHERE {connection.ops.quote_name(pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))


def copy_history(
    model: type[models.Model], ids: Sequence[int], user_id: int | None, when: dt.datetime | None = None
) -> None:
    """Write the creation history (django-simple-history, type ``+``) of rows ``ids`` in one statement.

    The historical rows are read from the rows just written (``INSERT … SELECT``), as
    ``bulk_create_with_history`` would have built them one by one: the tracked fields, the date, the
    user, no change reason.
    """
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    from django.utils import timezone

    connection = _connection(model)
    history = model.history.model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    tracked = [f.attname for f in history.tracked_fields]
    source = {f.attname: f.column for f in model._meta.concrete_fields}
    target_columns = [quote(history._meta.get_field(name).column) for name in tracked]
    source_columns = [quote(source[name]) for name in tracked]
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    date = _field(history, "history_date").get_db_prep_save(when or timezone.now(), connection)
    pk = quote(model._meta.pk.column)
    lo, hi = min(ids), max(ids)
    if hi - lo + 1 == len(set(ids)) == len(ids):
        # The usual case: the keys of one insert (SQLite's are consecutive, see insert_rows).
        chunks: list[tuple[str, list[Any]]] = [(f"{pk} BETWEEN %s AND %s", [lo, hi])]
    elif connection.vendor == "postgresql":
        chunks = [(f"{pk} = ANY(%s)", [list(ids)])]
    else:
        step = 10_000  # SQLite binds at most 32,766 parameters
        chunks = [
            (f"{pk} IN ({', '.join(['%s'] * len(part))})", list(part))
            for part in (ids[i : i + step] for i in range(0, len(ids), step))
        ]
    head = (
        f"INSERT INTO {_table(connection, history)} ({', '.join(target_columns + [quote(c) for c in extra])}) "
        f"SELECT {', '.join(source_columns)}, %s, %s, %s, %s FROM {_table(connection, model)} WHERE "
    )
    with connection.cursor() as cursor:
        for where, key_params in chunks:
            cursor.execute(head + where, [date, None, "+", user_id, *key_params])
