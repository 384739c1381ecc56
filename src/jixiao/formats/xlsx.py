"""The official forms as Excel workbooks: read (python-calamine), write and template (openpyxl).

* :func:`write_xlsx` — one sheet per document in the official layout (:mod:`.render.layout`).
* :func:`template_xlsx` — an empty form a unit can fill: dropdowns for 一级/二级指标 from the active
  indicator framework and for 项目类别 (lists on a hidden sheet, referenced by defined names, since
  Excel caps inline lists at 255 characters: stack-notes.md §4), input cells unlocked and the rest
  protected without a password, A4 portrait print set-up; plus a bulk sheet, one row per indicator.
* :func:`read_xlsx` — reads form sheets and bulk sheets back, also after hand edits in Excel or
  LibreOffice. Labels are found by their text; a missing label or an unreadable value raises
  :class:`FormatError` naming the sheet and cell.

Uploads are checked before calamine opens them (calamine loads a whole sheet into memory): the
zip's entry count and declared sizes, and the largest cell reference in each sheet, so a zip bomb
or a sheet with a value in XFD1048576 is refused within a second.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jixiao.domain.errors import FormatError, InputError, Location
from jixiao.domain.framework import Framework, framework_for, get_framework
from jixiao.domain.model import (
    FUNDING_FIELDS,
    Declaration,
    Document,
    Funding,
    Goals,
    Indicator,
    Project,
    Source,
    numbered,
)
from jixiao.domain.targets import try_parse_target
from jixiao.domain.vocabulary import PROJECT_CATEGORIES, PROJECT_NATURES
from jixiao.formats.grid import Cell, Grid, Origin
from jixiao.formats.guard import XLSX, check_parts
from jixiao.formats.interpret import interpret
from jixiao.formats.render.grid import GridRow, Span
from jixiao.formats.render.layout import (
    SELF_EVALUATION_COLUMNS,
    FormLayout,
    LayoutCell,
    declaration_layout,
    layout_for,
    self_evaluation_layout,
)
from jixiao.formats.render.sheet import Merger, neutralise
from jixiao.formats.thesaurus import all_labels, label_key
from jixiao.formats.xlsx_guard import SHEET_READ_ERRORS, check_merged_cells, damaged_sheet

__all__ = [
    "BULK_COLUMNS",
    "BULK_SHEET",
    "LISTS_SHEET",
    "MAX_XLSX_CELLS",
    "MAX_XLSX_UNCOMPRESSED",
    "bulk_xlsx",
    "layouts_xlsx",
    "read_xls",
    "read_xlsx",
    "template_xlsx",
    "write_xlsx",
]

# Limits on uploads (environment variables of the same names override them).
MAX_XLSX_UNCOMPRESSED = int(os.environ.get("JIXIAO_MAX_XLSX_UNCOMPRESSED", str(100 * 1024 * 1024)))
MAX_XLSX_CELLS = int(os.environ.get("JIXIAO_MAX_XLSX_CELLS", str(2_000_000)))
MAX_XLSX_ENTRIES = 2000
MAX_COMPRESSION_RATIO = 500

BULK_SHEET = "批量录入"
LISTS_SHEET = "选项"
INSTRUCTIONS_SHEET = "填写说明"  # the template's how-to and example row; never read as a form

# The bulk sheet: one row per indicator; project columns repeated or left blank to fill down.
BULK_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("项目名称", "name", "text"),
    ("年度", "year", "int"),
    ("项目类别", "category", "text"),
    ("项目性质", "nature", "text"),
    ("主管部门", "competent_department", "text"),
    ("实施单位", "implementing_unit", "text"),
    ("计划开始日期", "start_date", "date"),
    ("计划完成日期", "end_date", "date"),
    ("项目资金总额", "total", "amount"),
    ("财政资金", "total_fiscal", "amount"),
    ("项目其他资金", "total_other", "amount"),
    ("年度资金申请总额", "annual", "amount"),
    ("当年财政拨款", "annual_appropriation", "amount"),
    ("上年结转资金", "annual_carryover", "amount"),
    ("年度其他资金", "annual_other", "amount"),
    ("项目总目标", "overall", "long"),
    ("年度总目标", "annual_goal", "long"),
    ("一级指标", "level1", "text"),
    ("二级指标", "level2", "text"),
    ("三级指标", "indicator", "text"),
    ("指标目标值", "target", "target"),
)
_BULK_WIDTHS = {"text": 16, "int": 7, "date": 12, "amount": 15, "long": 40, "target": 12}

FONT = "宋体"
# Traffic lights of the 监控表 (layout cell ``tone``): a pale fill, so the text stays legible in print.
TONE_FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}
_WIDTH_SCALE = 5.2  # Excel column-width units per unit of the layout's relative widths


# --- writing -------------------------------------------------------------------------------------


def _col(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "font": Font(name=FONT, size=10),
        "bold": Font(name=FONT, size=10, bold=True),
        "title": Font(name=FONT, size=16, bold=True),
        "Alignment": Alignment,
    }


def _fill_sheet(
    ws: Any, layout: FormLayout, *, template: bool, fw: Framework | None = None, year: int | None = None
) -> None:
    """Draw ``layout`` on the worksheet ``ws`` (title in row 1, year in row 2, sections below)."""
    from openpyxl.styles import PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    st = _styles()
    alignment = st["Alignment"]
    ncols = layout.ncols
    last_col = _col(ncols)
    for n, width in enumerate(layout.widths, start=1):
        ws.column_dimensions[_col(n)].width = round(width * _WIDTH_SCALE, 1)
    merger = Merger(ws)  # linear: openpyxl's merge_cells is quadratic in the number of ranges
    merger.merge(1, 1, 1, ncols)
    ws["A1"] = layout.title
    ws["A1"].font = st["title"]
    ws["A1"].alignment = alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    if template:
        # The year in its own cell beside its label: typed into a merged 「（    年度）」 it was lost.
        ws["A2"] = "预算年度"
        ws["A2"].font = st["bold"]
        ws["B2"] = year
        ws["B2"].number_format = "0"
        ws["B2"].protection = Protection(locked=False)
        ws["B2"].fill = PatternFill("solid", fgColor="FFF2CC")
        for ref in ("A2", "B2"):
            ws[ref].border = st["border"]
            ws[ref].alignment = alignment(horizontal="center", vertical="center")
        merger.merge(2, 3, 2, ncols)
        ws["C2"] = _YEAR_HINT
        ws["C2"].font = st["font"]
        year_dv = DataValidation(
            type="whole",
            operator="between",
            formula1="2000",
            formula2="2100",
            allow_blank=False,
            showErrorMessage=True,
            error="预算年度应为 2000–2100 之间的四位数字",
            errorTitle="预算年度",
        )
        ws.add_data_validation(year_dv)
        year_dv.add("B2")
    else:
        merger.merge(2, 1, 2, ncols)
        ws["A2"] = layout.subtitle
        ws["A2"].font = st["font"]
        ws["A2"].alignment = alignment(horizontal="center", vertical="center")

    validations: dict[str, DataValidation] = {}
    level_cells: dict[int, dict[str, str]] = {}
    if template:
        for key, formula, strict in (
            ("indicator.level1", "=一级指标", True),
            ("project.category", "=项目类别", False),
            ("project.nature", "=项目性质", False),
        ):
            dv = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=strict,
                errorStyle="warning",
                error="不在当前指标体系的选项中，请确认" if strict else None,
                errorTitle="指标体系" if strict else None,
            )
            ws.add_data_validation(dv)
            validations[key] = dv

    row0 = 3
    header_row: int | None = None
    header_rows = 1
    heights: dict[int, float] = {}
    for section in layout.sections:
        for cell in section.cells:
            r = row0 + cell.row
            c = cell.col + 1
            ref = f"{_col(c)}{r}"
            if cell.rowspan > 1 or cell.colspan > 1:
                merger.merge(r, c, r + cell.rowspan - 1, c + cell.colspan - 1)
            for rr in range(r, r + cell.rowspan):
                for cc in range(c, c + cell.colspan):
                    ws.cell(rr, cc).border = st["border"]
            target = ws.cell(r, c)
            _put(target, cell, template)
            neutralise(target)  # text that looks like a formula stays text (OWASP)
            target.font = st["bold"] if cell.role in ("header", "vlabel") else st["font"]
            if cell.tone in TONE_FILLS:
                target.fill = PatternFill("solid", fgColor=TONE_FILLS[cell.tone])
            target.alignment = alignment(
                horizontal=cell.align,
                vertical="center",
                wrap_text=True,
                text_rotation=255 if cell.role == "vlabel" else 0,
            )
            share = _needed_height(cell, layout.widths) / cell.rowspan
            for rr in range(r, r + cell.rowspan):
                heights[rr] = max(heights.get(rr, 24.0), share)
            if template and cell.field:
                for rr in range(r, r + cell.rowspan):
                    for cc in range(c, c + cell.colspan):
                        ws.cell(rr, cc).protection = Protection(locked=False)
                validation = validations.get(cell.field)
                if validation is not None:
                    validation.add(ref)
                if cell.field in ("indicator.level1", "indicator.level2"):
                    level_cells.setdefault(r, {})[cell.field] = ref
        if section.header_rows:
            header_row = row0
            header_rows = section.header_rows
        row0 += section.nrows
    if template:
        _cascade_level2(ws, level_cells)
    for r, height in heights.items():  # a rowspan's need is spread over its rows
        ws.row_dimensions[r].height = round(min(height, 409.0), 1)  # Excel's largest row height
    last_row = row0 - 1
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if layout.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if header_row is not None:
        ws.print_title_rows = (
            f"{header_row}:{header_row + header_rows - 1}"  # the indicator header repeats when printed
        )
    if template:
        # Protected without a password: the form's labels stay put, the input cells stay editable.
        ws.protection.sheet = True
        ws.protection.formatRows = False
        ws.protection.formatColumns = False
        ws.protection.selectLockedCells = False
        ws.protection.selectUnlockedCells = False


def _cascade_level2(ws: Any, level_cells: dict[int, dict[str, str]]) -> None:
    """Offer in each row's 二级 cell only the 二级 names of the 一级 chosen in that row.

    Each 一级 name is a defined name over its own 二级 list (:func:`_lists_sheet`), so the row's list
    is ``INDIRECT(<一级 cell>)``; a row whose 一级 is left blank (merged-looking, filled down) falls
    back to every 二级 of the framework.
    """
    from openpyxl.worksheet.datavalidation import DataValidation

    for cells in level_cells.values():
        level1, level2 = cells.get("indicator.level1"), cells.get("indicator.level2")
        if not level1 or not level2:
            continue
        absolute = "$" + re.sub(r"(\d+)$", r"$\1", level1)
        dv = DataValidation(
            type="list",
            formula1=f'IF({absolute}="",二级指标,INDIRECT({absolute}))',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            error="不是所选一级指标下的二级指标，请确认",
            errorTitle="指标体系",
        )
        ws.add_data_validation(dv)
        dv.add(level2)


def _needed_height(cell: LayoutCell, widths: tuple[float, ...]) -> float:
    """Return the points a cell's wrapped text needs (Excel and LibreOffice do not grow rows).

    A column of width w holds about w / 2 Chinese characters at 10 pt; vertical labels need one
    line per character.
    """
    if cell.role == "vlabel":
        return len(cell.text) * 13.5 + 8
    units = sum(widths[cell.col : cell.col + cell.colspan]) * _WIDTH_SCALE
    per_line = max(1.0, (units - 1) / 2.05)
    lines = 0
    for part in cell.text.split("\n"):  # each paragraph starts a new line
        visual = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in part)
        lines += max(1, -int(-visual // per_line))
    if cell.fmt == "long":
        lines = max(lines, 4)  # room to write a goal in the empty template
    return lines * 13.5 + 8


def _put(target: Any, cell: LayoutCell, template: bool) -> None:
    """Write one value: amounts and dates typed, text as text (a target "=100%" is not a formula)."""
    if cell.role != "value":
        target.value = cell.text or None
        return
    if cell.fmt == "amount":
        target.value = cell.value
        target.number_format = "#,##0.00"
    elif cell.fmt == "date":
        target.value = cell.value
        target.number_format = "yyyy-mm-dd"
    elif cell.fmt == "number" and isinstance(cell.value, Decimal):
        target.value = cell.value
    else:
        text = cell.text or None
        target.value = text
        if text is not None:
            target.data_type = "s"  # never a formula, whatever the user's text starts with
        if template or cell.fmt in ("target", "text", "long", "percent"):
            target.number_format = "@"  # typed "=100%" stays text in Excel and LibreOffice


def _safe_sheet_name(name: str, used: set[str]) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\']", "", name).strip() or "表"
    base = cleaned[:28]
    candidate = base
    n = 2
    while candidate in used:
        candidate = f"{base[:25]}_{n}"
        n += 1
    used.add(candidate)
    return candidate


def _save(wb: Any) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_xlsx(docs: Iterable[Document]) -> bytes:
    """Return an .xlsx workbook with one sheet per document, each in the official layout."""
    return layouts_xlsx(layout_for(doc) for doc in docs)


def layouts_xlsx(layouts: Iterable[FormLayout]) -> bytes:
    """Return an .xlsx workbook with one sheet per filled layout (any form, e.g. the 监控表)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.worksheets[0])
    used: set[str] = set()
    for n, layout in enumerate(layouts, start=1):
        ws = wb.create_sheet(_safe_sheet_name(f"{n}.{layout.name}", used))
        _fill_sheet(ws, layout, template=False)
    if not wb.sheetnames:
        ws = wb.create_sheet("空")
    return _save(wb)


def _lists_sheet(wb: Any, fw: Framework) -> None:
    """Add the hidden option lists and the defined names the dropdowns refer to."""
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    level1 = list(fw.levels)
    level2: list[str] = []
    for names in fw.levels.values():
        level2 += [n for n in names if n not in level2]
    columns = (
        ("一级指标", level1),
        ("二级指标", level2),
        ("项目类别", list(PROJECT_CATEGORIES)),
        ("项目性质", list(PROJECT_NATURES)),
    )
    for c, (title, values) in enumerate(columns, start=1):
        ws.cell(1, c, title)
        for r, value in enumerate(values, start=2):
            ws.cell(r, c, value)
        ref = f"'{LISTS_SHEET}'!${_col(c)}$2:${_col(c)}${len(values) + 1}"
        wb.defined_names[title] = DefinedName(title, attr_text=ref)
    # One list per 一级, named after it, for the cascaded 二级 dropdown (INDIRECT of the row's 一级).
    start = len(columns) + 1
    for n, (l1, names) in enumerate(fw.levels.items()):
        c = start + n
        ws.cell(1, c, l1)
        for r, value in enumerate(names, start=2):
            ws.cell(r, c, value)
        if names and _is_defined_name(l1):
            ref = f"'{LISTS_SHEET}'!${_col(c)}$2:${_col(c)}${len(names) + 1}"
            wb.defined_names[l1] = DefinedName(l1, attr_text=ref)
    ws.cell(1, start + len(fw.levels) + 1, f"指标体系：{fw.title}（{fw.key}）")


def _is_defined_name(name: str) -> bool:
    # Excel names: no spaces or operators, not a cell reference, not one of the list names.
    return bool(re.fullmatch(r"[^\W\d][\w.]*", name)) and name not in (
        "一级指标",
        "二级指标",
        "项目类别",
        "项目性质",
    )


def template_xlsx(
    kind: str = "declaration", *, year: int | None = None, framework: str | None = None, blank_rows: int = 30
) -> bytes:
    """Return an empty official form as an .xlsx template a unit can fill in Excel or LibreOffice.

    ``framework`` is a key of :data:`jixiao.domain.framework.FRAMEWORKS`; by default the one in
    force for ``year`` in Shanghai. The declaration template also has the bulk sheet.
    """
    from openpyxl import Workbook

    if kind not in ("declaration", "self_evaluation"):
        raise InputError(f"未知的表格类型「{kind}」", f"unknown form kind '{kind}'", code="JX-E107")
    fw = get_framework(framework) if framework else framework_for(year)
    wb = Workbook()
    ws = wb.worksheets[0]
    if kind == "declaration":
        ws.title = "申报表"
        layout = declaration_layout(None, blank_rows=blank_rows)
    else:
        ws.title = "自评表"
        layout = self_evaluation_layout(None, blank_rows=blank_rows)
    if year is not None:
        layout.subtitle = f"（{year}年度）"
    _fill_sheet(ws, layout, template=True, fw=fw, year=year)
    if kind == "declaration":
        _bulk_sheet(wb, [], template=True)
    _instructions_sheet(wb, kind, fw, year)
    _lists_sheet(wb, fw)
    return _save(wb)


# One example row per form kind, as a unit would write it (targets in the grammar's forms).
_EXAMPLES = {
    "declaration": (
        ("一级指标", "二级指标", "三级指标", "指标目标值"),
        ("产出指标", "数量指标", "网格巡查次数", "每日巡查2次"),
    ),
    "self_evaluation": (
        SELF_EVALUATION_COLUMNS,
        (
            "产出指标",
            "质量指标",
            "案件按期办结率",
            "较上年提高5个百分点",
            "较上年提高4个百分点",
            "20",
            "16",
            "个别案件跨部门协调耗时，下年建立联席机制",
        ),
    ),
}


def _instructions_sheet(wb: Any, kind: str, fw: Framework, year: int | None) -> None:
    """Add 「填写说明」: how to fill the form, the framework in force and one example row."""
    st = _styles()
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 1)
    lines = [
        "填写说明",
        f"1. 在「{wb.worksheets[0].title}」工作表的 B2 单元格填写四位数字的预算年度（如 {year or 2023}），不要改动表头文字。",
        "2. 黄色或空白的单元格可以填写；灰色的标签受保护。金额单位为元，可写 1559500 或 1,559,500，也可写 155.95万元。",
        f"3. 一级、二级指标从下拉列表选择（{fw.title}）；二级指标只列出所选一级指标下的名称。同一一级指标的后续行可留空，读取时自动沿用。",
        "4. 指标目标值写成可衡量的形式：=100%、>=90%、≤5个工作日、7天内完成、6月底前、每日巡查2次、零事故、较上年提高5个百分点、不低于上年。",
        "   「提升」「显著提升」「大幅提升」等只有方向没有数值的写法不可衡量，审核时会提示。",
        "5. 填好后在 jixiao 的「导入」页面上传本文件，先预览审核结果再确认导入。",
        "",
        "示例（一行）：",
    ]
    for r, text in enumerate(lines, start=1):
        ws.cell(r, 1, text).font = st["title"] if r == 1 else st["font"]
    header, example = _EXAMPLES[kind]
    base = len(lines) + 1
    for c, (h, v) in enumerate(zip(header, example, strict=True), start=1):
        head = ws.cell(base, c, h)
        head.font, head.border = st["bold"], st["border"]
        cell = ws.cell(base + 1, c, v)
        cell.font, cell.border = st["font"], st["border"]
        cell.data_type = "s"
        ws.column_dimensions[_col(c)].width = 22 if c > 1 else 16


def _bulk_rows(doc: Declaration) -> list[list[Any]]:
    p, f, g = doc.project, doc.funding, doc.goals
    project = {
        "name": p.name,
        "year": doc.year,
        "category": p.category,
        "nature": p.nature,
        "competent_department": p.competent_department,
        "implementing_unit": p.implementing_unit,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "total": f.total,
        "total_fiscal": f.total_fiscal,
        "total_other": f.total_other,
        "annual": f.annual,
        "annual_appropriation": f.annual_appropriation,
        "annual_carryover": f.annual_carryover,
        "annual_other": f.annual_other,
        "overall": g.overall,
        "annual_goal": g.annual,
    }
    rows: list[list[Any]] = []
    items: list[Indicator | None] = list(doc.indicators) or [None]
    for n, ind in enumerate(items):
        values = dict(project) if n == 0 else {"name": p.name}
        if ind is not None:
            values |= {
                "level1": ind.level1,
                "level2": ind.level2,
                "indicator": ind.name,
                "target": ind.target.text,
            }
        rows.append([values.get(key) for _, key, _ in BULK_COLUMNS])
    return rows


def _bulk_sheet(wb: Any, docs: list[Declaration], *, template: bool) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    st = _styles()
    ws = wb.create_sheet(BULK_SHEET)
    for c, (label, _key, fmt) in enumerate(BULK_COLUMNS, start=1):
        cell = ws.cell(1, c, label)
        cell.font = Font(name=FONT, size=10, bold=True)
        cell.border = st["border"]
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[_col(c)].width = _BULK_WIDTHS[fmt]
    ws.freeze_panes = "B2"
    r = 2
    for doc in docs:
        for values in _bulk_rows(doc):
            for c, ((_label, _key, fmt), value) in enumerate(zip(BULK_COLUMNS, values, strict=True), start=1):
                cell = ws.cell(r, c, value)
                if fmt == "amount":
                    cell.number_format = "#,##0.00"
                elif fmt == "date":
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(value, str):
                    neutralise(cell)
                    cell.number_format = "@"
            r += 1
    last = max(r, 2) + (500 if template else 0)
    if template:
        by_key = {key: _col(c) for c, (_l, key, _f) in enumerate(BULK_COLUMNS, start=1)}
        for key, formula in (
            ("level1", "=一级指标"),
            ("level2", "=二级指标"),
            ("category", "=项目类别"),
            ("nature", "=项目性质"),
        ):
            dv = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=key.startswith("level"),
                errorStyle="warning",
            )
            ws.add_data_validation(dv)
            dv.add(f"{by_key[key]}2:{by_key[key]}{last}")
        for c, (_label, _key, fmt) in enumerate(BULK_COLUMNS, start=1):
            if fmt in ("text", "long", "target"):
                for rr in range(2, last + 1):
                    ws.cell(rr, c).number_format = "@"
            elif fmt == "date":
                for rr in range(2, last + 1):
                    ws.cell(rr, c).number_format = "yyyy-mm-dd"


def bulk_xlsx(docs: Iterable[Declaration]) -> bytes:
    """Return a workbook with only the bulk sheet filled with ``docs`` (one row per indicator)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.worksheets[0])
    _bulk_sheet(wb, list(docs), template=False)
    return _save(wb)


# --- reading -------------------------------------------------------------------------------------

_REF = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,8})"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _check_zip(data: bytes, name: str | None) -> dict[str, str]:
    """Refuse zip bombs and absurd sheets before calamine loads anything; return sheet paths → names."""
    try:
        return _check_zip_parts(data, name)
    except (*SHEET_READ_ERRORS, ValueError) as exc:
        raise FormatError(
            f"文件已损坏或不是有效的 Excel (.xlsx) 文件（{exc}）",
            f"the file is damaged or not a valid Excel (.xlsx) file ({exc})",
            code="JX-E430",
            where=Location(file=name),
        ) from None


def _check_zip_parts(data: bytes, name: str | None) -> dict[str, str]:
    where = Location(file=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FormatError(
            "文件已损坏或不是有效的 Excel (.xlsx) 文件",
            "the file is damaged or not a valid Excel (.xlsx) file",
            code="JX-E430",
            where=where,
        ) from None
    with archive:
        infos = archive.infolist()
        check_parts(infos, XLSX, MAX_XLSX_ENTRIES, where)
        names = {i.filename for i in infos}
        total = sum(i.file_size for i in infos)
        if total > MAX_XLSX_UNCOMPRESSED:
            raise FormatError(
                f"工作簿解压后过大（{total // 1024 // 1024} MB，上限 {MAX_XLSX_UNCOMPRESSED // 1024 // 1024} MB），"
                "可能是压缩炸弹",
                f"the workbook is too large when unpacked ({total // 1024 // 1024} MB, limit "
                f"{MAX_XLSX_UNCOMPRESSED // 1024 // 1024} MB); possibly a zip bomb",
                code="JX-E433",
                where=where,
            )
        for info in infos:
            if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                raise FormatError(
                    f"工作簿中「{info.filename}」的压缩比异常，可能是压缩炸弹",
                    f"'{info.filename}' in the workbook has an abnormal compression ratio; "
                    "possibly a zip bomb",
                    code="JX-E433",
                    where=where,
                )
        sheet_names = _sheet_paths(archive)
        for path, sheet in sheet_names.items():
            if path not in names:
                continue
            _check_dimensions(archive, path, sheet, name)
            check_merged_cells(archive, path, sheet, name)
    return sheet_names


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return worksheet part path → sheet name, from workbook.xml and its relationships."""
    try:
        workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except SHEET_READ_ERRORS:
        return {}
    targets = {
        m.group(1): m.group(2)
        for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets |= {
        m.group(2): m.group(1)
        for m in re.finditer(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
    }
    out: dict[str, str] = {}
    for m in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        attrs = m.group(1)
        sname = re.search(r'\bname="([^"]*)"', attrs)
        rid = re.search(r'\br:id="([^"]*)"|\b\w+:id="([^"]*)"', attrs)
        if not sname or not rid:
            continue
        target = targets.get(rid.group(1) or rid.group(2) or "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[path] = _unescape(sname.group(1))
    return out


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _check_dimensions(archive: zipfile.ZipFile, path: str, sheet: str, name: str | None) -> None:
    """Scan a sheet's XML for its farthest cell; refuse a used area over :data:`MAX_XLSX_CELLS`."""
    max_row = max_col = 0
    far = ""
    tail = b""
    try:
        with archive.open(path) as handle:
            while chunk := handle.read(1 << 20):
                block = tail + chunk
                for match in _REF.finditer(block):
                    letters, digits = match.group(1), int(match.group(2))
                    if digits > max_row:
                        max_row = digits
                    if letters:
                        col = _col_number(letters)
                        if col > max_col:
                            max_col = col
                            far = letters.decode() + match.group(2).decode()
                tail = block[-40:]
    except SHEET_READ_ERRORS as exc:
        raise damaged_sheet(sheet, name, exc) from None
    if max_row * max(max_col, 1) > MAX_XLSX_CELLS or max_col > 16384:
        raise FormatError(
            f"工作表的使用区域过大（{max_row} 行 × {max_col} 列），请删除远处的单元格后再上传",
            f"the sheet's used area is too large ({max_row} rows × {max_col} columns); delete the far-away "
            "cells and upload again",
            code="JX-E434",
            where=Location(file=name, sheet=sheet, cell=far or f"A{max_row}"),
        )


def _cell_text(value: Any) -> str:
    """Return a calamine cell value as text: 1559500.0 → "1559500", dates as ISO dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _ref(row: int, col: int) -> str:
    return f"{_col(col + 1)}{row + 1}"


# Excel stores a typed "96%" as the number 0.96 with a percent number format, and calamine gives
# back the bare 0.96: the percent formats are read from the package so the cell reads as printed.
_BUILTIN_PERCENT = {9: 0, 10: 2}  # ECMA-376 built-in number formats 0% and 0.00%
_NUMFMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)")
_STYLED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})([0-9]{1,8})"[^>]*?\bs="(\d+)"')
_STYLED_CELL_S_FIRST = re.compile(rb'<(?:\w+:)?c\b[^>]*?\bs="(\d+)"[^>]*?\br="([A-Z]{1,3})([0-9]{1,8})"')


def _percent_decimals(code: str) -> int | None:
    """Return the decimals a percent number format shows ("0.00%" → 2), or None if not a percent."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code.split(";")[0])
    if "%" not in plain:
        return None
    _, _, tail = plain.partition(".")
    return sum(1 for ch in tail.split("%")[0] if ch in "0#?")


def _percent_cells(data: bytes, sheet_paths: dict[str, str]) -> dict[str, dict[tuple[int, int], int]]:
    """Return, per sheet name, the cells (row, col) shown with a percent format and their decimals."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            styles = archive.read("xl/styles.xml") if "xl/styles.xml" in archive.namelist() else b""
            custom = {
                int(m.group(1)): m.group(2).decode("utf-8", "replace") for m in _NUMFMT.finditer(styles)
            }
            xfs_block = _CELL_XFS.search(styles)
            percent_styles: dict[int, int] = {}
            for k, xf in enumerate(_XF.finditer(xfs_block.group(1) if xfs_block else b"")):
                found = re.search(rb'numFmtId="(\d+)"', xf.group(1))
                fmt = int(found.group(1)) if found else 0
                decimals = _BUILTIN_PERCENT.get(fmt)
                if decimals is None and fmt in custom:
                    decimals = _percent_decimals(custom[fmt].replace("&quot;", '"'))
                if decimals is not None:
                    percent_styles[k] = decimals
            out: dict[str, dict[tuple[int, int], int]] = {}
            if not percent_styles:
                return out
            for path, sheet in sheet_paths.items():
                if path not in archive.namelist():
                    continue
                xml = archive.read(path)
                cells: dict[tuple[int, int], int] = {}
                for m in _STYLED_CELL.finditer(xml):
                    style = int(m.group(3))
                    if style in percent_styles:
                        cells[(int(m.group(2)) - 1, _col_number(m.group(1)) - 1)] = percent_styles[style]
                for m in _STYLED_CELL_S_FIRST.finditer(xml):
                    style = int(m.group(1))
                    if style in percent_styles:
                        cells[(int(m.group(3)) - 1, _col_number(m.group(2)) - 1)] = percent_styles[style]
                out[sheet] = cells
            return out
    except (*SHEET_READ_ERRORS, ValueError):
        return {}


def _as_percent(value: Any, decimals: int) -> str | None:
    """Return a number shown with a percent format as printed (0.9506, 2 → "95.06%"), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    shown = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-decimals))
    return f"{shown}%"


def sheet_grid(
    sheet_name: str,
    values: list[list[Any]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    file: str | None = None,
    percent: dict[tuple[int, int], int] | None = None,
) -> Grid:
    """Return one sheet as a :class:`Grid`: a merged range is one cell with its spans.

    Each cell's origin names the sheet and the cell address (``C5``); empty cells inside the used
    area are kept as empty cells, so that an empty value beside its label reads as blank.
    """
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for (r0, c0), (r1, c1) in merged:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_XLSX_CELLS:
            continue
        spans[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    cells: list[Cell] = []
    for r, line in enumerate(values):
        for c, value in enumerate(line):
            if (r, c) in covered:
                continue
            row_span, col_span = spans.get((r, c), (1, 1))
            text = _cell_text(value)
            if percent and (r, c) in percent:
                text = _as_percent(value, percent[(r, c)]) or text
            if not text and (r, c) not in spans and not _near_text(values, r, c):
                continue
            cells.append(
                Cell(r, c, text.strip(), row_span, col_span, Origin(sheet=sheet_name, cell=_ref(r, c)))
            )
    return Grid(cells, source="xlsx", file=file, sheet=sheet_name)


def _near_text(values: list[list[Any]], r: int, c: int) -> bool:
    """Return True when an empty cell has text on its row (so it may be a label's empty value)."""
    line = values[r]
    return any(v not in (None, "") for v in line)


_YEAR_HINT = "← 填写四位数字的预算年度；填写方法见「填写说明」工作表"
_FIXED_TEXTS = {"100", "10", "—", "自评等级：", "预算年度", "".join(_YEAR_HINT.split())}


def _is_blank_form(grid: Grid) -> bool:
    """Return True for an unfilled template sheet: only labels, title and fixed texts."""
    labels = all_labels()
    for cell in grid.cells:
        text = "".join(cell.text.split())
        if not text or text in _FIXED_TEXTS or label_key(text).label in labels:
            continue
        if "绩效目标申报表" in text or "绩效自评表" in text or re.fullmatch(r"（\s*\d*\s*年度）", text):
            continue
        return False
    return True


def _rows_of(grid: Grid) -> list[GridRow]:
    """Return a sheet's cells as rows of spans (the bulk sheet's reader works on rows)."""
    rows: list[GridRow] = []
    for cells in grid.rows():
        spans = [
            Span(c.col, c.col + c.col_span, c.text, key=c.row * 100_000 + c.col, cell=c.origin.cell)
            for c in cells
        ]
        if any(s.text.strip() for s in spans):
            rows.append(GridRow(spans, sheet=grid.sheet, row=cells[0].row + 1))
    return rows


def _is_bulk(rows: list[GridRow]) -> bool:
    if not rows:
        return False
    labels = {"".join(s.text.split()) for s in rows[0].spans}
    return "项目名称" in labels and "三级指标" in labels and "指标目标值" in labels


def _is_library_failure(exc: BaseException) -> bool:
    """Return True for a failure inside calamine (an Exception or a Rust panic), not Ctrl-C."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _short(exc: BaseException) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def read_xlsx(data: bytes, name: str | None = None) -> list[Document]:
    """Return the declarations and self-evaluations in an .xlsx workbook (form or bulk sheets).

    Hidden sheets (the option lists) and unfilled template sheets are skipped. Raises
    :class:`FormatError` naming the sheet and cell for a missing label or an unreadable value, and
    for damaged, oversized or bomb-like files before they are opened.
    """
    percent = _percent_cells(data, _check_zip(data, name))
    return _read_workbook(data, name, percent)


def read_xls(data: bytes, name: str | None = None) -> list[Document]:
    """Return the declarations and self-evaluations in a legacy .xls workbook (Excel 97–2003).

    Read by calamine like .xlsx, merged ranges included; a sheet whose used area is over
    :data:`MAX_XLSX_CELLS` is refused before it is loaded.
    """
    return _read_workbook(data, name, {})


def workbook_grids(data: bytes, name: str | None = None) -> list[Grid]:
    """Return the cell grid of every visible, filled-in sheet of an .xlsx workbook (any form).

    The same checks as :func:`read_xlsx` (zip bombs, oversized sheets) run first.
    """
    percent = _percent_cells(data, _check_zip(data, name))
    return [grid for _sheet, grid in _sheet_grids(data, name, percent) if not _is_blank_form(grid)]


def _sheet_grids(
    data: bytes, name: str | None, percent: dict[str, dict[tuple[int, int], int]]
) -> Iterator[tuple[str, Grid]]:
    """Yield (sheet name, grid) for each visible worksheet with any text (calamine, merged ranges)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_object(io.BytesIO(data))
    except BaseException as exc:  # calamine's Rust panics arrive as a BaseException
        if not _is_library_failure(exc):
            raise
        raise FormatError(
            f"无法打开 Excel 工作簿：{_short(exc)}",
            f"cannot open the Excel workbook: {_short(exc)}",
            code="JX-E430",
            where=Location(file=name),
        ) from None
    try:
        for meta in wb.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible or meta.typ != SheetTypeEnum.WorkSheet:
                continue
            if meta.name == INSTRUCTIONS_SHEET:
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
                if sheet.height * max(sheet.width, 1) > MAX_XLSX_CELLS:
                    raise FormatError(
                        f"工作表的使用区域过大（{sheet.height} 行 × {sheet.width} 列），请删除远处的单元格后再上传",
                        f"the sheet's used area is too large ({sheet.height} rows × {sheet.width} columns); "
                        "delete the far-away cells and upload again",
                        code="JX-E434",
                        where=Location(file=name, sheet=meta.name),
                    )
                values = sheet.to_python(skip_empty_area=False)
                merged = sheet.merged_cell_ranges or []
            except FormatError:
                raise
            except BaseException as exc:
                if not _is_library_failure(exc):
                    raise
                raise FormatError(
                    f"无法读取工作表：{_short(exc)}",
                    f"cannot read the sheet: {_short(exc)}",
                    code="JX-E430",
                    where=Location(file=name, sheet=meta.name),
                ) from None
            grid = sheet_grid(meta.name, values, merged, name, percent.get(meta.name))
            if any(c.text for c in grid.cells):
                yield meta.name, grid
    finally:
        wb.close()


def _read_workbook(
    data: bytes, name: str | None, percent: dict[str, dict[tuple[int, int], int]]
) -> list[Document]:
    docs: list[Document] = []
    for sheet, grid in _sheet_grids(data, name, percent):
        rows = _rows_of(grid)
        if _is_bulk(rows):
            docs.extend(_read_bulk(rows, name))
            continue
        if _is_blank_form(grid):
            continue
        for doc in interpret([grid], file=name):
            doc.source.sheet = sheet
            docs.append(doc)
    if not docs:
        raise FormatError(
            "工作簿中没有已填写的申报表或自评表",
            "the workbook has no filled-in declaration or self-evaluation form",
            code="JX-E420",
            where=Location(file=name),
        )
    return numbered(docs)


# --- the bulk sheet ------------------------------------------------------------------------------


def _read_bulk(rows: list[GridRow], file: str | None) -> list[Declaration]:
    """Return the declarations of a bulk sheet: one row per indicator, project columns filled down."""
    from jixiao.formats.render.grid import _amount, _date, _text

    header = rows[0]
    columns: dict[str, float] = {}
    by_label = {label: key for label, key, _fmt in BULK_COLUMNS}
    fmts = {key: fmt for _label, key, fmt in BULK_COLUMNS}
    for hspan in header.spans:
        key = by_label.get("".join(hspan.text.split()))
        if key and key not in columns:
            columns[key] = hspan.center
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    level1 = level2 = ""
    for row in rows[1:]:
        cells = {key: row.at(x) for key, x in columns.items()}
        texts = {key: _text(span) for key, span in cells.items()}
        if not any(texts.values()):
            continue
        name = texts.get("name")
        if name and (current is None or name != current["name"]):
            current = {"name": name, "indicators": [], "row": row}
            level1 = level2 = ""
            entries.append(current)
        if current is None:
            name_span = cells.get("name")
            raise FormatError(
                "批量录入表的第一行数据缺少项目名称",
                "the first data row of the bulk sheet has no project name",
                code="JX-E405",
                where=Location(file=file, sheet=row.sheet, cell=name_span.cell if name_span else None),
            )
        for key, fmt in fmts.items():
            if key in ("name", "level1", "level2", "indicator", "target"):
                continue
            span = cells.get(key)
            if span is None or texts.get(key) is None:
                continue
            label = next(lab for lab, k, _f in BULK_COLUMNS if k == key)
            value: Any
            if fmt == "amount":
                value = _amount(span, row, label)
            elif fmt == "date":
                value = _date(span, row, label)
            elif fmt == "int":
                text = texts[key] or ""
                if not re.fullmatch(r"\d{4}", text.strip().rstrip("年")):
                    raise FormatError(
                        f"年度「{text}」不是四位年份",
                        f"year '{text}' is not a 4-digit year",
                        code="JX-E412",
                        where=Location(file=file, sheet=row.sheet, cell=span.cell),
                    )
                value = int(text.strip().rstrip("年"))
            else:
                value = texts[key]
            if key in current and current[key] != value:
                raise FormatError(
                    f"同一项目「{current['name']}」的「{label}」前后不一致",
                    f"'{label}' differs between rows of project '{current['name']}'",
                    code="JX-E407",
                    where=Location(file=file, sheet=row.sheet, cell=span.cell),
                )
            current[key] = value
        if texts.get("level1"):
            if texts["level1"] != level1:
                level2 = ""
            level1 = texts["level1"] or ""
        if texts.get("level2"):
            level2 = texts["level2"] or ""
        ind, target = texts.get("indicator"), texts.get("target")
        if ind or target:
            ind_span = cells.get("indicator") or cells.get("target")
            where = Location(file=file, sheet=row.sheet, cell=ind_span.cell if ind_span else None)
            if not level1 or not level2:
                raise FormatError(
                    "指标行缺少一级或二级指标",
                    "an indicator row has no 一级 or 二级指标",
                    code="JX-E402",
                    where=where,
                )
            if not ind:
                raise FormatError(
                    "指标行缺少三级指标名称",
                    "an indicator row has no 三级指标 name",
                    code="JX-E403",
                    where=where,
                )
            if not target:
                tspan = cells.get("target")
                raise FormatError(
                    f"三级指标「{ind}」缺少指标目标值",
                    f"indicator '{ind}' has no target value",
                    code="JX-E404",
                    where=Location(file=file, sheet=row.sheet, cell=tspan.cell if tspan else None),
                )
            current["indicators"].append(Indicator(level1, level2, ind, try_parse_target(target)))
    out: list[Declaration] = []
    for e in entries:
        first: GridRow = e["row"]
        out.append(
            Declaration(
                year=e.get("year"),
                project=Project(
                    name=e["name"],
                    category=e.get("category"),
                    nature=e.get("nature"),
                    competent_department=e.get("competent_department"),
                    implementing_unit=e.get("implementing_unit"),
                    start_date=e.get("start_date"),
                    end_date=e.get("end_date"),
                ),
                funding=Funding(**{k: e.get(k) for k in FUNDING_FIELDS}),
                goals=Goals(overall=e.get("overall"), annual=e.get("annual_goal")),
                indicators=e["indicators"],
                source=Source(file=file, sheet=first.sheet, line=first.row),
            )
        )
    return out
