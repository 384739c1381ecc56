"""The Excel template round trip: downloaded, filled in like a user, read back with every field right
— as saved by openpyxl and as re-saved by LibreOffice Calc (fixtures/libreoffice_template_filled.xlsx,
made by fixtures/make_libreoffice_fixtures.py with ``soffice --headless --convert-to xlsx``)."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from template_user import EXPECTED, fields_of, fill_like_a_user

from jixiao.domain.framework import framework_for
from jixiao.domain.model import Declaration
from jixiao.formats import read_path
from jixiao.formats.xlsx import LISTS_SHEET, read_xlsx, template_xlsx

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_template_filled_like_a_user_reads_back_with_every_field_right() -> None:
    (doc,) = read_xlsx(fill_like_a_user(), "申报表模板.xlsx")
    assert isinstance(doc, Declaration)
    assert fields_of(doc) == EXPECTED
    assert [i.target.kind for i in doc.indicators] == [
        "numeric",
        "numeric",
        "relative",
        "deadline",
        "numeric",
        "numeric",
    ]


def test_the_template_saved_by_libreoffice_reads_back_with_every_field_right() -> None:
    (doc,) = read_path(FIXTURES / "libreoffice_template_filled.xlsx")
    assert isinstance(doc, Declaration)
    assert fields_of(doc) == EXPECTED


def test_the_year_typed_into_its_cell_is_never_lost() -> None:
    (doc,) = read_xlsx(fill_like_a_user(template_xlsx("declaration", year=None)), "t.xlsx")
    assert doc.year == 2023
    assert not [w for w in doc.warnings if w.code == "JX-W111"]


def test_the_lists_are_the_frameworks_of_the_year_and_二级_follows_一级() -> None:
    fw = framework_for(2022, "shanghai")
    wb = load_workbook(io.BytesIO(template_xlsx("declaration", year=2022)))
    lists = wb[LISTS_SHEET]
    assert [lists.cell(r, 1).value for r in range(2, 2 + len(fw.levels))] == list(fw.levels)
    for level1, names in fw.levels.items():
        sheet, cells = next(iter(wb.defined_names[level1].destinations))
        column = [c.value for row in wb[sheet][cells.replace("$", "")] for c in row]
        assert column == list(names)
    validations = {str(dv.sqref): dv.formula1 for dv in wb["申报表"].data_validations.dataValidation}
    assert "INDIRECT($B$14)" in validations["C14"]


def test_the_instructions_sheet_has_one_example_row_and_is_never_read_as_a_form() -> None:
    data = template_xlsx("declaration", year=2023)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["填写说明"]
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert any("预算年度" in str(t) for t in texts) and "每日巡查2次" in texts
    (doc,) = read_xlsx(fill_like_a_user(data), "t.xlsx")  # the example row is not an indicator
    assert "网格巡查次数" in [i.name for i in doc.indicators] and len(doc.indicators) == len(
        EXPECTED["indicators"]
    )
