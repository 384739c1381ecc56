"""适当性 (ambition and appropriateness): targets neither too low nor unrelated to the money.

88号 Art. 25 适当性 (domain-rules.md §3.1); review-pain-points C3 (low-ball targets), A4 (inputs as
outputs), D1 (scope beyond the funds).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.domain.i18n import N_
from jixiao.domain.model import Declaration
from jixiao.review.lexicon import rows, squeeze, sweeping_phrases
from jixiao.review.registry import Context, Evidence, Hit, indicator_evidence, rule, target_hit


def unit_key(decl: Declaration) -> tuple[str, int | None]:
    """Return the group a batch rule compares within: (implementing unit or department, year)."""
    unit = (
        squeeze(decl.project.implementing_unit)
        or squeeze(decl.project.competent_department)
        or "（未填写单位）"
    )
    return unit, decl.year


def _satisfaction_value(decl: Declaration) -> list[tuple[int, Decimal]]:
    out: list[tuple[int, Decimal]] = []
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        if (
            row.satisfaction
            and t.kind == "numeric"
            and t.unit in ("%", "％")
            and t.value is not None
            and t.op in (">=", ">", "=")
        ):
            out.append((i, t.value))
    return out


@rule("JX-A01")
def low_satisfaction(decls: Sequence[Declaration], ctx: Context) -> Iterator[tuple[int, Hit]]:
    """Compare each satisfaction target with the median of the same unit's satisfaction targets."""
    gap = Decimal(str(ctx.param("gap")))
    min_peers = int(ctx.param("min_peers"))
    groups: dict[tuple[str, int | None], list[tuple[int, int, Decimal]]] = defaultdict(list)
    for d_index, decl in enumerate(decls):
        for i_index, value in _satisfaction_value(decl):
            groups[unit_key(decl)].append((d_index, i_index, value))
    for members in groups.values():
        if len({d for d, _, _ in members}) < min_peers + 1:
            continue
        values = sorted(v for _, _, v in members)
        norm = values[len(values) // 2]  # the upper median: robust against the one low-ball form
        for d_index, i_index, value in members:
            if norm - value >= gap:
                ind = decls[d_index].indicators[i_index]
                yield (
                    d_index,
                    target_hit(
                        ind,
                        i_index,
                        norm=_plain(norm),
                        gap=_plain(norm - value),
                        suggestion_zh=N_("参照本单位同类项目将目标值提高至「>={norm}%」，或说明偏低的理由"),
                        suggestion_args={"norm": _plain(norm)},
                    ),
                )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


@rule("JX-A02")
def cannot_fail(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """>=0, <=100% and 0%-100% are always met."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        trivial = (
            (t.kind == "numeric" and t.op == ">=" and t.value == 0)
            or (
                t.kind == "numeric"
                and t.op in ("<=",)
                and t.unit == "%"
                and t.value is not None
                and t.value >= 100
            )
            or (t.kind == "range" and t.low == 0 and t.unit == "%" and t.high is not None and t.high >= 100)
        )
        if trivial:
            yield target_hit(
                ind,
                i,
                suggestion_zh=N_("设定有约束力的目标值（参照上年实际值或行业标准）"),
            )


@rule("JX-A03")
def input_as_output(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """到位率/拨付率/执行率 under 产出."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        if row.output and row.input:
            yield Hit(
                indicator_evidence(ind, i),
                {"name": ind.name},
                suggestion_zh=N_("改为人员或资金完成的工作量，如巡查网格数、发现案件数（个/件）"),
            )


@rule("JX-A04")
def satisfaction_floor(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A satisfaction target under the floor (a parameter; 80% by default)."""
    floor = Decimal(str(ctx.param("floor")))
    for i, value in _satisfaction_value(decl):
        if value < floor:
            ind = decl.indicators[i]
            yield target_hit(
                ind,
                i,
                floor=_plain(floor),
                suggestion_zh=N_("目标值不低于 {floor}%，或说明理由"),
                suggestion_args={"floor": _plain(floor)},
            )


@rule("JX-A05")
def sweeping_goal(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """跨越式发展 on a staffing budget."""
    for field in ("overall", "annual"):
        phrases = sweeping_phrases(getattr(decl.goals, field))
        if phrases:
            amount = decl.funding.annual if decl.funding.annual is not None else decl.funding.total
            yield Hit(
                Evidence(field=f"goals.{field}"),
                {"phrases": "、".join(phrases), "amount": f"{amount:,.2f}" if amount is not None else "—"},
                suggestion_zh=N_("写本项目资金能直接带来的结果，删去宏观表述"),
            )
            return


_EVALUATION_PROJECT = re.compile("回访|测评|评估|评价")
_OTHERS_WORK = re.compile("办结|处置|解决|整改")


@rule("JX-A06")
def outside_control(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A call-back or evaluation contract declaring the completion rate of the work it evaluates."""
    project = squeeze(decl.project.name)
    own = _EVALUATION_PROJECT.search(project)
    if own is None:
        return
    for row in rows(decl):
        if row.output and _OTHERS_WORK.search(row.name) and own.group(0) not in row.name:
            yield Hit(
                indicator_evidence(row.ind, row.index),
                {"name": row.ind.name, "project": decl.project.name},
                suggestion_zh=f"改为本项目自身的产出，如「{own.group(0)}数量」「{own.group(0)}报告按月提交」",
                suggestion_en="measure what this contract itself delivers (call-backs made, reports filed)",
            )
