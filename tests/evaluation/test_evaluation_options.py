"""Regional scoring options and the provenance of every scoring number (domain-rules.md §10).

Each option is tried with its default and with each alternative on a case worked out by hand in the
comment beside it; the corrections of the reverse over-achievement note and of JX-I602 are here too.
"""

from __future__ import annotations

import json
import typing
from dataclasses import replace
from decimal import Decimal

import pytest
from click.testing import CliRunner
from eval_helpers import PUTUO, doc, ind

from jixiao.cli import main
from jixiao.domain.errors import ScoringError
from jixiao.domain.model import SelfEvaluation
from jixiao.domain.provenance import STATUSES, Choice, Provenance
from jixiao.evaluation.config import (
    ACHIEVED,
    FAILED,
    PARTIAL,
    PROVENANCE,
    REGION_RULES,
    SCORING_OPTIONS,
    QualitativeBand,
    RegionRules,
    get_rules,
    with_options,
)
from jixiao.evaluation.report import advisories, score_report
from jixiao.evaluation.scoring import Method, evaluate, score_indicator

D = Decimal
NATIONAL = REGION_RULES["national"]


def _score(target: str, actual: str, rules: RegionRules = NATIONAL, weight: str = "10") -> Decimal | None:
    return score_indicator(ind("产出指标", target, actual), D(weight), rules).score


# --- reverse (≤) indicators: linear by default, ratio as the alternative -----------------------


@pytest.mark.parametrize(
    ("target", "actual", "linear", "ratio"),
    [
        # ≤100, actual 120, w 10: linear 10 × (1 − 20/100) = 8.00; ratio 100/120 × 10 = 8.333… → 8.33.
        ("<=100万元", "120万元", "8.00", "8.33"),
        # ≤100, actual 150: linear 10 × (1 − 50/100) = 5.00; ratio 100/150 × 10 = 6.666… → 6.67.
        ("<=100万元", "150万元", "5.00", "6.67"),
        # ≤100, actual 250: linear 0 from twice the limit on; ratio 100/250 × 10 = 4.00.
        ("<=100万元", "250万元", "0.00", "4.00"),
        # Met (95 ≤ 100): full marks either way.
        ("<=100万元", "95万元", "10.00", "10.00"),
    ],
)
def test_reverse_formula_linear_by_default_ratio_as_an_option(
    target: str, actual: str, linear: str, ratio: str
) -> None:
    assert NATIONAL.option("reverse_formula").key == "linear"
    assert _score(target, actual) == D(linear)
    assert _score(target, actual, with_options("national", {"reverse_formula": "ratio"})) == D(ratio)


def test_the_reverse_option_says_which_formula_scored_the_row() -> None:
    d = doc(
        [
            ind("产出指标", "<=100万元", "120万元", "50", note="超支原因：材料涨价"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    default = score_report(d)
    ratio = score_report(d, with_options("national", {"reverse_formula": "ratio"}))
    # 50 × (1 − 20/100) = 40.00 against 100/120 × 50 = 41.666… → 41.67.
    assert default["computed"]["indicators"][0]["score"] == "40.00"
    assert ratio["computed"]["indicators"][0]["score"] == "41.67"
    assert default["computed"]["indicators"][0]["status"] == "practice"
    assert "(1 −" in default["computed"]["indicators"][0]["formula"]
    assert "目标值 / 实际值" in ratio["computed"]["indicators"][0]["formula"]
    [opt] = [o for o in ratio["basis"]["options"] if o["option"] == "reverse_formula"]
    assert (opt["choice"]["key"], opt["is_default"]) == ("ratio", False)


# --- qualitative bands: the system's by default, a region may bring its own ---------------------


def test_qualitative_bands_default_accepts_80_percent_for_achieved() -> None:
    # 达成 [80%, 100%] of 10 → 8 is inside; 部分达成 [60%, 80%) → 8 is outside (JX-E609).
    assert NATIONAL.option("qualitative_bands").key == "system"
    row = score_indicator(ind("效益指标", "提升", "达成", score="8"), D(10), NATIONAL)
    assert row.score == D("8.00")
    with pytest.raises(ScoringError) as exc:
        score_indicator(ind("效益指标", "提升", "部分达成", score="8"), D(10), NATIONAL)
    assert exc.value.code == "JX-E609"


def test_a_region_may_bring_its_own_qualitative_bands_with_their_basis() -> None:
    strict = Choice(
        "strict",
        "达成 [90%, 100%]，部分达成 [60%, 90%)，未达成 [0, 60%)",
        "achieved [90%, 100%]",
        Provenance("provincial", "某省自评办法（测试用）", region="某省"),
        (
            QualitativeBand(ACHIEVED, D("0.9"), D("1"), True, "green"),
            QualitativeBand(PARTIAL, D("0.6"), D("0.9"), False, "yellow"),
            QualitativeBand(FAILED, D("0"), D("0.6"), False, "red"),
        ),
    )
    region = replace(NATIONAL, key="strict", options={"qualitative_bands": strict})
    # 达成 at 8 of 10 is below 90% there; 9 is the lowest it accepts; 部分达成 may now have 8.5.
    with pytest.raises(ScoringError) as exc:
        score_indicator(ind("效益指标", "提升", "达成", score="8"), D(10), region)
    assert exc.value.code == "JX-E609" and "9.00 至 10.00 分" in exc.value.message("zh")
    assert score_indicator(ind("效益指标", "提升", "达成", score="9"), D(10), region).score == D("9.00")
    assert score_indicator(ind("效益指标", "提升", "部分达成", score="8.5"), D(10), region).score == D("8.50")
    assert region.formula("qualitative")[1].region == "某省"


def test_a_choice_without_bands_is_refused_when_the_region_is_built() -> None:
    empty = Choice("none", "无", "none", Provenance("jixiao", "测试"))
    with pytest.raises(ValueError, match="no bands"):
        replace(NATIONAL, options={"qualitative_bands": empty})
    with pytest.raises(ValueError, match="unknown choice"):
        replace(NATIONAL, options={"reverse_formula": "quadratic"})


# --- a reason below 90% execution: advised by default, required in Sichuan ---------------------


def _doc_low(outcome: str | None = None) -> SelfEvaluation:
    # 80 / 100 executed = 80.00% < 90%; the benefit row is short (and explained).
    d = doc(
        [
            ind("产出指标", ">=100个", "100个", "50"),
            ind("效益指标", "=100%", "95%", "30", note="个别点位延期"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ],
        executed="80",
    )
    d.outcome = outcome
    return d


def _fields_and_codes(region: str, outcome: str | None) -> tuple[list[str], list[str]]:
    report = score_report(_doc_low(outcome), region)
    return [x["field"] for x in report["discrepancies"]], [a["code"] for a in report["advisories"]]


def test_low_execution_reason_is_advice_nationally_and_a_hard_check_in_sichuan() -> None:
    assert NATIONAL.option("low_execution_reason").key == "advised"
    fields, codes = _fields_and_codes("national", None)
    assert "outcome" not in fields and "JX-I605" in codes
    fields, codes = _fields_and_codes("sichuan", None)
    assert "outcome" in fields and "JX-I605" not in codes
    [message] = [
        x["message"] for x in score_report(_doc_low(), "sichuan")["discrepancies"] if x["field"] == "outcome"
    ]
    assert "80.00%" in message and "90%" in message and "四川" in message


def test_with_a_reason_neither_option_complains() -> None:
    for region in ("national", "sichuan"):
        fields, codes = _fields_and_codes(region, "年底部分合同未结算，资金结转下年")
        assert "outcome" not in fields and "JX-I605" not in codes


# --- the over-achievement note: every quantitative sign by default, or ≥ targets only -------------


@pytest.mark.parametrize(
    ("target", "actual", "every_sign", "at_least"),
    [
        # ≥100, actual 130: 130 / 100 = 1.3 ≥ 1.3 → a note under both choices.
        (">=100人次", "130人次", "over", "over"),
        # =100, actual 130: the same ratio; = is not a ≥ target → a note only under every sign.
        ("=100个", "130个", "over", None),
        # ≤10, actual 6: 6 ≤ 0.7 × 10, beaten by 40% → a note only under every sign.
        ("<=10万元", "6万元", "over", None),
        # ≤10, actual 8: beaten by 20% < 30% → no note under either.
        ("<=10万元", "8万元", None, None),
    ],
)
def test_over_achievement_scope(
    target: str, actual: str, every_sign: str | None, at_least: str | None
) -> None:
    assert NATIONAL.option("over_achievement_scope").key == "all-signs"
    row = score_indicator(ind("产出指标", target, actual), D(10), NATIONAL)
    assert row.note_required == every_sign
    narrow = with_options("national", {"over_achievement_scope": "at-least"})
    assert score_indicator(ind("产出指标", target, actual), D(10), narrow).note_required == at_least


# --- correction: a reverse target beaten by far is not "exceeded by 30%" ------------------------


def _reverse_beaten() -> SelfEvaluation:
    return doc(
        [
            ind("产出指标", "<=10万元", "6万元", "50", name="单位运维成本"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )


def test_a_reverse_target_beaten_by_40_percent_says_so_and_asks_for_the_note() -> None:
    report = score_report(_reverse_beaten())
    [missing] = [x for x in report["discrepancies"] if x["field"] == "indicators[0].deviation_note"]
    # 6 against ≤10: (10 − 6) / 10 = 40% below the limit, at least 30% → the note is required.
    assert "低于目标上限" in missing["message"] and "40%" in missing["message"]
    assert "超过目标值" not in missing["message"] and "须填写" in missing["message"]
    assert report["computed"]["indicators"][0]["note_required"] is True


def test_where_only_at_least_targets_need_a_note_the_reverse_row_says_none_is_required() -> None:
    rules = with_options("national", {"over_achievement_scope": "at-least"})
    report = score_report(_reverse_beaten(), rules)
    assert [x["field"] for x in report["discrepancies"]] == []
    row = report["computed"]["indicators"][0]
    assert row["note_required"] is False
    assert "40%" in row["deviation"] and "可不填写" in row["deviation"]


def test_the_text_report_prints_what_happened_on_the_row() -> None:
    from jixiao.evaluation.report import format_text

    d = _reverse_beaten()
    rules = with_options("national", {"over_achievement_scope": "at-least"})
    text = format_text(d, score_report(d, rules), "zh", rules)
    assert "低于目标上限「<=10万元」达 40%" in text
    assert "计分依据" in text and "jixiao 自定" in text


# --- correction: JX-I602 treats a qualitative 达成 as met ----------------------------------------


def test_an_achieved_qualitative_output_at_80_percent_is_met() -> None:
    # All spent (100 / 100); the qualitative output is graded 达成 and scored 16 of 20 (80%).
    d = doc(
        [
            ind("产出指标", ">=100个", "100个", "30", name="维修点位数量"),
            ind("产出指标", "及时", "达成", "20", score="16", name="维修及时性"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    assert "JX-I602" not in [a.code for a in advisories(d, evaluate(d))]
    # 部分达成 is not met: the advisory names that row.
    d.indicators[1].actual = "部分达成"
    d.indicators[1].score = D("14")
    d.indicators[1].deviation_note = "雨季延误"
    [i602] = [a for a in advisories(d, evaluate(d)) if a.code == "JX-I602"]
    assert "「维修及时性」" in i602.message_zh and "「维修点位数量」" not in i602.message_zh


def test_jx_i601_counts_an_achieved_qualitative_output_as_met() -> None:
    # 50 / 100 spent; every output met (a 达成 at 80%): money and outputs disagree.
    d = doc(
        [
            ind("产出指标", ">=100个", "100个", "30"),
            ind("产出指标", "及时", "达成", "20", score="16"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ],
        executed="50",
    )
    [i601] = [a for a in advisories(d, evaluate(d)) if a.code == "JX-I601"]
    assert "全部达成" in i601.message_zh


# --- provenance of every number -----------------------------------------------------------------


def test_every_scoring_method_has_a_formula_with_a_basis_and_a_status() -> None:
    for rules in REGION_RULES.values():
        for method in typing.get_args(Method):
            text, prov = rules.formula(method)
            assert text and prov.basis_zh and prov.status in STATUSES, method
        text, prov = rules.formula("budget")
        assert prov.status == "provincial" and prov.region == "四川"


def test_every_number_of_the_catalogue_and_every_option_states_its_basis() -> None:
    for region in REGION_RULES:
        cat = get_rules(region).catalogue()
        assert {r["key"] for r in cat["rules"]} <= set(PROVENANCE)
        for r in cat["rules"]:
            assert r["basis"] and r["status"] in STATUSES, r["key"]
        assert [o["option"] for o in cat["options"]] == list(SCORING_OPTIONS)
        for o in cat["options"]:
            assert o["why_default"] and o["choice"]["basis"] and o["choice"]["status"] in STATUSES
    # Every number the region table carries is in the catalogue, or has a provenance of its own.
    assert {"budget_weight", "grade_bands", "over_achievement_ratio", "reverse_zero_multiple"} <= set(
        PROVENANCE
    )


def test_each_option_states_its_default_and_why() -> None:
    defaults = {k: o.default for k, o in SCORING_OPTIONS.items()}
    assert defaults == {
        "reverse_formula": "linear",
        "qualitative_bands": "system",
        "low_execution_reason": "advised",
        "over_achievement_scope": "all-signs",
        "over_achievement_deduction": "off",
        "execution_cap": "off",
        "department_rollup_weights": "balanced",
    }
    assert get_rules("sichuan").option("low_execution_reason").provenance.status == "provincial"


def test_score_json_carries_the_basis_of_each_formula() -> None:
    result = CliRunner().invoke(main, ["score", str(PUTUO), "--format", "json", "--region", "shanghai"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.output)
    assert all(r["status"] in STATUSES and r["basis"] for r in report["computed"]["indicators"])
    assert {f["method"] for f in report["basis"]["formulas"]} >= {
        "budget",
        "equal",
        "positive",
        "qualitative",
    }
    assert report["basis"]["grade_bands"]["status"] == "official"


def test_score_option_on_the_command_line() -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["score", str(PUTUO), "--option", "reverse_formula=ratio", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(main, ["score", str(PUTUO), "--option", "reverse_formula=cubic"])
    assert bad.exit_code == 2 and "JX-E621" in bad.output and "Traceback" not in bad.output


# --- weights (review-pain-points B8) ----------------------------------------------------------


def test_heavy_weight_on_a_trivial_row_is_queried() -> None:
    # 产出 50: 30 of them on "任务完成率 =100%" (≥ half) → JX-I606; the split 60/20/10 ≠ 50/30/10 → JX-I607.
    d = doc(
        [
            ind("产出指标", "=100%", "100%", "30", name="任务完成率"),
            ind("产出指标", ">=100个", "100个", "30", name="维修点位数量"),
            ind("效益指标", "=100%", "100%", "20"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    codes = {a.code: a for a in advisories(d, evaluate(d))}
    assert "「任务完成率 =100%」" in codes["JX-I606"].message_zh and "60" in codes["JX-I606"].message_zh
    assert "产出指标 60（默认 50）" in codes["JX-I607"].message_zh
    assert codes["JX-I606"].provenance.status == "jixiao"


def test_the_default_split_on_measured_rows_draws_no_weight_advice() -> None:
    # 25 + 25 = 50 on two real counts, 30, 10: the 10号 split, no trivial row carrying it.
    d = doc(
        [
            ind("产出指标", ">=100个", "100个", "25", name="维修点位数量"),
            ind("产出指标", ">=20次", "20次", "25", name="巡查次数"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    assert not {"JX-I606", "JX-I607"} & {a.code for a in advisories(d, evaluate(d))}
