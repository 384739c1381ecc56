"""A corpus run: find the files of a tree, read each with :func:`file_rows` on Dask, write Parquet.

The files go to the workers in small batches (one task per ``batch`` files: a task per file would
spend more on scheduling than on reading a short text form); results are written as they arrive, in
completion order. ``workers=0`` reads in this process without Dask (the benchmark's baseline, and
small runs). With ``scheduler`` the run uses an existing cluster; its workers must see the same paths
(a shared file system).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.corpus.dataset import DatasetWriter
from jixiao.corpus.rows import FileRows, files_rows
from jixiao.domain.errors import InputError, Location

__all__ = ["FORM_SUFFIXES", "RunSummary", "corpus_files", "find_files", "run_corpus"]

# The suffixes of the formats the readers know (jixiao.formats.READERS); the readers recognise a
# file by its content, the suffix only decides which files of a tree are candidates.
FORM_SUFFIXES: frozenset[str] = frozenset(
    {
        ".txt",
        ".json",
        ".xlsx",
        ".xlsm",
        ".xls",
        ".pdf",
        ".docx",
        ".html",
        ".htm",
        ".png",
        ".jpg",
        ".jpeg",
        ".tif",
        ".tiff",
    }
)


@dataclass(slots=True)
class RunSummary:
    """What a run read: files, documents, indicators, findings, and failures by error code."""

    files: int = 0
    documents: int = 0
    indicators: int = 0
    findings: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    workers: int = 0
    seconds: float = 0.0

    def add(self, r: FileRows) -> None:
        """Count one file's rows."""
        self.files += 1
        self.documents += len(r.documents)
        self.indicators += len(r.indicators)
        self.findings += len(r.findings)
        if r.failure is not None:
            self.failures[r.failure["code"]] += 1


def find_files(folders: Iterable[str | Path]) -> list[str]:
    """Return every candidate form file under ``folders`` (hidden files and folders skipped), sorted.

    A folder that does not exist raises InputError JX-E101; a plain file is taken as it is.
    """
    found: list[str] = []
    for folder in folders:
        root = Path(folder)
        if root.is_file():
            found.append(str(root))
            continue
        if not root.is_dir():
            raise InputError("目录不存在", "no such folder", code="JX-E101", where=Location(file=str(folder)))
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found.extend(
                os.path.join(dirpath, name)
                for name in filenames
                if not name.startswith(".") and Path(name).suffix.lower() in FORM_SUFFIXES
            )
    return sorted(found)


def corpus_files(folders: Iterable[str | Path]) -> list[str]:
    """Return the form files under ``folders`` (:func:`find_files`); InputError JX-E101 for a folder
    that does not exist, JX-E170 when they hold no form file at all."""
    folders = list(folders)
    files = find_files(folders)
    if not files:
        raise InputError(
            "目录中没有可读取的表格文件",
            "the folders hold no form file the readers know",
            code="JX-E170",
            where=Location(file=", ".join(str(f) for f in folders)),
        )
    return files


def _batches(paths: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(paths), size):
        yield paths[start : start + size]


def _distributed(
    paths: list[str], profile: str, scheduler: str | None, workers: int, batch: int, processes: bool
) -> Iterator[list[FileRows]]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        # One thread per worker process: the readers are pure Python and hold the GIL. The scheduler's
        # HTTP server takes any free port: several runs share one machine, 8787 may be taken.
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=":0"
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise InputError(
                f"无法连接 Dask 调度器：{exc}",
                f"cannot connect to the Dask scheduler: {exc}",
                code="JX-E171",
                where=Location(file=scheduler),
            ) from None
    try:
        futures = [client.submit(files_rows, chunk, profile, pure=False) for chunk in _batches(paths, batch)]
        for future in as_completed(futures):
            yield future.result()
            future.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_corpus(
    folders: Iterable[str | Path],
    out: str | Path,
    *,
    profile: str = "shanghai-2022",
    scheduler: str | None = None,
    workers: int = 2,
    batch: int | None = None,
    processes: bool = True,
    progress: Callable[[int, int], None] | None = None,
    paths: list[str] | None = None,
) -> RunSummary:
    """Read every form under ``folders`` into the Parquet dataset under ``out``; return the summary.

    ``workers`` worker processes on a local cluster, or the cluster at ``scheduler``; ``workers=0``
    reads in this process; ``processes=False`` runs the local workers as threads (tests).
    ``batch`` files go to a worker per task (default: about eight tasks per worker, at most 50
    files each). ``progress(done, total)`` is called after each batch of files. A file that
    cannot be read is a failure row, never the end of the run.
    """
    import time

    from jixiao.review.profiles import resolve

    resolve(profile, None)  # an unknown profile is the user's error, not one failure per file
    started = time.perf_counter()
    files = corpus_files(folders) if not paths else paths
    if batch is None:
        batch = max(1, min(50, len(files) // (max(workers, 1) * 8)))
    writer = DatasetWriter(Path(out))
    summary = RunSummary(workers=workers)
    if workers == 0 and scheduler is None:
        results: Iterator[list[FileRows]] = (files_rows(chunk, profile) for chunk in _batches(files, batch))
    else:
        results = _distributed(files, profile, scheduler, workers, batch, processes)
    for chunk in results:
        writer.add(chunk)
        for r in chunk:
            summary.add(r)
        if progress is not None:
            progress(summary.files, len(files))
    writer.close()
    summary.seconds = time.perf_counter() - started
    return summary
