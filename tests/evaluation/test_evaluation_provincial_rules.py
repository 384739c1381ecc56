"""The two scoring rules of the provincial platforms (domain-rules.md §10), off by default:

* ``over_achievement_deduction``: a target beaten by 30 % or more was set too low and loses points
  (one platform manual: 2 points), shown beside the indicator's score with the reason;
* ``execution_cap``: the total held to a cap by the budget execution rate (70–80 % → at most 89,
  60–70 % → 79, below 60 % → 69, below 50 % → 59), shown as a line of the score table.

Every number below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from click.testing import CliRunner
from eval_helpers import doc, ind
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.cli import main
from jixiao.domain.provenance import Choice, Provenance
from jixiao.evaluation.config import (
    REGION_RULES,
    SCORING_OPTIONS,
    ExecutionCap,
    RegionRules,
    with_options,
)
from jixiao.evaluation.render_html import self_evaluation_table
from jixiao.evaluation.report import advisories, format_text, score_report
from jixiao.evaluation.scoring import cap_words, deduction_words, evaluate, score_indicator
from jixiao.formats.json import to_dict

D = Decimal
NATIONAL = REGION_RULES["national"]
DEDUCT = with_options("national", {"over_achievement_deduction": "deduct"})
CAPPED = with_options("national", {"execution_cap": "capped"})


def _row(target: str, actual: str, rules: RegionRules, weight: str = "20"):  # type: ignore[no-untyped-def]
    return score_indicator(ind("产出指标", target, actual), D(weight), rules)


# --- the deviation deduction -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "off", "on"),
    [
        # ≥100人次, actual 140: 140 ≥ 1.3 × 100, far exceeded → 20 − 2 = 18.00 when the region deducts.
        (">=100人次", "140人次", "20.00", "18.00"),
        # exactly 130 = 1.3 × 100 is "30% or more" → 18.00.
        (">=100人次", "130人次", "20.00", "18.00"),
        # 129 < 130: beaten, not by 30 % → full 20 either way.
        (">=100人次", "129人次", "20.00", "20.00"),
        # ≤100万元 (a limit), actual 70: 70 ≤ (2 − 1.3) × 100 = 70, 30 % below the limit → 18.00.
        ("<=100万元", "70万元", "20.00", "18.00"),
        # ≤100万元, actual 71: 29 % below → no deduction.
        ("<=100万元", "71万元", "20.00", "20.00"),
        # ≥100, actual 80: short, scored 20 × 80/100 = 16.00; a shortfall is never a "set too low".
        (">=100人次", "80人次", "16.00", "16.00"),
        # =100% is an equal target: 130 % of it is far exceeded under the default all-signs scope → 18.00.
        ("=100%", "130%", "20.00", "18.00"),
    ],
)
def test_a_far_exceeded_target_loses_the_regions_points(target: str, actual: str, off: str, on: str) -> None:
    assert _row(target, actual, NATIONAL).score == D(off)
    row = _row(target, actual, DEDUCT)
    assert row.score == D(on)
    assert row.deduction == (D(off) - D(on) if off != on else None)


def test_the_deduction_is_written_beside_the_score_with_its_reason() -> None:
    over = _row(">=100人次", "140人次", DEDUCT)
    assert deduction_words(over, DEDUCT) == (
        "偏离扣 2.00 分：实际完成值超过目标值 30% 及以上，目标设定偏低【地方系统或表格做法】"
    )
    assert "2.00 points off for deviation: the actual is 30% or more above the target" in (
        deduction_words(over, DEDUCT, "en") or ""
    )
    # A ≤ target: "exceeding" is being far below the limit, and the reason says so.
    below = _row("<=100万元", "60万元", DEDUCT)
    assert "实际完成值低于目标上限 30% 及以上" in (deduction_words(below, DEDUCT) or "")
    assert deduction_words(_row(">=100人次", "140人次", NATIONAL), NATIONAL) is None


def test_the_deduction_follows_the_scope_option() -> None:
    # With over_achievement_scope=at-least only ≥ and > targets count as far exceeded: ≤ 60 keeps 20.
    both = with_options(
        "national", {"over_achievement_deduction": "deduct", "over_achievement_scope": "at-least"}
    )
    assert _row("<=100万元", "60万元", both).score == D("20.00")
    assert _row(">=100人次", "140人次", both).score == D("18.00")


def test_the_deduction_never_takes_a_row_below_zero_and_a_region_sets_its_amount() -> None:
    # Weight 1.5, far exceeded: the 2 points are more than the row has → 0.00 (1.50 deducted).
    row = _row(">=100人次", "200人次", DEDUCT, weight="1.5")
    assert (row.score, row.deduction) == (D("0.00"), D("1.50"))
    # A region's own amount (a Choice with its basis): 1 point → 20 − 1 = 19.00.
    one = Choice(
        "deduct-1",
        "扣 1 分",
        "1 point off",
        Provenance("provincial", "某省评价办法：指标偏离扣 1 分", region="某省"),
        D(1),
    )
    own = replace(NATIONAL, key="own", options={"over_achievement_deduction": one})
    assert _row(">=100人次", "140人次", own).score == D("19.00")
    with pytest.raises(ValueError, match="positive amount"):
        replace(NATIONAL, options={"over_achievement_deduction": replace(one, value=D(0))})


def test_a_deducted_row_still_counts_as_met_in_the_honesty_checks() -> None:
    # 产出 ≥100人次 at 140 (met, 2 points off) and execution 85 %: JX-I601 (money and outputs disagree)
    # still fires, because the outputs were met; the deduction does not turn them into a shortfall.
    d = doc(
        [
            ind("产出指标", ">=100人次", "140人次", "50", note="需求高于预期"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ],
        executed="85",
    )
    ev = evaluate(d, DEDUCT)
    # 8.50 + (50 − 2) + 30 + 10 = 96.50
    assert ev.total == D("96.50")
    assert "JX-I601" in {a.code for a in advisories(d, ev, DEDUCT)}


# --- the execution-rate cap ---------------------------------------------------------------------


def _full(executed: str, adjusted: str = "10000"):  # type: ignore[no-untyped-def]
    """Every indicator met (90 points), the budget executed at executed/adjusted."""
    return doc(
        [
            ind("产出指标", ">=100人次", "100人次", "50"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ],
        adjusted=adjusted,
        executed=executed,
    )


@pytest.mark.parametrize(
    ("executed", "rate", "uncapped", "total", "grade"),
    [
        # 8,000 / 10,000 = 80.00 %: not below 80 → no cap; 8.00 + 90 = 98.00 优.
        ("8000", "80.00", None, "98.00", "优"),
        # 79.99 %: budget 7.999 → 8.00, 98.00, held to 89 → 89.00 良.
        ("7999", "79.99", "98.00", "89.00", "良"),
        # 70 % exactly is in 70–80 → 89: 7.00 + 90 = 97.00 → 89.00.
        ("7000", "70.00", "97.00", "89.00", "良"),
        # 69.99 %: 6.999 → 7.00, 97.00 → 79.00 中.
        ("6999", "69.99", "97.00", "79.00", "中"),
        # 60 % exactly is in 60–70 → 79: 96.00 → 79.00.
        ("6000", "60.00", "96.00", "79.00", "中"),
        # 59.99 % is below 60 → 69: 6.00 + 90 = 96.00 → 69.00 中.
        ("5999", "59.99", "96.00", "69.00", "中"),
        # 50 % exactly → 69: 95.00 → 69.00.
        ("5000", "50.00", "95.00", "69.00", "中"),
        # 49.99 % is below 50 → 59: 5.00 + 90 = 95.00 → 59.00 差.
        ("4999", "49.99", "95.00", "59.00", "差"),
        # nothing spent: 0 + 90 = 90.00 → 59.00 差.
        ("0", "0.00", "90.00", "59.00", "差"),
    ],
)
def test_the_cap_bands_and_their_edges(
    executed: str, rate: str, uncapped: str | None, total: str, grade: str
) -> None:
    ev = evaluate(_full(executed), CAPPED)
    assert ev.budget.rate == D(rate)
    assert (ev.total, ev.grade) == (D(total), grade)
    assert (ev.cap.uncapped if ev.cap else None) == (D(uncapped) if uncapped else None)


def test_the_cap_line_of_the_score_table() -> None:
    # 6,500 / 10,000 = 65 %: 6.50 + 90 = 96.50, held to 79 (60–70 %) → 79.00.
    ev = evaluate(_full("6500"), CAPPED)
    assert cap_words(ev) == "预算执行率 65.0%，总分封顶 79 分（计算总分 96.50，按 79.00 计）"
    assert cap_words(ev, "en") == (
        "budget execution rate 65.0%: the total is capped at 79 points (computed 96.50, counted as 79.00)"
    )
    # A total already under the cap: the line still says the cap, and that it did not bite.
    low = doc(
        [
            ind("产出指标", ">=100人次", "50人次", "50", note="延期"),  # 50 × 50/100 = 25.00
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ],
        adjusted="10000",
        executed="6500",
    )
    ev_low = evaluate(low, CAPPED)  # 6.50 + 25 + 30 + 10 = 71.50 < 79
    assert ev_low.total == D("71.50")
    assert cap_words(ev_low) == "预算执行率 65.0%，总分封顶 79 分（计算总分 71.50，未超过封顶）"
    # The line appears in the official HTML table, in jixiao score's text and in its JSON.
    assert "预算执行率 65.0%，总分封顶 79 分" in self_evaluation_table(_full("6500"), ev, CAPPED)
    report = score_report(_full("6500"), CAPPED)
    assert report["computed"]["cap"]["line"].startswith("预算执行率 65.0%，总分封顶 79 分")
    assert report["computed"]["total_score"] == "79.00"
    assert "预算执行率 65.0%，总分封顶 79 分" in format_text(_full("6500"), report)


def test_a_region_brings_its_own_bands() -> None:
    # One band: below 90 % at most 85. 8,900 / 10,000 → 8.90 + 90 = 98.90 → 85.00.
    bands = Choice(
        "own",
        "低于 90% 至多 85 分",
        "below 90% at most 85",
        Provenance("provincial", "某市评价办法", region="某市"),
        (ExecutionCap(D(90), D(85)),),
    )
    own = replace(NATIONAL, key="own", options={"execution_cap": bands})
    assert evaluate(_full("8900"), own).total == D("85.00")
    with pytest.raises(ValueError, match="no bands"):
        replace(NATIONAL, options={"execution_cap": replace(bands, value=())})


def test_both_rules_from_the_command_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # ≥100 at 140 (deducted 2) and 65 % execution: 6.50 + 48 + 30 + 10 = 94.50, capped at 79.
    d = _full("6500")
    d.indicators[0] = ind("产出指标", ">=100人次", "140人次", "50", note="需求高于预期")
    path = tmp_path / "se.json"
    path.write_text(json.dumps([to_dict(d)], ensure_ascii=False), encoding="utf-8")
    args = ["score", str(path), "--region", "national", "--format", "json"]
    opts = ["--option", "over_achievement_deduction=deduct", "--option", "execution_cap=capped"]
    out = json.loads(CliRunner().invoke(main, args + opts).output)
    computed = out[0]["computed"] if isinstance(out, list) else out["computed"]
    assert computed["indicators"][0]["score"] == "48.00"
    assert computed["indicators"][0]["deduction"] == "2.00"
    assert computed["cap"]["uncapped_total"] == "94.50"
    assert computed["total_score"] == "79.00"
    bad = CliRunner().invoke(main, [*args, "--option", "execution_cap=maybe"])
    assert bad.exit_code == 2 and "JX-E621" in bad.output


def test_both_options_are_listed_with_their_basis_and_off_by_default() -> None:
    for key in ("over_achievement_deduction", "execution_cap"):
        option = SCORING_OPTIONS[key]
        assert option.default == "off"
        for region in REGION_RULES.values():
            assert region.option(key).key == "off"
        listed = {o["option"]: o for o in NATIONAL.catalogue()["options"]}
        assert listed[key]["is_default"] is True


# --- properties ---------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=20000)
actuals = st.integers(min_value=0, max_value=300)


def _doc(executed: int, a: int, b: int, c: int):  # type: ignore[no-untyped-def]
    return doc(
        [
            ind("产出指标", ">=100人次", f"{a}人次", "50", note="说明"),
            ind("效益指标", "<=100万元", f"{b}万元", "30", note="说明"),
            ind("满意度指标", ">=90%", f"{c}%", "10", note="说明"),
        ],
        adjusted="10000",
        executed=str(executed),
    )


@settings(max_examples=150, deadline=None)
@given(amounts, actuals, actuals, actuals)
def test_the_cap_never_raises_a_score(executed: int, a: int, b: int, c: int) -> None:
    d = _doc(executed, a, b, c)
    plain, capped = evaluate(d, NATIONAL), evaluate(d, CAPPED)
    assert plain.total is not None and capped.total is not None
    assert capped.total <= plain.total
    band = CAPPED.cap_for(plain.budget.rate)
    assert capped.total == (min(plain.total, band.cap) if band else plain.total)
    # and the deduction never raises a row either
    deducted = evaluate(d, DEDUCT)
    for before, after in zip(plain.indicators, deducted.indicators, strict=True):
        assert after.score is not None and before.score is not None and after.score <= before.score


@settings(max_examples=150, deadline=None)
@given(amounts, actuals, actuals, actuals)
def test_off_by_default_changes_nothing(executed: int, a: int, b: int, c: int) -> None:
    d = _doc(executed, a, b, c)
    off = with_options("national", {"over_achievement_deduction": "off", "execution_cap": "off"})
    default, explicit = evaluate(d, NATIONAL), evaluate(d, off)
    assert default == replace(explicit, region=default.region)
    assert default.cap is None and all(r.deduction is None for r in default.indicators)
    # the shipped regions score alike whatever the two options could do
    for region in REGION_RULES.values():
        assert evaluate(d, region).cap is None
