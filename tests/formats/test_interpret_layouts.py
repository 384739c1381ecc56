"""Layouts the interpreter reads from their labels: a department's list of projects, 中期 and 年度 side by side."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.domain.model import Declaration
from jixiao.formats.grid import Cell, Grid, Origin
from jixiao.formats.interpret import interpret


def _grid(rows: list[list[Any]]) -> Grid:
    cells = []
    for r, row in enumerate(rows):
        for c, item in enumerate(row):
            if item is None:
                continue
            text, rs, cs = item if isinstance(item, tuple) else (item, 1, 1)
            cells.append(Cell(r, c, text, rs, cs, Origin(line=r + 1)))
    return Grid(cells, source="test")


HEAD = ["单位名称", "项目名称", "预算数", "年度目标", "一级指标", "二级指标", "三级指标", "指标值"]
LIST_ROWS: list[list[Any]] = [
    [("2024年部门预算项目绩效目标申报表", 1, 8)] + [None] * 7,
    [("单位：万元", 1, 8)] + [None] * 7,
    HEAD,
    [
        "某县第一中学",
        "学生资助",
        "126.50",
        "资助困难学生1050人次。",
        ("产出指标", 2, 1),
        "数量指标",
        "资助人次",
        "≥1050人次",
    ],
    ["", "", "", "", None, "质量指标", "认定准确率", "=100%"],
    ["", "", "", "", "满意度指标", "服务对象满意度指标", "受助学生满意度", "≥95%"],
    ["某县实验小学", "校园安保", "48", "配备专职保安12名。", "产出指标", "数量指标", "保安人数", "12人"],
    ["", "", "", "", "效益指标", "社会效益指标", "校园安全责任事故", "=0起"],
]


def test_each_project_block_is_a_declaration() -> None:
    docs = interpret([_grid(LIST_ROWS)], file="list.xlsx")
    assert all(isinstance(d, Declaration) for d in docs)
    got = [
        (d.project.name, d.project.implementing_unit, d.funding.annual, d.goals.annual, d.year)  # type: ignore[union-attr]
        for d in docs
    ]
    assert got == [
        ("学生资助", "某县第一中学", Decimal("1265000.00"), "资助困难学生1050人次。", 2024),
        ("校园安保", "某县实验小学", Decimal("480000.00"), "配备专职保安12名。", 2024),
    ]
    assert [[(i.level1, i.level2, i.name, i.target.text) for i in d.indicators] for d in docs] == [
        [
            ("产出指标", "数量指标", "资助人次", "≥1050人次"),
            ("产出指标", "质量指标", "认定准确率", "=100%"),
            ("满意度指标", "服务对象满意度指标", "受助学生满意度", "≥95%"),
        ],
        [
            ("产出指标", "数量指标", "保安人数", "12人"),
            ("效益指标", "社会效益指标", "校园安全责任事故", "=0起"),
        ],
    ]
    assert [d.source.form_index for d in docs] == [1, 2]
    assert not any(d.warnings for d in docs)


def test_a_block_keeps_where_its_cells_came_from() -> None:
    docs = interpret([_grid(LIST_ROWS)], file="list.xlsx")
    second = docs[1]
    assert second.fields["project.name"].status == "read"
    assert second.fields["project.name"].line == 7  # the block's first row on the form


@pytest.mark.parametrize("drop", [0, 1])
def test_a_block_without_its_amount_warns_for_that_block_only(drop: int) -> None:
    rows = [list(r) for r in LIST_ROWS]
    rows[3 + 3 * drop][2] = ""
    docs = interpret([_grid(rows)], file="list.xlsx")
    assert docs[drop].funding.annual is None  # type: ignore[union-attr]
    assert docs[1 - drop].funding.annual is not None  # type: ignore[union-attr]


MIDTERM_ROWS: list[list[Any]] = [
    [("项目支出绩效目标申报表", 1, 7)] + [None] * 6,
    [("（2024年度）", 1, 7)] + [None] * 6,
    ["项目名称", ("淮河行蓄洪区安全建设", 1, 6)] + [None] * 5,
    [("一级指标", 2, 1), ("中期指标", 1, 3), None, None, ("年度指标", 1, 3), None, None],
    [None, "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
    [
        ("产出指标", 2, 1),
        ("数量指标", 2, 1),
        "庄台建设数量",
        "12处",
        ("数量指标", 2, 1),
        "庄台加固数量",
        "4处",
    ],
    [None, None, "撤退道路长度", "85公里", None, "撤退道路建设长度", "30公里"],
    [
        "满意度指标",
        "服务对象满意度指标",
        "搬迁群众满意度",
        "≥90%",
        "服务对象满意度指标",
        "搬迁群众满意度",
        "≥90%",
    ],
]


def test_side_by_side_tables_read_the_annual_one_with_the_shared_level_column() -> None:
    [doc] = interpret([_grid(MIDTERM_ROWS)])
    assert [(i.level1, i.level2, i.name, i.target.text) for i in doc.indicators] == [
        ("产出指标", "数量指标", "庄台加固数量", "4处"),
        ("产出指标", "数量指标", "撤退道路建设长度", "30公里"),
        ("满意度指标", "服务对象满意度指标", "搬迁群众满意度", "≥90%"),
    ]
    # the mid-term table is not read, and the reader says so
    assert [w.field for w in doc.warnings if w.code == "JX-W131"] == ["indicators"]


def _pages(pages: list[list[list[Any]]]) -> list[Grid]:
    return [_grid(rows) for rows in pages]


PAGE_1: list[list[Any]] = [
    [("项目支出绩效目标表", 1, 4)] + [None] * 3,
    ["项目名称", ("某项目", 1, 3), None, None],
    ["一级指标", "二级指标", "三级指标", "指标值"],
    [("产出指标", 2, 1), "数量指标", "培训人次", "≥500人次"],
    [None, "质量指标", "培训合格", "≥90%"],
    ["满意度指标", "服务对象满意度指", "参训人员满意度", "≥9"],
]


@pytest.mark.parametrize(
    ("page_2", "level2", "name", "target", "warned"),
    [
        # the row the page break cut: the rest of the 二级 name and of the target
        ([["", "标", "", "0%"]], "服务对象满意度指标", "参训人员满意度", "≥90%", True),
        # the merged labels printed again at the top of the page, then a row of its own
        (
            [["满意度指标", "服务对象满意度指", "", ""], ["", "", "受益群众满意度", "≥85%"]],
            None,
            None,
            None,
            False,
        ),
    ],
)
def test_a_row_cut_by_a_page_break_is_joined_and_said(
    page_2: list[list[Any]], level2: str | None, name: str | None, target: str | None, warned: bool
) -> None:
    [doc] = interpret(_pages([PAGE_1, page_2]))
    last = doc.indicators[2]
    if level2 is not None:
        assert (last.level2, last.name, last.target.text) == (level2, name, target)
        assert len(doc.indicators) == 3
    else:
        assert [i.name for i in doc.indicators] == [
            "培训人次",
            "培训合格",
            "参训人员满意度",
            "受益群众满意度",
        ]
    assert any(w.code == "JX-W132" and w.field == "indicators[2]" for w in doc.warnings) is warned


def test_a_funds_label_that_ran_past_its_cell_keeps_its_unit() -> None:
    rows: list[list[Any]] = [
        [("项目支出绩效自评表", 1, 5)] + [None] * 4,
        ["项目名称", ("某项目", 1, 4), None, None, None],
        [("项目资金（万元年）", 2, 1), "", "年初预算数", "全年预算数", "全年执行数"],
        [None, "年度资金总额", "358.60", "358.60", "340.67"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
        ["产出指标", "数量指标", "养护里程", "≥800公里", "805公里"],
    ]
    [doc] = interpret([_grid(rows)])
    assert doc.budget.initial == Decimal("3586000.00")  # type: ignore[union-attr]


def test_a_unit_line_after_a_glued_label_ends_its_value() -> None:
    rows: list[list[Any]] = [
        [("部门预算项目支出绩效目标表（2024年度）", 1, 4)] + [None] * 3,
        [("部门：某县第三中学　　　　单位：万元", 1, 4)] + [None] * 3,
        ["项目名称", ("校舍维修", 1, 3), None, None],
        ["预算申报数", ("56.80", 1, 3), None, None],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "维修面积", "≥3200平方米"],
    ]
    [doc] = interpret([_grid(rows)])
    assert doc.project.implementing_unit == "某县第三中学"
    assert doc.funding.annual == Decimal("568000.00")  # type: ignore[union-attr]
