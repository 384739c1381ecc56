"""Indicator design read by meaning, and the rest of the reviewer's checklist (review-pain-points B1,
B4, B9, C2, C5, D1).

The level check reads each 三级 name with :func:`jixiao.review.classify.read_name` and explains the
reading in the finding; the batch rules compare a project with its own previous year.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.domain.i18n import N_, tr
from jixiao.domain.model import Declaration
from jixiao.review.classify import read_name
from jixiao.review.lexicon import goal_quantity_for, rows, squeeze
from jixiao.review.registry import Context, Evidence, Hit, indicator_evidence, rule, target_hit
from jixiao.review.rules.ambition import unit_key
from jixiao.review.rules.relevance import explain

_LEVEL2_OF = {"count": "数量指标", "quality": "质量指标", "timeliness": "时效指标"}


@rule("JX-R13")
def outcome_as_output(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """增长/下降/受益/改善 in a name under 产出 with no output suffix (受益人数 is a count: 数量)."""
    for row in rows(decl):
        if not row.output:
            continue
        reading = read_name(row.name)
        if reading is None or reading.kind != "outcome":
            continue
        yield Hit(
            indicator_evidence(row.ind, row.index),
            {"name": row.ind.name, "reading": explain(reading), "reading_en": explain(reading, "en")},
            suggestion_zh=N_("移至效益指标；产出指标写项目直接完成的数量、质量和时效"),
        )


@rule("JX-R14")
def level2_contradicts_name(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Under 产出: a count under 质量/时效, a pass rate under 数量/时效, a time limit under 数量/质量."""
    for row in rows(decl):
        if not row.output or row.level2 not in _LEVEL2_OF.values():
            continue
        reading = read_name(row.name)
        if reading is None or reading.kind not in _LEVEL2_OF or _LEVEL2_OF[reading.kind] == row.level2:
            continue
        should = _LEVEL2_OF[reading.kind]
        yield Hit(
            indicator_evidence(row.ind, row.index),
            {
                "name": row.ind.name,
                "reading": explain(reading),
                "reading_en": explain(reading, "en"),
                "level2": row.ind.level2 or row.level2,
            },
            suggestion_zh=N_("改列「{should}」，或修改指标名称"),
            suggestion_args={"should": should, "should_en": tr(should, "en")},
        )


# Rows that say nothing whatever happens: a generic task completion at 100 %, or a budget term
# (review-pain-points B4: "任务完成率 =100%", "足额保障率 =100%", "科目调整次数≤10次", 结余率 as 经济效益).
_GENERIC_COMPLETION = re.compile(
    "^(?:任务|工作|项目|计划|目标|年度任务|工作任务|年度计划)完成(?:率|比例|情况)$"
)
_BUDGET_TERMS = re.compile(
    "预算执行|资金执行|结余率|调整次数|足额保障|经费保障率|资金保障率|资金使用率|支付进度|拨付进度"
)


@rule("JX-Q11")
def tautological_rows(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """任务完成率 =100% (true of any project that is done) or a budget-management term as a target.

    到位率/拨付率/执行率 under 产出 are JX-A03 (inputs); this rule takes the rest.
    """
    for row in rows(decl):
        t = row.ind.target
        if _GENERIC_COMPLETION.match(row.name) and (t.value == 100 or t.kind == "qualitative"):
            why, why_en = (
                "是任何项目完成后都成立的笼统完成率",
                "is a generic completion rate true of any finished project",
            )
        elif _BUDGET_TERMS.search(row.name) and not (row.output and row.input):
            why, why_en = "是预算管理过程指标", "is a budget-process measure"
        else:
            continue
        yield target_hit(
            row.ind,
            row.index,
            why=why,
            why_en=why_en,
            suggestion_zh=N_(
                "改为本项目具体的产出数量、质量或效益（如「完成X项/件」「较上年提高N个百分点」）"
            ),
        )


_BASE_RATE = re.compile("(完成率|完成比例|覆盖率|实施率)$")


@rule("JX-Q12")
def rate_without_base(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A completion or coverage rate under 质量/时效 (under 数量 it is JX-Q07) with no count of its subject."""
    counts = [r.name for r in rows(decl) if (rd := read_name(r.name)) is not None and rd.kind == "count"]
    for row in rows(decl):
        if not row.output or row.level2 == "数量指标":
            continue
        m = _BASE_RATE.search(row.name)
        if m is None:
            continue
        subject = row.name[: m.start()]
        for verb in ("建设", "维修", "养护", "整改", "任务", "工作", "服务", "全", "的"):
            subject = subject.removesuffix(verb)
        if len(subject) < 2:
            continue
        core = subject[-2:]
        if any(core in name for name in counts):
            continue
        if goal_quantity_for(subject, decl.goals.annual, decl.goals.overall) is not None:
            continue
        yield Hit(
            indicator_evidence(row.ind, row.index),
            {"name": row.ind.name, "subject": subject},
            suggestion_zh=N_("增设「{subject}数量」指标（年度计划数），或在指标值说明中写明分母"),
            suggestion_args={"subject": subject},
        )


# The core indicators of a project type (review-pain-points B9; an indicator library by type, R15;
# the 101号 templates). Known types only: a training project counts its trainees; a purchase counts
# what it buys; where cost rows are set, each has its unit cost.
_TYPES: tuple[tuple[str, re.Pattern[str], re.Pattern[str], re.Pattern[str], str, str], ...] = (
    (
        "培训",
        re.compile("培训"),
        re.compile("培训|参训|学员|受训"),
        re.compile("人均|每人|人次"),
        "培训人次（或参训人数）",
        "人均培训成本（元/人次）",
    ),
    (
        "购置",
        re.compile("购置|采购|购买设备|配备"),
        re.compile("购置|采购|配备|设备|数量"),
        re.compile("单台|单套|单件|单位|单价|每台|每套"),
        "购置数量（台/套）",
        "单位购置成本（元/台）",
    ),
)


@rule("JX-R15")
def core_indicator_missing(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A training project without a trainee count; a purchase without a count; either, where cost rows
    are set, without the unit cost."""
    project = squeeze(decl.project.name)
    for kind, is_type, count_words, per_words, count_what, cost_what in _TYPES:
        if not is_type.search(project):
            continue
        all_rows = rows(decl)
        has_count = any(
            r.output
            and (rd := read_name(r.name)) is not None
            and rd.kind == "count"
            and count_words.search(r.name)
            for r in all_rows
        )
        cost_rows = [r for r in all_rows if r.cost]
        missing = []
        if not has_count:
            missing.append((count_what, "a count of what it delivers"))
        if cost_rows and not any(
            per_words.search(r.name) or "/" in (r.ind.target.unit or "") for r in cost_rows
        ):
            missing.append((cost_what, "a unit cost"))
        for what, what_en in missing:
            yield Hit(
                Evidence(field="indicators"),
                {
                    "kind": kind,
                    "kind_en": "training" if kind == "培训" else "purchase",
                    "project": decl.project.name,
                    "what": what,
                    "what_en": what_en,
                },
                suggestion_zh=N_("增设「{what}」"),
                suggestion_args={"what": what, "what_en": what_en},
            )
        return


def _previous_years(decls: Sequence[Declaration]) -> Iterator[tuple[int, Declaration, Declaration]]:
    """Yield (index, this year's declaration, the same project's declaration of the year before)."""
    by_key: dict[tuple[str, str, int], int] = {}
    for n, decl in enumerate(decls):
        name = squeeze(decl.project.name)
        if name and decl.year is not None:
            by_key[(unit_key(decl)[0], name, decl.year)] = n
    for (unit, name, year), n in by_key.items():
        before = by_key.get((unit, name, year - 1))
        if before is not None:
            yield n, decls[n], decls[before]


def _change(now: Decimal | None, then: Decimal | None) -> Decimal | None:
    if now is None or then is None or then <= 0:
        return None
    return (now - then) / then


@rule("JX-R16")
def copied_from_last_year(decls: Sequence[Declaration], ctx: Context) -> Iterator[tuple[int, Hit]]:
    """The same project a year later: most (name, target) rows identical, the annual funds ±20 % or more."""
    share, funds_change = float(ctx.param("share")), Decimal(str(ctx.param("funds_change")))
    for n, now, then in _previous_years(decls):
        change = _change(now.funding.annual, then.funding.annual)
        if change is None or abs(change) < funds_change:
            continue
        before = {(r.name, r.target) for r in rows(then)}
        current = rows(now)
        same = sum(1 for r in current if (r.name, r.target) in before)
        if current and same >= share * len(current):
            yield (
                n,
                Hit(
                    Evidence(field="indicators"),
                    {
                        "count": same,
                        "total": len(current),
                        "year": then.year,
                        "change": f"{change * 100:+.0f}",
                    },
                    suggestion_zh=N_("按本年度资金和计划重新测算指标值（资金增加，产出目标相应提高）"),
                ),
            )


@rule("JX-A08")
def outputs_not_scaled(decls: Sequence[Declaration], ctx: Context) -> Iterator[tuple[int, Hit]]:
    """Δfunds ≥ 30 % on the same project's previous year while every 数量 target stays the same."""
    funds_change = Decimal(str(ctx.param("funds_change")))
    for n, now, then in _previous_years(decls):
        change = _change(now.funding.annual, then.funding.annual)
        if change is None or abs(change) < funds_change:
            continue
        before = {r.name: r.target for r in rows(then) if r.level2 == "数量指标"}
        for row in rows(now):
            if (
                row.level2 == "数量指标"
                and before.get(row.name) == row.target
                and row.ind.target.kind == "numeric"
            ):
                yield (
                    n,
                    Hit(
                        indicator_evidence(row.ind, row.index),
                        {
                            "year": then.year,
                            "direction": "增加" if change > 0 else "减少",
                            "change": f"{abs(change) * 100:.0f}",
                            "name": row.ind.name,
                            "target": row.ind.target.text,
                        },
                        suggestion_zh=N_("按资金变化调整数量目标，或说明资金增加用于何处"),
                    ),
                )
