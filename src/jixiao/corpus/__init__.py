"""jixiao.corpus: analytics over a corpus of published forms (a province's, a researcher's).

:func:`run_corpus` reads every form of a tree with one pure per-file function
(:func:`~jixiao.corpus.rows.file_rows`) on Dask distributed and writes a Parquet dataset;
:mod:`jixiao.corpus.report` queries it with DuckDB (benchmarks, year over year, boilerplate).
Nothing here imports Django: a corpus is files, not the application's database.
"""

from __future__ import annotations

from jixiao.corpus.dataset import SCHEMAS, TABLES, DatasetWriter
from jixiao.corpus.rows import FileRows, file_rows
from jixiao.corpus.run import RunSummary, find_files, run_corpus

__all__ = [
    "SCHEMAS",
    "TABLES",
    "DatasetWriter",
    "FileRows",
    "RunSummary",
    "file_rows",
    "find_files",
    "run_corpus",
]
