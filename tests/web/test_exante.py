"""事前绩效评估 attached to a declaration: required for a new project above the amount, submitting
is refused (JX-E780) until the sheet is complete; the web editor is a Django formset."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration
from jixiao.db.exante.models import ExAnteSheet
from jixiao.domain.errors import InputError, NotAllowed, WorkflowError
from jixiao.evaluation.exante import ITEMS, Rating
from jixiao.services import exante as svc
from jixiao.services.workflow import transition

from .conftest import signed_in


def _with_total(obj: Declaration, total: str) -> Declaration:
    doc = dict(obj.document)
    doc["funding"] = {**(doc.get("funding") or {}), "total": total, "annual": total}
    Declaration.objects.filter(pk=obj.pk).update(document=doc, annual_amount=Decimal(total))
    obj.refresh_from_db()
    return obj


@pytest.fixture
def big_new(make_declaration: Any) -> Declaration:
    return _with_total(make_declaration("unit_a", name="城运智能感知设备新建项目"), "6500000.00")


def _post(grades: list[str], notes: str = "") -> dict[str, str]:
    data = {
        "form-TOTAL_FORMS": str(len(ITEMS)),
        "form-INITIAL_FORMS": str(len(ITEMS)),
        "form-MIN_NUM_FORMS": str(len(ITEMS)),
        "form-MAX_NUM_FORMS": str(len(ITEMS)),
        "opinion": "项目必要，建议按调整后的方案实施",
    }
    for n, item in enumerate(ITEMS):
        data[f"form-{n}-key"] = item.key
        data[f"form-{n}-rating"] = grades[n] if n < len(grades) else ""
        data[f"form-{n}-note"] = notes
    return data


def test_submission_is_refused_until_the_sheet_is_complete(
    users: dict[str, Any], big_new: Declaration
) -> None:
    assert svc.required_for(big_new)
    with pytest.raises(WorkflowError) as caught:
        transition(users["filler_a"], big_new.pk, "submit")
    assert caught.value.code == "JX-E780" and "20 项未评价" in caught.value.message_zh
    assert "ex-ante assessment" in caught.value.message_en
    # 16 of 20 ticked: still refused, naming the four 筹资合规性 items
    svc.save_sheet(users["filler_a"], big_new, {i.key: Rating("优") for i in ITEMS[:16]})
    with pytest.raises(WorkflowError) as caught:
        transition(users["filler_a"], big_new.pk, "submit")
    assert "4 项未评价" in caught.value.message_zh and "筹资合规性" in caught.value.message_zh
    # complete: 12 优 + 5 良 + 2 中 + 1 差 = 60 + 20 + 6 + 1 = 87.00 → 予以支持
    grades = ["优"] * 12 + ["良"] * 5 + ["中"] * 2 + ["差"]
    sheet, assessment = svc.save_sheet(
        users["filler_a"], big_new, {i.key: Rating(g) for i, g in zip(ITEMS, grades, strict=True)}
    )
    assert sheet.total == Decimal("87.00") and sheet.conclusion == "予以支持" and sheet.complete
    assert transition(users["filler_a"], big_new.pk, "submit").status == "submitted"
    # once submitted the unit can no longer change the sheet
    with pytest.raises(NotAllowed):
        svc.save_sheet(users["filler_a"], big_new, {})


def test_continuing_or_smaller_projects_need_no_sheet(users: dict[str, Any], make_declaration: Any) -> None:
    small = _with_total(make_declaration("unit_a", name="小额新增项目"), "4999999.99")
    assert not svc.required_for(small)
    assert transition(users["filler_a"], small.pk, "submit").status == "submitted"
    make_declaration("unit_a", name="城运大额延续项目", year=2022)
    continuing = _with_total(make_declaration("unit_a", name="城运大额延续项目", year=2023), "9000000")
    assert not svc.is_new(continuing) and not svc.required_for(continuing)


def test_bad_sheet_input_is_a_catalogue_error(users: dict[str, Any], big_new: Declaration) -> None:
    with pytest.raises(InputError) as caught:
        svc.save_sheet(users["filler_a"], big_new, {ITEMS[0].key: Rating("甲")})
    assert caught.value.code == "JX-E781"
    with pytest.raises(InputError):
        svc.save_sheet(users["filler_a"], big_new, {"nonsense.item": Rating("优")})
    assert not ExAnteSheet.objects.exists()


def test_web_formset_and_the_refused_submission(users: dict[str, Any], big_new: Declaration) -> None:
    client = signed_in(users["filler_a"])
    page = client.get(f"/declarations/{big_new.pk}/").content.decode()
    assert "事前绩效评估" in page and "尚未评价" in page
    refused = client.post(
        f"/declarations/{big_new.pk}/action/", {"action": "submit", "confirm": "1"}, follow=True
    )
    assert "JX-E780" in refused.content.decode() or "须完成事前绩效评估" in refused.content.decode()
    big_new.refresh_from_db()
    assert big_new.status == "draft"
    bad = client.post(f"/declarations/{big_new.pk}/ex-ante/", _post(["甲"] + ["优"] * 19))
    assert bad.status_code == 400  # the formset refuses a grade that is not 优/良/中/差
    assert not ExAnteSheet.objects.exists()
    client.post(
        f"/declarations/{big_new.pk}/ex-ante/",
        _post(["优"] * 12 + ["良"] * 5 + ["中"] * 2 + ["差"], "已核对"),
    )
    sheet = ExAnteSheet.objects.get()
    assert sheet.total == Decimal("87.00") and sheet.ratings[ITEMS[0].key] == {
        "rating": "优",
        "note": "已核对",
    }
    shown = client.get(f"/declarations/{big_new.pk}/ex-ante/").content.decode()
    assert "87.00" in shown and "予以支持" in shown
    client.post(f"/declarations/{big_new.pk}/action/", {"action": "submit", "confirm": "1"})
    big_new.refresh_from_db()
    assert big_new.status == "submitted"


def test_api_submit_is_a_4xx_json_with_the_code(users: dict[str, Any], big_new: Declaration) -> None:
    response = signed_in(users["filler_a"]).post(
        f"/api/declarations/{big_new.pk}/transitions", {"action": "submit"}, content_type="application/json"
    )
    assert 400 <= response.status_code < 500 and response.json()["code"] == "JX-E780"


def test_api_reads_and_saves_the_sheet(users: dict[str, Any], big_new: Declaration) -> None:
    client = signed_in(users["filler_a"])
    url = f"/api/declarations/{big_new.pk}/ex-ante"
    empty = client.get(url).json()
    assert empty["required"] and not empty["complete"] and len(empty["missing"]) == 20
    bad = client.put(url, {"ratings": {ITEMS[0].key: {"rating": "甲"}}}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "JX-E781"
    grades = ["优"] * 12 + ["良"] * 5 + ["中"] * 2 + ["差"]
    body = {
        "ratings": {i.key: {"rating": g, "note": ""} for i, g in zip(ITEMS, grades, strict=True)},
        "opinion": "同意",
    }
    saved = client.put(url, body, content_type="application/json").json()
    assert saved["complete"] and saved["total"] == "87.00" and saved["conclusion"] == "予以支持"
