"""OCR of scans: pages per second at 150 dpi beside rendering the same page alone, and peak memory.

The page is the seed's first form in the official layout (A4). The baseline is pdfium rendering
that page to a 150 dpi image, which any scan reader pays at least once; the figures are OCR into
a grid, OCR through to the documents, and a seven-page image-only PDF read with one worker and
with one worker per core. Peak memory is the resident set of a process that does only this
(measured in a child process, so that the other benchmarks' memory does not count).
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable

from bench.corpus import PACKAGED_SEED, SEED

DPI = 150
ROUNDS = 3


def _best_of(runs: int, func: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def _measure() -> dict[str, float]:
    import numpy as np
    import pypdfium2
    from PIL import Image

    from jixiao.formats import read_path
    from jixiao.formats.render.pdf import render_pdf
    from jixiao.formats.scan import read_image, read_scanned_pdf, scan_grids

    seed = read_path(SEED if SEED.exists() else PACKAGED_SEED)
    pdf = render_pdf(seed)

    def render_page() -> np.ndarray:
        doc = pypdfium2.PdfDocument(pdf)
        try:
            return np.asarray(doc[0].render(scale=DPI / 72).to_pil().convert("RGB"))
        finally:
            doc.close()

    page = render_page()
    buf = io.BytesIO()
    Image.fromarray(page).save(buf, format="PNG")
    png = buf.getvalue()
    doc = pypdfium2.PdfDocument(pdf)
    images = [
        Image.fromarray(np.asarray(doc[i].render(scale=DPI / 72).to_pil().convert("RGB"))) for i in range(7)
    ]
    doc.close()
    scanned = io.BytesIO()
    images[0].save(scanned, format="PDF", save_all=True, append_images=images[1:], resolution=DPI)
    scanned_pdf = scanned.getvalue()

    read_image(png, "warm.png")  # models loaded once per process
    t_render = _best_of(ROUNDS, render_page)
    t_grid = _best_of(ROUNDS, lambda: scan_grids(png, "bench.png"))
    t_docs = _best_of(ROUNDS, lambda: read_image(png, "bench.png"))
    os.environ["JIXIAO_OCR_WORKERS"] = "1"
    t_pdf_1 = _best_of(1, lambda: read_scanned_pdf(scanned_pdf, "bench.pdf"))
    del os.environ["JIXIAO_OCR_WORKERS"]
    t_pdf_n = _best_of(1, lambda: read_scanned_pdf(scanned_pdf, "bench.pdf"))
    return {
        "width": page.shape[1],
        "height": page.shape[0],
        "render": t_render,
        "grid": t_grid,
        "docs": t_docs,
        "pdf_1": t_pdf_1,
        "pdf_n": t_pdf_n,
        "cores": os.cpu_count() or 1,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    """Print the figures measured in a child process."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_ocr", "--child"], check=True, capture_output=True, text=True
    ).stdout
    m = json.loads(out.strip().splitlines()[-1])
    print(f"OCR at {DPI} dpi, one A4 page ({m['width']:.0f}x{m['height']:.0f} px), best of {ROUNDS}:")
    print(
        f"  render the page alone (baseline): {1 / m['render']:7.2f} pages/s  ({m['render'] * 1000:.0f} ms/page)"
    )
    print(
        f"  OCR into a grid                 : {1 / m['grid']:7.2f} pages/s  ({m['grid'] * 1000:.0f} ms/page)"
    )
    print(
        f"  OCR through to documents        : {1 / m['docs']:7.2f} pages/s  ({m['docs'] * 1000:.0f} ms/page)"
    )
    print(f"  ratio OCR / render: {m['docs'] / m['render']:.0f}x")
    print(
        f"  7-page image-only PDF: {7 / m['pdf_1']:.2f} pages/s on 1 worker, "
        f"{7 / m['pdf_n']:.2f} pages/s on {m['cores']:.0f} (one per core)"
    )
    print(f"  peak memory (resident, OCR process alone): {m['peak_mb']:.0f} MB")


if __name__ == "__main__" and "--child" in sys.argv:
    print(json.dumps(_measure()))
