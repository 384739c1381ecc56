"""The demo's department-wide targets: the seed centre's 2022 targets and the roll-up of its seven projects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from jixiao.db.departments.models import DepartmentDeclarationRecord, DepartmentSelfEvaluationRecord
from jixiao.db.evaluation.models import SelfEvaluationRecord
from jixiao.services import departments as svc
from jixiao.services.demo import load_demo, load_evaluation_demo
from jixiao.services.departments_demo import load_department_demo

pytestmark = pytest.mark.django_db


def test_demo_rolls_up_the_seven_seed_projects(db: Any) -> None:
    users = load_demo()
    load_evaluation_demo(users["admin"])
    record = DepartmentDeclarationRecord.objects.get()
    assert record.organisation.name == "上海市青浦区城市运行管理中心"
    assert (record.year, record.status, record.grade) == (2022, "published", "良")
    doc = svc.declaration_of(record)
    assert {i.level1 for i in doc.indicators} == {
        "履职效能",
        "管理效率",
        "社会效应",
        "可持续发展",
        "服务对象满意度",
    }
    sev = DepartmentSelfEvaluationRecord.objects.get(declaration=record)
    rolled = svc.self_evaluation_of(sev)
    assert len(rolled.projects) == 7 and all(p.grade for p in rolled.projects)
    # The roll-up equals the sums of the seven stored project self-evaluations.
    projects = SelfEvaluationRecord.objects.all()
    budget = sum((Decimal(r.document["budget"]["adjusted"]) for r in projects), Decimal(0))
    executed = sum((Decimal(r.document["budget"]["executed"]) for r in projects), Decimal(0))
    assert (rolled.rollup.budget, rolled.rollup.executed) == (budget, executed)
    rate = (executed / budget * 100).quantize(Decimal("0.01"))
    assert rolled.rollup.execution_rate == rate
    good = sum(1 for r in projects if r.grade in ("优", "良"))
    assert rolled.rollup.good_share == (Decimal(good) / 7 * 100).quantize(Decimal("0.01"))
    assert rolled.rollup.score is not None and rolled.rollup.grade in ("优", "良", "中", "差")
    assert sev.status == "draft" and svc.problems(sev) == []
    assert load_department_demo() is False  # idempotent
