"""The canonical JSON of DESIGN.md, both ways, and its published JSON Schema.

``to_dict(from_dict(d)) == to_dict(doc)`` for every document: the contract the CLI, the API and the
tests share. Amounts are decimal strings in 元 with two places, or null; dates are ISO strings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from jixiao.domain import model
from jixiao.domain.vocabulary import GRADES
from jixiao.formats.json_fields import (
    amount as _amount,
)
from jixiao.formats.json_fields import (
    date_value as _date,
)
from jixiao.formats.json_fields import (
    decimal as _decimal,
)
from jixiao.formats.json_fields import (
    fail as _fail,
)
from jixiao.formats.json_fields import (
    integer as _int,
)
from jixiao.formats.json_fields import (
    iso as _iso,
)
from jixiao.formats.json_fields import (
    json_list as _list,
)
from jixiao.formats.json_fields import load_documents
from jixiao.formats.json_fields import (
    money as _money,
)
from jixiao.formats.json_fields import (
    obj as _obj,
)
from jixiao.formats.json_fields import (
    plain as _plain,
)
from jixiao.formats.json_fields import (
    string as _str,
)
from jixiao.formats.json_fields import (
    target as _target,
)

__all__ = ["SCHEMA_VERSION", "dumps", "from_dict", "json_schema", "loads", "looks_like_json", "to_dict"]

SCHEMA_VERSION = "1.2"

_PROJECT_FIELDS = ("name", "category", "nature", "competent_department", "implementing_unit")


def _project(p: model.Project) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(p, name) for name in _PROJECT_FIELDS}
    out["start_date"] = _iso(p.start_date)
    out["end_date"] = _iso(p.end_date)
    return out


def _source(s: model.Source) -> dict[str, Any]:
    out: dict[str, Any] = {"file": s.file, "form_index": s.form_index, "line": s.line}
    if s.sheet is not None:
        out["sheet"] = s.sheet
    if s.page is not None:
        out["page"] = s.page
    return out


def _warning(w: model.ParseWarning) -> dict[str, Any]:
    out: dict[str, Any] = {"code": w.code, "message": w.message, "message_en": w.message_en}
    for name in ("line", "field", "cell", "page", "sheet"):
        if getattr(w, name) is not None:
            out[name] = getattr(w, name)
    return out


def to_dict(doc: model.Document) -> dict[str, Any]:
    """Return the canonical JSON object of one declaration or self-evaluation."""
    base: dict[str, Any] = {"kind": doc.kind, "year": doc.year, "project": _project(doc.project)}
    if isinstance(doc, model.Declaration):
        base["funding"] = {name: _money(getattr(doc.funding, name)) for name in model.FUNDING_FIELDS}
        base["goals"] = {"overall": doc.goals.overall, "annual": doc.goals.annual}
        base["indicators"] = [
            {"level1": i.level1, "level2": i.level2, "name": i.name, "target": i.target.to_dict()}
            for i in doc.indicators
        ]
    else:
        b = doc.budget
        base["budget"] = {
            "initial": _money(b.initial),
            "adjusted": _money(b.adjusted),
            "executed": _money(b.executed),
            "weight": _plain(b.weight),
            "execution_rate": _plain(b.execution_rate),
            "score": _plain(b.score),
            "lines": {
                key: {
                    "initial": _money(line.initial),
                    "adjusted": _money(line.adjusted),
                    "executed": _money(line.executed),
                }
                for key, line in b.lines.items()
            },
        }
        base["goals"] = {"overall": doc.goals.overall, "annual": doc.goals.annual}
        base["outcome"] = doc.outcome
        base["indicators"] = [
            {
                "level1": i.level1,
                "level2": i.level2,
                "name": i.name,
                "target": i.target.to_dict(),
                "actual": i.actual,
                "weight": _plain(i.weight),
                "score": _plain(i.score),
                "deviation_note": i.deviation_note,
            }
            | ({"baseline": i.baseline} if i.baseline is not None else {})
            for i in doc.indicators
        ]
        base["total_score"] = _plain(doc.total_score)
        base["grade"] = doc.grade
    base["source"] = _source(doc.source)
    base["warnings"] = [_warning(w) for w in doc.warnings]
    if doc.fields:
        # How each field was read: read / blank (empty on the form) / not_found, and where.
        base["fields"] = {path: read.to_dict() for path, read in sorted(doc.fields.items())}
    return base


def dumps(docs: Iterable[model.Document], *, indent: int | None = 2) -> str:
    """Return the JSON array of ``docs`` (the output of ``jixiao parse --format json``)."""
    return json.dumps([to_dict(d) for d in docs], ensure_ascii=False, indent=indent)


# --- reading ---------------------------------------------------------------------------------

T = TypeVar("T")


def _each(items: list[Any], path: str, build: Callable[[dict[str, Any], str], T]) -> list[T]:
    return [build(_obj(item, f"{path}[{n}]"), f"{path}[{n}]") for n, item in enumerate(items)]


def _project_from(obj: dict[str, Any], path: str) -> model.Project:
    name = _str(obj.get("name"), f"{path}.name", required=True)
    assert name is not None
    return model.Project(
        name=name,
        **{k: _str(obj.get(k), f"{path}.{k}") for k in _PROJECT_FIELDS[1:]},
        start_date=_date(obj.get("start_date"), f"{path}.start_date"),
        end_date=_date(obj.get("end_date"), f"{path}.end_date"),
    )


def _source_from(obj: dict[str, Any], path: str) -> model.Source:
    return model.Source(
        file=_str(obj.get("file"), f"{path}.file"),
        form_index=_int(obj.get("form_index"), f"{path}.form_index"),
        line=_int(obj.get("line"), f"{path}.line"),
        sheet=_str(obj.get("sheet"), f"{path}.sheet"),
        page=_int(obj.get("page"), f"{path}.page"),
    )


def _warning_from(obj: dict[str, Any], path: str) -> model.ParseWarning:
    return model.ParseWarning(
        code=_str(obj.get("code"), f"{path}.code") or "JX-W000",
        message=_str(obj.get("message"), f"{path}.message") or "",
        message_en=_str(obj.get("message_en"), f"{path}.message_en") or "",
        line=_int(obj.get("line"), f"{path}.line"),
        field=_str(obj.get("field"), f"{path}.field"),
        cell=_str(obj.get("cell"), f"{path}.cell"),
        page=_int(obj.get("page"), f"{path}.page"),
        sheet=_str(obj.get("sheet"), f"{path}.sheet"),
    )


def _fields_from(value: Any, path: str) -> dict[str, model.FieldRead]:
    out: dict[str, model.FieldRead] = {}
    for key, item in _obj(value or {}, path).items():
        where = f"{path}.{key}"
        entry = _obj(item, where)
        status = entry.get("status")
        if status not in model.FIELD_STATUSES:
            raise _fail(
                f"{where}.status",
                f"应为 {' / '.join(model.FIELD_STATUSES)} 之一",
                f"must be one of {', '.join(model.FIELD_STATUSES)}",
            )
        bbox = entry.get("bbox")
        if bbox is not None and not (
            isinstance(bbox, list) and len(bbox) == 4 and all(isinstance(v, int | float) for v in bbox)
        ):
            raise _fail(f"{where}.bbox", "应为四个数", "must be four numbers")
        out[str(key)] = model.FieldRead(
            status,
            line=_int(entry.get("line"), f"{where}.line"),
            page=_int(entry.get("page"), f"{where}.page"),
            sheet=_str(entry.get("sheet"), f"{where}.sheet"),
            cell=_str(entry.get("cell"), f"{where}.cell"),
            bbox=tuple(float(v) for v in bbox) if bbox is not None else None,  # type: ignore[arg-type]
        )
    return out


def _goals_from(value: Any, path: str) -> model.Goals:
    obj = _obj(value or {}, path)
    return model.Goals(
        overall=_str(obj.get("overall"), f"{path}.overall"), annual=_str(obj.get("annual"), f"{path}.annual")
    )


def _indicator_from(obj: dict[str, Any], path: str) -> model.Indicator:
    return model.Indicator(
        **{k: _str(obj.get(k), f"{path}.{k}") or "" for k in ("level1", "level2", "name")},
        target=_target(obj.get("target"), f"{path}.target"),
    )


def _evaluated_from(obj: dict[str, Any], path: str) -> model.EvaluatedIndicator:
    base = _indicator_from(obj, path)
    return model.EvaluatedIndicator(
        level1=base.level1,
        level2=base.level2,
        name=base.name,
        target=base.target,
        actual=_str(obj.get("actual"), f"{path}.actual"),
        weight=_decimal(obj.get("weight"), f"{path}.weight"),
        score=_decimal(obj.get("score"), f"{path}.score"),
        deviation_note=_str(obj.get("deviation_note"), f"{path}.deviation_note"),
        baseline=_str(obj.get("baseline"), f"{path}.baseline"),
    )


def from_dict(data: Any, path: str = "$") -> model.Document:
    """Return the document described by one canonical JSON object.

    Raises :class:`ValidationError` naming the field path (``$[2].funding.total``) on bad input.
    """
    obj = _obj(data, path)
    kind = obj.get("kind", "declaration")
    year = _int(obj.get("year"), f"{path}.year")
    project = _project_from(_obj(obj.get("project"), f"{path}.project"), f"{path}.project")
    source = _source_from(_obj(obj.get("source") or {}, f"{path}.source"), f"{path}.source")
    warnings = _each(_list(obj.get("warnings"), f"{path}.warnings"), f"{path}.warnings", _warning_from)
    fields = _fields_from(obj.get("fields"), f"{path}.fields")
    goals = _goals_from(obj.get("goals"), f"{path}.goals")
    indicators_path = f"{path}.indicators"
    raw_indicators = _list(obj.get("indicators"), indicators_path)
    if kind == "declaration":
        funding_obj = _obj(obj.get("funding") or {}, f"{path}.funding")
        funding = model.Funding(
            **{k: _amount(funding_obj.get(k), f"{path}.funding.{k}") for k in model.FUNDING_FIELDS}
        )
        return model.Declaration(
            year=year,
            project=project,
            funding=funding,
            goals=goals,
            indicators=_each(raw_indicators, indicators_path, _indicator_from),
            source=source,
            warnings=warnings,
            fields=fields,
        )
    if kind == "self_evaluation":
        bpath = f"{path}.budget"
        bobj = _obj(obj.get("budget") or {}, bpath)
        lines = {
            str(key): model.BudgetLine(
                **{
                    k: _amount(_obj(line, f"{bpath}.lines.{key}").get(k), f"{bpath}.lines.{key}.{k}")
                    for k in ("initial", "adjusted", "executed")
                }
            )
            for key, line in _obj(bobj.get("lines") or {}, f"{bpath}.lines").items()
        }
        budget = model.BudgetExecution(
            initial=_amount(bobj.get("initial"), f"{bpath}.initial"),
            adjusted=_amount(bobj.get("adjusted"), f"{bpath}.adjusted"),
            executed=_amount(bobj.get("executed"), f"{bpath}.executed"),
            weight=_decimal(bobj.get("weight"), f"{bpath}.weight"),
            execution_rate=_decimal(bobj.get("execution_rate"), f"{bpath}.execution_rate"),
            score=_decimal(bobj.get("score"), f"{bpath}.score"),
            lines=lines,
        )
        return model.SelfEvaluation(
            year=year,
            project=project,
            budget=budget,
            goals=goals,
            outcome=_str(obj.get("outcome"), f"{path}.outcome"),
            indicators=_each(raw_indicators, indicators_path, _evaluated_from),
            total_score=_decimal(obj.get("total_score"), f"{path}.total_score"),
            grade=_str(obj.get("grade"), f"{path}.grade"),
            source=source,
            warnings=warnings,
            fields=fields,
        )
    raise _fail(f"{path}.kind", f"未知的文档类型「{kind}」", f"unknown document kind '{kind}'")


def looks_like_json(text: str) -> bool:
    """Return True when ``text`` starts like a JSON array or object (content sniffing)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    return stripped[:1] in ("[", "{")


def loads(text: str, *, file: str | None = None) -> list[model.Document]:
    """Return the documents of a canonical JSON text: an array of documents, or one document."""
    return load_documents(text, file, from_dict)


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the canonical JSON, version :data:`SCHEMA_VERSION`."""
    nullable_str = {"type": ["string", "null"]}
    amount = {"type": ["string", "null"], "pattern": r"^-?\d+\.\d{2}$"}
    decimal_str = {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$"}
    target = {
        "type": "object",
        "required": ["text", "kind"],
        "properties": {
            "text": {"type": "string", "minLength": 1},
            "kind": {"enum": ["numeric", "range", "deadline", "relative", "qualitative", "invalid"]},
            "op": {"enum": ["=", ">=", ">", "<=", "<", None]},
            "value": decimal_str,
            "unit": nullable_str,
            "low": decimal_str,
            "high": decimal_str,
            "year": {"type": ["integer", "null"]},
            "month": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
            "day": {"type": ["integer", "null"], "minimum": 1, "maximum": 31},
            "direction": {"enum": ["up", "down", "none", None]},
            "measurable": {"type": "boolean"},
            "error": nullable_str,
            # relative targets (较上年提高5个百分点): what the size is measured from
            "baseline": {"enum": ["上年", "上年实际", "基期", "去年同期", "预算", None]},
            # frequency targets (每日巡查2次): the count is per this period
            "period": {"enum": ["日", "周", "月", "季度", "半年", "年", None]},
            # the word kept beside a unit (100%覆盖) or what a zero target counts (零事故)
            "note": nullable_str,
        },
    }
    indicator_properties: dict[str, Any] = {
        "level1": {"type": "string"},
        "level2": {"type": "string"},
        "name": {"type": "string"},
        "target": {"$ref": "#/$defs/target"},
    }
    indicator = {
        "type": "object",
        "required": ["level1", "level2", "name", "target"],
        "properties": indicator_properties,
    }
    evaluated = {
        "type": "object",
        "required": ["level1", "level2", "name", "target"],
        "properties": {
            **indicator_properties,
            "actual": nullable_str,
            "weight": decimal_str,
            "score": decimal_str,
            "deviation_note": nullable_str,
            # the baseline the unit entered for a relative target (上年实际, e.g. "85%")
            "baseline": nullable_str,
        },
    }
    project = {
        "type": "object",
        "required": ["name"],
        "properties": {
            # empty only when the reader did not find it on the form (see "fields")
            "name": {"type": "string"},
            **{k: nullable_str for k in _PROJECT_FIELDS[1:]},
            "start_date": {"type": ["string", "null"], "format": "date"},
            "end_date": {"type": ["string", "null"], "format": "date"},
        },
    }
    common = {
        "year": {"type": ["integer", "null"]},
        "project": {"$ref": "#/$defs/project"},
        "goals": {"type": "object", "properties": {"overall": nullable_str, "annual": nullable_str}},
        "source": {"type": "object"},
        "warnings": {"type": "array", "items": {"type": "object", "required": ["code", "message"]}},
        "fields": {"type": "object", "additionalProperties": {"$ref": "#/$defs/field_read"}},
    }
    field_read = {
        "type": "object",
        "required": ["status"],
        "description": "how a reader got the field: read, blank on the form, or not found; and where",
        "properties": {
            "status": {"enum": list(model.FIELD_STATUSES)},
            "line": {"type": "integer"},
            "page": {"type": "integer"},
            "sheet": {"type": "string"},
            "cell": {"type": "string"},
            "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        },
    }
    budget_line = {"type": "object", "properties": {k: amount for k in ("initial", "adjusted", "executed")}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://jixiao.example/schema/documents-{SCHEMA_VERSION}.json",
        "title": "jixiao canonical documents",
        "description": "绩效目标申报表 (declaration) and 绩效自评表 (self_evaluation), amounts in 元.",
        "version": SCHEMA_VERSION,
        "type": "array",
        "items": {"oneOf": [{"$ref": "#/$defs/declaration"}, {"$ref": "#/$defs/self_evaluation"}]},
        "$defs": {
            "target": target,
            "field_read": field_read,
            "indicator": indicator,
            "project": project,
            "declaration": {
                "type": "object",
                "required": ["kind", "project", "funding", "goals", "indicators"],
                "properties": {
                    "kind": {"const": "declaration"},
                    **common,
                    "funding": {"type": "object", "properties": {k: amount for k in model.FUNDING_FIELDS}},
                    "indicators": {"type": "array", "items": {"$ref": "#/$defs/indicator"}},
                },
            },
            "self_evaluation": {
                "type": "object",
                "required": ["kind", "project", "budget", "indicators"],
                "properties": {
                    "kind": {"const": "self_evaluation"},
                    **common,
                    "budget": {
                        "type": "object",
                        "properties": {
                            **{k: amount for k in ("initial", "adjusted", "executed")},
                            "weight": decimal_str,
                            "execution_rate": decimal_str,
                            "score": decimal_str,
                            "lines": {"type": "object", "additionalProperties": budget_line},
                        },
                    },
                    "outcome": nullable_str,
                    "indicators": {"type": "array", "items": evaluated},
                    "total_score": decimal_str,
                    "grade": {"enum": [*GRADES, None]},
                },
            },
        },
    }
