"""Regenerate the corpus of forms made by other programs (run by hand; CI reads the committed files).

Each layout directory holds ``expected.json``, written by a person from the content put in the forms,
and the same forms made by several producers:

* ``openpyxl.xlsx``        an Excel workbook written by openpyxl, one sheet per form, merged cells;
* ``libreoffice-xlsx.pdf`` that workbook printed to PDF by LibreOffice Calc;
* ``python-docx.docx``     a Word document written by python-docx (gridSpan / vMerge), one form a page;
* ``libreoffice-docx.pdf`` that document printed to PDF by LibreOffice Writer;
* ``page.html``            a government web page: navigation, breadcrumb, the forms as ``<table>``
                           with rowspan/colspan, a footer;
* ``chromium.pdf``         the forms printed to PDF by Chromium (which writes Kangxi-radical
                           look-alikes such as ⽬ for 目: that is the point);
* ``pdftotext.txt``        poppler's ``pdftotext`` of ``libreoffice-xlsx.pdf``: extracted text, as users
                           paste it (the seed itself is text extracted from a published PDF).

The forms are laid out from the documents of ``expected.json`` by one function per layout of
``form-layouts.md``; what the layout adds to the content (points in the 一级 labels, placeholder rows,
a wrapped 二级 name, amounts in 万元, a target split over 指标性质 | 指标值 | 度量单位) is the layout's
business and never changes the expected reading.

    apt-get install -y --no-install-recommends libreoffice-calc-nogui libreoffice-writer-nogui chromium
    .venv/bin/python tests/corpus/make_corpus.py [LAYOUT ...] [--producers openpyxl.xlsx,libreoffice-xlsx.pdf]
"""

from __future__ import annotations

import html
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

# --- the form model: a title, lines above the table, and cells with spans ----------------------


@dataclass
class C:
    """One cell of a laid-out form."""

    row: int
    col: int
    text: str
    rs: int = 1
    cs: int = 1
    head: bool = False
    vertical: bool = False
    align: str = "center"
    value: Any = None  # the typed value an Excel user would type (Decimal, date), else the text
    fmt: str | None = None  # its Excel number format


@dataclass
class Form:
    """One form: its title, the lines between title and table, the table and its column widths."""

    title: str
    widths: list[float]
    lines: list[tuple[str, str]] = field(default_factory=list)  # (text, "center" | "left" | "right")
    cells: list[C] = field(default_factory=list)
    landscape: bool = False
    sheet: str = ""
    fit_vertical: bool = False  # give stacked vertical labels the height they need in Excel

    @property
    def ncols(self) -> int:
        return len(self.widths)

    @property
    def nrows(self) -> int:
        return max(c.row + c.rs for c in self.cells)

    def put(self, row: int, col: int, text: str, **kw: Any) -> C:
        cell = C(row, col, text, **kw)
        self.cells.append(cell)
        return cell

    def label(self, row: int, col: int, text: str, **kw: Any) -> C:
        return self.put(row, col, text, head=True, **kw)


@dataclass
class Layout:
    """A layout of form-layouts.md: how to lay out each expected document, and the page around them."""

    name: str
    forms: Callable[[list[dict[str, Any]], dict[str, Any]], list[Form]]
    site: str
    article: str
    preamble: str = ""
    crumb: str = "首页 > 政务公开 > 财政预决算"
    charset: str = "utf-8"  # many government sites still serve GB2312 (GBK) pages


# --- values as printed ------------------------------------------------------------------------


def yuan(amount: str | None) -> str:
    """Return an amount in 元 as printed: 1,559,500.00."""
    return "" if amount is None else f"{Decimal(amount):,.2f}"


def wan(amount: str | None) -> str:
    """Return an amount given in 元 as printed in 万元: 358.60."""
    return "" if amount is None else f"{Decimal(amount) / 10000:,.2f}"


def money_cell(form: Form, row: int, col: int, amount: str | None, unit: str, **kw: Any) -> C:
    text = wan(amount) if unit == "万元" else yuan(amount)
    value = None if amount is None else (Decimal(amount) / (10000 if unit == "万元" else 1))
    return form.put(row, col, text, align="right", value=value, fmt="#,##0.00", **kw)


def date_cell(form: Form, row: int, col: int, iso: str | None, style: str, **kw: Any) -> C:
    if iso is None:
        return form.put(row, col, "", **kw)
    d = date.fromisoformat(iso)
    text = iso if style == "iso" else f"{d.year}/{d.month}/{d.day}"
    return form.put(row, col, text, value=d, fmt="yyyy-mm-dd" if style == "iso" else "yyyy/m/d", **kw)


def runs(keys: list[str]) -> list[tuple[int, int]]:
    """Return (start, length) of each run of equal consecutive keys: the vertical merges."""
    out: list[tuple[int, int]] = []
    start = 0
    for n in range(1, len(keys) + 1):
        if n == len(keys) or keys[n] != keys[start]:
            out.append((start, n - start))
            start = n
    return out


def merged_levels(
    form: Form,
    first: int,
    items: list[dict[str, Any]],
    col1: int,
    col2: int,
    label1: Callable[[str], str] = lambda s: s,
    label2: Callable[[str], str] = lambda s: s,
) -> None:
    """Put the 一级/二级 cells of ``items`` merged over their runs (二级 runs inside one 一级 run)."""
    l1 = [i["level1"] for i in items]
    for start, length in runs(l1):
        form.put(first + start, col1, label1(l1[start]), rs=length)
    owner: dict[int, int] = {}
    for start, length in runs(l1):
        for n in range(start, start + length):
            owner[n] = start
    l2 = [f"{owner[n]}\x00{i['level2']}" for n, i in enumerate(items)]
    for start, length in runs(l2):
        form.put(first + start, col2, label2(items[start]["level2"]), rs=length)


_SPLIT = re.compile(r"^(?P<op>[≥≤＞＜=＝><]|>=|<=)?(?P<num>\d+(?:\.\d+)?)(?P<unit>.*)$")


def split_target(text: str) -> tuple[str, str, str]:
    """Return a target as a Sichuan/Anhui form prints it: 指标性质, 指标值, 度量单位."""
    m = _SPLIT.match(text)
    if not m:
        return "定性", text, ""
    op = {">=": "≥", "<=": "≤", "＝": "=", None: "="}.get(m["op"], m["op"])
    return op, m["num"], m["unit"]


def points_label(items: list[dict[str, Any]]) -> Callable[[str], str]:
    """Return a 一级 label printer that adds the level's points: 产出指标（50分）."""
    total: dict[str, Decimal] = {}
    for i in items:
        total[i["level1"]] = total.get(i["level1"], Decimal(0)) + Decimal(i["weight"])
    return lambda level1: f"{level1}（{total[level1]:f}分）"


# --- the layouts --------------------------------------------------------------------------------


def shanghai_declaration(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """财政项目支出绩效目标申报表 (Shanghai district, the seed's official layout), goals side by side."""
    forms = []
    date_style = meta.get("date_style", "slash")
    for k, d in enumerate(docs):
        p, f, g, items = d["project"], d["funding"], d["goals"], d["indicators"]
        form = Form("财政项目支出绩效目标申报表", [1.0, 2.5, 2.6, 2.0, 3.1, 1.9, 1.5, 1.5])
        form.lines = [(f"（{d['year']}年度）", "center")]
        form.sheet = p["name"][:28]
        form.label(0, 0, "项目名称", cs=2)
        form.put(0, 2, p["name"], cs=6, align="left")
        form.label(1, 0, "项目类别", cs=2)
        form.put(1, 2, p["category"] or "", cs=2)
        form.label(1, 4, "项目性质")
        form.put(1, 5, p["nature"] or "", cs=3)
        form.label(2, 0, "主管部门", cs=2)
        form.put(2, 2, p["competent_department"] or "", cs=2, align="left")
        form.label(2, 4, "实施单位")
        form.put(2, 5, p["implementing_unit"] or "", cs=3, align="left")
        form.label(3, 0, "计划开始日期", cs=2)
        date_cell(form, 3, 2, p["start_date"], date_style, cs=2)
        form.label(3, 4, "计划完成日期")
        date_cell(form, 3, 5, p["end_date"], date_style, cs=3)
        form.label(4, 0, "项目资金（元）", rs=4, vertical=True)
        left = [
            ("项目资金总额", "total"),
            ("其中：财政资金", "total_fiscal"),
            ("", None),
            ("其他资金", "total_other"),
        ]
        right = [
            ("年度资金申请总额", "annual"),
            ("其中：当年财政拨款", "annual_appropriation"),
            ("上年结转资金", "annual_carryover"),
            ("其他资金", "annual_other"),
        ]
        for n, ((l_label, l_key), (r_label, r_key)) in enumerate(zip(left, right, strict=True)):
            form.label(4 + n, 1, l_label)
            if l_key:
                money_cell(form, 4 + n, 2, f[l_key], "元", cs=2)
            else:
                form.put(4 + n, 2, "", cs=2)
            form.label(4 + n, 4, r_label)
            money_cell(form, 4 + n, 5, f[r_key], "元", cs=3)
        year = d["year"]
        form.label(8, 0, "项目绩效目标", rs=2, vertical=True)
        form.label(8, 1, "项目总目标", cs=3)
        form.label(8, 4, f"年度总目标\n（{year} 年 - {year}年）", cs=4)
        form.put(9, 1, g["overall"] or "", cs=3, align="left")
        form.put(9, 4, g["annual"] or "", cs=4, align="left")
        form.label(10, 0, "绩效指标", rs=1 + len(items), vertical=True)
        for col, (text, cs) in zip(
            (1, 2, 3, 6), (("一级指标", 1), ("二级指标", 1), ("三级指标", 3), ("指标目标值", 2)), strict=True
        ):
            form.label(10, col, text, cs=cs)
        # The second form's satisfaction level wraps as the published PDFs print it.
        wrap = (
            (lambda s: s.replace("服务对象满意度指标", "服务对象\n满意度指标")) if k == 1 else (lambda s: s)
        )
        merged_levels(form, 11, items, 1, 2, label2=wrap)
        for n, item in enumerate(items):
            form.put(11 + n, 3, item["name"], cs=3, align="left")
            form.put(11 + n, 6, item["target"], cs=2)
        forms.append(form)
    return forms


def _mof_header(form: Form, d: dict[str, Any], unit: str, dept_label: str = "主管部门及代码") -> int:
    """The MOF header (财预〔2021〕101号): label left, value right; return the next free row."""
    p, f = d["project"], d["funding"]
    form.label(0, 0, "项目名称")
    form.put(0, 1, p["name"], cs=5, align="left")
    form.label(1, 0, dept_label)
    form.put(1, 1, p["competent_department"] or "", cs=2, align="left")
    form.label(1, 3, "实施单位")
    form.put(1, 4, p["implementing_unit"] or "", cs=2, align="left")
    form.label(2, 0, f"项目资金（{unit}）", rs=3)
    for n, (text, key) in enumerate(
        (("年度资金总额", "annual"), ("其中：财政拨款", "annual_appropriation"), ("其他资金", "annual_other"))
    ):
        form.label(2 + n, 1, text, cs=2)
        money_cell(form, 2 + n, 3, f[key], unit, cs=3)
    form.label(5, 0, "年度目标")
    form.put(5, 1, d["goals"]["annual"] or "", cs=5, align="left")
    return 6


def _mof_indicators(
    form: Form,
    first: int,
    items: list[dict[str, Any]],
    placeholders: bool = False,
    label2: Callable[[str], str] = lambda s: s,
) -> None:
    rows = list(items)
    if placeholders:
        # The template's own rows, left as the unit found them (指标1：, ……): to be skipped.
        at = next(n for n, i in enumerate(rows) if i["level2"] == "可持续影响指标")
        for name in ("……", "指标1："):
            rows.insert(at, {"level1": "效益指标", "level2": "生态效益指标", "name": name, "target": ""})
    form.label(first, 0, "绩效指标", rs=1 + len(rows), vertical=True)
    form.label(first, 1, "一级指标")
    form.label(first, 2, "二级指标")
    form.label(first, 3, "三级指标", cs=2)
    form.label(first, 5, "指标值")
    merged_levels(form, first + 1, rows, 1, 2, label2=label2)
    for n, item in enumerate(rows):
        form.put(first + 1 + n, 3, item["name"], cs=2, align="left")
        form.put(first + 1 + n, 5, item["target"])


def mof_target(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """项目支出绩效目标表 (财预〔2021〕101号), amounts in 万元, placeholder rows left in the first form."""
    forms = []
    for k, d in enumerate(docs):
        form = Form("项目支出绩效目标表", [1.5, 1.6, 2.0, 2.6, 1.4, 1.9], sheet=f"表{k + 1}")
        form.lines = [(f"（{d['year']}年度）", "center")]
        nxt = _mof_header(form, d, "万元")
        _mof_indicators(form, nxt, d["indicators"], placeholders=k == 0)
        forms.append(form)
    return forms


def split_target_forms(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """Sichuan / Anhui: 指标性质 | 指标值 | 度量单位 (计量单位), 权重, 指标方向性; 单位：万元 above the table."""
    forms = []
    for k, d in enumerate(docs):
        p, f, items = d["project"], d["funding"], d["indicators"]
        sichuan = k == 0
        if sichuan:
            title = f"四川省{d['year']}年度省级部门预算项目支出绩效目标表"
            heads = [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标性质",
                "指标值",
                "度量单位",
                "权重（%）",
                "指标方向性",
            ]
            widths = [1.4, 1.6, 3.0, 1.1, 1.2, 1.2, 1.0, 1.3]
        else:
            title = f"安徽省{d['year']}年省级项目支出绩效目标表"
            heads = ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "计量单位", "权重"]
            widths = [1.4, 1.6, 3.2, 1.2, 1.4, 1.3, 1.0]
        form = Form(title, widths, sheet=p["name"][:28], landscape=sichuan)
        form.lines = [("单位：万元", "right")]
        last = len(widths)
        form.label(0, 0, "项目名称", cs=2)
        form.put(0, 2, p["name"], cs=last - 2, align="left")
        form.label(1, 0, "主管部门", cs=2)
        form.put(1, 2, p["competent_department"] or "", cs=2, align="left")
        form.label(1, 4, "实施单位", cs=2)
        form.put(1, 6, p["implementing_unit"] or "", cs=last - 6, align="left")
        form.label(2, 0, "项目属性", cs=2)
        form.put(2, 2, p["nature"] or "", cs=2)
        form.label(2, 4, "项目期", cs=2)
        form.put(2, 6, "1年", cs=last - 6)
        form.label(3, 0, "资金情况", rs=4)
        for n, (text, key) in enumerate(
            (
                ("年度资金总额", "annual"),
                ("其中：财政拨款", "annual_appropriation"),
                ("上年结转", "annual_carryover"),
                ("其他资金", "annual_other"),
            )
        ):
            form.label(3 + n, 1, text, cs=2)
            money_cell(form, 3 + n, 3, f[key], "万元", cs=last - 3)
        form.label(7, 0, "年度目标", cs=2)
        form.put(7, 2, d["goals"]["annual"] or "", cs=last - 2, align="left")
        for col, text in enumerate(heads):
            form.label(8, col, text)
        merged_levels(form, 9, items, 0, 1)
        weights = [10, 10, 10, 10, 10, 15, 15, 10] if sichuan else [15, 10, 15, 10, 15, 15, 10]
        for n, item in enumerate(items):
            r = 9 + n
            op, value, unit = split_target(item["target"])
            form.put(r, 2, item["name"], align="left")
            form.put(r, 3, op)
            form.put(r, 4, value)
            form.put(r, 5, unit)
            form.put(r, 6, str(weights[n]))
            if sichuan:
                form.put(r, 7, "反向指标" if op in ("≤", "＜") else "正向指标")
        forms.append(form)
    return forms


def anhui_midterm(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """Anhui: 中期 and 年度 goals and indicator tables side by side."""
    d = docs[0]
    p, f, g = d["project"], d["funding"], d["goals"]
    annual = d["indicators"]
    mid = meta["midterm_indicators"]
    form = Form(
        "项目支出绩效目标申报表", [1.3, 1.5, 2.6, 1.5, 1.5, 2.6, 1.5], landscape=True, sheet="中期和年度"
    )
    form.lines = [(f"（{d['year']}年度）", "center")]
    form.label(0, 0, "项目名称")
    form.put(0, 1, p["name"], cs=6, align="left")
    form.label(1, 0, "主管部门")
    form.put(1, 1, p["competent_department"], cs=2, align="left")
    form.label(1, 3, "实施单位")
    form.put(1, 4, p["implementing_unit"], cs=3, align="left")
    form.label(2, 0, "项目属性")
    form.put(2, 1, p["nature"], cs=2)
    form.label(2, 3, "项目期")
    form.put(2, 4, "3年", cs=3)
    form.label(3, 0, "资金情况（万元）", rs=3)
    rows = (
        ("中期资金总额", "total", "年度资金总额", "annual"),
        ("其中：财政拨款", "total_fiscal", "其中：财政拨款", "annual_appropriation"),
        ("其他资金", "total_other", "其他资金", "annual_other"),
    )
    for n, (l_label, l_key, r_label, r_key) in enumerate(rows):
        form.label(3 + n, 1, l_label)
        money_cell(form, 3 + n, 2, f[l_key], "万元")
        form.label(3 + n, 3, r_label, cs=2)
        money_cell(form, 3 + n, 5, f[r_key], "万元", cs=2)
    form.label(6, 0, "总体目标", rs=2, vertical=True)
    form.label(6, 1, f"中期目标（{d['year']}年—{d['year'] + 2}年）", cs=3)
    form.label(6, 4, f"年度目标（{d['year']}年）", cs=3)
    form.put(7, 1, g["overall"], cs=3, align="left")
    form.put(7, 4, g["annual"], cs=3, align="left")
    form.label(8, 0, "一级指标", rs=2)
    form.label(8, 1, "中期指标", cs=3)
    form.label(8, 4, "年度指标", cs=3)
    for col, text in zip(range(1, 7), ["二级指标", "三级指标", "指标值"] * 2, strict=True):
        form.label(9, col, text)
    assert [i["level1"] for i in mid] == [i["level1"] for i in annual]
    for start, length in runs([i["level1"] for i in annual]):
        form.put(10 + start, 0, annual[start]["level1"], rs=length)
    for items, col in ((mid, 1), (annual, 4)):
        for start, length in runs([f"{i['level1']}\x00{i['level2']}" for i in items]):
            form.put(10 + start, col, items[start]["level2"], rs=length)
        for n, item in enumerate(items):
            form.put(10 + n, col + 1, item["name"], align="left")
            form.put(10 + n, col + 2, item["target"])
    return [form]


def department_list(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """部门预算项目绩效目标申报表: one table, a block of rows per project."""
    form = Form(
        f"{docs[0]['year']}年部门预算项目绩效目标申报表",
        [1.8, 2.0, 1.0, 4.0, 1.3, 1.6, 2.6, 1.3],
        landscape=True,
        sheet="项目绩效目标",
    )
    form.lines = [("单位：万元", "right")]
    for col, text in enumerate(
        ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标值"]
    ):
        form.label(0, col, text)
    r = 1
    for d in docs:
        items = d["indicators"]
        form.put(r, 0, d["project"]["implementing_unit"], align="left")
        form.put(r, 1, d["project"]["name"], align="left")
        money_cell(form, r, 2, d["funding"]["annual"], "万元")
        form.put(r, 3, d["goals"]["annual"], align="left")
        merged_levels(form, r, items, 4, 5)
        for n, item in enumerate(items):
            form.put(r + n, 6, item["name"], align="left")
            form.put(r + n, 7, item["target"])
        r += len(items)
    return [form]


def _rate(text: str | None) -> str:
    return "" if text is None else f"{Decimal(text):.2f}%"


def self_evaluation(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """项目支出绩效自评表 (财预〔2020〕10号, 万元) or the Shanghai 财政项目支出绩效自评表 (元)."""
    shanghai = meta["layout"] == "shanghai-self-evaluation"
    unit = "元" if shanghai else "万元"
    forms = []
    for k, d in enumerate(docs):
        p, b, items = d["project"], d["budget"], d["indicators"]
        variant = not shanghai and k == 1  # 部门预算项目支出绩效自评表: other column heads and order
        if shanghai:
            title = "财政项目支出绩效自评表"
        elif variant:
            title = f"{d['year']}年度部门预算项目支出绩效自评表"
        else:
            title = "项目支出绩效自评表"
        form = Form(
            title, [1.0, 1.9, 2.0, 2.8, 1.9, 1.9, 1.0, 1.2, 2.9], landscape=True, sheet=p["name"][:28]
        )
        form.lines = [] if variant else [(f"（{d['year']}年度）", "center")]
        form.label(0, 0, "项目名称", cs=2)
        form.put(0, 2, p["name"], cs=7, align="left")
        form.label(1, 0, "主管部门", cs=2)
        form.put(1, 2, p["competent_department"], cs=3, align="left")
        form.label(1, 5, "实施单位")
        form.put(1, 6, p["implementing_unit"], cs=3, align="left")
        form.label(2, 0, f"项目资金（{unit}）", rs=5, vertical=True)
        form.label(2, 1, "", cs=2)
        heads = (
            ["年初预算数", "全年预算数（A）", "全年执行数（B）", "分值", "执行率（B/A）", "得分"]
            if variant
            else ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
        )
        for n, text in enumerate(heads):
            form.label(2, 3 + n, text)
        form.label(3, 1, "年度资金总额", cs=2)
        for n, key in enumerate(("initial", "adjusted", "executed")):
            money_cell(form, 3, 3 + n, b[key], unit)
        form.put(3, 6, b["weight"] or "")
        form.put(3, 7, _rate(b["execution_rate"]))
        form.put(3, 8, b["score"] or "")
        for n, (key, text) in enumerate(
            (("appropriation", "其中：当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))
        ):
            line = b["lines"].get(key) or {}
            form.label(4 + n, 1, text, cs=2)
            for m, part in enumerate(("initial", "adjusted", "executed")):
                money_cell(form, 4 + n, 3 + m, line.get(part), unit)
            form.put(4 + n, 6, "—")
            rate = "—"
            if shanghai and line.get("adjusted") and line.get("executed"):
                # the Shanghai forms print each sub-row's own rate, computed, not the total's
                rate = f"{Decimal(line['executed']) / Decimal(line['adjusted']) * 100:.2f}%"
            form.put(4 + n, 7, rate)
            form.put(4 + n, 8, "—")
        form.label(7, 0, "年度总体目标", rs=2, vertical=True)
        form.label(7, 1, "预期目标", cs=4)
        form.label(7, 5, "实际完成情况", cs=4)
        form.put(8, 1, d["goals"]["annual"] or "", cs=4, align="left")
        form.put(8, 5, d["outcome"] or "", cs=4, align="left")
        first = 9
        form.label(first, 0, "绩效指标", rs=1 + len(items), vertical=True)
        if variant:
            cols = [
                "一级指标",
                "二级指标",
                "三级指标",
                "分值",
                "年度指标值",
                "实际完成值",
                "得分",
                "未完成原因和改进措施",
            ]
            keys = ["name", "weight", "target", "actual", "score", "deviation_note"]
        else:
            cols = [
                "一级指标",
                "二级指标",
                "三级指标",
                "年度指标值",
                "实际完成值",
                "分值",
                "得分",
                "偏差原因分析及改进措施",
            ]
            keys = ["name", "target", "actual", "weight", "score", "deviation_note"]
        for n, text in enumerate(cols):
            form.label(first, 1 + n, text)
        label1 = points_label(items) if (not shanghai and k == 0) else (lambda s: s)
        merged_levels(form, first + 1, items, 1, 2, label1=label1)
        for n, item in enumerate(items):
            for m, key in enumerate(keys):
                form.put(
                    first + 1 + n,
                    3 + m,
                    item[key] or "",
                    align="left" if key in ("name", "deviation_note") else "center",
                )
        last = first + 1 + len(items)
        form.label(last, 0, "总分", cs=6)
        form.put(last, 6, "100")
        form.put(last, 7, d["total_score"] or "")
        form.put(last, 8, "")
        forms.append(form)
    return forms


def province_titles(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """MOF-like forms under the titles of other provinces, one title variant each."""
    forms = []
    year_line = {3: True}
    units = {1: "元"}
    for k, (d, title) in enumerate(zip(docs, meta["titles"], strict=True)):
        form = Form(title, [1.5, 1.6, 2.0, 2.6, 1.4, 1.9], sheet=f"表{k + 1}")
        form.lines = [(f"（{d['year']}年度）", "center")] if year_line.get(k) else []
        nxt = _mof_header(form, d, units.get(k, "万元"), dept_label="主管部门")
        # The Yunnan form writes the level 经济效益 without 指标, as printed forms do.
        short = (lambda s: s.replace("经济效益指标", "经济效益")) if k == 2 else (lambda s: s)
        _mof_indicators(form, nxt, d["indicators"], label2=short)
        forms.append(form)
    return forms


def header_variants(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """Header labels beyond the MOF and Shanghai ones (form-layouts.md §2), one variant set per form."""
    forms = []
    d = docs[0]
    p, f, g = d["project"], d["funding"], d["goals"]
    form = Form("上海市财政支出项目绩效目标申报表", [1.6, 2.0, 2.2, 1.6, 2.0, 2.2], sheet="课后服务")
    form.lines = [(f"（{d['year']}年度）", "center")]
    form.label(0, 0, "项目名称")
    form.put(0, 1, p["name"], cs=5, align="left")  # the project code stands before the name
    form.label(1, 0, "主管单位")
    form.put(1, 1, p["competent_department"], cs=2, align="left")
    form.label(1, 3, "实施单位（盖章）")
    form.put(1, 4, p["implementing_unit"], cs=2, align="left")
    form.label(2, 0, "项目负责人及电话")
    form.put(2, 1, "王敏 021-23116789", cs=2)
    form.label(2, 3, "项目属性")
    form.put(2, 4, p["nature"], cs=2)
    form.label(3, 0, "项目起止时间")
    form.put(3, 1, "2023年1月-12月", cs=5)
    form.label(4, 0, "项目资金（元）", rs=3)
    form.label(4, 1, "项目总预算")
    money_cell(form, 4, 2, f["total"], "元")
    form.label(4, 3, "当年预算")
    money_cell(form, 4, 4, f["annual"], "元", cs=2)
    form.put(5, 1, "")
    form.put(5, 2, "")
    form.label(5, 3, "其中：本年财政拨款")
    money_cell(form, 5, 4, f["annual_appropriation"], "元", cs=2)
    form.put(6, 1, "")
    form.put(6, 2, "")
    form.label(6, 3, "上年结转资金")
    money_cell(form, 6, 4, f["annual_carryover"], "元", cs=2)
    form.label(7, 0, "总体目标")
    form.put(7, 1, g["overall"], cs=5, align="left")
    form.label(8, 0, "年度目标")
    form.put(8, 1, g["annual"], cs=5, align="left")
    items = d["indicators"]
    form.label(9, 0, "一级指标")
    form.label(9, 1, "二级指标")
    form.label(9, 2, "三级指标", cs=2)
    form.label(9, 4, "绩效指标值")
    form.label(9, 5, "备注")
    points = {"产出指标": "50", "效益指标": "30", "满意度指标": "10"}
    merged_levels(form, 10, items, 0, 1, label1=lambda s: f"{s}({points[s]})")
    for n, item in enumerate(items):
        form.put(10 + n, 2, item["name"], cs=2, align="left")
        form.put(10 + n, 4, item["target"])
        form.put(10 + n, 5, "")
    forms.append(form)

    d = docs[1]
    p, f, g = d["project"], d["funding"], d["goals"]
    form = Form("项目支出绩效目标申报明细表", [1.6, 2.0, 2.2, 1.6, 2.0, 2.2], sheet="智慧养老")
    form.lines = [(f"（{d['year']}年度）", "center")]
    form.label(0, 0, "项目名称")
    form.put(0, 1, p["name"], cs=5, align="left")
    form.label(1, 0, "一级预算单位")
    form.put(1, 1, p["competent_department"], cs=2, align="left")
    form.label(1, 3, "申报单位名称")
    form.put(1, 4, p["implementing_unit"], cs=2, align="left")
    form.label(2, 0, "项目类型")
    form.put(2, 1, p["category"], cs=5)
    form.label(3, 0, "开始时间")
    form.put(3, 1, "2024年3月1日", cs=2)
    form.label(3, 3, "结束时间")
    form.put(3, 4, "2024年11月30日", cs=2)
    form.label(4, 0, "资金情况（万元）", rs=3)
    for n, (text, key) in enumerate(
        (
            ("年度资金申请总额", "annual"),
            ("其中：当年财政拨款", "annual_appropriation"),
            ("其他资金", "annual_other"),
        )
    ):
        form.label(4 + n, 1, text, cs=2)
        money_cell(form, 4 + n, 3, f[key], "万元", cs=3)
    form.label(7, 0, "项目总目标")
    form.put(7, 1, g["overall"], cs=5, align="left")
    form.label(8, 0, "年度总目标")
    form.put(8, 1, g["annual"], cs=5, align="left")
    items = d["indicators"]
    rows = [
        *items[:4],
        {"level1": "效益指标", "level2": "社会效益指标", "name": "……", "target": ""},
        items[4],
    ]
    form.label(9, 0, "一级指标")
    form.label(9, 1, "二级指标")
    form.label(9, 2, "三级指标", cs=3)
    form.label(9, 5, "指标值")
    merged_levels(form, 10, rows, 0, 1)
    for n, item in enumerate(rows):
        form.put(10 + n, 2, item["name"], cs=3, align="left")
        form.put(10 + n, 5, item["target"])
    forms.append(form)

    d = docs[2]
    p, f, g = d["project"], d["funding"], d["goals"]
    form = Form(
        f"部门预算项目支出绩效目标表（{d['year']}年度）", [1.6, 2.0, 2.2, 1.6, 2.0, 2.2], sheet="校舍维修"
    )
    form.lines = [(f"部门：{p['implementing_unit']}　　　　单位：万元", "left")]
    form.label(0, 0, "项目名称")
    form.put(0, 1, p["name"], cs=5, align="left")
    form.label(1, 0, "主管部门及代码")
    form.put(1, 1, p["competent_department"], cs=2, align="left")
    form.label(1, 3, "项目期")
    form.put(1, 4, "1年", cs=2)
    form.label(2, 0, "预算申报数")
    money_cell(form, 2, 1, f["annual"], "万元", cs=5)
    form.label(3, 0, "年度绩效目标")
    form.put(3, 1, g["annual"], cs=5, align="left")
    items = d["indicators"]
    form.label(4, 0, "一级指标")
    form.label(4, 1, "二级指标")
    form.label(4, 2, "三级指标", cs=3)
    form.label(4, 5, "指标值")
    merged_levels(form, 5, items, 0, 1)
    for n, item in enumerate(items):
        form.put(5 + n, 2, item["name"], cs=3, align="left")
        form.put(5 + n, 5, item["target"])
    forms.append(form)
    return forms


def self_evaluation_variants(docs: list[dict[str, Any]], meta: dict[str, Any]) -> list[Form]:
    """A 衔接资金 绩效目标自评表: 调整后预算数 | 预算执行数, a split 年度指标值, 自评等级, printed oddities."""
    d = docs[0]
    p, b, items = d["project"], d["budget"], d["indicators"]
    form = Form(
        f"{d['year']}年度衔接推进乡村振兴补助资金绩效目标自评表",
        [1.0, 1.7, 1.8, 2.4, 0.9, 1.0, 1.0, 1.6, 0.9, 0.9, 2.6],
        landscape=True,
        sheet="衔接资金",
        fit_vertical=True,
    )
    form.label(0, 0, "项目名称", cs=2)
    form.put(0, 2, p["name"], cs=9, align="left")
    form.label(1, 0, "主管部门", cs=2)
    form.put(1, 2, p["competent_department"], cs=3, align="left")
    form.label(1, 5, "实施单位", cs=2)
    form.put(1, 7, p["implementing_unit"], cs=4, align="left")
    form.label(2, 0, "项目资金（元）", rs=5, vertical=True)
    form.label(2, 1, "", cs=2)
    for n, (text, cs) in enumerate(
        (("年初预算数", 1), ("调整后预算数", 2), ("预算执行数", 1), ("分值", 1), ("执行率", 1), ("得分", 1))
    ):
        col = [3, 4, 6, 7, 8, 9][n]
        form.label(2, col, text, cs=cs)
    form.put(2, 10, "")

    def budget_row(r: int, label: str, values: dict[str, Any], scored: bool) -> None:
        form.label(r, 1, label, cs=2)
        money_cell(form, r, 3, values.get("initial"), "元")
        money_cell(form, r, 4, values.get("adjusted"), "元", cs=2)
        money_cell(form, r, 6, values.get("executed"), "元")
        form.put(r, 7, (b["weight"] if scored else "—") or "")
        form.put(r, 8, _rate(b["execution_rate"]) if scored else "—")
        form.put(r, 9, (b["score"] if scored else "—") or "")
        form.put(r, 10, "")

    budget_row(3, "年度资金总额", b, True)
    budget_row(4, "其中：当年财政拨款", b["lines"]["appropriation"], False)
    # the unit typed 854万 and pasted it twice: printed as it is (form-layouts.md §5)
    for cell in form.cells:
        if (cell.row, cell.col) == (4, 3):
            cell.text, cell.value, cell.fmt = "854万854万", None, None
    budget_row(5, "上年结转资金", b["lines"]["carryover"], False)
    budget_row(6, "其他资金", b["lines"]["other"], False)
    form.label(7, 0, "年度总体目标", rs=2, vertical=True)
    form.label(7, 1, "预期目标", cs=5)
    form.label(7, 6, "实际完成情况", cs=5)
    form.put(8, 1, d["goals"]["annual"], cs=5, align="left")
    form.put(8, 6, d["outcome"], cs=5, align="left")
    form.label(9, 0, "绩效指标", rs=2 + len(items), vertical=True)
    for col, text in ((1, "一级指标"), (2, "二级指标"), (3, "三级指标")):
        form.label(9, col, text, rs=2)
    form.label(9, 4, "年度指标值", cs=3)
    for col, text in ((7, "全年实际完成值"), (8, "分值"), (9, "得分"), (10, "未完成原因和改进措施")):
        form.label(9, col, text, rs=2)
    for col, text in ((4, "指标性质"), (5, "指标值"), (6, "度量单位")):
        form.label(10, col, text)
    merged_levels(form, 11, items, 1, 2)
    for n, item in enumerate(items):
        r = 11 + n
        op, value, unit = split_target(item["target"])
        form.put(r, 3, item["name"], align="left")
        form.put(r, 4, op)
        form.put(r, 5, value)
        form.put(r, 6, unit)
        form.put(r, 7, item["actual"] or "")
        form.put(r, 8, item["weight"] or "")
        form.put(r, 9, item["score"] or "")
        form.put(r, 10, item["deviation_note"] or "", align="left")
    last = 11 + len(items)
    form.label(last, 0, "总分", cs=8)
    form.put(last, 8, "100")
    form.put(last, 9, d["total_score"])
    form.put(last, 10, f"自评等级：{d['grade']}")
    return [form]


LAYOUTS = {
    "shanghai-declaration": Layout(
        "shanghai-declaration",
        shanghai_declaration,
        site="上海市徐汇区人民政府",
        article="区绿化市容局2024年度部门预算项目绩效目标公开",
        preamble="根据《上海市预算绩效管理实施办法》，现将本单位2024年度项目绩效目标公开如下。",
    ),
    "seed-chromium": Layout(
        "seed-chromium",
        shanghai_declaration,
        site="上海市青浦区人民政府",
        article="上海市青浦区城市运行管理中心2022年项目绩效目标",
    ),
    "mof-target": Layout(
        "mof-target",
        mof_target,
        site="湖北省交通运输厅",
        article="湖北省交通运输厅2023年部门预算项目绩效目标表",
        preamble="本部门2023年项目支出预算共计15,286.40万元，其中农村公路养护工程补助资金358.60万元、"
        "普通国省道安全生命防护工程1,250.00万元、交通运输综合执法经费416.00万元。",
    ),
    "split-target": Layout(
        "split-target",
        split_target_forms,
        site="四川省人力资源和社会保障厅",
        article="2024年省级部门预算项目支出绩效目标公开",
    ),
    "anhui-midterm": Layout(
        "anhui-midterm",
        anhui_midterm,
        site="安徽省水利厅",
        article="安徽省水利厅2024年项目支出绩效目标（中期）",
    ),
    "department-list": Layout(
        "department-list",
        department_list,
        site="寿县人民政府",
        article="寿县教育体育局2024年部门预算项目绩效目标",
        preamble="2024年本部门共有预算项目3个，项目预算合计214.70万元。",
    ),
    "mof-self-evaluation": Layout(
        "mof-self-evaluation",
        self_evaluation,
        site="湖北省交通运输厅",
        article="湖北省交通运输厅2023年度项目支出绩效自评结果公开",
    ),
    "shanghai-self-evaluation": Layout(
        "shanghai-self-evaluation",
        self_evaluation,
        site="上海市普陀区人民政府",
        article="区体育局2022年度项目支出绩效自评表",
    ),
    "header-variants": Layout(
        "header-variants",
        header_variants,
        site="预算绩效管理信息网",
        article="项目绩效目标表样式汇编",
    ),
    "self-evaluation-variants": Layout(
        "self-evaluation-variants",
        self_evaluation_variants,
        site="东乡县人民政府",
        article="2023年度衔接资金项目绩效自评结果公示",
    ),
    "province-titles": Layout(
        "province-titles",
        province_titles,
        site="预算绩效管理信息网",
        article="各地项目支出绩效目标表选登",
        crumb="首页 > 信息公开 > 财政预决算 > 部门项目支出绩效目标表公开",
        charset="gb2312",
    ),
}


# --- producers ----------------------------------------------------------------------------------


def _lines_of(text: str, width_chars: float) -> int:
    return sum(max(1, math.ceil(len(part) / max(width_chars, 1))) for part in text.split("\n"))


_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)%$")


def write_xlsx(forms: list[Form], path: Path) -> None:
    """One sheet per form: the title and lines as merged rows, the table with thin borders."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    used: set[str] = set()
    for n, form in enumerate(forms):
        name = form.sheet or f"表{n + 1}"
        while name in used:
            name += "_"
        used.add(name)
        ws = wb.create_sheet(name)
        scale = 7.5 if form.landscape else 5.2
        for col, w in enumerate(form.widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = w * scale
        last = get_column_letter(form.ncols)
        ws["A1"] = form.title
        ws["A1"].font = Font(bold=True, size=16)
        ws["A1"].alignment = Alignment(horizontal="center")
        ws.merge_cells(f"A1:{last}1")
        ws.row_dimensions[1].height = 28
        top = 2
        for text, align in form.lines:
            ws.cell(top, 1, text).alignment = Alignment(horizontal=align)
            ws.merge_cells(f"A{top}:{last}{top}")
            top += 1
        for r in range(form.nrows):
            for c in range(form.ncols):
                cell = ws.cell(top + r, 1 + c)
                cell.border = border
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        heights = [1] * form.nrows
        for cell in form.cells:
            target = ws.cell(top + cell.row, 1 + cell.col)
            target.value = cell.value if cell.value is not None else (cell.text or None)
            percent = _PERCENT.match(cell.text) if cell.value is None else None
            if percent:
                # Excel turns a typed "96%" into the number 0.96 shown with a percent format.
                target.value = Decimal(percent.group(1)) / 100
                decimals = len(percent.group(1).partition(".")[2])
                target.number_format = "0%" if not decimals else "0." + "0" * decimals + "%"
            if isinstance(target.value, str) and target.value.startswith("="):
                target.data_type = "s"  # "=100%" is what the unit typed, not a formula
            if cell.fmt and cell.value is not None:
                target.number_format = cell.fmt
            target.alignment = Alignment(
                wrap_text=True,
                vertical="center",
                horizontal=cell.align,
                text_rotation=255 if cell.vertical else 0,
            )
            if cell.head:
                target.font = Font(bold=True)
            if cell.rs > 1 or cell.cs > 1:
                ws.merge_cells(
                    start_row=top + cell.row,
                    start_column=1 + cell.col,
                    end_row=top + cell.row + cell.rs - 1,
                    end_column=1 + cell.col + cell.cs - 1,
                )
            if not cell.vertical:
                chars = sum(form.widths[cell.col : cell.col + cell.cs]) * scale / 2.1
                per_row = math.ceil(_lines_of(cell.text, chars) / cell.rs)
                for r in range(cell.row, cell.row + cell.rs):
                    heights[r] = max(heights[r], per_row)
        points = [16 * h + 4 for h in heights]
        if form.fit_vertical:
            for cell in form.cells:
                if cell.vertical:
                    need = 15 * len(cell.text) + 8
                    have = sum(points[cell.row : cell.row + cell.rs])
                    for r in range(cell.row, cell.row + cell.rs):
                        points[r] += max(need - have, 0) / cell.rs
        for r, h in enumerate(points):
            ws.row_dimensions[top + r].height = h
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if form.landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
    wb.save(path)


def write_docx(forms: list[Form], path: Path) -> None:
    """One form a page: the title and lines as paragraphs, the table merged with python-docx."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Serif CJK SC"
    normal.font.size = Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "Noto Serif CJK SC")
    section = doc.sections[0]
    if any(f.landscape for f in forms):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    usable = section.page_width - section.left_margin - section.right_margin
    align_of = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    for n, form in enumerate(forms):
        if n:
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(form.title)
        run.bold = True
        run.font.size = Pt(16)
        for text, align in form.lines:
            doc.add_paragraph(text).alignment = align_of[align]
        table = doc.add_table(rows=form.nrows, cols=form.ncols)
        table.style = "Table Grid"
        total = sum(form.widths)
        for row in table.rows:
            for c, cell in enumerate(row.cells):
                cell.width = int(usable * form.widths[c] / total)
        for cell in form.cells:
            target = table.cell(cell.row, cell.col)
            if cell.rs > 1 or cell.cs > 1:
                target = target.merge(table.cell(cell.row + cell.rs - 1, cell.col + cell.cs - 1))
            parts = cell.text.split("\n")
            target.text = parts[0]
            for part in parts[1:]:
                target.add_paragraph(part)
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for para in target.paragraphs:
                para.alignment = align_of[cell.align]
                for r in para.runs:
                    r.bold = cell.head
        doc.add_paragraph("")
    doc.save(str(path))


FORM_CSS = """
body { font-family: "Noto Serif CJK SC", "SimSun", serif; font-size: 10.5pt; }
.form { page-break-after: always; margin: 0 auto 2em; }
.form .t { text-align: center; font-size: 17pt; font-weight: bold; margin: 0.3em 0 0.1em; }
.form .l-center { text-align: center; margin: 0.1em 0; } .form .l-right { text-align: right; margin: 0.1em 0; }
.form .l-left { text-align: left; margin: 0.1em 0; }
.form table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.form td { border: 1px solid #000; padding: 3px 4px; text-align: center; vertical-align: middle;
  word-break: break-all; }
.form td.h { font-weight: bold; } .form td.left { text-align: left; } .form td.right { text-align: right; }
.form td.v { writing-mode: vertical-rl; text-orientation: upright; letter-spacing: 0.15em; }
"""

PAGE_CSS = """
.top { background: #b71c1c; color: #fff; padding: 6px 12px; } .top a { color: #fff; margin-right: 1em; }
.crumb { margin: 8px 12px; color: #555; } .article { max-width: 1000px; margin: 0 auto; }
.article h2 { text-align: center; } .meta { text-align: center; color: #777; }
.footer { border-top: 3px solid #b71c1c; margin-top: 2em; padding: 1em; text-align: center; color: #555; }
"""


def form_html(form: Form) -> str:
    """Return one form as HTML: title and lines as paragraphs, the table with rowspan/colspan."""
    out = ['<div class="form">', f'<p class="t">{html.escape(form.title)}</p>']
    for text, align in form.lines:
        out.append(f'<p class="l-{align}">{html.escape(text)}</p>')
    total = sum(form.widths)
    cols = "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in form.widths)
    out.append(f'<table cellspacing="0" cellpadding="0"><colgroup>{cols}</colgroup><tbody>')
    by_row: dict[int, list[C]] = {}
    covered: set[tuple[int, int]] = set()
    for cell in form.cells:
        by_row.setdefault(cell.row, []).append(cell)
        covered |= {
            (r, c) for r in range(cell.row, cell.row + cell.rs) for c in range(cell.col, cell.col + cell.cs)
        }
    # An HTML row places its cells left to right: a slot no cell covers needs an empty <td>.
    for r in range(form.nrows):
        for c in range(form.ncols):
            if (r, c) not in covered:
                by_row.setdefault(r, []).append(C(r, c, ""))
    for r in range(form.nrows):
        tds = []
        for cell in sorted(by_row.get(r, []), key=lambda c: c.col):
            attrs = []
            if cell.rs > 1:
                attrs.append(f'rowspan="{cell.rs}"')
            if cell.cs > 1:
                attrs.append(f'colspan="{cell.cs}"')
            classes = [k for k, on in (("h", cell.head), ("v", cell.vertical)) if on]
            if cell.align != "center":
                classes.append(cell.align)
            if classes:
                attrs.append(f'class="{" ".join(classes)}"')
            body = "<br>".join(html.escape(part) for part in cell.text.split("\n"))
            tds.append(f"<td{' ' if attrs else ''}{' '.join(attrs)}>{body}</td>")
        out.append(f"<tr>{''.join(tds)}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def page_html(layout: Layout, forms: list[Form]) -> str:
    """Return the forms inside a government web page: navigation, breadcrumb, footer, a script."""
    nav = " ".join(
        f'<a href="#">{t}</a>' for t in ("首页", "机构概况", "政务公开", "政务服务", "互动交流", "专题专栏")
    )
    body = "\n".join(form_html(f) for f in forms)
    preamble = f"<p>{html.escape(layout.preamble)}</p>" if layout.preamble else ""
    landscape = "@page { size: A4 landscape; }" if any(f.landscape for f in forms) else ""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset={layout.charset}">
<title>{html.escape(layout.article)}_{html.escape(layout.site)}</title>
<style>{PAGE_CSS}{FORM_CSS}{landscape}</style>
<script>var _hmt = _hmt || []; /* site statistics */</script></head>
<body>
<div class="top"><strong>{html.escape(layout.site)}</strong> {nav} <span>无障碍浏览 | 长者模式</span></div>
<div class="crumb">当前位置：{html.escape(layout.crumb)}</div>
<div class="article">
<h2>{html.escape(layout.article)}</h2>
<p class="meta">发布时间：2024-02-05 10:32　来源：{html.escape(layout.site)}　浏览次数：1203　【字体：大 中 小】</p>
{preamble}
{body}
<p>附件：<a href="#">项目绩效目标表.xlsx</a></p>
</div>
<div class="footer">
<p>主办单位：{html.escape(layout.site)}　地址：人民路100号　邮编：200000　联系电话：021-12345678</p>
<p>版权所有 © 2024　ICP备05012345号-1　政府网站标识码：3101040001</p>
</div>
<script>document.querySelectorAll("a").forEach(function (a) {{ a.rel = "noopener"; }});</script>
</body></html>
"""


# One weight in print: Chromium embeds each glyph of each weight as a Type 3 outline, and the
# corpus stays small.
_PRINT_WEIGHT = ".form td.h, .form .t { font-weight: normal; }"


def print_html(forms: list[Form]) -> str:
    """Return the forms alone, as a browser prints a form page (no navigation)."""
    landscape = (
        "@page { size: A4 landscape; margin: 12mm; }"
        if any(f.landscape for f in forms)
        else "@page { size: A4; margin: 12mm; }"
    )
    body = "\n".join(form_html(f) for f in forms)
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>绩效目标表</title>'
        f"<style>{FORM_CSS}{landscape}{_PRINT_WEIGHT}</style></head><body>\n{body}\n</body></html>\n"
    )


def soffice_pdf(src: Path, out: Path, profile: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        shutil.move(str(Path(tmp) / (src.stem + ".pdf")), out)


def chromium_pdf(src: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "/usr/bin/chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                src.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )


def build(layout: Layout, producers: set[str]) -> None:
    folder = HERE / layout.name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    meta = {k: v for k, v in expected.items() if k != "documents"}
    meta["layout"] = layout.name
    if layout.name == "seed-chromium":
        meta["date_style"] = "iso"
    forms = layout.forms(expected["documents"], meta)
    if producers & {"openpyxl.xlsx", "libreoffice-xlsx.pdf"}:
        write_xlsx(forms, folder / "openpyxl.xlsx")
    if producers & {"python-docx.docx", "libreoffice-docx.pdf"}:
        write_docx(forms, folder / "python-docx.docx")
    if "page.html" in producers:
        encoding = "gb18030" if layout.charset.lower() in ("gb2312", "gbk") else layout.charset
        (folder / "page.html").write_bytes(page_html(layout, forms).encode(encoding))
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        if "chromium.pdf" in producers:
            printable = tmp_path / "form.html"
            printable.write_text(print_html(forms), encoding="utf-8")
            chromium_pdf(printable, folder / "chromium.pdf")
        profile = tmp_path / "lo-profile"
        if "libreoffice-xlsx.pdf" in producers:
            soffice_pdf(folder / "openpyxl.xlsx", folder / "libreoffice-xlsx.pdf", profile)
        if "libreoffice-docx.pdf" in producers:
            soffice_pdf(folder / "python-docx.docx", folder / "libreoffice-docx.pdf", profile)
    if "pdftotext.txt" in producers:
        # what a user pastes: poppler's text of the printed workbook, in its reading order
        subprocess.run(
            [
                "pdftotext",
                "-enc",
                "UTF-8",
                str(folder / "libreoffice-xlsx.pdf"),
                str(folder / "pdftotext.txt"),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    print(f"{layout.name}: {len(forms)} forms")


ALL_PRODUCERS = {
    "openpyxl.xlsx",
    "libreoffice-xlsx.pdf",
    "python-docx.docx",
    "libreoffice-docx.pdf",
    "page.html",
    "chromium.pdf",
    "pdftotext.txt",
}


def main(argv: list[str]) -> None:
    """Build the named layouts (all by default); ``--producers a,b`` remakes only those files."""
    producers = set(ALL_PRODUCERS)
    if "--producers" in argv:
        k = argv.index("--producers")
        producers = set(argv[k + 1].split(","))
        assert producers <= ALL_PRODUCERS, producers - ALL_PRODUCERS
        argv = argv[:k] + argv[k + 2 :]
    for name in argv or list(LAYOUTS):
        build(LAYOUTS[name], producers)


if __name__ == "__main__":
    main(sys.argv[1:])
