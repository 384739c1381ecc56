"""The official forms as Excel: write, template, read back (also after hand edits), limits."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from jixiao.domain.errors import FormatError, JixiaoError
from jixiao.domain.framework import get_framework
from jixiao.domain.model import Declaration, Document, SelfEvaluation
from jixiao.formats import read_bytes, read_path
from jixiao.formats.json import loads, to_dict
from jixiao.formats.xlsx import BULK_SHEET, LISTS_SHEET, bulk_xlsx, read_xlsx, template_xlsx, write_xlsx

FIXTURES = Path(__file__).parent / "fixtures"


def canon(doc: Document) -> dict[str, Any]:
    """The canonical JSON without where it came from: what a round trip must keep."""
    out = to_dict(doc)
    out.pop("source")
    out.pop("warnings")
    out.pop("fields", None)
    return out


@pytest.fixture(scope="module")
def fixture_docs() -> list[Document]:
    return loads((FIXTURES / "forms.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_docs(seed_file: Path) -> list[Document]:
    return read_path(seed_file)


def test_every_seed_form_survives_model_xlsx_model(seed_docs: list[Document]) -> None:
    back = read_xlsx(write_xlsx(seed_docs), "seed.xlsx")
    assert len(seed_docs) == 7
    assert [canon(d) for d in back] == [canon(d) for d in seed_docs]
    assert sum(len(d.indicators) for d in back) == 58


def test_fixture_forms_of_both_kinds_survive_model_xlsx_model(fixture_docs: list[Document]) -> None:
    back = read_bytes(write_xlsx(fixture_docs), "forms.xlsx")  # routed by content (PK header)
    assert [canon(d) for d in back] == [canon(d) for d in fixture_docs]
    assert isinstance(back[2], SelfEvaluation)
    assert back[2].budget.lines["appropriation"].executed == Decimal("215457.60")
    assert [d.source.sheet for d in back] == [
        "1.城市管理精细化办公室经费",
        "2.城运案件托底处置费",
        "3.普陀体育中心与委托运营方结算费用",
    ]


def test_exported_sheet_has_the_official_layout(seed_docs: list[Document]) -> None:
    wb = load_workbook(io.BytesIO(write_xlsx(seed_docs[:1])))
    ws = wb.worksheets[0]
    assert ws["A1"].value == "财政项目支出绩效目标申报表"
    assert ws["A2"].value == "（2022年度）"
    assert ws["A3"].value == "项目名称" and ws["C3"].value == "城市管理精细化办公室经费"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:H1", "C3:H3", "A7:A10", "A13:A22", "B14:B18", "C14:C16"} <= merged
    assert ws["C7"].value == Decimal("1559500.00") and ws["C7"].number_format == "#,##0.00"
    assert ws["G14"].value == "=100%" and ws["G14"].data_type == "s"  # text, not a formula
    assert ws["A13"].alignment.text_rotation == 255  # the vertical 绩效指标 label
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.print_area == "'1.城市管理精细化办公室经费'!$A$1:$H$22"
    assert ws.print_title_rows == "$13:$13"
    assert ws["D15"].border.left.style == "thin"


@pytest.mark.parametrize(
    "kind, sheet, name_cell",
    [
        ("declaration", "申报表", "C3"),
        ("self_evaluation", "自评表", "C3"),
    ],
)
def test_template_has_dropdowns_hidden_lists_and_protection(kind: str, sheet: str, name_cell: str) -> None:
    data = template_xlsx(kind, year=2025)
    wb = load_workbook(io.BytesIO(data))
    ws = wb[sheet]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    assert set(wb.defined_names) >= {"一级指标", "二级指标", "项目类别"}
    fw = get_framework("shanghai-2025")
    lists = wb[LISTS_SHEET]
    assert [lists.cell(r, 1).value for r in range(2, 2 + len(fw.levels))] == list(fw.levels)
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "=一级指标" in formulas
    # 二级 is cascaded by the row's 一级 (a defined name per 一级 over its own 二级 list)
    assert any("INDIRECT(" in f for f in formulas)
    first = next(iter(fw.levels))
    assert first in wb.defined_names
    assert ws.protection.sheet is True and not ws.protection.password
    assert ws[name_cell].protection.locked is False  # input cell
    assert ws["A3"].protection.locked is True  # the label 项目名称
    # the year has its own input cell beside its label, limited to four-digit years
    assert (ws["A2"].value, ws["B2"].value) == ("预算年度", 2025)
    assert ws["B2"].protection.locked is False
    assert "填写说明" in wb.sheetnames
    assert (BULK_SHEET in wb.sheetnames) == (kind == "declaration")
    # calamine sees the hidden sheet as hidden, so the reader skips it
    calamine = CalamineWorkbook.from_object(io.BytesIO(data))
    visible = {m.name: m.visible for m in calamine.sheets_metadata}
    assert visible[LISTS_SHEET] == SheetVisibleEnum.Hidden


def test_an_unfilled_template_reads_as_no_form() -> None:
    with pytest.raises(FormatError) as err:
        read_xlsx(template_xlsx("declaration"), "template.xlsx")
    assert err.value.code == "JX-E420"


def _fill_declaration_template() -> Any:
    """Fill the template the way a unit does in Excel: typed cells, levels left blank below."""
    wb = load_workbook(io.BytesIO(template_xlsx("declaration", year=2023)))
    ws = wb["申报表"]
    ws["C3"] = "河道保洁经费"
    ws["C4"] = "经常性项目"
    ws["F5"] = "某某区水务局"
    ws["C6"] = "2023/1/1"  # typed as text: still a date
    ws["F6"] = "2023年12月31日"
    ws["C7"] = 1200000
    ws["F7"] = "120万元"
    ws["C8"] = 1200000
    ws["F8"] = 1200000
    ws["C11"] = "河道整洁，水质稳定达标。"
    ws["C12"] = "全年保洁河道 35 公里。"
    rows = [
        ("产出指标", "数量指标", "保洁河道长度", "≥35公里"),
        ("", "", "保洁频次", "=2次/日"),
        ("", "质量指标", "河面漂浮物清除率", "=100%"),
        ("效益指标", "社会效益指标", "群众投诉", "降低"),
        ("满意度指标", "服务对象满意度指标", "沿河居民满意度", ">=90%"),
    ]
    for n, (l1, l2, name, target) in enumerate(rows):
        r = 14 + n
        if l1:
            ws[f"B{r}"] = l1
        if l2:
            ws[f"C{r}"] = l2
        ws[f"D{r}"] = name
        ws[f"G{r}"] = target
        ws[f"G{r}"].data_type = "s"
    return wb


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_filled_template_reads_back_with_levels_filled_down() -> None:
    (doc,) = read_xlsx(_save(_fill_declaration_template()), "filled.xlsx")
    assert isinstance(doc, Declaration)
    assert doc.year == 2023 and doc.project.name == "河道保洁经费"
    assert doc.project.start_date and doc.project.start_date.isoformat() == "2023-01-01"
    assert doc.project.end_date and doc.project.end_date.isoformat() == "2023-12-31"
    assert doc.funding.total == Decimal("1200000.00") and doc.funding.annual == Decimal("1200000.00")
    assert doc.funding.annual_appropriation == Decimal("1200000.00")
    assert [(i.level1, i.level2, i.name, i.target.text) for i in doc.indicators] == [
        ("产出指标", "数量指标", "保洁河道长度", "≥35公里"),
        ("产出指标", "数量指标", "保洁频次", "=2次/日"),
        ("产出指标", "质量指标", "河面漂浮物清除率", "=100%"),
        ("效益指标", "社会效益指标", "群众投诉", "降低"),
        ("满意度指标", "服务对象满意度指标", "沿河居民满意度", ">=90%"),
    ]
    assert doc.source.sheet == "申报表"


def test_a_template_filled_and_saved_by_libreoffice_reads_back() -> None:
    """fixtures/libreoffice_filled.xlsx: the filled template re-saved by LibreOffice Calc."""
    (doc,) = read_path(FIXTURES / "libreoffice_filled.xlsx")
    assert isinstance(doc, Declaration)
    assert doc.project.name == "河道保洁经费"
    assert len(doc.indicators) == 5 and doc.indicators[2].level1 == "产出指标"
    assert doc.funding.total == Decimal("1200000.00")


def test_a_value_typed_into_the_wrong_cell_of_its_row_still_reads(fixture_docs: list[Document]) -> None:
    wb = load_workbook(io.BytesIO(write_xlsx(fixture_docs[1:2])))
    ws = wb.worksheets[0]
    ws.unmerge_cells("C3:H3")
    ws["C3"], ws["E3"] = None, "城运案件托底处置费"  # retyped two cells to the right, merge undone
    ws.unmerge_cells("C5:D5")
    ws["C5"], ws["D5"] = None, "上海市青浦区城市运行管理中心"
    (doc,) = read_xlsx(_save(wb), "moved.xlsx")
    assert canon(doc) == canon(fixture_docs[1])


@pytest.mark.parametrize(
    "cell, value, code, where, path, status",
    [
        ("A3", None, "JX-W101", "A1", "project.name", "not_found"),  # the 项目名称 label deleted
        ("C3", None, "JX-W101", "C3", "project.name", "blank"),  # the project name left empty
        ("C7", "一百万", "JX-W103", "C7", "funding.total", "read"),  # an amount that is not a number
        ("C6", "2022-13-45", "JX-W104", "C6", "project.start_date", "read"),  # not on the calendar
        ("G15", None, "JX-W105", "G15", None, None),  # an indicator without its target
        ("D14", None, "JX-W106", "D14", None, None),  # a target without its indicator name
    ],
)
def test_a_missing_or_malformed_cell_is_a_warning_naming_sheet_and_cell(
    fixture_docs: list[Document],
    cell: str,
    value: str | None,
    code: str,
    where: str,
    path: str | None,
    status: str | None,
) -> None:
    wb = load_workbook(io.BytesIO(write_xlsx(fixture_docs[:1])))
    ws = wb.worksheets[0]
    ws[cell] = value
    (doc,) = read_xlsx(_save(wb), "edited.xlsx")
    [warning] = [w for w in doc.warnings if w.code == code]
    assert (warning.sheet, warning.cell) == (ws.title, where)
    if path is not None:
        assert doc.fields[path].status == status
    # the rest of the form still reads
    assert len(doc.indicators) >= len(fixture_docs[0].indicators) - 1


def test_bulk_sheet_round_trip_and_fill_down(seed_docs: list[Document]) -> None:
    declarations = [d for d in seed_docs if isinstance(d, Declaration)]
    back = read_xlsx(bulk_xlsx(declarations), "bulk.xlsx")
    assert [canon(d) for d in back] == [canon(d) for d in declarations]
    wb = load_workbook(io.BytesIO(bulk_xlsx(declarations[:1])))
    ws = wb[BULK_SHEET]
    assert ws["A3"].value == "城市管理精细化办公室经费" and ws["C3"].value is None  # filled down
    ws["A3"] = None  # the project name may be left blank too
    ws["S4"] = None  # and the 二级指标 under a merged-looking run
    (doc,) = read_xlsx(_save(wb), "bulk.xlsx")
    assert canon(doc) == canon(declarations[0])


def test_bulk_sheet_contradicting_project_fields_names_the_cell(seed_docs: list[Document]) -> None:
    wb = load_workbook(io.BytesIO(bulk_xlsx([d for d in seed_docs[:1] if isinstance(d, Declaration)])))
    ws = wb[BULK_SHEET]
    ws["I4"] = 99  # 项目资金总额 differs on the second row of the same project
    with pytest.raises(FormatError) as err:
        read_xlsx(_save(wb), "bulk.xlsx")
    assert (err.value.code, err.value.where.sheet, err.value.where.cell) == ("JX-E407", BULK_SHEET, "I4")


# --- hostile and broken files -------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def _minimal_xlsx(sheet_xml: bytes) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        b"</Types>",
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        b"</Relationships>",
        "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        b'<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        b"</Relationships>",
        "xl/worksheets/sheet1.xml": sheet_xml,
    }


def test_a_sheet_with_a_value_in_the_far_corner_is_refused_before_loading() -> None:
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>y</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(FormatError) as err:
        read_bytes(_zip(_minimal_xlsx(sheet)), "far.xlsx")
    assert err.value.code == "JX-E434"
    assert (err.value.where.sheet, err.value.where.cell) == ("Sheet1", "XFD1048576")


def test_a_zip_bomb_is_refused_from_its_declared_sizes() -> None:
    padding = b"<!--" + b" " * (150 * 1024 * 1024) + b"-->"  # 150 MB of spaces deflate to ~150 KB
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + padding
        + b"<sheetData/></worksheet>"
    )
    data = _zip(_minimal_xlsx(sheet))
    assert len(data) < 1024 * 1024
    with pytest.raises(FormatError) as err:
        read_bytes(data, "bomb.xlsx")
    assert err.value.code == "JX-E433"


@pytest.mark.parametrize(
    "data, code",
    [
        (b"PK\x03\x04" + b"\x00" * 200, "JX-E430"),  # a zip header and nothing else
        (_zip({"content.xml": b"<office/>"}), "JX-E431"),  # a zip that is neither Excel nor Word
        (_zip({"word/document.xml": b"<w/>"}), "JX-E470"),  # a Word-like zip goes to the .docx reader
    ],
)
def test_broken_or_foreign_zip_files_get_a_clear_error(data: bytes, code: str) -> None:
    with pytest.raises(FormatError) as err:
        read_bytes(data, "upload.xlsx")
    assert err.value.code == code


def test_a_truncated_workbook_gets_a_clear_error(fixture_docs: list[Document]) -> None:
    data = write_xlsx(fixture_docs)
    with pytest.raises(FormatError) as err:
        read_bytes(data[: len(data) // 2], "cut.xlsx")
    assert err.value.code == "JX-E430"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_behind_a_zip_header_raise_only_our_errors(tail: bytes) -> None:
    try:
        read_xlsx(b"PK\x03\x04" + tail, "fuzz.xlsx")
    except JixiaoError:
        pass


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.binary(min_size=1, max_size=8))
def test_corrupted_workbooks_raise_only_our_errors(position: int, junk: bytes) -> None:
    data = bytearray(_VALID)
    at = position % len(data)
    data[at : at + len(junk)] = junk
    try:
        read_xlsx(bytes(data), "corrupt.xlsx")
    except JixiaoError:
        pass


_VALID = write_xlsx(loads((FIXTURES / "forms.json").read_text(encoding="utf-8"))[:1])


def test_a_filled_self_evaluation_template_reads_back() -> None:
    wb = load_workbook(io.BytesIO(template_xlsx("self_evaluation", year=2022)))
    ws = wb["自评表"]
    ws["C3"] = "援滇对口支援及结对帮扶经费"
    ws["C4"], ws["G4"] = "上海市普陀区体育局", "上海市普陀区体育中心"
    ws["D6"], ws["E6"], ws["F6"] = 20000, 20000, 9034
    ws["H6"], ws["I6"] = "45.17%", "4.52"
    ws["D7"], ws["E7"], ws["F7"] = 20000, 20000, 9034
    ws["B11"], ws["F11"] = "完成对口支援任务。", "部分完成。"
    for col, value in zip(
        "BCDEFGHI",
        ("产出指标", "数量指标", "帮扶项目完成数", ">=3个", "2个", "50", "33.33", "受疫情影响，一个项目延期"),
        strict=True,
    ):
        ws[f"{col}13"] = value
    ws["H43"], ws["I43"] = "37.85", "差"
    (doc,) = read_xlsx(_save(wb), "se.xlsx")
    assert isinstance(doc, SelfEvaluation)
    assert doc.year == 2022 and doc.project.implementing_unit == "上海市普陀区体育中心"
    assert (doc.budget.adjusted, doc.budget.executed) == (Decimal("20000.00"), Decimal("9034.00"))
    assert (doc.budget.weight, doc.budget.execution_rate, doc.budget.score) == (
        Decimal(10),
        Decimal("45.17"),
        Decimal("4.52"),
    )
    assert set(doc.budget.lines) == {"appropriation"}
    (item,) = doc.indicators
    assert (item.name, item.target.text, item.actual, item.weight, item.score) == (
        "帮扶项目完成数",
        ">=3个",
        "2个",
        Decimal(50),
        Decimal("33.33"),
    )
    assert item.deviation_note == "受疫情影响，一个项目延期"
    assert (doc.goals.annual, doc.outcome, doc.total_score, doc.grade) == (
        "完成对口支援任务。",
        "部分完成。",
        Decimal("37.85"),
        "差",
    )
