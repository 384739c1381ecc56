"""Default bindings proposed from an indicator's name and target (the seed forms' wording).

The rules follow the formulas of the reference note on operational data (§4): 当天派单, 7天内完成
(一般案件处置及时性), 按时办结率 (Jinhua form: 缓办、退单、作废 excluded), 当天回访, 满意度 (latest
call-back, 满意 + 基本满意 over the rated ones), 派单准确率 (1 − returns for 派错/非职责), 处置类别
(distinct 小类 of closed cases) and the other seed rates. A 托底 project counts only 无主 cases.
An indicator no record can answer (建立健全, 信息员操作满意度: a survey of staff) gets None, with why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.domain.targets import Target
from jixiao.records.binding import Binding

__all__ = ["Proposal", "propose_binding"]

# Channels through which the centre's own people find a case (reference §4.9, 先行发现).
OWN_CHANNELS = ["监督员巡查", "视频", "物联感知", "无人机"]
# Returns that mean the dispatcher chose the wrong agency (reference §4.6).
WRONG_DISPATCH = ["派错", "非职责"]
# Orders taken out of the 按时办结率 denominator (Jinhua formula, reference §2).
EXCLUDED_STAGES = ["缓办", "退单", "作废"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed binding (or None) and, in both languages, what it counts or why there is none."""

    binding: Binding | None
    why_zh: str
    why_en: str


def _unit_of(target: Target) -> tuple[str, int]:
    unit = target.unit or "天"
    value = int(target.value or 0)
    if "当天" in target.text or "当日" in target.text:
        return "calendar_dates", 0
    if unit == "工作日":
        return "working_days", value
    if unit in ("小时",):
        return "hours", value
    if unit in ("工作时",):
        return "working_hours", value
    return "natural_days", value


def propose_binding(name: str, target: Target, project: str = "") -> Proposal:
    """Return the default binding for indicator ``name`` with ``target`` in project ``project``."""
    n = name.replace(" ", "")
    ownerless = [{"field": "ownerless", "op": "eq", "value": True}] if "托底" in project else []

    def make(data: dict[str, Any], zh: str, en: str) -> Proposal:
        return Proposal(Binding.from_dict(data), zh, en)

    def rate(
        source: str | None, period: str, where: list[Any], numerator: list[Any], zh: str, en: str
    ) -> Proposal:
        data = {"metric": "rate", "source": source, "period": period, "where": where, "numerator": numerator}
        return make(data, zh, en)

    def flag(field: str) -> list[dict[str, Any]]:
        return [{"field": field, "op": "eq", "value": True}]

    def given(field: str) -> list[dict[str, Any]]:
        return [{"field": field, "op": "not_null"}]

    def within(
        source: str, start: str, where: list[Any], end: str, unit: str, limit: int, zh: str, en: str
    ) -> Proposal:
        # counted in the month of the start, within ``limit`` ``unit`` after it
        data = {"metric": "within", "source": source, "period": start, "where": where, "start": start}
        return make(data | {"end": end, "limit": limit, "unit": unit}, zh, en)

    if "巡查" in n and ("覆盖" in n or "覆盖" in target.text):
        # 网格巡查区域 全覆盖 (reference §4.8): every in-scope cell patrolled every day
        return make(
            {"metric": "coverage", "cycle": "day"},
            "单元网格清单中纳入考核的网格，期内每天都有巡查记录的比例（需导入巡查记录和单元网格清单）",
            "share of the register's in-scope grid cells patrolled every day of the period "
            "(needs the patrol logs and the grid cell register)",
        )
    if "满意" in n:
        if "信息员" in n or "操作" in n:
            return Proposal(
                None,
                "信息员操作满意度来自对信息员的问卷，不在案件记录里",
                "operator satisfaction comes from a staff survey, not from case records",
            )
        return make(
            {
                "metric": "satisfaction",
                "source": "hotline" if "热线" in project or "回访" in project else None,
                "period": "latest_callback_at",
                "good": ["满意", "基本满意"],
            },
            "最近一次接通回访为满意或基本满意的案件 ÷ 有评价的案件（未评价不计）",
            "cases whose latest reached call-back is satisfied or fairly satisfied ÷ rated cases",
        )
    if "处置类别" in n:
        return make(
            {
                "metric": "distinct",
                "source": "grid",
                "period": "closed_at",
                "field": "service_code",
                "where": ownerless,
            },
            "期内结案案件的不同小类数" + ("（无主案件）" if ownerless else ""),
            "distinct service types of cases closed in the period" + (" (ownerless)" if ownerless else ""),
        )
    if "处置案件完成率" in n or ("处置" in n and "完成率" in n):
        return rate(
            "grid",
            "dispatched_at",
            ownerless,
            given("closed_at"),
            "期内派遣的案件中已结案的比例",
            "share of cases dispatched in the period that are closed",
        )
    if "处置通过率" in n:
        return rate(
            "grid",
            "closed_at",
            ownerless,
            [{"field": "rework_count", "op": "eq", "value": 0}],
            "期内结案案件中核查一次通过（未返工）的比例",
            "share of closed cases that passed the check without rework",
        )
    if (
        target.kind == "deadline"
        and target.month is None
        and ("处置" in n or "及时" in n or "完成" in target.text)
        and "派单" not in n
        and "回访" not in n
        and "派单" not in target.text
        and "回访" not in target.text
    ):
        unit, limit = _unit_of(target)
        return within(
            "grid",
            "dispatched_at",
            [{"field": "priority", "op": "eq", "value": "一般"}, *ownerless],
            "closed_at",
            unit,
            limit,
            f"一般案件中派遣后 {limit} 天内结案的比例",
            f"share of ordinary cases closed within {limit} days of dispatch",
        )
    if "先行发现" in n:
        return rate(
            "grid",
            "reported_at",
            [{"field": "stage", "op": "ne", "value": "作废"}],
            [{"field": "channel", "op": "in", "value": OWN_CHANNELS}],
            "有效案件中由监督员巡查、视频、物联感知、无人机发现的比例",
            "share of valid cases found by inspectors, video, sensors or drones",
        )
    if "派单准确率" in n:
        return rate(
            None,
            "dispatched_at",
            [],
            [{"field": "return_reason", "op": "not_in", "value": WRONG_DISPATCH}],
            "期内派单中未因派错、非职责退回的比例",
            "share of dispatches not returned as wrong or not responsible",
        )
    if "派单" in n and ("及时" in n or "当天" in target.text):
        unit, limit = _unit_of(target)
        if unit == "calendar_dates":
            unit = "working_days"  # 当天派单: the same working day; a weekend order rolls to Monday
        return within(
            "hotline",
            "accepted_at",
            flag("needs_dispatch"),
            "dispatched_at",
            unit,
            limit,
            "需派单的工单中受理当天（工作日）派单的比例",
            "share of orders dispatched on the working day they were accepted",
        )
    if "派单完成率" in n:
        return rate(
            "hotline",
            "accepted_at",
            flag("needs_dispatch"),
            given("dispatched_at"),
            "需派单的工单中已派单的比例",
            "share of orders needing dispatch that were dispatched",
        )
    if "按时办结" in n:
        return make(
            {
                "metric": "within",
                "source": "hotline",
                "period": "due_at",
                "where": [{"field": "stage", "op": "not_in", "value": EXCLUDED_STAGES}],
                "start": "accepted_at",
                "end": "closed_at",
                "deadline": "due_at",
            },
            "期内到期的工单（不含缓办、退单、作废）中在时限内办结的比例",
            "share of orders due in the period (less postponed, returned, void) closed by their due time",
        )
    if "回访" in n and ("及时" in n or "当天" in target.text):
        unit, limit = _unit_of(target)
        return within(
            "hotline",
            "closed_at",
            flag("callback_required"),
            "first_callback_at",
            unit,
            limit,
            "期内办结、需回访的工单中办结当天回访的比例",
            "share of closed orders called back on the day they closed",
        )
    if "回访完成率" in n:
        return rate(
            "hotline",
            "closed_at",
            flag("callback_required"),
            given("first_reached_callback_at"),
            "期内办结、需回访的工单中已接通回访的比例",
            "share of closed orders needing a call-back that were reached",
        )
    if "办结率" in n:
        return rate(
            "hotline",
            "accepted_at",
            [{"field": "stage", "op": "ne", "value": "作废"}],
            given("closed_at"),
            "期内受理的工单中已办结的比例",
            "share of orders accepted in the period that are closed",
        )
    if "信息员数量" in n or ("信息员" in n and target.unit == "人"):
        return make(
            {"metric": "distinct", "source": "hotline", "period": "dispatched_at", "field": "dispatcher_id"},
            "期内派过单的不同平台信息员人数",
            "distinct platform operators who dispatched in the period",
        )
    return Proposal(None, "案件记录中没有可计算此指标的数据", "no record field answers this indicator")
