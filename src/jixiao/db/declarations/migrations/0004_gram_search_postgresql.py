"""On PostgreSQL, an index for the one- and two-character searches Chinese users type.

pg_trgm cannot serve them (a trigram needs three characters), so each declaration's project name and
search text are indexed as the array of their single characters and character pairs (GIN, stock
PostgreSQL). A one-character query looks up its character, a longer one its pairs; the LIKE that
follows on the few candidates keeps the results exactly those of the plain search. SQLite keeps the
plain LIKE search: nothing is created there.
"""

from django.db import migrations

from jixiao.db.migration_sql import postgresql_only

GRAMS = """CREATE OR REPLACE FUNCTION jixiao_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[]) FROM (
    SELECT substr(upper(t), i, 1) AS g FROM generate_series(1, length(t)) AS i
    UNION ALL
    SELECT substr(upper(t), i, 2) FROM generate_series(1, length(t) - 1) AS i
  ) AS grams
$$"""
QUERY_GRAMS = """CREATE OR REPLACE FUNCTION jixiao_query_grams(q text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(q) = 1 THEN ARRAY[upper(q)]
    ELSE coalesce((SELECT array_agg(DISTINCT substr(upper(q), i, 2))
                   FROM generate_series(1, length(q) - 1) AS i), '{}'::text[]) END
$$"""
GRAMS_INDEX = """CREATE INDEX IF NOT EXISTS declaration_search_grams ON declarations_declaration
  USING gin (jixiao_grams(project_name || ' ' || search_text))"""

FORWARD = [GRAMS, QUERY_GRAMS, GRAMS_INDEX]

BACKWARD = [
    "DROP INDEX IF EXISTS declaration_search_grams",
    "DROP FUNCTION IF EXISTS jixiao_query_grams(text)",
    "DROP FUNCTION IF EXISTS jixiao_grams(text)",
]


class Migration(migrations.Migration):
    dependencies = [("declarations", "0003_dashboard_indexes")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
