"""One checker: what the editor's live check shows while typing is what the saved review finds and
what the grade deducts, for every target of the tests' corpus (the seed's 58 indicators and the
grammar tables of tests/domain/test_targets.py)."""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration
from jixiao.domain.targets import try_parse_target
from jixiao.formats import read_path
from jixiao.formats.json import to_dict
from jixiao.review.checking import indicator_status
from jixiao.web.declarations.forms import state_from_document

from .conftest import signed_in

sys.path.insert(0, str(Path(__file__).parents[1] / "domain"))
from test_targets import FREQUENCY, NUMERIC, RELATIVE  # noqa: E402

pytestmark = pytest.mark.django_db

ISSUE_FORMS = [
    "大幅提升",
    "较上年提高5个百分点",
    "同比下降10%",
    "不低于上年",
    "每日巡查2次",
    "零事故",
    "100%覆盖",
    "≥上年水平",
    "控制在预算内",
    "提升",
    "及时",
]
CORPUS = sorted({row[0] for row in NUMERIC + RELATIVE + FREQUENCY} | set(ISSUE_FORMS))


def _post(state: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in state.items() if k != "rows"}
    for key, column in (
        ("ind_level1", "level1"),
        ("ind_level2", "level2"),
        ("ind_name", "name"),
        ("ind_target", "target"),
    ):
        data[key] = [row[column] for row in state["rows"]]
    return data


def _agree(client: Any, state: dict[str, Any]) -> list[str]:
    """Type the form, save it, and return the disagreements between live check, review and grade."""
    data = _post(state)
    live = client.post("/declarations/live-check/", data).json()
    response = client.post("/declarations/new/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    obj = Declaration.objects.latest("id")
    saved_by_row: dict[int, list[dict[str, Any]]] = {}
    for f in obj.findings:
        index = (f.get("evidence") or {}).get("index")
        if isinstance(index, int):
            saved_by_row.setdefault(index, []).append(f)
    problems = []
    for n, (row, shown) in enumerate(zip(state["rows"], live["rows"], strict=True)):
        saved = indicator_status(try_parse_target(row["target"]), saved_by_row.get(n, []))
        if shown["status"] != saved:
            problems.append(f"{row['target']}: live {shown['status']} / saved {saved}")
        live_codes = sorted(f["code"] for f in shown["findings"])
        saved_codes = sorted(f["code"] for f in saved_by_row.get(n, []))
        if live_codes != saved_codes:
            problems.append(f"{row['target']}: live {live_codes} / saved {saved_codes}")
    # The grade: the same letter and score, and every finding is a deduction on the page.
    if live["grade"] != obj.review_grade:
        problems.append(f"grade live {live['grade']} / saved {obj.review_grade}")
    page = client.get(f"/declarations/{obj.pk}/").content.decode()
    if f"{obj.review_grade} · {live['score']}" not in page:
        problems.append(f"score {live['score']} not on the page")
    for code in {f["code"] for f in obj.findings}:
        if code not in page.split('id="deductions"')[1].split("</table>")[0]:
            problems.append(f"deduction {code} not in the grade panel")
    obj.delete()
    return problems


def test_the_live_check_the_review_and_the_grade_agree_on_the_seed(
    users: dict[str, Any], seed_file: Path
) -> None:
    client = signed_in(users["filler_a"])
    disagreements = []
    for doc in read_path(seed_file):
        disagreements += _agree(client, state_from_document(to_dict(doc)))
    assert disagreements == []


def test_the_live_check_the_review_and_the_grade_agree_on_every_grammar_form(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    rows = [
        {"level1": "产出指标", "level2": "数量指标", "name": f"巡查覆盖情况{n}", "target": text}
        for n, text in enumerate(CORPUS)
    ]
    state = state_from_document({"year": 2022, "project": {"name": "城市网格巡查"}, "indicators": []})
    state["rows"] = rows
    assert _agree(client, state) == []


def test_an_unmeasurable_target_is_not_green_while_typing(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    state = state_from_document({"year": 2022, "project": {"name": "服务提升"}, "indicators": []})
    state["rows"] = [
        {"level1": "产出指标", "level2": "质量指标", "name": "服务质量", "target": "大幅提升"},
        {"level1": "产出指标", "level2": "数量指标", "name": "巡查次数", "target": "每日巡查2次"},
    ]
    live = client.post("/declarations/live-check/", _post(state)).json()
    assert live["rows"][0]["status"] == "warning"
    assert any(f["code"] == "JX-Q01" for f in live["rows"][0]["findings"])
    assert "JX-Q01" in {d["code"] for d in live["deductions"]}


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("zh-hans", "jixiao 自定扣分表得分（非官方）"),
        ("en", "score on jixiao's own deduction table (not official)"),
    ],
)
def test_the_grade_panel_says_the_score_is_jixiaos_own(
    users: dict[str, Any], language: str, label: str
) -> None:
    # 财预〔2015〕88号 defines the four grades and their consequences, not points: the score is ours.
    client = signed_in(users["filler_a"])
    state = state_from_document({"year": 2022, "project": {"name": "城市网格巡查"}, "indicators": []})
    state["rows"] = [{"level1": "产出指标", "level2": "数量指标", "name": "巡查次数", "target": "大幅提升"}]
    assert client.post("/declarations/new/", _post(state)).status_code == 302
    obj = Declaration.objects.latest("id")
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get(f"/declarations/{obj.pk}/").content.decode()
    assert label in html.unescape(page.split('id="score-label"')[1].split("</span>")[0])
