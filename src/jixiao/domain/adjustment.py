"""绩效目标调整: an approved declaration's targets changed mid-year, kept beside the original.

Once approved, targets "一般不予调整"; when the budget is adjusted (预算调整) the targets change with
it, through the same approval (财预〔2015〕88号; domain-rules.md §3.2). In-year monitoring names the
same case: objective causes → "cut the budget and adjust the targets at the same time"
(财预〔2019〕136号, domain-rules.md §4).

Pure: which indicators and amounts a proposal changes, the adjusted declaration, and which approved
adjustment is in force (the latest). The use cases (services.adjustments) store and review them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jixiao.domain.errors import InputError, Location
from jixiao.domain.model import Declaration
from jixiao.domain.targets import try_parse_target

__all__ = [
    "Change",
    "InForce",
    "adjusted_declaration",
    "changes",
    "in_force",
    "invalid_adjustment",
    "scored_against",
]

# The longest reason kept (a paragraph of the 预算调整 request).
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class Change:
    """One changed value: an indicator's target (``field`` = ``indicators[n].target``) or funds."""

    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class InForce:
    """An approved adjustment: when it was approved, why, and what it changed."""

    approved_on: date
    reason: str


def _amount_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def changes(original: Declaration, adjusted: Declaration) -> list[Change]:
    """Return what ``adjusted`` changes in ``original``: targets by position, then 年度资金总额."""
    out: list[Change] = []
    for n, (a, b) in enumerate(zip(original.indicators, adjusted.indicators, strict=False)):
        if a.target.text != b.target.text:
            out.append(Change(f"indicators[{n}].target", a.name, a.target.text, b.target.text))
    if original.funding.annual != adjusted.funding.annual:
        out.append(
            Change(
                "funding.annual",
                "年度资金总额",
                _amount_text(original.funding.annual),
                _amount_text(adjusted.funding.annual),
            )
        )
    return out


def invalid_adjustment(zh: str, en: str, field: str) -> InputError:
    """Return the error for an adjusted target, amount or position that cannot be taken (JX-E772),
    at the field it concerns."""
    return InputError(zh, en, code="JX-E772", where=Location(field=field))


def adjusted_declaration(
    original: Declaration, targets: Mapping[int, str], annual: Decimal | None = None
) -> Declaration:
    """Return ``original`` with the targets at the given positions and, if given, 年度资金总额 changed.

    The indicators themselves (names, levels, order) stay: an adjustment changes values, not the
    framework. An unreadable target or a position that is not an indicator is an InputError
    (JX-E772), with the field it concerns.
    """
    indicators = list(original.indicators)
    for position, text in targets.items():
        if not 0 <= position < len(indicators):
            raise invalid_adjustment(
                f"没有第 {position + 1} 个指标",
                f"there is no indicator {position + 1}",
                f"indicators[{position}].target",
            )
        text = (text or "").strip()
        if not text or text == indicators[position].target.text:
            continue
        target = try_parse_target(text)
        if target.kind == "invalid":
            raise invalid_adjustment(
                f"第 {position + 1} 个指标「{indicators[position].name}」调整后的目标值「{text}」无法识别：{target.error}",
                f"indicator {position + 1} ('{indicators[position].name}'): the adjusted target '{text}' "
                "is unreadable",
                f"indicators[{position}].target",
            )
        indicators[position] = dataclasses.replace(indicators[position], target=target)
    funding = original.funding
    if annual is not None:
        if annual < 0:
            raise invalid_adjustment(
                "调整后的年度资金总额不能为负数",
                "the adjusted annual amount cannot be negative",
                "funding.annual",
            )
        funding = dataclasses.replace(funding, annual=annual)
    return dataclasses.replace(original, indicators=indicators, funding=funding, warnings=[])


def in_force(approved: Iterable[tuple[date | None, str]]) -> InForce | None:
    """Return the adjustment in force among ``(approved_on, reason)`` pairs: the latest approved.

    Pairs without a date (not approved) are ignored; with none approved the original targets stand.
    """
    dated = [(d, r) for d, r in approved if d is not None]
    if not dated:
        return None
    approved_on, reason = max(dated, key=lambda pair: pair[0])
    return InForce(approved_on, reason)


def scored_against(adjustment: InForce | None) -> tuple[str, str] | None:
    """Return the line a score carries when it uses adjusted targets (zh, en), or None."""
    if adjustment is None:
        return None
    day = adjustment.approved_on.isoformat()
    return (f"按调整后目标（{day} 调整）评分", f"scored against the adjusted targets (adjusted {day})")
