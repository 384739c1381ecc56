"""The 项目支出绩效运行监控表 in the official layout as Excel and PDF (domain-rules.md §4), and
``jixiao monitor --format xlsx|pdf -o``.

The fixture is the 青浦 热线工单回访测评费 report at 1–7月: 150,000.00 of 480,000.00 executed is
31.25%; the plan is 7/12 = 58.33%; 31.25 ÷ 58.33 × 100 = 53.57 < 60, a red budget light. Four
indicators are 确定能 (green), three 有可能 (yellow): 工单办结率 (人员), 长效管理机制健全性 (制度),
市民满意率 (其他, with its text).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from jixiao.cli import main
from jixiao.domain.errors import FormatError
from jixiao.evaluation.config import get_rules
from jixiao.evaluation.monitoring import MonitoringReport, monitor
from jixiao.formats import read_bytes
from jixiao.formats.json_monitoring import loads
from jixiao.formats.render.html import layout_html
from jixiao.formats.render.monitoring import monitoring_layout, monitoring_pdf, monitoring_xlsx

REPO = Path(__file__).resolve().parents[2]
QINGPU = REPO / "tests" / "evaluation" / "fixtures" / "qingpu_2022_monitoring.json"
PAGES = REPO / "test-output" / "pdf-pages"

# name, 年度指标值, 1–7月实际完成值, 全年预计完成情况, 完成目标可能性, ticked reason column, 改进措施, light
ROWS = [
    ("工单回访完成率", "=100%", "58%", "全年可完成100%", "确定能", None, None, "绿灯"),
    (
        "工单办结率",
        "=100%",
        "96%",
        "预计全年办结率98%",
        "有可能",
        "人员",
        "增派回访测评人员，对超期工单逐件督办",
        "黄灯",
    ),
    ("工单回访及时性", "当天回访", "当天", "全年当天回访", "确定能", None, None, "绿灯"),
    ("工单处置能力和服务水平", "提升", "按计划推进", "达成年度指标", "确定能", None, None, "绿灯"),
    ("热线办理工作质量和效率", "提升", "按计划推进", "达成年度指标", "确定能", None, None, "绿灯"),
    (
        "长效管理机制健全性",
        "建立健全",
        "回访测评制度修订中",
        "年底前完成制度修订",
        "有可能",
        "制度",
        "8月底前完成制度修订稿并征求意见",
        "黄灯",
    ),
    ("市民满意率", ">=90%", "88%", "预计全年90%", "有可能", "其他", "对不满意工单二次回访", "黄灯"),
]
REASONS = ["经费", "制度", "人员", "硬件条件保障", "其他"]
RULES = get_rules("national")


def _layout(report: MonitoringReport, month: int | None = None) -> Any:
    """The form of ``report`` as monitored under the national rules (the caller monitors, formats draws)."""
    return monitoring_layout(report, monitor(report, RULES, month), RULES)


def _pdf(reports: list[MonitoringReport]) -> bytes:
    return monitoring_pdf(reports, [monitor(r, RULES) for r in reports], RULES)


def _xlsx(reports: list[MonitoringReport]) -> bytes:
    return monitoring_xlsx(reports, [monitor(r, RULES) for r in reports], RULES)


@pytest.fixture(scope="module")
def report() -> MonitoringReport:
    (item,) = loads(QINGPU.read_text(encoding="utf-8"), file=QINGPU.name)
    return item


@pytest.fixture(scope="module")
def pdf_bytes(report: MonitoringReport) -> bytes:
    return _pdf([report])


def _sheet_rows(data: bytes) -> list[list[Any]]:
    """The first sheet's values as a grid, read with calamine (what the importer reads)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def _row_of(rows: list[list[Any]], name: str) -> list[Any]:
    (found,) = [r for r in rows if len(r) > 3 and r[3] == name]
    return found


def test_the_xlsx_cells_hold_the_header_the_amounts_and_the_budget_light(report: MonitoringReport) -> None:
    rows = _sheet_rows(_xlsx([report]))
    assert rows[0][0] == "项目支出绩效运行监控表（2022年1—7月）"
    assert rows[1][0] == "填报日期：2022年8月10日"
    assert rows[2][:3] == ["项目名称", "", "热线工单回访测评费"]
    assert rows[3][7:11] == ["实施单位", "", "", "上海市青浦区城市运行管理中心"]
    (funds,) = [n for n, r in enumerate(rows) if r[0] == "项目资金（元）"]
    header, values = rows[funds], rows[funds + 1]
    assert [header[c] for c in (2, 4, 6, 8, 10, 12, 13)] == [
        "年初预算数",
        "全年预算数",
        "1—7月执行数",
        "执行率",
        "时间进度",
        "进度比",
        "预警灯",
    ]
    # amounts are numbers in the cells; 150000 / 480000 = 31.25%, ÷ (7/12 = 58.33%) = 53.57% → red
    assert [values[c] for c in (2, 4, 6)] == [480000, 480000, 150000]
    assert [values[c] for c in (8, 10, 12, 13)] == ["31.25%", "58.33%", "53.57%", "红灯"]


def test_each_indicator_row_of_the_xlsx_holds_its_values_ticks_and_light(report: MonitoringReport) -> None:
    rows = _sheet_rows(_xlsx([report]))
    (head,) = [n for n, r in enumerate(rows) if r[0] == "绩效指标"]
    assert rows[head][1:8] == [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "1—7月实际完成值",
        "全年预计完成情况",
        "完成目标可能性",
    ]
    assert rows[head][8] == "偏差原因分析" and rows[head][13:15] == ["改进措施", "预警灯"]
    assert rows[head + 1][8:13] == REASONS
    for name, target, progress, forecast, likelihood, reason, measures, light in ROWS:
        row = _row_of(rows, name)
        assert row[4:8] == [target, progress, forecast, likelihood]
        ticks = row[8:13]
        expected = ["√" if r == reason else "" for r in REASONS]
        if reason == "其他":  # the 其他 column carries its explanation
            expected[4] = "√：上半年投诉集中于疫情封控期间的保供诉求"
        assert ticks == expected, name
        assert row[13:15] == [measures or "", light]
    # 一级 and 二级 are merged down their runs: the value sits on the run's first row only
    assert _row_of(rows, "工单回访完成率")[1:3] == ["产出指标", "数量指标"]
    assert _row_of(rows, "工单办结率")[1:3] == ["", "质量指标"]
    assert _row_of(rows, "热线办理工作质量和效率")[1:3] == ["", ""]


def test_the_xlsx_prints_on_a4_landscape_with_coloured_lights_and_the_header_repeated(
    report: MonitoringReport,
) -> None:
    wb = load_workbook(io.BytesIO(_xlsx([report])))
    ws = wb.worksheets[0]
    assert wb.sheetnames == ["1.热线工单回访测评费"]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    head = next(c.row for c in ws["A"] if c.value == "绩效指标")
    assert ws.print_title_rows == f"${head}:${head + 1}"  # both header rows repeat on each printed page
    fills = {c.value: c.fill.fgColor.rgb[-6:] for c in ws["O"] if c.value in ("绿灯", "黄灯")}
    assert fills == {"绿灯": "C6EFCE", "黄灯": "FFEB9C"}
    red = next(c for row in ws.iter_rows() for c in row if c.value == "红灯")
    assert red.fill.fgColor.rgb[-6:] == "FFC7CE"
    assert ws.cell(red.row - 1, 3).value == "年初预算数"
    assert ws.cell(red.row, 3).number_format == "#,##0.00"


def _pdf_rows(pdf: Any) -> list[list[str]]:
    """The ruled table of every page as rows of cell texts (line breaks inside a cell removed)."""
    return [
        [(c or "").replace("\n", "") for c in row]
        for page in pdf.pages
        for table in page.extract_tables()
        for row in table
    ]


def test_the_pdf_is_a4_landscape_with_the_font_embedded_and_holds_every_value(pdf_bytes: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        assert len(pdf.pages) >= 1
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape
        fonts = {ch["fontname"] for ch in pdf.pages[0].chars}
        pages = [re.sub(r"\s+", "", p.extract_text() or "") for p in pdf.pages]
        rows = _pdf_rows(pdf)
    assert any("NotoSerifCJK" in f for f in fonts)
    assert b"/FontFile" in pdf_bytes  # embedded, so it prints the same on any machine
    assert pages[0].startswith("项目支出绩效运行监控表（2022年1—7月）填报日期：2022年8月10日")
    assert rows[0][:3] == ["项目名称", "", "热线工单回访测评费"]
    assert rows[1][7:11] == ["实施单位", "", "", "上海市青浦区城市运行管理中心"]
    (funds,) = [n for n, r in enumerate(rows) if r[0] == "项目资金（元）"]
    values = rows[funds + 1]
    assert [values[c] for c in (2, 4, 6, 8, 10, 12, 13)] == [
        "480,000.00",
        "480,000.00",
        "150,000.00",
        "31.25%",
        "58.33%",
        "53.57%",
        "红灯",
    ]
    for name, target, progress, forecast, likelihood, reason, measures, light in ROWS:
        (row,) = [r for r in rows if r[3] == name]
        expected = ["√" if r == reason else "" for r in REASONS]
        if reason == "其他":
            expected[4] = "√：上半年投诉集中于疫情封控期间的保供诉求"
        assert row[4:] == [target, progress, forecast, likelihood, *expected, measures or "", light], name
    # the indicator header (both rows) repeats on each continuation page; the pages are numbered
    assert sum(r[1:4] == ["一级指标", "二级指标", "三级指标"] for r in rows) == len(pages)
    assert sum(r[8:13] == REASONS for r in rows) == len(pages)
    for n, text in enumerate(pages, start=1):
        assert text.endswith(f"第{n}页共{len(pages)}页")
    (notes,) = [r for r in rows if r[0] == "预警说明"]
    assert "进度比53.57%（红灯）" in notes[2].replace(" ", "")


def test_the_pdf_pages_are_rendered_to_png_for_a_person_to_look_at(pdf_bytes: bytes) -> None:
    """Writes test-output/pdf-pages/monitoring-*.png (gitignored)."""
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is installed by make setup"
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("monitoring-*.png"):
        old.unlink()
    pdf_path = PAGES / "monitoring.pdf"
    pdf_path.write_bytes(pdf_bytes)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", str(pdf_path), str(PAGES / "monitoring")],
        check=True,
        timeout=120,
        capture_output=True,
    )
    pdf_path.unlink()
    images = sorted(PAGES.glob("monitoring-*.png"))
    assert images and all(p.stat().st_size > 10_000 for p in images)  # a drawn form, not a blank page


def test_the_cutoff_month_changes_the_headers_and_the_plan(report: MonitoringReport) -> None:
    layout = _layout(report, 6)
    texts = {c.text for s in layout.sections for c in s.cells}
    assert layout.title == "项目支出绩效运行监控表（2022年1—6月）"
    assert {"1—6月执行数", "1—6月实际完成值", "1—6月完成情况", "50.00%"} <= texts  # plan 6/12
    assert "62.50%" in texts  # 31.25 ÷ 50.00 × 100


def test_a_given_result_is_drawn_as_it_is(report: MonitoringReport) -> None:
    result = monitor(report, "national", 8)
    texts = {c.text for s in monitoring_layout(report, result, RULES).sections for c in s.cells}
    assert {"1—8月执行数", "66.67%"} <= texts


def test_user_text_with_typst_markup_prints_literally_and_an_empty_report_keeps_one_row(
    report: MonitoringReport,
) -> None:
    odd = replace(
        report,
        project=replace(report.project, name="#set page(width: 1cm) *粗* $x$"),
        indicators=[],
        year=None,
        reported_on=None,
    )
    data = _pdf([odd, report])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = re.sub(r"\s+", "", pdf.pages[0].extract_text() or "")
        assert all(round(p.width) == 842 for p in pdf.pages)
    assert "#setpage(width:1cm)*粗*$x$" in first
    assert "项目支出绩效运行监控表（年1—7月）" in first
    table = _layout(odd).sections[1]
    assert table.nrows == 3  # two header rows and one empty indicator row


def test_monitor_command_writes_xlsx_and_pdf(tmp_path: Path) -> None:
    out = tmp_path / "监控表.xlsx"
    result = CliRunner().invoke(main, ["monitor", str(QINGPU), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _sheet_rows(out.read_bytes())[0][0] == "项目支出绩效运行监控表（2022年1—7月）"
    pdf = tmp_path / "监控表.pdf"
    result = CliRunner().invoke(
        main, ["monitor", str(QINGPU), "--month", "6", "--format", "pdf", "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    with pdfplumber.open(pdf) as doc:
        assert "1—6月" in (doc.pages[0].extract_text() or "")


def test_monitor_command_needs_an_output_file_for_pdf_and_says_so_in_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["monitor", str(QINGPU), "--format", "pdf"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "JX-E107" in lines[0] and "-o" in lines[0]
    result = CliRunner().invoke(
        main, ["monitor", str(QINGPU), "--format", "xlsx", "-o", str(tmp_path / "no-such-dir" / "x.xlsx")]
    )
    assert result.exit_code == 2 and "JX-E108" in result.output


@pytest.mark.parametrize("kind", ["xlsx", "pdf"])
def test_a_monitoring_form_given_to_the_form_readers_is_refused_not_misread(
    report: MonitoringReport, kind: str
) -> None:
    data = _xlsx([report]) if kind == "xlsx" else _pdf([report])
    with pytest.raises(FormatError) as caught:
        read_bytes(data, f"监控表.{kind}")
    assert caught.value.code == "JX-E414" and "运行监控表" in caught.value.message_zh
    assert caught.value.where.file == f"监控表.{kind}"


def test_the_same_layout_draws_as_html_with_the_lights_as_dots(report: MonitoringReport) -> None:
    html = layout_html(_layout(report))
    assert '<section class="jx-form jx-monitoring">' in html
    assert html.count('<span class="jx-light jx-yellow" aria-hidden="true"></span>黄灯') == 3
    assert html.count('<span class="jx-light jx-green" aria-hidden="true"></span>绿灯') == 4
    assert '<span class="jx-light jx-red" aria-hidden="true"></span>红灯' in html
    assert '<th colspan="5">偏差原因分析</th>' in html
