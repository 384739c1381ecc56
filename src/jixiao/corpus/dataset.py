"""The Parquet dataset of a corpus run: four tables, one directory each, written as results arrive.

``OUT/documents``, ``OUT/indicators``, ``OUT/findings`` (one row per document, per indicator, per
review finding) and ``OUT/failures`` (one row per file that could not be read, with its jixiao error
code). Each table is one or more ``part-NNNNN.parquet`` files of a fixed schema, so DuckDB, pyarrow
or pandas read a table as ``OUT/indicators/*.parquet``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from jixiao.corpus.rows import FileRows

__all__ = [
    "SCHEMAS",
    "TABLES",
    "DatasetWriter",
    "complete_dataset",
    "empty_dataset",
    "write_chunk",
]

_S, _I, _F = pa.string(), pa.int32(), pa.float64()
_MONEY = pa.decimal128(18, 2)


def _target_fields(prefix: str) -> list[tuple[str, pa.DataType]]:
    return [
        (f"{prefix}{n}", t)
        for n, t in (
            ("text", _S),
            ("kind", _S),
            ("op", _S),
            ("value", _F),
            ("unit", _S),
            ("low", _F),
            ("high", _F),
        )
    ]


SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", _S),
            ("file", _S),
            ("form", _I),
            ("kind", _S),
            ("year", _I),
            ("project_name", _S),
            ("category", _S),
            ("competent_department", _S),
            ("implementing_unit", _S),
            ("unit", _S),
            ("region", _S),
            ("province", _S),
            ("city", _S),
            ("county", _S),
            ("level", _S),
            ("funding_total", _MONEY),
            ("funding_annual", _MONEY),
            ("goal_overall", _S),
            ("goal_annual", _S),
            ("indicator_count", _I),
            ("warning_count", _I),
            ("review_score", _F),
            ("review_grade", _S),
            ("self_score", _F),
            ("self_grade", _S),
        ]
    ),
    "indicators": pa.schema(
        [
            ("doc_id", _S),
            ("position", _I),
            ("level1", _S),
            ("level2", _S),
            ("name", _S),
            ("name_key", _S),
            *_target_fields("target_"),
            *_target_fields("actual_"),
        ]
    ),
    "findings": pa.schema(
        [
            ("doc_id", _S),
            ("code", _S),
            ("family", _S),
            ("severity", _S),
            ("field", _S),
            ("indicator", _S),
            ("indicator_position", _I),
            ("message_zh", _S),
            ("message_en", _S),
        ]
    ),
    "failures": pa.schema([("file", _S), ("code", _S), ("message_zh", _S), ("message_en", _S)]),
}
TABLES: tuple[str, ...] = tuple(SCHEMAS)


class DatasetWriter:
    """Append the rows of files to the four tables under ``out``, a part file every ``rows_per_part``.

    ``out`` is emptied of earlier tables first, so a rerun never mixes two runs' rows.
    """

    def __init__(self, out: Path, rows_per_part: int = 50_000) -> None:
        self.out = out
        self.rows_per_part = rows_per_part
        self._buffers: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self._parts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        empty_dataset(out)

    def add(self, results: Iterable[FileRows]) -> None:
        """Buffer the rows of ``results``; write a part of a table when its buffer is full."""
        for r in results:
            self._buffers["documents"].extend(r.documents)
            self._buffers["indicators"].extend(r.indicators)
            self._buffers["findings"].extend(r.findings)
            if r.failure is not None:
                self._buffers["failures"].append(r.failure)
        for table, rows in self._buffers.items():
            if len(rows) >= self.rows_per_part:
                self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._buffers[table]
        path = self.out / table / f"part-{self._parts[table]:05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), path, compression="zstd")
        self._parts[table] += 1
        self.counts[table] += len(rows)
        self._buffers[table] = []

    def close(self) -> dict[str, int]:
        """Write what is buffered (every table gets at least one part, maybe empty); return row counts."""
        for table, rows in self._buffers.items():
            if rows or self._parts[table] == 0:
                self._flush(table)
        return dict(self.counts)


def empty_dataset(out: Path) -> None:
    """Empty (or make) the four table folders under ``out``: a rerun never mixes two runs' rows."""
    for table in TABLES:
        shutil.rmtree(out / table, ignore_errors=True)
        (out / table).mkdir(parents=True, exist_ok=True)


def _rows_of(results: Iterable[FileRows]) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    for r in results:
        rows["documents"].extend(r.documents)
        rows["indicators"].extend(r.indicators)
        rows["findings"].extend(r.findings)
        if r.failure is not None:
            rows["failures"].append(r.failure)
    return rows


def _chunk_path(out: Path, table: str, start: int) -> Path:
    return out / table / f"chunk-{start:08d}.parquet"


def write_chunk(out: Path, start: int, results: Iterable[FileRows]) -> dict[str, int]:
    """Write the rows of the files from number ``start`` on as one part per table, named by ``start``.

    What a job's chunk writes; done again (a retry after a crash), it replaces its own parts, never
    adds a second copy. Parts of a later start (left by a chunk that was cut off and not committed)
    are removed first, so the dataset holds each file's rows once whatever the chunk sizes. Each part
    is written beside its place and renamed into it: a reader never sees half a file.
    """
    counts = {}
    for table, rows in _rows_of(results).items():
        for stale in (out / table).glob("chunk-*.parquet"):
            key = stale.stem.removeprefix("chunk-")
            if key.isdigit() and int(key) >= start:
                stale.unlink()
        counts[table] = len(rows)
        if rows:
            path = _chunk_path(out, table, start)
            tmp = path.with_suffix(".tmp")
            pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), tmp, compression="zstd")
            tmp.replace(path)
    return counts


def complete_dataset(out: Path) -> None:
    """Give every table with no part an empty one (``OUT/table/*.parquet`` must match a file)."""
    for table in TABLES:
        if not any((out / table).glob("*.parquet")):
            pq.write_table(SCHEMAS[table].empty_table(), out / table / "chunk-empty.parquet")
