"""量化 (quantification): targets a reviewer can check at year end.

"尽量进行定量表述，不能以量化形式表述的，可以采用定性的分级分档形式表述" (domain-rules.md §2);
88号 "细化量化". The problems are review-pain-points A1, B4, C1, C2 and C4.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.domain.i18n import N_
from jixiao.domain.model import Declaration
from jixiao.domain.targets import Target
from jixiao.review.lexicon import (
    completion_subject,
    goal_quantity_for,
    has_quantity,
    is_count_name,
    is_rate_name,
    rows,
    squeeze,
    vague_words,
)
from jixiao.review.registry import Context, Evidence, Hit, rule, target_hit

_DIGIT = re.compile(r"\d")


def _rate_example(name: str, direction: str | None = "up") -> str:
    """Return an example target for ``name``: 「案件投诉率 <=X%」 for 降低案件投诉率 (the verb dropped)."""
    n = squeeze(name)
    for verb in ("降低", "减少", "提升", "提高", "推进", "推动", "增加"):
        if n.startswith(verb) and len(n) > len(verb) + 1:
            n = n[len(verb) :]
            break
    op = "<=" if direction == "down" else ">="
    return f"「{n} {op}X%」" if is_rate_name(n) else f"「{n} {op}N（单位）」"


@rule("JX-Q01")
def qualitative_output(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Any qualitative target under 产出, except a bare 及时 (JX-Q03 says more about it)."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        if not row.output or t.kind != "qualitative" or row.timely or row.input:
            continue
        text = row.target
        name = row.name
        if "覆盖" in text:
            base = name if name.endswith("覆盖率") else name + "覆盖率"
            zh = f"改为「{base} =100%」，并在指标值说明中写明覆盖范围（如网格数）"
            en = f"write '{base} =100%' and state what is covered"
        elif t.direction in ("up", "down"):
            zh = f"写明目标值与基数，如{_rate_example(name, t.direction)}（上年实际值为基数）"
            en = "state a target value and the baseline (last year's actual)"
        else:
            zh = "改为「数值+单位」的目标值，或给出分级分档的定性标准"
            en = "give a number with a unit, or graded qualitative levels"
        yield target_hit(
            ind,
            i,
            suggestion_zh=zh,
            suggestion_en=en,
        )


@rule("JX-Q02")
def direction_only(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """提升/降低/显著提升 outside 产出 (产出 rows are JX-Q01) with no number at all."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        if row.output or t.kind != "qualitative" or t.direction not in ("up", "down"):
            continue
        if _DIGIT.search(t.text):
            continue
        word = "提高" if t.direction == "up" else "降低"
        yield target_hit(
            ind,
            i,
            suggestion_zh=f"写明基数和幅度，如「较上年{word}X个百分点」或{_rate_example(ind.name, t.direction)}，"
            "并注明上年实际值",
            suggestion_en="state the baseline and the size of the change, e.g. 'up X points on last year'",
        )


@rule("JX-Q03")
def timely_without_limit(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """及时/按时 says nothing checkable; 7天内完成 or 6月底前 does."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        if row.timely:
            yield target_hit(
                ind,
                i,
                suggestion_zh=N_("写明时限，如「N个工作日内完成」或「X月底前完成」"),
            )


def _unit_guess(name: str) -> str:
    n = squeeze(name)
    if is_rate_name(n):
        return "%"
    if "案件" in n or "工单" in n:
        return "件"
    for ending, unit in (
        ("类别", "类"),
        ("类", "类"),
        ("人数", "人"),
        ("人员", "人"),
        ("次数", "次"),
        ("场次", "场"),
        ("件数", "件"),
        ("户数", "户"),
        ("项目", "个"),
    ):
        if n.endswith(ending):
            return unit
    return "个"


@rule("JX-Q04")
def unit_matches_name(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A 率 in 个, or a 数量 in %."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        if t.kind not in ("numeric", "range") or not t.unit:
            continue
        unit = t.unit
        # A satisfaction score on a 100-point scale ("满意度 >=90分") is a legitimate way to state it.
        allowed = (
            ("%", "‰", "个百分点", "百分点", "％", "分")
            if row.name.endswith("满意度")
            else ("%", "‰", "个百分点", "百分点", "％")
        )
        if row.rate_name and unit not in allowed:
            yield target_hit(
                ind,
                i,
                unit=unit,
                kind="比率",
                kind_en="rate",
                suggestion_zh=f"比率以 % 表示，如「{ind.name} >=X%」；若要考核数量，改名为「…数量」",
                suggestion_en="give a rate in %, or rename it as a count",
            )
        elif is_count_name(ind.name) and unit in ("%", "‰"):
            yield target_hit(
                ind,
                i,
                unit=unit,
                kind="数量",
                kind_en="count",
                suggestion_zh=f"数量以实物单位表示，如「>=N{_unit_guess(ind.name)}」",
                suggestion_en="give a count in its unit",
            )


# Indices and ratios between like quantities have no unit (道路技术状况指数 >=85).
_UNITLESS = ("指数", "系数", "比值", "倍数", "比", "PQI", "PCI", "MQI")


@rule("JX-Q05")
def unit_present(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A bare number (">40") leaves the reader guessing what is counted."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        if t.kind not in ("numeric", "range") or t.unit or row.name.endswith(_UNITLESS):
            continue
        if t.kind == "numeric" and t.value == 0 and t.note:
            continue  # 零事故 / 无安全事故: the target itself names what must not happen
        guess = _unit_guess(ind.name)
        if t.kind == "numeric":
            example = f"{t.op if t.op != '=' else ''}{t.value}{guess}"
        else:
            example = f"{t.low}-{t.high}{guess}"
        yield target_hit(
            ind,
            i,
            suggestion_zh=f"补充计量单位，如「{example}」",
            suggestion_en=f"add the unit, e.g. '{example}'",
        )


@rule("JX-Q06")
def qualitative_without_levels(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """形成/建立健全/有效落实 under 效益 or 满意度: allowed, but only with graded levels."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        if row.output or t.kind != "qualitative" or t.direction in ("up", "down") or row.timely:
            continue
        yield target_hit(
            ind,
            i,
            suggestion_zh=N_("给出可判断达成与否的标准（如出台制度名称、完成时间），或改为定量指标"),
        )


def _percent(t: Target) -> bool:
    return t.kind in ("numeric", "range") and (t.unit or "") in ("%", "％")


@rule("JX-Q07")
def rate_as_quantity(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """建设完成率 =100% under 数量指标: the goal text often states the quantity; suggest it."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        t = ind.target
        if row.level2 != "数量指标" or not row.rate_name or not _percent(t) or row.input:
            continue
        subject = completion_subject(ind.name) or row.name.rstrip("率")
        found = goal_quantity_for(subject, decl.goals.annual, decl.goals.overall)
        name = row.name
        count_name = name.replace("完成率", "数量") if "完成率" in name else subject + "数量"
        if found is not None:
            target = f"{found.op}{found.value}{found.unit}"
            zh = f"目标文本写明「{found.phrase}」，建议改为「{count_name} {target}」"
            en = f"the goal states '{found.phrase}': write '{count_name} {target}'"
            if found.cumulative:
                zh += "；该数为多年累计数，年度指标值应取当年计划完成数"
                en += "; that figure is cumulative over several years, use this year's share"
        else:
            zh = f"改为实物量，如「{count_name} >=N{_unit_guess(count_name)}」（N 为年度计划数），完成率另列质量指标"
            en = f"state the quantity, e.g. '{count_name} >=N' (this year's plan)"
        yield target_hit(
            ind,
            i,
            suggestion_zh=zh,
            suggestion_en=en,
        )


@rule("JX-Q08")
def rate_with_deadline(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """派单及时率 当天派单: either the name or the value is off."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        if ind.target.kind == "deadline" and row.rate_name:
            base = row.name
            yield target_hit(
                ind,
                i,
                suggestion_zh=f"写成「{base} >=X%」并在说明中注明时限（{ind.target.text}），"
                f"或改名为「{base.removesuffix('率')}性」",
                suggestion_en="give the rate in % and state the limit in the note",
            )


@rule("JX-Q09")
def vague_annual_goal(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """提升/进一步/有效 … with no number and unit anywhere in the 年度总目标."""
    text = decl.goals.annual
    words = vague_words(text)
    if words and not has_quantity(text):
        yield Hit(
            Evidence(field="goals.annual"),
            {"words": "、".join(words[:4])},
            suggestion_zh=N_("写明年度内完成的工作量、质量标准和时间节点，与绩效指标一一对应"),
        )
