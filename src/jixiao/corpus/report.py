"""Corpus analytics with DuckDB over the Parquet dataset of :func:`jixiao.corpus.run_corpus`.

Each function takes the dataset's folder and returns plain rows (dicts), so the CLI prints them and
tests check them. DuckDB reads Parquet with its built-in reader; no extension is loaded.

* :func:`benchmarks`: per normalised indicator name and measure unit, the distribution of numeric
  targets (n, units, min, p10, median, p90, max), overall or by region, level, year or unit;
* :func:`low_balled`: a declared target below the unit's own actual of the year before, as its
  self-evaluation reported it (a target with no pressure, 财预〔2015〕88号 第二十五条 适当性);
* :func:`unchanged`: a project's target written the same for three years running;
* :func:`boilerplate`: a goal sentence, or a whole indicator set, found in many units' forms.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from jixiao.corpus.dataset import TABLES
from jixiao.domain.errors import InputError, Location

__all__ = [
    "BY",
    "benchmarks",
    "boilerplate",
    "connect",
    "failures",
    "indicator_sets",
    "low_balled",
    "unchanged",
]

# The dimensions a benchmark can be broken down by: the documents' columns.
BY: dict[str, str] = {"region": "d.region", "level": "d.level", "year": "d.year", "unit": "d.unit"}


def connect(out: str | Path) -> duckdb.DuckDBPyConnection:
    """Return an in-memory DuckDB connection with one view per table of the dataset under ``out``.

    Raises InputError JX-E173 when a table is missing (not a corpus dataset, or a run cut short).
    """
    root = Path(out)
    con = duckdb.connect(
        ":memory:", config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    for table in TABLES:
        parts = sorted((root / table).glob("*.parquet"))
        if not parts:
            raise InputError(
                f"语料数据集缺少「{table}」表（应由 jixiao corpus 生成）",
                f"the corpus dataset has no '{table}' table (made by jixiao corpus)",
                code="JX-E173",
                where=Location(file=str(root / table)),
            )
        files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in parts)
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet([{files}])")
    return con


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def benchmarks(
    out: str | Path, by: str | None = None, min_count: int = 1, kind: str = "declaration"
) -> list[dict[str, Any]]:
    """Return the distribution of numeric targets per normalised name and measure unit (and ``by``).

    Only ``numeric`` targets count (``>=95%``, ``=100个``); a range or a deadline is not a point on
    one scale. The targets are those of the documents of ``kind`` (declarations by default: a
    self-evaluation repeats its declaration's targets, counting both would count a project twice).
    Rows are ordered by count, name, unit and group; ``min_count`` drops thin groups.
    """
    group = BY[by] if by else "NULL"
    con = connect(out)
    return _rows(
        con,
        f"""
        SELECT i.name_key AS name, coalesce(i.target_unit, '') AS unit_of_measure,
               {group} AS grp,
               count(*) AS n, count(DISTINCT d.unit) AS units,
               min(i.target_value) AS min,
               quantile_cont(i.target_value, 0.1) AS p10,
               median(i.target_value) AS median,
               quantile_cont(i.target_value, 0.9) AS p90,
               max(i.target_value) AS max
        FROM indicators i JOIN documents d USING (doc_id)
        WHERE i.target_kind = 'numeric' AND i.target_value IS NOT NULL AND d.kind = ?
        GROUP BY ALL
        HAVING count(*) >= ?
        ORDER BY n DESC, name, unit_of_measure, grp NULLS FIRST
        """,
        [kind, min_count],
    )


def low_balled(out: str | Path) -> list[dict[str, Any]]:
    """Return declared targets set below the same unit's actual of the previous year.

    The actual is the 实际完成值 of the unit's self-evaluation of year − 1 for the same normalised
    indicator in the same measure unit; for a 反向 target (``<=``) "below" means above the actual.
    """
    con = connect(out)
    return _rows(
        con,
        """
        WITH decl AS (
            SELECT d.unit, d.year, d.project_name, i.name_key, i.target_text, i.target_op,
                   i.target_value, coalesce(i.target_unit, '') AS u
            FROM indicators i JOIN documents d USING (doc_id)
            WHERE d.kind = 'declaration' AND i.target_kind = 'numeric' AND i.target_value IS NOT NULL
        ), act AS (
            SELECT d.unit, d.year, i.name_key, max(i.actual_value) AS actual_value,
                   coalesce(i.actual_unit, i.target_unit, '') AS u, any_value(i.actual_text) AS actual_text
            FROM indicators i JOIN documents d USING (doc_id)
            WHERE d.kind = 'self_evaluation' AND i.actual_kind = 'numeric' AND i.actual_value IS NOT NULL
            GROUP BY ALL
        )
        SELECT decl.unit, decl.year, decl.project_name, decl.name_key AS name, decl.target_text AS target,
               act.actual_text AS previous_actual, decl.target_value, act.actual_value
        FROM decl JOIN act
          ON act.unit = decl.unit AND act.year = decl.year - 1 AND act.name_key = decl.name_key
         AND act.u = decl.u
        WHERE (decl.target_op IN ('>=', '>', '=') AND decl.target_value < act.actual_value)
           OR (decl.target_op IN ('<=', '<') AND decl.target_value > act.actual_value)
        ORDER BY decl.unit, decl.year, name
        """,
    )


def unchanged(out: str | Path, years: int = 3) -> list[dict[str, Any]]:
    """Return a project's indicator whose declared target text is the same ``years`` years running.

    The project is the unit and the project name; each row is the last year of the run.
    """
    con = connect(out)
    return _rows(
        con,
        """
        WITH per_year AS (
            SELECT d.unit, d.project_name, i.name_key, d.year, min(i.target_text) AS target
            FROM indicators i JOIN documents d USING (doc_id)
            WHERE d.kind = 'declaration' AND d.year IS NOT NULL
            GROUP BY ALL
        ), runs AS (
            SELECT *, year - row_number() OVER (PARTITION BY unit, project_name, name_key, target ORDER BY year) AS run
            FROM per_year
        )
        SELECT unit, project_name, name_key AS name, target, min(year) AS first_year, max(year) AS last_year,
               count(*) AS years
        FROM runs
        GROUP BY unit, project_name, name_key, target, run
        HAVING count(*) >= ?
        ORDER BY unit, project_name, name
        """,
        [years],
    )


def boilerplate(out: str | Path, min_units: int = 3, min_chars: int = 12) -> list[dict[str, Any]]:
    """Return goal sentences (项目总目标 / 年度总目标) written alike in ``min_units`` or more units.

    Goals are split into sentences at 。；！ and line breaks, numbering such as ``1.`` or ``（2）``
    dropped; sentences shorter than ``min_chars`` characters are too generic to mean copying.
    """
    con = connect(out)
    return _rows(
        con,
        r"""
        WITH goals AS (
            SELECT doc_id, unit, goal_overall AS goal FROM documents WHERE goal_overall IS NOT NULL
            UNION ALL
            SELECT doc_id, unit, goal_annual FROM documents WHERE goal_annual IS NOT NULL
        ), sentences AS (
            SELECT DISTINCT doc_id, unit,
                   regexp_replace(trim(s), '^(?:[（(]?[0-9一二三四五六七八九十]{1,2}[)）.、．]|[①-⑳])', '') AS sentence
            FROM goals, unnest(regexp_split_to_array(goal, '[。；;！!？?\n]')) AS t(s)
        )
        SELECT sentence, count(DISTINCT unit) AS units, count(DISTINCT doc_id) AS documents,
               list(DISTINCT unit ORDER BY unit)[1:5] AS example_units
        FROM sentences
        WHERE length(sentence) >= ? AND unit <> ''
        GROUP BY sentence
        HAVING count(DISTINCT unit) >= ?
        ORDER BY units DESC, sentence
        """,
        [min_chars, min_units],
    )


def indicator_sets(out: str | Path, min_units: int = 3) -> list[dict[str, Any]]:
    """Return whole indicator sets (the normalised names of a form) used by ``min_units`` or more units."""
    con = connect(out)
    return _rows(
        con,
        """
        WITH sets AS (
            SELECT i.doc_id, d.unit, string_agg(DISTINCT i.name_key, '、' ORDER BY i.name_key) AS names,
                   count(DISTINCT i.name_key) AS size
            FROM indicators i JOIN documents d USING (doc_id)
            WHERE d.unit <> ''
            GROUP BY i.doc_id, d.unit
        )
        SELECT names, any_value(size) AS size, count(DISTINCT unit) AS units, count(*) AS documents
        FROM sets
        WHERE size >= 3
        GROUP BY names
        HAVING count(DISTINCT unit) >= ?
        ORDER BY units DESC, names
        """,
        [min_units],
    )


def failures(out: str | Path) -> list[dict[str, Any]]:
    """Return the number of failed files per jixiao error code."""
    con = connect(out)
    return _rows(con, "SELECT code, count(*) AS files FROM failures GROUP BY code ORDER BY files DESC, code")
