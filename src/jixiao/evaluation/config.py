"""Every number of self-evaluation scoring and monitoring, as data: one table per region.

Adding a region (or a vendor deployment's bands) is adding one :class:`RegionRules` to
:data:`REGION_RULES`; the scorer and the monitor read nothing else (domain-rules.md §4, §5).

The national entry restates 财预〔2020〕10号 (weights 10/50/30/10, grade bands 90/80/60, the three
qualitative grades and their bands) and the vendor formulas of domain-rules.md §5.3 (S12). The
Shanghai entry uses the same numbers: the real 普陀区 自评表 (S7, §5.7) scores exactly that way, and
no Shanghai-specific figure has been confirmed (§9). Monitoring thresholds are the vendor traffic
lights of §4 (S12), not an official rule: change them here, not in code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from jixiao.domain.errors import ScoringError

__all__ = [
    "ACHIEVED",
    "DEVIATION_REASONS",
    "FAILED",
    "LIKELIHOODS",
    "PARTIAL",
    "QUALITATIVE_GRADES",
    "REGION_RULES",
    "GradeBand",
    "QualitativeBand",
    "RegionRules",
    "get_rules",
]

D = Decimal

# The three qualitative grades of 10号 (vendor dropdown, S12; domain-rules.md §2, §5.4).
ACHIEVED = "达成年度指标"
PARTIAL = "部分达成年度指标并具有一定效果"
FAILED = "未达成年度指标且效果较差"
QUALITATIVE_GRADES: tuple[str, ...] = (ACHIEVED, PARTIAL, FAILED)

# 完成目标可能性 of the monitoring table (136号 template, vendor S12; domain-rules.md §4).
LIKELIHOODS: tuple[str, ...] = ("确定能", "有可能", "完全不可能")

# 偏差原因分析 categories: 136号 (recalled) uses 经费/制度/人员/硬件条件保障; "其他" needs a text.
DEVIATION_REASONS: tuple[str, ...] = ("经费", "制度", "人员", "硬件条件保障", "其他")


@dataclass(frozen=True, slots=True)
class QualitativeBand:
    """One qualitative grade and its score band as fractions of the indicator's 分值.

    ``low`` is inclusive; ``high`` is inclusive only for the top band (10号: [80%, 100%],
    [60%, 80%), [0, 60%); domain-rules.md §5.4).
    """

    grade: str
    low: Decimal
    high: Decimal
    high_inclusive: bool
    light: str  # traffic light when this grade is reported in monitoring (§4)


@dataclass(frozen=True, slots=True)
class GradeBand:
    """A total score from ``minimum`` (inclusive) upwards earns ``grade`` (domain-rules.md §5.5)."""

    minimum: Decimal
    grade: str


@dataclass(frozen=True, slots=True)
class RegionRules:
    """All the numbers of scoring and monitoring for one region. Never edit them in code."""

    key: str
    title: str
    basis: str
    # --- self-evaluation (domain-rules.md §5) ---
    budget_weight: Decimal
    indicator_total: Decimal
    level1_weights: dict[str, Decimal]
    # 一级 names scored together with another 一级's default weight (the 2021 frameworks make
    # 成本指标 a 一级; 10号 had it under 产出, so it shares 产出's 50 points; inferred).
    level1_groups: dict[str, str]
    # With no 满意度 indicator its points go here (10号, "如未设置满意度指标").
    satisfaction_level1: str
    satisfaction_fallback: str
    qualitative_bands: tuple[QualitativeBand, ...]
    # Words an evaluator types for each qualitative grade (besides the grade itself).
    qualitative_words: dict[str, str]
    grade_bands: tuple[GradeBand, ...]
    # A deviation note is required at actual ≥ ratio × target (Guangxi config, S12, §5.3) …
    over_achievement_ratio: Decimal
    # … and whenever an indicator falls short of its full 分值 (10号 Art. 16).
    note_when_short: bool
    # Reverse (≤, <) indicators score 0 from this multiple of the target on (vendor formula, §5.3).
    reverse_zero_multiple: Decimal
    score_places: int
    rate_places: int
    # Units that mean the same thing in an actual and a target, and money scale factors.
    unit_aliases: dict[str, str]
    unit_scales: dict[str, tuple[str, Decimal]]
    # --- monitoring (domain-rules.md §4) ---
    cutoff_month: int
    budget_red_below: Decimal
    budget_yellow_below: Decimal
    likelihood_lights: dict[str, str]
    # 完成目标可能性 values that make 全年预计完成情况 and 偏差原因 mandatory (Tianjin config, S12).
    likelihood_needs_reason: tuple[str, ...]
    deviation_reasons: tuple[str, ...] = field(default=DEVIATION_REASONS)

    def band(self, grade: str) -> QualitativeBand:
        """Return the band of a canonical qualitative grade."""
        for band in self.qualitative_bands:
            if band.grade == grade:
                return band
        raise ScoringError(
            f"未知的定性评价等级「{grade}」", f"unknown qualitative grade '{grade}'", code="JX-E611"
        )

    def grade_for(self, total: Decimal) -> str:
        """Return 优/良/中/差 for a total score (bands sorted from the highest minimum down)."""
        for band in sorted(self.grade_bands, key=lambda b: b.minimum, reverse=True):
            if total >= band.minimum:
                return band.grade
        return self.grade_bands[-1].grade


_NATIONAL = RegionRules(
    key="national",
    title="全国：财预〔2020〕10号《项目支出绩效评价管理办法》",
    basis="财预〔2020〕10号；财预〔2019〕136号；厂商系统公式（domain-rules.md §4、§5）",
    budget_weight=D(10),
    indicator_total=D(90),
    level1_weights={"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)},
    level1_groups={"成本指标": "产出指标"},
    satisfaction_level1="满意度指标",
    satisfaction_fallback="效益指标",
    qualitative_bands=(
        QualitativeBand(ACHIEVED, D("0.8"), D("1"), True, "green"),
        QualitativeBand(PARTIAL, D("0.6"), D("0.8"), False, "yellow"),
        QualitativeBand(FAILED, D("0"), D("0.6"), False, "red"),
    ),
    qualitative_words={
        "达成": ACHIEVED,
        "已达成": ACHIEVED,
        "全部达成": ACHIEVED,
        "完成": ACHIEVED,
        "已完成": ACHIEVED,
        "全部完成": ACHIEVED,
        "达到": ACHIEVED,
        "已达到": ACHIEVED,
        "是": ACHIEVED,
        "按时": ACHIEVED,
        "按时完成": ACHIEVED,
        "及时": ACHIEVED,
        "部分达成": PARTIAL,
        "基本达成": PARTIAL,
        "部分完成": PARTIAL,
        "基本完成": PARTIAL,
        "未达成": FAILED,
        "未完成": FAILED,
        "未达到": FAILED,
        "否": FAILED,
    },
    grade_bands=(
        GradeBand(D(90), "优"),
        GradeBand(D(80), "良"),
        GradeBand(D(60), "中"),
        GradeBand(D(0), "差"),
    ),
    over_achievement_ratio=D("1.3"),
    note_when_short=True,
    reverse_zero_multiple=D(2),
    score_places=2,
    rate_places=2,
    unit_aliases={"日": "天", "个工作日": "工作日", "个小时": "小时", "个月": "月", "％": "%"},
    unit_scales={"万元": ("元", D(10000)), "亿元": ("元", D(100000000))},
    cutoff_month=7,
    budget_red_below=D(60),
    budget_yellow_below=D(80),
    likelihood_lights={"确定能": "green", "有可能": "yellow", "完全不可能": "red"},
    likelihood_needs_reason=("有可能", "完全不可能"),
)

REGION_RULES: dict[str, RegionRules] = {
    "national": _NATIONAL,
    "shanghai": replace(
        _NATIONAL,
        key="shanghai",
        title="上海：财政项目支出绩效自评表（按财预〔2020〕10号计分）",
        basis="上海市普陀区体育事业管理中心 2022 年度项目自评价（S7，domain-rules.md §5.6–5.7）；"
        "上海的监控截止月份与阈值未经确认，沿用全国默认值",
    ),
}


def get_rules(region: str | RegionRules = "national") -> RegionRules:
    """Return the rules of ``region`` (a key of :data:`REGION_RULES`, or rules given directly)."""
    if isinstance(region, RegionRules):
        return region
    try:
        return REGION_RULES[region]
    except KeyError:
        known = "、".join(sorted(REGION_RULES))
        raise ScoringError(
            f"未知的地区计分规则「{region}」（可选：{known}）",
            f"unknown region rules '{region}' (known: {', '.join(sorted(REGION_RULES))})",
            code="JX-E610",
        ) from None
