"""Corpus analytics on a small corpus written here: benchmarks, year over year, boilerplate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from conftest import ACTUAL, BING, DECLARED, DING, JIA, SHARED_GOAL, YI, declaration, self_evaluation
from jixiao.cli import main
from jixiao.corpus import report, run_corpus


@pytest.fixture
def dataset(tmp_path: Path, write_forms: Callable[..., Path]) -> Path:
    for unit, year, name, value in DECLARED:
        goal = "保障青浦区城市运行管理中心日常运转" if unit == JIA else SHARED_GOAL
        extra = {"道路保洁面积": "=100万平方米"} if unit == DING else {}
        write_forms(
            f"{unit}/{year}.json", [declaration(unit, year, {name: f">={value}%", **extra}, goal=goal)]
        )
    for unit, year, name, value in ACTUAL:
        write_forms(f"{unit}/{year}-自评.json", [self_evaluation(unit, year, {name: (">=85%", f"{value}%")})])
    out = tmp_path / "out"
    summary = run_corpus([tmp_path / "forms"], out, workers=0)
    assert summary.files == len(DECLARED) + len(ACTUAL)
    assert not summary.failures
    return out


def _expected(values: list[float]) -> dict[str, float]:
    # DuckDB's quantile_cont interpolates linearly between order statistics, as numpy does by default.
    a = np.array(values, dtype=float)
    return {
        "n": len(values),
        "min": a.min(),
        "p10": float(np.percentile(a, 10)),
        "median": float(np.median(a)),
        "p90": float(np.percentile(a, 90)),
        "max": a.max(),
    }


def test_benchmarks_merge_the_synonyms_of_satisfaction(dataset: Path) -> None:
    rows = {(r["name"], r["unit_of_measure"]): r for r in report.benchmarks(dataset)}
    satisfaction = rows[("服务对象满意度", "%")]
    expected = _expected([v for *_, v in DECLARED])
    assert {k: satisfaction[k] for k in expected} == pytest.approx(expected)
    assert satisfaction["units"] == 4
    assert rows[("道路保洁面积", "万平方米")]["n"] == 1
    assert not any(name in ("市民满意度", "群众满意度") for name, _ in rows)


@pytest.mark.parametrize(
    ("by", "group", "units"),
    [
        ("level", "区县级", {JIA, YI}),
        ("level", "省级", {BING}),
        ("level", "市级", {DING}),
        ("region", "上海市青浦区", {JIA}),
        ("region", "安徽省", {BING}),
        ("year", 2023, {JIA, YI, BING, DING}),
        ("year", 2021, {JIA}),
        ("unit", YI, {YI}),
    ],
)
def test_benchmarks_by_region_level_year_and_unit(
    dataset: Path, by: str, group: object, units: set[str]
) -> None:
    rows = {(r["name"], r["grp"]): r for r in report.benchmarks(dataset, by=by)}
    row = rows[("服务对象满意度", group)]
    by_index = {"level": None, "region": None, "year": 1, "unit": 0}[by]
    values = [v for u, y, _, v in DECLARED if u in units and (by_index is None or (u, y)[by_index] == group)]
    assert {k: row[k] for k in ("n", "median", "min", "max")} == pytest.approx(
        {k: _expected(values)[k] for k in ("n", "median", "min", "max")}
    )
    assert row["units"] == len(units)


def test_low_balled_is_a_target_below_the_units_previous_actual(dataset: Path) -> None:
    rows = report.low_balled(dataset)
    assert [(r["unit"], r["year"], r["name"], r["target_value"], r["actual_value"]) for r in rows] == [
        (JIA, 2023, "服务对象满意度", 85.0, 92.0)
    ]


def test_unchanged_three_years(dataset: Path) -> None:
    rows = report.unchanged(dataset)
    assert [
        (r["unit"], r["name"], r["target"], r["first_year"], r["last_year"], r["years"]) for r in rows
    ] == [(JIA, "服务对象满意度", ">=85%", 2021, 2023, 3)]
    assert report.unchanged(dataset, years=4) == []


def test_boilerplate_goal_sentence_across_units(dataset: Path) -> None:
    rows = report.boilerplate(dataset, min_units=3)
    assert [(r["sentence"], r["units"], r["documents"]) for r in rows] == [(SHARED_GOAL, 3, 3)]
    assert report.boilerplate(dataset, min_units=4) == []


def test_corpus_report_command_prints_every_section(dataset: Path) -> None:
    result = CliRunner().invoke(main, ["corpus-report", str(dataset), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["low_balled"][0]["unit"] == JIA
    assert data["boilerplate_goals"][0]["units"] == 3
    assert {r["grp"] for r in data["benchmarks_by_level"]} == {"区县级", "市级", "省级"}
    text = CliRunner().invoke(main, ["corpus-report", str(dataset)])
    assert text.exit_code == 0
    assert "目标低于本单位上年实际（1）" in text.output


def test_corpus_report_on_a_folder_that_is_not_a_dataset(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["corpus-report", str(tmp_path)])
    assert result.exit_code == 2
    assert "JX-E173" in result.output
