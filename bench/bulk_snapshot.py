"""What a reviewed bulk load stores, as one JSON file: to compare two versions of the load's code.

A change that makes ``services.declarations.import_documents(…, review=True)`` faster must store
the same: this loads the seed forms (../shared/seeds) and 300 seed-like forms through it (three
units; the second unit's forms in two imports, so that the first import's declarations are
re-reviewed as peers; a last import without peers), then writes every stored column of the
declarations (the raw JSON text on SQLite), their search pairs (PostgreSQL), indicator rows and
history rows, ordered by key, to OUT. The dates are left out (they are the run's). Run it from two
checkouts and compare the files byte for byte::

    python -m bench.bulk_snapshot /tmp/before.json              # SQLite, a scratch file
    JIXIAO_BULK_SNAPSHOT_PG=1 python -m bench.bulk_snapshot OUT  # PostgreSQL, database jixiao_bulk_snap

The PostgreSQL database is dropped and created (and dropped at the end).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/jixiao_bulk_snap"
SEED = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds" / "000_541cf2738fe0fece.txt"
PACKAGED_SEED = (
    Path(__file__).resolve().parents[1] / "src" / "jixiao" / "data" / "demo" / "seed-2022-qingpu.txt"
)


def _pg_database(create: bool) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS jixiao_bulk_snap WITH (FORCE)")
        if create:
            conn.execute("CREATE DATABASE jixiao_bulk_snap")


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, str, type(None))) else str(value)


def snapshot() -> list[Any]:
    """Load the forms as described above and return what the database holds, as plain values."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bench.corpus import make_forms_text
    from jixiao.db.accounts.models import Organisation, Role, User
    from jixiao.db.declarations.models import Declaration
    from jixiao.domain.model import Declaration as DomainDeclaration
    from jixiao.formats.text import read_forms
    from jixiao.services.declarations import import_documents, only_declarations

    call_command("migrate", interactive=False, verbosity=0)
    bureau = Organisation.objects.create(name="青浦区财政局", kind=Organisation.Kind.BUREAU)
    units = [
        Organisation.objects.create(name=f"第{n + 1:02d}预算单位", kind=Organisation.Kind.UNIT, parent=bureau)
        for n in range(3)
    ]
    admin = User.objects.create(username="bulk-admin", role=Role.ADMIN, organisation=bureau)
    seed = (SEED if SEED.exists() else PACKAGED_SEED).read_text(encoding="utf-8")
    seeds = [d for d in read_forms(seed) if isinstance(d, DomainDeclaration)]
    corpus = only_declarations(read_forms(make_forms_text(300, rng_seed=5)))
    for unit, docs, peers in [
        (units[0], seeds, True),
        (units[1], corpus[:150], True),
        (units[1], corpus[150:], True),
        (units[2], corpus[:40], False),
    ]:
        with transaction.atomic():
            import_documents(admin, docs, unit, review=True, with_peers=peers)
    out: list[Any] = []
    history = Declaration.history.model
    with connection.cursor() as cursor:
        columns = [
            str(f.column) for f in Declaration._meta.concrete_fields if f.column not in ("created", "updated")
        ]
        cursor.execute(f"SELECT {', '.join(columns)} FROM declarations_declaration ORDER BY id")
        for row in cursor.fetchall():
            record = dict(zip(columns, row, strict=True))
            for key in ("document", "findings"):
                raw = record[key]
                record[key + "_text"] = raw if isinstance(raw, str) else None
                record[key] = json.loads(raw) if isinstance(raw, str) else raw
            out.append({k: v if k in ("document", "findings") else _plain(v) for k, v in record.items()})
        if connection.vendor == "postgresql":
            cursor.execute("SELECT id, search_bigrams::text FROM declarations_declaration ORDER BY id")
            out.append(cursor.fetchall())
        cursor.execute(
            "SELECT declaration_id, position, level1, level2, name, target_text, target_kind "
            "FROM declarations_indicator ORDER BY declaration_id, position"
        )
        out.append(cursor.fetchall())
        kept = [
            str(f.column)
            for f in history._meta.concrete_fields
            if f.column not in ("history_id", "history_date", "created", "updated")
        ]
        cursor.execute(f"SELECT {', '.join(kept)} FROM {history._meta.db_table} ORDER BY id, history_id")
        out.append([[_plain(v) for v in row] for row in cursor.fetchall()])
    connection.close()
    return out


def main() -> None:
    """Write the snapshot to the file named by the first argument and print its SHA-256."""
    target = Path(sys.argv[1])
    pg = bool(os.environ.get("JIXIAO_BULK_SNAPSHOT_PG"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JIXIAO_DATABASE_URL"] = PG_URL if pg else f"sqlite:///{tmp}/snapshot.sqlite3"
        if pg:
            _pg_database(create=True)
        try:
            data = snapshot()
        finally:
            if pg:
                _pg_database(create=False)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, default=str)
    target.write_text(text, encoding="utf-8")
    print(f"{target}: {len(data)} entries, sha256 {hashlib.sha256(text.encode()).hexdigest()}")


if __name__ == "__main__":
    main()
