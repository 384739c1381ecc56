"""Text-reader throughput on 10,000 forms, beside reading the same bytes and splitting them into lines.

Aim: at least 3,000 forms/s on one core through the grid and the interpreter (the line reader
that came before read 6,390), under 300 MB. Times are CPU times of this process (one core), so that
other work on a shared machine does not count against the reader.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import make_forms_text

FORMS = 10_000


def _best_of(runs: int, func: object) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        started = time.process_time()
        func()  # type: ignore[operator]
        best = min(best, time.process_time() - started)
    return best


def _peak_rss_mb(path: Path) -> tuple[float, float]:
    """Return (baseline, reading) peak RSS in MB, each measured in a fresh process."""
    # VmHWM (peak resident set) of this process only: ru_maxrss would carry the parent's peak
    # across fork and exec.
    code = (
        "import re, sys\n"
        "def hwm(): return int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
        "from jixiao.formats import read_path\n"
        "base = hwm()\n"
        "docs = read_path(sys.argv[1]) if sys.argv[2] == 'read' else None\n"
        "print(base, hwm())\n"
    )
    base_kb, read_kb = map(
        int,
        subprocess.run(
            [sys.executable, "-c", code, str(path), "read"], capture_output=True, text=True, check=True
        ).stdout.split(),
    )
    return base_kb / 1024, read_kb / 1024


def main() -> None:
    """Print forms/s of the text reader and of the baseline, their ratio, and peak memory."""
    from jixiao.formats import read_path

    text = make_forms_text(FORMS)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "forms.txt"
        path.write_text(text, encoding="utf-8")
        size_mb = path.stat().st_size / 1024 / 1024

        def baseline() -> None:
            path.read_bytes().decode("utf-8").split("\n")

        def reader() -> None:
            docs = read_path(path)
            assert len(docs) == FORMS

        base = _best_of(3, baseline)
        read = _best_of(3, reader)
        start_mb, peak_mb = _peak_rss_mb(path)
    one, five, fifteen = os.getloadavg()
    print(
        f"file: {FORMS} forms, {size_mb:.1f} MB [load {one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores]"
    )
    print(f"baseline (read bytes + split lines): {base * 1000:8.1f} ms  = {FORMS / base:12,.0f} forms/s")
    print(f"text reader (jixiao.formats.text):   {read * 1000:8.1f} ms  = {FORMS / read:12,.0f} forms/s")
    print(
        f"ratio reader/baseline: {read / base:.0f}x; aim >= 3,000 forms/s: "
        f"{'met' if FORMS / read >= 3000 else 'NOT met'}"
    )
    print(
        f"peak RSS reading the file: {peak_mb:.0f} MB (interpreter + imports alone: {start_mb:.0f} MB); "
        f"aim < 300 MB: {'met' if peak_mb < 300 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
