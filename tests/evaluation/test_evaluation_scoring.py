"""Self-evaluation scoring, one branch at a time. Every expectation is worked out by hand in the
comment beside it (domain-rules.md §5)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from eval_helpers import PUTUO, doc, ind

from jixiao.domain.errors import ScoringError
from jixiao.domain.model import BudgetExecution, SelfEvaluation
from jixiao.evaluation.config import REGION_RULES, GradeBand, get_rules
from jixiao.evaluation.scoring import (
    budget_score,
    default_weights,
    evaluate,
    score_indicator,
    score_self_evaluation,
)
from jixiao.formats import read_path

D = Decimal
RULES = REGION_RULES["national"]


# --- §5.7: the real 普陀 form reproduces to the cent -------------------------------------------


def test_the_putuo_form_of_domain_rules_5_7_reproduces_to_the_cent() -> None:
    [form] = read_path(PUTUO)
    assert isinstance(form, SelfEvaluation)
    ev = score_self_evaluation(form, "shanghai")
    # 215,457.60 / 250,000.00 = 0.8618304 → 执行率 86.18 % (the form prints 86.19 %);
    # 0.8618304 × 10 = 8.618304 → 8.62.
    assert ev.budget.rate == D("86.18")
    assert ev.budget.score == D("8.62")
    # =100% / 100% → 10; =100% / 100% → 20; 及时 / 及时 → the evaluator's 20 inside [16, 20];
    # =100% / 100% → 30; >=90% / 100% → 10.
    assert [r.score for r in ev.indicators] == [D("10.00"), D("20.00"), D("20.00"), D("30.00"), D("10.00")]
    assert ev.indicators[2].method == "qualitative"
    assert ev.indicators[2].band == (D("16.00"), D("20.00"))
    # 8.62 + 90 = 98.62 ≥ 90 → 优.
    assert ev.total == D("98.62")
    assert ev.grade == "优"


def test_the_second_project_on_the_putuo_page_scores_4_52() -> None:
    # 援滇对口支援及结对帮扶经费: 9,034 / 20,000 = 0.4517 → 45.17 %, × 10 = 4.517 → 4.52 (§5.7).
    b = budget_score(BudgetExecution(initial=D("20000"), adjusted=D("20000"), executed=D("9034")), RULES)
    assert (b.rate, b.score) == (D("45.17"), D("4.52"))


# --- budget execution (§5.2) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("initial", "adjusted", "executed", "rate", "score"),
    [
        # 120 / 100 = 1.2 → rate 120.00 %, but the score is capped: min(1.2, 1) × 10 = 10.00.
        ("100", "100", "120", "120.00", "10.00"),
        # nothing spent: 0 / 100 = 0 → 0.00.
        ("100", "100", "0", "0.00", "0.00"),
        # 全年预算数 is the adjusted budget, not 年初: 90 / 120 = 0.75 → 75.00 %, 7.50.
        ("100", "120", "90", "75.00", "7.50"),
        # no adjustment printed: 全年 = 年初; 99.995 / 100 = 0.99995 → 100.00 % (half-up), 9.9995 → 10.00.
        ("100", None, "99.995", "100.00", "10.00"),
        # 1 / 3 = 0.3333… → 33.33 %, 3.333… → 3.33.
        ("3", "3", "1", "33.33", "3.33"),
        # 2 / 3 = 0.6666… → 66.67 %, 6.666… → 6.67 (half-up).
        ("3", "3", "2", "66.67", "6.67"),
    ],
)
def test_budget_execution_score(
    initial: str, adjusted: str | None, executed: str, rate: str, score: str
) -> None:
    b = budget_score(
        BudgetExecution(
            initial=D(initial), adjusted=None if adjusted is None else D(adjusted), executed=D(executed)
        ),
        RULES,
    )
    assert (b.rate, b.score, b.error) == (D(rate), D(score), None)


@pytest.mark.parametrize(
    ("adjusted", "executed", "code"),
    [(None, "10", "JX-E615"), ("0", "10", "JX-E615"), ("100", None, "JX-E616"), ("100", "-1", "JX-E616")],
)
def test_budget_without_a_usable_budget_or_execution_is_an_error(
    adjusted: str | None, executed: str | None, code: str
) -> None:
    b = budget_score(
        BudgetExecution(
            adjusted=None if adjusted is None else D(adjusted),
            executed=None if executed is None else D(executed),
        ),
        RULES,
    )
    assert b.score is None and b.error is not None and b.error.code == code


# --- quantitative indicators (§5.3) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "weight", "expected", "method"),
    [
        # 正向 met: 95 ≥ 90 → full 10.
        (">=90%", "95%", "10", "10.00", "positive"),
        # 正向 short: 10 × 72/90 = 8.00.
        (">=90%", "72%", "10", "8.00", "positive"),
        # ">" is 正向 too: 20 × 45/50 = 18.00.
        (">50个", "45个", "20", "18.00", "positive"),
        # 不低于 is ≥: 30 × 600/735 = 24.489… → 24.49.
        ("不低于735人次", "600人次", "30", "24.49", "positive"),
        # 等于 with a non-zero target scores like 正向: 10 × 86.5/100 = 8.65.
        ("=100%", "86.5%", "10", "8.65", "equal"),
        # a bare number means "=": 35 ≥ 35 → full.
        ("35人", "35人", "5", "5.00", "equal"),
        # 等于 0: met only at 0.
        ("=0起", "0起", "10", "10.00", "equal-zero"),
        ("=0起", "1起", "10", "0.00", "equal-zero"),
        # 反向 met: 95 ≤ 100 → full.
        ("<=100万元", "95万元", "10", "10.00", "reverse"),
        # §5.3's example: ≤100, actual 120, w 10 → 10 × (1 − 20/100) = 8.00.
        ("≤100万元", "120万元", "10", "8.00", "reverse"),
        # money units convert: 1,200,000 元 = 120 万元 → 8.00 again.
        ("≤100万元", "1200000元", "10", "8.00", "reverse"),
        # 反向 at twice the limit or more: 0.
        ("<=100万元", "200万元", "10", "0.00", "reverse"),
        # "<" is 反向 too: 10 × (1 − (6 − 5)/5) = 8.00.
        ("<5%", "6%", "10", "8.00", "reverse"),
        # 日 and 天 are the same unit: 3 ≤ 5 → full.
        ("<=5天", "3日", "10", "10.00", "reverse"),
    ],
)
def test_quantitative_formulas(target: str, actual: str, weight: str, expected: str, method: str) -> None:
    row = score_indicator(ind("产出指标", target, actual), D(weight), RULES)
    assert (row.score, row.method) == (D(expected), method)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        # within the range: full 10.
        ("90%-95%", "92%", "10.00"),
        ("90%-95%", "90%", "10.00"),
        ("90%-95%", "95%", "10.00"),
        # below: like 正向 against the lower bound, 10 × 81/90 = 9.00.
        ("90%-95%", "81%", "9.00"),
        # above: like 反向 against the upper bound, 10 × (1 − 9.5/95) = 9.00.
        ("90%-95%", "104.5%", "9.00"),
        # twice the upper bound or more: 0.
        ("90%-95%", "190%", "0.00"),
    ],
)
def test_range_targets(target: str, actual: str, expected: str) -> None:
    row = score_indicator(ind("产出指标", target, actual), D(10), RULES)
    assert (row.score, row.method) == (D(expected), "range")


def test_range_with_a_counted_unit_below_the_range() -> None:
    # 5~8个, actual 4个: 10 × 4/5 = 8.00, and falling short needs a deviation note.
    row = score_indicator(ind("产出指标", "5~8个", "4个"), D(10), RULES)
    assert (row.score, row.note_required) == (D("8.00"), "short")


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        # within the time limit: full.
        ("7天内完成", "6天", "10.00"),
        ("7天内完成", "7天", "10.00"),
        # late like a reverse indicator: 10 × (1 − (8 − 7)/7) = 8.5714… → 8.57.
        ("7天内完成", "8天", "8.57"),
        # 14 days or more is twice the limit: 0.
        ("7天内完成", "14天", "0.00"),
        # met, said in words.
        ("7天内完成", "按时完成", "10.00"),
        # 当天 = within 1 day; the actual 当天 reads as 1 day.
        ("当天派单", "当天", "10.00"),
        ("3个工作日内", "2个工作日", "10.00"),
        # dated: 6月底前 = 30 June 2022; done 20 June → full.
        ("6月底前", "2022年6月20日", "10.00"),
        ("6月底前", "6月30日", "10.00"),
        # done 31 July: 212 days used of 181 allowed (1 Jan–30 Jun);
        # 10 × (1 − 31/181) = 8.2872… → 8.29.
        ("6月底前", "2022-07-31", "8.29"),
        # 年底完成 is 31 December; 12月20日 is in time.
        ("年底完成", "12月20日", "10.00"),
        ("年底完成", "按时完成", "10.00"),
        # "年底完成" as the actual of a 6月底前 target: 365 days used of 181 allowed; 365 ≥ 2 × 181 → 0.00.
        ("6月底前", "年底完成", "0.00"),
    ],
)
def test_deadline_targets(target: str, actual: str, expected: str) -> None:
    row = score_indicator(ind("产出指标", target, actual), D(10), RULES, year=2022)
    assert (row.score, row.method) == (D(expected), "deadline")


# --- qualitative indicators (§5.4) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "score", "grade", "band"),
    [
        # 达成: [80 %, 100 %] of 20 = [16, 20]; both ends allowed.
        ("及时", "20", "达成年度指标", ("16.00", "20.00")),
        ("达成年度指标", "16", "达成年度指标", ("16.00", "20.00")),
        # 部分达成: [60 %, 80 %) of 20 = [12, 16).
        ("部分达成年度指标并具有一定效果", "15.99", "部分达成年度指标并具有一定效果", ("12.00", "16.00")),
        ("基本完成", "12", "部分达成年度指标并具有一定效果", ("12.00", "16.00")),
        # 未达成: [0, 60 %) of 20 = [0, 12).
        ("未达成", "0", "未达成年度指标且效果较差", ("0.00", "12.00")),
        # A trailing 。 is ignored: 及时 → 达成, 17 inside [16, 20].
        ("及时。", "17", "达成年度指标", ("16.00", "20.00")),
    ],
)
def test_qualitative_score_is_the_evaluators_within_the_band(
    actual: str, score: str, grade: str, band: tuple[str, str]
) -> None:
    row = score_indicator(ind("产出指标", "及时", actual, score=score), D(20), RULES)
    assert (row.score, row.grade, row.band) == (D(score).quantize(D("0.01")), grade, (D(band[0]), D(band[1])))


@pytest.mark.parametrize(
    ("actual", "score", "code"),
    [
        ("及时", "15.99", "JX-E609"),  # 达成 needs ≥ 16
        ("部分达成", "16", "JX-E609"),  # 部分达成 stops below 16
        ("未达成", "12", "JX-E609"),  # 未达成 stops below 12
        ("及时", "21", "JX-E609"),  # above the 分值
        ("及时", None, "JX-E608"),  # the evaluator must choose
        ("有所提升", "18", "JX-E607"),  # not a grade
    ],
)
def test_qualitative_errors(actual: str, score: str | None, code: str) -> None:
    with pytest.raises(ScoringError) as caught:
        score_indicator(ind("产出指标", "及时", actual, score=score, name="费用结算及时性"), D(20), RULES)
    assert caught.value.code == code
    assert "费用结算及时性" in caught.value.message_zh
    assert "费用结算及时性" in caught.value.message_en


# --- actuals that do not fit their target ----------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "code", "words"),
    [
        ("=100%", "及时", "JX-E603", "类型不符"),
        (">=700人次", "735人", "JX-E605", "单位"),
        (">=90%", "0.95", "JX-E605", "单位"),
        ("=10个", "10%", "JX-E605", "单位"),
        (">=90%", ">=95%", "JX-E604", "确定"),
        (">=90%", "90%-95%", "JX-E604", "确定"),
        (">=90%", "", "JX-E601", "缺少"),
        (">=90%", None, "JX-E601", "缺少"),
        ("7天内完成", "6人", "JX-E605", "单位"),
        ("7天内完成", "较快", "JX-E603", "用时"),
        ("6月底前", "很快", "JX-E618", "完成日期"),
        ("6月底前", "13月1日", "JX-E618", "完成日期"),
        ("6月底前", "6月31日", "JX-E618", "完成日期"),  # June has 30 days
        (">=90%", ">=", "JX-E603", "类型不符"),  # an operator with nothing after it
        ("<>@@", "1", "JX-E606", "无法识别"),
    ],
)
def test_an_actual_that_does_not_fit_its_target_is_a_clear_error(
    target: str, actual: str | None, code: str, words: str
) -> None:
    with pytest.raises(ScoringError) as caught:
        score_indicator(
            ind("产出指标", target, actual, name="回访测评完成量"), D(10), RULES, index=3, year=2022
        )
    err = caught.value
    assert err.code == code
    assert "回访测评完成量" in err.message_zh and words in err.message_zh
    assert "回访测评完成量" in err.message_en
    assert err.where.field is not None and err.where.field.startswith("indicators[3]")


# --- deviation notes (§5.3) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "note", "required", "missing"),
    [
        # 130 / 100 = 1.3 ≥ 1.3: over-achievement, explain it.
        (">=100人次", "130人次", None, "over", True),
        # 129 / 100 = 1.29 < 1.3: no note needed.
        (">=100人次", "129人次", None, None, False),
        # short of the target: note needed; "暂无" says nothing, so it is missing.
        (">=100人次", "90人次", "暂无", "short", True),
        (">=100人次", "90人次", "受疫情影响，下半年补足", "short", False),
        # a reverse limit beaten by 30 %: 70 ≤ 0.7 × 100.
        ("<=100万元", "70万元", None, "over", True),
        ("<=100万元", "71万元", None, None, False),
        # a partly reached qualitative target falls short.
        ("提升", "部分达成", None, "short", True),
    ],
)
def test_deviation_note_required(
    target: str, actual: str, note: str | None, required: str | None, missing: bool
) -> None:
    score = "13" if actual == "部分达成" else None
    row = score_indicator(ind("产出指标", target, actual, score=score, note=note), D(20), RULES)
    assert (row.note_required, row.note_missing) == (required, missing)


# --- weights (§5.1) --------------------------------------------------------------------------


def test_default_weights_split_50_30_10_evenly() -> None:
    rows = [
        ind("产出指标", "=1个", "1个"),
        ind("产出指标", "=1个", "1个"),
        ind("产出指标", "=1个", "1个"),
        ind("效益指标", "提升", "达成"),
        ind("满意度指标", ">=90%", "95%"),
    ]
    # 50 / 3 = 16.666… → 16.66, 16.66 and the remainder 50 − 33.32 = 16.68; 效益 30; 满意度 10.
    assert default_weights(rows, RULES) == [D("16.66"), D("16.66"), D("16.68"), D(30), D(10)]


def test_without_a_satisfaction_indicator_its_10_points_go_to_benefit() -> None:
    rows = [ind("产出指标", "=1个", "1个"), ind("效益", "提升", "达成"), ind("效益指标", "提升", "达成")]
    # 产出 50; 效益 30 + 10 = 40 split 20 / 20 (the alias 效益 counts as 效益指标).
    assert default_weights(rows, RULES) == [D(50), D(20), D(20)]


def test_cost_indicators_share_the_output_points() -> None:
    rows = [
        ind("成本指标", "<=10万元", "9万元"),
        ind("产出指标", "=1个", "1个"),
        ind("效益指标", "提升", "达成"),
        ind("满意度指标", ">=90%", "95%"),
    ]
    # 成本 is scored with 产出 (10号 had it under 产出): 50 / 2 = 25 each.
    assert default_weights(rows, RULES) == [D(25), D(25), D(30), D(10)]


@pytest.mark.parametrize(
    "rows",
    [
        [ind("其他指标", "=1个", "1个"), ind("产出指标", "=1个", "1个"), ind("效益指标", "提升", "达成")],
        [ind("产出指标", "=1个", "1个")],  # no 效益: 30 points with nowhere to go
    ],
)
def test_default_weights_impossible(rows: list) -> None:  # type: ignore[type-arg]
    with pytest.raises(ScoringError) as caught:
        default_weights(rows, RULES)
    assert caught.value.code == "JX-E619"


def test_a_document_without_weights_is_scored_with_the_default_split() -> None:
    d = doc(
        [
            ind("产出指标", ">=100个", "80个"),
            ind("效益指标", "=100%", "100%"),
            ind("满意度指标", ">=90%", "95%"),
        ]
    )
    ev = score_self_evaluation(d)
    # budget 100/100 → 10; 产出 50 × 80/100 = 40; 效益 30; 满意度 10; total 90 → 优.
    assert [r.score for r in ev.indicators] == [D("40.00"), D("30.00"), D("10.00")]
    assert (ev.total, ev.grade) == (D("90.00"), "优")


@pytest.mark.parametrize(
    ("weights", "code"),
    [
        (["50", "30", "20"], "JX-E612"),  # 100, not 90
        (["50", None, "10"], "JX-E613"),  # some given, some not
        (["-10", "90", "10"], "JX-E614"),  # negative
    ],
)
def test_weight_errors(weights: list[str | None], code: str) -> None:
    d = doc(
        [
            ind("产出指标", "=1个", "1个", weights[0]),
            ind("效益指标", "=1个", "1个", weights[1]),
            ind("满意度指标", "=1个", "1个", weights[2]),
        ]
    )
    with pytest.raises(ScoringError) as caught:
        score_self_evaluation(d)
    assert caught.value.code == code


def test_editable_weights_other_than_the_default_are_accepted_when_they_total_90() -> None:
    # Sichuan style (§5.1 [LOC]): 60 on one 产出, 30 on one 效益; 60 + 30 = 90.
    d = doc([ind("产出指标", "=1个", "1个", "60"), ind("效益指标", "=1个", "1个", "30")])
    ev = score_self_evaluation(d)
    assert (ev.total, ev.grade) == (D("100.00"), "优")


# --- totals and grades (§5.5) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("executed", "output_actual", "total", "grade"),
    [
        # budget 10 + 产出 50 × 80/100 = 40 + 效益 30 + 满意度 10 = 90.00 → 优 (90 is 优).
        ("100", "80个", "90.00", "优"),
        # budget 9.99 (99.9 %) + 40 + 40 = 89.99 → 良.
        ("99.9", "80个", "89.99", "良"),
        # 10 + 50 × 60/100 = 30 + 40 = 80.00 → 良.
        ("100", "60个", "80.00", "良"),
        # 9.99 + 30 + 40 = 79.99 → 中.
        ("99.9", "60个", "79.99", "中"),
        # 10 + 50 × 20/100 = 10 + 40 = 60.00 → 中.
        ("100", "20个", "60.00", "中"),
        # 9.99 + 10 + 40 = 59.99 → 差.
        ("99.9", "20个", "59.99", "差"),
    ],
)
def test_grade_bands(executed: str, output_actual: str, total: str, grade: str) -> None:
    d = doc(
        [
            ind("产出指标", ">=100个", output_actual, "50", note="原因"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ],
        adjusted="100",
        executed=executed,
    )
    ev = score_self_evaluation(d)
    assert (ev.total, ev.grade) == (D(total), grade)


def test_grade_bands_come_from_the_region_table() -> None:
    # One vendor deployment used 优 ≥80 / 良 70–80 / 中 60–70 / 差 <60 (§5.5): 80.00 is 优 there.
    vendor = replace(
        RULES,
        key="vendor",
        grade_bands=(
            GradeBand(D(80), "优"),
            GradeBand(D(70), "良"),
            GradeBand(D(60), "中"),
            GradeBand(D(0), "差"),
        ),
    )
    d = doc(
        [
            ind("产出指标", ">=100个", "60个", "50"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    assert score_self_evaluation(d, vendor).grade == "优"
    assert score_self_evaluation(d, "national").grade == "良"


def test_evaluate_collects_every_row_error_and_withholds_the_total() -> None:
    d = doc(
        [
            ind("产出指标", "=100%", "及时", "50", name="A"),
            ind("效益指标", "提升", "达成", "30", name="B"),
            ind("满意度指标", ">=90%", "95%", "10", name="C"),
        ]
    )
    ev = evaluate(d)
    # A: kind mismatch; B: qualitative without the evaluator's score; C: 95 ≥ 90 → 10.
    assert [e.code for e in ev.errors] == ["JX-E603", "JX-E608"]
    assert [r.score for r in ev.indicators] == [None, None, D("10.00")]
    assert (ev.total, ev.grade, ev.ok) == (None, None, False)


def test_a_document_without_indicators_cannot_be_scored() -> None:
    ev = evaluate(doc([]))
    assert [e.code for e in ev.errors] == ["JX-E617"]


def test_unknown_region_is_an_error() -> None:
    with pytest.raises(ScoringError) as caught:
        get_rules("mars")
    assert caught.value.code == "JX-E610" and "national" in caught.value.message_en


def test_a_huge_typed_number_is_our_error_not_a_crash() -> None:
    d = doc([ind("产出指标", ">=1个", "1个", "90")], adjusted="0.01", executed="1" + "0" * 40)
    ev = evaluate(d)
    assert ev.errors and ev.errors[0].code == "JX-E620"


def test_the_package_exports_its_public_api() -> None:
    import jixiao.evaluation as evaluation

    assert evaluation.__all__ == sorted(evaluation.__all__, key=lambda n: (not n.isupper(), n))
    for name in evaluation.__all__:
        assert getattr(evaluation, name) is not None, name


def test_an_actual_repeating_the_target_words_claims_the_target_met() -> None:
    # target 建立健全, actual 建立健全 (the pattern of S7's 及时 / 及时): graded 达成, band [8, 10] of 10.
    row = score_indicator(ind("效益指标", "建立健全", "建立健全", score="10"), D(10), RULES)
    assert (row.grade, row.band, row.score) == ("达成年度指标", (D("8.00"), D("10.00")), D("10.00"))
