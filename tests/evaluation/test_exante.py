"""事前绩效评估: the sheet's total and conclusion on hand-worked examples (domain-rules.md §3.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.evaluation.config import REGION_RULES
from jixiao.evaluation.exante import EXANTE, ITEMS, SECTIONS, ExAnteRules, Rating, assess, required


def _sheet(grades: list[str]) -> dict[str, Rating]:
    return {item.key: Rating(g, "") for item, g in zip(ITEMS, grades, strict=False)}


def test_five_sections_of_four_items_make_100_points() -> None:
    assert [zh for zh, _, _ in SECTIONS] == [
        "立项必要性",
        "投入经济性",
        "绩效目标合理性",
        "实施方案可行性",
        "筹资合规性",
    ]
    assert all(len(items) == 4 for _, _, items in SECTIONS)
    assert sum(i.points for i in ITEMS) == 100


def test_hand_worked_sheet() -> None:
    """12 优 × 5 = 60; 5 良 × 5 × 0.8 = 20; 2 中 × 5 × 0.6 = 6; 1 差 × 5 × 0.2 = 1; total 87.00 ≥ 80 → 予以支持."""
    result = assess(_sheet(["优"] * 12 + ["良"] * 5 + ["中"] * 2 + ["差"]))
    assert result.complete
    assert result.total == Decimal("87.00")
    assert (result.conclusion, result.conclusion_en) == ("予以支持", "supported")
    assert result.points[ITEMS[19].key] == Decimal("1.00")


@pytest.mark.parametrize(
    ("grades", "total", "conclusion"),
    [
        (["良"] * 20, "80.00", "予以支持"),  # 20 × 4 = 80: the lower edge of 予以支持
        (["中"] * 20, "60.00", "部分支持（调整完善后支持）"),  # 20 × 3 = 60
        (["中"] * 19 + ["差"], "58.00", "不予支持"),  # 19 × 3 + 1 = 58
        (["差"] * 20, "20.00", "不予支持"),
        (["优"] * 20, "100.00", "予以支持"),
    ],
)
def test_bands(grades: list[str], total: str, conclusion: str) -> None:
    result = assess(_sheet(grades))
    assert result.total == Decimal(total) and result.conclusion == conclusion


def test_an_incomplete_sheet_has_no_conclusion_and_lists_what_is_missing() -> None:
    """16 items 优 = 80 points so far, but the four 筹资合规性 items are not ticked: no conclusion."""
    result = assess(_sheet(["优"] * 16))
    assert not result.complete and result.conclusion == ""
    assert result.total == Decimal("80.00")
    assert [i.section for i in result.missing] == ["筹资合规性"] * 4
    wrong = assess({**_sheet(["优"] * 20), ITEMS[0].key: Rating("甲")})
    assert not wrong.complete and wrong.invalid[0][1] == "甲"


@pytest.mark.parametrize(
    ("is_new", "amount", "needed"),
    [
        (True, Decimal("5000000"), True),  # at the default threshold of 5,000,000 元
        (True, Decimal("4999999.99"), False),
        (False, Decimal("80000000"), False),  # a continuing project
        (True, None, False),
    ],
)
def test_which_projects_need_the_sheet(is_new: bool, amount: Decimal | None, needed: bool) -> None:
    assert required(is_new=is_new, amount=amount) is needed


def test_the_threshold_and_bands_are_set_per_region() -> None:
    assert REGION_RULES["shanghai"].exante == EXANTE
    strict = ExAnteRules(threshold=Decimal(1_000_000))
    assert required(is_new=True, amount=Decimal(2_000_000), rules=strict)
    assert not required(is_new=True, amount=Decimal(2_000_000))
