"""Indicator frameworks (一级 → 二级) by year and region, as data in one registry.

Adding a region's framework is adding one :class:`Framework` to :data:`FRAMEWORKS`
(domain-rules.md §1). Users write only 三级 indicators; 一级 and 二级 come from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.domain.i18n import N_, tr
from jixiao.domain.keyed import by_key
from jixiao.domain.vocabulary import DEFAULT_REGION, DEFAULT_WEIGHTS

__all__ = [
    "FRAMEWORKS",
    "LEVEL1_ALIASES",
    "LEVEL2_ALIASES",
    "LEVEL_NAMES",
    "Framework",
    "canonical_level1",
    "canonical_level2",
    "framework_for",
    "get_framework",
    "level_label",
]

OUTPUT = "产出指标"
BENEFIT = "效益指标"
SATISFACTION = "满意度指标"
COST = "成本指标"

# Older templates and other provinces label the same categories differently (domain-rules §1.1).
LEVEL1_ALIASES: dict[str, str] = {
    "产出": OUTPUT,
    "效益": BENEFIT,
    "满意度": SATISFACTION,
    "成本": COST,
    "效果指标": BENEFIT,
}
LEVEL2_ALIASES: dict[str, str] = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "环境效益指标": "生态效益指标",
    "环境效益": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "可持续发展指标": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标",
    "社会公众或服务对象满意度": "服务对象满意度指标",
    "满意度": "服务对象满意度指标",
    "经济成本": "经济成本指标",
    "社会成本": "社会成本指标",
    "生态环境成本": "生态环境成本指标",
}


@dataclass(frozen=True, slots=True)
class Framework:
    """One indicator framework: its 一级 → 二级 tree and the default self-evaluation weights."""

    key: str
    title: str
    region: str
    first_year: int
    last_year: int | None
    levels: dict[str, tuple[str, ...]]
    required_level1: tuple[str, ...]
    weights: dict[str, Decimal] = field(default_factory=dict)
    basis: str = ""

    def name(self, lang: str = "zh") -> str:
        """Return the framework's title in ``lang`` (``title`` is its Chinese msgid)."""
        return tr(self.title, lang)

    def level2_choices(self, level1: str) -> tuple[str, ...]:
        """Return the 二级 names allowed under ``level1`` (canonical names), or ()."""
        return self.levels.get(canonical_level1(level1), ())

    def knows(self, level1: str, level2: str) -> bool:
        """Return True when ``level1``/``level2`` (after aliasing) belong to this framework."""
        return canonical_level2(level2) in self.level2_choices(level1)


# The 二级 of 产出, 效益 and 满意度 are the same in every framework; only 成本 moves (§1.2).
_OUTPUTS = ("数量指标", "质量指标", "时效指标")
_BENEFITS = ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")
_SATISFACTION = ("服务对象满意度指标",)
# Shanghai's 2022 form: no 成本指标 at all.
_NO_COST_LEVELS: dict[str, tuple[str, ...]] = {
    OUTPUT: _OUTPUTS,
    BENEFIT: _BENEFITS,
    SATISFACTION: _SATISFACTION,
}
# 财预〔2020〕10号: 成本指标 is a 二级 under 产出指标.
_COST_UNDER_OUTPUT: dict[str, tuple[str, ...]] = {**_NO_COST_LEVELS, OUTPUT: (*_OUTPUTS, COST)}
# 财预〔2021〕101号 and Shanghai's 2025 指引 both make 成本指标 a first-level indicator.
_COST_FIRST_LEVELS: dict[str, tuple[str, ...]] = {
    COST: ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    **_NO_COST_LEVELS,
}

FRAMEWORKS: dict[str, Framework] = by_key(
    Framework(
        key="national-classic",
        title=N_("全国通用指标体系（成本指标在产出指标下）"),
        region="national",
        first_year=2015,
        last_year=2020,
        levels=_COST_UNDER_OUTPUT,
        required_level1=(OUTPUT, BENEFIT),
        weights=DEFAULT_WEIGHTS,
        basis="财预〔2020〕10号 第十四条；财预〔2015〕88号",
    ),
    Framework(
        key="national-2021",
        title=N_("全国指标体系（成本指标为一级指标）"),
        region="national",
        first_year=2021,
        last_year=None,
        levels=_COST_FIRST_LEVELS,
        required_level1=(COST, OUTPUT, BENEFIT),
        weights=DEFAULT_WEIGHTS,
        basis="财预〔2021〕101号",
    ),
    Framework(
        key="shanghai-2022",
        title=N_("上海市财政项目支出绩效目标申报表（2022年度）"),
        region="shanghai",
        first_year=2016,
        last_year=2024,
        levels=_NO_COST_LEVELS,
        required_level1=(OUTPUT, BENEFIT),
        weights=DEFAULT_WEIGHTS,
        basis="上海市财政项目支出绩效目标申报表（2022年度），青浦区样表",
    ),
    Framework(
        key="shanghai-2025",
        title=N_("上海市市级部门项目支出核心绩效目标和指标设置及取值指引(试行)"),
        region="shanghai",
        first_year=2025,
        last_year=None,
        levels=_COST_FIRST_LEVELS,
        required_level1=(COST, OUTPUT, BENEFIT),
        weights=DEFAULT_WEIGHTS,
        basis="上海市财政局 2025-01-02：原则上，每一项目均应设置成本指标",
    ),
)


def _level_names() -> dict[str, tuple[int, str]]:
    level1 = {name for fw in FRAMEWORKS.values() for name in fw.levels}
    level2 = {name for fw in FRAMEWORKS.values() for names in fw.levels.values() for name in names}
    return {
        **{alias: (2, canonical) for alias, canonical in LEVEL2_ALIASES.items() if canonical in level2},
        **{name: (2, name) for name in level2},
        **{alias: (1, canonical) for alias, canonical in LEVEL1_ALIASES.items() if canonical in level1},
        **{name: (1, name) for name in level1},
    }


def level_label(name: str, lang: str = "zh") -> str:
    """Return a 一级/二级 name as printed in ``lang`` (``生态效益指标`` / ``ecological benefits``);
    a name the catalogue does not know (a user's own category) as it is."""
    return tr(name, lang) if name else name


def canonical_level1(name: str) -> str:
    """Return the canonical 一级 name for ``name`` (aliases resolved, whitespace dropped)."""
    cleaned = "".join(name.split())
    return LEVEL1_ALIASES.get(cleaned, cleaned)


def canonical_level2(name: str) -> str:
    """Return the canonical 二级 name for ``name`` (e.g. 环境效益指标 → 生态效益指标)."""
    cleaned = "".join(name.split())
    return LEVEL2_ALIASES.get(cleaned, cleaned)


def get_framework(key: str) -> Framework:
    """Return the framework registered under ``key``; KeyError names the known keys."""
    try:
        return FRAMEWORKS[key]
    except KeyError:
        raise KeyError(f"unknown framework {key!r}; known: {', '.join(sorted(FRAMEWORKS))}") from None


def framework_for(year: int | None, region: str = DEFAULT_REGION) -> Framework:
    """Return the framework in force for a budget ``year`` in ``region`` (national as fallback)."""
    candidates = [f for f in FRAMEWORKS.values() if f.region == region] or [
        f for f in FRAMEWORKS.values() if f.region == "national"
    ]
    if year is None:
        return max(candidates, key=lambda f: f.first_year)
    for fw in sorted(candidates, key=lambda f: f.first_year, reverse=True):
        if fw.first_year <= year and (fw.last_year is None or year <= fw.last_year):
            return fw
    return min(candidates, key=lambda f: f.first_year)


# Every spelling of a 一级/二级 name in any framework (canonical or alias) → (level, canonical name):
# how readers recognise the category cells of an indicator table.
LEVEL_NAMES: dict[str, tuple[int, str]] = _level_names()
