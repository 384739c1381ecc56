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
    assert "JX-E656" in response.content.decode()  # the form names another department
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
    assert wrong.status_code == 400 and wrong.json()["code"] == "JX-E650"


def test_english_pages(users: dict[str, Any]) -> None:
    record = _imported(users)
    client = signed_in(users["filler_a"])
    client.cookies["django_language"] = "en"
    page = client.get(f"/departments/{record.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Department-wide targets" in page
