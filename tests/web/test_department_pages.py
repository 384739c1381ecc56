"""Department-wide targets on the web and the API: import, workflow, roll-up, downloads, bad input."""

from __future__ import annotations

import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.db.departments.models import DepartmentDeclarationRecord, DepartmentSelfEvaluationRecord
from jixiao.formats.interpret_department import read_department_bytes
from jixiao.formats.json_department import to_dict
from jixiao.formats.render.department import department_xlsx
from jixiao.services import departments as svc
from jixiao.services import evaluation as evaluation_svc

from .conftest import signed_in

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "formats"))
from department_forms import declaration  # noqa: E402

pytestmark = pytest.mark.django_db
DEPT = "上海市青浦区城市运行管理中心"


def _upload(client: Any, data: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/departments/import/", {"file": SimpleUploadedFile(name, data)}, follow=True)


def _imported(users: dict[str, Any], year: int = 2023) -> DepartmentDeclarationRecord:
    doc = replace(declaration(), year=year)
    response = _upload(signed_in(users["filler_a"]), department_xlsx([doc]), "部门.xlsx")
    assert response.status_code == 200
    return DepartmentDeclarationRecord.objects.get(year=year)


def test_a_filler_imports_the_department_form_and_it_reads_back(users: dict[str, Any]) -> None:
    record = _imported(users)
    assert (record.organisation.name, record.status) == (DEPT, "draft")
    assert record.total_budget == Decimal("12345678.90")
    page = signed_in(users["filler_a"]).get(f"/departments/{record.pk}/").content.decode()
    assert "12345热线工单按时办结率" in page and "履职效能" in page
    # the download is the same form: it reads back to the stored document
    xlsx = signed_in(users["filler_a"]).get(f"/departments/{record.pk}/export.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    [back] = read_department_bytes(xlsx.content, "x.xlsx")
    stored = record.document
    for key in ("department", "year", "funds", "goals", "indicators", "duties"):
        assert to_dict(back)[key] == stored[key]
    pdf = signed_in(users["filler_a"]).get(f"/departments/{record.pk}/export.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\x00\x01not a form", "x.bin", "JX-E653"),
        ("财政项目支出绩效目标申报表（2022年度）\n项目名称\n某项目\n".encode(), "p.txt", "JX-E653"),
        (b'{"kind": "declaration"}', "p.json", "JX-E650"),
        (b"PK\x03\x04broken", "x.xlsx", "JX-E43"),
    ],
)
def test_bad_uploads_say_why_with_a_code(users: dict[str, Any], data: bytes, name: str, code: str) -> None:
    response = _upload(signed_in(users["filler_a"]), data, name)
    assert response.status_code == 200
    assert f"[{code}" in response.content.decode()
    assert not DepartmentDeclarationRecord.objects.exists()


def test_another_department_neither_sees_nor_imports_into_it(users: dict[str, Any]) -> None:
    record = _imported(users)
    assert signed_in(users["filler_b"]).get(f"/departments/{record.pk}/").status_code == 404
    response = _upload(signed_in(users["filler_b"]), department_xlsx([declaration()]), "部门.xlsx")
    assert "JX-E657" in response.content.decode()  # the form names another department
    assert signed_in(users["dept_a"]).get(f"/departments/{record.pk}/").status_code == 200


def test_the_workflow_grades_like_a_declaration(users: dict[str, Any]) -> None:
    record = _imported(users)
    url = f"/departments/{record.pk}/action/"
    signed_in(users["head_a"]).post(url, {"action": "submit"})
    record.refresh_from_db()
    assert record.status == "dept_review"
    page = signed_in(users["dept_a"]).post(url, {"action": "dept_review"}, follow=True).content.decode()
    assert "JX-E701" in page  # no grade
    signed_in(users["dept_a"]).post(url, {"action": "dept_review", "grade": "良"})
    assert (
        signed_in(users["filler_a"]).post(url, {"action": "finance_review", "grade": "优"}).status_code == 403
    )
    signed_in(users["finance"]).post(url, {"action": "finance_review", "grade": "优"})
    record.refresh_from_db()
    assert (record.status, record.grade) == ("approved", "优")
    assert [t.action for t in record.transitions.all()] == ["submit", "dept_review", "finance_review"]


def test_the_self_evaluation_rolls_up_and_refuses_to_move_with_a_project_missing(
    users: dict[str, Any], make_declaration: Any
) -> None:
    record = _imported(users)
    DepartmentDeclarationRecord.objects.filter(pk=record.pk).update(status="approved")
    done = make_declaration("unit_a", "approved", name="已自评项目")
    make_declaration("unit_a2", "approved", name="未自评项目")
    make_declaration("unit_b", "approved", name="别的部门的项目")
    doc = evaluation_svc.self_evaluation_initial(done)
    doc.budget.initial = doc.budget.adjusted = Decimal(1000)
    doc.budget.executed = Decimal(900)
    for row, actual, weight in zip(doc.indicators, ("500件", "5天", "95%"), (40, 40, 10), strict=True):
        row.actual, row.weight = actual, Decimal(weight)
    evaluation_svc.save_self_evaluation(users["filler_a"], done, doc)
    client = signed_in(users["filler_a"])
    url = f"/departments/{record.pk}/self-evaluation/"
    assert "汇总各项目自评" in client.get(url).content.decode()
    page = client.post(url, {"outcome": ""}, follow=True).content.decode()
    assert "已自评项目" in page and "未自评项目" in page and "别的部门的项目" not in page
    sev = DepartmentSelfEvaluationRecord.objects.get(declaration=record)
    rolled = svc.self_evaluation_of(sev)
    # one project scored: 900 / 1000 → 90.00 %; 9 + 40 + 40 + 10 = 99 → 优 → 100 %; 3 of 3 met
    assert rolled.rollup.execution_rate == Decimal("90.00")
    assert (rolled.rollup.good_share, rolled.rollup.met_share) == (Decimal("100.00"), Decimal("100.00"))
    # 0.9 × 30 + 40 + 30 = 97.00 → 优
    assert (rolled.rollup.score, rolled.rollup.grade) == (Decimal("97.00"), "优")
    refused = client.post(f"{url}action/", {"action": "submit"}, follow=True).content.decode()
    assert "JX-E706" in refused and "未自评项目" in refused
    sev.refresh_from_db()
    assert sev.status == "draft"


def test_api_lists_reads_and_steps(users: dict[str, Any]) -> None:
    record = _imported(users)
    client = signed_in(users["head_a"])
    rows = client.get("/api/departments?year=2023").json()["items"]
    assert [r["department"] for r in rows] == [DEPT]
    one = client.get(f"/api/departments/{record.pk}").json()
    assert one["document"]["kind"] == "department_declaration"
    assert "submit" in [a["action"] for a in one["actions"]]
    moved = client.post(
        f"/api/departments/{record.pk}/action", {"action": "submit"}, content_type="application/json"
    ).json()
    assert moved["status"] == "dept_review"
    bad = client.post(
        f"/api/departments/{record.pk}/action", {"action": "fly"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "JX-E702"
    assert signed_in(users["filler_b"]).get(f"/api/departments/{record.pk}").status_code == 404
    wrong = client.post("/api/departments", {"kind": "x"}, content_type="application/json")
    assert wrong.status_code == 422 and wrong.json()["code"] == "JX-E501"


def _body(**changes: Any) -> dict[str, Any]:
    """The canonical JSON of the sample department form, with ``changes`` over its keys."""
    return to_dict(replace(declaration(), year=2023)) | changes


def _post(user: Any, body: Any) -> Any:
    return signed_in(user).post("/api/departments", body, content_type="application/json")


def test_api_publishes_the_department_body_schema_it_checks() -> None:
    from jsonschema import Draft202012Validator

    from jixiao.web.api.api import api
    from jixiao.web.api.documents import DEPARTMENT_DECLARATION

    operation = api.get_openapi_schema()["paths"]["/api/departments"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"] == DEPARTMENT_DECLARATION
    assert {"409", "422"} <= {str(code) for code in operation["responses"]}
    # The canonical JSON the writer gives for a real form is a body the schema allows.
    Draft202012Validator(DEPARTMENT_DECLARATION).validate(_body())


def test_api_stores_a_valid_body_and_updates_the_draft(users: dict[str, Any]) -> None:
    first = _post(users["filler_a"], _body())
    assert first.status_code == 200, first.content
    record = DepartmentDeclarationRecord.objects.get(pk=first.json()["id"])
    assert (record.organisation.name, record.year, record.status) == (DEPT, 2023, "draft")
    again = _post(users["filler_a"], _body(duties="改过的职能概述"))
    assert again.status_code == 200 and again.json()["id"] == record.pk
    record.refresh_from_db()
    assert record.document["duties"] == "改过的职能概述"


def test_api_refuses_another_department_and_targets_under_review(users: dict[str, Any]) -> None:
    other = _post(users["filler_a"], _body(department="另一个部门"))
    assert other.status_code == 409 and other.json()["code"] == "JX-E657"
    record = _imported(users)
    svc.take_step(users["filler_a"], record, "submit")
    # Targets under review are not rewritten by a new upload: the step is not the caller's now.
    under_review = _post(users["filler_a"], _body())
    assert under_review.status_code == 403
    assert DepartmentDeclarationRecord.objects.count() == 1


def test_api_stores_no_nul_character(users: dict[str, Any]) -> None:
    # PostgreSQL cannot hold a NUL in a JSON text: the stored form is without it, not a 500.
    body = _body(duties="职能\x00概述")
    response = _post(users["filler_a"], body)
    assert response.status_code == 200, response.content
    assert DepartmentDeclarationRecord.objects.get().document["duties"] == "职能概述"


_ROW = {"level1": "履职效能", "level2": "x", "name": "x", "target": ">=1件"}


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"kind": "department_self_evaluation"}, "JX-E501", "$.kind"),
        ({"year": None}, "JX-E501", "$.year"),
        ({"year": 1999}, "JX-E752", "$.year"),
        ({"year": "2023"}, "JX-E501", "$.year"),
        ({"department": "  "}, "JX-E501", "$.department"),
        ({"duties": "字" * 5001}, "JX-E751", "$.duties"),
        ({"funds": {"total": 12.5}}, "JX-E501", "$.funds.total"),
        ({"funds": {"total": "1" * 16 + ".00"}}, "JX-E501", "$.funds.total"),
        ({"goals": {"annual": "字" * 5001}}, "JX-E751", "$.goals.annual"),
        ({"indicators": [_ROW] * 501}, "JX-E750", "$.indicators"),
        ({"indicators": [{"name": "无指标值"}]}, "JX-E501", "$.indicators[0]"),
        ({"indicators": [_ROW | {"target": "字" * 301}]}, "JX-E751", "$.indicators[0].target"),
        ({"fields": {"year": {"status": "guessed"}}}, "JX-E501", "$.fields.year.status"),
    ],
)
def test_api_refuses_what_the_schema_refuses_naming_the_field(
    users: dict[str, Any], changes: dict[str, Any], code: str, field: str
) -> None:
    from jixiao.domain.error_codes import http_status

    response = _post(users["filler_a"], _body(**changes))
    # A limit keeps its own code (and status) whichever entry point meets it; any other refusal
    # is the schema's JX-E501 (422).
    assert (response.status_code, response.json()["code"]) == (http_status(code), code), response.content
    assert field in response.json()["message"]
    assert not DepartmentDeclarationRecord.objects.exists()


def test_english_pages(users: dict[str, Any]) -> None:
    record = _imported(users)
    client = signed_in(users["filler_a"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/departments/{record.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Department-wide targets" in page
