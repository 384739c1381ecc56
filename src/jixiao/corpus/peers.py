"""The review's peer data from a corpus dataset: ``jixiao review --peers OUT`` compares with a province.

:func:`peer_benchmarks` reads the Parquet dataset of :func:`jixiao.corpus.run_corpus` with DuckDB and
returns the :class:`~jixiao.review.peers.PeerBenchmarks` the peer rules (JX-A09, JX-A10, JX-R17) read:
every declaration's numeric targets (one per project and indicator), the self-evaluations' actuals,
goal sentences and indicator sets with the units using them. The keys are the dataset's own
(``name_key``, the measure unit, the folded unit), so the rules see what ``jixiao corpus-report`` prints.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.corpus.report import connect
from jixiao.domain.targets import Target
from jixiao.review.peers import PeerBenchmarks, PeerBuilder

__all__ = ["peer_benchmarks"]


def _target(unit: str | None, value: float) -> Target:
    # The builder takes parsed targets; a dataset row already holds the parsed parts.
    return Target(text="", kind="numeric", op=">=", value=Decimal(str(value)), unit=unit or None)


def peer_benchmarks(out: str | Path) -> PeerBenchmarks:
    """Return the peer data of the corpus dataset under ``out``.

    Raises InputError JX-E173 when ``out`` is not a complete dataset (see :func:`~jixiao.corpus.report.connect`).
    """
    con = connect(out)
    builder = PeerBuilder(source=str(out))
    # One target per project and indicator: a form that lists an indicator twice counts once.
    for unit, name_key, uom, value in con.execute(
        """
        SELECT d.unit, i.name_key, coalesce(i.target_unit, ''), min(i.target_value)
        FROM indicators i JOIN documents d USING (doc_id)
        WHERE d.kind = 'declaration' AND i.target_kind = 'numeric' AND i.target_value IS NOT NULL
          AND d.unit <> ''
        GROUP BY i.doc_id, d.unit, i.name_key, coalesce(i.target_unit, '')
        """
    ).fetchall():
        builder.add_target(unit, name_key, _target(uom, value))
    for unit, year, name_key, target_unit, actual_text in con.execute(
        """
        SELECT d.unit, d.year, i.name_key, i.target_unit, i.actual_text
        FROM indicators i JOIN documents d USING (doc_id)
        WHERE d.kind = 'self_evaluation' AND i.actual_kind = 'numeric' AND d.unit <> '' AND d.year IS NOT NULL
        """
    ).fetchall():
        builder.add_actual(
            unit, year, name_key, Target(text="", kind="numeric", unit=target_unit), actual_text
        )
    for unit, overall, annual in con.execute(
        "SELECT unit, goal_overall, goal_annual FROM documents WHERE kind = 'declaration' AND unit <> ''"
    ).fetchall():
        builder.add_goal(unit, overall)
        builder.add_goal(unit, annual)
    for unit, names in con.execute(
        """
        SELECT d.unit, list(i.name_key)
        FROM indicators i JOIN documents d USING (doc_id)
        WHERE d.kind = 'declaration' AND d.unit <> ''
        GROUP BY i.doc_id, d.unit
        """
    ).fetchall():
        builder.add_indicator_set(unit, names)
    return builder.build()
