"""事前绩效评估 (ex-ante performance assessment) of a new project above a region's amount.

中发〔2018〕34号 asks for 事前绩效评估 of new policies and projects; no national points sheet was
found. The sheet here follows a local example (domain-rules.md §3.3, S16, low confidence): five
sections of 20 points (立项必要性, 投入经济性, 绩效目标合理性, 实施方案可行性, 筹资合规性), four items of 5
points each, every item ticked 优/良/中/差 with a note. The share of an item's points a grade earns
and the bands of the conclusion are jixiao's own (no source gives them) and configurable per region
(:class:`ExAnteRules`, ``RegionRules.exante``).

Pure: which projects need the sheet, the total, the conclusion, what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from jixiao.domain.vocabulary import EXCELLENT, FAIR, GOOD, POOR

__all__ = [
    "EXANTE",
    "RATINGS",
    "SECTIONS",
    "Assessment",
    "ExAnteRules",
    "Item",
    "Rating",
    "assess",
    "required",
]

RATINGS: tuple[str, ...] = (EXCELLENT, GOOD, FAIR, POOR)


@dataclass(frozen=True, slots=True)
class Item:
    """One item of the sheet: its key (``necessity.policy``), section, wording (zh, en), points."""

    key: str
    section: str
    section_en: str
    zh: str
    en: str
    points: Decimal = Decimal(5)


# Five sections of four items, 5 points each: 100 in all (domain-rules.md §3.3, S16).
_SECTION_NAMES: dict[str, tuple[str, str]] = {
    "necessity": ("立项必要性", "necessity"),
    "economy": ("投入经济性", "economy"),
    "targets": ("绩效目标合理性", "targets"),
    "feasibility": ("实施方案可行性", "feasibility"),
    "funding": ("筹资合规性", "funding"),
}
# (section, item, wording in Chinese, in English), in the sheet's order.
_ITEMS: tuple[tuple[str, str, str, str], ...] = (
    (
        "necessity",
        "policy",
        "与国家、地方政策及部门职能的相关性",
        "fits national and local policy and the department's remit",
    ),
    ("necessity", "need", "现实需求的迫切性", "how pressing the need is"),
    ("necessity", "unique", "与已有项目不重复、不交叉", "no overlap with existing projects"),
    ("necessity", "beneficiaries", "受益对象明确", "clear beneficiaries"),
    ("economy", "costing", "成本测算依据充分", "cost estimate well founded"),
    ("economy", "ratio", "投入产出比合理", "reasonable input for the output"),
    ("economy", "scale", "资金规模与工作内容匹配", "funds match the work"),
    ("economy", "control", "成本控制措施有效", "effective cost control"),
    ("targets", "needs", "目标与需求和职能相符", "targets fit the need and the remit"),
    ("targets", "measurable", "指标明确、可衡量", "indicators clear and measurable"),
    ("targets", "level", "指标值合理（不过高、不过低）", "target values neither too high nor too low"),
    ("targets", "budget", "目标与预算相匹配", "targets match the budget"),
    ("feasibility", "content", "实施内容明确具体", "clear and concrete content"),
    ("feasibility", "organisation", "组织管理机制健全", "sound organisation and management"),
    ("feasibility", "schedule", "进度安排切实可行", "workable schedule"),
    ("feasibility", "risks", "风险识别及应对措施充分", "risks identified and handled"),
    ("funding", "sources", "资金来源合法合规", "lawful and compliant sources of funds"),
    ("funding", "mode", "财政支持方式恰当", "appropriate form of fiscal support"),
    ("funding", "other", "其他资金来源已落实", "other funds secured"),
    ("funding", "affordable", "在财政承受能力之内", "within what the budget can afford"),
)
SECTIONS: tuple[tuple[str, str, tuple[Item, ...]], ...] = tuple(
    (zh, en, tuple(Item(f"{key}.{k}", zh, en, izh, ien) for s, k, izh, ien in _ITEMS if s == key))
    for key, (zh, en) in _SECTION_NAMES.items()
)
ITEMS: tuple[Item, ...] = tuple(item for _, _, items in SECTIONS for item in items)
ITEM_KEYS: frozenset[str] = frozenset(i.key for i in ITEMS)


@dataclass(frozen=True, slots=True)
class Band:
    """A conclusion from ``at_least`` points on (zh, en)."""

    at_least: Decimal
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class ExAnteRules:
    """A region's 事前绩效评估 settings: when the sheet is required, what a grade earns, the bands.

    ``threshold``: a new project whose amount (项目资金总额, else 年度资金申请总额) is at least this many
    元 needs the sheet. 5,000,000 元 is jixiao's default (no national figure; regions set theirs).
    """

    threshold: Decimal = Decimal(5_000_000)
    # Share of an item's points each grade earns: jixiao's own (the local sheet gives none).
    shares: Mapping[str, Decimal] = field(
        default_factory=lambda: {
            EXCELLENT: Decimal(1),
            GOOD: Decimal("0.8"),
            FAIR: Decimal("0.6"),
            POOR: Decimal("0.2"),
        }
    )
    # Highest first: the first band whose floor the total reaches is the conclusion.
    bands: tuple[Band, ...] = (
        Band(Decimal(80), "予以支持", "supported"),
        Band(Decimal(60), "部分支持（调整完善后支持）", "partly supported (after revision)"),
        Band(Decimal(0), "不予支持", "not supported"),
    )


EXANTE = ExAnteRules()


@dataclass(frozen=True, slots=True)
class Rating:
    """One ticked item: the grade (优/良/中/差 or "") and the assessor's note."""

    rating: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Assessment:
    """A sheet scored: the points per item, the total, the conclusion, what is still missing."""

    points: dict[str, Decimal]
    total: Decimal
    conclusion: str
    conclusion_en: str
    missing: tuple[Item, ...]
    invalid: tuple[tuple[Item, str], ...]

    @property
    def complete(self) -> bool:
        """True when every item is ticked with a valid grade."""
        return not self.missing and not self.invalid


def required(*, is_new: bool, amount: Decimal | None, rules: ExAnteRules = EXANTE) -> bool:
    """Return True when a project needs the sheet: new (not continuing) and at least the threshold."""
    return is_new and amount is not None and amount >= rules.threshold


def assess(ratings: Mapping[str, Rating], rules: ExAnteRules = EXANTE) -> Assessment:
    """Score the sheet: Σ item points × the grade's share, rounded to 2 places; the band's conclusion.

    An item not ticked counts 0 and is listed as missing; a grade that is not 优/良/中/差 is invalid.
    The conclusion is given only for a complete sheet ("" otherwise).
    """
    points: dict[str, Decimal] = {}
    missing: list[Item] = []
    invalid: list[tuple[Item, str]] = []
    for item in ITEMS:
        chosen = ratings.get(item.key, Rating()).rating.strip()
        if not chosen:
            missing.append(item)
            continue
        share = rules.shares.get(chosen)
        if share is None:
            invalid.append((item, chosen))
            continue
        points[item.key] = (item.points * share).quantize(Decimal("0.01"), ROUND_HALF_UP)
    total = sum(points.values(), Decimal(0)).quantize(Decimal("0.01"))
    zh = en = ""
    if not missing and not invalid:
        band = next(b for b in rules.bands if total >= b.at_least)
        zh, en = band.zh, band.en
    return Assessment(points, total, zh, en, tuple(missing), tuple(invalid))
