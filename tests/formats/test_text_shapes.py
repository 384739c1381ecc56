"""Extracted text in its other shapes: rows with ``|`` between cells, several forms per file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.domain.model import Declaration
from jixiao.formats.text import read_documents

PIPED = """某省2023年部门预算项目支出绩效目标表 |
项目名称 | 农村饮水安全巩固提升工程 | | |
主管部门 | 某市水利局 | 实施单位 | 某县水务站
项目资金（万元） | 年度资金总额 | 120.5 | |
 | 其中：财政拨款 | 100 | |
年度目标 | 完成 3 个村的供水管网改造 | | |
绩 | 一级指标 | 二级指标 | 三级指标 | 指标值
 | 产出指标 | 数量指标 | 改造供水管网长度 | ≥12公里
 | | 时效指标 | 完工时间 | 2023年10月底前
 | 满意度指标 | 服务对象满意度指标 | 受益群众满意度 | ≥90%
"""
EXPECTED = [
    ("产出指标", "数量指标", "改造供水管网长度", "≥12公里"),
    ("产出指标", "时效指标", "完工时间", "2023年10月底前"),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%"),
]


def _check(doc: Declaration) -> None:
    assert (doc.year, doc.project.name) == (2023, "农村饮水安全巩固提升工程")
    assert (doc.project.competent_department, doc.project.implementing_unit) == ("某市水利局", "某县水务站")
    assert (doc.funding.annual, doc.funding.annual_appropriation) == (
        Decimal("1205000.00"),
        Decimal("1000000.00"),
    )
    assert doc.goals.annual == "完成 3 个村的供水管网改造"
    assert [(i.level1, i.level2, i.name, i.target.text) for i in doc.indicators] == EXPECTED


@pytest.mark.parametrize("text", [PIPED, PIPED.replace("|", "｜")], ids=["ascii", "fullwidth"])
def test_rows_with_bars_between_cells(text: str) -> None:
    (doc,) = read_documents(text, "piped.txt")
    assert isinstance(doc, Declaration)
    _check(doc)
    assert not doc.warnings
    assert doc.fields["funding.annual"].line == 4


BORDERED = """项目支出绩效目标表（2023年度）
| 项目名称 | 农村饮水安全巩固提升工程 | | |
| 主管部门 | 某市水利局 | 实施单位 | 某县水务站 |
| 年度目标 | 完成 3 个村的供水管网改造 | | |
| 绩效指标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |
| | 产出指标 | 数量指标 | 改造供水管网长度 | ≥12公里 |
| | | 时效指标 | 完工时间 | 2023年10月底前 |
| | 满意度指标 | 服务对象满意度指标 | 受益群众满意度 | ≥90% |
"""


def test_a_table_drawn_with_outer_borders() -> None:
    (doc,) = read_documents(BORDERED)
    assert isinstance(doc, Declaration)
    assert [(i.level1, i.level2, i.name, i.target.text) for i in doc.indicators] == EXPECTED
    assert doc.project.implementing_unit == "某县水务站"


def test_several_piped_forms_in_one_file_each_with_its_own_fields() -> None:
    second = PIPED.replace("农村饮水安全巩固提升工程", "水库除险加固").replace("120.5", "80")
    docs = read_documents(PIPED + "\n" + second, "two.txt")
    assert [d.project.name for d in docs] == ["农村饮水安全巩固提升工程", "水库除险加固"]
    assert [d.source.form_index for d in docs] == [1, 2]
    assert isinstance(docs[1], Declaration) and docs[1].funding.annual == Decimal("800000.00")
    assert docs[1].source.line == PIPED.count("\n") + 2


def _glued(text: str, before: str = "") -> str:
    """All of a form's cells run together on one line, as some extractors give a web page's table."""
    return before + " ".join(line.strip() for line in text.splitlines() if line.strip())


def test_a_declaration_glued_on_one_line_after_site_boilerplate(seed_text: str) -> None:
    first = seed_text.split(" 财政项目支出绩效目标申报表")[0]
    (doc,) = read_documents(_glued(first, "首页 > 信息公开 > 预算公开 "), "glued.txt")
    assert isinstance(doc, Declaration)
    assert (doc.year, doc.project.name, doc.funding.total) == (
        2022,
        "城市管理精细化办公室经费",
        Decimal("1559500.00"),
    )
    assert [(i.level2, i.name, i.target.text) for i in doc.indicators][-1] == (
        "服务对象满意度指标",
        "群众满意度",
        ">=90%",
    )
    assert len(doc.indicators) == 9
    # the two goal texts have no boundary left, nor the two funds columns: said, not guessed
    assert doc.goals.annual is None
    assert sorted(w.code for w in doc.warnings) == ["JX-W121", "JX-W140"]
    assert {w.field for w in doc.warnings} == {"funding", "goals"}


def test_a_self_evaluation_glued_on_one_line_keeps_every_row() -> None:
    from pathlib import Path

    from jixiao.domain.model import SelfEvaluation

    text = (
        Path(__file__).parents[1] / "evaluation" / "fixtures" / "putuo_2022_self_evaluation.txt"
    ).read_text(encoding="utf-8")
    forms = text.split("财政项目支出绩效自评表")[1:]
    glued = " ".join(_glued("财政项目支出绩效自评表" + form) for form in forms)
    docs = read_documents(glued)
    assert len(docs) == 2 and all(isinstance(d, SelfEvaluation) for d in docs)
    first = docs[0]
    assert isinstance(first, SelfEvaluation)
    assert (first.budget.executed, first.budget.score, first.total_score) == (
        Decimal("215457.60"),
        Decimal("8.62"),
        Decimal("98.62"),
    )
    assert [(i.name, i.actual, i.weight, i.score) for i in first.indicators][:2] == [
        ("与委托运营方结算完成率", "100%", Decimal(10), Decimal(10)),
        ("合同结算条款完成率", "100%", Decimal(20), Decimal(20)),
    ]
    assert len(first.indicators) == 5
    assert "JX-W140" in [w.code for w in first.warnings]


PROVINCE = """省级部门预算项目支出绩效目标表
（2025年度）
项目名称 51000021R000000019951-工资性支出 项目负责人及电话 张三 13800000000
主管部门及代码 [066]某市农业农村局 实施单位 某县农技推广中心 项目属性 经常性项目
项目期 1年 项目起止时间 2025年1月-12月
资金情况（万元） 年度资金总额 35.6 其中：财政拨款 35.6
年度目标
保障在职人员工资按时足额发放。
一级指标 二级指标 三级指标 指标值
产出指标
数量指标 保障人数 ≥50人
"""


def test_other_provinces_labels_bound_every_value() -> None:
    (doc,) = read_documents(PROVINCE, "province.txt")
    assert isinstance(doc, Declaration)
    p = doc.project
    assert (p.name, p.competent_department, p.implementing_unit, p.nature) == (
        "51000021R000000019951-工资性支出",  # the person in charge is not part of the name
        "[066]某市农业农村局",
        "某县农技推广中心",
        "经常性项目",
    )
    assert (str(p.start_date), str(p.end_date)) == ("2025-01-01", "2025-12-31")
    assert (doc.funding.annual, doc.funding.annual_appropriation) == (
        Decimal("356000.00"),
        Decimal("356000.00"),
    )
    assert doc.goals.annual == "保障在职人员工资按时足额发放。"
    assert [i.target.text for i in doc.indicators] == ["≥50人"]


def test_a_value_that_ran_on_past_its_cell_is_a_warning() -> None:
    text = PROVINCE.replace("某县农技推广中心 项目属性 经常性项目", "某县农技推广中心 " + "说明文字很长" * 30)
    (doc,) = read_documents(text)
    assert isinstance(doc, Declaration)
    [w] = [w for w in doc.warnings if w.code == "JX-W113"]
    assert (w.field, w.line) == ("project.implementing_unit", 4)
