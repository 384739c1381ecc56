"""指标体系 (framework profile) rules: what one year's or one region's framework adds.

成本指标: Shanghai's 2025 指引 requires one ("原则上，每一项目均应设置成本指标", domain-rules.md §1.2):
an error under ``shanghai-2025``. 财预〔2021〕101号 makes 成本指标 a 一级指标 but is issued for reference
and trial (试行): under ``national-2021`` a missing cost row is a warning citing 101号. Shanghai's
2022 form and the classic framework have none: JX-P01 is off there (profiles.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from jixiao.domain.i18n import N_
from jixiao.domain.model import Declaration
from jixiao.review.lexicon import rows
from jixiao.review.registry import Context, Evidence, Hit, rule, target_hit

_COUNT_UNITS = (
    "个",
    "人",
    "件",
    "次",
    "场",
    "套",
    "台",
    "项",
    "户",
    "册",
    "份",
    "名",
    "处",
    "所",
    "家",
    "条",
)


@rule("JX-P01")
def cost_required(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """At least one row under 成本指标, whichever variant (一级 or 产出/成本指标)."""
    if any(row.cost for row in rows(decl)):
        return
    amount = decl.funding.annual if decl.funding.annual is not None else decl.funding.total
    zh = "增设成本指标，如「单位成本 <=X元/件」（经济成本指标）"
    en = "add a cost indicator such as a unit cost"
    counts = [
        row
        for row in rows(decl)
        if row.output
        and row.level2 == "数量指标"
        and row.ind.target.kind == "numeric"
        and row.ind.target.unit in _COUNT_UNITS
        and row.ind.target.value
    ]
    # Only one count row says what the money buys; with several, dividing by one of them misleads.
    if len(counts) == 1 and amount is not None and amount > 0:
        row, t = counts[0], counts[0].ind.target
        assert t.value is not None
        per = (amount / t.value).quantize(Decimal("1"))
        what = row.name.removesuffix("数量") + ("人均成本" if t.unit in ("人", "名") else "单位成本")
        zh = f"增设成本指标，如「{what} <={per:,}元/{t.unit}」（年度资金 {amount:,.2f} 元 ÷ {t.value}{t.unit}）"
        en = f"add a unit cost, e.g. <= {per:,} yuan per {t.unit} (annual funds ÷ {t.value})"
    required = bool(ctx.param("required"))
    yield Hit(
        Evidence(field="indicators", level1="成本指标"),
        {
            "framework": ctx.framework.title,
            "framework_en": ctx.framework.name("en"),
            "need": "要求设置" if required else "试行，建议设置",
            "need_en": "requires one" if required else "recommends one (issued for trial)",
        },
        suggestion_zh=zh,
        suggestion_en=en,
    )


@rule("JX-P02")
def cost_in_money(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A cost row states 元 (or 万元, or a % of a standard), with ≤."""
    for row in rows(decl):
        i, ind = row.index, row.ind
        if not row.cost:
            continue
        t = ind.target
        unit = t.unit or ""
        if t.kind not in ("numeric", "range") or not ("元" in unit or unit in ("%", "％")):
            yield target_hit(
                ind,
                i,
                suggestion_zh=N_("写成「<=X元」或「<=X元/单位」，依据成本定额或支出标准"),
            )
