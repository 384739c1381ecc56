"""Printed against computed, and the ``jixiao score`` command."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from eval_helpers import PUTUO, doc, ind

from jixiao.cli import main
from jixiao.domain.model import SelfEvaluation
from jixiao.evaluation.report import score_report
from jixiao.formats import read_path
from jixiao.formats.json import dumps

D = Decimal


def _putuo() -> SelfEvaluation:
    [form] = read_path(PUTUO)
    assert isinstance(form, SelfEvaluation)
    return form


def test_the_putuo_execution_rate_is_a_discrepancy_and_nothing_else() -> None:
    report = score_report(_putuo(), "shanghai")
    assert report["project"] == "体育中心与委托运营方结算费用"
    computed = report["computed"]
    assert (computed["budget_score"], computed["total_score"], computed["grade"]) == ("8.62", "98.62", "优")
    assert [(r["name"], r["score"]) for r in computed["indicators"]] == [
        ("与委托运营方结算完成率", "10.00"),
        ("合同结算条款完成率", "20.00"),
        ("费用结算及时性", "20.00"),
        ("与委托运营方合同完成率", "30.00"),
        ("场馆开放满意度", "10.00"),
    ]
    assert report["printed"]["total_score"] == "98.62"
    assert report["printed"]["budget_score"] == "8.62"
    # The form prints 86.19 %; 215,457.60 / 250,000.00 = 86.18 %: flagged, not copied (§5.7).
    [disc] = report["discrepancies"]
    assert (disc["field"], disc["printed"], disc["computed"]) == ("execution_rate", "86.19", "86.18")
    assert "86.18" in disc["message"] and "215,457.60" in disc["message"]


def test_a_printed_number_that_disagrees_is_reported_never_overwritten() -> None:
    form = _putuo()
    form.indicators[4].actual = "81%"  # >=90% reached 81 %: 10 × 81/90 = 9.00, printed 10
    form.total_score = D("98.62")
    form.grade = "良"
    report = score_report(form)
    by_field = {d["field"]: d for d in report["discrepancies"]}
    assert by_field["indicators[4].score"]["printed"] == "10"
    assert by_field["indicators[4].score"]["computed"] == "9.00"
    # 8.62 + 10 + 20 + 20 + 30 + 9 = 97.62 ≠ 98.62 printed.
    assert (by_field["total_score"]["printed"], by_field["total_score"]["computed"]) == ("98.62", "97.62")
    # 97.62 is 优, the form says 良.
    assert (by_field["grade"]["printed"], by_field["grade"]["computed"]) == ("良", "优")
    # Falling short without a deviation note.
    assert by_field["indicators[4].deviation_note"]["computed"] == "必填"
    # The document itself keeps what it printed.
    assert form.indicators[4].score == D("10") and form.total_score == D("98.62")


def test_a_wrong_budget_score_and_weight_are_discrepancies() -> None:
    form = _putuo()
    form.budget.score = D("8.61")
    form.budget.weight = D("20")
    report = score_report(form, lang="en")
    by_field = {d["field"]: d for d in report["discrepancies"]}
    assert by_field["budget_score"]["computed"] == "8.62"
    assert by_field["budget.weight"]["computed"] == "10"
    assert "budget score" in by_field["budget_score"]["message"]


def test_an_over_achievement_marked_down_is_explained() -> None:
    d = doc(
        [
            ind("产出指标", ">=100人次", "150人次", "50", score="45", name="回访量"),
            ind("效益指标", "=100%", "100%", "30", score="30"),
            ind("满意度指标", ">=90%", "95%", "10", score="10"),
        ]
    )
    report = score_report(d)
    by_field = {x["field"]: x for x in report["discrepancies"]}
    # 150 / 100 = 1.5 ≥ 1.3: the rules give the full 50; the unit marked it down to 45.
    assert by_field["indicators[0].score"]["computed"] == "50.00"
    assert "适度调减" in by_field["indicators[0].score"]["message"]
    assert "30%" in by_field["indicators[0].deviation_note"]["message"]


def test_printed_keys_appear_only_where_the_form_printed_them() -> None:
    d = doc(
        [
            ind("产出指标", ">=100个", "100个", "50"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    report = score_report(d)
    assert report["printed"] == {}
    assert report["discrepancies"] == []
    assert report["computed"]["total_score"] == "100.00"


# --- the command -----------------------------------------------------------------------------


def test_score_json_on_the_putuo_fixture() -> None:
    result = CliRunner().invoke(main, ["score", str(PUTUO), "--format", "json", "--region", "shanghai"])
    assert result.exit_code == 0, result.output
    [report] = json.loads(result.output)
    assert set(report) == {"project", "region", "computed", "printed", "discrepancies", "advisories", "basis"}
    assert set(report["computed"]) == {"budget_score", "indicators", "total_score", "grade", "cap"}
    assert report["computed"]["cap"] is None  # the execution-rate cap is off in Shanghai
    assert report["computed"]["total_score"] == "98.62"
    assert [d["field"] for d in report["discrepancies"]] == ["execution_rate"]


def test_score_text_names_the_project_total_and_discrepancy() -> None:
    result = CliRunner().invoke(main, ["score", str(PUTUO)])
    assert result.exit_code == 0, result.output
    assert "体育中心与委托运营方结算费用" in result.output
    assert "总分 98.62" in result.output and "等级 优" in result.output
    assert "86.19" in result.output and "86.18" in result.output


def test_score_several_files_in_order(tmp_path: Path) -> None:
    other = doc(
        [
            ind("产出指标", ">=100个", "80个", "50", note="部分延期"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    path = tmp_path / "other.json"
    path.write_text(dumps([other]), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(PUTUO), str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert [r["computed"]["total_score"] for r in reports] == ["98.62", "90.00"]


def test_score_a_mismatched_actual_prints_one_line_and_exits_2(tmp_path: Path) -> None:
    bad = doc(
        [
            ind("产出指标", ">=700人次", "735人", "50", name="回访测评完成量"),
            ind("效益指标", "=100%", "100%", "30"),
            ind("满意度指标", ">=90%", "95%", "10"),
        ]
    )
    path = tmp_path / "bad.json"
    path.write_text(dumps([bad]), encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--lang", "en"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert "JX-E605" in lines[0] and "回访测评完成量" in lines[0] and "unit" in lines[0]
    assert "Traceback" not in result.output


def test_score_a_file_without_self_evaluations_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "decl.json"
    path.write_text(
        json.dumps(
            [
                {
                    "kind": "declaration",
                    "year": 2022,
                    "project": {"name": "X"},
                    "funding": {},
                    "goals": {},
                    "indicators": [],
                }
            ]
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 2 and "JX-E105" in result.output


def test_score_reads_the_self_evaluation_text_form() -> None:
    text_form = Path(__file__).parent / "fixtures" / "putuo_2022_self_evaluation.txt"
    result = CliRunner().invoke(main, ["score", str(text_form), "--format", "json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.output)
    assert [r["computed"]["total_score"] for r in reports] == ["98.62", "88.52"]
    assert [d["field"] for d in reports[0]["discrepancies"]] == ["execution_rate"]


def test_the_putuo_fixture_follows_the_published_schema() -> None:
    import jsonschema

    from jixiao.formats.json import json_schema

    jsonschema.validate(json.loads(PUTUO.read_text(encoding="utf-8")), json_schema())


def test_advisories_flag_what_an_auditor_would_query() -> None:
    from jixiao.evaluation.report import advisories
    from jixiao.evaluation.scoring import evaluate

    form = _putuo()
    # S7 itself: 86.18 % spent with every 产出 at full marks (E2), and 100 % satisfaction (E4).
    assert [a.code for a in advisories(form, evaluate(form))] == ["JX-I601", "JX-I604"]
    # All spent but an output short (E2 the other way); no outcome text is fine at 100 %.
    form.budget.executed = D("250000")
    form.indicators[0].actual = "90%"
    form.indicators[0].deviation_note = "部分合同延期结算"
    form.indicators[4].actual = "95%"
    assert [a.code for a in advisories(form, evaluate(form))] == ["JX-I602"]
    # Every actual copies its target (E3), and a low rate with no outcome text.
    # (50 / 100 executed = 50 %: below 90 %, all 产出 full → JX-I601 too.)
    d = doc(
        [
            ind("产出指标", "100%", "100%", "50"),
            ind("效益指标", "提升", "提升", "30", score="30"),
            ind("满意度指标", "95%", "95%", "10"),
        ],
        executed="50",
    )
    assert [a.code for a in advisories(d, evaluate(d))] == ["JX-I601", "JX-I603", "JX-I605"]
