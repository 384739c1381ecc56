"""The request-body schemas of canonical JSON documents, and their check at the API boundary.

The OpenAPI document publishes these schemas and every body is checked against them before it is
read, so that what the API accepts is exactly what it documents: a body the schema allows is read
(the schemas ask only what the readers of jixiao.formats and the limits of jixiao.domain.limits
accept), a body it does not allow is refused with JX-E501 (422) naming the field. The full contract
of the canonical JSON stays ``jixiao schema``; these are its API subset: ISO dates, amounts and
decimals as strings, texts within the limits (domain.limits, one place for every entry point).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import best_match

from jixiao.domain.department import FUNDS_FIELDS
from jixiao.domain.errors import Location, ValidationError
from jixiao.domain.limits import LIMITS
from jixiao.domain.model import FUNDING_FIELDS
from jixiao.domain.vocabulary import GRADES

__all__ = [
    "DECLARATION",
    "DEPARTMENT_DECLARATION",
    "MONITORING",
    "NONBLANK",
    "SELF_EVALUATION",
    "check_body",
    "one_or_many",
]


def _text(limit: int) -> dict[str, Any]:
    return {"type": ["string", "null"], "maxLength": limit}


# A character that is not blank in Python (str.strip, what the readers use) nor in JavaScript
# (ECMA \s, what OpenAPI tools read the pattern with): the two disagree on \x1c-\x1f, \x85, \ufeff.
NONBLANK = "[^\\s\\x1c-\\x1f\\x85\\ufeff]"


def _required_text(limit: int) -> dict[str, Any]:
    # The readers refuse a blank required text as they refuse a missing one.
    return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": NONBLANK}


# Amounts in 元 with cents, and other decimals, as the canonical writer spells them; below 10^15
# (json_fields.MAX_AMOUNT).
_AMOUNT = {"type": ["string", "null"], "pattern": "^-?[0-9]{1,15}\\.[0-9]{2}$"}
_DECIMAL = {"type": ["string", "null"], "pattern": "^-?[0-9]{1,15}(\\.[0-9]{1,6})?$"}
# An ISO date; empty or null when the form had none (the readers read both as no date).
_DATE = {"anyOf": [{"type": "null"}, {"const": ""}, {"type": "string", "format": "date"}]}
_INT = {"type": ["integer", "null"], "minimum": -(2**31), "maximum": 2**31 - 1}
_YEAR = {"type": ["integer", "null"], "minimum": LIMITS.min_year, "maximum": LIMITS.max_year}
_TARGET_TEXT = _required_text(LIMITS.max_name)
_TARGET = {
    "description": "指标值：文本，或 {text: …} / the target: its text, or an object with the text",
    "anyOf": [
        _TARGET_TEXT,
        {
            "type": "object",
            "required": ["text"],
            "properties": {"text": _TARGET_TEXT, "kind": {"type": ["string", "null"]}, "error": _text(1000)},
        },
    ],
}
_PROJECT = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": _required_text(LIMITS.max_name),
        "category": _text(LIMITS.max_short),
        "nature": _text(LIMITS.max_short),
        "competent_department": _text(LIMITS.max_name),
        "implementing_unit": _text(LIMITS.max_name),
        "start_date": _DATE,
        "end_date": _DATE,
    },
}
_GOALS = {
    "type": ["object", "null"],
    "properties": {"overall": _text(LIMITS.max_long_text), "annual": _text(LIMITS.max_long_text)},
}
# Where in its file a form, a warning or a field was read: the line of a text, the page of a PDF.
_LINE_PAGE = {"line": _INT, "page": _INT}
_SOURCE = {
    "type": ["object", "null"],
    "properties": {"file": _text(1000), "sheet": _text(1000), "form_index": _INT, **_LINE_PAGE},
}
_WARNINGS = {
    "type": ["array", "null"],
    "items": {
        "type": "object",
        "properties": {
            **{k: _text(4000) for k in ("code", "message", "message_en", "field", "cell", "sheet")},
            **_LINE_PAGE,
        },
    },
}
_FIELDS = {
    "type": ["object", "null"],
    "additionalProperties": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"enum": ["read", "blank", "not_found"]},
            **_LINE_PAGE,
            "sheet": _text(1000),
            "cell": _text(1000),
            "bbox": {"type": ["array", "null"], "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
        },
    },
}
_INDICATOR_TEXTS = {
    "level1": _text(LIMITS.max_level),
    "level2": _text(LIMITS.max_level),
    "name": _text(LIMITS.max_name),
}
_COMMON = {
    "year": _YEAR,
    "project": _PROJECT,
    "goals": _GOALS,
    "source": _SOURCE,
    "warnings": _WARNINGS,
    "fields": _FIELDS,
}


def _indicators(row: dict[str, Any]) -> dict[str, Any]:
    return {"type": ["array", "null"], "maxItems": LIMITS.max_indicators, "items": row}


# A row of a target table (申报表): the three levels and the target, as both declaration kinds hold it.
_TARGET_ROW = {
    "type": "object",
    "required": ["target"],
    "properties": {**_INDICATOR_TEXTS, "target": _TARGET},
}


DECLARATION: dict[str, Any] = {
    "type": "object",
    "required": ["kind", "project"],
    "properties": {
        "kind": {"type": "string", "enum": ["declaration"]},
        **_COMMON,
        "funding": {"type": ["object", "null"], "properties": {k: _AMOUNT for k in FUNDING_FIELDS}},
        "indicators": _indicators(_TARGET_ROW),
    },
}

# The department-wide target form (部门整体支出绩效目标申报表) as the API stores it for the caller's
# department: the budget year is required (a form without one cannot be filed under a year) and
# within the limits; the department named on the form is checked against the caller's by the
# service (JX-E657), which the schema cannot know. The self-evaluation is rolled up from the
# projects, never sent, so this is the one department kind a body may hold.
DEPARTMENT_DECLARATION: dict[str, Any] = {
    "type": "object",
    "required": ["kind", "year", "department"],
    "properties": {
        "kind": {"type": "string", "enum": ["department_declaration"]},
        "year": {"type": "integer", "minimum": LIMITS.min_year, "maximum": LIMITS.max_year},
        "department": _required_text(LIMITS.max_name),
        "duties": _text(LIMITS.max_long_text),
        "funds": {"type": ["object", "null"], "properties": {k: _AMOUNT for k in FUNDS_FIELDS}},
        "goals": _GOALS,
        "indicators": _indicators(_TARGET_ROW),
        "source": _SOURCE,
        "warnings": _WARNINGS,
        "fields": _FIELDS,
    },
}

SELF_EVALUATION: dict[str, Any] = {
    "type": "object",
    "required": ["kind", "project"],
    "properties": {
        "kind": {"type": "string", "enum": ["self_evaluation"]},
        **_COMMON,
        "budget": {
            "type": ["object", "null"],
            "properties": {
                **{k: _AMOUNT for k in ("initial", "adjusted", "executed")},
                **{k: _DECIMAL for k in ("weight", "execution_rate", "score")},
                "lines": {
                    "type": ["object", "null"],
                    "additionalProperties": {
                        "type": "object",
                        "properties": {k: _AMOUNT for k in ("initial", "adjusted", "executed")},
                    },
                },
            },
        },
        "outcome": _text(LIMITS.max_long_text),
        "indicators": _indicators(
            {
                "type": "object",
                "required": ["target"],
                "properties": {
                    **_INDICATOR_TEXTS,
                    "target": _TARGET,
                    "actual": _text(LIMITS.max_name),
                    "weight": _DECIMAL,
                    "score": _DECIMAL,
                    "deviation_note": _text(LIMITS.max_long_text),
                    "baseline": _text(LIMITS.max_name),
                },
            }
        ),
        "total_score": _DECIMAL,
        "grade": {"enum": [*GRADES, None]},
    },
}

MONITORING: dict[str, Any] = {
    "type": "object",
    "required": ["kind", "project"],
    "properties": {
        "kind": {"type": "string", "enum": ["monitoring"]},
        **_COMMON,
        "cutoff_month": {"type": ["integer", "null"], "minimum": 1, "maximum": 12},
        "reported_on": _DATE,
        "budget": {
            "type": ["object", "null"],
            "properties": {
                **{k: _AMOUNT for k in ("initial", "adjusted", "executed")},
                "execution_rate": _DECIMAL,
            },
        },
        "progress_summary": _text(LIMITS.max_long_text),
        "indicators": _indicators(
            {
                "type": "object",
                "required": ["name", "target"],
                "properties": {
                    **_INDICATOR_TEXTS,
                    "name": _required_text(LIMITS.max_name),
                    "target": _TARGET,
                    **{k: _text(LIMITS.max_long_text) for k in ("progress", "forecast", "other_reason")},
                    **{k: _text(LIMITS.max_long_text) for k in ("measures", "note")},
                    "likelihood": {"type": ["string", "null"], "maxLength": LIMITS.max_short},
                    "reasons": {
                        "type": ["array", "null"],
                        "items": {"type": "string", "maxLength": LIMITS.max_short},
                    },
                },
            }
        ),
    },
}


def one_or_many(document: dict[str, Any]) -> dict[str, Any]:
    """Return the schema of a body holding one document or a non-empty array of them."""
    return {
        "anyOf": [
            document,
            {"type": "array", "minItems": 1, "maxItems": LIMITS.max_documents, "items": document},
        ]
    }


@cache
def _validator(kind: str) -> Draft202012Validator:
    schema = {
        "declaration": DECLARATION,
        "self_evaluation": SELF_EVALUATION,
        "monitoring": MONITORING,
        "department_declaration": DEPARTMENT_DECLARATION,
    }[kind]
    return Draft202012Validator(schema, format_checker=FormatChecker(formats=["date"]))


def check_body(kind: str, data: Any, path: str = "$") -> None:
    """Raise JX-E501 (422) naming the first field of ``data`` that the published schema refuses."""
    error = best_match(_validator(kind).iter_errors(data))
    if error is None:
        return
    where = path + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    # A limit keeps its own code whichever entry point meets it (domain.limits): the editor, the
    # import and the API say the same.
    limit_code = {"maxLength": "JX-E751", "maxItems": "JX-E750"}.get(str(error.validator))
    if error.validator in ("minimum", "maximum") and where.endswith(".year"):
        limit_code = "JX-E752"
    if limit_code is not None:
        raise ValidationError(
            f"字段 {where} 超出上限：{error.validator_value}",
            f"field {where} is beyond its limit: {error.validator_value}",
            code=limit_code,
            where=Location(field=where),
        )
    raise ValidationError(
        f"字段 {where} 不符合接口定义：{error.message[:200]}",
        f"field {where} does not match the API schema: {error.message[:200]}",
        code="JX-E501",
        where=Location(field=where),
    )
