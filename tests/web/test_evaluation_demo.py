"""The demo data of the evaluation pages: every seed project scored, every traffic light shown."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord
from jixiao.services.demo import load_demo
from jixiao.services.evaluation_demo import load_evaluation_demo

pytestmark = pytest.mark.django_db


def test_demo_scores_every_published_seed_project(db: Any) -> None:
    users = load_demo()
    assert load_evaluation_demo(users["admin"]) == 7
    records = SelfEvaluationRecord.objects.all()
    assert records.count() == 7
    assert all(r.errors_count == 0 and r.total_score is not None for r in records)
    assert {r.light for r in MonitoringRecord.objects.all()} == {"green", "yellow", "red"}
    assert load_evaluation_demo(users["admin"]) == 0  # idempotent
