"""In-year monitoring: budget lights against the time-proportional plan, indicator lights, the
checks of a report, its canonical JSON and ``jixiao monitor`` (domain-rules.md §4)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from eval_helpers import FIXTURES

from jixiao.cli import main
from jixiao.domain.errors import ScoringError, ValidationError
from jixiao.domain.model import BudgetExecution, Project
from jixiao.domain.targets import parse_target
from jixiao.evaluation.config import REGION_RULES
from jixiao.evaluation.monitoring import MonitoredIndicator, MonitoringReport, monitor
from jixiao.formats.json_monitoring import dumps, from_dict, json_schema, loads, to_dict

D = Decimal
QINGPU = FIXTURES / "qingpu_2022_monitoring.json"


def _report(executed: str, month: int = 7, rows: list[MonitoredIndicator] | None = None) -> MonitoringReport:
    return MonitoringReport(
        year=2022,
        project=Project(name="P"),
        cutoff_month=month,
        budget=BudgetExecution(initial=D(1200), adjusted=D(1200), executed=D(executed)),
        indicators=rows or [],
    )


def _row(likelihood: str | None = "确定能", **kw: object) -> MonitoredIndicator:
    return MonitoredIndicator(
        level1="产出指标",
        level2="数量指标",
        name="回访量",
        target=parse_target(">=100人次"),
        likelihood=likelihood,
        **kw,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("executed", "month", "rate", "expected", "progress", "light"),
    [
        # July: the plan is 7/12 = 58.33 %. 700 / 1200 = 58.33 % → progress 100.00 % → green.
        ("700", 7, "58.33", "58.33", "100.00", "green"),
        # 560 / 1200 = 46.67 %; 0.46667 / 0.58333 = 0.8 → 80.00 % → green (80 is green).
        ("560", 7, "46.67", "58.33", "80.00", "green"),
        # 559 / 1200 = 46.58 %; ÷ 58.33 % → 79.86 % → yellow.
        ("559", 7, "46.58", "58.33", "79.86", "yellow"),
        # 420 / 1200 = 35 %; ÷ 58.33 % → 60.00 % → yellow (60 is yellow).
        ("420", 7, "35.00", "58.33", "60.00", "yellow"),
        # 419 / 1200 = 34.92 %; → 59.86 % → red.
        ("419", 7, "34.92", "58.33", "59.86", "red"),
        # June cut-off: plan 50 %; 420 / 1200 = 35 % → 70.00 % → yellow.
        ("420", 6, "35.00", "50.00", "70.00", "yellow"),
        # August: plan 66.67 %; 1000 / 1200 = 83.33 % → 125.00 % → green.
        ("1000", 8, "83.33", "66.67", "125.00", "green"),
    ],
)
def test_budget_light_against_the_time_proportional_plan(
    executed: str, month: int, rate: str, expected: str, progress: str, light: str
) -> None:
    result = monitor(_report(executed, month))
    assert (result.budget_rate, result.expected_rate, result.budget_progress, result.budget_light) == (
        D(rate),
        D(expected),
        D(progress),
        light,
    )
    assert (len(result.warnings) == 1) == (light != "green")


def test_the_cut_off_month_can_be_overridden() -> None:
    # The report says July; monitored at June instead: 420 / 1200 = 35 % of a 50 % plan → 70 % → yellow.
    result = monitor(_report("420", 7), cutoff_month=6)
    assert (result.cutoff_month, result.budget_progress, result.budget_light) == (6, D("70.00"), "yellow")


def test_thresholds_come_from_the_region_table() -> None:
    strict = replace(REGION_RULES["national"], budget_red_below=D(90), budget_yellow_below=D(100))
    # 700 / 1200 at July is exactly on plan (100 %): green; 690 is 98.57 % → yellow under these rules.
    assert monitor(_report("700"), strict).budget_light == "green"
    assert monitor(_report("690"), strict).budget_light == "yellow"


@pytest.mark.parametrize(
    ("likelihood", "light"), [("确定能", "green"), ("有可能", "yellow"), ("完全不可能", "red")]
)
def test_indicator_light_follows_the_likelihood(likelihood: str, light: str) -> None:
    row = _row(likelihood, forecast="预计完成90%", reasons=["经费"])
    result = monitor(_report("700", rows=[row]))
    assert result.indicators[0].light == light
    assert result.light == light
    assert [w.code for w in result.warnings] == ([] if light == "green" else ["JX-W602"])


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (_row(None), "JX-E631"),
        (_row("差不多"), "JX-E631"),
        (_row("有可能"), "JX-E633"),  # no forecast, no reasons
        (_row("有可能", forecast="预计90%"), "JX-E633"),  # forecast without reasons
        (_row("有可能", forecast="预计90%", reasons=["天气"]), "JX-E632"),
        (_row("有可能", forecast="预计90%", reasons=["其他"]), "JX-E634"),
        (_row("确定能", progress="60人"), "JX-E605"),  # progress typed in the wrong unit
    ],
)
def test_report_errors(row: MonitoredIndicator, code: str) -> None:
    result = monitor(_report("700", rows=[row]))
    assert [e.code for e in result.errors] == [code]
    with pytest.raises(ScoringError):
        result.raise_first()


def test_progress_ratio_of_a_measurable_target() -> None:
    # 60 人次 of ≥100 人次 → 60.00 %.
    result = monitor(_report("700", rows=[_row(progress="60人次")]))
    assert result.indicators[0].ratio == D("60.00")


@pytest.mark.parametrize("month", [0, 13])
def test_cut_off_month_outside_the_year(month: int) -> None:
    with pytest.raises(ScoringError) as caught:
        monitor(_report("700"), cutoff_month=month)
    assert caught.value.code == "JX-E630"


def test_missing_budget_is_an_error_not_a_crash() -> None:
    report = _report("700")
    report.budget = BudgetExecution()
    result = monitor(report)
    assert [e.code for e in result.errors] == ["JX-E635"] and result.budget_light is None


def test_the_qingpu_fixture() -> None:
    [report] = loads(QINGPU.read_text(encoding="utf-8"))
    result = monitor(report).raise_first()
    # 150,000 / 480,000 = 31.25 %; plan 7/12 = 58.33 %; 0.3125 / 0.58333 = 53.57 % → red.
    assert (result.budget_rate, result.budget_progress, result.budget_light) == (
        D("31.25"),
        D("53.57"),
        "red",
    )
    assert [s.light for s in result.indicators] == [
        "green",
        "yellow",
        "green",
        "green",
        "green",
        "yellow",
        "yellow",
    ]
    assert result.light == "red"
    assert [w.code for w in result.warnings] == ["JX-W601", "JX-W602", "JX-W602", "JX-W602"]
    assert "疫情" in result.warnings[-1].message_zh


def test_the_fixture_and_its_round_trip_follow_the_published_schema() -> None:
    data = json.loads(QINGPU.read_text(encoding="utf-8"))
    jsonschema.validate(data, json_schema())
    jsonschema.validate(json.loads(dumps(loads(QINGPU.read_text(encoding="utf-8")))), json_schema())


def test_canonical_json_round_trip() -> None:
    [report] = loads(QINGPU.read_text(encoding="utf-8"))
    again = loads(dumps([report]))[0]
    assert to_dict(again) == to_dict(report)
    assert to_dict(report)["kind"] == "monitoring"
    assert to_dict(report)["indicators"][1]["reasons"] == ["人员"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"kind": "declaration"}, "$.kind"),
        ({"cutoff_month": 13}, "$.cutoff_month"),
        ({"budget": {"executed": "abc"}}, "$.budget.executed"),
        ({"indicators": [{"name": "x", "target": "=1个", "reasons": "人员"}]}, "$.indicators[0].reasons"),
        ({"project": {"name": ""}}, "$.project.name"),
    ],
)
def test_bad_monitoring_json_names_the_field(patch: dict[str, object], field: str) -> None:
    data = {"kind": "monitoring", "year": 2022, "project": {"name": "P"}, **patch}
    with pytest.raises(ValidationError) as caught:
        from_dict(data)
    assert caught.value.where.field == field


def test_monitor_command_text_and_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["monitor", str(QINGPU)])
    assert result.exit_code == 0, result.output
    assert "红灯" in result.output and "53.57%" in result.output
    result = CliRunner().invoke(main, ["monitor", str(QINGPU), "--month", "6", "--format", "json"])
    [out] = json.loads(result.output)
    # June: plan 50 %; 31.25 / 50 = 62.50 % → yellow.
    assert (out["budget"]["progress"], out["budget"]["light"]) == ("62.50", "yellow")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = CliRunner().invoke(main, ["monitor", str(bad)])
    assert result.exit_code == 2 and "JX-E500" in result.output
