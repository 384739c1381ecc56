"""The rules fed by peer data (JX-A09, JX-A10, JX-R17) on hand-made declarations and peer sets.

Each row of a table gives the peers, the declaration's target and the findings expected, worked out
in the comment beside it. Without peer data the rules are silent.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from review_helpers import ROAD, WELL_FORMED

from jixiao.domain.model import Declaration
from jixiao.domain.targets import try_parse_target
from jixiao.review import review
from jixiao.review.peers import PeerBenchmarks, PeerBuilder, goal_sentences, indicator_set_key, quantile

UNIT = "上海市某区建设管理委员会"  # ROAD's implementing unit
PEER_CODES = ("JX-A09", "JX-A10", "JX-R17")


def _with(decl: Declaration, name: str, value: str, year: int | None = None) -> Declaration:
    out = copy.deepcopy(decl)
    next(i for i in out.indicators if i.name == name).target = try_parse_target(value)
    if year is not None:
        out.year = year
    return out


def _found(decl: Declaration, peers: PeerBenchmarks | None, code: str) -> list[str]:
    report = review([decl], peers=peers)
    return [f.message_zh for f in report.declarations[0].findings if f.code == code]


def _actual(unit: str, year: int, name: str, actual: str) -> PeerBenchmarks:
    b = PeerBuilder()
    b.add_actual(unit, year, name, try_parse_target(actual), actual)
    return b.build()


@pytest.mark.parametrize(
    ("peers", "row", "target", "expected"),
    [
        # Last year's 88% and a >=85% target: 85 < 88, low-balled.
        (_actual(UNIT, 2021, "道路优良率", "88%"), "道路优良率", ">=85%", 1),
        # >=88% equals the actual: not below it.
        (_actual(UNIT, 2021, "道路优良率", "88%"), "道路优良率", ">=88%", 0),
        # The actual is of 2020, not the year before 2022: no comparison.
        (_actual(UNIT, 2020, "道路优良率", "88%"), "道路优良率", ">=85%", 0),
        # Another unit's actual is not this unit's.
        (_actual("某县建设局", 2021, "道路优良率", "88%"), "道路优良率", ">=85%", 0),
        # A synonym of the satisfaction key: 群众满意度 last year 95%, 市民出行满意度 is its own key → 0;
        # the name key merges spellings only (市民满意度 → 服务对象满意度).
        (_actual(UNIT, 2021, "群众满意度", "95%"), "市民出行满意度", ">=90%", 0),
        # Another measure unit (分 vs %): not the same scale.
        (_actual(UNIT, 2021, "道路优良率", "88分"), "道路优良率", ">=85%", 0),
        # 反向: a <=24 hour limit after 12 hours achieved asks for less (24 > 12).
        (_actual(UNIT, 2021, "坑塘修补时限", "12小时"), "坑塘修补时限", "<=24小时", 1),
        # 反向: <=10 小时 after 12 achieved is stricter.
        (_actual(UNIT, 2021, "坑塘修补时限", "12小时"), "坑塘修补时限", "<=10小时", 0),
    ],
)
def test_a_target_below_the_units_own_last_actual(
    peers: PeerBenchmarks, row: str, target: str, expected: int
) -> None:
    assert len(_found(_with(ROAD, row, target), peers, "JX-A09")) == expected


def test_the_low_balled_message_names_the_actual_and_its_year() -> None:
    [message] = _found(_with(ROAD, "道路优良率", ">=85%"), _actual(UNIT, 2021, "道路优良率", "88%"), "JX-A09")
    assert message == "「道路优良率」目标值 >=85% 未达到本单位 2021 年已实际完成的 88%"


def _targets(values: list[tuple[str, int]], name: str = "道路优良率", uom: str = "%") -> PeerBenchmarks:
    b = PeerBuilder()
    for unit, value in values:
        b.add_target(unit, name, try_parse_target(f">={value}{uom}"))
    return b.build()


FIVE = [(f"单位{n}", v) for n, v in enumerate((85, 88, 90, 92, 95))]  # p10 = 85 + 0.4 × 3 = 86.2


@pytest.mark.parametrize(
    ("peers", "target", "expected"),
    [
        (_targets(FIVE), ">=86%", 1),  # 86 < 86.2
        (_targets(FIVE), ">=86.2%", 0),  # at the p10: not below
        (_targets(FIVE[:4]), ">=80%", 0),  # four units: below min_units (5)
        # Five entries but two from one unit: four units → silent.
        (_targets([*FIVE[:4], ("单位0", 99)]), ">=80%", 0),
        # ROAD's own unit among the six is left out: five others remain (p10 86.2) → 1.
        (_targets([*FIVE, (UNIT, 10)]), ">=86%", 1),
        (_targets(FIVE, uom="分"), ">=80%", 0),  # the peers' scale is 分, the target's %
    ],
)
def test_a_rate_below_the_peers_10th_percentile(peers: PeerBenchmarks, target: str, expected: int) -> None:
    assert len(_found(_with(ROAD, "道路优良率", target), peers, "JX-A10")) == expected


def test_counts_are_not_compared_across_projects() -> None:
    # 坑塘修补数量 >=3000处 below five units' 5000–9000处: a count scales with the money → silent.
    peers = _targets([(f"单位{n}", 5000 + 1000 * n) for n in range(5)], "坑塘修补数量", "处")
    assert _found(ROAD, peers, "JX-A10") == []


def test_the_peer_threshold_is_configurable() -> None:
    decl = _with(ROAD, "道路优良率", ">=80%")
    report = review([decl], peers=_targets(FIVE[:3]), config={"rules": {"JX-A10": {"min_units": 3}}})
    [finding] = [f for f in report.declarations[0].findings if f.code == "JX-A10"]
    # Three units 85, 88, 90: p10 = 85 + 0.2 × 3 = 85.6, median 88.
    assert finding.message_zh == (
        "「道路优良率」目标值 >=80% 低于其他 3 个单位同类指标目标值的 10% 分位数 85.6%（3 个项目，中位数 88%）"
    )
    assert finding.suggestion("en") == (
        "estimate the target again against comparable projects (median 88%), or explain why it is lower"
    )


SENTENCE = "加强项目管理，确保项目资金使用规范、安全、有效"


def _goal_peers(units: int, sentence: str = SENTENCE, with_set: list[str] | None = None) -> PeerBenchmarks:
    b = PeerBuilder()
    for n in range(units):
        b.add_goal(f"某县第{n}局", sentence + "。")
        if with_set:
            b.add_indicator_set(f"某县第{n}局", with_set)
    return b.build()


@pytest.mark.parametrize(
    ("peers", "annual_extra", "expected"),
    [
        (_goal_peers(4), SENTENCE + "。", 1),  # four others + this unit = 5 units ≥ 5
        (_goal_peers(3), SENTENCE + "。", 0),  # three others + this = 4 < 5
        (_goal_peers(9), "", 0),  # the sentence is not in this form
        (
            _goal_peers(4),
            "1." + SENTENCE.replace("，", ",") + "；",
            1,
        ),  # numbering and full/half width folded
        (_goal_peers(9, "确保资金安全"), "确保资金安全。", 0),  # under 12 characters: too generic
    ],
)
def test_a_goal_sentence_shared_across_units(peers: PeerBenchmarks, annual_extra: str, expected: int) -> None:
    decl = copy.deepcopy(ROAD)
    decl.goals.annual = (decl.goals.annual or "") + annual_extra
    assert len(_found(decl, peers, "JX-R17")) == expected


def test_the_whole_indicator_set_shared_across_units() -> None:
    names = [i.name for i in ROAD.indicators]
    # The set reversed and one name written as a synonym-free duplicate: the same key.
    peers = _goal_peers(4, "另一句与本项目无关的足够长的目标文本内容", with_set=list(reversed(names)))
    [message] = _found(ROAD, peers, "JX-R17")
    assert message.startswith("整套指标与其他 4 个单位申报表中的相同：「")


@pytest.mark.parametrize("decl", WELL_FORMED, ids=[d.project.name for d in WELL_FORMED])
@pytest.mark.parametrize("peers", [None, PeerBenchmarks()], ids=["no peers", "empty peers"])
def test_the_peer_rules_are_silent_without_data(decl: Declaration, peers: PeerBenchmarks | None) -> None:
    report = review([decl], peers=peers)
    assert [f.code for f in report.declarations[0].findings if f.code in PEER_CODES] == []


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([1], 0.1, "1"),
        ([85, 88, 90, 92, 95], 0.1, "86.2"),
        ([85, 88, 90, 92, 95], 0.5, "90"),
        ([85, 88, 90, 92, 95], 0.9, "93.8"),  # 92 + 0.6 × 3
        ([10, 20], 0.5, "15"),
    ],
)
def test_quantiles_interpolate_as_duckdb_does(values: list[int], q: float, expected: str) -> None:
    assert quantile([Decimal(v) for v in values], q) == Decimal(expected)


def test_sentences_and_sets_are_keyed_as_the_corpus_keys_them() -> None:
    assert goal_sentences("（1）完成区管道路养护120万平方米；确保资金安全。") == [
        "完成区管道路养护120万平方米"
    ]
    assert indicator_set_key(["市民满意度", "群众满意度", "道路优良率"]) is None  # two keys only
    assert (
        indicator_set_key(["市民满意度", "道路优良率", "1.坑塘修补数量"])
        == "坑塘修补数量、服务对象满意度、道路优良率"
    )


@given(
    st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=60),
    st.sampled_from([0.1, 0.5, 0.9]),
)
def test_quantiles_agree_with_numpys_linear_percentile(values: list[int], q: float) -> None:
    got = quantile(sorted(Decimal(v) for v in values), q)
    assert float(got) == pytest.approx(float(np.percentile(values, q * 100)), abs=1e-9)


@given(st.lists(st.tuples(st.sampled_from("甲乙丙丁戊己"), st.integers(0, 100)), min_size=1, max_size=30))
def test_a_unit_is_never_its_own_peer(points: list[tuple[str, int]]) -> None:
    b = PeerBuilder()
    for unit, value in points:
        b.add_target(unit, "道路优良率", try_parse_target(f">={value}%"))
    peers = b.build()
    for unit in {u for u, _ in points}:
        others = [v for u, v in points if u != unit]
        bench = peers.benchmark("道路优良率", "%", without=unit)
        if not others:
            assert bench is None
        else:
            assert bench is not None
            assert (bench.n, bench.min, bench.max) == (len(others), min(others), max(others))
            assert bench.n_units == len({u for u, _ in points if u != unit})
