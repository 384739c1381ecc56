"""Lists and actions as reviewers and units use them: drafts stay with their unit, columns sort, rows
are selected and exported together, every export has a name a person recognises, a resubmission
drops the old grade and 重新审核 says what it found."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from jixiao.db.declarations.models import Declaration

from .conftest import signed_in
from .test_evaluation_pages import MONITORING_FORM, PUTUO_FORM, PUTUO_ROWS

pytestmark = pytest.mark.django_db


def _names(html: str) -> list[str]:
    body = html.split('id="declaration-table"')[1].split("</tbody>")[0]
    return [part.split("</a>")[0].split(">")[-1] for part in body.split('<a href="/declarations/')[1:]]


def test_reviewers_do_not_see_a_units_never_submitted_drafts(
    users: dict[str, Any], make_declaration: Any
) -> None:
    make_declaration("unit_a", status="draft", name="单位草稿")
    make_declaration("unit_a", status="returned", name="退回修改的")
    make_declaration("unit_a", status="dept_review", name="待主管部门审核")
    for reviewer in ("dept_a", "finance"):
        client = signed_in(users[reviewer])
        names = _names(client.get("/declarations/").content.decode())
        assert "单位草稿" not in names and {"退回修改的", "待主管部门审核"} <= set(names), reviewer
        assert "单位草稿" not in client.get("/").content.decode()
    assert "单位草稿" in _names(signed_in(users["filler_a"]).get("/declarations/").content.decode())


def test_columns_sort_both_ways(users: dict[str, Any], make_declaration: Any) -> None:
    for name, amount in (("乙项目", 300), ("甲项目", 100), ("丙项目", 200)):
        obj = make_declaration("unit_a", name=name)
        Declaration.objects.filter(pk=obj.pk).update(annual_amount=amount)
    client = signed_in(users["filler_a"])
    up = _names(client.get("/declarations/?sort=annual_amount").content.decode())
    down = _names(client.get("/declarations/?sort=-annual_amount").content.decode())
    assert up == ["甲项目", "丙项目", "乙项目"] and down == list(reversed(up))
    assert "sort=-annual_amount" in client.get("/declarations/?sort=annual_amount").content.decode()
    # an unknown column is ignored, not an error
    assert client.get("/declarations/?sort=password").status_code == 200


def test_selected_declarations_export_together_with_a_readable_name(
    users: dict[str, Any], make_declaration: Any
) -> None:
    a = make_declaration("unit_a", name="城运案件托底处置费", year=2022)
    b = make_declaration("unit_a", name="热线工单回访测评费", year=2022)
    other = make_declaration("unit_b", name="别的单位的项目", year=2022)
    client = signed_in(users["filler_a"])
    assert 'name="ids"' in client.get("/declarations/").content.decode()
    response = client.get(f"/declarations/export/?fmt=xlsx&ids={a.pk}&ids={b.pk}&ids={other.pk}")
    assert response.status_code == 200
    assert "2022-申报表2份.xlsx" in unquote(response["Content-Disposition"])
    wb = load_workbook(io.BytesIO(response.content))
    assert len([n for n in wb.sheetnames if "城运" in n or "热线" in n]) == 2  # not the other unit's
    bulk = client.get(f"/declarations/export/?fmt=bulk&ids={a.pk}&ids={b.pk}")
    assert bulk.status_code == 200 and load_workbook(io.BytesIO(bulk.content)).sheetnames
    one = client.get(f"/declarations/{a.pk}/export.json")
    assert "2022-城运案件托底处置费-申报表.json" in unquote(one["Content-Disposition"])


def test_self_evaluations_and_monitoring_reports_export_from_their_pages(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration(
        "unit_a", status="approved", name="体育中心结算费用", indicators=PUTUO_ROWS, year=2022
    )
    client = signed_in(users["filler_a"])
    client.post(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/", PUTUO_FORM)
    client.post(f"/evaluation/declarations/{obj.pk}/monitoring/", MONITORING_FORM)
    page = client.get(f"/evaluation/declarations/{obj.pk}/self-evaluation/").content.decode()
    assert "self-evaluation/export.xlsx" in page and "self-evaluation/export.pdf" in page
    xlsx = client.get(f"/evaluation/declarations/{obj.pk}/self-evaluation/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "2022-体育中心结算费用-绩效自评表.xlsx" in unquote(xlsx["Content-Disposition"])
    monitoring = client.get(f"/evaluation/declarations/{obj.pk}/monitoring/7/export.xlsx")
    assert monitoring.status_code == 200 and "运行监控表1-7月" in unquote(monitoring["Content-Disposition"])
    pdf = client.get(f"/evaluation/declarations/{obj.pk}/monitoring/7/export.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_a_resubmission_drops_the_old_grade_and_rereview_says_what_it_found(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a", status="returned", name="退回后重新提交")
    Declaration.objects.filter(pk=obj.pk).update(grade="中")
    client = signed_in(users["head_a"])
    client.post(f"/declarations/{obj.pk}/action/", {"action": "submit", "confirm": "1"})
    obj.refresh_from_db()
    assert (obj.status, obj.grade) == ("dept_review", "")
    assert obj.transitions.filter(action="submit").exists()
    page = client.post(f"/declarations/{obj.pk}/review/", follow=True).content.decode()
    assert "重新审核完成" in page
