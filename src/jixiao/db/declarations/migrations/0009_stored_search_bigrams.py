"""On PostgreSQL, the search's character pairs stored in a generated column, indexed by GIN.

With the index on the expression (migration 0008), a plan that walks the list's order and tests
each row (the right plan for a common query such as 网格, which half of a district's declarations
contain) computes the pairs of every row it reads, and the pages of a search sorted every match.
A stored column is computed once per write (as the index was), a row test is then a plain
``tsvector`` match, and ANALYZE keeps its most common pairs, so that a common query walks the
list's order and stops after a page while a rare one reads the index. SQLite keeps the plain LIKE
search: nothing is created there.
"""

from django.db import migrations

from jixiao.db.migration_sql import postgresql_only

FORWARD = [
    "DROP INDEX IF EXISTS declaration_search_bigrams",
    """ALTER TABLE declarations_declaration ADD COLUMN search_bigrams tsvector
  GENERATED ALWAYS AS (jixiao_bigrams(project_name || ' ' || search_text)) STORED""",
    "CREATE INDEX declaration_search_bigrams ON declarations_declaration USING gin (search_bigrams)",
    "ANALYZE declarations_declaration",
]

BACKWARD = [
    "DROP INDEX IF EXISTS declaration_search_bigrams",
    "ALTER TABLE declarations_declaration DROP COLUMN IF EXISTS search_bigrams",
    """CREATE INDEX IF NOT EXISTS declaration_search_bigrams ON declarations_declaration
  USING gin (jixiao_bigrams(project_name || ' ' || search_text))""",
]


class Migration(migrations.Migration):
    dependencies = [("declarations", "0008_bigram_search_tsvector")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
