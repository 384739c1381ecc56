"""The evaluation endpoints of the REST API: score and monitor canonical JSON, list and read in scope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from .conftest import signed_in
from .test_evaluation_pages import PUTUO_FORM, PUTUO_ROWS

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "evaluation" / "fixtures"
PUTUO = (FIXTURES / "putuo_2022_self_evaluation.json").read_text(encoding="utf-8")
QINGPU = (FIXTURES / "qingpu_2022_monitoring.json").read_text(encoding="utf-8")


def test_score_endpoint_reproduces_5_7_without_sign_in() -> None:
    response = Client().post("/api/evaluation/score?region=shanghai", PUTUO, content_type="application/json")
    assert response.status_code == 200
    [report] = response.json()
    assert report["computed"]["total_score"] == "98.62" and report["computed"]["grade"] == "优"
    assert [(d["field"], d["printed"], d["computed"]) for d in report["discrepancies"]] == [
        ("execution_rate", "86.19", "86.18")
    ]


@pytest.mark.parametrize(
    ("path", "body", "status", "code"),
    [
        ("/api/evaluation/score", "{not json", 400, "JX-E500"),
        ("/api/evaluation/score", "[]", 400, "JX-E500"),
        # What the published schema refuses is refused before it is read, naming the field.
        (
            "/api/evaluation/score",
            json.dumps({"kind": "declaration", "project": {"name": "X"}}),
            422,
            "JX-E501",
        ),
        (
            "/api/evaluation/monitor",
            json.dumps({"kind": "monitoring", "project": {"name": "X"}, "cutoff_month": 13}),
            422,
            "JX-E501",
        ),
        (
            "/api/evaluation/monitor",
            json.dumps({"kind": "monitoring", "project": {"name": "X"}, "indicators": {}}),
            422,
            "JX-E501",
        ),
    ],
)
def test_bad_input_is_a_4xx_with_our_code(path: str, body: str, status: int, code: str) -> None:
    response = Client().post(path, body, content_type="application/json")
    assert response.status_code == status
    assert response.json()["code"] == code


def test_a_document_that_cannot_be_scored_is_answered_with_why() -> None:
    """A self-evaluation the schema allows is read; one whose actual cannot be scored says why (200)."""
    body = PUTUO.replace('"actual": "100%"', '"actual": "100人"', 1)
    response = Client().post("/api/evaluation/score", body, content_type="application/json")
    assert response.status_code == 200
    [report] = response.json()
    assert report["computed"] is None and report["errors"][0]["code"] == "JX-E605"


def test_an_unknown_region_is_refused_by_the_schema() -> None:
    """The documented regions are the only ones accepted (422 with our code, before any scoring)."""
    response = Client().post("/api/evaluation/score?region=mars", PUTUO, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "JX-E501"


def test_monitor_endpoint_lights() -> None:
    response = Client().post("/api/evaluation/monitor?month=6", QINGPU, content_type="application/json")
    [result] = response.json()
    # June: 31.25 % of a 50 % plan → 62.50 % → yellow.
    assert (result["budget"]["progress"], result["budget"]["light"]) == ("62.50", "yellow")


def test_self_evaluations_in_scope(users: dict[str, Any], make_declaration: Any) -> None:
    obj = make_declaration("unit_a", status="approved", indicators=PUTUO_ROWS, year=2022)
    signed_in(users["filler_a"]).post(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/", PUTUO_FORM)
    assert Client().get("/api/evaluation/self-evaluations").status_code == 401
    rows = signed_in(users["dept_a"]).get("/api/evaluation/self-evaluations?year=2022").json()["items"]
    assert [(r["declaration_id"], r["total_score"], r["grade"]) for r in rows] == [(obj.pk, "98.62", "优")]
    one = signed_in(users["dept_a"]).get(f"/api/evaluation/self-evaluations/{obj.pk}").json()
    assert (
        one["document"]["kind"] == "self_evaluation" and one["report"]["computed"]["total_score"] == "98.62"
    )
    assert signed_in(users["filler_b"]).get("/api/evaluation/self-evaluations").json()["items"] == []
    assert signed_in(users["filler_b"]).get(f"/api/evaluation/self-evaluations/{obj.pk}").status_code == 404
