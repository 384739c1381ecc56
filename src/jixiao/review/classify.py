"""Read an indicator's name for what it measures: input, output (数量/质量/时效/成本) or outcome.

A small classifier over heads and suffixes (review-pain-points B1; domain-rules.md §1.1): the end of
a 三级 name says what is counted (…数量, …人次 → 数量; …合格率 → 质量; …及时率, …时限 → 时效;
…成本, …单价 → 成本), and a head or an outcome word says a change (增长, 下降, 受益, 改善 → 效益).
Suffixes win over outcome words ("受益老年人数" counts people: 数量). :func:`read_name` returns the
reading and the cue that decided it, so a finding can explain itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

__all__ = ["KIND_LABELS", "Kind", "Reading", "read_name"]

Kind = Literal["input", "count", "completion", "quality", "timeliness", "cost", "outcome", "satisfaction"]

# What each reading means on the form: (一级, 二级 or None, Chinese label, English label).
KIND_LABELS: dict[str, tuple[str, str | None, str, str]] = {
    "input": ("产出指标", None, "投入（人员、资金到位）", "an input (staff or funds in place)"),
    "count": ("产出指标", "数量指标", "产出数量", "an output quantity"),
    "completion": ("产出指标", None, "工作完成情况（产出）", "work completed (an output)"),
    "quality": ("产出指标", "质量指标", "产出质量", "output quality"),
    "timeliness": ("产出指标", "时效指标", "产出时效", "output timeliness"),
    "cost": ("成本指标", None, "成本", "a cost"),
    "outcome": ("效益指标", None, "效益（变化、受益）", "an outcome (a change, a benefit)"),
    "satisfaction": ("满意度指标", None, "满意度", "satisfaction"),
}


@dataclass(frozen=True, slots=True)
class Reading:
    """What a name reads as, and the words that decided it (e.g. kind "count", cue "人次")."""

    kind: Kind
    cue: str


# Ordered: the first rule that matches decides. Suffixes are tested on the end of the name.
_INPUT = ("到位", "拨付率", "执行率", "到岗率")
_SATISFACTION = ("满意度", "满意率")
_COST_SUFFIX = ("成本", "单价", "费用", "成本额", "补贴标准", "收费标准", "造价", "价格")
_COUNT_SUFFIX = (
    "数量",
    "次数",
    "人次",
    "个数",
    "面积",
    "人数",
    "户数",
    "件数",
    "场次",
    "台数",
    "套数",
    "项数",
    "册数",
    "份数",
    "期数",
    "家数",
    "条数",
    "处数",
    "里程",
    "长度",
    "公里数",
    "座数",
    "点数",
)
_COMPLETION_SUFFIX = ("完成率", "办结率", "派单率", "完成比例", "实施率", "结案率", "处置率")
_QUALITY_SUFFIX = (
    "合格率",
    "通过率",
    "准确率",
    "验收率",
    "完好率",
    "正确率",
    "可用率",
    "正常运行率",
)
_TIMELINESS_SUFFIX = ("及时率", "时限", "及时性", "完成时间", "办结时限", "响应时间", "恢复时间", "按时率")
_OUTCOME_WORDS = ("增长", "下降", "受益", "改善", "降低", "减少", "增加", "提升率", "增幅", "降幅")


@lru_cache(maxsize=8192)
def read_name(name: str) -> Reading | None:
    """Return what the (squeezed) 三级 name measures, or None when the words do not say.

    >>> read_name("服务人次")
    Reading(kind='count', cue='人次')
    >>> read_name("辖区空气质量优良天数增长")
    Reading(kind='outcome', cue='增长')
    """
    for word in _INPUT:
        if word in name:
            return Reading("input", word)
    for word in _SATISFACTION:
        if word in name:
            return Reading("satisfaction", word)
    for kind, suffixes in (
        ("cost", _COST_SUFFIX),
        ("count", _COUNT_SUFFIX),
        ("completion", _COMPLETION_SUFFIX),
        ("quality", _QUALITY_SUFFIX),
        ("timeliness", _TIMELINESS_SUFFIX),
    ):
        for suffix in suffixes:
            if name.endswith(suffix):
                return Reading(kind, suffix)  # type: ignore[arg-type]
    for word in _OUTCOME_WORDS:
        if word in name:
            return Reading("outcome", word)
    return None
