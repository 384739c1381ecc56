"""指标对标 and the review's peer data from the database (jixiao.services.peers, /benchmarks/, the API).

The declarations below are five units' 2023 satisfaction targets, each unit naming the indicator its
own way (市民满意度, 群众满意度, 服务对象满意度: one name key), submitted, and one unit's draft that
must not count. Worked out: 85, 88, 90, 92, 95 → p10 = 85 + 0.4 × 3 = 86.2, median 90,
p90 = 92 + 0.6 × 3 = 93.8.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from jixiao.db.declarations.models import Declaration
from jixiao.db.evaluation.models import SelfEvaluationRecord
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.domain.model import EvaluatedIndicator, Goals, Indicator, Project, SelfEvaluation
from jixiao.domain.targets import try_parse_target
from jixiao.formats.json import to_dict
from jixiao.review.peers import plain
from jixiao.services import peers
from jixiao.services.declarations import create_declaration
from jixiao.services.review import review_objects

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _figures_follow_every_change(settings: Any) -> None:
    """The figures are rebuilt after any change, not at most once a minute (the default)."""
    settings.JIXIAO_PEER_REFRESH_SECONDS = 0


FIVE = [
    ("上海市青浦区城市运行管理中心", "市民满意度", 85),
    ("上海市青浦区绿化市容局", "群众满意度", 88),
    ("上海市青浦区环境卫生管理所", "服务对象满意度", 90),
    ("上海市青浦区水务局", "群众满意度", 92),
    ("上海市青浦区民政局", "群众满意度", 95),
]
DRAFT_UNIT = "上海市青浦区卫生健康委员会"


def _document(
    unit: str, name: str, target: str, year: int = 2023, goal: str | None = None
) -> DomainDeclaration:
    text = goal or f"{unit}为辖区居民提供服务，年度内完成既定任务并保持较高的服务质量"
    return DomainDeclaration(
        year=year,
        project=Project(name=f"{unit}服务项目", implementing_unit=unit),
        goals=Goals(overall=text, annual=text),
        indicators=[
            Indicator("产出指标", "数量指标", "服务人次", try_parse_target(">=1000人次")),
            Indicator("满意度指标", "服务对象满意度指标", name, try_parse_target(target)),
        ],
    )


@pytest.fixture
def five(users: dict[str, Any], orgs: dict[str, Any]) -> list[Declaration]:
    out = [
        create_declaration(
            users["admin"], _document(unit, name, f">={value}%"), orgs["unit_b"], status="submitted"
        )
        for unit, name, value in FIVE
    ]
    # A draft far below the others: not yet a target anyone set, so not counted.
    create_declaration(users["admin"], _document(DRAFT_UNIT, "群众满意度", ">=10%"), orgs["unit_b"])
    return out


def test_the_figures_come_from_the_submitted_declarations(five: list[Declaration]) -> None:
    [row] = peers.indicator_benchmarks("市民满意度")
    assert (row.name_key, row.unit_of_measure, row.n, row.n_units) == ("服务对象满意度", "%", 5, 5)
    assert row.label == "群众满意度"  # the spelling three of the five units use
    assert row.overall is not None
    assert [plain(getattr(row.overall, f)) for f in ("min", "p10", "median", "p90", "max")] == [
        "85",
        "86.2",
        "90",
        "93.8",
        "95",
    ]
    assert [(y, n, u) for y, n, u, _ in row.years] == [(2023, 5, 5)]


def test_fewer_than_three_units_give_no_figures(users: dict[str, Any], orgs: dict[str, Any]) -> None:
    for unit, name, value in FIVE[:2]:
        create_declaration(
            users["admin"], _document(unit, name, f">={value}%"), orgs["unit_b"], status="submitted"
        )
    [row] = peers.indicator_benchmarks("群众满意度")
    assert (row.n, row.n_units, row.overall) == (2, 2, None)
    page = signed_in(users["filler_a"]).get("/benchmarks/", {"name": "群众满意度"}).content.decode()
    assert "样本不足" in page and "85" not in page.split("benchmark-table")[1]


def test_the_page_shows_the_figures_and_the_years(five: list[Declaration], users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    page = client.get("/benchmarks/", {"name": "群众满意度"}).content.decode()
    for figure in ("86.2", "90", "93.8"):
        assert f">{figure}<" in page
    assert "2023" in page
    # The page names no unit and no project.
    assert not any(unit in page for unit, _, _ in FIVE)
    default = client.get("/benchmarks/").content.decode()
    assert "群众满意度" in default and ">86.2<" in default


def test_the_page_in_english(five: list[Declaration], users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/benchmarks/", {"name": "群众满意度"}).content.decode()
    assert "Indicator benchmarks" in page and ">86.2<" in page


def test_a_declarations_indicators_beside_the_figures(
    five: list[Declaration], users: dict[str, Any], orgs: dict[str, Any]
) -> None:
    mine = create_declaration(
        users["admin"], _document("城运中心本级", "群众满意度", ">=80%"), orgs["unit_a"]
    )
    page = signed_in(users["filler_a"]).get("/benchmarks/", {"declaration": mine.pk}).content.decode()
    assert "declaration-benchmarks" in page
    assert ">86.2<" in page and "低于 10% 分位数" in page
    # 服务人次 is set by the five units too (>=1000人次): its own row, at the median.
    assert "人次" in page
    # Another unit's filler cannot open it through this page.
    other = signed_in(users["filler_b"]).get("/benchmarks/", {"declaration": mine.pk}).content.decode()
    assert "未找到该申报表" in other and "declaration-benchmarks" not in other


def test_the_declaration_page_and_the_editor_link_to_it(
    five: list[Declaration], users: dict[str, Any]
) -> None:
    client = signed_in(users["admin"])
    obj = five[0]
    assert (
        f'href="/benchmarks/?declaration={obj.pk}"' in client.get(f"/declarations/{obj.pk}/").content.decode()
    )
    assert 'id="nav-benchmarks"' in client.get("/").content.decode()


def test_the_api_gives_the_same_figures(five: list[Declaration], users: dict[str, Any]) -> None:
    assert Client().get("/api/benchmarks/", {"name": "群众满意度"}).status_code == 401
    [row] = signed_in(users["filler_a"]).get("/api/benchmarks/", {"name": "市民满意度"}).json()
    assert row["name_key"] == "服务对象满意度" and row["enough"] is True
    assert row["figures"] == {"min": "85", "p10": "86.2", "median": "90", "p90": "93.8", "max": "95"}
    assert row["years"][0]["year"] == 2023
    assert signed_in(users["filler_a"]).get("/api/benchmarks/", {"name": "没有这个指标"}).json() == []


def _codes(obj: Declaration) -> list[str]:
    obj.refresh_from_db()
    return [f["code"] for f in obj.findings]


def test_the_review_compares_with_the_databases_peers(
    five: list[Declaration], users: dict[str, Any], orgs: dict[str, Any], settings: Any
) -> None:
    # A sixth unit's 80%: below the five others' p10 (86.2) → JX-A10.
    mine = create_declaration(
        users["admin"], _document("城运中心本级", "群众满意度", ">=80%"), orgs["unit_a"]
    )
    review_objects([mine])
    assert "JX-A10" in _codes(mine)
    settings.JIXIAO_PEER_REVIEW = False
    review_objects([mine])
    assert "JX-A10" not in _codes(mine)


def test_the_review_compares_with_the_units_own_last_actual(
    users: dict[str, Any], orgs: dict[str, Any]
) -> None:
    unit = "上海市青浦区城市运行管理中心"
    last = create_declaration(
        users["admin"], _document(unit, "群众满意度", ">=85%", year=2022), orgs["unit_a"], status="approved"
    )
    evaluation = SelfEvaluation(
        year=2022,
        project=Project(name=last.project_name, implementing_unit=unit),
        indicators=[
            EvaluatedIndicator(
                "满意度指标", "服务对象满意度指标", "群众满意度", try_parse_target(">=85%"), "92%"
            )
        ],
    )
    SelfEvaluationRecord.objects.create(
        declaration=last,
        organisation=orgs["unit_a"],
        year=2022,
        project_name=last.project_name,
        document=to_dict(evaluation),
    )
    # 2023: 90% is below the 92% reached in 2022 → JX-A09; 92% is not.
    low = create_declaration(users["admin"], _document(unit, "市民满意度", ">=90%"), orgs["unit_a"])
    fair = create_declaration(
        users["admin"],
        _document(unit, "市民满意度", ">=92%", goal="另一段目标文本，内容与前者不同且足够长"),
        orgs["unit_a"],
    )
    review_objects([low, fair])
    assert "JX-A09" in _codes(low)
    assert "JX-A09" not in _codes(fair)
    [finding] = [f for f in low.findings if f["code"] == "JX-A09"]
    assert finding["message_zh"] == "「市民满意度」目标值 >=90% 未达到本单位 2022 年已实际完成的 92%"


def test_a_goal_five_units_wrote_is_boilerplate(users: dict[str, Any], orgs: dict[str, Any]) -> None:
    goal = "加强项目管理，确保项目资金使用规范、安全、有效"
    objs = [
        create_declaration(
            users["admin"],
            _document(unit, name, f">={value}%", goal=goal),
            orgs["unit_b"],
            status="submitted",
        )
        for unit, name, value in FIVE
    ]
    review_objects(objs[:1])
    assert "JX-R17" in _codes(objs[0])


def test_the_figures_are_kept_for_a_while_then_follow_a_new_declaration(
    five: list[Declaration], users: dict[str, Any], orgs: dict[str, Any], settings: Any
) -> None:
    settings.JIXIAO_PEER_REFRESH_SECONDS = 3600
    assert peers.indicator_benchmarks("群众满意度")[0].n == 5
    create_declaration(
        users["admin"],
        _document("上海市青浦区规划和自然资源局", "群众满意度", ">=97%"),
        orgs["unit_b"],
        status="submitted",
    )
    assert peers.indicator_benchmarks("群众满意度")[0].n == 5  # the kept figures, not yet rebuilt
    settings.JIXIAO_PEER_REFRESH_SECONDS = 0
    assert peers.indicator_benchmarks("群众满意度")[0].n == 6
    create_declaration(
        users["admin"],
        _document("上海市青浦区文化旅游局", "群众满意度", ">=99%"),
        orgs["unit_b"],
        status="submitted",
    )
    assert peers.indicator_benchmarks("群众满意度")[0].n == 7


def test_the_editors_live_check_compares_with_the_peers_as_the_save_does(
    five: list[Declaration], users: dict[str, Any]
) -> None:
    data = {
        "year": "2023",
        "project_name": "城运中心服务项目",
        "implementing_unit": "城运中心本级",
        "annual": "为辖区居民提供服务，年度内完成服务1000人次",
        "overall": "为辖区居民提供服务，年度内完成服务1000人次",
        "ind_level1": ["产出指标", "满意度指标"],
        "ind_level2": ["数量指标", "服务对象满意度指标"],
        "ind_name": ["服务人次", "群众满意度"],
        "ind_target": [">=1000人次", ">=80%"],
    }
    live = signed_in(users["filler_a"]).post("/declarations/live-check/", data).json()
    assert "JX-A10" in [f["code"] for f in live["rows"][1]["findings"]]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # The five units' 群众满意度 in %: median 90, p10 86.2.
        ([("群众满意度", ">=80%")], ["同类项目：中位数 90%，10% 分位数 86.2%（5 个单位，5 个项目）"]),
        # A spelling of the same key, same figures.
        ([("市民满意度", ">=95%")], ["同类项目：中位数 90%，10% 分位数 86.2%（5 个单位，5 个项目）"]),
        # Another measure unit: nothing in the database.
        ([("群众满意度", ">=80分")], [""]),
        # Not a numeric target: no figure to compare.
        ([("群众满意度", "明显提高")], [""]),
    ],
)
def test_the_editor_shows_the_figures_under_the_row_being_typed(
    five: list[Declaration], users: dict[str, Any], rows: list[tuple[str, str]], expected: list[str]
) -> None:
    data = {
        "year": "2023",
        "project_name": "城运中心服务项目",
        "implementing_unit": "城运中心本级",
        "ind_level1": ["满意度指标"] * len(rows),
        "ind_level2": ["服务对象满意度指标"] * len(rows),
        "ind_name": [name for name, _ in rows],
        "ind_target": [target for _, target in rows],
    }
    live = signed_in(users["filler_a"]).post("/declarations/live-check/", data).json()
    assert [r["benchmark"] for r in live["rows"]] == expected


def test_the_editor_says_when_too_few_units_set_the_indicator(
    users: dict[str, Any], orgs: dict[str, Any]
) -> None:
    for unit, name, value in FIVE[:2]:
        create_declaration(
            users["admin"], _document(unit, name, f">={value}%"), orgs["unit_b"], status="submitted"
        )
    data = {
        "year": "2023",
        "project_name": "项目",
        "ind_level1": ["满意度指标"],
        "ind_level2": ["服务对象满意度指标"],
        "ind_name": ["群众满意度"],
        "ind_target": [">=90%"],
    }
    client = signed_in(users["filler_a"])
    assert (
        client.post("/declarations/live-check/", data).json()["rows"][0]["benchmark"]
        == "同类项目：样本不足（2 个单位）"
    )
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.post("/declarations/live-check/", data).json()["rows"][0]["benchmark"] == (
        "comparable projects: insufficient sample (2 units)"
    )


@pytest.mark.django_db(transaction=True)
def test_a_due_check_rebuilds_beside_the_request(
    users: dict[str, Any], orgs: dict[str, Any], settings: Any
) -> None:
    # Every read is due for a check; the check and the rebuild run in a thread of their own.
    settings.JIXIAO_PEER_REFRESH_SECONDS = 1e-9
    for unit, name, value in FIVE:
        create_declaration(
            users["admin"], _document(unit, name, f">={value}%"), orgs["unit_b"], status="submitted"
        )
    assert peers.indicator_benchmarks("群众满意度")[0].n == 5  # the first figures: built in the request
    create_declaration(
        users["admin"],
        _document("上海市青浦区文化旅游局", "群众满意度", ">=99%"),
        orgs["unit_b"],
        status="submitted",
    )
    assert peers.indicator_benchmarks("群众满意度")[0].n == 5  # the kept figures, a rebuild started
    peers.wait_for_refresh()
    assert peers.indicator_benchmarks("群众满意度")[0].n == 6
