"""The department-wide forms (部门整体支出绩效目标申报表 / 自评表) as layouts, for Excel and PDF.

No national or Shanghai layout of these forms was researched (domain-rules.md §8: field-level
rules not researched), so the layouts follow the project forms' conventions (a vertical block label
in column A, label cells left of their values, the indicator table last with 一级/二级 merged):

* 申报表: 部门名称, 部门职能, the 部门预算 block (年度预算总额 and 其中 当年财政拨款 / 上年结转资金 /
  其他资金 on the left, 基本支出 / 项目支出 on the right), 中长期目标 and 年度总体目标, then
  一级 | 二级 | 三级 | 指标值;
* 自评表: the same header, 预期目标 | 实际完成情况, the 项目自评汇总 table (one row per project:
  全年预算数, 全年执行数, 执行率, 自评得分, 自评等级, 达标指标数/指标数, then 合计), the 汇总评分 table
  (预算执行率, 项目自评优良率, 指标完成率 with their ratio, points and score, then 汇总得分 and the grade),
  and the indicator table with 实际完成值 and 偏差原因分析及改进措施.

The roll-up's points come with the document's figures: this module draws what the caller computed
(``weights`` and ``points``), so ``formats`` does not depend on ``evaluation``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.department import (
    DEPARTMENT_DECLARATION_TITLE,
    DEPARTMENT_SELF_EVALUATION_TITLE,
    FUNDS_LABELS,
    DepartmentDeclaration,
    DepartmentDocument,
    DepartmentFunds,
    DepartmentSelfEvaluation,
    ProjectResult,
)
from jixiao.domain.errors import FormatError
from jixiao.formats.render.layout import (
    DECLARATION_WIDTHS,
    FormLayout,
    LayoutCell,
    Section,
    _amount_cell,
    _indicator_tree_cells,
    _keep_together,
    _plain,
    _target_table,
    _text_cell,
    _year_line,
    header_row,
)

__all__ = [
    "NOT_EVALUATED",
    "RollupPoints",
    "department_layout",
    "department_pdf",
    "department_xlsx",
]


NOT_EVALUATED = "未自评"
# The self-evaluation's nine columns: wider rate and grade columns than the project 自评表's.
SELF_EVALUATION_COLUMNS = (0.9, 1.8, 1.5, 2.0, 2.6, 2.6, 1.5, 1.2, 2.1)


@dataclass(frozen=True, slots=True)
class RollupPoints:
    """The 分值 and 得分 of the three roll-up rows, as the caller computed them."""

    weights: tuple[Decimal, Decimal, Decimal]
    points: tuple[Decimal | None, Decimal | None, Decimal | None]


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def _funds_rows(funds: DepartmentFunds, first: int, ncols: int) -> list[LayoutCell]:
    """Four rows: by source on the left (label col 1, value cols 2–3), by use on the right."""
    right_value = ncols - 5  # the value cell on the right runs to the last column
    left = ("total", "appropriation", "carryover", "other")
    right = ("basic", "project")
    cells = [LayoutCell(first, 0, "部门预算（元）", rowspan=4, role="vlabel")]
    for k, key in enumerate(left):
        r = first + k
        label = ("其中：" if key == "appropriation" else "") + FUNDS_LABELS[key]
        cells += [LayoutCell(r, 1, label), _amount_cell(r, 2, getattr(funds, key), f"funds.{key}", colspan=2)]
        if k < len(right):
            cells += [
                LayoutCell(r, 4, FUNDS_LABELS[right[k]]),
                _amount_cell(r, 5, getattr(funds, right[k]), f"funds.{right[k]}", colspan=right_value),
            ]
        else:
            cells += [LayoutCell(r, 4, ""), LayoutCell(r, 5, "", colspan=right_value)]
    return cells


def _declaration_layout(doc: DepartmentDeclaration) -> FormLayout:
    ncols = len(DECLARATION_WIDTHS)
    head = Section(nrows=8)
    head.cells += [
        LayoutCell(0, 0, "部门名称", colspan=2),
        _text_cell(0, 2, doc.department, "department", colspan=ncols - 2),
        LayoutCell(1, 0, "部门职能", colspan=2),
        _text_cell(1, 2, doc.duties, "duties", colspan=ncols - 2, fmt="long"),
        *_funds_rows(doc.funds, 2, ncols),
        LayoutCell(6, 0, "部门整体绩效目标", rowspan=2, role="vlabel"),
        LayoutCell(6, 1, "中长期目标"),
        _text_cell(6, 2, doc.goals.overall, "goals.overall", colspan=ncols - 2, fmt="long"),
        LayoutCell(7, 1, "年度总体目标"),
        _text_cell(7, 2, doc.goals.annual, "goals.annual", colspan=ncols - 2, fmt="long"),
    ]
    items = doc.indicators
    n = max(len(items), 1)
    table = _target_table(items, n, "指标值")
    return FormLayout(
        "declaration",
        DEPARTMENT_DECLARATION_TITLE,
        _year_line(doc.year),
        DECLARATION_WIDTHS,
        [head, table],
        name=f"{doc.department}整体目标",
    )


def _grade_text(p: ProjectResult) -> str:
    """「优（达标5/5）」: the grade and how many of the project's indicators met their target."""
    if p.grade is None:
        return NOT_EVALUATED
    return f"{p.grade}（达标{p.met}/{p.indicators}）"


def _projects_section(doc: DepartmentSelfEvaluation) -> Section:
    lines = doc.projects
    n = max(len(lines), 1)
    section = Section(nrows=2 + n, header_rows=1)
    c = section.cells
    c += [
        LayoutCell(0, 0, "项目自评汇总", rowspan=2 + n, role="vlabel", breakable=True),
        *header_row(
            0, 1, ("项目名称", 2), "实施单位", "全年预算数", "全年执行数", "执行率", "自评得分", "自评等级"
        ),
    ]
    for k in range(n):
        p = lines[k] if lines else None
        r = 1 + k
        rate = ""
        if p is not None and p.executed is not None and p.budget:
            rate = f"{(p.executed / p.budget * 100).quantize(Decimal('0.01'))}%"
        c += _keep_together(
            [
                _text_cell(r, 1, p.name if p else None, "project.name", colspan=2),
                _text_cell(r, 3, p.unit if p else None, "project.unit"),
                _amount_cell(r, 4, p.budget if p else None, "project.budget"),
                _amount_cell(r, 5, p.executed if p else None, "project.executed"),
                LayoutCell(r, 6, rate),
                _text_cell(
                    r, 7, _plain(p.score) if p else None, "project.score", align="center", fmt="number"
                ),
                _text_cell(
                    r,
                    8,
                    _grade_text(p) if p else None,
                    "project.grade",
                    align="center",
                ),
            ]
        )
    f = doc.rollup
    r = 1 + n
    c += [
        LayoutCell(r, 1, "合计", colspan=3),
        _amount_cell(r, 4, f.budget, "rollup.budget"),
        _amount_cell(r, 5, f.executed, "rollup.executed"),
        _text_cell(r, 6, _percent(f.execution_rate), "rollup.execution_rate", align="center", fmt="percent"),
        LayoutCell(r, 7, ""),
        LayoutCell(r, 8, ""),
    ]
    return section


def _rollup_section(doc: DepartmentSelfEvaluation, points: RollupPoints | None) -> Section:
    f = doc.rollup
    weights = points.weights if points else (None, None, None)
    scored = points.points if points else (None, None, None)
    graded = [p for p in doc.projects if p.grade is not None]
    good = sum(1 for p in graded if p.grade in ("优", "良"))
    indicators = sum(p.indicators for p in graded)
    met = sum(p.met for p in graded)
    rows = (
        ("预算执行率", "Σ全年执行数 ÷ Σ全年预算数", f.execution_rate),
        ("项目自评优良率", f"优良项目 {good} ÷ 已自评项目 {len(graded)}", f.good_share),
        ("指标完成率", f"达标指标 {met} ÷ 指标 {indicators}", f.met_share),
    )
    section = Section(nrows=2 + len(rows))
    c = section.cells
    c += [
        LayoutCell(0, 0, "汇总评分", rowspan=2 + len(rows), role="vlabel"),
        *header_row(0, 1, ("汇总项目", 2), ("计算方法", 2), "比率", "分值", "得分", ""),
    ]
    for k, (label, how, rate) in enumerate(rows):
        r = 1 + k
        c += [
            LayoutCell(r, 1, label, colspan=2),
            LayoutCell(r, 3, how, colspan=2),
            _text_cell(r, 5, _percent(rate), f"rollup.rate.{k}", align="center", fmt="percent"),
            LayoutCell(r, 6, _plain(weights[k])),
            _text_cell(r, 7, _plain(scored[k]), f"rollup.points.{k}", align="center", fmt="number"),
            LayoutCell(r, 8, ""),
        ]
    r = 1 + len(rows)
    c += [
        LayoutCell(r, 1, "汇总得分", colspan=4),
        LayoutCell(r, 5, ""),
        LayoutCell(r, 6, "100"),
        _text_cell(r, 7, _plain(f.score), "rollup.score", align="center", fmt="number"),
        _text_cell(r, 8, f"自评等级：{f.grade}" if f.grade else "自评等级：", "rollup.grade", align="center"),
    ]
    return section


def _self_evaluation_layout(doc: DepartmentSelfEvaluation, points: RollupPoints | None) -> FormLayout:
    ncols = len(SELF_EVALUATION_COLUMNS)
    head = Section(nrows=7)
    head.cells += [
        LayoutCell(0, 0, "部门名称", colspan=2),
        _text_cell(0, 2, doc.department, "department", colspan=ncols - 2),
        *_funds_rows(doc.funds, 1, ncols),
        LayoutCell(5, 0, "年度总体目标", rowspan=2, role="vlabel"),
        LayoutCell(5, 1, "预期目标", colspan=4, role="header"),
        LayoutCell(5, 5, "实际完成情况", colspan=4, role="header"),
        _text_cell(6, 1, doc.goals.annual, "goals.annual", colspan=4, fmt="long"),
        _text_cell(6, 5, doc.outcome, "outcome", colspan=4, fmt="long"),
    ]
    items = doc.indicators
    n = max(len(items), 1)
    table = Section(nrows=1 + n, header_rows=1)
    table.cells += [
        LayoutCell(0, 0, "绩效指标", rowspan=1 + n, role="vlabel", breakable=True),
        *header_row(
            0,
            1,
            "一级指标",
            "二级指标",
            ("三级指标", 2),
            "年度指标值",
            ("实际完成值", 2),
            "偏差原因分析及改进措施",
        ),
        *_indicator_tree_cells(items, 1, n),
    ]
    for k in range(n):
        item = items[k] if items else None
        r = 1 + k
        table.cells += _keep_together(
            [
                _text_cell(r, 3, item.name if item else None, "indicator.name", colspan=2),
                _text_cell(
                    r, 5, item.target.text if item else None, "indicator.target", align="center", fmt="target"
                ),
                _text_cell(
                    r, 6, item.actual if item else None, "indicator.actual", colspan=2, align="center"
                ),
                _text_cell(r, 8, item.deviation_note if item else None, "indicator.deviation_note"),
            ]
        )
    return FormLayout(
        "self_evaluation",
        DEPARTMENT_SELF_EVALUATION_TITLE,
        _year_line(doc.year),
        SELF_EVALUATION_COLUMNS,
        [head, _projects_section(doc), _rollup_section(doc, points), table],
        name=f"{doc.department}整体自评",
    )


def department_layout(doc: DepartmentDocument, points: RollupPoints | None = None) -> FormLayout:
    """Return the layout of a department declaration or self-evaluation (``points``: its roll-up)."""
    if isinstance(doc, DepartmentDeclaration):
        return _declaration_layout(doc)
    return _self_evaluation_layout(doc, points)


def _layouts(
    docs: Iterable[DepartmentDocument], points: Sequence[RollupPoints | None] | None
) -> list[FormLayout]:
    items = list(docs)
    given = list(points) if points is not None else [None] * len(items)
    if len(given) != len(items):
        raise ValueError("one roll-up (or None) per document")
    if not items:
        raise FormatError("没有可以输出的表格", "there is no form to render", code="JX-E461")
    return [department_layout(d, p) for d, p in zip(items, given, strict=True)]


def department_xlsx(
    docs: Iterable[DepartmentDocument], points: Sequence[RollupPoints | None] | None = None
) -> bytes:
    """Return an .xlsx workbook with one sheet per department form."""
    from jixiao.formats.xlsx import layouts_xlsx

    return layouts_xlsx(_layouts(docs, points))


def department_pdf(
    docs: Iterable[DepartmentDocument], points: Sequence[RollupPoints | None] | None = None
) -> bytes:
    """Return one PDF (A4, Chinese font embedded) with every department form."""
    from jixiao.formats.render.pdf import layouts_pdf

    layouts = _layouts(docs, points)
    return layouts_pdf(layouts, title=layouts[0].title if len(layouts) == 1 else "部门整体支出绩效表")
