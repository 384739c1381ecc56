"""The data version: a token replaced by the database on every write to declarations or organisations.

Why triggers and not Django signals: as for the tally (0007), bulk inserts, ``QuerySet.update`` and
raw SQL send no signal, and a page cache that misses one write path serves a silently wrong page.

PostgreSQL: a deferred constraint trigger per row, which runs at commit. The first row of a
transaction replaces the token and sets a transaction-local flag; the others see the flag and do
nothing (a few microseconds each). Deferred, so the token's row is locked only while the
transaction commits: an immediate trigger would hold the lock until the end of the transaction and
make every other writer wait for a long import. The new token becomes visible in the same commit as
the rows it stands for, so a reader that reads the token first never keeps old rows under a new
token. TRUNCATE (tests flush with it) replaces the token too.

SQLite: row triggers; SQLite has one writer at a time, so the token and the rows are committed
together. A later migration that rebuilds either table on SQLite must create these triggers again
(as it must the tally's).
"""

from django.db import migrations, models

from jixiao.db import migration_fields as shared
from jixiao.db.migration_sql import DATA_VERSION_UPSERT, data_version_watch, on_each_database

WATCHED = ("declarations_declaration", "accounts_organisation")
_PG_UPSERT = DATA_VERSION_UPSERT["postgresql"]

FUNCTIONS = [
    f"""CREATE OR REPLACE FUNCTION jixiao_data_version_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('jixiao.data_version_set', true), '') <> '1' THEN
    PERFORM set_config('jixiao.data_version_set', '1', true);
    {_PG_UPSERT};
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION jixiao_data_version_statement() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_PG_UPSERT};
  RETURN NULL;
END $$""",
]
FUNCTIONS_BACKWARD = [
    "DROP FUNCTION IF EXISTS jixiao_data_version_row()",
    "DROP FUNCTION IF EXISTS jixiao_data_version_statement()",
]
TRIGGERS, TRIGGERS_BACKWARD = data_version_watch(WATCHED)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("declarations", "0010_lz4_json_columns"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                ("id", shared.auto_id()),
                ("token", models.CharField(max_length=40)),
            ],
        ),
        on_each_database(
            "data version triggers",
            {
                "postgresql": [_PG_UPSERT, *FUNCTIONS, *TRIGGERS["postgresql"]],
                "sqlite": [DATA_VERSION_UPSERT["sqlite"], *TRIGGERS["sqlite"]],
            },
            {
                "postgresql": [*TRIGGERS_BACKWARD["postgresql"], *FUNCTIONS_BACKWARD],
                "sqlite": TRIGGERS_BACKWARD["sqlite"],
            },
        ),
    ]
