"""Reading the seed: seven real 2022 申报表 as extracted from the published PDF."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import InputError, JixiaoError
from jixiao.domain.model import Declaration
from jixiao.formats import read_bytes, read_path
from jixiao.formats.text import read_forms

UNIT = "上海市青浦区城市运行管理中心"

# name, 项目资金总额 (= 财政资金 = 年度资金申请总额), indicator count, first line of the form
FORMS = [
    ("城市管理精细化办公室经费", "1559500.00", 9, 2),
    ("城运案件托底处置费", "480000.00", 8, 92),
    ("城运平台相关系统维护费", "884600.00", 9, 164),
    ("城运业务宣传费", "600000.00", 6, 242),
    ("区城运中心城运督查服务", "3206800.00", 9, 312),
    ("区城运中心城运平台等辅助服务", "3350600.00", 10, 391),
    ("热线工单回访测评费", "480000.00", 7, 483),
]

# Every indicator of the seed, read by a person from the file: (form, level2, name, target text, kind).
INDICATORS = [
    (1, "数量指标", "示范性“美丽街区”建设完成率", "=100%", "numeric"),
    (1, "数量指标", "示范性“美丽家园”建设完成率", "=100%", "numeric"),
    (1, "数量指标", "示范性“美丽乡村”建设完成率", "=100%", "numeric"),
    (1, "质量指标", "建设验收通过率", "=100%", "numeric"),
    (1, "时效指标", "建设完成及时性", "年底完成", "deadline"),
    (1, "社会效益指标", "城市精细化推进程度", "提升", "qualitative"),
    (1, "社会效益指标", "“绿色青浦”美丽空间体系", "形成", "qualitative"),
    (1, "可持续影响指标", "长效管理机制健全性", "建立健全", "qualitative"),
    (1, "服务对象满意度指标", "群众满意度", ">=90%", "numeric"),
    (2, "数量指标", "案件处置类别", ">40", "numeric"),
    (2, "数量指标", "处置案件完成率", "=100%", "numeric"),
    (2, "质量指标", "案件处置通过率", ">=98%", "numeric"),
    (2, "时效指标", "一般案件处置及时性", "7天内完成", "deadline"),
    (2, "社会效益指标", "降低案件投诉率", "降低", "qualitative"),
    (2, "社会效益指标", "推动社会稳定性", "提升", "qualitative"),
    (2, "可持续影响指标", "长效管理机制健全性", "建立健全", "qualitative"),
    (2, "服务对象满意度指标", "群众满意度", ">=90%", "numeric"),
    (3, "数量指标", "信息系统维护数量", "2个", "numeric"),
    (3, "数量指标", "硬件维护数量", "1个", "numeric"),
    (3, "质量指标", "系统硬件正常运行率", "=100%", "numeric"),
    (3, "质量指标", "数据完整实时性", "提升", "qualitative"),
    (3, "时效指标", "系统升级及维护完成及时性", "及时", "qualitative"),
    (3, "社会效益指标", "推进案件处置时效", "提升", "qualitative"),
    (3, "社会效益指标", "信息化水平", "提高", "qualitative"),
    (3, "可持续影响指标", "长效管理机制健全性", "建立健全", "qualitative"),
    (3, "服务对象满意度指标", "信息员操作满意度", ">=95%", "numeric"),
    (4, "数量指标", "宣传品制作完成率", "=100%", "numeric"),
    (4, "质量指标", "产品验收合格率", "=100%", "numeric"),
    (4, "时效指标", "宣传品发放及时性", "及时", "qualitative"),
    (4, "社会效益指标", "“一网统管”热线工作知晓度", "提升", "qualitative"),
    (4, "可持续影响指标", "长效管理机制健全性", "建立健全", "qualitative"),
    (4, "服务对象满意度指标", "群众满意度", ">=90%", "numeric"),
    (5, "数量指标", "第三方人员到位率", "=100%", "numeric"),
    (5, "质量指标", "案件先行发现率", "显著提升", "qualitative"),
    (5, "质量指标", "网格巡查区域", "全覆盖", "qualitative"),
    (5, "时效指标", "案件发现及时性", "及时", "qualitative"),
    (5, "时效指标", "人员到位及时性", "及时", "qualitative"),
    (5, "社会效益指标", "城运管理水平", "显著提升", "qualitative"),
    (5, "社会效益指标", "街面巡查力度", "加大", "qualitative"),
    (5, "可持续影响指标", "长效管理机制健全性", "建立健全", "qualitative"),
    (5, "服务对象满意度指标", "市民满意度", ">=90%", "numeric"),
    (6, "数量指标", "派单完成率", "=100%", "numeric"),
    (6, "数量指标", "信息员数量", "35人", "numeric"),
    (6, "质量指标", "平台信息员案件派单准确率", "=100%", "numeric"),
    (6, "时效指标", "热线平台信息员热线工单派单及时率", "当天派单", "deadline"),
    (6, "社会效益指标", "热线工单按时办结率", ">=95%", "numeric"),
    (6, "社会效益指标", "助推区级专项工作", "有效落实", "qualitative"),
    (6, "社会效益指标", "城市管理水平", "不断提升", "qualitative"),
    (6, "社会效益指标", "工单处置时效", "提高", "qualitative"),
    (6, "可持续影响指标", "长效管理机制健全性", "建立健全", "qualitative"),
    (6, "服务对象满意度指标", "市民满意度", ">=70%", "numeric"),
    (7, "数量指标", "工单回访完成率", "=100%", "numeric"),
    (7, "质量指标", "工单办结率", "=100%", "numeric"),
    (7, "时效指标", "工单回访及时性", "当天回访", "deadline"),
    (7, "社会效益指标", "工单处置能力和服务水平", "提升", "qualitative"),
    (7, "社会效益指标", "热线办理工作质量和效率", "提升", "qualitative"),
    (7, "可持续影响指标", "长效管理机制健全性", "建立健全", "qualitative"),
    (7, "服务对象满意度指标", "市民满意率", ">=90%", "numeric"),
]
LEVEL1 = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "社会效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}


@pytest.fixture(scope="module")
def seed(seed_file: Path) -> list[Declaration]:
    docs = read_path(seed_file)
    assert all(isinstance(d, Declaration) for d in docs)
    return docs  # type: ignore[return-value]


def test_the_seed_holds_seven_forms_and_58_indicators(seed: list[Declaration]) -> None:
    assert len(seed) == 7
    assert sum(len(d.indicators) for d in seed) == 58 == len(INDICATORS)
    assert all(not d.warnings for d in seed)


@pytest.mark.parametrize(("index", "form"), list(enumerate(FORMS, start=1)))
def test_each_form_header_and_funding(
    seed: list[Declaration], seed_file: Path, index: int, form: tuple[str, str, int, int]
) -> None:
    name, total, count, line = form
    doc = seed[index - 1]
    assert doc.year == 2022
    assert doc.project.name == name
    assert doc.project.category == "经常性项目"
    assert doc.project.nature is None
    assert doc.project.competent_department is None
    assert doc.project.implementing_unit == UNIT
    assert (doc.project.start_date, doc.project.end_date) == (date(2022, 1, 1), date(2022, 12, 31))
    f = doc.funding
    assert f.total == f.total_fiscal == f.annual == Decimal(total)
    assert (f.total_other, f.annual_appropriation, f.annual_carryover, f.annual_other) == (
        None,
        None,
        None,
        None,
    )
    assert len(doc.indicators) == count
    assert (doc.source.form_index, doc.source.line) == (index, line)
    # The file read (shared/seeds beside the checkout, or the packaged copy of the same seed).
    assert doc.source.file == str(seed_file)


@pytest.mark.parametrize("row", INDICATORS, ids=lambda r: f"{r[0]}-{r[2]}")
def test_every_indicator_is_read_whole(seed: list[Declaration], row: tuple[int, str, str, str, str]) -> None:
    form, level2, name, text, kind = row
    matches = [i for i in seed[form - 1].indicators if i.name == name and i.level2 == level2]
    assert len(matches) == 1
    indicator = matches[0]
    assert indicator.level1 == LEVEL1[level2]
    assert (indicator.target.text, indicator.target.kind) == (text, kind)


def test_indicators_keep_the_form_order(seed: list[Declaration]) -> None:
    read = [(n, i.level2, i.name) for n, d in enumerate(seed, start=1) for i in d.indicators]
    assert read == [(f, l2, name) for f, l2, name, _, _ in INDICATORS]


def test_goals_are_joined_without_inventing_spaces(seed: list[Declaration]) -> None:
    first = seed[0].goals
    assert first.overall == (
        "本区在城市设施、环境、交通、应急（安全）等方面的常态长效管理水平全面提升，市民对城市管理的"
        "满意度明显提升，城市更加有序安全干净，生活更加方便舒心美好。"
    )
    assert first.annual is not None
    assert first.annual.startswith("通过加强精细化管理，结合我区推进乡村振兴战略、创全等 工作")
    assert (
        "全区累计建成至少 100 个示范性“美丽街区”、100 个示范性“美丽家园”、50 个示范性“美丽乡村”"
        in first.annual
    )
    assert first.annual.endswith("天蓝地绿水清的城市环境。")
    # form 5 repeats its overall goal as the annual goal, word for word
    assert seed[4].goals.overall == seed[4].goals.annual
    assert seed[5].goals.annual is not None and seed[5].goals.annual.endswith(
        "②推动我区城市管理精细化水平的提升。"
    )


def test_form_6_name_wraps_over_two_lines(seed: list[Declaration]) -> None:
    assert seed[5].project.name == "区城运中心城运平台等辅助服务"


def _variant(text: str, **replace: str) -> str:
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def test_gbk_crlf_and_fullwidth_input_reads_the_same(seed_text: str, seed: list[Declaration]) -> None:
    variant = seed_text.replace(">=", "≥").replace("=100%", "＝100％").replace("\n", "\r\n")
    docs = read_bytes(variant.encode("gb18030"), "seed-gbk.txt")
    assert [d.project.name for d in docs] == [d.project.name for d in seed]
    assert [(i.name, i.target.op, i.target.value) for d in docs for i in d.indicators] == [
        (i.name, i.target.op, i.target.value) for d in seed for i in d.indicators
    ]


def test_a_utf8_bom_is_ignored(seed_text: str) -> None:
    assert len(read_bytes(b"\xef\xbb\xbf" + seed_text.encode())) == 7


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"hello world\n", "JX-E105"),
        (b"", "JX-E105"),
        ("一级指标 二级指标".encode(), "JX-E105"),
        (bytes([0xFF, 0xFE, 0x00, 0x81]) * 10, "JX-E103"),
    ],
)
def test_not_a_form_is_an_error(data: bytes, code: str) -> None:
    with pytest.raises(InputError) as caught:
        read_bytes(data, "x.txt")
    assert caught.value.code == code
    assert caught.value.where.file == "x.txt"


def test_a_missing_amount_and_a_missing_table_are_warnings_with_lines(seed_text: str) -> None:
    first_form = seed_text.split(" 财政项目支出绩效目标申报表")[0]
    broken = first_form.replace("项目资金总额 1,559,500", "项目资金总额 一百万").split("一级指标 二级指标")[0]
    [doc] = read_forms(broken)
    codes = {(w.code, w.field, w.line) for w in doc.warnings}
    assert ("JX-W103", "funding.total", 17) in codes
    assert any(code == "JX-W108" for code, _, _ in codes)
    assert doc.funding.annual == Decimal("1559500.00")  # the rest still reads
    assert doc.project.name == "城市管理精细化办公室经费"


def test_an_indicator_without_target_is_a_warning(seed_text: str) -> None:
    text = seed_text.split(" 财政项目支出绩效目标申报表")[0].replace("\n群众满意度 >=90%", "\n群众满意度")
    text = text.replace(
        "满意度指标 服务对象满意度指标 群众满意度 >=90%", "满意度指标 服务对象满意度指标 群众满意度"
    )
    [doc] = read_forms(text)
    assert len(doc.indicators) == 8
    [warning] = [w for w in doc.warnings if w.code == "JX-W105"]
    assert "群众满意度" in warning.message and warning.line == 91


# --- robustness: mutated input gives declarations or one of our errors, never a crash -----------------

MUTATIONS = ["drop", "duplicate", "shuffle", "truncate", "lookalike", "swap_chars"]
LOOKALIKE = str.maketrans({">": "＞", "=": "═", "%": "％", "1": "１", ",": "，", "：": ":", "-": "－"})


def _mutate(text: str, how: str, rng: random.Random) -> str:
    lines = text.split("\n")
    if how == "drop":
        for _ in range(rng.randint(1, 20)):
            lines.pop(rng.randrange(len(lines)))
    elif how == "duplicate":
        for _ in range(rng.randint(1, 20)):
            k = rng.randrange(len(lines))
            lines.insert(k, lines[k])
    elif how == "shuffle":
        k = rng.randrange(len(lines) - 20)
        chunk = lines[k : k + 20]
        rng.shuffle(chunk)
        lines[k : k + 20] = chunk
    elif how == "truncate":
        return text[: rng.randrange(len(text))]
    elif how == "lookalike":
        return text.translate(LOOKALIKE)
    else:
        chars = list(text)
        for _ in range(rng.randint(1, 50)):
            chars[rng.randrange(len(chars))] = rng.choice("项目名称指标>=%0\n 一级二级")
        return "".join(chars)
    return "\n".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=st.sampled_from(MUTATIONS), seed_number=st.integers(0, 2**32 - 1))
def test_mutated_seed_reads_or_raises_our_error(seed_text: str, how: str, seed_number: int) -> None:
    mutated = _mutate(seed_text, how, random.Random(seed_number))
    try:
        docs = read_forms(mutated)
    except JixiaoError:
        return
    for doc in docs:
        assert isinstance(doc, Declaration)
        for w in doc.warnings:
            assert w.code.startswith("JX-W") and w.message and w.message_en


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_read_or_raise_our_error(data: bytes) -> None:
    try:
        read_bytes(data, "random.bin")
    except JixiaoError:
        pass


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "财政项目支出绩效目标申报表",
                "（2022年度）",
                "项目名称 甲 项目类别 乙",
                "项目资金总额 1,000",
                "其他资金 其他资金",
                "项目总目标",
                "年度总目标",
                "一级指标 二级指标 三级指标 指标目标值",
                "产出指标",
                "数量指标",
                "甲 =100%",
                "提升",
                "成率",
                "",
                "项",
                "目",
                ">=",
                "满意度指标 服务对象满意度指标 群众满意度 >=90%",
            ]
        ),
        max_size=40,
    )
)
def test_random_form_fragments_read_or_raise_our_error(lines: list[str]) -> None:
    try:
        read_forms("\n".join(lines))
    except JixiaoError:
        pass


def test_declarations_and_self_evaluations_in_one_text_read_in_file_order(seed_text: str) -> None:
    fixture = Path(__file__).parents[1] / "evaluation" / "fixtures" / "putuo_2022_self_evaluation.txt"
    self_evaluation = fixture.read_text(encoding="utf-8")
    first_form = seed_text.split(" 财政项目支出绩效目标申报表")[0]
    mixed = first_form + "\n" + self_evaluation
    docs = read_bytes(mixed.encode(), "mixed.txt")
    kinds = [d.kind for d in docs]
    assert kinds[0] == "declaration" and set(kinds[1:]) == {"self_evaluation"}
    assert docs[0].project.name == "城市管理精细化办公室经费" and len(docs[0].indicators) == 9
    offset = first_form.count("\n") + 1
    alone = read_bytes(self_evaluation.encode(), "alone.txt")
    assert [d.source.line for d in docs[1:]] == [(d.source.line or 0) + offset for d in alone]
    assert [d.project.name for d in docs[1:]] == [d.project.name for d in alone]
