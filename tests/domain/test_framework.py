"""Indicator frameworks by year and region, with the aliases older templates use."""

from __future__ import annotations

import pytest

from jixiao.domain.framework import canonical_level1, canonical_level2, framework_for, get_framework


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("环境效益指标", "生态效益指标"),
        ("社会公众或服务对象满意度指标", "服务对象满意度指标"),
        ("满意度", "服务对象满意度指标"),
        ("数量", "数量指标"),
        ("社会效益指标", "社会效益指标"),
    ],
)
def test_level2_aliases(alias: str, canonical: str) -> None:
    assert canonical_level2(alias) == canonical


@pytest.mark.parametrize(
    ("alias", "canonical"), [("满意度", "满意度指标"), ("产出", "产出指标"), ("成本", "成本指标")]
)
def test_level1_aliases(alias: str, canonical: str) -> None:
    assert canonical_level1(alias) == canonical


def test_shanghai_2022_has_no_cost_level_and_classic_national_has_it_under_output() -> None:
    sh = get_framework("shanghai-2022")
    assert "成本指标" not in sh.levels and "成本指标" not in sh.level2_choices("产出指标")
    assert "成本指标" in get_framework("national-classic").level2_choices("产出指标")


@pytest.mark.parametrize("key", ["national-2021", "shanghai-2025"])
def test_2021_and_2025_frameworks_make_cost_a_first_level_indicator(key: str) -> None:
    fw = get_framework(key)
    assert fw.level2_choices("成本指标") == ("经济成本指标", "社会成本指标", "生态环境成本指标")
    assert "成本指标" in fw.required_level1
    assert fw.knows("产出", "时效") and not fw.knows("产出指标", "成本指标")


@pytest.mark.parametrize(
    ("year", "region", "key"),
    [
        (2022, "shanghai", "shanghai-2022"),
        (2025, "shanghai", "shanghai-2025"),
        (2019, "national", "national-classic"),
        (2023, "national", "national-2021"),
        (2022, "sichuan", "national-2021"),
    ],
)
def test_framework_in_force_by_year_and_region(year: int, region: str, key: str) -> None:
    assert framework_for(year, region).key == key


def test_unknown_framework_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="shanghai-2022"):
        get_framework("mars-2099")
