"""``jixiao template`` and ``jixiao export``: real files in, real files out, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
from click.testing import CliRunner
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.formats import read_path

FIXTURES = Path(__file__).parent / "fixtures"


def test_template_writes_a_fillable_workbook(tmp_path: Path) -> None:
    out = tmp_path / "申报表模板.xlsx"
    result = CliRunner().invoke(main, ["template", "--kind", "declaration", "--year", "2025", "-o", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["申报表", "填写说明", "批量录入", "选项"]
    assert wb["申报表"]["A1"].value == "财政项目支出绩效目标申报表"
    out2 = tmp_path / "自评表模板.xlsx"
    result = CliRunner().invoke(main, ["template", "--kind", "self_evaluation", "-o", str(out2)])
    assert result.exit_code == 0 and load_workbook(out2)["自评表"]["A1"].value == "财政项目支出绩效自评表"


def test_export_any_input_to_xlsx_and_pdf(tmp_path: Path, seed_file: Path) -> None:
    runner = CliRunner()
    xlsx = tmp_path / "all.xlsx"
    result = runner.invoke(
        main, ["export", str(seed_file), str(FIXTURES / "forms.json"), "--to", "xlsx", "-o", str(xlsx)]
    )
    assert result.exit_code == 0, result.output
    assert "10" in result.output
    assert len(read_path(xlsx)) == 10
    pdf = tmp_path / "all.pdf"
    result = runner.invoke(main, ["export", str(xlsx), "-o", str(pdf)])  # format from the extension
    assert result.exit_code == 0, result.output
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 10
    parsed = runner.invoke(main, ["parse", str(pdf)])
    assert parsed.exit_code == 0
    assert len(json.loads(parsed.output)) == 10


def test_export_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(FIXTURES / "forms.json"), "-o", str(tmp_path / "x.doc")])
    assert result.exit_code == 2 and "JX-E107" in result.output
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"junk " * 100)
    result = runner.invoke(main, ["export", str(broken), "--to", "xlsx", "-o", str(tmp_path / "y.xlsx")])
    assert result.exit_code == 2
    assert "JX-E451" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_export_bulk_writes_one_row_per_indicator(tmp_path: Path, seed_file: Path) -> None:
    out = tmp_path / "bulk.xlsx"
    result = CliRunner().invoke(main, ["export", str(seed_file), "--bulk", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ws = load_workbook(out)["批量录入"]
    assert ws.max_row == 1 + 58  # the header and the seed's 58 indicators
    assert [d.project.name for d in read_path(out)] == [d.project.name for d in read_path(seed_file)]
    bad = CliRunner().invoke(
        main, ["export", str(FIXTURES / "forms.json"), "--bulk", "-o", str(tmp_path / "x.xlsx")]
    )
    assert bad.exit_code == 2 and "JX-E107" in bad.output
