"""The self-evaluation and monitoring dashboard's figures, counted by the database.

A province holds tens of thousands of self-evaluations and monitoring reports: the figures per unit
and department are grouped in SQL (a few rows a unit), and the tables show the first rows of each
list with the number of all of them ("显示前 50 条，共 40,029 条"), never every record: reading and
drawing them all took 13.8 s at 10,000 declarations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Round, RowNumber
from django.utils import timezone

from jixiao.db.accounts.models import Organisation
from jixiao.db.evaluation.models import EvaluationStatus, MonitoringRecord
from jixiao.domain.vocabulary import GRADES
from jixiao.services.evaluation import EVALUABLE_STATES, rules, visible_monitoring, visible_self_evaluations
from jixiao.services.scope import unit_and_department, visible_declarations

__all__ = ["LATE_SHOWN", "SHOWN", "Late", "dashboard_data", "last_late_year", "late_by_department"]

# Rows each table of the dashboard shows; the counts beside them are of every record.
SHOWN = 50
# Late self-evaluations shown per department, the most overdue first.
LATE_SHOWN = 10
# A self-evaluation still with the unit (being written, returned, or with the unit head) is not
# yet reported to the department.
_WAITING = (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED, EvaluationStatus.SUBMITTED)
_LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2}
_CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Late:
    """One department's late self-evaluations: how many, and the most overdue of them."""

    department: str
    count: int
    late: list[dict[str, Any]]


def last_late_year(today: date) -> int:
    """Return the latest budget year whose self-evaluation is overdue on ``today``.

    The self-evaluation of year Y is due by ``rules().self_evaluation_due`` (month, day) of Y + 1
    and late the day after.
    """
    month, day = rules().self_evaluation_due
    return today.year - 1 if today > date(today.year, month, day) else today.year - 2


def late_by_department(user: Any, today: date | None = None, shown: int | None = None) -> list[Late]:
    """Return, per department, the self-evaluations past their due date and not yet with the department.

    An approved or published declaration of year Y is late once its due date (see
    :func:`last_late_year`) has passed while its self-evaluation is missing or still with the unit.
    Each department gives the number of them and its ``shown`` most overdue (oldest year first).
    """
    today = today or timezone.localdate()
    shown = LATE_SHOWN if shown is None else shown
    month, day = rules().self_evaluation_due
    late = visible_declarations(user).filter(
        Q(self_evaluation__isnull=True) | Q(self_evaluation__status__in=_WAITING),
        status__in=EVALUABLE_STATES,
        year__isnull=False,
        year__lte=last_late_year(today),
    )
    by_id = {o.pk: o for o in Organisation.objects.all()}
    department_of = {pk: unit_and_department(org, by_id) for pk, org in by_id.items()}
    counts: dict[str, int] = defaultdict(int)
    for org_id, n in late.order_by().values_list("organisation_id").annotate(n=Count("id")):
        counts[department_of[org_id][1]] += n
    # The most overdue of each department, ranked in SQL (one order: the database's collation).
    department = Case(
        When(
            organisation__kind=Organisation.Kind.UNIT,
            organisation__parent__isnull=False,
            then=F("organisation__parent_id"),
        ),
        default=F("organisation_id"),
    )
    order = ("year", "project_name", "id")
    first = (
        late.annotate(
            rank=Window(RowNumber(), partition_by=department, order_by=order),
            evaluation_status=F("self_evaluation__status"),
        )
        .filter(rank__lte=shown)
        .only("id", "year", "project_name", "organisation_id")
        .order_by(*order)
    )
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for obj in first:
        assert obj.year is not None  # filtered: year__isnull=False
        unit, dept = department_of[obj.organisation_id]
        due = date(obj.year + 1, month, day)
        rows[dept].append(
            {
                "declaration": obj,
                "unit": unit,
                "due": due,
                "status": obj.evaluation_status or "",
                "days": (today - due).days,
            }
        )
    return [
        Late(
            department=name,
            count=counts[name],
            late=rows[name][:shown],
        )
        for name in sorted(counts)
    ]


def _average(cents: int, count: int) -> Decimal | None:
    # The mean of scores of two decimals, from their sum in cents (exact on both databases).
    return (Decimal(cents) / 100 / count).quantize(_CENT) if count else None


def _latest_reports(reports: QuerySet[MonitoringRecord]) -> QuerySet[MonitoringRecord]:
    """Return each declaration's latest report (its highest cut-off month) among ``reports``."""
    # "No later report of the same declaration": one anti-join, not a lookup per report.
    later = MonitoringRecord.objects.filter(
        declaration_id=OuterRef("declaration_id"), cutoff_month__gt=OuterRef("cutoff_month")
    )
    return reports.exclude(Exists(later))


def dashboard_data(user: Any, year: int | None = None, shown: int | None = None) -> dict[str, Any]:
    """Return the scores and warnings of the user's subtree, by unit and by department.

    The grade and light counts, and the figures per unit and department, are of every visible
    record; ``evaluations``, ``monitoring`` and ``pending`` are the first ``shown`` rows of their lists,
    with ``*_count`` the number of all.
    """
    shown = SHOWN if shown is None else shown
    evaluations = visible_self_evaluations(user)
    reports = _latest_reports(visible_monitoring(user))
    pending = visible_declarations(user).filter(status__in=EVALUABLE_STATES, self_evaluation__isnull=True)
    if year:
        evaluations, reports, pending = (
            evaluations.filter(year=year),
            reports.filter(year=year),
            pending.filter(year=year),
        )
    by_id = {o.pk: o for o in Organisation.objects.all()}
    grades = {g: 0 for g in GRADES}
    units: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"cents": 0, "count": 0, "grades": defaultdict(int), "lights": defaultdict(int)}
    )
    # One pass over the self-evaluations: per unit and grade, how many, how many scored, their sum.
    scored = (
        evaluations.order_by()
        .values_list("organisation_id", "grade")
        .annotate(
            records=Count("id"),
            n=Count("total_score"),
            cents=Sum(Round(F("total_score") * 100), output_field=IntegerField()),
        )
    )
    evaluations_count = 0
    for org_id, grade, records, n, cents in scored:
        evaluations_count += records
        unit = units[org_id]
        unit["count"] += n
        unit["cents"] += int(cents or 0)
        if grade:
            grades[grade] = grades.get(grade, 0) + records
            unit["grades"][grade] += records
    lights = {"green": 0, "yellow": 0, "red": 0}
    monitoring_count = 0
    for org_id, light, n in (
        reports.order_by().values_list("organisation_id", "light").annotate(n=Count("id"))
    ):
        monitoring_count += n
        unit_lights = units[org_id]["lights"]  # a unit with reports and no self-evaluation has a row too
        if light in lights:
            lights[light] += n
            unit_lights[light] += n
    departments: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    unit_rows = []
    for org_id, data in units.items():
        name, dept = unit_and_department(by_id[org_id], by_id)
        departments[dept][0] += data["cents"]
        departments[dept][1] += data["count"]
        unit_rows.append(
            {
                "unit": name,
                "department": dept,
                "count": data["count"],
                "average": _average(data["cents"], data["count"]),
                "grades": dict(data["grades"]),
                "lights": dict(data["lights"]),
            }
        )
    unit_rows.sort(key=lambda u: (u["department"], u["unit"]))
    light_rank = Case(
        *(When(light=light, then=Value(rank)) for light, rank in _LIGHT_ORDER.items()),
        default=Value(len(_LIGHT_ORDER)),
        output_field=IntegerField(),
    )
    return {
        "evaluations": list(
            evaluations.select_related("organisation")
            .defer("document")
            .order_by("-year", "organisation__name", "project_name", "id")[:shown]
        ),
        "evaluations_count": evaluations_count,
        "monitoring": list(
            reports.select_related("organisation")
            .defer("document")
            .annotate(light_rank=light_rank)
            .order_by("light_rank", "project_name", "id")[:shown]
        ),
        "monitoring_count": monitoring_count,
        "grades": grades,
        "lights": lights,
        "units": unit_rows,
        "departments": [
            {"department": name, "count": count, "average": _average(cents, count)}
            for name, (cents, count) in sorted(departments.items())
            if count  # a department is averaged once one of its self-evaluations is scored
        ],
        "pending": list(
            pending.select_related("organisation").only(
                "id", "year", "project_name", "organisation", "organisation__name"
            )[:shown]
        ),
        "pending_count": pending.count(),
    }
