"""Property: the engine never raises on arbitrary, even nonsensical, declarations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.domain.model import Declaration, Funding, Goals, Indicator, Project
from jixiao.domain.targets import try_parse_target
from jixiao.review import PROFILES, review
from jixiao.review.render import RENDERERS

WORDS = [
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "社会效益指标",
    "服务对象满意度指标",
    "经济成本指标",
    "完成率",
    "满意度",
    "及时",
    "提升",
    "降低",
    "=100%",
    ">=90%",
    "≥50个",
    "7天内完成",
    "全覆盖",
    "建立健全",
    "累计",
    "经过三年努力",
    "了",
    "今年以来",
    "跨越式发展",
    "至少100个",
    "率",
    "到位率",
    "",
    " ",
    "\n",
    "<",
    ">",
    "=",
    "%",
    "个",
    "0",
    "-1",
    "1e9",
]
text = st.one_of(st.text(max_size=30), st.lists(st.sampled_from(WORDS), max_size=6).map("".join))
maybe_text = st.one_of(st.none(), text)
money = st.one_of(
    st.none(),
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
)
dates = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
indicator = st.builds(lambda a, b, c, d: Indicator(a, b, c, try_parse_target(d)), text, text, text, text)
declaration = st.builds(
    Declaration,
    year=st.one_of(st.none(), st.integers(min_value=-5, max_value=10000)),
    project=st.builds(
        Project,
        name=text,
        category=maybe_text,
        nature=maybe_text,
        competent_department=maybe_text,
        implementing_unit=st.one_of(st.none(), st.sampled_from(["甲", "乙", ""]), text),
        start_date=dates,
        end_date=dates,
    ),
    funding=st.builds(
        Funding,
        total=money,
        total_fiscal=money,
        total_other=money,
        annual=money,
        annual_appropriation=money,
        annual_carryover=money,
        annual_other=money,
    ),
    goals=st.builds(Goals, overall=maybe_text, annual=maybe_text),
    indicators=st.lists(indicator, max_size=12),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(declaration, max_size=6), st.sampled_from(sorted(PROFILES)))
def test_review_never_raises_and_always_grades(decls: list[Declaration], profile: str) -> None:
    report = review(decls, profile=profile)
    assert len(report.declarations) == len(decls)
    for dr in report.declarations:
        assert dr.grade in ("优", "良", "中", "差")
        assert Decimal(0) <= dr.score <= Decimal(100)
    for fmt, renderer in RENDERERS.items():
        if fmt != "xlsx":  # xlsx is slow; covered by one example below
            assert renderer(report, "zh")


@settings(max_examples=10, deadline=None)
@given(st.lists(declaration, min_size=1, max_size=3))
def test_every_renderer_accepts_any_report(decls: list[Declaration]) -> None:
    report = review(decls)
    for fmt, renderer in RENDERERS.items():
        assert renderer(report, "en") if fmt != "xlsx" else renderer(report, "zh")
