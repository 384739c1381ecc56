"""Every review rule says where it comes from, and the review's points are labelled jixiao's own.

88号 defines the four grades and their consequences, not points (domain-rules.md §10): wherever a
review score appears it says it is jixiao's deduction table.
"""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.domain.model import Declaration
from jixiao.domain.provenance import STATUSES
from jixiao.review import RULES, review
from jixiao.review.profiles import PROFILES, resolve
from jixiao.review.render import render
from jixiao.review.render.html import render_html


def _catalogue(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(main, ["rules", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def test_rules_json_lists_every_rule_with_its_basis_and_status() -> None:
    data = _catalogue()
    assert [r["code"] for r in data["rules"]] == list(RULES)
    for r in data["rules"]:
        assert r["basis"].strip() and r["basis"] != "（未注明）", r["code"]
        assert r["status"] in STATUSES, r["code"]
        assert r["status_label"]
        if r["status"] == "provincial":
            assert r["region"], r["code"]
        assert set(r["param_basis"]) == set(r["params"]), r["code"]
        for p in r["param_basis"].values():
            assert p["basis"] and p["status"] in STATUSES


def test_every_registered_rule_has_a_provenance_of_its_own() -> None:
    for code, rule in RULES.items():
        assert rule.provenance.basis_zh not in ("", "（未注明）"), code
        assert rule.provenance.status in STATUSES, code


def test_a_catalogue_entry_without_a_status_or_basis_is_refused() -> None:
    from jixiao.review.registry import parse_catalogue

    entry = 'family = "completeness"\nseverity = "info"\ntitle = "t"\nmessage = "m"\n'
    with pytest.raises(ValueError, match="missing.*status"):
        parse_catalogue(f'[JX-Z98]\n{entry}basis = "b"\n')
    with pytest.raises(ValueError, match="basis"):
        parse_catalogue(f'[JX-Z97]\n{entry}basis = " "\nstatus = "jixiao"\n')
    with pytest.raises(ValueError, match="unknown parameters"):
        parse_catalogue(
            f'[JX-Z96]\n{entry}basis = "b"\nstatus = "jixiao"\n'
            '[JX-Z96.param_basis.gap]\nstatus = "jixiao"\nbasis = "b"\n'
        )
    assert "JX-Z98" not in RULES and "JX-Z97" not in RULES


def test_a_check_whose_code_is_not_in_the_catalogue_stops_the_import() -> None:
    from jixiao.review.registry import CATALOGUE, check_catalogue, rule

    with pytest.raises(LookupError, match="JX-Z99"):
        rule("JX-Z99")
    # Every entry of the catalogue has its check, and no check is registered without an entry.
    check_catalogue()
    assert set(RULES) == set(CATALOGUE)


def test_rules_json_also_lists_the_grading_table_and_the_scoring_rules() -> None:
    data = _catalogue("--region", "sichuan")
    by_key = {g["key"]: g for g in data["grading"]}
    assert by_key["grading.deductions"]["status"] == "jixiao"
    assert by_key["grading.bands"]["status"] == "jixiao"
    assert by_key["grading.consequences"]["status"] == "official"
    assert "88号" in by_key["grading.consequences"]["basis"]
    assert data["scoring"]["region"] == "sichuan"
    [reason] = [o for o in data["scoring"]["options"] if o["option"] == "low_execution_reason"]
    assert (reason["choice"]["key"], reason["is_default"], reason["choice"]["region"]) == (
        "required",
        False,
        "四川",
    )


def test_the_text_catalogue_prints_the_status_of_each_rule() -> None:
    result = CliRunner().invoke(main, ["rules", "--profile", "national-2021"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = next(n for n, line in enumerate(lines) if "JX-P01" in line)
    assert "warning" in lines[at]
    assert "[官方文件" in lines[at + 1] and "101号" in lines[at + 1]
    assert "默认理由" in result.output


@pytest.mark.parametrize(
    ("profile", "enabled", "severity", "status"),
    [
        ("shanghai-2022", False, "error", "provincial"),
        ("national-classic", False, "error", "provincial"),
        ("national-2021", True, "warning", "official"),
        ("shanghai-2025", True, "error", "provincial"),
    ],
)
def test_the_cost_rule_cites_what_each_profile_rests_on(
    profile: str, enabled: bool, severity: str, status: str
) -> None:
    [p01] = [r for r in _catalogue("--profile", profile)["rules"] if r["code"] == "JX-P01"]
    assert (p01["enabled"], p01["severity"], p01["status"]) == (enabled, severity, status)
    assert ("101号" in p01["basis"]) == (profile == "national-2021")


def test_a_configuration_cannot_rewrite_what_a_rule_rests_on() -> None:
    from jixiao.domain.errors import InputError

    with pytest.raises(InputError):
        resolve("shanghai-2022", {"rules": {"JX-Q01": {"provenance": "official"}}})
    assert all(p.key in PROFILES for p in PROFILES.values())


def test_review_json_gives_each_finding_its_status_and_labels_the_score(
    seed_declarations: list[Declaration],
) -> None:
    data = review(seed_declarations, profile="national-2021").to_dict()
    for d in data["declarations"]:
        assert d["score_basis"]["status"] == "jixiao"
        assert d["consequence_basis"]["status"] == "official"
        for f in d["findings"]:
            assert f["status"] in STATUSES and f["basis"] and f["status_label"]
    p01 = [f for d in data["declarations"] for f in d["findings"] if f["code"] == "JX-P01"]
    assert p01 and {f["status"] for f in p01} == {"official"} and {f["severity"] for f in p01} == {"warning"}
    assert all(r["status"] in STATUSES for r in data["rules"])
    assert data["grading"]["basis"]["deductions"]["status"] == "jixiao"


def test_html_and_xlsx_reports_show_the_status_and_label_the_score(
    seed_declarations: list[Declaration],
) -> None:
    report = review(seed_declarations)
    html = render_html(report)
    assert html.count("jixiao 自定扣分表得分（非官方）") == len(seed_declarations)
    assert 'class="st st-official"' in html and 'class="st st-jixiao"' in html
    assert "评分方法（jixiao 自定，非官方）" in html
    wb = openpyxl.load_workbook(io.BytesIO(render(report, "xlsx")))  # type: ignore[arg-type]
    header = [c.value for c in wb["审核意见"][1]]
    assert "依据性质" in header
    status_col = header.index("依据性质")
    statuses = {row[status_col] for row in wb["审核意见"].iter_rows(min_row=2, values_only=True)}
    assert "官方文件" in statuses and "jixiao 自定（可配置）" in statuses
    assert any("jixiao 自定扣分表" in str(c.value) for c in wb["项目"][1])
    en = render_html(report, "en")
    assert "score on jixiao&#x27;s own deduction table (not official)" in en
