"""The words of the domain, each defined once: grades, traffic lights, project categories, regions.

Every module that names a grade, a light, a category or a region imports it from here, so that a
label, a consequence or a default changes in one place. (The workflow states and their transitions
are :mod:`jixiao.domain.workflow`.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from jixiao.domain.i18n import N_, tr, trc
from jixiao.domain.keyed import by_key

__all__ = [
    "CONSEQUENCES",
    "DEFAULT_REGION",
    "DEFAULT_WEIGHTS",
    "EXCELLENT",
    "FAIR",
    "FIELD_LABELS",
    "GOOD",
    "GRADES",
    "GRADE_CONTEXT",
    "LIGHTS",
    "LIGHT_ZH",
    "POOR",
    "PROJECT_CATEGORIES",
    "PROJECT_NATURES",
    "REGIONS",
    "REGION_ENV",
    "Light",
    "Region",
    "configured_region",
    "consequence",
    "field_label",
    "grade_label",
    "light_label",
]

# --- review grades, 财预〔2015〕88号 Arts. 25–29 (domain-rules.md §3.2) ------------------------

EXCELLENT, GOOD, FAIR, POOR = "优", "良", "中", "差"
GRADES: tuple[str, ...] = (EXCELLENT, GOOD, FAIR, POOR)
# The grade as a reader sees it: the Chinese word is the catalogue's msgid (jixiao.domain.i18n);
# its English is Excellent, Good, Fair, Poor. The context keeps 中 (the grade) apart from other 中.
GRADE_CONTEXT = "grade"

# What each grade means for the declaration (88号 Art. 25): 优 and 良 pass (良 after the reviewer's
# edits), 中 goes back to the unit, 差 "不得进入下一步预算安排流程". Chinese msgids, translated by
# :func:`consequence`.
CONSEQUENCES: dict[str, str] = {
    EXCELLENT: N_("直接进入下一步预算安排流程"),
    GOOD: N_("审核机构可与单位协商，直接对绩效目标进行完善后，进入下一步预算安排流程"),
    FAIR: N_("单位须按审核意见修改完善绩效目标，按程序重新报送审核"),
    POOR: N_("不得进入下一步预算安排流程"),
}


def grade_label(grade: str, lang: str = "zh") -> str:
    """Return the printed grade: ``良`` in Chinese, ``Good`` in English; an unknown value as it is."""
    if grade not in GRADES:
        return grade
    return trc(GRADE_CONTEXT, grade, lang)


def consequence(grade: str, lang: str = "zh") -> str:
    """Return what ``grade`` means for the declaration under 88号 Art. 25, in ``lang``."""
    return tr(CONSEQUENCES[grade], lang)


# --- monitoring traffic lights (vendor S12, domain-rules.md §4) --------------------------------

Light = Literal["green", "yellow", "red"]
LIGHTS: tuple[Light, ...] = ("green", "yellow", "red")  # from best to worst
# The printed names (msgids of the catalogue: green, yellow, red in English).
LIGHT_ZH: dict[str, str] = {"green": N_("绿灯"), "yellow": N_("黄灯"), "red": N_("红灯")}


def light_label(light: str | None, lang: str = "zh") -> str:
    """Return the printed name of a light (``绿灯`` / ``green``); an unknown value as it is."""
    if not light:
        return ""
    return tr(LIGHT_ZH[light], lang) if light in LIGHT_ZH else light


# --- the project header ------------------------------------------------------------------------

# 项目类别 as the templates list it (the Excel template's drop-down and the web editor's choices).
PROJECT_CATEGORIES: tuple[str, ...] = ("经常性项目", "一次性项目", "阶段性项目", "特定目标类", "其他运转类")
# 项目性质.
PROJECT_NATURES: tuple[str, ...] = ("经常性项目", "一次性项目", "阶段性项目")

# The form's own words for the field paths of a declaration (DESIGN.md glossary): how a finding or a
# history line names the field it concerns.
FIELD_LABELS: dict[str, str] = {
    "year": N_("预算年度"),
    "project.name": N_("项目名称"),
    "project.category": N_("项目类别"),
    "project.nature": N_("项目性质"),
    "project.competent_department": N_("主管部门"),
    "project.implementing_unit": N_("实施单位"),
    "project.start_date": N_("计划开始日期"),
    "project.end_date": N_("计划完成日期"),
    "funding.total": N_("项目资金总额"),
    "funding.total_fiscal": N_("财政资金"),
    "funding.total_other": N_("其他资金（总额）"),
    "funding.annual": N_("年度资金申请总额"),
    "funding.annual_appropriation": N_("当年财政拨款"),
    "funding.annual_carryover": N_("上年结转资金"),
    "funding.annual_other": N_("其他资金（年度）"),
    "goals.overall": N_("项目总目标"),
    "goals.annual": N_("年度总目标"),
    "indicators": N_("绩效指标"),
}


def field_label(path: str, lang: str = "zh") -> str:
    """Return the form's name for a field path (``project.name`` → 项目名称 / project name)."""
    return tr(FIELD_LABELS[path], lang) if path in FIELD_LABELS else path


# --- self-evaluation weights, 财预〔2020〕10号 (domain-rules.md §5.2) ---------------------------

# The default split of the 90 indicator points when a form gives no 分值: 产出 50, 效益 30, 满意度 10.
DEFAULT_WEIGHTS: dict[str, Decimal] = {
    "产出指标": Decimal(50),
    "效益指标": Decimal(30),
    "满意度指标": Decimal(10),
}

# --- regions -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Region:
    """A region whose rules apply: one key selects the indicator framework (by year), the review
    profile (the framework's) and the scoring rules (``jixiao.evaluation.config.REGION_RULES``)."""

    key: str
    zh: str
    en: str
    framework_region: str  # the region of domain.framework.FRAMEWORKS (national as the fallback)


REGIONS: dict[str, Region] = by_key(
    Region("national", "全国", "national", "national"),
    Region("shanghai", "上海", "Shanghai", "shanghai"),
    Region("sichuan", "四川", "Sichuan", "national"),
)

# The region a deployment works in unless configured otherwise: the seed forms and templates are
# Shanghai's. ``JIXIAO_REGION`` sets it for the web application and the command line alike.
DEFAULT_REGION = "shanghai"
REGION_ENV = "JIXIAO_REGION"


def configured_region(env: Mapping[str, str]) -> str:
    """Return the region named by ``JIXIAO_REGION`` in ``env`` (:data:`DEFAULT_REGION` when unset).

    An unknown name is a ``ValueError`` naming the known ones: a deployment misconfigured this way
    must not start scoring under the wrong rules.
    """
    key = (env.get(REGION_ENV) or "").strip().lower() or DEFAULT_REGION
    if key not in REGIONS:
        raise ValueError(f"{REGION_ENV}={key!r}: unknown region (known: {', '.join(sorted(REGIONS))})")
    return key
