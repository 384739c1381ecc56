"""On PostgreSQL, the search index holds each declaration's character pairs once, as a ``tsvector``.

The array index of migrations 0004/0006 held every character and every pair (about 340 keys for a
declaration of ~330 characters) and compared them as text under the database's collation
(``C.UTF-8`` is not the fast C collation before PostgreSQL 17): writing a declaration cost about
as much as everything else an import does. This index holds the pairs only, each one a lexeme of a
``tsvector`` (byte-wise comparison): a one-character query is a prefix search (``'网':*``) over the
pairs, which finds every character because the text is padded with a space (the last character
starts a pair too). The pairs are split off by two regular-expression passes (even and odd
offsets), linear in the text. SQLite keeps the plain LIKE search: nothing is created there.

A text holding the unit separator (U+001F, the passes' delimiter) loses the pairs that contain it;
a query that holds it is searched without the index (services.queries).
"""

from importlib import import_module

from django.db import migrations

from jixiao.db.migration_sql import postgresql_only

CREATED_BY_0004 = import_module("jixiao.db.declarations.migrations.0004_gram_search_postgresql")
CREATED_BY_0006 = import_module("jixiao.db.declarations.migrations.0006_faster_search_grams")

FORWARD = [
    r"""CREATE OR REPLACE FUNCTION jixiao_bigrams(t text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(array_remove(array_remove(
        string_to_array(regexp_replace(p, '(..)', E'\\1\x1f', 'g'), E'\x1f')
     || string_to_array(regexp_replace(substr(p, 2), '(..)', E'\\1\x1f', 'g'), E'\x1f'),
     ''), ' '))
  FROM (SELECT upper(t) || ' ' AS p) AS s
$$""",
    # One character: a prefix search over the pairs; more: all of the query's pairs. Each lexeme
    # quoted, its quotes and backslashes doubled (tsquery's own syntax), so any text is a query.
    r"""CREATE OR REPLACE FUNCTION jixiao_bigram_query(q text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN length(u) = 1
    THEN ('''' || replace(replace(u, '\', '\\'), '''', '''''') || ''':*')::tsquery
    ELSE (SELECT string_agg('''' || replace(replace(substr(u, i, 2), '\', '\\'), '''', '''''') || '''', ' & ')
          FROM generate_series(1, length(u) - 1) AS i)::tsquery END
  FROM (SELECT upper(q) AS u) AS s
$$""",
    "DROP INDEX IF EXISTS declaration_search_grams",
    """CREATE INDEX IF NOT EXISTS declaration_search_bigrams ON declarations_declaration
  USING gin (jixiao_bigrams(project_name || ' ' || search_text))""",
    "DROP FUNCTION IF EXISTS jixiao_query_grams(text)",
    "DROP FUNCTION IF EXISTS jixiao_grams(text)",
]

# The array index as migration 0006 left it (its functions and index as 0004 and 0006 wrote them).
BACKWARD = [
    CREATED_BY_0006.GRAMS,
    CREATED_BY_0004.QUERY_GRAMS,
    "DROP INDEX IF EXISTS declaration_search_bigrams",
    CREATED_BY_0004.GRAMS_INDEX,
    "DROP FUNCTION IF EXISTS jixiao_bigram_query(text)",
    "DROP FUNCTION IF EXISTS jixiao_bigrams(text)",
]


class Migration(migrations.Migration):
    dependencies = [("declarations", "0007_declaration_tally")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
