"""The Excel report: what a reviewer opens in Excel (one sheet each: 汇总, 项目, 审核意见, 单位对比)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.domain.i18n import tr, trc
from jixiao.domain.vocabulary import GRADES, grade_label
from jixiao.formats.render.sheet import neutralise
from jixiao.review.engine import ReviewReport
from jixiao.review.grading import SCORE_PROVENANCE
from jixiao.review.registry import family_label, severity_label
from jixiao.review.render.labels import unit_columns

__all__ = ["render_xlsx"]

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_GRADE_FILLS = dict(zip(GRADES, ("C6EFCE", "DDEBF7", "FFEB9C", "FFC7CE"), strict=True))


def _clean(value: Any) -> Any:
    """Drop the control characters Excel refuses (a form's text may carry them from extraction)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _table(ws: Worksheet, header: list[str], rows: list[list[Any]], widths: list[int]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for row in rows:
        ws.append([_clean(v) for v in row])
        for cell in ws[ws.max_row]:
            neutralise(cell)  # user text such as "=HYPERLINK(…)" stays text (OWASP)
    for n, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = ws.dimensions
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def render_xlsx(report: ReviewReport, lang: str = "zh") -> bytes:
    """Return the workbook as bytes."""
    s = report.summary(lang)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = tr("汇总", lang)
    summary_rows: list[list[Any]] = [
        [tr("审核口径", lang), tr(report.settings.profile.title, lang)],
        [tr("申报表数", lang), s["declarations"]],
        [tr("指标数", lang), s["indicators"]],
        [tr("可量化指标数", lang), s["measurable_indicators"]],
        [tr("量化率", lang), s["quantification_ratio"]],
        [tr("平均得分（jixiao 扣分表）", lang), s["mean_score"]],
        [tr("得分说明", lang), SCORE_PROVENANCE.describe(lang)],
        *[[tr("等级 {grade}", lang, grade=grade_label(g, lang)), c] for g, c in s["grades"].items()],
        *[[severity_label(k, lang), v] for k, v in s["severity_counts"].items()],
        *[[tr("类别：", lang) + family_label(k, lang), v] for k, v in s["families"].items()],
        [],
        [tr("常见问题", lang)],
        *[[f"{i['code']} {i['title']}", i["count"], i["declarations"]] for i in s["top_findings"]],
    ]
    _table(
        ws,
        [tr("项目", lang), tr("数值", lang), tr("涉及申报表", lang)],
        summary_rows,
        [34, 40, 14],
    )
    ratio_cell = ws.cell(row=6, column=2)
    ratio_cell.number_format = "0.0%"

    ws2 = wb.create_sheet(trc("sheet", "项目", lang))
    rows2: list[list[Any]] = []
    for n, dr in enumerate(report.declarations, 1):
        c = dr.counts()
        d = dr.declaration
        rows2.append(
            [
                n,
                d.project.name,
                dr.unit,
                d.year,
                float(dr.score),
                dr.grade_label(lang),
                dr.consequence(lang),
                c["error"],
                c["warning"],
                c["info"],
                float(d.funding.annual) if d.funding.annual is not None else None,
                d.source.file,
            ]
        )
    _table(
        ws2,
        [
            "#",
            trc("column", "项目名称", lang),
            tr("单位", lang),
            tr("年度", lang),
            tr("得分（jixiao 自定扣分表，非官方）", lang),
            tr("等级", lang),
            tr("结论", lang),
            tr("错误", lang),
            tr("警告", lang),
            tr("提示", lang),
            tr("年度资金（元）", lang),
            tr("来源", lang),
        ],
        rows2,
        [5, 34, 26, 7, 8, 6, 40, 7, 7, 7, 16, 30],
    )
    for row in range(2, len(rows2) + 2):
        grade_cell = ws2.cell(row=row, column=6)
        fill = _GRADE_FILLS.get(report.declarations[row - 2].grade)
        if fill:
            grade_cell.fill = PatternFill("solid", fgColor=fill)
        ws2.cell(row=row, column=11).number_format = "#,##0.00"

    ws3 = wb.create_sheet(trc("sheet", "审核意见", lang))
    rows3: list[list[Any]] = []
    for n, dr in enumerate(report.declarations, 1):
        for f in dr.findings:
            e = f.evidence
            rows3.append(
                [
                    n,
                    dr.declaration.project.name,
                    dr.grade_label(lang),
                    severity_label(f.severity, lang),
                    f.code,
                    family_label(f.family, lang),
                    e.level1 or "",
                    e.level2 or "",
                    e.indicator or "",
                    e.target or "",
                    e.field or "",
                    f.message(lang),
                    f.suggestion(lang) or "",
                    f.source.label(lang),
                    f.source.basis(lang),
                ]
            )
    _table(
        ws3,
        [
            "#",
            trc("column", "项目名称", lang),
            tr("等级", lang),
            tr("级别", lang),
            tr("规则", lang),
            tr("类别", lang),
            tr("一级指标", lang),
            tr("二级指标", lang),
            tr("三级指标", lang),
            tr("指标目标值", lang),
            tr("字段", lang),
            tr("审核意见", lang),
            tr("修改建议", lang),
            tr("依据性质", lang),
            tr("依据", lang),
        ],
        rows3,
        [5, 28, 6, 7, 9, 10, 12, 16, 26, 12, 22, 48, 48, 16, 40],
    )

    ws4 = wb.create_sheet(tr("单位对比", lang))
    rows4 = [
        [
            u["unit"],
            u["declarations"],
            u["mean_score"],
            *u["grades"].values(),
            u["quantification_ratio"],
            *u["findings"].values(),
        ]
        for u in s["units"]
    ]
    _table(
        ws4,
        [*unit_columns(lang), tr("提示", lang)],
        rows4,
        [32, 9, 9, 5, 5, 5, 5, 9, 7, 7, 7],
    )
    for row in range(2, len(rows4) + 2):
        ws4.cell(row=row, column=8).number_format = "0.0%"

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
