"""The official layouts of the two forms, described once as a grid of cells.

The Excel writer, the Typst (PDF) writer and the HTML renderer all draw the same
:class:`FormLayout`, so the three outputs agree cell for cell. The layouts follow the Shanghai
forms: 财政项目支出绩效目标申报表 (domain-rules.md §6, the seed's field order) and
财政项目支出绩效自评表 (domain-rules.md §5.6).

A layout has sections stacked vertically; a section may have header rows, which the PDF repeats
on every page the section continues on (the indicator table).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from jixiao.domain.model import Declaration, Document, EvaluatedIndicator, Indicator, SelfEvaluation
from jixiao.domain.money import format_amount

__all__ = [
    "DECLARATION_TITLE",
    "SELF_EVALUATION_COLUMNS",
    "SELF_EVALUATION_TITLE",
    "FormLayout",
    "LayoutCell",
    "Section",
    "declaration_layout",
    "header_row",
    "layout_for",
    "self_evaluation_layout",
]

DECLARATION_TITLE = "财政项目支出绩效目标申报表"
SELF_EVALUATION_TITLE = "财政项目支出绩效自评表"
# The headers of the 自评表's indicator table, one column each (the Excel template's example too).
SELF_EVALUATION_COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
)

Role = Literal["label", "vlabel", "header", "value"]
Fmt = Literal["text", "amount", "date", "number", "percent", "target", "long"]
BUDGET_LINES = (("appropriation", "其中：当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))


@dataclass(slots=True)
class LayoutCell:
    """One cell of a form: where it sits, what it prints, and what it is.

    ``field`` names the model field a value cell holds (``project.name``, ``indicator.target`` …),
    which the Excel template uses to unlock input cells and attach dropdowns. ``value`` is the
    typed value (Decimal, date, str) written into Excel; ``text`` is what a printed form shows.
    """

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    role: Role = "label"
    field: str | None = None
    value: str | Decimal | date | None = None
    fmt: Fmt = "text"
    align: Literal["left", "center", "right"] = "center"
    breakable: bool | None = None  # PDF: False keeps the row on one page, None lets Typst decide
    tone: Literal["green", "yellow", "red"] | None = None  # a traffic light drawn in the cell (监控表)


def header_row(row: int, col: int, *labels: str | tuple[str, int]) -> list[LayoutCell]:
    """Return the header cells of one table row, left to right from column ``col``; a
    ``(label, colspan)`` spans that many columns, a bare label one."""
    cells: list[LayoutCell] = []
    for label in labels:
        text, span = label if isinstance(label, tuple) else (label, 1)
        cells.append(LayoutCell(row, col, text, colspan=span, role="header"))
        col += span
    return cells


@dataclass(slots=True)
class Section:
    """A block of rows; the first ``header_rows`` rows repeat on continuation pages."""

    nrows: int
    cells: list[LayoutCell] = field(default_factory=list)
    header_rows: int = 0


@dataclass(slots=True)
class FormLayout:
    """A whole form: title, year line, relative column widths and the sections top to bottom."""

    kind: Literal["declaration", "self_evaluation", "monitoring", "results"]
    title: str
    subtitle: str
    widths: tuple[float, ...]
    sections: list[Section]
    name: str = ""
    landscape: bool = False  # the 监控表's fifteen columns are printed on A4 landscape

    @property
    def ncols(self) -> int:
        """Return the number of grid columns."""
        return len(self.widths)


# Column widths (relative). Column A is narrow: it holds the vertical section labels.
DECLARATION_WIDTHS = (1.0, 2.5, 2.6, 2.0, 3.1, 1.9, 1.5, 1.5)
SELF_EVALUATION_WIDTHS = (1.0, 1.9, 2.0, 2.8, 2.0, 2.0, 1.1, 1.3, 2.7)


def _year_line(year: int | None) -> str:
    return f"（{year}年度）" if year is not None else "（    年度）"


def _amount_cell(row: int, col: int, value: Decimal | None, fld: str, colspan: int = 1) -> LayoutCell:
    return LayoutCell(
        row,
        col,
        format_amount(value),
        colspan=colspan,
        role="value",
        field=fld,
        value=value,
        fmt="amount",
        align="right",
    )


def _text_cell(
    row: int,
    col: int,
    text: str | None,
    fld: str,
    colspan: int = 1,
    align: Literal["left", "center", "right"] = "left",
    fmt: Fmt = "text",
) -> LayoutCell:
    return LayoutCell(
        row,
        col,
        text or "",
        colspan=colspan,
        role="value",
        field=fld,
        value=text,
        fmt=fmt,
        align=align,
        breakable=True if fmt == "long" else None,
    )


def _date_cell(row: int, col: int, value: date | None, fld: str, colspan: int = 1) -> LayoutCell:
    return LayoutCell(
        row,
        col,
        value.isoformat() if value else "",
        colspan=colspan,
        role="value",
        field=fld,
        value=value,
        fmt="date",
    )


def _plain(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# An indicator row stays on one page unless its text could not fit on any page.
_UNBREAKABLE_TEXT = 600


def _keep_together(cells: list[LayoutCell]) -> list[LayoutCell]:
    """Mark one indicator row's cells so a page break never cuts the row."""
    if sum(len(c.text) for c in cells) <= _UNBREAKABLE_TEXT:
        for cell in cells:
            cell.breakable = False
    return cells


def _runs(keys: list[str]) -> list[tuple[int, int]]:
    """Return (start, length) of each run of equal consecutive keys: the vertical merges."""
    runs: list[tuple[int, int]] = []
    start = 0
    for n in range(1, len(keys) + 1):
        if n == len(keys) or keys[n] != keys[start]:
            runs.append((start, n - start))
            start = n
    return runs


def _indicator_row_count(indicators: int, template: bool, blank_rows: int) -> int:
    """Return how many indicator rows a form prints: its indicators, ``blank_rows`` on an empty
    template, and one empty row on a filled form without indicators (the table keeps its shape)."""
    if indicators:
        return indicators
    return blank_rows if template else 1


def _indicator_tree_cells(
    items: Sequence[Indicator | EvaluatedIndicator], first_row: int, blank_rows: int
) -> list[LayoutCell]:
    """Return the 一级/二级 cells (columns B, C) merged vertically over equal runs."""
    cells: list[LayoutCell] = []
    if not items:
        for n in range(blank_rows):
            cells.append(_text_cell(first_row + n, 1, None, "indicator.level1", align="center"))
            cells.append(_text_cell(first_row + n, 2, None, "indicator.level2", align="center"))
        return cells
    level1 = [i.level1 for i in items]
    # 二级 merges only inside one 一级 run: the key includes the 一级 run's start.
    run_of: dict[int, int] = {}
    for start, length in _runs(level1):
        for n in range(start, start + length):
            run_of[n] = start
    level2 = [f"{run_of[n]}\x00{i.level2}" for n, i in enumerate(items)]
    for col, keys, name in ((1, level1, "level1"), (2, level2, "level2")):
        for start, length in _runs(keys):
            text = getattr(items[start], name)
            cells.append(
                LayoutCell(
                    first_row + start,
                    col,
                    text,
                    rowspan=length,
                    role="value",
                    field=f"indicator.{name}",
                    value=text,
                    breakable=True,
                )
            )
    return cells


def _target_table(items: Sequence[Indicator], n: int, target_header: str) -> Section:
    """Return the indicator table of a declaration: 一级 | 二级 | 三级 | target, ``n`` rows."""
    table = Section(nrows=1 + n, header_rows=1)
    table.cells += [
        LayoutCell(0, 0, "绩效指标", rowspan=1 + n, role="vlabel", breakable=True),
        *header_row(0, 1, "一级指标", "二级指标", ("三级指标", 3), (target_header, 2)),
        *_indicator_tree_cells(items, 1, n),
    ]
    for k in range(n):
        item = items[k] if items else None
        table.cells += _keep_together(
            [
                _text_cell(1 + k, 3, item.name if item else None, "indicator.name", colspan=3),
                _text_cell(
                    1 + k,
                    6,
                    item.target.text if item else None,
                    "indicator.target",
                    colspan=2,
                    align="center",
                    fmt="target",
                ),
            ]
        )
    return table


def declaration_layout(doc: Declaration | None, *, blank_rows: int = 30) -> FormLayout:
    """Return the 申报表 layout filled with ``doc``, or an empty template with ``blank_rows``.

    Field order as in the seed forms and domain-rules.md §6: 项目名称, 项目类别/项目性质,
    主管部门/实施单位, 计划开始/完成日期, 项目资金 (whole-life left, this year right), 项目绩效目标,
    then the 绩效指标 table 一级 | 二级 | 三级 | 指标目标值 with 一级/二级 merged vertically.
    """
    p = doc.project if doc else None
    f = doc.funding if doc else None
    g = doc.goals if doc else None
    head = Section(nrows=10)
    c = head.cells
    c += [
        LayoutCell(0, 0, "项目名称", colspan=2),
        _text_cell(0, 2, p.name if p else None, "project.name", colspan=6),
        LayoutCell(1, 0, "项目类别", colspan=2),
        _text_cell(1, 2, p.category if p else None, "project.category", colspan=2, align="center"),
        LayoutCell(1, 4, "项目性质"),
        _text_cell(1, 5, p.nature if p else None, "project.nature", colspan=3, align="center"),
        LayoutCell(2, 0, "主管部门", colspan=2),
        _text_cell(2, 2, p.competent_department if p else None, "project.competent_department", colspan=2),
        LayoutCell(2, 4, "实施单位"),
        _text_cell(2, 5, p.implementing_unit if p else None, "project.implementing_unit", colspan=3),
        LayoutCell(3, 0, "计划开始日期", colspan=2),
        _date_cell(3, 2, p.start_date if p else None, "project.start_date", colspan=2),
        LayoutCell(3, 4, "计划完成日期"),
        _date_cell(3, 5, p.end_date if p else None, "project.end_date", colspan=3),
        LayoutCell(4, 0, "项目资金（元）", rowspan=4, role="vlabel"),
        LayoutCell(4, 1, "项目资金总额"),
        _amount_cell(4, 2, f.total if f else None, "funding.total", colspan=2),
        LayoutCell(4, 4, "年度资金申请总额"),
        _amount_cell(4, 5, f.annual if f else None, "funding.annual", colspan=3),
        LayoutCell(5, 1, "其中：财政资金"),
        _amount_cell(5, 2, f.total_fiscal if f else None, "funding.total_fiscal", colspan=2),
        LayoutCell(5, 4, "其中：当年财政拨款"),
        _amount_cell(5, 5, f.annual_appropriation if f else None, "funding.annual_appropriation", colspan=3),
        LayoutCell(6, 1, ""),
        LayoutCell(6, 2, "", colspan=2),
        LayoutCell(6, 4, "上年结转资金"),
        _amount_cell(6, 5, f.annual_carryover if f else None, "funding.annual_carryover", colspan=3),
        LayoutCell(7, 1, "其他资金"),
        _amount_cell(7, 2, f.total_other if f else None, "funding.total_other", colspan=2),
        LayoutCell(7, 4, "其他资金"),
        _amount_cell(7, 5, f.annual_other if f else None, "funding.annual_other", colspan=3),
        LayoutCell(8, 0, "项目绩效目标", rowspan=2, role="vlabel"),
        LayoutCell(8, 1, "项目总目标"),
        _text_cell(8, 2, g.overall if g else None, "goals.overall", colspan=6, fmt="long"),
        LayoutCell(9, 1, "年度总目标"),
        _text_cell(9, 2, g.annual if g else None, "goals.annual", colspan=6, fmt="long"),
    ]
    items = doc.indicators if doc else []
    n = _indicator_row_count(len(items), doc is None, blank_rows)
    table = _target_table(items, n, "指标目标值")
    return FormLayout(
        "declaration",
        DECLARATION_TITLE,
        _year_line(doc.year if doc else None),
        DECLARATION_WIDTHS,
        [head, table],
        name=p.name if p else "",
    )


def _rate(executed: Decimal | None, adjusted: Decimal | None) -> str:
    if executed is None or not adjusted:
        return ""
    return f"{(executed / adjusted * 100).quantize(Decimal('0.01'))}%"


def _optional_project_rows(head: Section, doc: SelfEvaluation | None) -> None:
    """Add 项目类别/性质, 计划日期 and 项目总目标 rows below the units when the document has them.

    The 2022 自评表 (§5.6) does not print them, but a self-evaluation made from a declaration
    carries them, and an export must not lose them.
    """
    if doc is None:
        return
    p = doc.project
    extra: list[list[LayoutCell]] = []
    if p.category or p.nature:
        extra.append(
            [
                LayoutCell(0, 0, "项目类别", colspan=2),
                _text_cell(0, 2, p.category, "project.category", colspan=3, align="center"),
                LayoutCell(0, 5, "项目性质"),
                _text_cell(0, 6, p.nature, "project.nature", colspan=3, align="center"),
            ]
        )
    if p.start_date or p.end_date:
        extra.append(
            [
                LayoutCell(0, 0, "计划开始日期", colspan=2),
                _date_cell(0, 2, p.start_date, "project.start_date", colspan=3),
                LayoutCell(0, 5, "计划完成日期"),
                _date_cell(0, 6, p.end_date, "project.end_date", colspan=3),
            ]
        )
    if doc.goals.overall:
        extra.append(
            [
                LayoutCell(0, 0, "项目总目标", colspan=2),
                _text_cell(0, 2, doc.goals.overall, "goals.overall", colspan=7, fmt="long"),
            ]
        )
    if not extra:
        return
    for cell in head.cells:
        if cell.row >= 2:
            cell.row += len(extra)
    for k, cells in enumerate(extra):
        for cell in cells:
            cell.row = 2 + k
            head.cells.append(cell)
    head.nrows += len(extra)


def self_evaluation_layout(doc: SelfEvaluation | None, *, blank_rows: int = 30) -> FormLayout:
    """Return the 自评表 layout (domain-rules.md §5.6) filled with ``doc``, or an empty template.

    Only the 年度资金总额 row carries 分值 and 得分; the sub-rows print "—" there (§5.2). The
    sub-rows' 执行率 is computed for the reader's convenience and ignored when read back.
    """
    p = doc.project if doc else None
    b = doc.budget if doc else None
    head = Section(nrows=9)
    c = head.cells
    c += [
        LayoutCell(0, 0, "项目名称", colspan=2),
        _text_cell(0, 2, p.name if p else None, "project.name", colspan=7),
        LayoutCell(1, 0, "主管部门", colspan=2),
        _text_cell(1, 2, p.competent_department if p else None, "project.competent_department", colspan=3),
        LayoutCell(1, 5, "实施单位"),
        _text_cell(1, 6, p.implementing_unit if p else None, "project.implementing_unit", colspan=3),
        LayoutCell(2, 0, "项目资金（元）", rowspan=5, role="vlabel"),
        *header_row(2, 1, ("", 2), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"),
        LayoutCell(3, 1, "年度资金总额", colspan=2),
        _amount_cell(3, 3, b.initial if b else None, "budget.initial"),
        _amount_cell(3, 4, b.adjusted if b else None, "budget.adjusted"),
        _amount_cell(3, 5, b.executed if b else None, "budget.executed"),
        _text_cell(3, 6, _plain(b.weight) if b else "10", "budget.weight", align="center", fmt="number"),
        _text_cell(
            3,
            7,
            f"{b.execution_rate}%" if b and b.execution_rate is not None else "",
            "budget.execution_rate",
            align="center",
            fmt="percent",
        ),
        _text_cell(3, 8, _plain(b.score) if b else None, "budget.score", align="center", fmt="number"),
    ]
    for k, (key, label) in enumerate(BUDGET_LINES):
        line = b.lines.get(key) if b else None
        r = 4 + k
        c += [
            LayoutCell(r, 1, label, colspan=2),
            _amount_cell(r, 3, line.initial if line else None, f"budget.lines.{key}.initial"),
            _amount_cell(r, 4, line.adjusted if line else None, f"budget.lines.{key}.adjusted"),
            _amount_cell(r, 5, line.executed if line else None, f"budget.lines.{key}.executed"),
            LayoutCell(r, 6, "—"),
            LayoutCell(r, 7, _rate(line.executed, line.adjusted) if line else ""),
            LayoutCell(r, 8, "—"),
        ]
    c += [
        LayoutCell(7, 0, "年度总体目标", rowspan=2, role="vlabel"),
        LayoutCell(7, 1, "预期目标", colspan=4, role="header"),
        LayoutCell(7, 5, "实际完成情况", colspan=4, role="header"),
        _text_cell(8, 1, doc.goals.annual if doc else None, "goals.annual", colspan=4, fmt="long"),
        _text_cell(8, 5, doc.outcome if doc else None, "outcome", colspan=4, fmt="long"),
    ]
    _optional_project_rows(head, doc)
    items = doc.indicators if doc else []
    n = _indicator_row_count(len(items), doc is None, blank_rows)
    table = Section(nrows=1 + n, header_rows=1)
    t = table.cells
    t += [
        LayoutCell(0, 0, "绩效指标", rowspan=1 + n, role="vlabel", breakable=True),
        *header_row(0, 1, *SELF_EVALUATION_COLUMNS),
    ]
    t += _indicator_tree_cells(items, 1, n)
    for k in range(n):
        item = items[k] if items else None
        r = 1 + k
        t += _keep_together(
            [
                _text_cell(r, 3, item.name if item else None, "indicator.name"),
                _text_cell(
                    r, 4, item.target.text if item else None, "indicator.target", align="center", fmt="target"
                ),
                _text_cell(r, 5, item.actual if item else None, "indicator.actual", align="center"),
                _text_cell(
                    r,
                    6,
                    _plain(item.weight) if item else None,
                    "indicator.weight",
                    align="center",
                    fmt="number",
                ),
                _text_cell(
                    r,
                    7,
                    _plain(item.score) if item else None,
                    "indicator.score",
                    align="center",
                    fmt="number",
                ),
                _text_cell(r, 8, item.deviation_note if item else None, "indicator.deviation_note"),
            ]
        )
    total = Section(nrows=1)
    grade = doc.grade if doc else None
    total.cells += [
        LayoutCell(0, 0, "总分", colspan=6),
        LayoutCell(0, 6, "100"),
        _text_cell(
            0, 7, _plain(doc.total_score) if doc else None, "total_score", align="center", fmt="number"
        ),
        _text_cell(0, 8, f"自评等级：{grade}" if grade else "自评等级：", "grade", align="center"),
    ]
    return FormLayout(
        "self_evaluation",
        SELF_EVALUATION_TITLE,
        _year_line(doc.year if doc else None),
        SELF_EVALUATION_WIDTHS,
        [head, table, total],
        name=p.name if p else "",
    )


def layout_for(doc: Document) -> FormLayout:
    """Return the filled layout of either kind of document."""
    if isinstance(doc, Declaration):
        return declaration_layout(doc)
    return self_evaluation_layout(doc)


_YEAR = re.compile(r"(\d{4})\s*年度?")


def year_from(text: str) -> int | None:
    """Return the budget year in a title line such as "（2022年度）", or None."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None
