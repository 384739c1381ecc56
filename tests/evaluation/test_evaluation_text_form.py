"""The Shanghai 自评表 as extracted text (domain-rules.md §5.6), modelled on the real form S7."""

from __future__ import annotations

from decimal import Decimal

import pytest
from eval_helpers import FIXTURES, PUTUO
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import InputError, JixiaoError
from jixiao.evaluation.report import score_report
from jixiao.formats import read_path
from jixiao.formats.json import to_dict
from jixiao.formats.text_self_evaluation import looks_like_self_evaluation_text, read_self_evaluation_text

D = Decimal
TEXT = (FIXTURES / "putuo_2022_self_evaluation.txt").read_text(encoding="utf-8")


def test_two_forms_on_one_page_are_read_in_order() -> None:
    forms = read_self_evaluation_text(TEXT, "putuo.txt")
    assert [f.project.name for f in forms] == ["体育中心与委托运营方结算费用", "援滇对口支援及结对帮扶经费"]
    assert [f.source.form_index for f in forms] == [1, 2]
    assert all(f.year == 2022 and not f.warnings for f in forms)


def test_the_text_form_reads_the_same_as_the_canonical_json_of_5_7() -> None:
    [from_text, _] = read_self_evaluation_text(TEXT)
    [from_json] = read_path(PUTUO)
    a, b = to_dict(from_text), to_dict(from_json)
    for key in ("year", "indicators", "total_score"):
        assert a[key] == b[key], key
    assert a["budget"] == b["budget"]
    assert a["project"]["implementing_unit"] == "上海市普陀区体育事业管理中心"  # wrapped over two lines
    assert from_text.goals.annual is not None and "，" in from_text.goals.annual  # text kept as printed
    assert from_text.outcome == "已按合同约定与委托运营方完成费用结算，场馆全年正常开放。"


def test_scoring_the_text_form_reproduces_5_7_and_flags_the_rate() -> None:
    first, second = read_self_evaluation_text(TEXT)
    report = score_report(first, "shanghai")
    assert report["computed"]["total_score"] == "98.62" and report["computed"]["grade"] == "优"
    assert [(d["field"], d["printed"], d["computed"]) for d in report["discrepancies"]] == [
        ("execution_rate", "86.19", "86.18")
    ]
    # 9,034 / 20,000 → 4.52; 20 + 15 + 11 (部分达成 in [9, 12)) + 28 (达成 in [24, 30]) + 10 = 84;
    # 4.52 + 84 = 88.52 → 良, as printed.
    report = score_report(second, "shanghai")
    assert (report["computed"]["budget_score"], report["computed"]["total_score"]) == ("4.52", "88.52")
    assert report["computed"]["grade"] == "良" and report["discrepancies"] == []


def test_a_wrapped_deviation_note_and_a_wrapped_level2_name() -> None:
    _, second = read_self_evaluation_text(TEXT)
    row = second.indicators[2]
    assert (row.name, row.target.text, row.actual, row.weight, row.score) == (
        "资金拨付及时性",
        "及时",
        "基本完成",
        D(15),
        D(11),
    )
    assert row.deviation_note == "受疫情影响，部分资金拨付延后至次年，今后提前与受援方对接拨付计划。"
    assert second.indicators[3].name == "受援地群众受益情况"  # the note did not swallow the next row
    assert (second.indicators[4].level2, second.indicators[4].name) == ("服务对象满意度指标", "受援方满意度")


def test_a_form_with_missing_parts_reads_with_warnings() -> None:
    text = "财政项目支出绩效自评表\n项目名称 X\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n产出指标\n数量 A =1个 1个 90 90\n孤立文字\n"
    [form] = read_self_evaluation_text(text)
    codes = [w.code for w in form.warnings]
    assert "JX-W111" in codes  # no year
    assert "JX-W603" in codes  # no 年度资金总额 row
    assert "JX-W611" in codes  # no total
    assert "JX-W610" in codes  # "孤立文字" is not a row
    assert [(i.level2, i.name, i.actual) for i in form.indicators] == [("数量指标", "A", "1个")]


def test_a_text_without_a_self_evaluation_title_is_an_input_error() -> None:
    seed_like = "财政项目支出绩效目标申报表\n（2022年度）\n项目名称 X\n"
    assert not looks_like_self_evaluation_text(seed_like)
    assert looks_like_self_evaluation_text(TEXT)
    with pytest.raises(InputError) as caught:
        read_self_evaluation_text(seed_like, "a.txt")
    assert caught.value.code == "JX-E105" and caught.value.where.file == "a.txt"


PIECES = [
    "财政项目支出绩效自评表",
    "（2022年度）",
    "项目名称",
    "年度资金总额",
    "250,000.00",
    "—",
    "86.19%",
    "10",
    "8.62",
    "一级指标 二级指标 三级指标",
    "产出指标",
    "数量指标",
    "服务对象满意度",
    "指标",
    "=100%",
    "100%",
    "及时",
    "总分",
    "100",
    "98.62",
    "\n",
    "\n\n",
    " ",
    "主管部门",
    "实施单位",
    "预期目标 实际完成情况",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40))
def test_any_text_reads_or_fails_with_our_error(parts: list[str]) -> None:
    text = "财政项目支出绩效自评表\n" + " ".join(parts)
    try:
        forms = read_self_evaluation_text(text)
    except JixiaoError:
        return
    for form in forms:
        try:
            score_report(form)
        except JixiaoError:
            pass
