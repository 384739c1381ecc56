"""PDF in and out: pages parsed per second by our reader beside pdfplumber's bare text extraction of
the same pages in the same run, and PDFs rendered per second.

Aim: turning the pages into cell grids and interpreting them costs at most 1.5x the bare
``extract_text`` of the same pages.
"""

from __future__ import annotations

import gc
import io
import time
from collections.abc import Callable
from copy import deepcopy
from decimal import Decimal

from bench.corpus import PACKAGED_SEED, SEED

ROUNDS = 3
COPIES = 4  # the seed's 7 forms x 4 = 28 forms in one PDF


def _best_of(runs: int, func: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    """Print pages/s of our PDF reader and of bare extract_text, their ratio, and renders/s."""
    import pdfplumber

    from jixiao.formats import read_path
    from jixiao.formats.pdf import read_pdf
    from jixiao.formats.render.pdf import render_pdf

    seed = read_path(SEED if SEED.exists() else PACKAGED_SEED)
    docs = []
    for n in range(COPIES):
        for doc in seed:
            copy = deepcopy(doc)
            copy.project.name = f"{doc.project.name}（{n + 1}）"
            if copy.funding.total is not None:
                copy.funding.total += Decimal(n)
            docs.append(copy)
    data = render_pdf(docs)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)

    def bare() -> None:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()

    def ours() -> None:
        assert len(read_pdf(data, "bench.pdf")) == len(docs)

    t_bare = _best_of(ROUNDS, bare)
    t_ours = _best_of(ROUNDS, ours)
    print(f"PDF in : {pages} pages, {len(docs)} forms ({len(data) // 1024} KB)")
    print(
        f"  pdfplumber extract_text (baseline): {pages / t_bare:7.1f} pages/s  ({t_bare * 1000 / pages:.1f} ms/page)"
    )
    print(
        f"  jixiao read_pdf (tables rebuilt)  : {pages / t_ours:7.1f} pages/s  ({t_ours * 1000 / pages:.1f} ms/page)"
    )
    print(
        f"  ratio ours / baseline: {t_ours / t_bare:.2f}x  (aim <= 1.5x: {'met' if t_ours / t_bare <= 1.5 else 'NOT met'})"
    )

    single = [seed[0]]
    render_pdf(single)  # warm: fonts loaded once per process

    def render_one() -> None:
        for _ in range(10):
            render_pdf(single)

    def render_all() -> None:
        render_pdf(docs)

    t_one = _best_of(ROUNDS, render_one) / 10
    t_all = _best_of(ROUNDS, render_all)
    print(
        f"PDF out: {1 / t_one:7.1f} one-form PDFs/s ({t_one * 1000:.0f} ms each); "
        f"{len(docs)}-form PDF ({pages} pages) in {t_all:.2f} s = {pages / t_all:.0f} pages/s"
    )


if __name__ == "__main__":
    main()
