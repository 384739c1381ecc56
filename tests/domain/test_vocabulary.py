"""One vocabulary: grades, lights, categories, weights and regions are defined once and used as such."""

from __future__ import annotations

import pytest

from jixiao.domain.framework import FRAMEWORKS, framework_for
from jixiao.domain.vocabulary import (
    CONSEQUENCES,
    DEFAULT_REGION,
    DEFAULT_WEIGHTS,
    GRADES,
    LIGHT_ZH,
    LIGHTS,
    PROJECT_CATEGORIES,
    PROJECT_NATURES,
    REGIONS,
    configured_region,
    consequence,
    grade_label,
    light_label,
)
from jixiao.evaluation.config import REGION_RULES
from jixiao.review.grading import DEFAULT_GRADING
from jixiao.review.profiles import PROFILES, profile_for


def test_every_grade_has_its_88_consequence_in_both_languages() -> None:
    assert GRADES == ("优", "良", "中", "差")
    assert set(CONSEQUENCES) == set(GRADES)
    assert consequence("差") == "不得进入下一步预算安排流程"
    assert consequence("差", "en") == "may not proceed to the next budget step"
    assert [grade_label(g, "en") for g in GRADES] == ["Excellent", "Good", "Fair", "Poor"]
    assert [grade_label(g) for g in GRADES] == list(GRADES)
    assert [band[0] for band in DEFAULT_GRADING["bands"]] == list(GRADES)


def test_lights_are_named_once_in_both_languages() -> None:
    assert set(LIGHT_ZH) == set(LIGHTS)
    assert [light_label(x) for x in LIGHTS] == ["绿灯", "黄灯", "红灯"]
    assert light_label("red", "en") == "red" and light_label(None) == "" and light_label("blue") == "blue"


def test_the_natures_are_categories_and_the_excel_template_offers_the_same_lists() -> None:
    from jixiao.formats import xlsx

    assert set(PROJECT_NATURES) <= set(PROJECT_CATEGORIES)
    assert xlsx.PROJECT_CATEGORIES is PROJECT_CATEGORIES and xlsx.PROJECT_NATURES is PROJECT_NATURES


def test_the_default_weights_are_the_90_points_and_scoring_uses_them() -> None:
    assert sum(DEFAULT_WEIGHTS.values()) == 90
    assert REGION_RULES["national"].level1_weights == DEFAULT_WEIGHTS


def test_one_region_key_selects_framework_profile_and_scoring_rules() -> None:
    assert set(REGION_RULES) == set(REGIONS)
    assert {fw.region for fw in FRAMEWORKS.values()} <= {r.framework_region for r in REGIONS.values()}
    assert set(FRAMEWORKS) <= set(PROFILES)  # a framework's key is its review profile's
    for key in REGIONS:
        for year in (2018, 2022, 2026, None):
            assert profile_for(year, key) == framework_for(year, key).key
    assert profile_for(2022, "shanghai") == "shanghai-2022"
    assert profile_for(2022, "sichuan") == framework_for(2022, "national").key


@pytest.mark.parametrize(
    ("env", "region"),
    [
        ({}, DEFAULT_REGION),
        ({"JIXIAO_REGION": ""}, DEFAULT_REGION),
        ({"JIXIAO_REGION": " National "}, "national"),
    ],
)
def test_the_default_region_comes_from_configuration(env: dict[str, str], region: str) -> None:
    assert configured_region(env) == region


def test_an_unknown_configured_region_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="mars.*national, shanghai, sichuan"):
        configured_region({"JIXIAO_REGION": "mars"})
