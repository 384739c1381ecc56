"""Excel exports: work linear in the form's size, and text that looks like a formula stays text."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.cell_range import CellRange

from jixiao.domain.model import Declaration, Funding, Goals, Indicator, Project
from jixiao.domain.targets import try_parse_target
from jixiao.formats.render.sheet import Merger
from jixiao.formats.xlsx import bulk_xlsx, read_xlsx, write_xlsx


def _declaration(
    n: int, *, name: str = "项目", target: str = ">=1件", indicator: str = "指标"
) -> Declaration:
    return Declaration(
        year=2023,
        project=Project(name=name),
        funding=Funding(),
        goals=Goals(overall="目标", annual="目标"),
        indicators=[
            Indicator(
                level1="产出指标", level2="数量指标", name=f"{indicator}{i}", target=try_parse_target(target)
            )
            for i in range(n)
        ],
    )


def _range_comparisons(monkeypatch: pytest.MonkeyPatch, n: int) -> int:
    """Return how many cell-range comparisons one export of n indicators makes."""
    count = [0]
    original = CellRange.issubset

    def counting(self: CellRange, other: Any) -> bool:
        count[0] += 1
        return bool(original(self, other))

    monkeypatch.setattr(CellRange, "issubset", counting)
    monkeypatch.setattr(CellRange, "__le__", counting)
    write_xlsx([_declaration(n)])
    monkeypatch.undo()
    return count[0]


def test_export_work_grows_linearly_with_the_indicator_count(monkeypatch: pytest.MonkeyPatch) -> None:
    small, large = _range_comparisons(monkeypatch, 100), _range_comparisons(monkeypatch, 400)
    # Four times the indicators may cost at most four times the comparisons (plus the header's),
    # never sixteen times as a pairwise check of merged ranges does.
    assert large <= 4 * small + 50


def test_exported_merges_are_those_of_the_layout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The linear merger gives exactly the ranges openpyxl's own merge_cells gives."""
    fast = load_workbook(io.BytesIO(write_xlsx([_declaration(30)]))).worksheets[0]

    def slow_merge(self: Merger, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
        self.ws.merge_cells(start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col)

    monkeypatch.setattr(Merger, "merge", slow_merge)
    slow = load_workbook(io.BytesIO(write_xlsx([_declaration(30)]))).worksheets[0]
    assert sorted(map(str, fast.merged_cells.ranges)) == sorted(map(str, slow.merged_cells.ranges))
    assert len(fast.merged_cells.ranges) > 30


def test_overlapping_merges_are_refused() -> None:
    from openpyxl import Workbook

    merger = Merger(Workbook().active)
    merger.merge(1, 1, 2, 2)
    merger.merge(1, 3, 2, 3)
    with pytest.raises(ValueError, match="overlap"):
        merger.merge(2, 2, 3, 3)


FORMULAS = ['=HYPERLINK("http://x","点击")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_is_exported_as_quoted_text(text: str) -> None:
    doc = _declaration(2, name=f"{text}项目", indicator=text)
    doc.project.name = text
    for data in (write_xlsx([doc]), bulk_xlsx([doc])):
        wb = load_workbook(io.BytesIO(data))
        # XML turns a stored CR into LF when read back; the cell is the same one.
        typed = {text, text.replace("\r", "\n")}
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value in typed]
        assert cells, "the text is in the sheet as typed"
        for cell in cells:
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate


def test_a_quoted_target_reads_back_unchanged() -> None:
    """The quote prefix is a cell style, not part of the value: "=100%" survives export and import."""
    doc = _declaration(2, target="=100%")
    [back] = read_xlsx(write_xlsx([doc]))
    assert isinstance(back, Declaration)
    assert [i.target.text for i in back.indicators] == ["=100%", "=100%"]


def test_the_review_report_keeps_formula_looking_findings_as_text() -> None:
    import jixiao
    from jixiao.review.render.xlsx import render_xlsx

    doc = _declaration(1, name='=HYPERLINK("http://x")')
    report = jixiao.review([doc])
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value.startswith("=")]
    assert risky and all(c.data_type == "s" and c.quotePrefix for c in risky)
