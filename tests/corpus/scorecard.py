"""Print, per layout and producer, how many fields jixiao reads exactly, warns about, or gets silently wrong.

    .venv/bin/python tests/corpus/scorecard.py [-v]

``-v`` lists each difference. The figures are the ones the closing note of the reading work quotes.

    .venv/bin/python tests/corpus/scorecard.py --record 'LAYOUT/PRODUCER-GLOB' 'REASON'

writes the current silent differences of the matching files into their layout's ``known_misses``
with that reason (a refused file as ``"*"``), replacing what was recorded for those files. Use it
only with a reason you checked, when a reader cannot yet do better: the corpus test then fails on
any new silent error. ``--record 'GLOB' ''`` clears the entries of the matching files.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus_compare import HERE, PRODUCERS, FileResult, cases, compare_file, expected_of, matches  # noqa: E402


def record(pattern: str, reason: str) -> None:
    """Replace the known misses of the files matching ``pattern`` by their current silent errors."""
    by_layout: dict[str, list[FileResult]] = {}
    for layout, producer in cases():
        if fnmatch.fnmatchcase(f"{layout}/{producer}", pattern):
            by_layout.setdefault(layout, []).append(compare_file(layout, producer))
    for layout, results in by_layout.items():
        producers = {r.producer for r in results}
        misses = [m for m in expected_of(layout).get("known_misses", []) if m["file"] not in producers]
        if reason:
            for r in results:
                fields = ["*"] if r.error else sorted({d.path for d in r.silent} | {d.path for d in r.known})
                if fields:
                    misses.append({"file": r.producer, "fields": fields, "reason": reason})
        path = HERE / layout / "expected.json"
        text = path.read_text(encoding="utf-8")
        block = ",\n".join("    " + json.dumps(m, ensure_ascii=False) for m in misses)
        new = f'"known_misses": [\n{block}\n  ]\n}}\n' if misses else '"known_misses": []\n}\n'
        start = text.index('"known_misses":')
        text = text[:start] + new
        path.write_text(text, encoding="utf-8")
        json.loads(text)
        print(f"{layout}: {len(misses)} known-miss entries")


def _row(r: FileResult) -> str:
    status = f"refused {r.error}" if r.error else ""
    return (
        f"{r.layout:<26} {r.producer:<22} {r.fields:>6} {r.exact:>6} {len(r.warned):>6} {len(r.known):>6} "
        f"{len(r.silent):>7}  {status}"
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--record"] and len(argv) == 3:
        record(argv[1], argv[2])
        return 0
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
    print(f"{'by layout':<49} {'fields':>6} {'exact':>6} {'warned':>6} {'known':>6} {'silent':>7}")
    for layout in sorted({r.layout for r in results}):
        rs = [r for r in results if r.layout == layout]
        print(
            f"{layout:<49} {sum(r.fields for r in rs):>6} {sum(r.exact for r in rs):>6} "
            f"{sum(len(r.warned) for r in rs):>6} {sum(len(r.known) for r in rs):>6} {sum(len(r.silent) for r in rs):>7}"
        )
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
        print(f"refused: {len(refused)} files ({sum(1 for r in refused if not r.known_error)} not known)")
    stale = 0
    for layout in {r.layout for r in results}:
        for miss in expected_of(layout).get("known_misses", []):
            for pattern in miss["fields"]:
                hit = [
                    r
                    for r in results
                    if r.layout == layout
                    and fnmatch.fnmatchcase(r.producer, miss["file"])
                    and (r.error if pattern == "*" else any(matches(d.path, pattern) for d in r.known))
                ]
                stale += not hit
    if stale:
        print(f"known misses that no longer miss: {stale} (re-record them)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
