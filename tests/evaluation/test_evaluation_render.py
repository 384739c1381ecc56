"""The 自评表 and 监控表 rendered as standalone HTML in the official layout."""

from __future__ import annotations

from html.parser import HTMLParser

from click.testing import CliRunner
from eval_helpers import FIXTURES, PUTUO

from jixiao.cli import main
from jixiao.domain.model import SelfEvaluation
from jixiao.evaluation.render_html import render_monitoring_html, render_self_evaluation_html
from jixiao.formats import read_path
from jixiao.formats.json_monitoring import loads


class _Cells(HTMLParser):
    """Collect the text of every table cell and the rowspans, to read the form like a person would."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self.rowspans: list[tuple[str, int]] = []
        self._in_cell = False
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("td", "th"):
            self._in_cell = True
            self._span = int(dict(attrs).get("rowspan") or 1)
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._in_cell = False
            if self._span > 1:
                self.rowspans.append((self.cells[-1], self._span))

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data.strip()


def _cells(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


def _putuo() -> SelfEvaluation:
    [form] = read_path(PUTUO)
    assert isinstance(form, SelfEvaluation)
    return form


def test_self_evaluation_form_has_the_official_blocks_and_computed_scores() -> None:
    html = render_self_evaluation_html(_putuo())
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in html
    cells = _cells(html)
    for label in (
        "项目名称",
        "主管部门",
        "实施单位",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
        "年度资金总额",
        "其中：当年财政拨款",
        "上年结转资金",
        "其他资金",
        "预期目标",
        "实际完成情况",
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "偏差原因分析及改进措施",
        "总分",
    ):
        assert label in cells.cells, label
    assert "250,000.00" in cells.cells and "215,457.60" in cells.cells
    # the computed rate, with the printed 86.19 % marked beside it, not copied
    assert "86.18%表上 86.19" in cells.cells
    assert "98.62" in cells.cells and "优" in cells.cells
    # 产出指标 spans its three rows; the vertical 绩效指标 label spans five rows + header.
    assert ("产出指标", 3) in cells.rowspans and ("绩效指标", 6) in cells.rowspans
    assert "全年执行数 215,457.60 ÷ 全年预算数 250,000.00 = 86.18%" in html


def test_a_wrong_printed_score_is_shown_beside_the_computed_one() -> None:
    form = _putuo()
    form.indicators[4].actual = "81%"  # 10 × 81/90 = 9.00, printed 10
    cells = _cells(render_self_evaluation_html(form)).cells
    assert "9.00表上 10" in cells


def test_several_forms_in_one_document_and_text_is_escaped() -> None:
    a, b = _putuo(), _putuo()
    b.project.name = "<script>alert(1)</script>"
    html = render_self_evaluation_html([a, b])
    assert html.count('<section class="jx-page">') == 2
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_unscorable_form_still_renders_with_the_error_in_the_footnote() -> None:
    form = _putuo()
    form.indicators[0].actual = "及时"
    html = render_self_evaluation_html(form)
    assert "JX-E603" in html and "与委托运营方结算完成率" in html


def test_monitoring_form_with_traffic_lights() -> None:
    [report] = loads((FIXTURES / "qingpu_2022_monitoring.json").read_text(encoding="utf-8"))
    html = render_monitoring_html(report)
    cells = _cells(html).cells
    for label in (
        "1–7月执行数",
        "执行率",
        "时间进度",
        "进度比",
        "完成目标可能性",
        "偏差原因分析",
        "改进措施",
        "预警",
        "1–7月实际完成值",
        "全年预计完成情况",
    ):
        assert label in cells, label
    assert "31.25%" in cells and "58.33%" in cells and "53.57%" in cells
    assert "红灯" in cells and cells.count("黄灯") == 3 and cells.count("绿灯") == 4
    assert "其他原因：上半年投诉集中于疫情封控期间的保供诉求" in cells
    assert "（2022年度 1–7月）" in html


def test_score_and_monitor_commands_print_html() -> None:
    result = CliRunner().invoke(main, ["score", str(PUTUO), "--format", "html"])
    assert result.exit_code == 0 and "财政项目支出绩效自评表" in result.output
    result = CliRunner().invoke(
        main, ["monitor", str(FIXTURES / "qingpu_2022_monitoring.json"), "--format", "html", "--month", "6"]
    )
    assert result.exit_code == 0 and "1–6月执行数" in result.output
