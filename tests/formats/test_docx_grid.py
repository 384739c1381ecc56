"""Word .docx tables as cell grids: Word's merges (gridSpan, vMerge, gridBefore) become spans."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document as WordDocument
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import FormatError, JixiaoError
from jixiao.formats import read_bytes, read_path, sniff_format
from jixiao.formats.docx import docx_grids
from jixiao.formats.grid import Grid

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _docx(build: object) -> bytes:
    doc = WordDocument()
    build(doc)  # type: ignore[operator]
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cells(grid: Grid) -> list[tuple[int, int, int, int, str]]:
    return [
        (c.row, c.col, c.row_span, c.col_span, c.text)
        for c in sorted(grid.cells, key=lambda c: (c.row, c.col))
    ]


def _form(doc: object) -> None:
    doc.add_paragraph("项目支出绩效目标表")  # type: ignore[attr-defined]
    doc.add_paragraph("")  # type: ignore[attr-defined]
    doc.add_paragraph("单位：万元")  # type: ignore[attr-defined]
    t = doc.add_table(rows=4, cols=4)  # type: ignore[attr-defined]
    t.cell(0, 0).text = "项目名称"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "农村公路养护"
    a = t.cell(1, 0).merge(t.cell(3, 0))
    a.text = "项目资金"
    t.cell(1, 1).text = "年度资金总额"
    t.cell(1, 2).merge(t.cell(2, 3)).text = "358.60"
    t.cell(3, 1).text = "其他资金"
    cell = t.cell(3, 2)
    cell.text = "社会效益"
    cell.add_paragraph("指标")


def test_paragraphs_become_rows_and_merges_become_spans() -> None:
    [grid] = docx_grids(_docx(_form), "form.docx")
    assert grid.source == "docx" and grid.file == "form.docx"
    assert _cells(grid) == [
        (0, 0, 1, 1, "项目支出绩效目标表"),
        (1, 0, 1, 1, "单位：万元"),  # the empty paragraph is no row
        (2, 0, 1, 1, "项目名称"),
        (2, 1, 1, 3, "农村公路养护"),
        (3, 0, 3, 1, "项目资金"),
        (3, 1, 1, 1, "年度资金总额"),
        (3, 2, 2, 2, "358.60"),
        (4, 1, 1, 1, ""),  # an empty cell is kept: a blank value, not a missing one
        (5, 1, 1, 1, "其他资金"),
        (5, 2, 1, 1, "社会效益\n指标"),  # one line per paragraph
        (5, 3, 1, 1, ""),
    ]
    assert grid.at(3, 2) is not None and grid.covering(4, 3) is grid.at(3, 2)


def test_origins_name_the_table_row_and_cell_or_the_paragraph() -> None:
    [grid] = docx_grids(_docx(_form))
    assert grid.at(0, 0) is not None and grid.at(0, 0).origin.line == 1  # type: ignore[union-attr]
    value = grid.at(3, 2)
    assert value is not None and value.origin.cell == "T1R2C3"


def test_grid_before_shifts_a_row() -> None:
    def build(doc: object) -> None:
        t = doc.add_table(rows=1, cols=3)  # type: ignore[attr-defined]
        t.cell(0, 0).text = "A"
        tr = t.rows[0]._tr
        trPr = tr.get_or_add_trPr()
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        trPr.append(parse_xml(f'<w:gridBefore {nsdecls("w")} w:val="2"/>'))
        for tc in tr.tc_lst[1:]:
            tr.remove(tc)

    [grid] = docx_grids(_docx(build))
    assert _cells(grid) == [(0, 2, 1, 1, "A")]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"PK\x03\x04 not really a zip", "JX-E470"),
        (b"", "JX-E470"),
    ],
)
def test_damaged_files_are_our_errors(data: bytes, code: str) -> None:
    with pytest.raises(FormatError) as info:
        docx_grids(data, "bad.docx")
    assert info.value.code == code


def test_a_zip_that_is_not_a_word_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(FormatError) as info:
        docx_grids(out.getvalue(), "x.docx")
    assert info.value.code == "JX-E471"


def test_a_zip_bomb_is_refused_before_unpacking() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a/>" + b" " * (5 * 1024 * 1024))
    with pytest.raises(FormatError) as info:
        docx_grids(out.getvalue(), "bomb.docx")
    assert info.value.code == "JX-E473"


def test_docx_is_told_from_xlsx_by_content() -> None:
    data = _docx(_form)
    assert sniff_format(data, "no-extension").name == "docx"
    xlsx = (CORPUS / "mof-target" / "openpyxl.xlsx").read_bytes()
    assert sniff_format(xlsx, "form.docx").name == "xlsx"


def test_a_word_form_reads_through_the_interpreter() -> None:
    docs = read_path(CORPUS / "mof-self-evaluation" / "python-docx.docx")
    assert [d.project.name for d in docs] == ["农村公路养护工程补助资金", "普通国省道安全生命防护工程"]
    assert docs[0].source.file is not None and docs[0].source.file.endswith("python-docx.docx")


def test_a_word_file_without_a_form_reads_as_nothing_or_our_error() -> None:
    data = _docx(lambda doc: doc.add_paragraph("会议通知"))
    try:
        docs = read_bytes(data, "notice.docx")
    except JixiaoError:
        return
    assert docs == []


@st.composite
def _merges(draw: st.DrawFn) -> tuple[int, int, list[tuple[int, int, int, int]]]:
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(1, 6))
    free = {(r, c) for r in range(rows) for c in range(cols)}
    rects = []
    for _ in range(draw(st.integers(0, 4))):
        r0 = draw(st.integers(0, rows - 1))
        c0 = draw(st.integers(0, cols - 1))
        r1 = draw(st.integers(r0, rows - 1))
        c1 = draw(st.integers(c0, cols - 1))
        area = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if area <= free:
            free -= area
            rects.append((r0, c0, r1, c1))
    return rows, cols, rects


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_merges())
def test_any_merge_pattern_gives_one_cell_per_merged_area(
    case: tuple[int, int, list[tuple[int, int, int, int]]],
) -> None:
    rows, cols, rects = case

    def build(doc: object) -> None:
        t = doc.add_table(rows=rows, cols=cols)  # type: ignore[attr-defined]
        for r in range(rows):
            for c in range(cols):
                t.cell(r, c).text = f"{r}.{c}"
        for r0, c0, r1, c1 in rects:
            t.cell(r0, c0).merge(t.cell(r1, c1)).text = f"M{r0}.{c0}"

    [grid] = docx_grids(_docx(build))
    covered: dict[tuple[int, int], str] = {}
    for cell in grid.cells:
        for r in range(cell.row, cell.row + cell.row_span):
            for c in range(cell.col, cell.col + cell.col_span):
                assert (r, c) not in covered, "two cells cover one slot"
                covered[(r, c)] = cell.text
    assert len(covered) == rows * cols
    for r0, c0, r1, c1 in rects:
        cell = grid.at(r0, c0)
        assert cell is not None and cell.text == f"M{r0}.{c0}"
        assert (cell.row_span, cell.col_span) == (r1 - r0 + 1, c1 - c0 + 1)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_after_a_zip_signature_are_our_error(data: bytes) -> None:
    try:
        docx_grids(b"PK\x03\x04" + data, "random.docx")
    except FormatError:
        pass


def test_a_form_drawn_inside_a_frame_table_is_read_as_its_own_table() -> None:
    def build(doc: object) -> None:
        frame = doc.add_table(rows=1, cols=1)  # type: ignore[attr-defined]
        outer = frame.cell(0, 0)
        outer.text = "项目支出绩效目标表"
        inner = outer.add_table(rows=2, cols=2)
        inner.cell(0, 0).text = "项目名称"
        inner.cell(0, 1).text = "农村公路养护"
        inner.cell(1, 0).merge(inner.cell(1, 1)).text = "年度目标：完成养护1200公里"
        outer.add_paragraph("单位：万元")

    [grid] = docx_grids(_docx(build))
    assert _cells(grid) == [
        (0, 0, 1, 1, "项目支出绩效目标表"),
        (1, 0, 1, 1, "项目名称"),
        (1, 1, 1, 1, "农村公路养护"),
        (2, 0, 1, 2, "年度目标：完成养护1200公里"),
        (3, 0, 1, 1, "单位：万元"),
    ]
    assert grid.at(1, 1) is not None and grid.at(1, 1).origin.cell == "T2R1C2"  # type: ignore[union-attr]
