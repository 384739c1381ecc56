"""Excel keeps a typed "96%" as the number 0.96 with a percent format: it must read as printed."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from jixiao.formats.xlsx import _percent_decimals, read_xlsx, sheet_grid


@pytest.mark.parametrize(
    ("code", "decimals"),
    [
        ("0%", 0),
        ("0.00%", 2),
        ("0.0%", 1),
        ("#,##0.00%;[Red]-#,##0.00%", 2),
        ("#,##0.00", None),
        ('0.00"%"', None),  # a quoted % is a literal, the number is not scaled
        ("yyyy-mm-dd", None),
    ],
)
def test_percent_formats_and_their_decimals(code: str, decimals: int | None) -> None:
    assert _percent_decimals(code) == decimals


def _workbook(cells: dict[str, tuple[object, str | None]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    for ref, (value, fmt) in cells.items():
        ws[ref] = value
        if fmt:
            ws[ref].number_format = fmt
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_percent_cell_reads_as_printed_in_a_self_evaluation() -> None:
    rows: dict[str, tuple[object, str | None]] = {
        "A1": ("项目支出绩效自评表", None),
        "A2": ("项目名称", None),
        "B2": ("培训补助", None),
        "A3": ("", None),
        "B3": ("年初预算数", None),
        "C3": ("全年预算数", None),
        "D3": ("全年执行数", None),
        "E3": ("分值", None),
        "F3": ("执行率", None),
        "G3": ("得分", None),
        "A4": ("年度资金总额", None),
        "B4": (100000, "#,##0.00"),
        "C4": (100000, "#,##0.00"),
        "D4": (95060, "#,##0.00"),
        "E4": (10, None),
        "F4": (0.9506, "0.00%"),
        "G4": (9.51, None),
        "A6": ("一级指标", None),
        "B6": ("二级指标", None),
        "C6": ("三级指标", None),
        "D6": ("年度指标值", None),
        "E6": ("实际完成值", None),
        "F6": ("分值", None),
        "G6": ("得分", None),
        "A7": ("产出指标", None),
        "B7": ("质量指标", None),
        "C7": ("培训合格率", None),
        "D7": ("≥90%", None),
        "E7": (0.96, "0%"),
        "F7": (90, None),
        "G7": (90, None),
    }
    [doc] = read_xlsx(_workbook(rows), "pct.xlsx")
    assert doc.kind == "self_evaluation"
    assert str(doc.budget.execution_rate) == "95.06"
    assert doc.indicators[0].actual == "96%"


def test_a_grid_without_percent_cells_is_unchanged() -> None:
    grid = sheet_grid("s", [["执行率", 0.95]], [], "f.xlsx")
    assert [c.text for c in grid.cells] == ["执行率", "0.95"]
    grid = sheet_grid("s", [["执行率", 0.95]], [], "f.xlsx", {(0, 1): 2})
    assert [c.text for c in grid.cells] == ["执行率", "95.00%"]
