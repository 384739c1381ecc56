"""The canonical JSON of the department forms (部门整体支出绩效目标申报表 / 自评表), both ways.

``to_dict(from_dict(d)) == to_dict(doc)``. Amounts are decimal strings in 元 with two places, rates
and scores decimal strings, as in the project forms' JSON (:mod:`jixiao.formats.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jixiao.domain import department as dept
from jixiao.domain.errors import Location, ValidationError
from jixiao.domain.vocabulary import GRADES
from jixiao.formats.json import (
    _evaluated_from,
    _fields_from,
    _goals_from,
    _indicator_from,
    _source,
    _source_from,
    _warning,
    _warning_from,
)
from jixiao.formats.json_fields import (
    amount,
    decimal,
    fail,
    integer,
    json_list,
    load_documents,
    money,
    obj,
    plain,
)
from jixiao.formats.json_fields import string as text

__all__ = ["KINDS", "dumps", "from_dict", "loads", "to_dict"]

KINDS = ("department_declaration", "department_self_evaluation")


def _funds(f: dept.DepartmentFunds) -> dict[str, Any]:
    return {name: money(getattr(f, name)) for name in dept.FUNDS_FIELDS}


def _target_row(i: Any) -> dict[str, Any]:
    return {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target.to_dict()}


def to_dict(doc: dept.DepartmentDocument) -> dict[str, Any]:
    """Return the canonical JSON object of one department declaration or self-evaluation."""
    base: dict[str, Any] = {"kind": doc.kind, "year": doc.year, "department": doc.department}
    if isinstance(doc, dept.DepartmentDeclaration):
        base["duties"] = doc.duties
        base["funds"] = _funds(doc.funds)
        base["goals"] = {"overall": doc.goals.overall, "annual": doc.goals.annual}
        base["indicators"] = [_target_row(i) for i in doc.indicators]
    else:
        base["funds"] = _funds(doc.funds)
        base["goals"] = {"overall": doc.goals.overall, "annual": doc.goals.annual}
        base["outcome"] = doc.outcome
        base["indicators"] = [
            _target_row(i) | {"actual": i.actual, "deviation_note": i.deviation_note} for i in doc.indicators
        ]
        base["projects"] = [
            {
                "name": p.name,
                "unit": p.unit,
                "budget": money(p.budget),
                "executed": money(p.executed),
                "score": plain(p.score),
                "grade": p.grade,
                "indicators": p.indicators,
                "met": p.met,
            }
            for p in doc.projects
        ]
        r = doc.rollup
        base["rollup"] = {
            "budget": money(r.budget),
            "executed": money(r.executed),
            "execution_rate": plain(r.execution_rate),
            "good_share": plain(r.good_share),
            "met_share": plain(r.met_share),
            "score": plain(r.score),
            "grade": r.grade,
        }
    base["source"] = _source(doc.source)
    base["warnings"] = [_warning(w) for w in doc.warnings]
    if doc.fields:
        base["fields"] = {path: read.to_dict() for path, read in sorted(doc.fields.items())}
    return base


def dumps(docs: Iterable[dept.DepartmentDocument], *, indent: int | None = 2) -> str:
    """Return the JSON array of ``docs``."""
    return json.dumps([to_dict(d) for d in docs], ensure_ascii=False, indent=indent)


def _grade(value: Any, path: str) -> str | None:
    grade = text(value, path)
    if grade is not None and grade not in GRADES:
        raise fail(path, f"等级应为 {'/'.join(GRADES)}", f"the grade must be one of {'/'.join(GRADES)}")
    return grade


def _funds_from(value: Any, path: str) -> dept.DepartmentFunds:
    data = obj(value or {}, path)
    return dept.DepartmentFunds(
        **{name: amount(data.get(name), f"{path}.{name}") for name in dept.FUNDS_FIELDS}
    )


def _count(value: Any, path: str) -> int:
    n = integer(value, path)
    if n is None:
        return 0
    if n < 0:
        raise fail(path, "不能为负数", "must not be negative")
    return n


def _project_from(item: Any, path: str) -> dept.ProjectResult:
    data = obj(item, path)
    line = dept.ProjectResult(
        name=text(data.get("name"), f"{path}.name", required=True) or "",
        unit=text(data.get("unit"), f"{path}.unit"),
        budget=amount(data.get("budget"), f"{path}.budget"),
        executed=amount(data.get("executed"), f"{path}.executed"),
        score=decimal(data.get("score"), f"{path}.score"),
        grade=_grade(data.get("grade"), f"{path}.grade"),
        indicators=_count(data.get("indicators"), f"{path}.indicators"),
        met=_count(data.get("met"), f"{path}.met"),
    )
    if line.met > line.indicators:
        raise fail(f"{path}.met", "达标指标数不能多于指标数", "more indicators met than scored")
    return line


def from_dict(data: Any, path: str = "$") -> dept.DepartmentDocument:
    """Return the department document of one canonical JSON object (JX-E650 for another kind)."""
    d = obj(data, path)
    kind = d.get("kind")
    if kind not in KINDS:
        raise ValidationError(
            f"字段 {path}.kind：应为 {' 或 '.join(KINDS)}（部门整体支出绩效目标表或自评表）",
            f"field {path}.kind: must be {' or '.join(KINDS)} (a department-wide form)",
            code="JX-E650",
            where=Location(field=f"{path}.kind"),
        )
    year = integer(d.get("year"), f"{path}.year")
    department = text(d.get("department"), f"{path}.department", required=True) or ""
    funds = _funds_from(d.get("funds"), f"{path}.funds")
    goals = _goals_from(d.get("goals"), f"{path}.goals")
    source = _source_from(obj(d.get("source") or {}, f"{path}.source"), f"{path}.source")
    warnings = [
        _warning_from(obj(w, f"{path}.warnings[{n}]"), f"{path}.warnings[{n}]")
        for n, w in enumerate(json_list(d.get("warnings"), f"{path}.warnings"))
    ]
    fields = _fields_from(d.get("fields"), f"{path}.fields")
    rows = json_list(d.get("indicators"), f"{path}.indicators")
    if kind == "department_declaration":
        return dept.DepartmentDeclaration(
            year=year,
            department=department,
            duties=text(d.get("duties"), f"{path}.duties"),
            funds=funds,
            goals=goals,
            indicators=[
                _indicator_from(obj(r, f"{path}.indicators[{n}]"), f"{path}.indicators[{n}]")
                for n, r in enumerate(rows)
            ],
            source=source,
            warnings=warnings,
            fields=fields,
        )
    r = obj(d.get("rollup") or {}, f"{path}.rollup")
    rp = f"{path}.rollup"
    return dept.DepartmentSelfEvaluation(
        year=year,
        department=department,
        funds=funds,
        goals=goals,
        outcome=text(d.get("outcome"), f"{path}.outcome"),
        indicators=[
            _evaluated_from(obj(row, f"{path}.indicators[{n}]"), f"{path}.indicators[{n}]")
            for n, row in enumerate(rows)
        ],
        projects=[
            _project_from(p, f"{path}.projects[{n}]")
            for n, p in enumerate(json_list(d.get("projects"), f"{path}.projects"))
        ],
        rollup=dept.RollupFigures(
            budget=amount(r.get("budget"), f"{rp}.budget"),
            executed=amount(r.get("executed"), f"{rp}.executed"),
            execution_rate=decimal(r.get("execution_rate"), f"{rp}.execution_rate"),
            good_share=decimal(r.get("good_share"), f"{rp}.good_share"),
            met_share=decimal(r.get("met_share"), f"{rp}.met_share"),
            score=decimal(r.get("score"), f"{rp}.score"),
            grade=_grade(r.get("grade"), f"{rp}.grade"),
        ),
        source=source,
        warnings=warnings,
        fields=fields,
    )


def loads(text_: str, *, file: str | None = None) -> list[dept.DepartmentDocument]:
    """Return the department documents of a JSON text (an array or one object)."""
    return load_documents(text_, file, from_dict)
