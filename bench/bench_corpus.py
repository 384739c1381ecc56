"""`jixiao corpus` on a generated corpus: a LocalCluster of 2 workers against one process, same run.

The corpus (:func:`bench.corpus.make_corpus_tree`) is seed forms with varied names, amounts and
targets (one form a text file), and the layouts of tests/corpus as other producers made them:
openpyxl workbooks with the project names varied, extracted text and web pages varied likewise,
and the PDFs of LibreOffice and Chromium copied as they are. For each size the same files are read
twice: in this process (``workers=0``, the baseline, before any cluster exists) and on a
``LocalCluster`` of 2 worker processes (started after the baseline, its start time printed apart). Figures are wall-clock seconds per 1,000 files; the machine's load average
is printed beside them, since other work on a shared machine slows both runs.

Sizes: ``JIXIAO_BENCH_CORPUS_SIZES`` (default ``1000,10000``); 100,000 takes about ten times the
10,000 run and is left out of ``make bench`` by default.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from bench.corpus import make_corpus_tree

SIZES = tuple(int(s) for s in os.environ.get("JIXIAO_BENCH_CORPUS_SIZES", "1000,10000").split(",") if s)
WORKERS = 2


def _load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    """Print, per corpus size, seconds per 1,000 files in one process and on 2 Dask workers."""
    from distributed import Client, LocalCluster

    from jixiao.corpus import find_files, run_corpus

    print(
        f"{'files':>7} {'mix':<44} {'1 process':>10} {'s/1k':>6} {'dask x2':>8} {'s/1k':>6} {'ratio':>6}  load"
    )
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "forms"
            mix = make_corpus_tree(root, size)
            paths = find_files([root])
            load_before = _load()
            # The baseline runs before the cluster exists: a LocalCluster's scheduler runs on an
            # event loop inside this process, and its thread took the interpreter lock from the
            # baseline's reading (the baseline measured 4 to 8 times slower beside it).
            started = time.perf_counter()
            base = run_corpus([root], Path(tmp) / "one", workers=0, paths=paths)
            one = time.perf_counter() - started
            started = time.perf_counter()
            cluster = LocalCluster(
                n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=None
            )
            Client(cluster).close()
            start_s = time.perf_counter() - started
            try:
                started = time.perf_counter()
                dist = run_corpus(
                    [root],
                    Path(tmp) / "dask",
                    scheduler=cluster.scheduler_address,
                    workers=WORKERS,
                    paths=paths,
                )
                two = time.perf_counter() - started
            finally:
                cluster.close()
            same = (base.documents, base.indicators, base.findings, base.failures) == (
                dist.documents,
                dist.indicators,
                dist.findings,
                dist.failures,
            )
            mix_text = " ".join(f"{k}:{v}" for k, v in sorted(mix.items()))
            print(
                f"{size:>7} {mix_text:<44} {one:>9.1f}s {one / size * 1000:>6.2f} {two:>7.1f}s "
                f"{two / size * 1000:>6.2f} {one / two:>5.2f}x  {load_before}",
                flush=True,
            )
            print(
                f"        {base.documents} documents, {base.indicators} indicators, {base.findings} findings, "
                f"{sum(base.failures.values())} failures; dask rows {'equal' if same else 'DIFFER'}; "
                f"LocalCluster of {WORKERS} worker processes started in {start_s:.1f} s (not counted)",
                flush=True,
            )
