"""Review throughput on 10,000 declarations, beside parsing the same declarations in the same run.

Aim: reviewing costs less than parsing, and batch rules grow linearly with the batch size.
The declarations vary the seven seed forms (names, amounts, targets: ``bench.corpus``) and are spread
over 40 units, as in a district; the batch rules are also timed on one unit holding everything (the
worst case for the per-unit norms). Figures are the best of a few runs in CPU time of this process
(``time.process_time``): the machine is shared, and wall time would measure the neighbours.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from bench.corpus import make_forms_text
from jixiao.domain.model import Declaration
from jixiao.formats.json import dumps, loads
from jixiao.formats.text import read_forms
from jixiao.review import review
from jixiao.review.engine import run_batch_rules, run_single_rules
from jixiao.review.lexicon import forget_rows
from jixiao.review.profiles import resolve

DECLARATIONS = 10_000
UNITS = 40
BATCH_SIZES = (1_000, 2_000, 5_000, 10_000)


def _best_of(runs: int, func: Callable[[], object], *, collector: bool = True) -> float:
    best = float("inf")
    for _ in range(runs):
        forget_rows()  # no run may profit from the rows an earlier run computed
        gc.collect()
        if not collector:
            gc.disable()
        try:
            started = time.process_time()
            func()
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


def _declarations(text: str) -> list[Declaration]:
    decls = [d for d in read_forms(text) if isinstance(d, Declaration)]
    for n, decl in enumerate(decls):
        decl.project.implementing_unit = f"上海市青浦区第{n % UNITS + 1:02d}单位"
        # Real goals differ from form to form: no cache may profit from the corpus repeating seven texts.
        decl.goals.overall = f"{decl.goals.overall or ''}（{n}）"
        decl.goals.annual = f"{decl.goals.annual or ''}（第{n}号）"
    return decls


def main() -> None:
    """Print parse, single-rule, batch-rule and whole-review figures with their ratios."""
    try:
        _run()
    finally:
        gc.unfreeze()  # `make bench` runs the next benchmark in this process
        forget_rows()


def _run() -> None:
    text = make_forms_text(DECLARATIONS)
    decls = _declarations(text)
    assert len(decls) == DECLARATIONS, len(decls)
    as_json = dumps(decls, indent=None)
    settings = resolve("shanghai-2022")
    n = len(decls)
    one_unit = {size: [_one_unit(d) for d in decls[:size]] for size in BATCH_SIZES}
    # The corpus itself (10,000 declarations, four times over) is not what is measured: keep the
    # collector from rescanning it in every timed run.
    gc.collect()
    gc.freeze()

    parse_text = _best_of(2, lambda: read_forms(text))
    parse_json = _best_of(2, lambda: loads(as_json))
    single = _best_of(3, lambda: run_single_rules(decls, settings))
    single_paused = _best_of(3, lambda: run_single_rules(decls, settings), collector=False)
    batch = _best_of(3, lambda: run_batch_rules(decls, settings))
    whole = _best_of(2, lambda: review(decls, profile="shanghai-2022"))
    singles = sum(1 for r in settings.rules if r.rule.scope == "declaration")
    batches = len(settings.rules) - singles

    print(
        f"{n:,} declarations ({sum(len(d.indicators) for d in decls):,} indicators), {UNITS} units, "
        f"profile shanghai-2022: {singles} single-declaration rules, {batches} batch rules"
    )
    print(f"  parse, text reader (baseline)  {parse_text:7.3f} s  {n / parse_text:10,.0f} decl/s")
    print(f"  parse, canonical JSON          {parse_json:7.3f} s  {n / parse_json:10,.0f} decl/s")
    print(
        f"  single-declaration rules       {single:7.3f} s  {n / single:10,.0f} decl/s  "
        f"= {single / parse_text:.2f}x text parsing"
    )
    print(
        f"    … collector paused           {single_paused:7.3f} s  {n / single_paused:10,.0f} decl/s  "
        f"= {single_paused / parse_text:.2f}x text parsing"
    )
    print(
        f"  batch rules (rows computed)    {batch:7.3f} s  {n / batch:10,.0f} decl/s  "
        f"= {batch / parse_text:.2f}x text parsing"
    )
    print(
        f"  whole review (rules+grading)   {whole:7.3f} s  {n / whole:10,.0f} decl/s  "
        f"= {whole / parse_text:.2f}x text parsing, {whole / parse_json:.2f}x JSON parsing"
    )

    # The cyclic garbage collector rescans the objects a run has made so far; with it paused, what is
    # left is the rules' own cost.
    series = (("40 units", UNITS, True), ("one unit", 1, True), ("one unit, collector paused", 1, False))
    for label, units, collector in series:
        print(f"  batch rules by batch size ({label}):")
        base_per_decl: float | None = None
        for size in BATCH_SIZES:
            subset = one_unit[size] if units == 1 else decls[:size]
            elapsed = _best_of(
                3,
                lambda subset=subset: run_batch_rules(subset, settings),  # type: ignore[misc]
                collector=collector,
            )
            per_decl = elapsed / size
            base_per_decl = base_per_decl or per_decl
            print(
                f"    {size:6,}  {elapsed:7.3f} s  {size / elapsed:10,.0f} decl/s  "
                f"time per declaration {per_decl / base_per_decl:.2f}x the 1,000 batch"
            )


def _one_unit(decl: Declaration) -> Declaration:
    from copy import copy

    out = copy(decl)
    out.project = copy(decl.project)
    out.project.implementing_unit = "上海市青浦区城市运行管理中心"
    return out


if __name__ == "__main__":
    main()
