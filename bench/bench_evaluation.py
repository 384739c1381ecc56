"""Self-evaluation scoring throughput on 10,000 documents, beside parsing the same documents.

The baseline is the canonical JSON reader (``jixiao.formats.json.loads``) on the same 10,000
self-evaluations in the same run: scoring should not be the slow step of ``jixiao score``.
Documents vary the real 普陀 form of domain-rules.md §5.7 (amounts, actuals, 正向/反向/range/deadline
targets, qualitative rows with a score inside their band), generated with a fixed seed.
"""

from __future__ import annotations

import gc
import json
import random
import time
from collections.abc import Callable
from typing import Any

DOCUMENTS = 10_000


def _document(rng: random.Random, n: int) -> dict[str, Any]:
    adjusted = rng.randrange(10_000, 5_000_000)
    executed = round(adjusted * rng.uniform(0.3, 1.05), 2)
    satisfaction = rng.randrange(80, 101)
    visits = rng.randrange(500, 1000)
    days = rng.randrange(3, 12)
    cost = rng.randrange(80, 130)
    grade, score = rng.choice([("达成年度指标", "14"), ("及时", "15"), ("部分达成", "10")])  # bands of 15
    rows = [
        ("产出指标", "数量指标", "回访测评完成量", ">=700人次", f"{visits}人次", "15"),
        ("产出指标", "质量指标", "合同结算条款完成率", "=100%", f"{rng.randrange(85, 101)}%", "15"),
        ("产出指标", "时效指标", "工单处置时限", "7天内完成", f"{days}天", "10"),
        ("产出指标", "成本指标", "单次测评成本", "<=100元", f"{cost}元", "10"),
        ("效益指标", "社会效益指标", "热线办理质量", "90%-95%", f"{rng.randrange(85, 99)}%", "15"),
        ("效益指标", "社会效益指标", "费用结算及时性", "及时", grade, "15"),
        ("满意度指标", "服务对象满意度指标", "市民满意度", ">=90%", f"{satisfaction}%", "10"),
    ]
    return {
        "kind": "self_evaluation",
        "year": 2022,
        "project": {"name": f"项目{n:05d}", "implementing_unit": "上海市普陀区体育事业管理中心"},
        "budget": {
            "initial": f"{adjusted}.00",
            "adjusted": f"{adjusted}.00",
            "executed": f"{executed:.2f}",
            "weight": "10",
            "execution_rate": None,
            "score": None,
            "lines": {},
        },
        "goals": {"overall": None, "annual": "按合同约定完成费用结算。"},
        "outcome": "已完成。",
        "indicators": [
            {
                "level1": l1,
                "level2": l2,
                "name": name,
                "target": {"text": target},
                "actual": actual,
                "weight": weight,
                "score": score if target == "及时" else None,
                "deviation_note": "原因与措施",
            }
            for l1, l2, name, target, actual, weight in rows
        ],
        "total_score": None,
        "grade": None,
        "source": {"file": None, "form_index": n, "line": None},
        "warnings": [],
    }


def _best_of(runs: int, func: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    """Print documents/s of scoring and of canonical JSON parsing, and their ratio."""
    from jixiao.domain.model import SelfEvaluation
    from jixiao.evaluation.report import score_report
    from jixiao.evaluation.scoring import evaluate
    from jixiao.formats.json import loads

    rng = random.Random(20221231)
    text = json.dumps([_document(rng, n) for n in range(DOCUMENTS)], ensure_ascii=False)
    docs = [d for d in loads(text) if isinstance(d, SelfEvaluation)]
    assert len(docs) == DOCUMENTS
    scorable = [d for d in docs if evaluate(d).ok]
    failures = len(docs) - len(scorable)

    parse_s = _best_of(3, lambda: loads(text))
    score_s = _best_of(3, lambda: [evaluate(d) for d in docs])
    report_s = _best_of(3, lambda: [score_report(d) for d in scorable])
    print(
        f"documents: {DOCUMENTS:,} self-evaluations ({len(text.encode()) / 1e6:.1f} MB of canonical JSON), "
        f"{failures} with a scoring error"
    )
    print(f"baseline  parse (formats.json.loads): {DOCUMENTS / parse_s:10,.0f} docs/s  ({parse_s:.2f} s)")
    print(f"scoring   (evaluation.evaluate)     : {DOCUMENTS / score_s:10,.0f} docs/s  ({score_s:.2f} s)")
    print(
        f"report    (score + discrepancies)   : {len(scorable) / report_s:10,.0f} docs/s  ({report_s:.2f} s)"
    )
    print(f"ratio scoring / parsing: {parse_s / score_s:.2f}× (above 1: scoring is faster than parsing)")


if __name__ == "__main__":
    main()
