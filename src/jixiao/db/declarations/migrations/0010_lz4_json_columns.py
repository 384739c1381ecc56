"""On PostgreSQL, the declarations' findings stored as ``json``, and the JSON columns compressed with LZ4.

Nothing queries into the findings (they are read whole), so they need not be parsed into
``jsonb`` on every write: ``json`` only checks the text (about a third of the work on these
~10,000 characters, measured statement by statement). SQLite keeps its text column: the change
is in the migration state only there (a table rebuild would drop the tally triggers of 0007).

A declaration's findings (~10,000 characters) and document (~3,000) are compressed on every write;
pglz's compression was about a quarter of the database server's work in a bulk load (server CPU a
declaration 0.99 → 0.71 ms measured with LZ4 on these columns, the stored size about the same).
The values, queries and what Django reads back are unchanged; rows written before keep their pglz
values (both are read alike). PostgreSQL 14 and later, built with LZ4 (Debian's and the official
images are): elsewhere the columns keep pglz and a warning says so. SQLite: nothing to do.
"""

from django.db import migrations

import jixiao.db.declarations.models
from jixiao.db.migration_sql import postgresql_only


def _compression(method: str) -> str:
    # EXECUTE, so that a server without the method (or without SET COMPRESSION, before 14) raises
    # an error the block can catch and report rather than fail the migration.
    statements = [
        f"ALTER TABLE declarations_declaration ALTER COLUMN document SET COMPRESSION {method}, "
        f"ALTER COLUMN findings SET COMPRESSION {method}",
        f"ALTER TABLE declarations_historicaldeclaration ALTER COLUMN document SET COMPRESSION {method}",
    ]
    body = " ".join(f"EXECUTE '{sql}';" for sql in statements)
    return f"""DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 140000 THEN
    {body}
  ELSE
    RAISE WARNING 'PostgreSQL before 14: the JSON columns keep pglz compression';
  END IF;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE WARNING 'this PostgreSQL has no % compression: the JSON columns keep their compression (%)',
    '{method}', SQLERRM;
END $$"""


class Migration(migrations.Migration):
    dependencies = [("declarations", "0009_stored_search_bigrams")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="declaration",
                    name="findings",
                    field=jixiao.db.declarations.models.StoredJSONField(
                        blank=True, default=list, verbose_name="审核发现"
                    ),
                ),
            ],
            database_operations=[
                postgresql_only(
                    [
                        "ALTER TABLE declarations_declaration ALTER COLUMN findings TYPE json USING findings::json"
                    ],
                    [
                        "ALTER TABLE declarations_declaration ALTER COLUMN findings TYPE jsonb USING findings::jsonb"
                    ],
                ),
            ],
        ),
        postgresql_only([_compression("lz4")], [_compression("pglz")]),
    ]
