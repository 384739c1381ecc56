"""Operational records: every bound seed indicator for every month over a synthetic city-year.

Same run, same records:

* **compute**: all default bindings of the seven seed declarations (19 indicators, 15 distinct
  definitions) for each of the twelve cut-off months, with numerator and denominator, over the
  synthetic city-year (ten districts: ~4 M cases plus ~1.3 M call-backs), from the snapshot
  (cases with their call-back summary columns, as the web application stores it);
* **baseline**: one plain count of the same cases by the period (one scan, no computation);
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

import os
import resource
import signal
import tempfile
import time
from pathlib import Path

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


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}/{fifteen:.1f} on {os.cpu_count()} cores"


def main() -> None:
    """Print the figures."""
    import pyarrow.csv as pacsv

    import jixiao
    from jixiao.records.engine import RecordSet, with_callbacks
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

        started = time.perf_counter()
        data = generate(YEAR, scale=10)
        generated = time.perf_counter() - started
        n_cases, n_callbacks = data.cases.num_rows, data.callbacks.num_rows
        print(f"city-year generated: {n_cases:,} cases, {n_callbacks:,} call-backs in {generated:.1f} s")

        started = time.perf_counter()
        snapshot = with_callbacks(data.cases, data.callbacks)
        snap_s = time.perf_counter() - started

        values: list[object] = []

        def compute() -> None:
            rs = RecordSet(snapshot, data.callbacks, data.calendar)
            values.clear()
            for series in rs.series_many(bindings, YEAR):
                values.extend(series.actual(m) for m in range(1, 13))
            rs.close()

        compute_s = _best(compute, 3)
        rs = RecordSet(snapshot, data.callbacks, data.calendar)
        counted: list[int] = []
        baseline_s = _best(lambda: counted.append(rs.baseline(YEAR)), 5)
        rs.close()
        print(
            f"compute: {len(bindings)} indicators ({distinct} distinct bindings) × 12 months = {len(values)} values "
            f"over {n_cases:,} cases: {compute_s:.2f} s (aim < 3 s: {'met' if compute_s < 3 else 'NOT met'}) "
            f"[{_load()}]"
        )
        print(
            f"baseline (one plain count of the same {counted[-1]:,} cases): {baseline_s * 1000:.0f} ms; "
            f"ratio {compute_s / baseline_s:.0f}× (aim < 5×: {'met' if compute_s / baseline_s < 5 else 'NOT met'})"
        )
        print(f"snapshot (call-back summary joined to the cases, once per import): {snap_s:.2f} s")

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
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (max RSS of the bench process): {peak:,.0f} MB")
    finally:
        signal.alarm(0)


if __name__ == "__main__":
    main()
