"""Print, per layout and producer, how many fields jixiao reads exactly, warns about, or gets silently wrong.

    .venv/bin/python tests/corpus/scorecard.py [-v]

``-v`` lists each difference. The figures are the ones the closing note of the reading work quotes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_compare import PRODUCERS, FileResult, cases, compare_file  # noqa: E402


def _row(r: FileResult) -> str:
    status = f"refused {r.error}" if r.error else ""
    return (
        f"{r.layout:<26} {r.producer:<22} {r.fields:>6} {r.exact:>6} {len(r.warned):>6} {len(r.known):>6} "
        f"{len(r.silent):>7}  {status}"
    )


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    results = [compare_file(layout, producer) for layout, producer in cases()]
    print(
        f"{'layout':<26} {'producer':<22} {'fields':>6} {'exact':>6} {'warned':>6} {'known':>6} {'silent':>7}"
    )
    for r in results:
        print(_row(r))
        if verbose:
            for d in r.diffs:
                tag = "warned" if d.warned else ("known" if d.known else "SILENT")
                print(f"    {tag:<6} {d.path}: expected {d.expected!r}, read {d.got!r}")
    print()
    print(f"{'by producer':<49} {'fields':>6} {'exact':>6} {'warned':>6} {'known':>6} {'silent':>7}")
    for producer in PRODUCERS:
        rs = [r for r in results if r.producer == producer]
        print(
            f"{producer:<49} {sum(r.fields for r in rs):>6} {sum(r.exact for r in rs):>6} "
            f"{sum(len(r.warned) for r in rs):>6} {sum(len(r.known) for r in rs):>6} {sum(len(r.silent) for r in rs):>7}"
        )
    total = (
        sum(r.fields for r in results),
        sum(r.exact for r in results),
        sum(len(r.warned) for r in results),
        sum(len(r.known) for r in results),
        sum(len(r.silent) for r in results),
    )
    print(
        f"{'all ' + str(len(results)) + ' files':<49} {total[0]:>6} {total[1]:>6} {total[2]:>6} {total[3]:>6} {total[4]:>7}"
    )
    refused = [r for r in results if r.error]
    if refused:
        print(f"refused: {len(refused)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
