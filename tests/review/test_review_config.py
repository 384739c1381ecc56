"""Profiles, configuration without code (dict or TOML), and the deduction table."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.domain.errors import InputError
from jixiao.domain.model import Declaration
from jixiao.review import GRADES, review
from jixiao.review.grading import DEFAULT_GRADING, Grading
from jixiao.review.profiles import load_config, resolve


def test_config_switches_a_rule_off(seed_declarations: list[Declaration]) -> None:
    report = review(seed_declarations, config={"rules": {"JX-R07": {"enabled": False}}})
    assert "JX-R07" not in {f.code for _, f in report.findings()}


def test_config_changes_a_threshold(seed_declarations: list[Declaration]) -> None:
    # With a 25-point gap the 70% target is no longer "far below" the unit's 90%.
    report = review(seed_declarations, config={"rules": {"JX-A01": {"gap": 25}}})
    assert "JX-A01" not in {f.code for _, f in report.findings()}
    report = review(seed_declarations, config={"rules": {"JX-A04": {"floor": 60}}})
    assert "JX-A04" not in {f.code for _, f in report.findings()}


def test_config_changes_a_severity_and_the_profile_can_be_overridden(
    seed_declarations: list[Declaration],
) -> None:
    report = review(
        seed_declarations, config={"rules": {"JX-P01": {"enabled": True}, "JX-Q03": {"severity": "error"}}}
    )
    found = [(f.code, f.severity) for _, f in report.findings()]
    assert ("JX-P01", "error") in found and ("JX-Q03", "error") in found
    assert {dr.grade for dr in report.declarations} <= {"中", "差"}


def test_a_toml_file_does_the_same(tmp_path: Path, seed_declarations: list[Declaration]) -> None:
    path = tmp_path / "review.toml"
    path.write_text(
        '[rules.JX-Q09]\nenabled = false\n[grading]\nbands = [["优", 80], ["良", 70], ["中", 60], '
        '["差", 0]]\n',
        encoding="utf-8",
    )
    report = review(seed_declarations, config=load_config(path))
    assert "JX-Q09" not in {f.code for _, f in report.findings()}
    assert [dr.grade for dr in report.declarations].count("优") == 5


@pytest.mark.parametrize(
    "config",
    [
        {"rules": {"JX-Z99": {"enabled": False}}},
        {"rules": {"JX-A01": {"gapp": 3}}},
        {"rules": {"JX-A01": {"gap": "wide"}}},
        {"rules": {"JX-A01": {"severity": "fatal"}}},
        {"rules": {"JX-A01": {"enabled": "no"}}},
        {"rules": {"JX-A01": 3}},
        {"rules": []},
        {"grading": {"bands": [["A", 90]]}},
        {"grading": {"deductions": {"error": -1}}},
        {"grading": {"deductions": {"fatal": 1}}},
        {"grading": {"colour": "red"}},
        {"colour": "red"},
    ],
)
def test_bad_configuration_is_one_input_error(config: dict[str, object]) -> None:
    with pytest.raises(InputError) as exc:
        resolve("shanghai-2022", config)
    assert exc.value.code == "JX-E121"
    assert exc.value.message_en.startswith("bad review configuration")


def test_unknown_profile() -> None:
    with pytest.raises(InputError) as exc:
        review([], profile="beijing-2030")
    assert exc.value.code == "JX-E120" and "shanghai-2022" in exc.value.message_zh


def test_unreadable_toml(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[rules\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_config(path)
    assert exc.value.code == "JX-E121"
    with pytest.raises(InputError) as exc:
        load_config(tmp_path / "missing.toml")
    assert exc.value.code == "JX-E101"


def _grading(**override: object) -> Grading:
    import copy

    return Grading.from_config(copy.deepcopy(DEFAULT_GRADING), override)


@pytest.mark.parametrize(
    ("score", "error", "grade"),
    [
        (Decimal(100), False, "优"),
        (Decimal(90), False, "优"),
        (Decimal("89.5"), False, "良"),
        (Decimal(80), False, "良"),
        (Decimal("79.9"), False, "中"),
        (Decimal(60), False, "中"),
        (Decimal("59.5"), False, "差"),
        (Decimal(0), False, "差"),
        (Decimal(95), True, "中"),
        (Decimal(50), True, "差"),
    ],
)
def test_default_bands(score: Decimal, error: bool, grade: str) -> None:
    assert _grading().grade(score, error) == grade


def test_the_cap_per_rule_keeps_one_repeated_problem_in_proportion(
    seed_declarations: list[Declaration],
) -> None:
    report = review(seed_declarations)
    first = report.declarations[0]
    # 3 × JX-Q07 (capped at 6) + R02 3 + Q02 3 + R07 3 = 15; info C02 .5 + F04 .5 + 2 × Q06 (cap 1) = 2.
    assert first.score == Decimal(83)
    assert report.settings.grading.to_dict()["cap_per_rule"]["warning"] == 6


def test_every_grade_has_its_88_consequence(seed_declarations: list[Declaration]) -> None:
    report = review(seed_declarations)
    consequences = {dr.grade: dr.consequence() for dr in report.declarations}
    assert "重新报送" in consequences["中"]
    assert set(consequences) <= set(GRADES)
