"""The canonical JSON of a 绩效运行监控表 (``"kind": "monitoring"``): write, read, schema.

Reading names the field of any error (:class:`ValidationError`, like the declaration JSON); the
report itself is :class:`jixiao.domain.model.MonitoringReport`, monitored by :mod:`jixiao.evaluation`.
"""

from __future__ import annotations

import json
from typing import Any

from jixiao.domain.model import BudgetExecution, Goals, MonitoredIndicator, MonitoringReport, Project, Source
from jixiao.formats.json_fields import amount as _amount
from jixiao.formats.json_fields import date_value as _date
from jixiao.formats.json_fields import decimal as _decimal
from jixiao.formats.json_fields import fail as _fail
from jixiao.formats.json_fields import integer as _int
from jixiao.formats.json_fields import json_list as _json_list
from jixiao.formats.json_fields import load_documents
from jixiao.formats.json_fields import money as _money
from jixiao.formats.json_fields import obj as _obj
from jixiao.formats.json_fields import plain as _plain
from jixiao.formats.json_fields import string as _str
from jixiao.formats.json_fields import target as _target

__all__ = ["dumps", "from_dict", "json_schema", "loads", "to_dict"]


def to_dict(report: MonitoringReport) -> dict[str, Any]:
    """Return the canonical JSON object of a monitoring report (``"kind": "monitoring"``)."""
    p = report.project
    b = report.budget
    return {
        "kind": "monitoring",
        "year": report.year,
        "cutoff_month": report.cutoff_month,
        "reported_on": None if report.reported_on is None else report.reported_on.isoformat(),
        "project": {
            "name": p.name,
            "category": p.category,
            "nature": p.nature,
            "competent_department": p.competent_department,
            "implementing_unit": p.implementing_unit,
            "start_date": None if p.start_date is None else p.start_date.isoformat(),
            "end_date": None if p.end_date is None else p.end_date.isoformat(),
        },
        "budget": {
            "initial": _money(b.initial),
            "adjusted": _money(b.adjusted),
            "executed": _money(b.executed),
            "execution_rate": _plain(b.execution_rate),
        },
        "goals": {"overall": report.goals.overall, "annual": report.goals.annual},
        "progress_summary": report.progress_summary,
        "indicators": [
            {
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": i.target.to_dict(),
                "progress": i.progress,
                "forecast": i.forecast,
                "likelihood": i.likelihood,
                "reasons": list(i.reasons),
                "other_reason": i.other_reason,
                "measures": i.measures,
                "note": i.note,
            }
            for i in report.indicators
        ],
        "source": {
            "file": report.source.file,
            "form_index": report.source.form_index,
            "line": report.source.line,
        },
    }


def _row(obj: dict[str, Any], path: str) -> MonitoredIndicator:
    reasons = obj.get("reasons") or []
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise _fail(f"{path}.reasons", "应为文本数组", "expected an array of strings")
    return MonitoredIndicator(
        level1=_str(obj.get("level1"), f"{path}.level1") or "",
        level2=_str(obj.get("level2"), f"{path}.level2") or "",
        name=_str(obj.get("name"), f"{path}.name", required=True) or "",
        target=_target(obj.get("target"), f"{path}.target"),
        progress=_str(obj.get("progress"), f"{path}.progress"),
        forecast=_str(obj.get("forecast"), f"{path}.forecast"),
        likelihood=_str(obj.get("likelihood"), f"{path}.likelihood"),
        reasons=list(reasons),
        other_reason=_str(obj.get("other_reason"), f"{path}.other_reason"),
        measures=_str(obj.get("measures"), f"{path}.measures"),
        note=_str(obj.get("note"), f"{path}.note"),
    )


def from_dict(data: Any, path: str = "$") -> MonitoringReport:
    """Return the monitoring report of one canonical JSON object; ValidationError names the field."""
    obj = _obj(data, path)
    if obj.get("kind") != "monitoring":
        raise _fail(f"{path}.kind", "应为 monitoring", "expected 'monitoring'")
    pobj = _obj(obj.get("project"), f"{path}.project")
    pp = f"{path}.project"
    project = Project(
        name=_str(pobj.get("name"), f"{pp}.name", required=True) or "",
        category=_str(pobj.get("category"), f"{pp}.category"),
        nature=_str(pobj.get("nature"), f"{pp}.nature"),
        competent_department=_str(pobj.get("competent_department"), f"{pp}.competent_department"),
        implementing_unit=_str(pobj.get("implementing_unit"), f"{pp}.implementing_unit"),
        start_date=_date(pobj.get("start_date"), f"{pp}.start_date"),
        end_date=_date(pobj.get("end_date"), f"{pp}.end_date"),
    )
    bobj = _obj(obj.get("budget") or {}, f"{path}.budget")
    budget = BudgetExecution(
        initial=_amount(bobj.get("initial"), f"{path}.budget.initial"),
        adjusted=_amount(bobj.get("adjusted"), f"{path}.budget.adjusted"),
        executed=_amount(bobj.get("executed"), f"{path}.budget.executed"),
        execution_rate=_decimal(bobj.get("execution_rate"), f"{path}.budget.execution_rate"),
    )
    gobj = _obj(obj.get("goals") or {}, f"{path}.goals")
    rows = _json_list(obj.get("indicators"), f"{path}.indicators")  # {} is not an empty list
    month = _int(obj.get("cutoff_month"), f"{path}.cutoff_month")
    if month is not None and not 1 <= month <= 12:
        raise _fail(f"{path}.cutoff_month", "应为 1–12", "must be 1–12")
    sobj = _obj(obj.get("source") or {}, f"{path}.source")
    return MonitoringReport(
        year=_int(obj.get("year"), f"{path}.year"),
        project=project,
        cutoff_month=7 if month is None else month,
        budget=budget,
        goals=Goals(
            overall=_str(gobj.get("overall"), f"{path}.goals.overall"),
            annual=_str(gobj.get("annual"), f"{path}.goals.annual"),
        ),
        progress_summary=_str(obj.get("progress_summary"), f"{path}.progress_summary"),
        indicators=[
            _row(_obj(r, f"{path}.indicators[{n}]"), f"{path}.indicators[{n}]") for n, r in enumerate(rows)
        ],
        source=Source(
            file=_str(sobj.get("file"), f"{path}.source.file"),
            form_index=_int(sobj.get("form_index"), f"{path}.source.form_index"),
            line=_int(sobj.get("line"), f"{path}.source.line"),
        ),
        reported_on=_date(obj.get("reported_on"), f"{path}.reported_on"),
    )


def dumps(reports: list[MonitoringReport], *, indent: int | None = 2) -> str:
    """Return the JSON array of ``reports``."""
    return json.dumps([to_dict(r) for r in reports], ensure_ascii=False, indent=indent)


def loads(text: str, *, file: str | None = None) -> list[MonitoringReport]:
    """Return the monitoring reports of a JSON text (an array, or one object)."""
    return load_documents(text, file, from_dict)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an array of monitoring reports."""
    nullable = {"type": ["string", "null"]}
    amount = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$"}
    row = {
        "type": "object",
        "required": ["name", "target"],
        "properties": {
            "level1": {"type": "string"},
            "level2": {"type": "string"},
            "name": {"type": "string", "minLength": 1},
            "target": {"type": "object", "required": ["text"]},
            "progress": nullable,
            "forecast": nullable,
            "likelihood": {"enum": ["确定能", "有可能", "完全不可能", None]},
            "reasons": {"type": "array", "items": {"enum": ["经费", "制度", "人员", "硬件条件保障", "其他"]}},
            "other_reason": nullable,
            "measures": nullable,
            "note": nullable,
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "jixiao monitoring reports (绩效运行监控表)",
        "type": "array",
        "items": {
            "type": "object",
            "required": ["kind", "project", "budget", "indicators"],
            "properties": {
                "kind": {"const": "monitoring"},
                "year": {"type": ["integer", "null"]},
                "cutoff_month": {"type": "integer", "minimum": 1, "maximum": 12},
                "reported_on": {"type": ["string", "null"], "format": "date"},
                "project": {"type": "object", "required": ["name"]},
                "budget": {
                    "type": "object",
                    "properties": {
                        "initial": amount,
                        "adjusted": amount,
                        "executed": amount,
                        "execution_rate": {"type": ["string", "null"]},
                    },
                },
                "goals": {"type": "object"},
                "progress_summary": nullable,
                "indicators": {"type": "array", "items": row},
                "source": {"type": "object"},
            },
        },
    }
