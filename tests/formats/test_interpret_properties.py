"""The interpreter on damaged grids: cells dropped, merged, shifted, split, look-alikes swapped in.

Whatever is done to a grid, the interpreter gives documents with jixiao warnings (or one jixiao
error), never a crash, and never a field filled from a neighbouring label.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from test_interpret import MOF_ROWS, SICHUAN_ROWS, grid

from jixiao.domain.errors import JixiaoError
from jixiao.domain.model import Declaration
from jixiao.formats.grid import Cell, Grid
from jixiao.formats.interpret import interpret
from jixiao.formats.text import text_grid
from jixiao.formats.thesaurus import all_labels, label_key

SELF_EVALUATION_ROWS: list[list[Any]] = [
    ["2024年度项目支出绩效自评表"],
    ["项目名称", "青少年体育培训", "主管部门", "某区体育局"],
    ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    ["年度资金总额", "10", "10", "9.5", "10", "95%", "9.5"],
    ["预期目标", "实际完成情况"],
    ["完成培训 500 人次", "完成培训 520 人次"],
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "数量指标", "培训人次", "≥500人次", "520人次", "50", "50"],
    ["总分", "100", "99.5"],
]
SEED_FIRST_FORM = """财政项目支出绩效目标申报表
（2022年度）
项目名称 城市管理精细化办公室经费 项目类别 经常性项目
主管部门 实施单位 上海市青浦区城市运行管理中心
计划开始日期 2022-01-01 计划完成日期 2022-12-31
项目资金总额 1,559,500 年度资金申请总额 1,559,500
其中：财政资金 1,559,500
项目总目标
年度总目标

本区城市管理水平全面提升。

通过加强精细化管理，形成美丽空间体系。

一级指标 二级指标 三级指标 指标目标值
产出指标
数量指标 示范性街区建设完成率 =100%
满意度指标 服务对象满意度指标 群众满意度 >=90%
"""
# Ideographs and the look-alikes a CJK font prints for them (Kangxi Radicals, Radicals Supplement).
LOOKALIKES = {"目": "⽬", "金": "⾦", "日": "⽇", "人": "⼈", "长": "⻓", "门": "⻔", "青": "⻘", "民": "⺠"}


def _bases() -> list[Grid]:
    return [grid(MOF_ROWS), grid(SICHUAN_ROWS), grid(SELF_EVALUATION_ROWS), text_grid(SEED_FIRST_FORM)]


def _mutate(base: Grid, how: str, picks: list[int]) -> Grid:
    cells = list(base.cells)
    for pick in picks:
        if not cells:
            break
        k = pick % len(cells)
        c = cells[k]
        if how == "drop":
            del cells[k]
        elif how == "shift":
            cells[k] = c._replace(col=c.col + 1 + pick % 2)
        elif how == "merge":
            # the cell swallows its right neighbour's position (and loses that neighbour)
            cells = [o for o in cells if not (o.row == c.row and o.col == c.col + c.col_span)]
            k = cells.index(c)
            cells[k] = c._replace(col_span=c.col_span + 1, row_span=c.row_span + pick % 2)
        elif how == "split" and len(c.text) >= 2:
            cut = 1 + pick % (len(c.text) - 1)
            cells[k] = c._replace(text=c.text[:cut])
            cells.insert(k + 1, Cell(c.row, c.col + c.col_span, c.text[cut:], origin=c.origin))
        elif how == "lookalike":
            cells[k] = c._replace(text=c.text.translate(str.maketrans(LOOKALIKES)))
        elif how == "blank":
            cells[k] = c._replace(text="")
    # positions must stay unique for a grid: a later cell at a taken position is dropped
    seen: set[tuple[int, int]] = set()
    unique = []
    for c in cells:
        if (c.row, c.col) not in seen:
            seen.add((c.row, c.col))
            unique.append(c)
    return Grid(unique, source=base.source, notes=list(base.notes))


LABELS = all_labels()
HEADER_PATHS = (
    "project.name",
    "project.competent_department",
    "project.implementing_unit",
    "project.category",
)


@settings(max_examples=300, deadline=None)
@given(
    base=st.integers(0, 3),
    how=st.sampled_from(["drop", "shift", "merge", "split", "lookalike", "blank"]),
    picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=8),
)
def test_damaged_grids_give_documents_with_warnings_never_a_crash(
    base: int, how: str, picks: list[int]
) -> None:
    damaged = _mutate(_bases()[base], how, picks)
    try:
        docs = interpret([damaged], file="damaged")
    except JixiaoError:
        return
    for doc in docs:
        for w in doc.warnings:
            assert w.code.startswith("JX-W") and w.message and w.message_en
        for path in HEADER_PATHS:
            value = getattr(doc.project, path.split(".", 1)[1])
            if value:
                # never a neighbouring label taken for a value
                assert label_key(value).label not in LABELS, (path, value)
        if isinstance(doc, Declaration):
            for ind in doc.indicators:
                assert label_key(ind.name).label not in LABELS or not ind.name


@settings(max_examples=100, deadline=None)
@given(picks=st.lists(st.integers(0, 10_000), min_size=1, max_size=8))
def test_lookalikes_read_the_same_as_the_ideographs(picks: list[int]) -> None:
    base = grid(MOF_ROWS)
    swapped = _mutate(base, "lookalike", picks)
    assert [_canon(d) for d in interpret([swapped])] == [_canon(d) for d in interpret([base])]


def _canon(doc: Any) -> Any:
    from jixiao.formats.json import to_dict

    out = to_dict(doc)
    out.pop("fields", None)
    out.pop("source", None)
    return out
