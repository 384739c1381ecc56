"""Property tests: scoring raises nothing but jixiao errors, and scores stay within their 分值."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from eval_helpers import ind
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import JixiaoError
from jixiao.domain.model import SelfEvaluation
from jixiao.evaluation.config import REGION_RULES
from jixiao.evaluation.report import score_report
from jixiao.evaluation.scoring import evaluate, score_indicator
from jixiao.formats.json import from_dict

RULES = REGION_RULES["national"]
TARGETS = [
    "=100%",
    ">=90%",
    ">50个",
    "≤100万元",
    "<5%",
    "=0起",
    "90%-95%",
    "5~8个",
    "7天内完成",
    "当天派单",
    "3个工作日内",
    "6月底前",
    "年底完成",
    "2022年3月15日前",
    "及时",
    "提升",
    "建立健全",
    "<>@@",
]
ACTUAL_PIECES = [
    "100",
    "95",
    "0",
    "1.5",
    "735",
    "%",
    "人次",
    "个",
    "万元",
    "元",
    "天",
    "日",
    "工作日",
    "月",
    "底",
    "年",
    "2022",
    "-",
    "~",
    ">=",
    "≤",
    "及时",
    "达成",
    "部分",
    "未",
    "按时完成",
    "当天",
    "内",
    "前",
    "9" * 30,
    ".",
    "１",
    "％",
    " ",
]

actual_text = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(ACTUAL_PIECES), max_size=6).map("".join),
)
decimal_text = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=10**9).map(str),
    st.sampled_from(["0", "1e30", "90", "10", "-5", "abc"]),
)


@settings(max_examples=400, deadline=None)
@given(
    target=st.sampled_from(TARGETS),
    actual=actual_text,
    score=decimal_text,
    weight=st.decimals(min_value=0, max_value=100, places=2),
)
def test_score_indicator_raises_only_jixiao_errors(
    target: str, actual: str, score: str | None, weight: Decimal
) -> None:
    row = ind("产出指标", target, actual)
    if score is not None:
        try:
            row.score = Decimal(score)
        except Exception:
            row.score = None
    try:
        result = score_indicator(row, weight, RULES, year=2022)
    except JixiaoError as exc:
        assert exc.code.startswith("JX-E6")
        assert exc.message_zh and exc.message_en
        return
    assert result.score is not None
    assert Decimal(0) <= result.score <= weight


# Amounts stay below 10**20 元: from_dict's own rounding of larger ones is the formats area's concern.
amount_text = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=10**9).map(str),
    st.sampled_from(["0", "0.01", "90", "-5", "abc", "1" + "0" * 19]),
)

indicator_obj = st.fixed_dictionaries(
    {
        "level1": st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标", "效益", "其他"]),
        "level2": st.just(""),
        "name": st.text(min_size=1, max_size=8),
        "target": st.sampled_from(TARGETS),
        "actual": st.one_of(st.none(), actual_text),
        "weight": decimal_text,
        "score": decimal_text,
        "deviation_note": st.one_of(st.none(), st.text(max_size=5)),
    }
)


@settings(max_examples=200, deadline=None)
@given(
    indicators=st.lists(indicator_obj, max_size=6),
    initial=amount_text,
    adjusted=amount_text,
    executed=amount_text,
    rate=decimal_text,
    total=decimal_text,
)
def test_whole_documents_score_or_fail_with_our_error(
    indicators: list[dict[str, Any]],
    initial: str | None,
    adjusted: str | None,
    executed: str | None,
    rate: str | None,
    total: str | None,
) -> None:
    data = {
        "kind": "self_evaluation",
        "year": 2022,
        "project": {"name": "P"},
        "budget": {"initial": initial, "adjusted": adjusted, "executed": executed, "execution_rate": rate},
        "indicators": indicators,
        "total_score": total,
    }
    try:
        form = from_dict(data)
    except JixiaoError:
        return
    assert isinstance(form, SelfEvaluation)
    ev = evaluate(form)
    assert all(isinstance(e, JixiaoError) for e in ev.errors)
    try:
        report = score_report(form)
    except JixiaoError:
        assert not ev.ok
        return
    assert report["computed"]["grade"] in ("优", "良", "中", "差")
    # A real form is scored as printed: what the strict evaluation refuses (weights not totalling
    # 90, an actual without the target's unit) the report lists as discrepancies instead.
    listed = {d["field"] for d in report["discrepancies"]}
    for e in ev.errors:
        assert e.code in ("JX-E612", "JX-E605"), e
        assert (
            "indicators.weight" in listed
            if e.code == "JX-E612"
            else any(f.endswith(".actual") for f in listed)
        )
    weights = sum((i.weight or Decimal(0) for i in form.indicators), Decimal(0))
    assert Decimal(0) <= Decimal(report["computed"]["total_score"]) <= 10 + max(Decimal(90), weights)
