"""Request and response schemas of the REST API (pydantic, published in the OpenAPI document)."""

import re
from datetime import datetime
from typing import Any, ClassVar

from ninja import Field, Schema
from pydantic import ConfigDict, JsonValue, model_validator

from jixiao.domain.adjustment import MAX_REASON
from jixiao.domain.limits import LIMITS
from jixiao.domain.vocabulary import FAIR, GRADES, POOR
from jixiao.domain.workflow import ADJUSTMENT as ADJUSTMENT_MACHINE
from jixiao.domain.workflow import DECLARATION as DECLARATION_MACHINE
from jixiao.domain.workflow import Machine
from jixiao.evaluation.exante import ITEM_KEYS, RATINGS
from jixiao.web.api.documents import DECLARATION, NONBLANK

__all__ = [
    "AdjustmentIn",
    "AdjustmentOut",
    "ExAnteIn",
    "ExAnteOut",
    "DeclarationDetail",
    "DeclarationIn",
    "DeclarationSummary",
    "ErrorOut",
    "FilterParams",
    "HistoryOut",
    "OrganisationOut",
    "PublicParams",
    "SaveIn",
    "TargetCheckOut",
    "TokenIn",
    "TokenInfoOut",
    "TokenOut",
    "TransitionIn",
    "TransitionOut",
]


class ErrorOut(Schema):
    """Every 4xx body: a stable code and a message (Chinese, English)."""

    code: str
    message: str
    message_zh: str | None = None
    message_en: str | None = None
    where: dict[str, Any] = Field(default_factory=dict)


# Ids and offsets beyond this are refused with 422 before they reach the database (SQLite and
# PostgreSQL integers are 64-bit; a larger number would be a 500).
MAX_ID = 2**53


class FilterParams(Schema):
    """List filters, the same as the list page."""

    year: int | None = Field(None, ge=1900, le=2200)
    organisation: int | None = Field(None, ge=1, le=MAX_ID)
    status: str | None = Field(None, max_length=20)
    grade: str | None = Field(None, max_length=2)
    q: str | None = Field(None, max_length=100)


class DeclarationSummary(Schema):
    """One row of the list."""

    id: int
    year: int | None
    project_name: str
    organisation_id: int
    organisation: str
    status: str
    grade: str
    review_grade: str
    findings_count: int
    version: int
    updated: datetime

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        """Return the organisation's name (models give an object, dicts a name)."""
        if isinstance(obj, dict):
            return str(obj["organisation"])
        return str(obj.organisation.name)


class DeclarationDetail(DeclarationSummary):
    """One declaration: the summary, its canonical JSON, findings and the actions open to the caller."""

    document: dict[str, Any]
    findings: list[dict[str, Any]]
    actions: list[str]
    editable: bool


class PublicParams(Schema):
    """Filters of the public endpoint."""

    year: int | None = Field(None, ge=1900, le=2200)
    organisation: int | None = Field(None, ge=1, le=MAX_ID)


# The canonical JSON declaration as the API accepts it (checked against this schema before it is read).
DOCUMENT_SCHEMA: dict[str, Any] = DECLARATION


class DeclarationIn(Schema):
    """A new declaration: its canonical JSON; ``organisation`` defaults to the caller's unit."""

    document: dict[str, Any] = Field(..., json_schema_extra=DOCUMENT_SCHEMA)
    organisation: int | None = Field(None, ge=1, le=MAX_ID)


class SaveIn(Schema):
    """A save: the version the caller started from, and the whole canonical JSON."""

    version: int = Field(..., ge=0, le=MAX_ID)
    document: dict[str, Any] = Field(..., json_schema_extra=DOCUMENT_SCHEMA)


# What each step of a machine asks of the request (domain.workflow): a review step a grade
# (优/良/中/差), a review graded 中 or 差 a comment, a step such as sending back a reason.
_FAILING = [FAIR, POOR]
_NEEDS_COMMENT = {"properties": {"comment": {"pattern": NONBLANK}}, "required": ["comment"]}


def _graded(machine: Machine) -> list[str]:
    return sorted(k for k, step in machine.steps.items() if step.needs_grade)


def _commented(machine: Machine) -> list[str]:
    return sorted(k for k, step in machine.steps.items() if step.comment == "always")


def _rules(machine: Machine) -> dict[str, Any]:
    """Return the JSON Schema of what ``machine``'s steps ask of a request."""
    graded = _graded(machine)
    return {
        "allOf": [
            {
                "if": {"properties": {"action": {"enum": graded}}, "required": ["action"]},
                "then": {"properties": {"grade": {"enum": list(GRADES)}}, "required": ["grade"]},
            },
            {
                "if": {
                    "properties": {"action": {"enum": graded}, "grade": {"enum": _FAILING}},
                    "required": ["action", "grade"],
                },
                "then": _NEEDS_COMMENT,
            },
            {
                "if": {"properties": {"action": {"enum": _commented(machine)}}, "required": ["action"]},
                "then": _NEEDS_COMMENT,
            },
        ]
    }


class TransitionIn(Schema):
    """A workflow action on a declaration: submit, forward, send_back, dept_review, finance_review, publish.

    A review step needs a grade, a review graded 中 or 差 a comment, sending back a reason; a
    request without them is refused (422) as the schema says, before any state is looked at.
    """

    MACHINE: ClassVar[Machine] = DECLARATION_MACHINE
    model_config = ConfigDict(json_schema_extra=_rules(DECLARATION_MACHINE))

    action: str = Field(..., json_schema_extra={"enum": list(sorted(DECLARATION_MACHINE.steps))})
    grade: str = Field("", json_schema_extra={"enum": ["", *GRADES]})
    comment: str = Field("", max_length=4000)
    version: int | None = Field(None, ge=0, le=MAX_ID)

    @model_validator(mode="after")
    def _as_the_schema_says(self) -> "TransitionIn":
        steps, graded = self.MACHINE.steps, _graded(self.MACHINE)
        if self.action not in steps:
            raise ValueError(f"action must be one of {', '.join(sorted(steps))}")
        if self.grade not in ("", *GRADES):
            raise ValueError("grade must be one of 优, 良, 中, 差 (or empty)")
        if self.action in graded and self.grade not in GRADES:
            raise ValueError(f"{self.action} needs a grade: 优, 良, 中 or 差")
        blank = re.search(NONBLANK, self.comment) is None
        if blank and (
            self.action in _commented(self.MACHINE) or (self.action in graded and self.grade in _FAILING)
        ):
            raise ValueError(f"{self.action} needs a comment here")
        return self


class AdjustmentTransitionIn(TransitionIn):
    """A workflow action on a target adjustment: submit, forward, send_back, dept_review, finance_review."""

    MACHINE: ClassVar[Machine] = ADJUSTMENT_MACHINE
    model_config = ConfigDict(json_schema_extra=_rules(ADJUSTMENT_MACHINE))

    action: str = Field(..., json_schema_extra={"enum": list(sorted(ADJUSTMENT_MACHINE.steps))})


class TransitionOut(Schema):
    """One recorded workflow step."""

    action: str
    from_status: str
    to_status: str
    grade: str
    comment: str
    actor: str | None
    actor_role: str
    at: datetime


class TargetCheckOut(Schema):
    """How a target text reads under the grammar."""

    ok: bool
    kind: str
    text: str
    explanation: str
    measurable: bool | None = None


class OrganisationOut(Schema):
    """One organisation of the tree."""

    id: int
    name: str
    kind: str
    parent_id: int | None


class HistoryOut(Schema):
    """One version of a record: which record, when, by whom, what changed (field, before, after)."""

    record: str
    at: datetime
    by: str | None
    type: str
    status: str | None
    changed: list[str]
    fields: list[dict[str, str]]


class TokenIn(Schema):
    """User name and password, exchanged for an API token."""

    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=1000)


class TokenOut(Schema):
    """A raw API token (shown once), its id (to revoke it) and when it expires."""

    token: str
    id: int
    expires: datetime


class TokenInfoOut(Schema):
    """One of the caller's API tokens, without its value."""

    id: int
    name: str
    prefix: str
    created: datetime
    last_used: datetime | None
    expires: datetime | None


class AdjustmentIn(Schema):
    """A proposed 绩效目标调整: the reason, adjusted targets by indicator position ("0" is the first),
    and the adjusted 年度资金总额 (omit to keep it)."""

    reason: str = Field(..., max_length=MAX_REASON, pattern=NONBLANK)
    targets: dict[str, str] = Field(
        default_factory=dict,
        json_schema_extra={
            "propertyNames": {"pattern": "^(0|[1-9][0-9]{0,2})$"},
            "additionalProperties": {"type": "string", "maxLength": LIMITS.max_name, "pattern": NONBLANK},
        },
    )
    annual_amount: str | None = Field(None, max_length=40, pattern="^[0-9]{1,15}(\\.[0-9]{1,2})?$")


class AdjustmentOut(Schema):
    """A target adjustment: its state, grade, reason, date of approval, changes, open actions."""

    id: int
    declaration_id: int
    status: str
    grade: str
    reason: str
    approved_on: str | None
    changes: list[dict[str, str]]
    actions: list[str]
    original: dict[str, Any]
    adjusted: dict[str, Any]


class ExAnteRatingIn(Schema):
    """One item of the 事前绩效评估: the grade (优/良/中/差, or "" for not yet) and a note."""

    # The schema says what the sheet accepts, so a client (and the API's own tests) can tell a
    # valid body from an invalid one without trying it.
    rating: str = Field("", json_schema_extra={"enum": list[JsonValue](["", *RATINGS])})
    note: str = Field("", max_length=500)


class ExAnteIn(Schema):
    """The sheet: ratings by item key (``necessity.policy`` …, see GET) and the overall opinion."""

    ratings: dict[str, ExAnteRatingIn] = Field(
        json_schema_extra={"propertyNames": {"enum": list[JsonValue](sorted(ITEM_KEYS))}}
    )
    opinion: str = Field("", max_length=2000)


class ExAnteOut(Schema):
    """The sheet scored: whether it is required, the items, the total, the conclusion, what is missing."""

    required: bool
    complete: bool
    total: str
    conclusion: str
    conclusion_en: str
    threshold: str
    opinion: str
    items: list[dict[str, Any]]
    missing: list[str]
