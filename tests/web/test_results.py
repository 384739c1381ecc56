"""评价结果应用 for finance (page, Excel, PDF, API, command) and last year's result beside a continuing
project's declaration. One hand-worked project:

2022 城运案件托底处置费, 全年预算数 100,000 元, 执行数 50,000 元 → 执行率 50.00 %, 5.00 points;
处置案件数量 ≥500件, actual 400件 → 25 × 400/500 = 20.00 (missed, with a note); 及时性 7天内完成, 5天 → 25;
案件办结率 ≥95%, 96% → 30; 群众满意度 ≥90%, 92% → 10. Total 5 + 20 + 25 + 30 + 10 = 90.00 → 优.
Execution below 60 % (40) outranks the miss (20) and 优 (5): the suggestion is 核减预算，审视资金安排.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.db.accounts.models import User
from jixiao.formats.render.results import PROJECT_HEADERS
from jixiao.services import evaluation as ev_svc

from .conftest import signed_in

pytestmark = pytest.mark.django_db

ROWS = [
    ("产出指标", "数量指标", "处置案件数量", ">=500件"),
    ("产出指标", "时效指标", "一般案件处置及时性", "7天内完成"),
    ("效益指标", "社会效益指标", "案件办结率", ">=95%"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", ">=90%"),
]
NOTE = "下半年无主案件少于预期"


@pytest.fixture
def year_2022(users: dict[str, User], make_declaration: Any) -> Any:
    obj = make_declaration("unit_a", status="published", year=2022, indicators=ROWS)
    doc = ev_svc.self_evaluation_initial(obj)
    doc.budget.initial = doc.budget.adjusted = Decimal("100000")
    doc.budget.executed = Decimal("50000")
    doc.outcome = "部分支出延至次年"
    for row, actual in zip(doc.indicators, ("400件", "5天", "96%", "92%"), strict=True):
        row.actual = actual
    doc.indicators[0].deviation_note = NOTE
    record, ev = ev_svc.save_self_evaluation(users["filler_a"], obj, doc)
    assert (ev.total, ev.grade, ev.budget.rate) == (Decimal("90.00"), "优", Decimal("50.00"))
    # An approved project of the other department with no self-evaluation yet.
    make_declaration("unit_b", status="approved", year=2022, name="市容环境宣传费")
    return obj


def test_finance_opens_the_report_per_department_and_unit(users: dict[str, User], year_2022: Any) -> None:
    page = signed_in(users["finance"]).get("/evaluation/results/?year=2022")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2022 绩效评价结果应用" in html
    assert "上海市青浦区城市运行管理中心" in html and "城运中心本级" in html and "绿化市容局" in html
    assert "核减预算，审视资金安排" in html
    assert "处置案件数量：目标 >=500件，实际 400件" in html.replace("&gt;", ">")
    assert f"处置案件数量：{NOTE}" in html
    assert "未自评" in html and "市容环境宣传费" in html
    # English: the same page, every label and suggestion in English.
    client = signed_in(users["finance"])
    client.cookies["django_language"] = "en"
    en = client.get("/evaluation/results/?year=2022", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "Evaluation results applied to the budget" in en and "cut the budget and review the allocation" in en
    )
    assert "not self-evaluated" in en


def test_the_excel_export_has_one_row_per_project(users: dict[str, User], year_2022: Any) -> None:
    from openpyxl import load_workbook

    response = signed_in(users["finance"]).get("/evaluation/results/export.xlsx?year=2022")
    assert response.status_code == 200
    assert (
        "2022-%E7%BB%A9%E6%95%88%E8%AF%84%E4%BB%B7%E7%BB%93%E6%9E%9C%E5%BA%94%E7%94%A8.xlsx"
        in response["Content-Disposition"]
    )
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["评价结果应用"]
    assert ws["A1"].value == "2022年度绩效评价结果应用"
    assert tuple(c.value for c in ws[3]) == PROJECT_HEADERS
    rows = {r[2]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {"城运案件托底处置费", "市容环境宣传费"}
    ours = rows["城运案件托底处置费"]
    assert ours[:6] == ("上海市青浦区城市运行管理中心", "城运中心本级", "城运案件托底处置费", 90, "优", 0.5)
    assert ours[6:8] == (100000, 50000)
    assert ours[8] == "处置案件数量：目标 >=500件，实际 400件"
    assert ours[9] == f"处置案件数量：{NOTE}"
    assert ours[10] == "核减预算，审视资金安排"
    assert ours[11] == "预算执行率低于 60%；未完成指标 1 项及以上；等级为优"
    assert rows["市容环境宣传费"][3] == "未自评"
    summary = list(wb["汇总"].iter_rows(min_row=4, values_only=True))
    assert ("上海市青浦区城市运行管理中心", "（合计）", 1, 1, 90, 1, 0, 0, 0, 0.5, 1) in summary
    assert [r[0] for r in wb["建议规则"].iter_rows(min_row=4, values_only=True)][0] == "等级为差"


def test_the_pdf_export_is_the_report(users: dict[str, User], year_2022: Any) -> None:
    import pdfplumber

    response = signed_in(users["finance"]).get("/evaluation/results/export.pdf?year=2022")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace(" ", "").replace("\n", "")
    assert "2022年度绩效评价结果应用" in text
    assert "城运案件托底处置费" in text and "核减预算，审视资金安排" in text


@pytest.mark.parametrize("who", ["filler_a", "head_a", "dept_a", "filler_b"])
def test_only_finance_and_admin_see_the_report(users: dict[str, User], year_2022: Any, who: str) -> None:
    client = signed_in(users[who])
    for path in ("/evaluation/results/?year=2022", "/evaluation/results/export.xlsx?year=2022"):
        assert client.get(path).status_code == 403
    api = client.get("/api/evaluation/results?year=2022")
    assert api.status_code == 403 and api.json()["code"] == "JX-E710"
    assert signed_in(users["admin"]).get("/evaluation/results/?year=2022").status_code == 200


@pytest.mark.parametrize(
    ("year", "code"),
    [
        ("abc", "JX-E640"),
        ("二〇二二", "JX-E640"),
        ("2022.5", "JX-E640"),
        ("20221", "JX-E752"),
        ("1800", "JX-E752"),
        ("-1", "JX-E640"),
    ],
)
def test_a_bad_year_is_a_clear_error_never_a_500(users: dict[str, User], year: str, code: str) -> None:
    client = signed_in(users["finance"])
    page = client.get("/evaluation/results/", {"year": year})
    assert page.status_code == 400 and code in page.content.decode()
    export = client.get("/evaluation/results/export.pdf", {"year": year})
    assert export.status_code == 400 and code in export.content.decode()
    # The API's year is an integer within the limits: anything else is refused by its schema.
    api = client.get("/api/evaluation/results", {"year": year})
    assert api.status_code == 422 and api.json()["code"] == "JX-E501"
    assert client.get("/evaluation/results/export.doc?year=2022").status_code == 404


@pytest.mark.parametrize("year", ["2022", "2022年", "2022年度", "２０２２", " 2022 "])
def test_a_year_as_typed_on_a_chinese_keyboard_is_accepted(
    users: dict[str, User], year_2022: Any, year: str
) -> None:
    page = signed_in(users["finance"]).get("/evaluation/results/", {"year": year})
    assert page.status_code == 200 and "城运案件托底处置费" in page.content.decode()


def test_the_api_gives_the_report_as_json(users: dict[str, User], year_2022: Any) -> None:
    data = signed_in(users["finance"]).get("/api/evaluation/results?year=2022").json()
    assert data["year"] == 2022 and data["totals"]["count"] == 2
    [dept_a] = [d for d in data["departments"] if d["department"] == "上海市青浦区城市运行管理中心"]
    [project] = dept_a["units"][0]["projects"]
    assert (project["total_score"], project["grade"], project["execution_rate"]) == ("90.00", "优", "50.00")
    assert project["suggestion"] == "low_execution"
    assert [m["name"] for m in project["missed"]] == ["处置案件数量"]
    from jixiao.db.accounts.models import Organisation

    dept_b = Organisation.objects.get(name="绿化市容局")
    narrowed = signed_in(users["finance"]).get(f"/api/evaluation/results?year=2022&organisation={dept_b.pk}")
    assert narrowed.json()["totals"]["count"] == 1
    missing = signed_in(users["finance"]).get("/api/evaluation/results?year=2022&organisation=999999")
    assert missing.status_code == 404 and missing.json()["code"] == "JX-E720"


def test_the_command_prints_and_exports_the_report(year_2022: Any, tmp_path: Any) -> None:
    from jixiao.cli import main

    out = CliRunner().invoke(main, ["results-report", "--year", "2022"])
    assert out.exit_code == 0, out.output
    assert "城运案件托底处置费  90.00 优  50.00%  → 核减预算，审视资金安排" in out.output
    target = tmp_path / "results.xlsx"
    assert (
        CliRunner()
        .invoke(main, ["results-report", "--year", "2022", "--format", "xlsx", "-o", str(target)])
        .exit_code
        == 0
    )
    assert target.read_bytes()[:2] == b"PK"
    bad = CliRunner().invoke(main, ["results-report", "--year", "twenty"])
    assert bad.exit_code == 2 and "JX-E640" in bad.output


def test_next_years_declaration_shows_last_years_result_beside_each_indicator(
    users: dict[str, User], year_2022: Any, make_declaration: Any
) -> None:
    rows = [*ROWS, ("产出指标", "质量指标", "新增指标", ">=1个")]
    draft = make_declaration("unit_a", status="draft", year=2023, indicators=rows)
    client = signed_in(users["filler_a"])
    for path in (f"/declarations/{draft.pk}/", f"/declarations/{draft.pk}/edit/"):
        html = client.get(path).content.decode().replace("&gt;", ">")
        assert "2022 上年：目标值 >=500件，实际 400件 · 未达成" in html, path
        assert "2022 上年：目标值 >=95%，实际 96% · 已达成" in html, path
        assert "上年无此指标" in html, path
    # A project of another unit with the same name is not "the same project".
    other = make_declaration("unit_b", status="draft", year=2023, indicators=ROWS)
    assert "上年：" not in signed_in(users["filler_b"]).get(f"/declarations/{other.pk}/").content.decode()


def test_the_report_of_one_department_holds_its_units_only(users: dict[str, User], year_2022: Any) -> None:
    from jixiao.db.accounts.models import Organisation

    client = signed_in(users["finance"])
    dept_b = Organisation.objects.get(name="绿化市容局")
    html = client.get(f"/evaluation/results/?year=2022&organisation={dept_b.pk}").content.decode()
    assert "市容环境宣传费" in html and "城运案件托底处置费" not in html
    assert f"&amp;organisation={dept_b.pk}" in html  # the exports follow the choice
    from openpyxl import load_workbook

    export = client.get(f"/evaluation/results/export.xlsx?year=2022&organisation={dept_b.pk}")
    sheet = load_workbook(io.BytesIO(export.content))["评价结果应用"]
    assert [r[2] for r in sheet.iter_rows(min_row=4, values_only=True)] == ["市容环境宣传费"]
    missing = client.get("/evaluation/results/?year=2022&organisation=999999")
    assert missing.status_code == 404 and "JX-E720" in missing.content.decode()
    # A unit sees nothing beyond its own subtree, even when it names another organisation.
    other = signed_in(users["filler_a"]).get(f"/evaluation/results/?year=2022&organisation={dept_b.pk}")
    assert other.status_code == 403


def test_a_year_too_large_for_one_page_asks_for_a_department(
    users: dict[str, User], year_2022: Any, monkeypatch: Any
) -> None:
    from jixiao.db.accounts.models import Organisation
    from jixiao.services import results

    monkeypatch.setattr(results, "RESULTS_ON_ONE_PAGE", 1)
    client = signed_in(users["finance"])
    html = client.get("/evaluation/results/?year=2022&whole=1").content.decode()
    assert "本年度共 2 个已批复的项目，一页列不下" in html and 'id="results-projects"' not in html
    assert "/evaluation/results/export.xlsx?year=2022" in html  # the whole year still exports
    dept_a = Organisation.objects.get(name="上海市青浦区城市运行管理中心")
    chosen = client.get(f"/evaluation/results/?year=2022&organisation={dept_a.pk}").content.decode()
    assert 'id="results-projects"' in chosen and "城运案件托底处置费" in chosen
