"""A unit filling the downloaded template the natural way, and what jixiao must read back.

Typed like a person types in Excel or LibreOffice Calc: the year as a number in its own cell, dates
as 2023/1/1 or 2023年12月31日, amounts with thousands separators or in 万元, 一级 written once per
group (the rows below left blank), targets in the forms people write. Used by the round-trip tests
and by fixtures/make_libreoffice_fixtures.py (the same workbook re-saved by LibreOffice).
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook

from jixiao.formats.xlsx import template_xlsx

ROWS = [
    ("产出指标", "数量指标", "网格巡查次数", "每日巡查2次"),
    ("", "数量指标", "覆盖街镇", "100%覆盖"),
    ("", "质量指标", "案件按期办结率", "较上年提高5个百分点"),
    ("", "时效指标", "一般案件处置时限", "7天内完成"),
    ("效益指标", "社会效益指标", "安全生产", "零事故"),
    ("满意度指标", "服务对象满意度指标", "市民满意度", ">=90%"),
]

EXPECTED = {
    "year": 2023,
    "name": "城市网格化巡查经费",
    "category": "经常性项目",
    "competent_department": "上海市青浦区城市管理局",
    "implementing_unit": "上海市青浦区城市运行管理中心",
    "start_date": date(2023, 1, 1),
    "end_date": date(2023, 12, 31),
    "total": Decimal("1559500.00"),
    "total_fiscal": Decimal("1559500.00"),
    "annual": Decimal("1559500.00"),
    "annual_appropriation": Decimal("1559500.00"),
    "overall": "实现城市网格全覆盖巡查，问题及时发现、及时处置。",
    "annual_goal": "全年巡查网格 1,200 个，案件按期办结率较上年提高 5 个百分点。",
    "indicators": [
        ("产出指标", "数量指标", "网格巡查次数", "每日巡查2次"),
        ("产出指标", "数量指标", "覆盖街镇", "100%覆盖"),
        ("产出指标", "质量指标", "案件按期办结率", "较上年提高5个百分点"),
        ("产出指标", "时效指标", "一般案件处置时限", "7天内完成"),
        ("效益指标", "社会效益指标", "安全生产", "零事故"),
        ("满意度指标", "服务对象满意度指标", "市民满意度", ">=90%"),
    ],
}


def fill_like_a_user(data: bytes | None = None) -> bytes:
    """Return the declaration template filled in as a unit fills it."""
    wb = load_workbook(io.BytesIO(data or template_xlsx("declaration")))
    ws = wb["申报表"]
    ws["B2"] = 2023  # typed into its own cell: a number
    ws["C3"] = "城市网格化巡查经费"
    ws["C4"] = "经常性项目"
    ws["C5"] = "上海市青浦区城市管理局"
    ws["F5"] = "上海市青浦区城市运行管理中心"
    ws["C6"] = "2023/1/1"
    ws["F6"] = "2023年12月31日"
    ws["C7"] = "1,559,500"
    ws["F7"] = "155.95万元"
    ws["C8"] = "1,559,500.00"
    ws["F8"] = "1559500"
    ws["C11"] = EXPECTED["overall"]
    ws["C12"] = EXPECTED["annual_goal"]
    for n, (l1, l2, name, target) in enumerate(ROWS):
        r = 14 + n
        if l1:
            ws[f"B{r}"] = l1
        ws[f"C{r}"] = l2
        ws[f"D{r}"] = name
        ws[f"G{r}"] = target
        ws[f"G{r}"].data_type = "s"  # the template formats the cell as text: ">=90%" is no formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fields_of(doc: Any) -> dict[str, Any]:
    """Return the fields of a read declaration in the shape of :data:`EXPECTED`."""
    p, f, g = doc.project, doc.funding, doc.goals
    return {
        "year": doc.year,
        "name": p.name,
        "category": p.category,
        "competent_department": p.competent_department,
        "implementing_unit": p.implementing_unit,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "total": f.total,
        "total_fiscal": f.total_fiscal,
        "annual": f.annual,
        "annual_appropriation": f.annual_appropriation,
        "overall": g.overall,
        "annual_goal": g.annual,
        "indicators": [(i.level1, i.level2, i.name, i.target.text) for i in doc.indicators],
    }
