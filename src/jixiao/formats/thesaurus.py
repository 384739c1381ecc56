"""The label thesaurus: every title, label and column header the forms use, as data.

The interpreter (:mod:`jixiao.formats.interpret`) knows labels, not positions; this module is the
list of labels it knows, gathered from published forms (reference/form-layouts.md §1–3). Adding a
province's spelling is adding an entry here, not editing code. Keys are compared after
:func:`label_key`: look-alikes folded, whitespace and a trailing colon dropped, ``其中：`` and
numbering removed, and a trailing parenthesis (``（万元）``, ``（50分）``, ``（2024年—2026年）``)
split off, so one entry covers every spelling of a label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from jixiao.domain.text import fold

__all__ = [
    "BUDGET_COLUMNS",
    "BUDGET_ROWS",
    "DECLARATION_FIELDS",
    "DEPARTMENT_DECLARATION_FIELDS",
    "DEPARTMENT_PROJECT_COLUMNS",
    "DEPARTMENT_ROLLUP_ROWS",
    "DEPARTMENT_SECTION_LABELS",
    "DEPARTMENT_SELF_EVALUATION_FIELDS",
    "DEPARTMENT_TITLES",
    "INDICATOR_COLUMNS",
    "SECTION_LABELS",
    "SELF_EVALUATION_FIELDS",
    "TITLES",
    "Key",
    "all_labels",
    "label_key",
]

# Titles (form-layouts.md §1), each with the kind of document it starts. Matched inside a cell, so a
# region, year or unit before the title and ``（2023年度）`` after it do not matter.
TITLES: tuple[tuple[str, str], ...] = (
    ("财政项目支出绩效目标申报表", "declaration"),
    ("财政支出项目绩效目标申报表", "declaration"),
    ("项目支出绩效目标申报明细表", "declaration"),
    ("部门预算项目支出绩效目标表", "declaration"),
    ("部门预算项目绩效目标申报表", "declaration"),
    ("项目支出绩效目标申报表", "declaration"),
    ("项目支出绩效目标表", "declaration"),
    ("项目绩效目标申报表", "declaration"),
    ("项目绩效目标表", "declaration"),
    ("绩效目标申报表", "declaration"),
    ("财政项目支出绩效自评表", "self_evaluation"),
    ("部门预算项目支出绩效自评表", "self_evaluation"),
    ("项目支出绩效自评表", "self_evaluation"),
    ("绩效目标自评表", "self_evaluation"),
    ("项目支出绩效评价表", "self_evaluation"),
    ("绩效自评表", "self_evaluation"),
    ("项目支出绩效目标执行监控表", "monitoring"),
    ("绩效目标执行监控表", "monitoring"),
    ("绩效运行监控表", "monitoring"),
    ("绩效监控表", "monitoring"),
)

# Titles of a department's forms (部门整体支出绩效目标 / 自评, domain-rules.md §8): matched before the
# project titles, since 部门整体支出绩效目标申报表 ends in 绩效目标申报表.
DEPARTMENT_TITLES: tuple[tuple[str, str], ...] = (
    ("部门整体支出绩效目标申报表", "department_declaration"),
    ("部门整体支出绩效目标表", "department_declaration"),
    ("部门整体绩效目标申报表", "department_declaration"),
    ("部门整体绩效目标表", "department_declaration"),
    ("单位整体支出绩效目标申报表", "department_declaration"),
    ("部门整体支出绩效自评表", "department_self_evaluation"),
    ("部门整体绩效自评表", "department_self_evaluation"),
    ("单位整体支出绩效自评表", "department_self_evaluation"),
)

# Header labels → field (form-layouts.md §2). Fields starting with "_" are labels the interpreter
# must recognise so that they bound their neighbours' values (项目负责人 is never part of a
# name), but whose value the model does not keep. ``total_fiscal`` / ``other`` are resolved by the
# side of the funds block they stand on (whole-life total or this year's).
_PROJECT_FIELDS: dict[str, str] = {
    "项目名称": "name",
    "主管部门": "competent_department",
    "主管部门及代码": "competent_department",
    "主管单位": "competent_department",
    "一级预算单位": "competent_department",
    "实施单位": "implementing_unit",
    "项目单位": "implementing_unit",
    "申报单位名称": "implementing_unit",
    "申报单位": "implementing_unit",
    "单位名称": "implementing_unit",
    "预算单位": "implementing_unit",
    "部门": "implementing_unit",
    "项目负责人及电话": "_person",
    "项目负责人": "_person",
    "联系人及电话": "_person",
    "联系人": "_person",
    "联系电话": "_person",
    "项目类别": "category",
    "项目类型": "category",
    "项目性质": "nature",
    "项目属性": "nature",
    "项目来源": "_origin",
    "项目期": "_term",
    "计划开始日期": "start_date",
    "开始时间": "start_date",
    "计划完成日期": "end_date",
    "计划结束日期": "end_date",
    "结束时间": "end_date",
    "项目起止时间": "period",
    "起止时间": "period",
    "实施期限": "period",
    "项目编码": "_code",
    "项目代码": "_code",
}
_FUNDS_FIELDS: dict[str, str] = {
    "项目资金总额": "total",
    "项目总投资": "total",
    "项目总预算": "total",
    "中期资金总额": "total",
    "财政资金": "total_fiscal",
    "财政拨款": "total_fiscal",
    "年度资金总额": "annual",
    "年度资金申请总额": "annual",
    "预算申报数": "annual",
    "当年预算": "annual",
    "预算数": "annual",
    "当年财政拨款": "annual_appropriation",
    "本年财政拨款": "annual_appropriation",
    "上年结转资金": "annual_carryover",
    "上年结转": "annual_carryover",
    "其他资金": "other",
}
DECLARATION_FIELDS: dict[str, str] = {
    **_PROJECT_FIELDS,
    **_FUNDS_FIELDS,
    "项目总目标": "overall",
    "总体目标": "overall",
    "中期目标": "overall",
    "长期目标": "overall",
    "年度目标": "annual_goal",
    "年度总目标": "annual_goal",
    "年度总体目标": "annual_goal",
    "年度绩效目标": "annual_goal",
    "年初设定目标": "annual_goal",
    "预期目标": "annual_goal",
}
SELF_EVALUATION_FIELDS: dict[str, str] = {
    **_PROJECT_FIELDS,
    "项目总目标": "overall",
    "总体目标": "overall",
    "预期目标": "annual_goal",
    "年初设定目标": "annual_goal",
    "年度目标": "annual_goal",
    "实际完成情况": "outcome",
    "年度总体目标完成情况综述": "outcome",
    "全年实际完成情况": "outcome",
    "总分": "_total",
    "自评等级": "grade",
    "评价等级": "grade",
    "自评结论": "grade",
}
# A department form's header labels → field (the layouts of jixiao.formats.render.department).
_DEPARTMENT_FUNDS: dict[str, str] = {
    "年度预算总额": "total",
    "部门预算总额": "total",
    "预算总额": "total",
    "当年财政拨款": "appropriation",
    "财政拨款": "appropriation",
    "上年结转资金": "carryover",
    "上年结转": "carryover",
    "其他资金": "other",
    "基本支出": "basic",
    "项目支出": "project",
}
DEPARTMENT_DECLARATION_FIELDS: dict[str, str] = {
    "部门名称": "department",
    "单位名称": "department",
    "主管部门": "department",
    "部门职能": "duties",
    "部门职能概述": "duties",
    "主要职能": "duties",
    **_DEPARTMENT_FUNDS,
    "中长期目标": "overall",
    "总体目标": "overall",
    "年度总体目标": "annual",
    "年度目标": "annual",
    "年度绩效目标": "annual",
}
DEPARTMENT_SELF_EVALUATION_FIELDS: dict[str, str] = {
    "部门名称": "department",
    "单位名称": "department",
    "主管部门": "department",
    **_DEPARTMENT_FUNDS,
    "预期目标": "annual",
    "年度目标": "annual",
    "实际完成情况": "outcome",
    "年度总体目标完成情况": "outcome",
}
# The roll-up of a department's projects: the project table's columns and the score table's rows.
DEPARTMENT_PROJECT_COLUMNS: dict[str, str] = {
    "项目名称": "name",
    "实施单位": "unit",
    "全年预算数": "budget",
    "全年执行数": "executed",
    "执行率": "rate",
    "自评得分": "score",
    "自评等级": "grade",
    "达标指标数/指标数": "met",
}
DEPARTMENT_ROLLUP_ROWS: dict[str, str] = {
    "预算执行率": "execution",
    "项目自评优良率": "good",
    "指标完成率": "met",
    "汇总得分": "score",
}
DEPARTMENT_SECTION_LABELS: frozenset[str] = frozenset(
    {"部门预算", "部门整体绩效目标", "项目自评汇总", "汇总评分", "合计", "汇总项目", "计算方法", "比率"}
)

# Labels of blocks (often vertical, merged over rows); their unit (项目资金（万元）) applies to the
# amounts beside them.
SECTION_LABELS: frozenset[str] = frozenset(
    {
        "项目资金",
        "资金情况",
        "项目资金情况",
        "资金来源",
        "项目绩效目标",
        "绩效目标",
        "绩效指标",
        "年度绩效指标",
        "年度总体目标",
        "总体目标完成情况",
        "中期绩效目标",
        "年度指标",
        "中期指标",
    }
)

# The indicator table's column headers (form-layouts.md §3) → column key. ``target_op`` /
# ``target_value`` / ``target_unit`` are the split target (指标性质 | 指标值 | 度量单位).
INDICATOR_COLUMNS: dict[str, str] = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标目标值": "target",
    "目标值": "target",
    "绩效指标值": "target",
    "年度指标值": "target",
    "年度目标值": "target",
    "指标值": "target",
    "指标性质": "target_op",
    "度量单位": "target_unit",
    "计量单位": "target_unit",
    "权重": "weight",
    "分值": "weight",
    "指标分值": "weight",
    "实际完成值": "actual",
    "全年实际值": "actual",
    "全年实际完成值": "actual",
    "实际完成情况": "actual",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation_note",
    "未完成原因和改进措施": "deviation_note",
    "未完成原因分析及改进措施": "deviation_note",
    "偏差原因": "deviation_note",
    "备注": "_note",
    "指标方向性": "_direction",
}
# The budget block of a 自评表: column headers and row labels.
BUDGET_COLUMNS: dict[str, str] = {
    "年初预算数": "initial",
    "全年预算数": "adjusted",
    "调整后预算数": "adjusted",
    "全年执行数": "executed",
    "预算执行数": "executed",
    "分值": "weight",
    "执行率": "execution_rate",
    "得分": "score",
}
BUDGET_ROWS: dict[str, str] = {
    "年度资金总额": "total",
    "当年财政拨款": "appropriation",
    "本年财政拨款": "appropriation",
    "财政拨款": "appropriation",
    "上年结转资金": "carryover",
    "上年结转": "carryover",
    "其他资金": "other",
}


class Key(NamedTuple):
    """A cell's text as a label: the bare label, the unit its parenthesis names, its points."""

    label: str
    unit: str | None
    points: str | None


_PREFIX = re.compile(r"^(?:其中[:：]?|[一二三四五六七八九十]+[、.．]|\d+[、.．](?!\d)|[（(]\d+[）)])")
_TRAILING_PAREN = re.compile(r"[（(]([^（）()]{0,24})[）)]$")
_UNIT_IN = re.compile(r"^(?:单位[:：]?)?(万元|元)$")
_POINTS_IN = re.compile(r"^(\d+(?:\.\d+)?)分?$")
_LETTER_IN = re.compile(r"^[A-Za-z/]{1,3}$")  # 全年预算数(A), 执行率(B/A)


@lru_cache(maxsize=16384)
@lru_cache(maxsize=65536)
def label_key(text: str) -> Key:
    """Return ``text`` as a label :class:`Key` (see the module docstring for what is removed).

    >>> label_key("项目资金（万元）")
    Key(label='项目资金', unit='万元', points=None)
    >>> label_key("产出指标（50分）")
    Key(label='产出指标', unit=None, points='50')
    """
    s = "".join(fold(text).split()).rstrip(":：")
    s = _PREFIX.sub("", s)
    unit = points = None
    for _ in range(2):
        match = _TRAILING_PAREN.search(s)
        if not match:
            break
        inner = match.group(1)
        if m := _UNIT_IN.match(inner):
            unit = m.group(1)
        elif m := _POINTS_IN.match(inner):
            points = m.group(1)
        elif not (_LETTER_IN.match(inner) or "年" in inner or inner in ("盖章", "签章", "代码")):
            break
        s = s[: match.start()].rstrip(":：")
    if s.endswith(("（", "(")):
        s = s[:-1]
    return Key(s, unit, points)


@lru_cache(maxsize=1)
def all_labels() -> frozenset[str]:
    """Return every label the thesaurus knows: a cell with one of these texts is never a value."""
    return frozenset(
        set(DECLARATION_FIELDS)
        | set(SELF_EVALUATION_FIELDS)
        | SECTION_LABELS
        | set(INDICATOR_COLUMNS)
        | set(BUDGET_COLUMNS)
        | set(BUDGET_ROWS)
        | set(DEPARTMENT_DECLARATION_FIELDS)
        | set(DEPARTMENT_SELF_EVALUATION_FIELDS)
        | set(DEPARTMENT_PROJECT_COLUMNS)
        | set(DEPARTMENT_ROLLUP_ROWS)
        | DEPARTMENT_SECTION_LABELS
    )
