"""The 评价结果应用 report for the budget meeting, as Excel (openpyxl) and PDF (Typst, A4 landscape).

The report arrives by duck typing (the attributes of ``jixiao.evaluation.results.ResultsReport``:
``year``, ``region_title``, ``departments`` → ``units`` → ``projects``, ``totals``, ``rules``), so
``formats`` does not depend on ``evaluation``: the caller builds the report, this module draws it.

Excel: sheet 「评价结果应用」 one row per project (主管部门, 单位, 项目名称, 自评得分, 等级, 预算执行率,
全年预算数, 全年执行数, 未完成指标, 偏差原因说明, 建议, 建议依据) under a header row with filters, so the
meeting can sort and filter; sheet 「汇总」 one row per department and unit; sheet 「建议规则」 the rules
with their basis. PDF: the same summary and project tables, the header repeated on every page.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from jixiao.formats.render.layout import FormLayout, LayoutCell, Section

__all__ = ["PROJECT_HEADERS", "SUMMARY_HEADERS", "results_layouts", "results_pdf", "results_xlsx"]

PROJECT_HEADERS = (
    "主管部门",
    "单位",
    "项目名称",
    "自评得分",
    "等级",
    "预算执行率",
    "全年预算数（元）",
    "全年执行数（元）",
    "未完成指标",
    "偏差原因说明",
    "建议",
    "建议依据",
)
SUMMARY_HEADERS = (
    "主管部门",
    "单位",
    "项目数",
    "已自评",
    "平均分",
    "优",
    "良",
    "中",
    "差",
    "执行率",
    "未完成指标",
)
_PROJECT_WIDTHS = (16, 18, 24, 9, 6, 10, 15, 15, 36, 36, 18, 28)
NOT_EVALUATED = "未自评"
FONT = "宋体"


def _title(report: Any) -> str:
    return f"{report.year}年度绩效评价结果应用"


def _subtitle(report: Any) -> str:
    return f"供预算编制参考：建议不是决定（{report.region_title}）"


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def _project_values(p: Any) -> list[Any]:
    """One project's cells, typed for Excel (numbers as numbers, texts as texts)."""
    return [
        p.department,
        p.unit,
        p.project,
        p.total if p.evaluated else NOT_EVALUATED,
        p.grade or "",
        None if p.rate is None else p.rate / 100,
        p.adjusted,
        p.executed,
        p.missed_text(),
        p.notes_text(),
        p.suggestion_text(),
        p.reasons_text(),
    ]


def _summary_rows(report: Any) -> list[list[Any]]:
    rows: list[list[Any]] = []

    def row(dept: str, unit: str, t: Any) -> list[Any]:
        return [
            dept,
            unit,
            t.count,
            t.evaluated,
            t.average,
            *(t.grades.get(g, 0) for g in ("优", "良", "中", "差")),
            None if t.rate is None else t.rate / 100,
            t.missed,
        ]

    for d in report.departments:
        rows.append(row(d.name, "（合计）", d.totals))
        rows += [row(d.name, u.name, u.totals) for u in d.units]
    rows.append(row("全部", "（合计）", report.totals))
    return rows


def results_xlsx(report: Any) -> bytes:
    """Return the report as an .xlsx workbook: projects, summary and rules sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from jixiao.formats.render.sheet import neutralise

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wb = Workbook()

    def table(
        ws: Any, headers: tuple[str, ...], rows: list[list[Any]], widths: tuple[int, ...], pct: int
    ) -> None:
        ws["A1"] = _title(report) if ws.title != "建议规则" else "建议规则及依据"
        ws["A1"].font = Font(name=FONT, size=14, bold=True)
        ws["A2"] = _subtitle(report)
        ws["A2"].font = Font(name=FONT, size=10)
        for c, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
            cell = ws.cell(row=3, column=c, value=text)
            cell.font = Font(name=FONT, size=10, bold=True)
            cell.fill, cell.border = head_fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[cell.column_letter].width = width
        for r, values in enumerate(rows, start=4):
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.font, cell.border = Font(name=FONT, size=10), border
                cell.alignment = Alignment(vertical="top", wrap_text=True)
                if isinstance(value, Decimal):
                    cell.number_format = "0.00%" if c == pct else "#,##0.00"
                neutralise(cell)
        ws.freeze_panes = "A4"
        if rows:
            ws.auto_filter.ref = f"A3:{ws.cell(row=3 + len(rows), column=len(headers)).coordinate}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "3:3"

    projects: Any = wb.active
    projects.title = "评价结果应用"
    table(projects, PROJECT_HEADERS, [_project_values(p) for p in report.projects], _PROJECT_WIDTHS, pct=6)
    summary = wb.create_sheet("汇总")
    table(summary, SUMMARY_HEADERS, _summary_rows(report), (20, 24, 8, 8, 8, 6, 6, 6, 6, 10, 10), pct=10)
    rules = wb.create_sheet("建议规则")
    table(
        rules,
        ("条件", "建议", "优先级", "依据类别", "依据"),
        [
            [r.condition(), r.title(), r.weight, r.provenance.label(), r.provenance.basis_zh]
            for r in report.rules
        ],
        (30, 28, 8, 24, 70),
        pct=0,
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- PDF ----------------------------------------------------------------------------------------

# 主管部门/单位, 项目名称, 得分, 等级, 执行率, 未完成指标, 偏差原因说明, 建议 (依据)
_PDF_WIDTHS = (2.6, 2.8, 1.0, 0.8, 1.1, 3.4, 3.4, 2.6)


def _cell(
    row: int, col: int, text: str, *, colspan: int = 1, align: str = "left", header: bool = False
) -> LayoutCell:
    return LayoutCell(
        row,
        col,
        text,
        colspan=colspan,
        role="header" if header else "value",
        align="center" if header else align,  # type: ignore[arg-type]
        breakable=None if header else True,
        fmt="text" if header else "long",
    )


# 主管部门 / 单位, 项目数, 已自评, 平均分, 优, 良, 中, 差, 执行率, 未完成指标, 建议分布
_SUMMARY_WIDTHS = (4.4, 0.9, 0.9, 1.0, 0.6, 0.6, 0.6, 0.6, 1.1, 1.1, 4.2)


def _summary_section(report: Any) -> Section:
    # the sheet's summary columns, 主管部门 and 单位 in one, and the suggestions' spread
    heads = ("主管部门 / 单位", *SUMMARY_HEADERS[2:], "建议分布")
    section = Section(nrows=1, header_rows=1)
    section.cells += [_cell(0, c, h, header=True) for c, h in enumerate(heads)]
    titles = {r.key: r.title() for r in report.rules}
    r = 1

    def add(name: str, t: Any, indent: bool) -> None:
        nonlocal r
        spread = "\n".join(f"{titles.get(k, k)}：{n} 项" for k, n in t.suggestions.items())
        values = [
            ("　　" if indent else "") + name,
            str(t.count),
            str(t.evaluated),
            "" if t.average is None else str(t.average),
            *(str(t.grades.get(g, 0)) for g in ("优", "良", "中", "差")),
            _pct(t.rate),
            str(t.missed),
            spread,
        ]
        for c, text in enumerate(values):
            section.cells.append(_cell(r, c, text, align="left" if c in (0, 10) else "center"))
        r += 1

    for d in report.departments:
        add(d.name, d.totals, False)
        for u in d.units:
            add(u.name, u.totals, True)
    add("合计", report.totals, False)
    section.nrows = r
    return section


def _projects_section(report: Any) -> Section:
    heads = (
        "主管部门 / 单位",
        "项目名称",
        "得分",
        "等级",
        "执行率",
        "未完成指标",
        "偏差原因说明",
        "建议（依据）",
    )
    section = Section(nrows=1, header_rows=1)
    section.cells += [_cell(0, c, h, header=True) for c, h in enumerate(heads)]
    r = 1
    for p in report.projects:
        advice = p.suggestion_text()
        if p.reasons:
            advice += f"（{p.reasons_text()}）"
        if p.cap_line:
            advice += "\n" + p.cap_line
        values = [
            p.unit if p.unit.startswith(p.department) else f"{p.department}\n{p.unit}",
            p.project,
            str(p.total) if p.evaluated and p.total is not None else NOT_EVALUATED,
            p.grade or "",
            _pct(p.rate),
            p.missed_text(),
            p.notes_text(),
            advice,
        ]
        for c, text in enumerate(values):
            section.cells.append(_cell(r, c, text, align="center" if c in (2, 3, 4) else "left"))
        r += 1
    if r == 1:
        section.cells.append(_cell(1, 0, "本年度没有自评结果", colspan=len(heads), align="center"))
        r = 2
    section.nrows = r
    return section


def results_layouts(report: Any) -> list[FormLayout]:
    """Return the report as two landscape layouts: the summary with the rules, then one row per project."""
    rule_lines = "\n".join(f"{r.condition()} → {r.title()}【{r.provenance.label()}】" for r in report.rules)
    notes = Section(nrows=1)
    notes.cells.append(
        _cell(
            0,
            0,
            "建议规则（一个项目满足多条时取优先级最高的一条）：\n" + rule_lines,
            colspan=len(_SUMMARY_WIDTHS),
        )
    )
    summary = FormLayout(
        "results",
        _title(report),
        _subtitle(report) + " · 汇总",
        _SUMMARY_WIDTHS,
        [_summary_section(report), notes],
        name=_title(report),
        landscape=True,
    )
    projects = FormLayout(
        "results",
        _title(report),
        _subtitle(report) + " · 各项目",
        _PDF_WIDTHS,
        [_projects_section(report)],
        name=_title(report),
        landscape=True,
    )
    return [summary, projects]


def results_pdf(report: Any) -> bytes:
    """Return the report as a PDF (A4 landscape, Chinese font embedded, header rows repeated)."""
    from jixiao.formats.render.pdf import layouts_pdf

    return layouts_pdf(results_layouts(report), title=_title(report))
