"""The self-evaluation dashboard's figures, counted in SQL, against the same figures counted record by
record in Python (the plain reading of the rules), over random years, states, scores and lights."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.db.accounts.models import Organisation
from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord
from jixiao.services import evaluation as svc
from jixiao.services import evaluation_overview as overview

from .conftest import signed_in

pytestmark = pytest.mark.django_db

UNITS = ("unit_a", "unit_a2", "unit_b")
STATES = ("draft", "returned", "submitted", "dept_review", "approved", "published")
SCORES = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2, allow_nan=False))
# One declaration's reports: a self-evaluation (state, score, grade) or none; cut-off months with lights.
REPORTS = st.tuples(
    st.one_of(
        st.none(), st.tuples(st.sampled_from(STATES), SCORES, st.sampled_from(("", "优", "良", "中", "差")))
    ),
    st.dictionaries(st.integers(1, 12), st.sampled_from(("", "green", "yellow", "red")), max_size=3),
)


# Names whose order may differ between code points and a database collation ("apple", "Zebra").
NAMES = ("网格巡查", "Zebra 项目", "apple 项目", "城运平台", "绿化养护")


@pytest.fixture
def pool(make_declaration: Any) -> list[Any]:
    """Twelve declarations over three units, four years, five names and states evaluated or not."""
    states = ("approved", "published", "approved", "finance_review")
    return [
        make_declaration(UNITS[n % 3], status=states[n % 4], name=f"{NAMES[n % 5]}{n:02d}", year=2021 + n % 4)
        for n in range(12)
    ]


def _department(org: Organisation) -> tuple[str, str]:
    if org.kind == "unit" and org.parent is not None:
        return org.name, org.parent.name
    return org.name, org.name


def _write(pool: list[Any], reports: list[Any]) -> None:
    SelfEvaluationRecord.objects.all().delete()
    MonitoringRecord.objects.all().delete()
    for obj, (evaluation, months) in zip(pool, reports, strict=False):
        common = {"declaration": obj, "organisation": obj.organisation, "year": obj.year, "document": {}}
        if evaluation is not None:
            state, score, grade = evaluation
            SelfEvaluationRecord.objects.create(
                **common, project_name=obj.project_name, status=state, total_score=score, grade=grade
            )
        for month, light in months.items():
            MonitoringRecord.objects.create(
                **common, project_name=obj.project_name, cutoff_month=month, light=light
            )


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")) if values else None


def _expected(user: Any, year: int | None) -> dict[str, Any]:
    """The figures of the dashboard counted record by record."""
    evaluations = [r for r in svc.visible_self_evaluations(user) if year is None or r.year == year]
    latest: dict[int, MonitoringRecord] = {}
    for rep in svc.visible_monitoring(user).order_by("declaration_id", "-cutoff_month"):
        latest.setdefault(rep.declaration_id, rep)
    reports = [r for r in latest.values() if year is None or r.year == year]
    units: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"scores": [], "grades": defaultdict(int), "lights": defaultdict(int)}
    )
    grades = {"优": 0, "良": 0, "中": 0, "差": 0}
    lights = {"green": 0, "yellow": 0, "red": 0}
    departments: dict[str, list[Decimal]] = defaultdict(list)
    for rec in evaluations:
        unit = units[_department(rec.organisation)]
        if rec.total_score is not None:
            unit["scores"].append(rec.total_score)
            departments[_department(rec.organisation)[1]].append(rec.total_score)
        if rec.grade:
            grades[rec.grade] += 1
            unit["grades"][rec.grade] += 1
    for rep in reports:
        unit = units[_department(rep.organisation)]
        if rep.light in lights:
            lights[rep.light] += 1
            unit["lights"][rep.light] += 1
    return {
        "grades": grades,
        "lights": lights,
        "units": sorted(
            (dept, name, len(u["scores"]), _mean(u["scores"]), dict(u["grades"]), dict(u["lights"]))
            for (name, dept), u in units.items()
        ),
        "departments": sorted((name, len(v), _mean(v)) for name, v in departments.items()),
        "evaluations_count": len(evaluations),
        "monitoring_count": len(reports),
        "red_first": sorted(
            ({"red": 0, "yellow": 1, "green": 2}.get(r.light, 3), r.project_name) for r in reports
        ),
    }


def _late(user: Any, today: date) -> dict[str, list[str]]:
    """The late self-evaluations counted declaration by declaration: due by the day of year + 1."""
    month, day = svc.rules().self_evaluation_due
    out: dict[str, list[str]] = defaultdict(list)
    objs = (
        svc.visible_declarations(user)
        .filter(status__in=svc.EVALUABLE_STATES)
        .order_by("year", "project_name", "id")
    )
    for obj in objs:
        record = SelfEvaluationRecord.objects.filter(declaration=obj).first()
        if today <= date(obj.year + 1, month, day):
            continue
        if record is not None and record.status not in ("draft", "returned", "submitted"):
            continue
        out[_department(obj.organisation)[1]].append(obj.project_name)
    return dict(out)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    reports=st.lists(REPORTS, min_size=12, max_size=12),
    who=st.sampled_from(("finance", "dept_a", "filler_a")),
    year=st.sampled_from((None, 2022, 2024)),
    days=st.integers(min_value=0, max_value=6 * 365),
    shown=st.integers(min_value=1, max_value=4),
)
def test_the_dashboard_counts_what_the_records_say(
    pool: list[Any],
    users: dict[str, Any],
    reports: list[Any],
    who: str,
    year: int | None,
    days: int,
    shown: int,
) -> None:
    _write(pool, reports)
    user = users[who]
    got = overview.dashboard_data(user, year, shown=shown)
    want = _expected(user, year)
    assert got["grades"] == want["grades"] and got["lights"] == want["lights"]
    assert (
        sorted(
            (u["department"], u["unit"], u["count"], u["average"], u["grades"], u["lights"])
            for u in got["units"]
        )
        == want["units"]
    )
    assert (
        sorted((d["department"], d["count"], d["average"]) for d in got["departments"]) == want["departments"]
    )
    assert got["evaluations_count"] == want["evaluations_count"]
    assert got["monitoring_count"] == want["monitoring_count"]
    # The tables: the first rows of each list, the red lights first; never more than asked.
    assert len(got["evaluations"]) == min(shown, want["evaluations_count"])
    ranked = [
        ({"red": 0, "yellow": 1, "green": 2}.get(r.light, 3), r.project_name) for r in got["monitoring"]
    ]
    assert ranked == want["red_first"][:shown]

    today = date(2022, 1, 1) + timedelta(days=days)
    late = overview.late_by_department(user, today, shown=shown)
    expected = _late(user, today)
    assert {d.department: d.count for d in late} == {k: len(v) for k, v in expected.items()}
    assert {d.department: [r["declaration"].project_name for r in d.late] for d in late} == {
        k: v[:shown] for k, v in expected.items()
    }
    for d in late:
        for r in d.late:
            assert r["days"] == (today - r["due"]).days > 0


def test_the_page_says_how_many_rows_it_leaves_out(
    pool: list[Any], users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table cut at its first rows says so, and the count of late ones is of all of them."""
    _write(pool, [(("published", Decimal("90"), "优"), {7: "red"})] * 12)
    SelfEvaluationRecord.objects.filter(declaration__in=pool[:6]).delete()
    monkeypatch.setattr(overview, "SHOWN", 2)
    monkeypatch.setattr(overview, "LATE_SHOWN", 1)
    page = signed_in(users["finance"]).get("/evaluation/").content.decode()
    # Six self-evaluations, twelve July reports (all red), five evaluable declarations without a
    # self-evaluation: three late in the first department, two in the second.
    assert (
        "显示前 2 条，共 6 条" in page and "显示前 2 条，共 12 条" in page and "显示前 2 条，共 5 条" in page
    )
    assert page.count('class="light-red"') == 2
    assert "显示逾期最久的 1 项，共 3 项" in page and "显示逾期最久的 1 项，共 2 项" in page
    english = signed_in(users["finance"])
    english.post("/i18n/setlang/", {"language": "en", "next": "/evaluation/"})
    shown = english.get("/evaluation/").content.decode()
    assert "first 2 of 12" in shown and "the 1 most overdue of 3" in shown


@pytest.mark.parametrize(
    ("offset", "last_late"),
    [
        (timedelta(days=-1), 2023),  # the day before 2024's due date: 2023's was due a year ago
        (timedelta(days=0), 2023),  # 2024's due date itself: still on time
        (timedelta(days=1), 2024),  # the day after: 2024's is late
    ],
)
def test_a_year_is_late_the_day_after_its_due_date(offset: timedelta, last_late: int) -> None:
    month, day = svc.rules().self_evaluation_due
    assert overview.last_late_year(date(2025, month, day) + offset) == last_late
