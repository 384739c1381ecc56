"""Values checked against sense and the calendar: what a 绩效科 reviewer sends back at a glance.

A completion or coverage rate above 100 %, a time limit in another year, a unit cost with no "per
what", a count that turns the project's money into an implausible unit cost (review-pain-points C4,
D1; 88号 Art. 25 合理可行、相应匹配).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.domain.i18n import N_
from jixiao.domain.model import Declaration
from jixiao.review.classify import read_name
from jixiao.review.lexicon import rows
from jixiao.review.registry import Context, Hit, rule, target_hit

# Rates that cannot pass 100 %: a share of something done, covered, passed or satisfied.
_BOUNDED_RATE = re.compile(
    "(?:完成|覆盖|合格|通过|达标|准确|验收|完好|正确|可用|正常运行|办结|知晓|满意|及时|到位|使用|入住|参保|"
    "受理|响应|处置|结案|回访|派单|上岗|出勤|执行|拨付|接种|普及|入学|巩固|留存|利用|占)(?:率|比|比例)$"
    "|满意度$|占比$|比例$"
)
_GROWTH = ("增长", "增幅", "提高", "提升", "变化", "涨幅", "倍")


@rule("JX-Q10")
def rate_out_of_range(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A bounded rate (完成率, 覆盖率, 满意度 …) with a target above 100 %; growth rates are exempt."""
    for row in rows(decl):
        t = row.ind.target
        if (t.unit or "") not in ("%", "％") or any(w in row.name for w in _GROWTH):
            continue
        top = t.value if t.kind == "numeric" else t.high if t.kind == "range" else None
        if top is None or top <= 100 or not _BOUNDED_RATE.search(row.name):
            continue
        yield target_hit(
            row.ind,
            row.index,
            suggestion_zh=N_("比率不超过 100%；若要考核超额，改为数量指标（如「>=N个」）"),
        )


_NEXT_YEAR = re.compile("次年|明年|下一?年度?|翌年|下年")


@rule("JX-F10")
def deadline_outside_year(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A 时效 target dated in another year (2023年3月底前 on a 2022 form, 次年3月底前)."""
    year = decl.year
    if year is None:
        return
    for row in rows(decl):
        t = row.ind.target
        other_year = (t.kind == "deadline" and t.year is not None and t.year != year) or (
            t.kind == "qualitative" and _NEXT_YEAR.search(row.target) is not None and "月" in row.target
        )
        if other_year:
            yield target_hit(
                row.ind,
                row.index,
                year=year,
                suggestion_zh=f"年度指标写 {year} 年内可完成的时限（如「{year}年12月31日前」）；跨年的部分写入项目总目标",
                suggestion_en=f"give a deadline within {year}; later stages belong to the overall goal",
            )


# A unit cost says per what: in its unit (元/人次) or in its name (人均, 单台, 每餐 …).
_PER_NAME = re.compile(
    "人均|户均|单台|单套|单件|单个|单次|单系统|单项|每[\u4e00-\u9fff]|次均|件均|平方米|公里|亩"
)
_UNIT_COST_NAME = re.compile("单位成本|单价|平均成本|单位造价|单位费用|均成本")


@rule("JX-P03")
def unit_cost_without_unit(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """单位成本 <=800元: per person, per item or per square metre? The unit must say."""
    for row in rows(decl):
        if not row.cost:
            continue
        t = row.ind.target
        unit = t.unit or ""
        if "/" in unit or "元" not in unit or _PER_NAME.search(row.name):
            continue
        if _UNIT_COST_NAME.search(row.name):
            yield target_hit(
                row.ind,
                row.index,
                suggestion_zh=f"写明计量单位，如「{t.op or '<='}{t.value}{unit}/人次」或「…{unit}/件」",
                suggestion_en="state per what: yuan per person, per item, per square metre",
            )


# Plausible unit costs (元 per unit) for outputs whose kind the name and unit tell. jixiao's own
# ranges, wide on purpose: they catch a slipped 万 or a count of the wrong thing, not a dear service.
UNIT_COST_RANGES: tuple[tuple[str, tuple[str, ...], Decimal, Decimal, str], ...] = (
    ("培训", ("人次", "人"), Decimal(10), Decimal(50000), "培训每人次"),
    ("养护|保洁|绿化|清扫|维修", ("平方米",), Decimal("0.05"), Decimal(2000), "养护每平方米"),
    ("餐", ("餐", "人次"), Decimal(1), Decimal(500), "助餐每餐"),
    ("宣传|印制|手册|折页|海报", ("份", "册", "张", "本"), Decimal("0.1"), Decimal(5000), "宣传品每份"),
    (
        "购置|采购|配备|执法记录仪|设备",
        ("台", "套", "件", "个"),
        Decimal(50),
        Decimal(50_000_000),
        "设备每台",
    ),
)
_UNIT_COST_PATTERNS = tuple(
    (re.compile(p), units, lo, hi, what) for p, units, lo, hi, what in UNIT_COST_RANGES
)


@rule("JX-A07")
def implausible_unit_cost(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Funds ÷ count far outside the range for that kind of output (when the kind is known).

    Below the range the count is impossible for the money whatever else it buys; above it only when
    the money shared evenly among the form's counts is still beyond the range.
    """
    amount = decl.funding.annual if decl.funding.annual is not None else decl.funding.total
    if amount is None or amount <= 0:
        return
    margin = Decimal(str(ctx.param("margin")))
    project = decl.project.name or ""
    counts = [
        r
        for r in rows(decl)
        if r.output
        and r.ind.target.kind == "numeric"
        and r.ind.target.value
        and (reading := read_name(r.name)) is not None
        and reading.kind == "count"
    ]
    for row in counts:
        t = row.ind.target
        assert t.value is not None
        unit = t.unit or ""
        value = t.value * (10000 if unit.startswith("万") and len(unit) > 1 else 1)
        unit = unit[1:] if unit.startswith("万") and len(unit) > 1 else unit
        for pattern, units, lo, hi, what in _UNIT_COST_PATTERNS:
            # The project's own kind (培训, 养护 …), not a side activity's: a road project's training
            # session is not what its money buys.
            if unit not in units or not pattern.search(project):
                continue
            per = amount / value
            # Even split among the form's counts, the money would still buy each unit too dearly.
            too_low = per < lo / margin
            too_high = per / len(counts) > hi * margin
            if too_low or too_high:
                yield target_hit(
                    row.ind,
                    row.index,
                    amount=f"{amount:,.2f}",
                    unit=unit,
                    per=f"{per:,.2f}",
                    what=what,
                    lo=f"{lo:,}",
                    hi=f"{hi:,}",
                    suggestion_zh=N_("核对数量和计量单位（是否漏写或多写了「万」），或说明单位成本的依据"),
                )
            break
