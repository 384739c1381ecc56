"""Operational records: every bound seed indicator for every month over a synthetic city-year.

Same run, same records:

* **compute**: all default bindings of the seven seed declarations (20 indicators, 16 distinct
  definitions) for each of the twelve cut-off months, with numerator and denominator, over the
  synthetic city-year (ten districts: ~4 M cases plus ~1.3 M call-backs, and ~11 M patrol logs of
  30,000 grid cells for 网格巡查区域 全覆盖), from the snapshot (cases with their call-back summary
  columns, as the web application stores it);
* **baselines**: one plain count of the same cases by the period (DuckDB reads one column,
  ``reported_at``, and tests it: a scan, not an answer from metadata, as ``EXPLAIN ANALYZE``
  shows over the Arrow table), and one scan that counts the values of every column the
  bindings read (with their stored day and month numbers): what reading the records costs;
* **snapshot**: joining the call-backs' summary to the cases (done once per import);
* **import**: a district-year of grid cases and work orders (400,000 rows) read from a CSV
  export with Chinese headers, columns mapped from the header names and every row validated;
  its baseline is pyarrow's own CSV reader parsing the same file (types inferred, no mapping, no
  checks), the least any import of that file costs.

Each figure is printed with its baseline and the ratio, and with the load averages when it ran
(the machine is shared: a figure taken at a load above the core count is slower than the code).

Bounded: fixed sizes, and a SIGALRM stops the run if it ever exceeds ``LIMIT_S``.
"""

from __future__ import annotations

import gc
import os
import resource
import signal
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jixiao.records.binding import Binding

LIMIT_S = 480  # generous: on the shared machine at load 12 on 2 cores the city-year alone took 115 s
YEAR = 2022


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError(f"bench_records exceeded {LIMIT_S} s")


def _best(fn, runs: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def _peak_mb() -> float:
    """Return the peak resident memory since the last :func:`_reset_peak` (Linux VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _stage(peaks: list[float]) -> float:
    peaks.append(_peak_mb())
    return peaks[-1]


def _reset_peak() -> None:
    """Start a stage's peak from the memory now held (Linux: writing 5 to clear_refs)."""
    gc.collect()
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores"


def _city_year(bindings: list[Binding], distinct: int, stages: list[str], peaks: list[float]) -> None:
    """Generate the city-year, snapshot it and time the compute against both baselines."""
    from jixiao.records.engine import RecordSet, with_callbacks
    from jixiao.records.synthetic import generate, patrol_logs

    _reset_peak()
    started = time.perf_counter()
    data = generate(YEAR, scale=10)
    patrols, cells = patrol_logs(YEAR, scale=10)
    generated = time.perf_counter() - started
    n_cases, n_callbacks = data.cases.num_rows, data.callbacks.num_rows
    print(
        f"city-year generated: {n_cases:,} cases, {n_callbacks:,} call-backs, {patrols.num_rows:,} patrol logs "
        f"of {cells.num_rows:,} grid cells in {generated:.1f} s"
    )
    stages.append(f"generating {_stage(peaks):,.0f} MB")

    _reset_peak()
    started = time.perf_counter()
    snapshot = with_callbacks(data.cases, data.callbacks)
    snap_s = time.perf_counter() - started
    stages.append(f"snapshot {_stage(peaks):,.0f} MB")
    held = _resident_mb()

    values: list[object] = []

    def compute() -> None:
        rs = RecordSet(snapshot, data.callbacks, data.calendar, patrols=patrols, cells=cells)
        values.clear()
        for series in rs.series_many(bindings, YEAR):
            values.extend(series.actual(m) for m in range(1, 13))
        rs.close()

    _reset_peak()
    compute_s = _best(compute, 3)
    stages.append(f"compute {_stage(peaks):,.0f} MB (records held: {held:,.0f} MB)")
    rs = RecordSet(snapshot, data.callbacks, data.calendar, patrols=patrols, cells=cells)
    counted: list[int] = []
    baseline_s = _best(lambda: counted.append(rs.baseline(YEAR)), 5)
    read: list[str] = []
    scan_s = _best(lambda: read.extend(rs.columns_baseline(bindings, YEAR)[1]), 5)
    rs.close()
    print(
        f"compute: {len(bindings)} indicators ({distinct} distinct bindings) × 12 months = {len(values)} values "
        f"over {n_cases:,} cases and {patrols.num_rows:,} patrol logs: {compute_s:.2f} s (aim < 3 s: {'met' if compute_s < 3 else 'NOT met'}) "
        f"[{_load()}]"
    )
    print(
        f"baseline 1 (one plain count of the same {counted[-1]:,} cases, one column read): {baseline_s * 1000:.0f} ms; "
        f"ratio {compute_s / baseline_s:.0f}× (aim < 5×: {'met' if compute_s / baseline_s < 5 else 'NOT met'})"
    )
    print(
        f"baseline 2 (one scan counting the {len(set(read))} columns the bindings read): {scan_s * 1000:.0f} ms; "
        f"ratio {compute_s / scan_s:.1f}× [{_load()}]"
    )
    print(f"snapshot (call-back summary joined to the cases, once per import): {snap_s:.2f} s")


def main() -> None:
    """Print the figures."""
    import pyarrow.csv as pacsv

    import jixiao
    from jixiao.records.mapping import propose_mapping
    from jixiao.records.propose import propose_binding
    from jixiao.records.reader import read_file, validate
    from jixiao.records.synthetic import generate, write_csv

    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(LIMIT_S)
    try:
        seed = Path(jixiao.__file__).parent / "data" / "demo" / "seed-2022-qingpu.txt"
        docs = jixiao.parse(seed.read_text(encoding="utf-8"))
        bindings = [
            p.binding
            for doc in docs
            for ind in doc.indicators
            if (p := propose_binding(ind.name, ind.target, doc.project.name)).binding is not None
        ]
        distinct = len({repr(b.to_dict()) for b in bindings})

        stages: list[str] = []
        peaks: list[float] = []
        # in a function of its own, so that the city-year is freed before the import is measured
        _city_year(bindings, distinct, stages, peaks)
        _reset_peak()

        district = generate(YEAR, scale=1, seed=7)
        with tempfile.TemporaryDirectory() as tmp:
            path = write_csv(district.cases, Path(tmp) / "cases.csv")
            size = path.stat().st_size

            def load() -> None:
                raw = read_file(path)
                mapping = {c.header: c.field for c in propose_mapping(raw.headers, "case") if c.field}
                validate(raw, "case", mapping)

            import_s = _best(load, 2)
            parse_s = _best(lambda: pacsv.read_csv(path), 2)
        rows = district.cases.num_rows
        print(
            f"import from CSV ({rows:,} rows, {size / 1e6:.0f} MB, Chinese headers, mapped and validated): "
            f"{rows / import_s:,.0f} records/s (aim ≥ 100,000/s: {'met' if rows / import_s >= 100_000 else 'NOT met'}) "
            f"[{_load()}]"
        )
        print(
            f"baseline (pyarrow read_csv of the same file, nothing mapped or checked): {rows / parse_s:,.0f} "
            f"records/s; ratio import/baseline {import_s / parse_s:.1f}×"
        )
        stages.append(f"import {_stage(peaks):,.0f} MB")
        # resetting the peak resets getrusage's too: the process's peak is the largest stage's
        print(
            f"peak memory of the bench process: {max(peaks):,.0f} MB; peak of each stage: {'; '.join(stages)}"
        )
    finally:
        signal.alarm(0)


if __name__ == "__main__":
    main()
