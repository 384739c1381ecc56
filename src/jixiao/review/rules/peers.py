"""Rules fed by peer data: the unit's own last actual, other units' targets, text shared across units.

They read :class:`~jixiao.review.peers.PeerBenchmarks` from the context (built from the database by the
web's services, from a corpus dataset by ``jixiao review --peers``); without it, or without the data a
check needs, they say nothing. 88号 Art. 25 适当性 (domain-rules.md §3.1); review-pain-points C3
(low-ball targets: "compare with the prior-year actual, with peers of the same unit or type") and B6
(boilerplate, here across units rather than within one).
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.domain.i18n import N_
from jixiao.domain.model import Declaration
from jixiao.review.lexicon import rows
from jixiao.review.names import normalise_indicator_name
from jixiao.review.peers import goal_sentences, indicator_set_key, plain, unit_name
from jixiao.review.registry import Context, Evidence, Hit, rule, target_hit

# A rate or a share compares across projects of any size; a count (个, 人次, 公里) grows with the
# project's money, so a small project's low count is no low ambition.
_SCALE_FREE = ("%", "％")
_UP = (">=", ">", "=")
_DOWN = ("<=", "<")


@rule("JX-A09")
def below_last_actual(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A numeric target asking less than the unit's own actual of the year before, as its self-evaluation
    reported it for the same indicator (name key) in the same measure unit; for a 反向 target (<=),
    asking less means allowing more."""
    peers = ctx.peers
    if not peers or not peers.actuals or decl.year is None:
        return
    unit = unit_name(decl.project.implementing_unit, decl.project.competent_department)
    if not unit:
        return
    for row in rows(decl):
        t = row.ind.target
        if t.kind != "numeric" or t.value is None:
            continue
        last = peers.previous_actual(unit, decl.year, normalise_indicator_name(row.ind.name), t.unit or "")
        if last is None:
            continue
        if (t.op in _UP and t.value < last.value) or (t.op in _DOWN and t.value > last.value):
            yield target_hit(
                row.ind,
                row.index,
                year=decl.year - 1,
                actual=last.text,
                suggestion_zh=N_("目标值不低于上年实际完成值「{actual}」，或说明下调的理由"),
                suggestion_args={"actual": last.text},
            )


@rule("JX-A10")
def below_peer_p10(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A rate target (>=, >, = in %) below the 10th percentile of the other units' targets for the same
    indicator (name key) and measure unit, when at least ``min_units`` other units set one."""
    peers = ctx.peers
    if not peers or not peers.targets:
        return
    min_units = int(ctx.param("min_units"))
    unit = unit_name(decl.project.implementing_unit, decl.project.competent_department)
    for row in rows(decl):
        t = row.ind.target
        if t.kind != "numeric" or t.value is None or t.op not in _UP or (t.unit or "") not in _SCALE_FREE:
            continue
        bench = peers.benchmark(normalise_indicator_name(row.ind.name), t.unit or "", without=unit or None)
        if bench is None or bench.n_units < min_units or t.value >= bench.p10:
            continue
        uom = t.unit or ""
        yield target_hit(
            row.ind,
            row.index,
            units=bench.n_units,
            n=bench.n,
            p10=plain(bench.p10),
            median=plain(bench.median),
            uom=uom,
            suggestion_zh=N_("参照同类项目的目标值（中位数 {median}{uom}）重新测算，或说明偏低的理由"),
            suggestion_args={"median": plain(bench.median), "uom": uom},
        )


@rule("JX-R17")
def shared_across_units(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A goal sentence, or the whole indicator set, found in the forms of ``min_units`` or more units
    (this one included); one finding per goal field and one for the set."""
    peers = ctx.peers
    if not peers or not (peers.goal_units or peers.set_units):
        return
    min_units = int(ctx.param("min_units"))
    unit = unit_name(decl.project.implementing_unit, decl.project.competent_department)
    if not unit:
        return  # a form naming no unit cannot be told apart from the others
    for field, zh, en in (("overall", "项目总目标", "overall goal"), ("annual", "年度总目标", "annual goal")):
        for sentence in goal_sentences(getattr(decl.goals, field)):
            units = peers.goal_units.get(sentence, frozenset()) | {unit}
            if len(units) >= min_units:
                yield Hit(
                    Evidence(field=f"goals.{field}"),
                    {"field_zh": zh, "field_en": en, "others": len(units) - 1, "text": sentence},
                    suggestion_zh=N_("按本项目的具体内容重写，写明本项目的产出和效果"),
                )
                break
    key = indicator_set_key(ind.name for ind in decl.indicators)
    if key is not None:
        units = peers.set_units.get(key, frozenset()) | {unit}
        if len(units) >= min_units:
            yield Hit(
                Evidence(field="indicators"),
                {
                    "field_zh": "整套指标",
                    "field_en": "the whole indicator set",
                    "others": len(units) - 1,
                    "text": key,
                },
                suggestion_zh=N_("按本项目的产出和效果设置指标，不照搬其他单位的指标表"),
            )
