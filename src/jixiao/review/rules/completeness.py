"""完整性 (completeness): required fields, required categories, empty names or targets.

财预〔2015〕88号 Art. 25 (domain-rules.md §3.1): "内容完整，目标明确"; the categories come from the
profile's indicator framework (domain-rules.md §1).
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.domain.framework import COST
from jixiao.domain.i18n import N_, tr
from jixiao.domain.model import Declaration
from jixiao.review.lexicon import rows, squeeze
from jixiao.review.registry import Context, Evidence, Hit, indicator_evidence, rule, target_hit


@rule("JX-C01")
def project_name(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The form must name its project."""
    if not squeeze(decl.project.name):
        yield Hit(Evidence(field="project.name"), suggestion_zh=N_("填写项目名称"))


@rule("JX-C02")
def competent_department(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """主管部门 is a header field of the form; reviews go through it first (domain-rules §3.2)."""
    if not squeeze(decl.project.competent_department):
        yield Hit(
            Evidence(field="project.competent_department"),
            suggestion_zh=N_("填写主管部门（一级预算单位）"),
        )


@rule("JX-C03")
def unit_and_year(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The implementing unit and the budget year identify whose targets these are and for when."""
    if not squeeze(decl.project.implementing_unit):
        yield Hit(
            Evidence(field="project.implementing_unit"),
            {"what": "实施单位", "what_en": "the implementing unit"},
        )
    if decl.year is None:
        yield Hit(Evidence(field="year"), {"what": "预算年度", "what_en": "the budget year"})


@rule("JX-C04")
def goals_present(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Both 项目总目标 and 年度总目标 are required."""
    if not squeeze(decl.goals.overall):
        yield Hit(Evidence(field="goals.overall"), {"what": "项目总目标", "what_en": "the overall goal"})
    if not squeeze(decl.goals.annual):
        yield Hit(Evidence(field="goals.annual"), {"what": "年度总目标", "what_en": "the annual goal"})


@rule("JX-C05")
def required_level1(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The framework's required 一级 (产出, 效益); 成本 is the profile rule JX-P01."""
    present = {row.level1 for row in rows(decl)}
    for level1 in ctx.framework.required_level1:
        if level1 == COST:
            continue
        if level1 not in present:
            yield Hit(
                Evidence(field="indicators", level1=level1),
                {"level1": level1},
                suggestion_zh=N_("增设{level1}（至少一个三级指标）"),
                suggestion_args={"level1": level1, "level1_en": tr(level1, "en")},
            )


@rule("JX-C06")
def empty_rows(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Every row needs a 三级 name and a target value."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        if not row.name:
            yield Hit(
                indicator_evidence(ind, i), {"row": i + 1, "what": "三级指标名称", "what_en": "the name"}
            )
        if not squeeze(ind.target.text):
            yield Hit(
                indicator_evidence(ind, i), {"row": i + 1, "what": "指标目标值", "what_en": "the target"}
            )


@rule("JX-C07")
def invalid_targets(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A target the grammar rejected (kept as kind "invalid" by the readers)."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        if ind.target.kind == "invalid" and squeeze(ind.target.text):
            yield target_hit(
                ind,
                i,
                error=ind.target.error or "",
                suggestion_zh=N_("按「>=90%」「≥50个」「7天内完成」等格式填写"),
            )


@rule("JX-C08")
def known_categories(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """一级/二级 must come from the profile's framework (aliases accepted)."""
    fw = ctx.framework
    for row in rows(decl):
        i, ind = row.index, row.ind
        level1, level2 = row.level1, row.level2
        if level2 in fw.levels.get(level1, ()):
            continue
        hint_zh, hint_en = "按指标体系选择一级、二级指标", "choose the categories from the framework"
        if level2 == "成本指标" and COST in fw.levels:
            hint_zh, hint_en = (
                "成本指标在本指标体系中为一级指标，请改列「成本指标/经济成本指标」",
                "cost is a level-1 category in this framework",
            )
        yield Hit(
            indicator_evidence(ind, i),
            {
                "name": ind.name,
                "level1": level1 or "—",
                "level2": level2 or "—",
                "framework": fw.title,
                "framework_en": fw.name("en"),
            },
            suggestion_zh=hint_zh,
            suggestion_en=hint_en,
        )


@rule("JX-C09")
def enough_rows(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A handful of rows at least; the threshold is a parameter (no national minimum was confirmed)."""
    minimum = int(ctx.param("min_indicators"))
    if 0 < len(decl.indicators) < minimum:
        yield Hit(
            Evidence(field="indicators"),
            {"count": len(decl.indicators), "min": minimum},
            suggestion_zh=N_("按产出、效益、满意度分别设置指标"),
        )
