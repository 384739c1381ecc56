"""资金与日期 (funding and dates): the sums of domain-rules.md §6, positive amounts, the period.

项目资金总额 is a whole-life amount and is never compared with an annual sum except by ``≤``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from jixiao.domain.i18n import N_
from jixiao.domain.model import Declaration
from jixiao.domain.money import format_amount
from jixiao.review.registry import Context, Evidence, Hit, rule


def _yuan(value: Decimal) -> str:
    return format_amount(value)  # the unit (元 / yuan) is the message's


@rule("JX-F01")
def amounts_present(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """项目资金总额 and 年度资金申请总额 are required."""
    f = decl.funding
    if f.total is None:
        yield Hit(Evidence(field="funding.total"), {"what": "项目资金总额", "what_en": "the total amount"})
    if f.annual is None:
        yield Hit(
            Evidence(field="funding.annual"), {"what": "年度资金申请总额", "what_en": "the annual amount"}
        )


@rule("JX-F02")
def amounts_positive(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Totals must be > 0; the sub-amounts must not be negative."""
    f = decl.funding
    names = {
        "total": ("项目资金总额", "the total"),
        "total_fiscal": ("财政资金", "fiscal funds"),
        "total_other": ("其他资金（总额）", "other funds (total)"),
        "annual": ("年度资金申请总额", "the annual amount"),
        "annual_appropriation": ("当年财政拨款", "this year's appropriation"),
        "annual_carryover": ("上年结转资金", "the carry-over"),
        "annual_other": ("其他资金（年度）", "other funds"),
    }
    for key, (zh, en) in names.items():
        value: Decimal | None = getattr(f, key)
        if value is None:
            continue
        if value < 0 or (value == 0 and key in ("total", "annual")):
            yield Hit(Evidence(field=f"funding.{key}"), {"what": zh, "what_en": en, "amount": _yuan(value)})


@rule("JX-F03")
def annual_sum(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Checked only when at least one component is filled in (else JX-F04)."""
    f = decl.funding
    parts = [f.annual_appropriation, f.annual_carryover, f.annual_other]
    if f.annual is None or all(p is None for p in parts):
        return
    total = sum((p for p in parts if p is not None), Decimal(0))
    if total != f.annual:
        yield Hit(
            Evidence(field="funding.annual"),
            {"annual": _yuan(f.annual), "parts": _yuan(total)},
            suggestion_zh=N_("核对年度资金申请总额及其构成"),
        )


@rule("JX-F04")
def annual_breakdown(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The form has the three 其中 rows; leaving all blank hides where the money comes from."""
    f = decl.funding
    if (
        f.annual is not None
        and f.annual > 0
        and all(p is None for p in (f.annual_appropriation, f.annual_carryover, f.annual_other))
    ):
        yield Hit(
            Evidence(field="funding.annual_appropriation"),
            {"annual": _yuan(f.annual)},
            suggestion_zh=N_("填写「其中：当年财政拨款」（如全部为当年拨款，填 {annual}）"),
            suggestion_args={"annual": format_amount(f.annual)},
        )


@rule("JX-F05")
def total_sum(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """Checked when the fiscal or other part is filled in."""
    f = decl.funding
    if f.total is None or (f.total_fiscal is None and f.total_other is None):
        return
    parts = (f.total_fiscal or Decimal(0)) + (f.total_other or Decimal(0))
    if parts != f.total:
        yield Hit(
            Evidence(field="funding.total"),
            {"total": _yuan(f.total), "parts": _yuan(parts)},
            suggestion_zh=N_("核对项目资金总额及其构成"),
        )


@rule("JX-F06")
def annual_within_total(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The total is whole-life; one year cannot ask for more."""
    f = decl.funding
    if f.total is not None and f.annual is not None and f.annual > f.total:
        yield Hit(Evidence(field="funding.annual"), {"annual": _yuan(f.annual), "total": _yuan(f.total)})


@rule("JX-F07")
def start_before_end(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """The planned period must not run backwards."""
    p = decl.project
    if p.start_date is not None and p.end_date is not None and p.start_date > p.end_date:
        yield Hit(
            Evidence(field="project.start_date"),
            {"start": p.start_date.isoformat(), "end": p.end_date.isoformat()},
        )


@rule("JX-F08")
def period_covers_year(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """A declaration for year Y must plan work in Y."""
    p, year = decl.project, decl.year
    if year is None or not 1 <= year <= 9999 or p.start_date is None or p.end_date is None:
        return
    if p.start_date > p.end_date:
        return  # JX-F07
    if p.start_date > date(year, 12, 31) or p.end_date < date(year, 1, 1):
        yield Hit(
            Evidence(field="project.start_date"),
            {"start": p.start_date.isoformat(), "end": p.end_date.isoformat(), "year": year},
        )


@rule("JX-F09")
def dates_present(decl: Declaration, ctx: Context) -> Iterator[Hit]:
    """计划开始日期 and 计划完成日期 bound the targets' deadlines."""
    if decl.project.start_date is None:
        yield Hit(
            Evidence(field="project.start_date"), {"what": "计划开始日期", "what_en": "the planned start"}
        )
    if decl.project.end_date is None:
        yield Hit(Evidence(field="project.end_date"), {"what": "计划完成日期", "what_en": "the planned end"})
