"""Counts of declarations per unit, year, status and grade, kept by triggers in the database.

Why triggers and not Django signals: bulk inserts, ``QuerySet.update`` and raw SQL send no signal,
and a count that misses one write path is silently wrong. A trigger sees every row change.

On PostgreSQL an insert or delete statement is counted once per statement from its transition
table (a bulk load of thousands of rows costs one grouped upsert); an update is counted per row,
and only when one of the four counted columns changed (the review's and the editor's updates of
other columns cost nothing). SQLite has row triggers only; there each is a small upsert.
"""

import django.db.models.deletion
from django.db import migrations, models

from jixiao.db import migration_fields as shared
from jixiao.db.migration_sql import on_each_database

TABLE = "declarations_declarationtally"
KEY = "organisation_id, year, status, grade"

POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION jixiao_tally_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO {TABLE} AS t ({KEY}, n)
      SELECT organisation_id, coalesce(year, 0), status, grade, count(*) FROM jx_new
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + EXCLUDED.n;
  ELSE
    INSERT INTO {TABLE} AS t ({KEY}, n)
      SELECT organisation_id, coalesce(year, 0), status, grade, -count(*) FROM jx_old
      GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
      ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION jixiao_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- the lower key first, so that two updates moving rows between the same keys lock alike
  IF (OLD.organisation_id, coalesce(OLD.year, 0), OLD.status, OLD.grade)
     < (NEW.organisation_id, coalesce(NEW.year, 0), NEW.status, NEW.grade) THEN
    UPDATE {TABLE} SET n = n - 1 WHERE (organisation_id, year, status, grade)
      = (OLD.organisation_id, coalesce(OLD.year, 0), OLD.status, OLD.grade);
    INSERT INTO {TABLE} AS t ({KEY}, n)
      VALUES (NEW.organisation_id, coalesce(NEW.year, 0), NEW.status, NEW.grade, 1)
      ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + 1;
  ELSE
    INSERT INTO {TABLE} AS t ({KEY}, n)
      VALUES (NEW.organisation_id, coalesce(NEW.year, 0), NEW.status, NEW.grade, 1)
      ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + 1;
    UPDATE {TABLE} SET n = n - 1 WHERE (organisation_id, year, status, grade)
      = (OLD.organisation_id, coalesce(OLD.year, 0), OLD.status, OLD.grade);
  END IF;
  RETURN NULL;
END $$""",
    "CREATE TRIGGER declaration_tally_insert AFTER INSERT ON declarations_declaration "
    "REFERENCING NEW TABLE AS jx_new FOR EACH STATEMENT EXECUTE FUNCTION jixiao_tally_rows()",
    "CREATE TRIGGER declaration_tally_delete AFTER DELETE ON declarations_declaration "
    "REFERENCING OLD TABLE AS jx_old FOR EACH STATEMENT EXECUTE FUNCTION jixiao_tally_rows()",
    "CREATE TRIGGER declaration_tally_update AFTER UPDATE OF organisation_id, year, status, grade "
    "ON declarations_declaration FOR EACH ROW WHEN ("
    "OLD.organisation_id IS DISTINCT FROM NEW.organisation_id OR OLD.year IS DISTINCT FROM NEW.year "
    "OR OLD.status IS DISTINCT FROM NEW.status OR OLD.grade IS DISTINCT FROM NEW.grade) "
    "EXECUTE FUNCTION jixiao_tally_update()",
]

POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS declaration_tally_insert ON declarations_declaration",
    "DROP TRIGGER IF EXISTS declaration_tally_delete ON declarations_declaration",
    "DROP TRIGGER IF EXISTS declaration_tally_update ON declarations_declaration",
    "DROP FUNCTION IF EXISTS jixiao_tally_rows()",
    "DROP FUNCTION IF EXISTS jixiao_tally_update()",
]

_SQLITE_ADD = (
    f"INSERT INTO {TABLE} ({KEY}, n) VALUES (NEW.organisation_id, coalesce(NEW.year, 0), NEW.status, "
    f"NEW.grade, 1) ON CONFLICT ({KEY}) DO UPDATE SET n = n + 1;"
)
_SQLITE_REMOVE = (
    f"UPDATE {TABLE} SET n = n - 1 WHERE organisation_id = OLD.organisation_id "
    "AND year = coalesce(OLD.year, 0) AND status = OLD.status AND grade = OLD.grade;"
)
SQLITE = [
    f"CREATE TRIGGER declaration_tally_insert AFTER INSERT ON declarations_declaration BEGIN {_SQLITE_ADD} END",
    f"CREATE TRIGGER declaration_tally_delete AFTER DELETE ON declarations_declaration BEGIN {_SQLITE_REMOVE} END",
    "CREATE TRIGGER declaration_tally_update AFTER UPDATE OF organisation_id, year, status, grade "
    "ON declarations_declaration WHEN OLD.organisation_id IS NOT NEW.organisation_id "
    "OR OLD.year IS NOT NEW.year OR OLD.status IS NOT NEW.status OR OLD.grade IS NOT NEW.grade "
    f"BEGIN {_SQLITE_REMOVE} {_SQLITE_ADD} END",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS declaration_tally_insert",
    "DROP TRIGGER IF EXISTS declaration_tally_delete",
    "DROP TRIGGER IF EXISTS declaration_tally_update",
]

# The declarations already stored, counted once.
FILL = (
    f"INSERT INTO {TABLE} ({KEY}, n) SELECT organisation_id, coalesce(year, 0), status, grade, count(*) "
    "FROM declarations_declaration GROUP BY organisation_id, coalesce(year, 0), status, grade"
)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("declarations", "0006_faster_search_grams"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeclarationTally",
            fields=[
                ("id", shared.auto_id()),
                ("year", models.IntegerField()),
                ("status", models.CharField(max_length=20)),
                ("grade", models.CharField(max_length=2)),
                ("n", models.IntegerField()),
                (
                    "organisation",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "year", "status", "grade"), name="declaration_tally_key"
                    )
                ],
            },
        ),
        on_each_database(
            "tally triggers",
            {"postgresql": [FILL, *POSTGRESQL], "sqlite": [FILL, *SQLITE]},
            {"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD},
        ),
    ]
