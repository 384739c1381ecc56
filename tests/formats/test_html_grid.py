"""HTML pages as cell grids: tables with rowspan/colspan inside navigation and footers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import FormatError, InputError, JixiaoError
from jixiao.formats import read_bytes, read_path, sniff_format
from jixiao.formats.grid import Grid
from jixiao.formats.html import html_grids, looks_like_html

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _cells(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    return [
        (c.row, c.col, c.row_span, c.col_span, c.text)
        for c in sorted(grid.cells, key=lambda c: (c.row, c.col))
    ]


CASES = [
    (
        "rowspan pushes the next row's cells right",
        "<table><tr><td rowspan=2>A</td><td>B</td></tr><tr><td>C</td></tr></table>",
        [(0, 0, 2, 1, "A"), (0, 1, 1, 1, "B"), (1, 1, 1, 1, "C")],
    ),
    (
        "colspan and rowspan together",
        "<table><tr><td colspan=2 rowspan=2>A</td><td>B</td></tr><tr><td>C</td></tr>"
        "<tr><td>D</td><td>E</td><td>F</td></tr></table>",
        [
            (0, 0, 2, 2, "A"),
            (0, 2, 1, 1, "B"),
            (1, 2, 1, 1, "C"),
            (2, 0, 1, 1, "D"),
            (2, 1, 1, 1, "E"),
            (2, 2, 1, 1, "F"),
        ],
    ),
    (
        "unclosed td and tr, as old government pages write them",
        "<table><tr><td>项目名称<td>城运平台<tr><td>主管部门<td>区城运中心</table>",
        [
            (0, 0, 1, 1, "项目名称"),
            (0, 1, 1, 1, "城运平台"),
            (1, 0, 1, 1, "主管部门"),
            (1, 1, 1, 1, "区城运中心"),
        ],
    ),
    (
        "text around the table becomes rows; script, style and hidden text do not",
        "<html><head><title>t</title><style>td{}</style></head><body><div>首页 | 政务公开</div>"
        "<p>财政项目支出绩效目标申报表</p><script>var x='项目名称';</script><p style='display:none'>隐藏</p>"
        "<table><tr><td>项目名称</td><td>A</td></tr></table><div class=footer>版权所有</div></body></html>",
        [
            (0, 0, 1, 1, "首页 | 政务公开"),
            (1, 0, 1, 1, "财政项目支出绩效目标申报表"),
            (2, 0, 1, 1, "项目名称"),
            (2, 1, 1, 1, "A"),
            (3, 0, 1, 1, "版权所有"),
        ],
    ),
    (
        "br and paragraphs inside a cell break its lines; other whitespace collapses",
        "<table><tr><td>社会效益<br>指标</td><td><p>第一段</p><p>第二段</p></td><td>  a \n  b  </td></tr></table>",
        [(0, 0, 1, 1, "社会效益\n指标"), (0, 1, 1, 1, "第一段\n第二段"), (0, 2, 1, 1, "a b")],
    ),
    (
        "a layout table is text flow, the data table inside it a table",
        "<table><tr><td>导航</td><td><p>单位：万元</p><table><tr><td>年度资金总额</td><td>358.60</td></tr></table>"
        "</td></tr></table>",
        [
            (0, 0, 1, 1, "导航"),
            (1, 0, 1, 1, "单位：万元"),
            (2, 0, 1, 1, "年度资金总额"),
            (2, 1, 1, 1, "358.60"),
        ],
    ),
    (
        "a rowspan beyond the table's end is clamped to it",
        "<table><tr><td rowspan=9999>A</td><td>B</td></tr></table>",
        [(0, 0, 1, 1, "A"), (0, 1, 1, 1, "B")],
    ),
    (
        "a colspan that runs into a rowspan stops there",
        "<table><tr><td>A</td><td rowspan=2>B</td></tr><tr><td colspan=3>C</td></tr></table>",
        [(0, 0, 1, 1, "A"), (0, 1, 2, 1, "B"), (1, 0, 1, 1, "C")],
    ),
    (
        "empty cells are kept and a caption is a row above the table",
        "<table><caption>单位：元</caption><tr><td>其他资金</td><td></td></tr></table>",
        [(0, 0, 1, 1, "单位：元"), (1, 0, 1, 1, "其他资金"), (1, 1, 1, 1, "")],
    ),
    (
        "entities decode",
        "<table><tr><td>&ge;90&#37;</td><td>A&nbsp;B</td></tr></table>",
        [(0, 0, 1, 1, "≥90%"), (0, 1, 1, 1, "A B")],
    ),
]


@pytest.mark.parametrize(("why", "markup", "cells"), CASES, ids=[c[0] for c in CASES])
def test_html_grid(why: str, markup: str, cells: list[tuple[int, int, int, int, str]]) -> None:
    [grid] = html_grids(markup.encode(), "page.html")
    assert grid.source == "html"
    assert _cells(grid) == cells


def test_origins_give_the_source_line_and_the_cell() -> None:
    [grid] = html_grids(b"<p>title</p>\n<table>\n<tr><td>a</td>\n<td>b</td></tr></table>")
    b = grid.at(1, 1)
    assert b is not None and b.origin.line == 4 and b.origin.cell == "T1R1C2"


def test_a_gbk_page_decodes_by_its_meta_charset() -> None:
    page = '<html><head><meta charset="gb2312"></head><body><table><tr><td>项目名称</td></tr></table></body></html>'
    [grid] = html_grids(page.encode("gb18030"))
    assert [c.text for c in grid.cells] == ["项目名称"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"<!DOCTYPE html><html>", True),
        (b"\xef\xbb\xbf  <html lang=zh>", True),
        (b"<!-- saved from url --><html>", True),
        (b"<table><tr><td>a</td></tr></table>", True),
        ("财政项目支出绩效目标申报表\n项目名称 <b>".encode(), False),
        (b'[{"kind": "declaration"}]', False),
    ],
)
def test_html_is_recognised_by_content(data: bytes, expected: bool) -> None:
    assert looks_like_html(data) is expected


def test_a_page_without_text_is_our_error() -> None:
    with pytest.raises(FormatError) as info:
        html_grids(b"<html><body><script>x()</script></body></html>", "empty.html")
    assert info.value.code == "JX-E480"


def test_bytes_that_are_no_text_are_our_error() -> None:
    with pytest.raises(InputError):
        html_grids(b"<html>\xff\xfe\x80\x81\xff", "bad.html")


def test_a_government_page_reads_through_the_interpreter() -> None:
    path = CORPUS / "shanghai-declaration" / "page.html"
    assert sniff_format(path.read_bytes(), None).name == "html"
    docs = read_path(path)
    assert [d.project.name for d in docs] == ["城市道路机械化保洁作业经费", "公共厕所运行维护费"]


_TAGS = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "</tr>",
        "<td>",
        "</td>",
        "<th colspan=2>",
        "<td rowspan=3>",
        "<td colspan=0>",
        "<td rowspan=x>",
        "<p>",
        "<br>",
        "<div>",
        "</div>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<",
        ">",
        "&",
        "&#99999999;",
        "项目名称",
        "年度资金总额",
        "358.60",
        " ",
        "\n",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TAGS, max_size=60))
def test_any_markup_is_a_grid_without_overlaps_or_our_error(parts: list[str]) -> None:
    try:
        [grid] = html_grids("".join(parts).encode(), "fuzz.html")
    except JixiaoError:
        return
    covered: set[tuple[int, int]] = set()
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                assert (r, c) not in covered
                covered.add((r, c))


@settings(max_examples=100, deadline=None)
@given(st.lists(_TAGS, max_size=60))
def test_any_page_reads_or_raises_our_error(parts: list[str]) -> None:
    try:
        read_bytes(("<html>" + "".join(parts)).encode(), "fuzz.html")
    except JixiaoError:
        pass
