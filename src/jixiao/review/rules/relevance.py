"""相关性 (relevance and duplication): goals and indicators that belong to this project and year.

88号 Art. 25 相关性 (domain-rules.md §3.1); review-pain-points A3 (copied or misplaced goal text),
A5 (goal claims no indicator measures), B1 (产出 filed as 效益), B6 (boilerplate across a unit).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal

from jixiao.domain.i18n import N_, tr
from jixiao.domain.model import Declaration
from jixiao.domain.targets import Target
from jixiao.review.claims import Claim, claims_and_matches
from jixiao.review.classify import KIND_LABELS, Reading, read_name
from jixiao.review.lexicon import (
    claim_stems,
    has_quantity,
    multi_year_phrases,
    past_tense_markers,
    rows,
    squeeze,
    work_list,
)
from jixiao.review.registry import Context, Evidence, Hit, indicator_evidence, rule, target_hit
from jixiao.review.rules.ambition import unit_key

_PUNCT = re.compile(r"[，。；：、,.;:！？!?“”\"'‘’（）()【】\[\]《》<>]")


def _plain_text(text: str | None) -> str:
    return _PUNCT.sub("", squeeze(text))


def _copy_key(text: str | None) -> str:
    """Return ``text`` without whitespace and punctuation: enough to recognise a pasted copy, and cheaper
    than folding every goal of a batch again."""
    return _PUNCT.sub("", "".join(text.split())) if text else ""


@rule("JX-R01")
def annual_copies_overall(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Identical after dropping spaces and punctuation."""
    annual, overall = _plain_text(decl.goals.annual), _plain_text(decl.goals.overall)
    if annual and annual == overall:
        yield Hit(
            Evidence(field="goals.annual"),
            suggestion_zh=N_("年度总目标写当年可完成、可衡量的阶段性目标（工作量、质量、时间）"),
        )


@rule("JX-R02")
def annual_multi_year(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """经过三年努力 / 累计建成 in the 年度总目标."""
    phrases = multi_year_phrases(decl.goals.annual)
    if phrases:
        yield Hit(
            Evidence(field="goals.annual"),
            {"phrases": "、".join(phrases)},
            suggestion_zh=N_("多年目标写入项目总目标；年度总目标写本年度计划完成的部分"),
        )


@rule("JX-R03")
def annual_past_tense(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Two perfective 了, or 今年以来/稳步上升, in the 年度总目标."""
    markers = past_tense_markers(decl.goals.annual)
    if markers:
        yield Hit(
            Evidence(field="goals.annual"),
            {"markers": "、".join(markers[:4])},
            suggestion_zh=N_("改写为本年度预期达到的产出和效果"),
        )


@rule("JX-R10")
def annual_work_list(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """包括A、B、C等 with no number: what will be done, not what it will achieve."""
    items = work_list(decl.goals.annual)
    if items and not has_quantity(decl.goals.annual):
        shown = items if len(items) <= 30 else items[:29] + "…"
        yield Hit(
            Evidence(field="goals.annual"),
            {"items": shown},
            suggestion_zh=N_(
                "写明各项工作的数量和预期效果（如「完成N项（件、册）」「达到X%」），与绩效指标对应"
            ),
        )


@rule("JX-R04")
def unmeasured_claims(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Each X率/X度 the goals promise needs a row whose name shares its stem; each quantity, rate,
    time limit and date the goals state needs a row that reads alike (:mod:`jixiao.review.claims`)."""
    names = "\n".join(row.name for row in rows(decl))
    seen: set[str] = set()
    for field, zh, en in _GOAL_FIELDS:
        text = squeeze(getattr(decl.goals, field))
        for stem in claim_stems(text):
            if stem in seen or stem in names:
                continue
            seen.add(stem)
            pos = text.find(stem)
            word = text[pos : pos + len(stem) + 1]
            yield Hit(
                Evidence(field=f"goals.{field}"),
                {"field_zh": zh, "field_en": en, "word": word},
                suggestion_zh=f"增设「{word}」指标并写明目标值和上年基数，或从目标中删去",
                suggestion_en=f"add an indicator for '{word}' with a target and baseline, or drop it",
            )
    if not decl.indicators:
        return  # no indicator at all: JX-C05 says so
    labels = {f: (zh, en) for f, zh, en in _GOAL_FIELDS}
    for claim, match in claims_and_matches(decl):
        if claim.kind == "change" or claim.cumulative or claim.phrase in seen:
            continue  # changes: JX-R12; multi-year totals: JX-R02
        if claim.kind == "rate" and claim.context[-3:-1] in names:
            continue
        if match is not None:
            continue
        seen.add(claim.phrase)
        zh, en = labels[claim.field]
        yield Hit(
            Evidence(field=f"goals.{claim.field}"),
            {"field_zh": zh, "field_en": en, "word": claim.phrase},
            suggestion_zh=f"增设衡量「{claim.phrase}」的指标（写明目标值和计量单位），或从目标中删去",
            suggestion_en=f"add an indicator measuring '{claim.phrase}', or drop it from the goal",
        )


_GOAL_FIELDS = (("annual", "年度总目标", "annual goal"), ("overall", "项目总目标", "overall goal"))


def _normal(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """Return (value, unit) with a 万/亿 prefix multiplied out: 120 万平方米 → 1,200,000 平方米."""
    if len(unit) > 1 and unit[0] in _PREFIX:
        return value * _PREFIX[unit[0]], unit[1:]
    return value, unit


_PREFIX = {"万": Decimal(10000), "亿": Decimal(100000000)}
_TIME_ALIASES = {"个工作日": "工作日", "日": "天", "个小时": "小时"}


def _shortfall(claim: Claim, row_target: Target) -> str | None:
    """Return the target the row should carry when it asks for less than ``claim``, else None."""
    t = row_target
    if claim.kind == "date":
        if t.kind == "deadline" and t.month is not None and claim.month is not None and t.month > claim.month:
            return f"{claim.month}月底前"
        return None
    if claim.value is None or t.kind not in ("numeric", "deadline") or t.value is None or not t.unit:
        return None
    unit = _TIME_ALIASES.get(t.unit, t.unit)
    goal_value, goal_unit = _normal(claim.value, claim.unit or "")
    value, unit = _normal(t.value, unit)
    if unit != _TIME_ALIASES.get(goal_unit, goal_unit):
        return None
    if claim.kind == "limit":
        return f"{claim.value}{claim.unit}内" if value > goal_value else None
    if claim.op == "<=":  # 投诉率控制在5%以内 against <=8%
        return f"<={claim.value}{claim.unit}" if value > goal_value and t.op in ("<=", "<") else None
    if t.op in (">=", ">", "=") and value < goal_value:
        return f">={claim.value}{claim.unit}"
    return None


@rule("JX-R11")
def indicator_below_claim(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The 年度总目标 states a quantity, rate, time limit or date; the row measuring it asks for less."""
    for claim, match in claims_and_matches(decl):
        if claim.field != "annual" or claim.cumulative or claim.kind == "change" or match is None:
            continue
        should = _shortfall(claim, match.row.ind.target)
        if should is None:
            continue
        ind = match.row.ind
        yield target_hit(
            ind,
            match.row.index,
            phrase=claim.phrase,
            suggestion_zh=f"目标值与年度总目标一致，改为「{should}」，或修改年度总目标",
            suggestion_en=f"make it '{should}' as the goal states, or change the goal",
        )


@rule("JX-R12")
def change_without_baseline(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """比上年增长 in the goals; the matching row gives an absolute value and no baseline."""
    labels = {f: (zh, en) for f, zh, en in _GOAL_FIELDS}
    reported: set[int] = set()
    for claim, match in claims_and_matches(decl):
        if claim.kind != "change" or match is None or match.row.index in reported:
            continue  # no row at all: JX-R04
        t = match.row.ind.target
        if t.kind == "relative" or t.baseline:
            continue
        reported.add(match.row.index)
        zh, en = labels[claim.field]
        word = "提高" if claim.direction == "up" else "降低"
        word_en = "up" if claim.direction == "up" else "down"
        yield Hit(
            indicator_evidence(match.row.ind, match.row.index),
            {
                "field_zh": zh,
                "field_en": en,
                "phrase": claim.phrase,
                "name": match.row.ind.name,
                "target": t.text,
            },
            suggestion_zh=f"写成「较上年{word}N个百分点」，并注明上年实际值",
            suggestion_en=f"write it as a change on last year ('{word_en} N percentage points on last year') "
            "and state last year's actual",
        )


_OUTPUT_KINDS = ("input", "count", "completion", "quality", "timeliness")
_BENEFICIARIES = re.compile("受益|惠及|获益|覆盖人")


def explain(reading: Reading, lang: str = "zh") -> str:
    """Return how a name was read: 「以「人次」结尾，读作产出数量」."""
    _, _, zh, en = KIND_LABELS[reading.kind]
    values = {"cue": reading.cue, "kind": zh, "kind_en": en}
    if reading.kind in ("input", "outcome", "satisfaction"):
        return tr("含「{cue}」，读作{kind}", lang, **values)
    return tr("以「{cue}」结尾，读作{kind}", lang, **values)


@rule("JX-R05")
def output_as_benefit(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A name that reads as an output (…数量, …人次, …完成率, …合格率, …及时率, 到位) under 效益."""
    for row in rows(decl):
        if not row.benefit:
            continue
        reading = read_name(row.name)
        if reading is None or reading.kind not in _OUTPUT_KINDS:
            continue
        if reading.kind == "count" and _BENEFICIARIES.search(row.name):
            continue  # 受益人数, 惠及群众人数: who benefits is an accepted 社会效益 measure
        if reading.kind == "quality" and row.level2 in ("生态效益指标", "环境效益指标"):
            continue  # 水质合格率 under 生态效益 is the state of the environment, an outcome
        level2 = KIND_LABELS[reading.kind][1]
        where = f"产出指标/{level2}" if level2 else "产出指标"
        yield Hit(
            indicator_evidence(row.ind, row.index),
            {"name": row.ind.name, "reading": explain(reading), "reading_en": explain(reading, "en")},
            suggestion_zh=f"移至{where}；效益指标写项目带来的变化（如「较上年提高N个百分点」）",
            suggestion_en="move it under outputs; benefits say what changes because of the project",
        )


@rule("JX-R06")
def duplicate_rows(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The same 三级 name twice in one declaration."""
    counts = Counter(row.name for row in rows(decl) if row.name)
    reported: set[str] = set()
    for row in rows(decl):
        i, ind = row.index, row.ind
        key = row.name
        if counts.get(key, 0) > 1 and key not in reported:
            reported.add(key)
            yield Hit(
                indicator_evidence(ind, i),
                {"name": ind.name, "count": counts[key]},
                suggestion_zh=N_("合并重复指标"),
            )


@rule("JX-R07")
def boilerplate(decls: Sequence[Declaration], ctx: Context) -> Iterator[tuple[int, Hit]]:
    """The same (name, target) in at least ``share`` of a unit's declarations (satisfaction excluded:
    a unit rightly uses one satisfaction standard; JX-A01 watches its level)."""
    share, min_count = float(ctx.param("share")), int(ctx.param("min_count"))
    groups: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for d_index, decl in enumerate(decls):
        groups[unit_key(decl)].append(d_index)
    for members in groups.values():
        if len(members) < min_count:
            continue
        by_row: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for d_index in members:
            seen: set[tuple[str, str]] = set()
            for row in rows(decls[d_index]):
                key = (row.name, row.target)
                if not key[0] or row.satisfaction or key in seen:
                    continue
                seen.add(key)
                by_row[key].append((d_index, row.index))
        for hits in by_row.values():
            if len(hits) >= min_count and len(hits) >= share * len(members):
                for d_index, i in hits:
                    ind = decls[d_index].indicators[i]
                    yield (
                        d_index,
                        target_hit(
                            ind,
                            i,
                            count=len(hits),
                            total=len(members),
                            suggestion_zh=N_("按本项目的具体内容设置指标（如制度名称、出台时间），或删去"),
                        ),
                    )


@rule("JX-R08")
def duplicate_declarations(decls: Sequence[Declaration], ctx: Context) -> Iterator[tuple[int, Hit]]:
    """The same project name twice for one unit and year."""
    groups: dict[tuple[tuple[str, int | None], str], list[int]] = defaultdict(list)
    for d_index, decl in enumerate(decls):
        name = squeeze(decl.project.name)
        if name:
            groups[(unit_key(decl), name)].append(d_index)
    for (key, _name), members in groups.items():
        if len(members) > 1:
            for d_index in members:
                decl = decls[d_index]
                yield (
                    d_index,
                    Hit(
                        Evidence(field="project.name"),
                        {
                            "year": key[1] if key[1] is not None else "—",
                            "count": len(members),
                            "name": decl.project.name,
                        },
                        suggestion_zh=N_("合并或删去重复的申报表"),
                    ),
                )


@rule("JX-R09")
def shared_annual_goal(decls: Sequence[Declaration], ctx: Context) -> Iterator[tuple[int, Hit]]:
    """Two projects of one unit with the same 年度总目标 (a copied form)."""
    min_length = int(ctx.param("min_length"))
    groups: dict[tuple[tuple[str, int | None], str], list[int]] = defaultdict(list)
    for d_index, decl in enumerate(decls):
        text = _copy_key(decl.goals.annual)
        if len(text) >= min_length:
            groups[(unit_key(decl), text)].append(d_index)
    for members in groups.values():
        names = {squeeze(decls[d].project.name) for d in members}
        if len(names) < 2:
            continue  # same project twice: JX-R08
        for d_index in members:
            other = next(
                decls[o].project.name
                for o in members
                if squeeze(decls[o].project.name) != squeeze(decls[d_index].project.name)
            )
            yield (
                d_index,
                Hit(
                    Evidence(field="goals.annual"),
                    {"other": other},
                    suggestion_zh=N_("按本项目的内容重写年度总目标"),
                ),
            )
