"""The interpreter on grids and on forms other producers make (MOF, Sichuan, Shanghai layouts)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from jixiao.domain.model import Declaration, SelfEvaluation
from jixiao.formats.grid import Cell, Grid, Origin
from jixiao.formats.interpret import interpret
from jixiao.formats.xlsx import read_xlsx


def grid(rows: list[list[str | tuple[str, int, int]]], source: str = "test") -> Grid:
    """Return a grid from rows of texts; a tuple is (text, row_span, col_span); None skips a covered slot."""
    cells = []
    for r, row in enumerate(rows):
        for c, item in enumerate(row):
            if item is None:
                continue
            text, rs, cs = item if isinstance(item, tuple) else (item, 1, 1)
            cells.append(Cell(r, c, text, rs, cs, Origin(line=r + 1)))
    return Grid(cells, source=source)


MOF_ROWS: list[list[Any]] = [
    [("项目支出绩效目标表", 1, 6), None, None, None, None, None],
    [("（2023年度）", 1, 6), None, None, None, None, None],
    ["项目名称", ("农村饮水安全巩固提升工程", 1, 5), None, None, None, None],
    ["主管部门及代码", ("[066]某市水利局", 1, 2), None, "实施单位", ("某县水务站", 1, 2), None],
    [("项目资金（万元）", 3, 1), "年度资金总额", ("120.5", 1, 4), None, None, None],
    [None, "其中：财政拨款", ("100", 1, 4), None, None, None],
    [None, "其他资金", ("20.5", 1, 4), None, None, None],
    ["年度目标", ("完成 3 个村的供水管网改造，受益人口不少于 5000 人。", 1, 5), None, None, None, None],
    [("绩效指标", 4, 1), "一级指标", "二级指标", "三级指标", "指标值", "备注"],
    [None, ("产出指标", 2, 1), "数量指标", "改造供水管网长度", "≥12公里", ""],
    [None, None, "时效指标", "完工时间", "2023年10月底前", ""],
    [None, "满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%", ""],
]


def test_mof_target_table_reads_year_funds_in_wan_yuan_and_annual_goal() -> None:
    (doc,) = interpret([grid(MOF_ROWS)], file="mof.xlsx")
    assert isinstance(doc, Declaration)
    assert doc.year == 2023
    assert doc.project.name == "农村饮水安全巩固提升工程"
    assert doc.project.competent_department == "[066]某市水利局"
    assert doc.project.implementing_unit == "某县水务站"
    f = doc.funding
    assert (f.annual, f.annual_appropriation, f.annual_other) == (
        Decimal("1205000.00"),
        Decimal("1000000.00"),
        Decimal("205000.00"),
    )
    assert f.total is None and doc.fields["funding.total"].status == "not_found"
    assert doc.goals.annual is not None and doc.goals.annual.startswith("完成 3 个村")
    assert [(i.level1, i.level2, i.name, i.target.text) for i in doc.indicators] == [
        ("产出指标", "数量指标", "改造供水管网长度", "≥12公里"),
        ("产出指标", "时效指标", "完工时间", "2023年10月底前"),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%"),
    ]
    assert doc.fields["project.name"].status == "read" and doc.fields["project.name"].line == 3
    assert doc.fields["year"].status == "read"
    assert not doc.warnings


SICHUAN_ROWS: list[list[Any]] = [
    [("四川省省级部门预算项目支出绩效目标表", 1, 7)] + [None] * 6,
    ["项目名称", ("51000021R000000019951-工资性支出", 1, 6)] + [None] * 5,
    ["主管部门", ("某厅", 1, 2), None, "实施单位", ("某中心", 1, 3), None, None],
    ["年度目标", ("保障在职人员工资按时足额发放。", 1, 6)] + [None] * 5,
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重"],
    [("产出指标", 3, 1), "数量指标", "保障人数", "≥", "500", "人", "30"],
    [None, "质量指标", "发放准确率", "=", "100", "%", "30"],
    [None, "时效指标", "发放及时性", "定性", "及时", "", "20"],
    ["满意度指标", "服务对象满意度指标", "职工满意度", "≥", "95", "%", "20"],
]


def test_sichuan_split_target_keeps_operator_and_unit() -> None:
    (doc,) = interpret([grid(SICHUAN_ROWS)])
    assert isinstance(doc, Declaration)
    assert doc.project.name == "51000021R000000019951-工资性支出"
    first = doc.indicators[0].target
    assert (first.text, first.kind, first.op, first.value, first.unit) == (
        "≥500人",  # as printed: the 指标性质 cell's own symbol
        "numeric",
        ">=",
        Decimal("500"),
        "人",
    )
    assert [i.target.text for i in doc.indicators] == ["≥500人", "=100%", "及时", "≥95%"]
    assert doc.indicators[2].target.kind == "qualitative"
    assert doc.year is None and any(w.code == "JX-W111" for w in doc.warnings)


def test_an_operator_a_font_turned_into_2_is_a_warning_not_a_guess() -> None:
    rows = [list(r) for r in SICHUAN_ROWS]
    rows[5] = [rows[5][0], "数量指标", "保障人数", "2", "500", "人", "30"]
    (doc,) = interpret([grid(rows)])
    assert doc.indicators[0].target.kind == "invalid"
    [warning] = [w for w in doc.warnings if w.code == "JX-W122"]
    assert warning.line == 6


@pytest.mark.parametrize(
    ("goal", "warned"),
    [
        # columns that came out one after the other: the table's headers inside the goal
        ("完成 3 个村的供水管网改造。一级指标产出指标三级指标指标值改造长度≥12公里", True),
        ("完成 3 个村的供水管网改造。年度资金总额120.5实施单位某县水务站", True),
        # one label is a word a goal may use; two are what ran into it
        ("完成 3 个村的供水管网改造，年度目标全部完成，受益人口不少于 5000 人。", False),
        ("完成 3 个村的供水管网改造，受益人口不少于 5000 人。", False),
    ],
)
def test_a_value_holding_other_labels_of_the_form_is_warned_not_trusted(goal: str, warned: bool) -> None:
    rows = [list(r) for r in MOF_ROWS]
    rows[7] = ["年度目标", (goal, 1, 5), None, None, None, None]
    (doc,) = interpret([grid(rows)])
    assert doc.goals.annual == goal  # the value as the cell holds it, never cut at a guess
    found = [w for w in doc.warnings if w.code == "JX-W115"]
    assert [(w.field, w.line) for w in found] == ([("goals.annual", 8)] if warned else [])


def test_values_are_bounded_by_their_cell_and_labels_never_become_values() -> None:
    rows: list[list[Any]] = [
        ["项目绩效目标表"],
        ["项目名称", "", "实施单位", "某单位"],
        ["主管部门", "项目负责人及电话", "张三 123"],
    ]
    (doc,) = interpret([grid(rows)])
    assert doc.project.name == "" and doc.fields["project.name"].status == "blank"
    assert doc.project.implementing_unit == "某单位"
    assert doc.project.competent_department is None
    assert doc.fields["project.competent_department"].status == "blank"


def test_glued_label_value_cells_and_lookalike_code_points() -> None:
    rows: list[list[Any]] = [
        ["2024年度项⽬⽀出绩效⾃评表"],
        ["项⽬名称：⻘少年体育培训  主管部门：某区体育局  实施单位：某区⻘少年业余体校"],
        ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", "10", "10", "9.5", "10", "95%", "9.5"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "培训人次", "≥500人次", "520人次", "50", "50"],
        ["总分", "100", "99.5"],
    ]
    (doc,) = interpret([grid(rows)])
    assert isinstance(doc, SelfEvaluation)
    assert doc.year == 2024
    assert doc.project.name == "青少年体育培训"
    assert doc.project.competent_department == "某区体育局"
    assert doc.project.implementing_unit == "某区青少年业余体校"
    assert (doc.budget.initial, doc.budget.executed) == (Decimal("100000.00"), Decimal("95000.00"))
    assert (doc.budget.execution_rate, doc.budget.score) == (Decimal("95"), Decimal("9.5"))
    [ind] = doc.indicators
    assert (ind.actual, ind.weight, ind.score) == ("520人次", Decimal("50"), Decimal("50"))
    assert doc.total_score == Decimal("99.5")


def test_glued_numbers_are_a_warning_with_the_cell() -> None:
    rows: list[list[Any]] = [
        ["项目支出绩效自评表"],
        ["项目名称", "甲"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "完成率", "100%", "100%", "202010", "10"],
    ]
    (doc,) = interpret([grid(rows)])
    assert isinstance(doc, SelfEvaluation)
    assert doc.indicators[0].weight == Decimal("202010")  # a plain number is read as printed
    rows[3][5] = "20 2010100.00%10"
    (doc,) = interpret([grid(rows)])
    assert isinstance(doc, SelfEvaluation)
    assert doc.indicators[0].weight is None
    assert any(w.code == "JX-W120" and w.line == 4 for w in doc.warnings)


@pytest.mark.parametrize(
    "title, kind",
    [
        ("财政项目支出绩效目标申报表", "declaration"),
        ("上海市财政支出项目绩效目标申报表", "declaration"),
        ("省级部门预算项目支出绩效目标表", "declaration"),
        ("市直部门预算项目支出绩效目标表", "declaration"),
        ("绩效目标申报表（基础设施建设类）", "declaration"),
        ("项目支出绩效目标申报明细表", "declaration"),
        ("某某市2023年项目支出绩效目标表|", "declaration"),
        ("首页 > 信息公开 > 财政预决算 项目支出绩效自评表（2023年度）", "self_evaluation"),
        ("公开14表 项目支出绩效自评表", "self_evaluation"),
        ("绩效目标自评表", "self_evaluation"),
        ("部门预算项目支出绩效自评表", "self_evaluation"),
    ],
)
def test_every_title_variant_starts_a_form(title: str, kind: str) -> None:
    docs = interpret([grid([[title], ["项目名称", "甲"]])])
    assert [(d.kind, d.project.name) for d in docs] == [(kind, "甲")]


def test_a_title_quoted_in_a_sentence_is_not_a_title() -> None:
    rows: list[list[Any]] = [
        ["项目支出绩效目标表"],
        ["项目名称", "甲"],
        ["年度目标", "按照《项目支出绩效目标表》填报，完成各项任务，确保资金使用效益。"],
    ]
    assert len(interpret([grid(rows)])) == 1


def test_mof_form_made_in_excel_reads(tmp_path: Any) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(MOF_ROWS, start=1):
        for c, item in enumerate(row, start=1):
            if item is None:
                continue
            text, rs, cs = item if isinstance(item, tuple) else (item, 1, 1)
            ws.cell(r, c, text)
            if rs > 1 or cs > 1:
                ws.merge_cells(start_row=r, start_column=c, end_row=r + rs - 1, end_column=c + cs - 1)
    buffer = io.BytesIO()
    wb.save(buffer)
    (doc,) = read_xlsx(buffer.getvalue(), "mof.xlsx")
    assert isinstance(doc, Declaration)
    assert (doc.year, doc.funding.annual, doc.goals.annual is not None) == (2023, Decimal("1205000.00"), True)
    assert len(doc.indicators) == 3
    assert doc.fields["funding.annual"].cell == "C5" and doc.fields["funding.annual"].sheet == ws.title


def test_a_legacy_xls_workbook_reads_with_its_merged_cells() -> None:
    """mof_target_libreoffice.xls: MOF_ROWS saved by openpyxl, then by LibreOffice as Excel 97–2003."""
    from pathlib import Path

    from jixiao.formats import read_path

    (doc,) = read_path(Path(__file__).parent / "fixtures" / "mof_target_libreoffice.xls")
    assert isinstance(doc, Declaration)
    assert (doc.year, doc.project.name, doc.funding.annual) == (
        2023,
        "农村饮水安全巩固提升工程",
        Decimal("1205000.00"),
    )
    assert [i.target.text for i in doc.indicators] == ["≥12公里", "2023年10月底前", "≥90%"]
    assert doc.fields["funding.annual"].cell == "C5" and not doc.warnings


def _funds_form(label: str, annual: str, appropriation: str) -> Grid:
    rows = [list(r) for r in MOF_ROWS]
    rows[4] = [(label, 3, 1), "年度资金总额", (annual, 1, 4), None, None, None]
    rows[5] = [None, "其中：财政拨款", (appropriation, 1, 4), None, None, None]
    rows[6] = [None, "其他资金", ("0", 1, 4), None, None, None]
    return grid(rows)


@pytest.mark.parametrize(
    ("label", "annual", "appropriation", "expected", "warned"),
    [
        # the unit printed: no doubt, whatever the size
        ("项目资金（万元）", "48", "48", Decimal("480000.00"), False),
        ("项目资金（元）", "48", "48", Decimal("48.00"), False),
        # no unit, a figure of a project's size in 元 (the official layouts print 元, like the seed)
        ("项目资金", "1,559,500", "1,559,500", Decimal("1559500.00"), False),
        # no unit and 48: read as 元 as the form says nothing else, but it looks like 48 万元 — warned
        ("项目资金", "48", "48", Decimal("48.00"), True),
        # the boundary: 9,999.99 元 is in doubt, 10,000 元 is not
        ("项目资金", "9999.99", "9999.99", Decimal("9999.99"), True),
        ("项目资金", "10000", "10000", Decimal("10000.00"), False),
        # a unit written in the value itself
        ("项目资金", "48万元", "48万元", Decimal("480000.00"), False),
    ],
)
def test_an_amount_without_a_printed_unit_is_read_as_yuan_and_warned_about_when_small(
    label: str, annual: str, appropriation: str, expected: Decimal, warned: bool
) -> None:
    (doc,) = interpret([_funds_form(label, annual, appropriation)], file="funds.xlsx")
    assert isinstance(doc, Declaration)
    assert doc.funding.annual == expected
    unit_warnings = [w for w in doc.warnings if w.code == "JX-W114"]
    assert len(unit_warnings) == (1 if warned else 0)  # once per form, not once per amount
    if warned:
        assert unit_warnings[0].field == "funding.annual" and annual in unit_warnings[0].message
