"""The 项目支出绩效运行监控表 (in-year monitoring form) as one layout, for Excel and PDF.

The fields are those of the 136号 template as recalled in domain-rules.md §4 ("Monitoring table
fields", vendor S12): the project header, the funds block (年初预算数, 全年预算数, 1—N月执行数,
执行率, with the time-proportional plan and its traffic light), the 年度总体目标 block, and the
indicator table 一级 | 二级 | 三级 | 年度指标值 | 1—N月实际完成值 | 全年预计完成情况 |
完成目标可能性 | 偏差原因分析 (经费 / 制度 / 人员 / 硬件条件保障 / 其他, ticked "√") | 改进措施 |
预警灯. Fifteen columns do not fit A4 portrait, so the form is printed on A4 landscape.

This module takes the report, its monitoring result and the region's warning thresholds by duck
typing (the attributes of ``jixiao.evaluation.monitoring.MonitoringReport``, ``MonitoringResult`` and
``jixiao.evaluation.config.RegionRules``), so ``formats`` does not depend on ``evaluation``: the caller
monitors, this module draws.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, cast

from jixiao.domain.errors import FormatError
from jixiao.domain.vocabulary import LIGHT_ZH
from jixiao.formats.render.layout import (
    FormLayout,
    LayoutCell,
    Section,
    _amount_cell,
    _date_cell,
    _indicator_tree_cells,
    _keep_together,
    _text_cell,
    header_row,
)

__all__ = [
    "MONITORING_TITLE",
    "MONITORING_WIDTHS",
    "REASON_COLUMNS",
    "monitoring_layout",
    "monitoring_pdf",
    "monitoring_xlsx",
]

MONITORING_TITLE = "项目支出绩效运行监控表"
# 偏差原因分析 as ticked columns, in the 136号 order (domain-rules.md §4).
REASON_COLUMNS = ("经费", "制度", "人员", "硬件条件保障", "其他")
TICK = "√"

# A: vertical label; B–O: 一级, 二级, 三级, 年度指标值, 1—N月实际完成值, 全年预计完成情况,
# 完成目标可能性, 经费, 制度, 人员, 硬件条件保障, 其他, 改进措施, 预警灯 (relative, A4 landscape).
MONITORING_WIDTHS = (1.0, 1.7, 1.9, 3.0, 1.8, 1.8, 2.6, 1.5, 1.0, 1.0, 1.0, 1.3, 1.9, 3.0, 1.3)


def _percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def _light_cell(row: int, col: int, light: str | None, fld: str, colspan: int = 1) -> LayoutCell:
    tone = light if light in LIGHT_ZH else None
    text = LIGHT_ZH[light] if light in LIGHT_ZH else ""
    return LayoutCell(
        row, col, text, colspan=colspan, role="value", field=fld, value=text or None, tone=cast(Any, tone)
    )


def _long_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _head(report: Any, result: Any, month: int) -> Section:
    """Project header, funds block with the budget light, 年度总体目标 block."""
    p = report.project
    b = report.budget
    cells: list[LayoutCell] = [
        LayoutCell(0, 0, "项目名称", colspan=2),
        _text_cell(0, 2, p.name, "project.name", colspan=13),
        LayoutCell(1, 0, "主管部门", colspan=2),
        _text_cell(1, 2, p.competent_department, "project.competent_department", colspan=5),
        LayoutCell(1, 7, "实施单位", colspan=3),
        _text_cell(1, 10, p.implementing_unit, "project.implementing_unit", colspan=5),
    ]
    r = 2
    if p.category or p.nature:
        cells += [
            LayoutCell(r, 0, "项目类别", colspan=2),
            _text_cell(r, 2, p.category, "project.category", colspan=5, align="center"),
            LayoutCell(r, 7, "项目性质", colspan=3),
            _text_cell(r, 10, p.nature, "project.nature", colspan=5, align="center"),
        ]
        r += 1
    if p.start_date or p.end_date:
        cells += [
            LayoutCell(r, 0, "计划开始日期", colspan=2),
            _date_cell(r, 2, p.start_date, "project.start_date", colspan=5),
            LayoutCell(r, 7, "计划完成日期", colspan=3),
            _date_cell(r, 10, p.end_date, "project.end_date", colspan=5),
        ]
        r += 1
    # Funds (domain-rules.md §4): the light compares 执行率 with the time-proportional plan month/12.
    cells += [
        LayoutCell(r, 0, "项目资金（元）", rowspan=2, colspan=2),
        *header_row(
            r,
            2,
            ("年初预算数", 2),
            ("全年预算数", 2),
            (f"1—{month}月执行数", 2),
            ("执行率", 2),
            ("时间进度", 2),
            "进度比",
            ("预警灯", 2),
        ),
        _amount_cell(r + 1, 2, b.initial, "budget.initial", colspan=2),
        _amount_cell(r + 1, 4, b.adjusted, "budget.adjusted", colspan=2),
        _amount_cell(r + 1, 6, b.executed, "budget.executed", colspan=2),
        _text_cell(
            r + 1,
            8,
            _percent(result.budget_rate),
            "budget.execution_rate",
            colspan=2,
            align="center",
            fmt="percent",
        ),
        _text_cell(
            r + 1,
            10,
            _percent(result.expected_rate),
            "budget.expected_rate",
            colspan=2,
            align="center",
            fmt="percent",
        ),
        _text_cell(
            r + 1, 12, _percent(result.budget_progress), "budget.progress", align="center", fmt="percent"
        ),
        _light_cell(r + 1, 13, result.budget_light, "budget.light", colspan=2),
    ]
    r += 2
    cells += [
        LayoutCell(r, 0, "年度总体目标", rowspan=2, colspan=2),
        LayoutCell(r, 2, "年度目标", colspan=6, role="header"),
        LayoutCell(r, 8, f"1—{month}月完成情况", colspan=7, role="header"),
        _text_cell(r + 1, 2, report.goals.annual, "goals.annual", colspan=6, fmt="long"),
        _text_cell(r + 1, 8, report.progress_summary, "progress_summary", colspan=7, fmt="long"),
    ]
    return Section(nrows=r + 2, cells=cells)


def _reason_cells(row: int, item: Any) -> list[LayoutCell]:
    """Tick the 偏差原因 columns; 其他 carries its explanation, and so does any unknown reason."""
    reasons = list(item.reasons)
    cells = []
    for k, reason in enumerate(REASON_COLUMNS[:-1]):
        ticked = reason in reasons
        cells.append(
            _text_cell(row, 8 + k, TICK if ticked else None, f"indicator.reasons.{reason}", align="center")
        )
    other = [r for r in reasons if r not in REASON_COLUMNS[:-1] and r != "其他"]
    if "其他" in reasons or other:
        text = TICK + "".join(f"：{t}" for t in [item.other_reason, *other] if t)
    else:
        text = ""
    cells.append(
        _text_cell(row, 12, text, "indicator.reasons.其他", align="center" if text == TICK else "left")
    )
    return cells


def _table(report: Any, result: Any, month: int) -> Section:
    """The indicator table: two header rows (偏差原因分析 over its five columns), one row each."""
    items = list(report.indicators)
    n = max(len(items), 1)  # a report without indicators keeps one empty row
    section = Section(nrows=2 + n, header_rows=2)
    t = section.cells
    t.append(LayoutCell(0, 0, "绩效指标", rowspan=2 + n, role="vlabel", breakable=True))
    for col, label in (
        (1, "一级指标"),
        (2, "二级指标"),
        (3, "三级指标"),
        (4, "年度指标值"),
        (5, f"1—{month}月实际完成值"),
        (6, "全年预计完成情况"),
        (7, "完成目标可能性"),
        (13, "改进措施"),
        (14, "预警灯"),
    ):
        t.append(LayoutCell(0, col, label, rowspan=2, role="header"))
    t.append(LayoutCell(0, 8, "偏差原因分析", colspan=5, role="header"))
    t += [LayoutCell(1, 8 + k, reason, role="header") for k, reason in enumerate(REASON_COLUMNS)]
    t += _indicator_tree_cells(cast(Any, items), 2, n)
    lights = {s.index: s.light for s in result.indicators}
    for k in range(n):
        item = items[k] if items else None
        r = 2 + k
        if item is None:
            t += [_text_cell(r, col, None, "indicator") for col in range(3, 15)]
            continue
        t += _keep_together(
            [
                _text_cell(r, 3, item.name, "indicator.name"),
                _text_cell(r, 4, item.target.text, "indicator.target", align="center", fmt="target"),
                _text_cell(r, 5, item.progress, "indicator.progress", align="center"),
                _text_cell(r, 6, item.forecast, "indicator.forecast"),
                _text_cell(r, 7, item.likelihood, "indicator.likelihood", align="center"),
                *_reason_cells(r, item),
                _text_cell(r, 13, item.measures, "indicator.measures"),
                _light_cell(r, 14, lights.get(k), "indicator.light"),
            ]
        )
    return section


def _notes(report: Any, result: Any, rule: str) -> Section:
    """预警说明: the light rule, each warning, each row's 备注 (no column of its own on the form)."""
    lines = [rule, *(w.message_zh for w in result.warnings)]
    lines += [f"「{i.name}」备注：{i.note}" for i in report.indicators if i.note]
    section = Section(nrows=1)
    section.cells += [
        LayoutCell(0, 0, "预警说明", colspan=2),
        _text_cell(0, 2, "\n".join(lines), "notes", colspan=13, fmt="long"),
    ]
    return section


def monitoring_layout(report: Any, result: Any, rules: Any) -> FormLayout:
    """Return the 运行监控表 of ``report`` (a ``MonitoringReport``) in the official layout.

    ``result`` is its ``MonitoringResult`` (lights, rates, warnings, cut-off month) and ``rules``
    the ``RegionRules`` it was monitored under (the warning thresholds printed on the form).
    """
    month = int(result.cutoff_month)
    year = f"{report.year}年" if report.year else "    年"
    rule = (
        f"预警规则：进度比 = 执行率 ÷ 时间进度（{month}/12）× 100，低于 {rules.budget_red_below} 为红灯、"
        f"低于 {rules.budget_yellow_below} 为黄灯；完成目标可能性「有可能」为黄灯、「完全不可能」为红灯。"
    )
    subtitle = f"填报日期：{_long_date(report.reported_on)}" if report.reported_on else ""
    return FormLayout(
        "monitoring",
        f"{MONITORING_TITLE}（{year}1—{month}月）",
        subtitle,
        MONITORING_WIDTHS,
        [_head(report, result, month), _table(report, result, month), _notes(report, result, rule)],
        name=report.project.name,
        landscape=True,
    )


def _layouts(reports: Iterable[Any], results: Iterable[Any], rules: Any) -> list[FormLayout]:
    items = list(reports)
    given = list(results)
    if len(given) != len(items):
        raise ValueError("one result per report")
    layouts = [monitoring_layout(r, res, rules) for r, res in zip(items, given, strict=True)]
    if not layouts:
        raise FormatError("没有可以输出的监控表", "there is no monitoring report to render", code="JX-E461")
    return layouts


def monitoring_xlsx(reports: Iterable[Any], results: Iterable[Any], rules: Any) -> bytes:
    """Return an .xlsx workbook with one 运行监控表 sheet per report (A4 landscape print set-up)."""
    from jixiao.formats.xlsx import layouts_xlsx

    return layouts_xlsx(_layouts(reports, results, rules))


def monitoring_pdf(reports: Iterable[Any], results: Iterable[Any], rules: Any) -> bytes:
    """Return one PDF (A4 landscape, Chinese font embedded) with every report's 运行监控表."""
    from jixiao.formats.render.pdf import layouts_pdf

    return layouts_pdf(_layouts(reports, results, rules), title=MONITORING_TITLE)
