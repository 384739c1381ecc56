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

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from jixiao.domain.errors import ScoringError
from jixiao.domain.i18n import N_, month_name, tr
from jixiao.domain.keyed import by_key
from jixiao.domain.provenance import Choice, Option, Provenance, jixiao_own
from jixiao.domain.vocabulary import (
    DEFAULT_REGION,
    DEFAULT_WEIGHTS,
    EXCELLENT,
    FAIR,
    GOOD,
    POOR,
    grade_label,
    light_label,
)
from jixiao.evaluation.exante import EXANTE, ExAnteRules

__all__ = [
    "ACHIEVED",
    "DEVIATION_REASONS",
    "CONSEQUENCES",
    "EXECUTION_CAPS",
    "FAILED",
    "LIKELIHOODS",
    "PARTIAL",
    "PROVENANCE",
    "QUALITATIVE_GRADES",
    "REGION_RULES",
    "SCORING_OPTIONS",
    "Consequence",
    "ExecutionCap",
    "GradeBand",
    "QualitativeBand",
    "RegionRules",
    "RollupWeights",
    "get_rules",
    "with_options",
]

D = Decimal

# The three qualitative grades of 10号 (vendor dropdown, S12; domain-rules.md §2, §5.4).
ACHIEVED = N_("达成年度指标")
PARTIAL = N_("部分达成年度指标并具有一定效果")
FAILED = N_("未达成年度指标且效果较差")
QUALITATIVE_GRADES: tuple[str, ...] = (ACHIEVED, PARTIAL, FAILED)

# 完成目标可能性 of the monitoring table (136号 template, vendor S12; domain-rules.md §4).
LIKELIHOODS: tuple[str, ...] = (N_("确定能"), N_("有可能"), N_("完全不可能"))

# 偏差原因分析 categories: 136号 (recalled) uses 经费/制度/人员/硬件条件保障; "其他" needs a text.
DEVIATION_REASONS: tuple[str, ...] = (N_("经费"), N_("制度"), N_("人员"), N_("硬件条件保障"), N_("其他"))


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
class ExecutionCap:
    """Below ``below`` percent of budget execution, the total self-evaluation score is at most ``cap``.

    A region's bands are a tuple of these; the lowest band the rate falls under wins (65 % is under
    80 and 70: the 70 band's 79 applies). The rate compared is the 执行率 as the form prints it (two
    decimals), so the cap agrees with the rate shown beside it.
    """

    below: Decimal
    cap: Decimal


# One platform manual (province not named, domain-rules.md §10): 70–80 % → at most 89, 60–70 % → 79,
# below 60 % → 69, below 50 % → 59.
EXECUTION_CAPS: tuple[ExecutionCap, ...] = (
    ExecutionCap(D(80), D(89)),
    ExecutionCap(D(70), D(79)),
    ExecutionCap(D(60), D(69)),
    ExecutionCap(D(50), D(59)),
)


@dataclass(frozen=True, slots=True)
class Consequence:
    """One rule of 评价结果应用: when it fires and what it suggests for next year's budget.

    The conditions given are all required (a rule with ``grades=("差",)`` fires on 差; one with
    ``rate_below=60`` on an execution rate under 60 %). Of the rules that fire on a project the one
    with the highest ``weight`` is its suggestion; the others are listed as further reasons. A
    suggestion is advice for the budget meeting, never a decision.
    """

    key: str
    weight: int
    title_zh: str
    title_en: str
    provenance: Provenance
    grades: tuple[str, ...] = ()
    rate_below: Decimal | None = None
    missed_at_least: int | None = None

    def __post_init__(self) -> None:
        if not (self.grades or self.rate_below is not None or self.missed_at_least is not None):
            raise ValueError(f"consequence {self.key}: no condition")
        if any(g not in (EXCELLENT, GOOD, FAIR, POOR) for g in self.grades):
            raise ValueError(f"consequence {self.key}: unknown grade in {self.grades}")

    def fires(self, grade: str | None, rate: Decimal | None, missed: int) -> bool:
        """Return True when a project with this grade, execution rate and missed count meets the rule."""
        if self.grades and grade not in self.grades:
            return False
        if self.rate_below is not None and (rate is None or rate >= self.rate_below):
            return False
        return self.missed_at_least is None or missed >= self.missed_at_least

    def condition(self, lang: str = "zh") -> str:
        """Return the rule's condition in words: 「等级为差」, 「预算执行率低于 60%」 …"""
        en = lang == "en"
        parts = []
        if self.grades:
            shown = "/".join(grade_label(g, lang) for g in self.grades) if en else "/".join(self.grades)
            parts.append(("grade " if en else "等级为") + shown)
        if self.rate_below is not None:
            below = format(self.rate_below.normalize(), "f")
            parts.append(f"execution rate below {below}%" if en else f"预算执行率低于 {below}%")
        if self.missed_at_least is not None:
            n = self.missed_at_least
            parts.append(f"{n} or more targets missed" if en else f"未完成指标 {n} 项及以上")
        return (" and " if en else "且").join(parts)

    def title(self, lang: str = "zh") -> str:
        """Return the suggestion in ``lang``."""
        return self.title_en if lang == "en" else self.title_zh


_RESULTS_10 = Provenance(
    "official",
    "财预〔2020〕10号《项目支出绩效评价管理办法》：评价结果作为安排以后年度预算、调整政策和改进管理的重要依据；评价结果较差的予以压减或取消（转述，"
    "domain-rules.md §7）",
    "10号: results inform later budgets; poor results lead to cuts or cancellation (recalled, domain-rules.md §7)",
    verified=False,
)

# The default rules of 评价结果应用: 差 → 压减或取消 rests on 10号; the rest are jixiao's own
# reading for the budget meeting (configurable per region, RegionRules.consequences).
CONSEQUENCES: tuple[Consequence, ...] = (
    Consequence("poor", 50, "压减或取消预算", "reduce or stop the budget", _RESULTS_10, grades=(POOR,)),
    Consequence(
        "low_execution",
        40,
        "核减预算，审视资金安排",
        "cut the budget and review the allocation",
        jixiao_own(
            "执行率低于 60%：与运行监控红灯同一界限（domain-rules.md §4），资金需求可能被高估",
            "execution below 60%: the monitoring's red-light line (domain-rules.md §4); the need may be overstated",
        ),
        rate_below=D(60),
    ),
    Consequence(
        "fair",
        30,
        "审视资金安排，督促整改后再安排",
        "review the allocation; fund once the fixes are made",
        jixiao_own(
            "等级为中：整改后再安排（88号对目标审核「中」的处理方式类推）", "grade 中: fund after fixes"
        ),
        grades=(FAIR,),
    ),
    Consequence(
        "missed",
        20,
        "按未完成指标整改，完善下年度目标",
        "fix what was missed and revise next year's targets",
        jixiao_own(
            "有未完成的指标：下年度申报对照整改", "targets missed: next year's declaration follows them up"
        ),
        missed_at_least=1,
    ),
    Consequence(
        "good",
        10,
        "维持，按需安排",
        "keep, fund as needed",
        jixiao_own("等级为良：维持现有安排", "grade 良: keep the allocation"),
        grades=(GOOD,),
    ),
    Consequence(
        "excellent",
        5,
        "优先保障",
        "give priority",
        jixiao_own("等级为优：同等条件下优先保障", "grade 优: first in line, other things equal"),
        grades=(EXCELLENT,),
    ),
)


# --- where each number comes from (domain-rules.md §5, §10) -------------------------------------

_S12 = "厂商预算绩效管理系统（模块 pmkpi，多省部署）源码"
_10 = "财预〔2020〕10号《项目支出绩效评价管理办法》"

# The qualitative bands every source states: 达成 [80%, 100%], 部分达成 [60%, 80%), 未达成 [0, 60%).
SYSTEM_BANDS: tuple[QualitativeBand, ...] = (
    QualitativeBand(ACHIEVED, D("0.8"), D("1"), True, "green"),
    QualitativeBand(PARTIAL, D("0.6"), D("0.8"), False, "yellow"),
    QualitativeBand(FAILED, D("0"), D("0.6"), False, "red"),
)

REVERSE_LINEAR = "linear"
REVERSE_RATIO = "ratio"
OVER_ALL_SIGNS = "all-signs"
OVER_AT_LEAST = "at-least"
REASON_ADVISED = "advised"
REASON_REQUIRED = "required"
OFF = "off"
DEDUCT = "deduct"
CAPPED = "capped"
_MANUAL = "一份省级预算管理一体化平台绩效模块操作手册（省份未署名）"
ROLLUP_BALANCED = "balanced"
ROLLUP_EXECUTION = "execution"


@dataclass(frozen=True, slots=True)
class RollupWeights:
    """The points of a department roll-up (部门整体支出绩效自评): budget execution across its projects,
    the share of its projects graded 优/良, the share of their indicators met; 100 in all."""

    execution: Decimal
    good: Decimal
    met: Decimal

    @property
    def total(self) -> Decimal:
        """Return the sum of the three (100 for a valid table)."""
        return self.execution + self.good + self.met


SCORING_OPTIONS: dict[str, Option] = by_key(
    Option(
        "reverse_formula",
        "反向指标（≤、<）未达成时的计分公式",
        "score of a reverse (≤, <) indicator that misses its limit",
        (
            Choice(
                REVERSE_LINEAR,
                "线性：分值 × (1 − (实际值 − 目标值) / 目标值)，实际值达目标值 2 倍及以上得 0 分",
                "linear: w × (1 − (a − t) / t), 0 from twice the limit on",
                Provenance(
                    "practice",
                    f"{_S12}中的反向指标公式（domain-rules.md §5.3）：≤100、实际 120、分值 10 → 8.00",
                    "the reverse formula in a provincial system's code (domain-rules.md §5.3): "
                    "≤100, actual 120, weight 10 → 8.00",
                ),
            ),
            Choice(
                REVERSE_RATIO,
                "比值：目标值 / 实际值 × 分值",
                "ratio: t / a × w",
                Provenance(
                    "practice",
                    "一份地方自评表的计分方法（domain-rules.md §10）：≤100、实际 120、分值 10 → 8.33",
                    "a local self-evaluation form (domain-rules.md §10): ≤100, actual 120, weight 10 → 8.33",
                ),
            ),
        ),
        REVERSE_LINEAR,
        "没有官方公式；线性公式是已部署的省级系统实际运行的公式，比值公式只见于一份地方表格",
        "no official formula exists; the linear one is what a deployed provincial system runs, "
        "the ratio was seen on one local form only",
    ),
    Option(
        "qualitative_bands",
        "定性指标各等级的得分区间",
        "score bands of the qualitative grades",
        (
            Choice(
                "system",
                "达成 [80%, 100%]，部分达成 [60%, 80%)，未达成 [0, 60%)",
                "achieved [80%, 100%], partly [60%, 80%), not [0, 60%)",
                Provenance(
                    "practice",
                    f"{_S12}的校验规则；{_10}的同一分档系转述，原文未见（domain-rules.md §5.4、§10）",
                    "a provincial system's validator; 10号 is recalled to give the same bands, "
                    "its wording unverified (domain-rules.md §5.4, §10)",
                ),
                SYSTEM_BANDS,
            ),
        ),
        "system",
        "这是各来源给出的唯一分档；地区可以带上自己的分档（Choice 对象，注明依据）",
        "the only bands any source gives; a region may bring its own (a Choice, with its basis)",
    ),
    Option(
        "low_execution_reason",
        "预算执行率低于 90% 时的原因说明",
        "the reason for an execution rate below 90%",
        (
            Choice(
                REASON_ADVISED,
                "提示：建议在实际完成情况中说明原因（JX-I605）",
                "advised: a note asks for the reason (JX-I605)",
                jixiao_own(
                    "全国文件没有此项要求；jixiao 按四川做法给出提示，不影响计分核对",
                    "no national text requires it; jixiao asks for it as Sichuan does, as a note only",
                ),
            ),
            Choice(
                REASON_REQUIRED,
                "必填：未说明原因列为与规则不符（硬性检查）",
                "required: a missing reason is a discrepancy (hard check)",
                Provenance(
                    "provincial",
                    "四川省部门预算项目支出绩效自评表填报说明：执行率低于 90% 的须说明原因（≤100字）"
                    "（domain-rules.md §5.2、§6）",
                    "Sichuan's self-evaluation form: below 90% a reason (≤100 characters) is required",
                    region="四川",
                ),
            ),
        ),
        REASON_ADVISED,
        "只有四川的表格要求必填；全国规则没有，默认只作提示",
        "only Sichuan's form requires it; the national rules do not, so by default it is advice",
    ),
    Option(
        "over_achievement_scope",
        "超额完成较多（偏离 30% 及以上）须说明偏差原因的指标范围",
        "which targets need a note when beaten by 30% or more",
        (
            Choice(
                OVER_ALL_SIGNS,
                "所有定量指标：正向、等于指标实际值达目标值 130% 及以上；反向指标实际值低于上限 30% 及以上",
                "every quantitative sign: ≥/= at 130% of the target or more; ≤ at 30% or more below the limit",
                Provenance(
                    "practice",
                    f"广西部署配置（{_S12}）：实际值达目标值 130% 及以上须填偏差原因，适用于各类定量指标；"
                    "反向指标按「低于上限 30%」对应为 jixiao 的换算（domain-rules.md §5.3、§10）",
                    "Guangxi's deployment of a provincial system applies the 130% rule to every "
                    "quantitative sign; for ≤ targets '30% below the limit' is jixiao's reading",
                    region="广西",
                ),
            ),
            Choice(
                OVER_AT_LEAST,
                "只限正向指标（≥、>）",
                "only ≥ and > targets",
                jixiao_own(
                    f"{_10}「超额完成较多」只读作正向指标超出目标（条文原文未核实）",
                    "10号's 'exceeded by a lot' read as applying to ≥ targets only (wording unverified)",
                ),
            ),
        ),
        OVER_ALL_SIGNS,
        "已部署的省级系统对所有定量指标适用；这是唯一看到的做法",
        "a deployed provincial system applies it to every sign; it is the only practice seen",
    ),
    Option(
        "over_achievement_deduction",
        "超额完成较多（偏离 30% 及以上）视为目标设定偏低并扣分",
        "a target beaten by 30% or more counts as set too low and loses points",
        (
            Choice(
                OFF,
                "不扣分：只要求说明偏差原因",
                "no deduction: only a deviation note is required",
                Provenance(
                    "official",
                    f"{_10}：超额完成较多的应分析原因，目标明显设定偏低的「按照偏离度适度调减」，"
                    "未规定扣分数额（转述，domain-rules.md §5.3）",
                    "10号: a large over-achievement is analysed; a target clearly set too low is "
                    "'marked down by the deviation', with no amount given (recalled)",
                    verified=False,
                ),
            ),
            Choice(
                DEDUCT,
                "扣分：该指标得分扣减 2 分（不低于 0 分），得分旁注明原因",
                "deduct: the indicator loses 2 points (not below 0), the reason beside its score",
                Provenance(
                    "practice",
                    f"{_MANUAL}：实际值超过目标值 30% 及以上视为「指标偏离」，扣 2 分（domain-rules.md §10）；"
                    "方向与 over_achievement_scope 相同（反向指标为低于上限 30% 及以上）",
                    "a provincial platform manual (province unknown): 30% or more past the target is "
                    "'指标偏离', minus 2 points; the direction follows over_achievement_scope",
                ),
                D(2),
            ),
        ),
        OFF,
        "只见于一份省份不明的操作手册；全国规则只说适度调减，不定数额，默认不扣分",
        "seen in one manual of an unnamed province only; the national rule names no amount, "
        "so by default nothing is deducted",
    ),
    Option(
        "execution_cap",
        "按预算执行率封顶自评总分",
        "the total score capped by the budget execution rate",
        (
            Choice(
                OFF,
                "不封顶：执行率只影响其 10 分",
                "no cap: the execution rate counts for its 10 points only",
                Provenance(
                    "official",
                    f"{_10}：预算执行率 10 分，总分 = 执行率得分 + 指标得分（转述，domain-rules.md §5.5）",
                    "10号: the execution rate is worth 10 points, total = its score + the indicators' (recalled)",
                    verified=False,
                ),
            ),
            Choice(
                CAPPED,
                "封顶：执行率低于 80% 至多 89 分，低于 70% 至多 79 分，低于 60% 至多 69 分，低于 50% 至多 59 分",
                "capped: below 80% at most 89, below 70% at most 79, below 60% at most 69, below 50% at most 59",
                Provenance(
                    "practice",
                    f"{_MANUAL}：执行率 70–80% 总分最高 89 分，60–70% 最高 79 分，60% 以下最高 69 分，"
                    "50% 以下最高 59 分（domain-rules.md §10）",
                    "a provincial platform manual (province unknown): 70–80% at most 89, 60–70% 79, "
                    "below 60% 69, below 50% 59",
                ),
                EXECUTION_CAPS,
            ),
        ),
        OFF,
        "只见于一份省份不明的操作手册，默认不封顶；地区可以带上自己的分档（Choice 对象，注明依据）",
        "seen in one manual of an unnamed province only, so off by default; a region may bring its "
        "own bands (a Choice, with its basis)",
    ),
    Option(
        "department_rollup_weights",
        "部门整体自评汇总项目结果时各项的分值（预算执行率、项目优良率、指标完成率，合计 100）",
        "points of a department's roll-up of its projects (execution, share graded 优/良, targets met; 100 in all)",
        (
            Choice(
                ROLLUP_BALANCED,
                "预算执行率 30、项目自评优良率 40、指标完成率 30",
                "execution 30, projects graded 优/良 40, indicators met 30",
                jixiao_own(
                    "没有来源规定部门整体自评如何汇总项目结果（domain-rules.md §8：字段规则未研究）；"
                    "jixiao 以项目自评等级为主，执行率与指标完成率并重",
                    "no source says how a department's self-evaluation rolls up its projects "
                    "(domain-rules.md §8); jixiao weighs the projects' grades most",
                ),
                RollupWeights(D(30), D(40), D(30)),
            ),
            Choice(
                ROLLUP_EXECUTION,
                "预算执行率 40、项目自评优良率 30、指标完成率 30",
                "execution 40, projects graded 优/良 30, indicators met 30",
                jixiao_own(
                    "为重视预算执行进度的地区准备的另一种分配（无来源）",
                    "an alternative for regions that stress budget execution (no source)",
                ),
                RollupWeights(D(40), D(30), D(30)),
            ),
        ),
        ROLLUP_BALANCED,
        "两种分配都是 jixiao 自定；地区可以带上自己的分配（Choice 对象，注明依据）",
        "both splits are jixiao's own; a region may bring its own (a Choice, with its basis)",
    ),
)

# Every number of the table below, by field name: what it rests on (domain-rules.md §5, §10).
PROVENANCE: dict[str, Provenance] = {
    "budget_weight": Provenance(
        "official",
        f"{_10}附件：预算执行率 10 分（转述，见 domain-rules.md §5.1；上海 S7、安徽 S8 实表一致）",
        "10号: the execution rate is worth 10 points (recalled; the Shanghai and Anhui forms agree)",
        verified=False,
    ),
    "budget_formula": Provenance(
        "provincial",
        "执行率 = 全年执行数 / 全年预算数（调整后），得分 = min(执行率, 100%) × 分值，保留两位小数："
        f"四川省自评表（S9）的公式，{_S12}同；上海普陀自评表（S7）的算术与之一致",
        "rate = executed / adjusted budget, score = min(rate, 100%) × weight: Sichuan's form and a "
        "provincial system; the Shanghai Putuo form's arithmetic agrees",
        region="四川",
    ),
    "level1_weights": Provenance(
        "official",
        f"{_10}：产出 50、效益 30、满意度 10（原则上）；各一级分值在其三级指标间平均分配为 jixiao 的默认",
        "10号: outputs 50, benefits 30, satisfaction 10 (recalled); an even split across a level's "
        "indicators is jixiao's default",
        verified=False,
    ),
    "indicator_total": Provenance(
        "official", f"{_10}：绩效指标合计 90 分，另 10 分为预算执行率", "10号: indicators 90", verified=False
    ),
    "satisfaction_fallback": Provenance(
        "official",
        f"{_10}：如未设置满意度指标，其分值并入效益指标",
        "10号: without a satisfaction indicator its points go to benefits",
        verified=False,
    ),
    "level1_groups": jixiao_own(
        "2021 年指标体系把成本指标列为一级指标；10号中成本指标在产出之下，故与产出共用 50 分（推断）",
        "the 2021 frameworks make cost a level-1 category; 10号 had it under outputs, so it shares their 50",
    ),
    "grade_bands": Provenance(
        "official",
        f"{_10}：优 90–100、良 80–89、中 60–79、差 0–59（财政部预算司表述，二手来源确认，S3）",
        "10号 grade bands 90/80/60 (confirmed by a secondary source)",
        verified=False,
    ),
    "over_achievement_ratio": Provenance(
        "practice",
        f"广西部署配置（{_S12}）：实际值达目标值 130% 及以上须填写偏差原因及改进措施",
        "Guangxi's deployment: at 130% of the target or more a deviation note is required",
        region="广西",
    ),
    "note_when_short": Provenance(
        "official",
        f"{_10}：未完成目标的须分析偏差原因（转述）；自评表「偏差原因分析及改进措施」栏",
        "10号: shortfalls must be explained (recalled); the form's deviation column",
        verified=False,
    ),
    "positive_formula": Provenance(
        "official",
        f"{_10}：未完成的按「分值 × 完成值 / 指标值」计分（转述），{_S12}同",
        "10号: a shortfall scores weight × actual / target (recalled); a provincial system agrees",
        verified=False,
    ),
    "equal_formula": Provenance(
        "practice",
        f"{_S12}：等于指标按正向计分；目标值为 0 时实际值不大于 0 得满分，否则 0 分",
        "a provincial system: = scores like ≥; = 0 is met only at 0",
    ),
    "reverse_zero_multiple": Provenance(
        "practice",
        f"{_S12}：反向指标实际值达目标值 2 倍及以上得 0 分",
        "a provincial system: a reverse indicator at twice its limit or more scores 0",
    ),
    "negative_actual": Provenance(
        "practice", f"{_S12}：实际值为负数按 0 计", "a provincial system: a negative actual counts as 0"
    ),
    "range_formula": jixiao_own(
        "区间目标（a–b）没有官方写法；区间内得满分，低于下限按正向、高于上限按反向计分（推断）",
        "no official notation for ranges: within scores full, below like ≥, above like ≤ (inferred)",
    ),
    "deadline_formula": jixiao_own(
        "时限目标：按时得满分；逾期按用时（自预算年度 1 月 1 日起的天数）以反向公式计分（推断）",
        "time limits: on time scores full; late scores the days used like a reverse indicator (inferred)",
    ),
    "relative_formula": jixiao_own(
        "相对目标（较上年提高5个百分点、不低于上年、控制在预算内）：基数取 jixiao 保存的上年实际值，"
        "否则取单位填写的基数，预算类取全年预算数；换算后按正向、反向公式计分（推断）",
        "relative targets: the baseline is last year's actual held by jixiao, else the one entered, "
        "else the budget; then scored like ≥ or ≤ (inferred)",
    ),
    "score_places": Provenance(
        "practice",
        f"{_S12}：得分保留两位小数；上海普陀自评表（S7）同",
        "a provincial system rounds to 2 places; so does the Shanghai Putuo form",
    ),
    "unit_aliases": jixiao_own(
        "同义单位（日/天）与金额单位换算（万元→元）", "unit synonyms and money scales"
    ),
    "low_execution_threshold": Provenance(
        "provincial",
        "四川省自评表填报说明：执行率低于 90% 须说明原因",
        "Sichuan's form: below 90% a reason is required",
        region="四川",
    ),
    "cutoff_month": Provenance(
        "official",
        "财预〔2019〕136号：每年 8 月对 1–7 月预算执行和绩效目标完成情况开展监控（转述；各地 6–8 月不等）",
        "136号: each August, monitoring of January–July (recalled; localities use June to August)",
        verified=False,
    ),
    "budget_lights": Provenance(
        "practice",
        f"{_S12}：进度比 = 执行率 ÷ 时间进度 × 100，低于 60 红灯、60–80 黄灯、80 及以上绿灯（非官方）",
        "a provincial system's traffic lights (not official): red <60, yellow 60–80, green ≥80",
    ),
    "likelihood_lights": Provenance(
        "practice",
        f"{_S12}：完成目标可能性 确定能/有可能/完全不可能 → 绿/黄/红",
        "a provincial system: likelihood certain/possible/impossible → green/yellow/red",
    ),
    "likelihood_needs_reason": Provenance(
        "practice",
        f"天津部署配置（{_S12}）：「有可能」「完全不可能」须填全年预计完成情况和偏差原因",
        "Tianjin's deployment: 'possible' or 'impossible' needs a forecast and a reason",
        region="天津",
    ),
    "deviation_reasons": Provenance(
        "official",
        "财预〔2019〕136号：偏差原因分经费、制度、人员、硬件条件保障（转述）",
        "136号: reasons are funds, rules, staff, facilities (recalled)",
        verified=False,
    ),
}

# What each scoring method's formula is, and where it comes from (jixiao score shows it per row).
FORMULAS: dict[str, tuple[str, str]] = {
    "budget": (N_("min(执行数 / 全年预算数, 100%) × 分值"), "budget_formula"),
    "positive": (N_("实际值 ≥ 目标值 得满分，否则 分值 × 实际值 / 目标值"), "positive_formula"),
    "equal": (N_("同正向：实际值 ≥ 目标值 得满分，否则 分值 × 实际值 / 目标值"), "equal_formula"),
    "equal-zero": (N_("目标值为 0：实际值 ≤ 0 得满分，否则 0 分"), "equal_formula"),
    "range": (N_("区间内得满分；低于下限按正向、高于上限按反向"), "range_formula"),
    "deadline": (N_("按时得满分；逾期按用时以反向公式计分"), "deadline_formula"),
    "relative": (N_("以上年实际值（或预算）为基数换算目标值，再按正向、反向公式计分"), "relative_formula"),
}


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
    # 执行率 below this needs a reason (Sichuan, S9); advice or a hard check per the option.
    low_execution_threshold: Decimal = D(90)
    # The choice per option of SCORING_OPTIONS: a choice key, or a region's own Choice; absent = default.
    options: Mapping[str, str | Choice] = field(default_factory=dict)
    # A region's own basis for a number of the table (field name → provenance), over PROVENANCE.
    provenance_overrides: Mapping[str, Provenance] = field(default_factory=dict)
    # A self-evaluation of year Y is late after this (month, day) of Y + 1. domain-rules.md names no
    # date; 3月31日 is an assumption (units self-evaluate in the first quarter). Set it per region.
    self_evaluation_due: tuple[int, int] = (3, 31)
    # 评价结果应用: the rules that suggest next year's budget consequence per project.
    consequences: tuple[Consequence, ...] = CONSEQUENCES
    # 事前绩效评估: when a new project needs the sheet, what a grade earns, the conclusion's bands.
    exante: ExAnteRules = EXANTE
    # The qualitative bands in force: the payload of the qualitative_bands option's choice.
    qualitative_bands: tuple[QualitativeBand, ...] = field(init=False)

    def __post_init__(self) -> None:
        for key, selected in self.options.items():
            if key not in SCORING_OPTIONS:
                raise ValueError(f"region {self.key}: unknown option {key!r}")
            SCORING_OPTIONS[key].resolve(selected)  # an unknown choice fails here, not while scoring
        bands = self.option("qualitative_bands").value
        if not isinstance(bands, tuple) or not all(isinstance(b, QualitativeBand) for b in bands):
            raise ValueError(f"region {self.key}: the qualitative_bands choice carries no bands")
        object.__setattr__(self, "qualitative_bands", bands)
        deduction = self.option("over_achievement_deduction").value
        if deduction is not None and (not isinstance(deduction, Decimal) or deduction <= 0):
            raise ValueError(
                f"region {self.key}: the over_achievement_deduction choice needs a positive amount"
            )
        caps = self.option("execution_cap").value
        if caps is not None and (
            not isinstance(caps, tuple) or not caps or not all(isinstance(c, ExecutionCap) for c in caps)
        ):
            raise ValueError(f"region {self.key}: the execution_cap choice carries no bands")

    @property
    def over_achievement_deduction(self) -> Decimal | None:
        """Return the points a far-exceeded indicator loses, or None where the region deducts nothing."""
        value = self.option("over_achievement_deduction").value
        return value if isinstance(value, Decimal) else None

    @property
    def execution_caps(self) -> tuple[ExecutionCap, ...]:
        """Return the region's execution-rate caps, lowest threshold first (empty: no cap)."""
        value = self.option("execution_cap").value
        return tuple(sorted(value, key=lambda c: c.below)) if isinstance(value, tuple) else ()

    def cap_for(self, rate: Decimal | None) -> ExecutionCap | None:
        """Return the cap a total is held to at execution ``rate`` (percent), or None."""
        if rate is None:
            return None
        for cap in self.execution_caps:
            if rate < cap.below:
                return cap
        return None

    def option(self, key: str) -> Choice:
        """Return the choice in force for option ``key`` of :data:`SCORING_OPTIONS`."""
        return SCORING_OPTIONS[key].resolve(self.options.get(key))

    def provenance(self, key: str) -> Provenance:
        """Return the basis and status of the number or formula ``key`` (a field or PROVENANCE key)."""
        return self.provenance_overrides.get(key) or PROVENANCE[key]

    def formula(self, method: str, lang: str = "zh") -> tuple[str, Provenance]:
        """Return the formula of a scoring ``method`` in words (in ``lang``) and its provenance."""
        if method == "reverse":
            choice = self.option("reverse_formula")
            return choice.title(lang), choice.provenance
        if method == "qualitative":
            choice = self.option("qualitative_bands")
            return tr(
                "评价人在所评等级的区间内给分：{bands}", lang, bands=choice.title(lang)
            ), choice.provenance
        text, key = FORMULAS[method]
        return tr(text, lang), self.provenance(key)

    def catalogue(self, lang: str = "zh") -> dict[str, Any]:
        """Return every number, formula and option of these rules with its basis and status (JSON)."""
        sep = tr("、", lang)
        numbers = [
            ("budget_weight", N_("预算执行率分值"), str(self.budget_weight)),
            ("budget_formula", N_("预算执行率得分"), tr(FORMULAS["budget"][0], lang)),
            (
                "level1_weights",
                N_("一级指标分值"),
                sep.join(f"{tr(k, lang)} {v}" for k, v in self.level1_weights.items()),
            ),
            ("indicator_total", N_("绩效指标分值合计"), str(self.indicator_total)),
            (
                "satisfaction_fallback",
                N_("无满意度指标时"),
                tr(self.satisfaction_fallback, lang),
            ),
            (
                "level1_groups",
                N_("与其他一级指标共用分值"),
                sep.join(f"{tr(k, lang)}→{tr(v, lang)}" for k, v in self.level1_groups.items()),
            ),
            ("positive_formula", N_("正向指标"), tr(FORMULAS["positive"][0], lang)),
            (
                "equal_formula",
                N_("等于指标"),
                tr(FORMULAS["equal"][0], lang) + tr("；", lang) + tr(FORMULAS["equal-zero"][0], lang),
            ),
            (
                "reverse_zero_multiple",
                N_("反向指标 0 分倍数"),
                f"{self.reverse_zero_multiple}×",
            ),
            ("negative_actual", N_("负数实际值"), tr("按 0 计", lang)),
            ("range_formula", N_("区间指标"), tr(FORMULAS["range"][0], lang)),
            ("deadline_formula", N_("时限指标"), tr(FORMULAS["deadline"][0], lang)),
            (
                "grade_bands",
                N_("总分等级"),
                sep.join(f"{grade_label(b.grade, lang)} ≥{b.minimum}" for b in self.grade_bands),
            ),
            (
                "over_achievement_ratio",
                N_("超额完成较多的比例"),
                f"{self.over_achievement_ratio * 100:.0f}%",
            ),
            (
                "note_when_short",
                N_("未完成须说明偏差原因"),
                tr("是", lang) if self.note_when_short else tr("否", lang),
            ),
            (
                "low_execution_threshold",
                N_("执行率须说明原因的下限"),
                f"{self.low_execution_threshold}%",
            ),
            ("score_places", N_("得分小数位"), str(self.score_places)),
            (
                "unit_aliases",
                N_("单位换算"),
                sep.join(f"{tr(k, lang)}→{tr(v[0], lang)}×{v[1]}" for k, v in self.unit_scales.items()),
            ),
            ("cutoff_month", N_("监控截止月份"), month_name(self.cutoff_month, lang)),
            (
                "budget_lights",
                N_("监控执行进度灯"),
                tr(
                    "红 <{red}，黄 <{yellow}",
                    lang,
                    red=self.budget_red_below,
                    yellow=self.budget_yellow_below,
                ),
            ),
            (
                "likelihood_lights",
                N_("完成可能性灯"),
                sep.join(f"{tr(k, lang)}→{light_label(v, lang)}" for k, v in self.likelihood_lights.items()),
            ),
            (
                "likelihood_needs_reason",
                N_("须说明原因的可能性"),
                sep.join(tr(x, lang) for x in self.likelihood_needs_reason),
            ),
            (
                "deviation_reasons",
                N_("偏差原因类别"),
                sep.join(tr(x, lang) for x in self.deviation_reasons),
            ),
        ]
        return {
            "region": self.key,
            "title": tr(self.title, lang),
            "rules": [
                {
                    "key": key,
                    "title": tr(title, lang),
                    "value": value,
                    **self.provenance(key).to_dict(lang),
                }
                for key, title, value in numbers
            ],
            "options": [opt.to_dict(self.options.get(key), lang) for key, opt in SCORING_OPTIONS.items()],
        }

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
    level1_weights=dict(DEFAULT_WEIGHTS),
    level1_groups={"成本指标": "产出指标"},
    satisfaction_level1="满意度指标",
    satisfaction_fallback="效益指标",
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
        GradeBand(D(90), EXCELLENT),
        GradeBand(D(80), GOOD),
        GradeBand(D(60), FAIR),
        GradeBand(D(0), POOR),
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
    # Sichuan's form requires a reason below 90% execution (S9): the hard check.
    "sichuan": replace(
        _NATIONAL,
        key="sichuan",
        title="四川：部门预算项目支出绩效自评表（执行率低于 90% 须说明原因）",
        basis="四川省部门预算项目支出绩效自评表（S9，domain-rules.md §5.1–5.2、§6）；其余沿用全国默认值",
        options={"low_execution_reason": REASON_REQUIRED},
    ),
}


def get_rules(region: str | RegionRules = DEFAULT_REGION) -> RegionRules:
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


def with_options(region: str | RegionRules, chosen: Mapping[str, str]) -> RegionRules:
    """Return the rules of ``region`` with the options in ``chosen`` (option key → choice key).

    Raises ScoringError JX-E621 for an unknown option or choice (``jixiao score --option``).
    """
    rules = get_rules(region)
    if not chosen:
        return rules
    for key, value in chosen.items():
        option = SCORING_OPTIONS.get(key)
        if option is None or value not in option.by_key:
            known = "、".join(
                f"{k}={'|'.join(o.by_key)}" for k, o in SCORING_OPTIONS.items() if len(o.choices) > 1
            )
            raise ScoringError(
                f"未知的计分选项「{key}={value}」（可选：{known}）",
                f"unknown scoring option '{key}={value}' (known: {known})",
                code="JX-E621",
            )
    return replace(rules, options={**rules.options, **chosen})
