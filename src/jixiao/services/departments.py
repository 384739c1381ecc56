"""Use cases of department-wide targets and self-evaluation (部门整体支出绩效目标 / 自评).

A department (an :class:`Organisation` of kind 主管部门) declares its overall targets for a year; the
department's own office (its 本级 unit, whose users fill in the department's forms) writes them,
the workflow of :data:`jixiao.domain.workflow.DEPARTMENT_DECLARATION` moves them through review
(88号 grades, domain-rules.md §3.2, §8). Its self-evaluation rolls up the self-evaluations of the
approved projects of its subtree (:mod:`jixiao.evaluation.department`), recomputed on every save.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Declaration, Status
from jixiao.db.departments.models import (
    DepartmentDeclarationRecord,
    DepartmentSelfEvaluationRecord,
    DepartmentTransition,
)
from jixiao.db.evaluation.models import SelfEvaluationRecord
from jixiao.domain import workflow as wf
from jixiao.domain.department import (
    DepartmentDeclaration,
    DepartmentDocument,
    DepartmentSelfEvaluation,
    ProjectResult,
)
from jixiao.domain.errors import (
    InputError,
    JixiaoError,
    Location,
    NotFound,
    WorkflowError,
)
from jixiao.domain.limits import check_indicator_count, check_text, check_year
from jixiao.domain.model import EvaluatedIndicator, Indicator, SelfEvaluation
from jixiao.evaluation.department import Rollup, project_result, rollup
from jixiao.formats.json import from_dict as project_from_dict
from jixiao.formats.json_department import from_dict, to_dict
from jixiao.formats.render.department import RollupPoints
from jixiao.services.declarations import EDITABLE_STATES, WRITER_ROLES, without_nul
from jixiao.services.evaluation import EDITABLE_STATES as REPORT_EDITABLE_STATES
from jixiao.services.evaluation import EVALUABLE_STATES, not_allowed, previous_actuals, rules
from jixiao.services.scope import is_signed_in, visible_organisations
from jixiao.services.steps import move, role_of
from jixiao.services.workflow import allowed_steps, check_step, decide_on

__all__ = [
    "CONTENT_TYPES",
    "WRITER_ROLES",
    "export_department",
    "rollup_points",
    "template_declaration",
    "actions",
    "can_write",
    "declaration_of",
    "department_rollup",
    "get_declaration",
    "import_department_documents",
    "initial_declaration",
    "own_department",
    "problems",
    "project_lines",
    "refresh_self_evaluation",
    "save_declaration",
    "self_evaluation_of",
    "take_step",
    "visible_department_declarations",
]

# The states in which a department's forms change, and who writes them, are the project forms':
# drafts and returns, by the unit's filler or head; a self-evaluation once the targets are approved.
EDITABLE = EDITABLE_STATES
REPORT_EDITABLE = REPORT_EDITABLE_STATES
EVALUABLE = EVALUABLE_STATES

Record = DepartmentDeclarationRecord | DepartmentSelfEvaluationRecord


def own_department(user: Any) -> Organisation | None:
    """Return the department whose forms ``user`` writes: their own department, or the department
    of their unit (a department's 本级 office fills in its department-wide forms)."""
    if not is_signed_in(user) or user.organisation is None:
        return None
    org: Organisation = user.organisation
    if org.kind == Organisation.Kind.DEPARTMENT:
        return org
    parent = org.parent
    if (
        org.kind == Organisation.Kind.UNIT
        and parent is not None
        and parent.kind == Organisation.Kind.DEPARTMENT
    ):
        return parent
    return None


def visible_department_declarations(user: Any) -> QuerySet[DepartmentDeclarationRecord]:
    """Return the department declarations ``user`` may read (the public: published ones)."""
    qs = DepartmentDeclarationRecord.objects.select_related("organisation")
    if not is_signed_in(user):
        return qs.filter(status=Status.PUBLISHED)
    if user.is_admin_role:
        return qs
    own = own_department(user)
    subtree = visible_organisations(user).values("id")
    if own is not None:
        return qs.filter(organisation_id__in=subtree) | qs.filter(organisation=own)
    return qs.filter(organisation_id__in=subtree)


def get_declaration(user: Any, pk: int) -> DepartmentDeclarationRecord:
    """Return department declaration ``pk`` when visible, else :class:`NotFound` (JX-E720)."""
    record = visible_department_declarations(user).filter(pk=pk).first()
    if record is None:
        raise NotFound()
    return record


def declaration_of(record: DepartmentDeclarationRecord) -> DepartmentDeclaration:
    """Return the domain document stored in ``record``."""
    doc = from_dict(record.document)
    assert isinstance(doc, DepartmentDeclaration)
    return doc


def self_evaluation_of(record: DepartmentSelfEvaluationRecord) -> DepartmentSelfEvaluation:
    """Return the domain self-evaluation stored in ``record``."""
    doc = from_dict(record.document)
    assert isinstance(doc, DepartmentSelfEvaluation)
    return doc


def can_write(user: Any, org: Organisation) -> bool:
    """Return True when ``user`` may write the department forms of ``org``."""
    if not is_signed_in(user):
        return False
    if user.is_admin_role:
        return True
    own = own_department(user)
    return user.role in WRITER_ROLES and own is not None and own.pk == org.pk


# --- the declaration ---------------------------------------------------------------------------


def _approved_projects(org: Organisation, year: int) -> QuerySet[Declaration]:
    subtree = Organisation.objects.filter(path__startswith=org.path).values("id")
    return Declaration.objects.filter(organisation_id__in=subtree, year=year, status__in=EVALUABLE)


def initial_declaration(org: Organisation, year: int) -> DepartmentDeclaration:
    """Return a new department declaration of ``org``: the project spending is the sum of its
    approved projects' 年度资金申请总额 (the rest the department fills in)."""
    total = sum(
        (d.annual_amount or Decimal(0) for d in _approved_projects(org, year).only("annual_amount")),
        Decimal(0),
    )
    doc = DepartmentDeclaration(year=year, department=org.name)
    doc.funds.project = total or None
    return doc


def _check(doc: DepartmentDocument, org: Organisation) -> None:
    if org.kind != Organisation.Kind.DEPARTMENT:
        raise InputError(
            f"「{org.name}」不是主管部门：部门整体绩效目标只能由主管部门申报",
            f"'{org.name}' is not a department: only a department declares department-wide targets",
            code="JX-E654",
        )
    if doc.year is None:
        raise InputError(
            "部门整体绩效表缺少预算年度",
            "the department form has no budget year",
            code="JX-E656",
            where=Location(field="year"),
        )
    check_year(doc.year)
    if doc.department.strip() and doc.department.strip() != org.name:
        raise InputError(
            f"表上的部门「{doc.department.strip()}」不是「{org.name}」",
            f"the form's department '{doc.department.strip()}' is not '{org.name}'",
            code="JX-E657",
            where=Location(field="department"),
        )
    check_indicator_count(len(doc.indicators))
    check_text("goals.overall", doc.goals.overall)
    check_text("goals.annual", doc.goals.annual)
    if isinstance(doc, DepartmentDeclaration):
        check_text("goals.overall", doc.duties, "duties")
    rows: list[Indicator | EvaluatedIndicator] = list(doc.indicators)
    for n, row in enumerate(rows):
        check_text("indicators[].name", row.name, f"indicators[{n}].name")
        check_text("indicators[].target", row.target.text, f"indicators[{n}].target")


def save_declaration(
    user: Any,
    org: Organisation,
    doc: DepartmentDeclaration,
    record: DepartmentDeclarationRecord | None = None,
) -> DepartmentDeclarationRecord:
    """Create or update the department declaration of ``org`` (one a year; drafts and returns only)."""
    if not can_write(user, org):
        raise not_allowed()
    _check(doc, org)
    doc = replace(doc, department=org.name)
    year: int = doc.year  # type: ignore[assignment]  # checked by _check
    if record is None:
        record = DepartmentDeclarationRecord.objects.filter(organisation=org, year=year).first()
    fields = {
        "document": without_nul(to_dict(doc)),  # PostgreSQL cannot store a NUL in a JSON text
        "total_budget": doc.funds.total,
        "updated_by": user,
        "year": doc.year,
    }
    with transaction.atomic():
        if record is None:
            try:
                with transaction.atomic():
                    record = DepartmentDeclarationRecord.objects.create(organisation=org, **fields)
            except IntegrityError:
                raise _exists(org, doc.year) from None
        else:
            if record.status not in EDITABLE:
                raise not_allowed()
            if record.organisation_id != org.pk or record.year != doc.year:
                raise _exists(org, doc.year)
            for key, value in fields.items():
                setattr(record, key, value)
            record._history_user = user  # type: ignore[attr-defined]
            record.save()
    return record


def _exists(org: Organisation, year: int | None) -> InputError:
    return InputError(
        f"「{org.name}」{year}年度已有部门整体绩效目标，请打开它修改",
        f"'{org.name}' already has department-wide targets for {year}: open them to change them",
        code="JX-E655",
    )


def import_department_documents(
    user: Any, org: Organisation, docs: list[DepartmentDocument]
) -> DepartmentDeclarationRecord:
    """Store the first department declaration of an imported file (a self-evaluation file is
    refused: the self-evaluation is rolled up from the projects, not typed in)."""
    declarations = [d for d in docs if isinstance(d, DepartmentDeclaration)]
    if not declarations:
        raise InputError(
            "文件中没有部门整体支出绩效目标申报表（自评表由各项目自评汇总生成，不能导入）",
            "the file holds no department-wide target form (the self-evaluation is rolled up from "
            "the projects, not imported)",
            code="JX-E653",
        )
    doc = declarations[0]
    if doc.year is None:
        raise InputError(
            "部门整体绩效表缺少预算年度", "the department form has no budget year", code="JX-E656"
        )
    existing = DepartmentDeclarationRecord.objects.filter(organisation=org, year=doc.year).first()
    return save_declaration(user, org, doc, existing)


# --- the roll-up --------------------------------------------------------------------------------


def project_lines(org: Organisation, year: int) -> list[ProjectResult]:
    """Return one roll-up line per approved project of ``org``'s subtree in ``year``."""
    objs = _approved_projects(org, year).select_related("organisation").order_by("project_name", "id")
    records = {r.declaration_id: r for r in SelfEvaluationRecord.objects.filter(declaration__in=objs)}
    lines: list[ProjectResult] = []
    for obj in objs:
        record = records.get(obj.pk)
        unit = obj.organisation.name
        if record is None:
            budget = obj.annual_amount
            lines.append(ProjectResult(obj.project_name, unit, budget))
            continue
        doc = project_from_dict(record.document)
        assert isinstance(doc, SelfEvaluation)
        lines.append(project_result(doc, rules(), unit=unit, previous=previous_actuals(obj)))
    return lines


def department_rollup(record: DepartmentDeclarationRecord) -> Rollup | None:
    """Return the roll-up of the department's projects, or None when it has none (JX-E652)."""
    try:
        return rollup(project_lines(record.organisation, record.year), rules())
    except JixiaoError as exc:
        if exc.code == "JX-E652":
            return None
        raise


def _self_evaluation_doc(
    record: DepartmentDeclarationRecord, previous: DepartmentSelfEvaluation | None, result: Rollup | None
) -> DepartmentSelfEvaluation:
    decl = declaration_of(record)
    actuals = {(r.name, n): r for n, r in enumerate(previous.indicators)} if previous else {}
    rows = []
    for n, ind in enumerate(decl.indicators):
        old = actuals.get((ind.name, n))
        rows.append(
            EvaluatedIndicator(
                ind.level1,
                ind.level2,
                ind.name,
                ind.target,
                actual=old.actual if old else None,
                deviation_note=old.deviation_note if old else None,
            )
        )
    doc = DepartmentSelfEvaluation(
        year=decl.year,
        department=decl.department,
        funds=decl.funds,
        goals=decl.goals,
        outcome=previous.outcome if previous else None,
        indicators=rows,
    )
    if result is not None:
        doc.projects = list(result.projects)
        doc.rollup = result.figures
    return doc


def refresh_self_evaluation(
    user: Any,
    record: DepartmentDeclarationRecord,
    *,
    outcome: str | None = None,
    actuals: Mapping[int, tuple[str | None, str | None]] | None = None,
) -> DepartmentSelfEvaluationRecord:
    """Create or update the department self-evaluation: the roll-up recomputed from the projects,
    the department's own text (outcome, each indicator's actual and note) from the user."""
    if record.status not in EVALUABLE:
        raise WorkflowError(
            "部门整体绩效目标批复后才能自评",
            "the department-wide targets must be approved before the self-evaluation",
            code="JX-E703",
        )
    if not can_write(user, record.organisation):
        raise not_allowed()
    existing = DepartmentSelfEvaluationRecord.objects.filter(declaration=record).first()
    if existing is not None and existing.status not in REPORT_EDITABLE:
        raise not_allowed()
    previous = self_evaluation_of(existing) if existing is not None else None
    result = department_rollup(record)
    doc = _self_evaluation_doc(record, previous, result)
    if outcome is not None:
        check_text("outcome", outcome)
        doc.outcome = outcome.strip() or None
    for n, (actual, note) in (actuals or {}).items():
        if 0 <= n < len(doc.indicators):
            check_text("indicators[].actual", actual, f"indicators[{n}].actual")
            check_text("indicators[].deviation_note", note, f"indicators[{n}].deviation_note")
            doc.indicators[n].actual = (actual or "").strip() or None
            doc.indicators[n].deviation_note = (note or "").strip() or None
    fields = {
        "organisation": record.organisation,
        "year": record.year,
        "document": to_dict(doc),
        "score": doc.rollup.score,
        "grade": doc.rollup.grade or "",
        "updated_by": user,
    }
    if existing is None:
        return DepartmentSelfEvaluationRecord.objects.create(declaration=record, **fields)
    for key, value in fields.items():
        setattr(existing, key, value)
    existing._history_user = user  # type: ignore[attr-defined]
    existing.save()
    return existing


# --- the workflow ----------------------------------------------------------------------------------


def _machine(record: Record) -> wf.Machine:
    if isinstance(record, DepartmentDeclarationRecord):
        return wf.DEPARTMENT_DECLARATION
    return wf.DEPARTMENT_SELF_EVALUATION


def _facts(user: Any, record: Record) -> dict[str, Any]:
    own = own_department(user)
    org = record.organisation
    in_scope = (
        user.is_admin_role
        or (own is not None and own.pk == org.pk)
        or (visible_organisations(user).filter(pk=org.pk).exists())
    )
    return {"role": role_of(user), "in_scope": in_scope, "own_unit": own is not None and own.pk == org.pk}


def actions(user: Any, record: Record | None) -> list[wf.Step]:
    """Return the steps ``user`` may take on ``record`` now (buttons, the API)."""
    if record is None:
        return []
    return allowed_steps(_machine(record), user, record, facts=_facts)


def problems(record: Record) -> list[wf.Problem]:
    """Return what keeps ``record`` from moving on (its requirement ``complete``)."""
    out: list[wf.Problem] = []
    if isinstance(record, DepartmentDeclarationRecord):
        doc = declaration_of(record)
        if not doc.indicators:
            out.append(wf.Problem("没有绩效指标", "no indicators", "indicators"))
        if doc.funds.total is None:
            out.append(wf.Problem("缺少年度预算总额", "the year's total budget is missing", "funds.total"))
        if not (doc.goals.annual or "").strip():
            out.append(wf.Problem("缺少年度总体目标", "the annual goal is missing", "goals.annual"))
        return out
    sev = self_evaluation_of(record)
    missing = [p.name for p in sev.projects if p.grade is None]
    if not sev.projects:
        out.append(wf.Problem("没有可汇总的项目自评", "no project self-evaluation to roll up", "projects"))
    if missing:
        out.append(
            wf.Problem(
                "以下项目尚无完整的自评：" + "、".join(missing),
                "these projects have no complete self-evaluation: " + ", ".join(missing),
                "projects",
            )
        )
    if not (sev.outcome or "").strip():
        out.append(wf.Problem("缺少年度总体目标完成情况", "the outcome is missing", "outcome"))
    for n, row in enumerate(sev.indicators):
        if not (row.actual or "").strip():
            out.append(
                wf.Problem(
                    f"指标「{row.name}」缺少实际完成值", f"'{row.name}' has no actual value", f"actual_{n}"
                )
            )
    return out


def take_step(
    user: Any, record: Record, key: str, *, grade: str = "", comment: str = "", confirmed: bool = False
) -> Record:
    """Take workflow step ``key`` on a department declaration or self-evaluation and record it."""
    machine = _machine(record)
    step = check_step(machine, user, record, key, facts=_facts)
    decision = decide_on(
        machine, step, user, record, problems, grade=grade, comment=comment, confirmed=confirmed
    )
    declaration = isinstance(record, DepartmentDeclarationRecord)
    with transaction.atomic():
        move(
            record,
            decision,
            user,
            DepartmentTransition,
            {"grade": decision.grade} if declaration and decision.grade else {},
            declaration=record if declaration else None,
            self_evaluation=None if declaration else record,
        )
    return record


# --- export ----------------------------------------------------------------------------------------

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def rollup_points(doc: DepartmentSelfEvaluation) -> RollupPoints | None:
    """Return the 分值 and 得分 of the roll-up rows for the printed form (from the stored lines)."""
    if not doc.projects:
        return None
    result = rollup(doc.projects, rules())
    w = result.weights
    return RollupPoints(
        (w.execution, w.good, w.met), (result.execution_points, result.good_points, result.met_points)
    )


def export_department(record: Record, fmt: str) -> tuple[bytes, str, str]:
    """Return a department form as ``xlsx`` or ``pdf``: (bytes, content type, file name).

    Raises InputError JX-E160 for another format.
    """
    from jixiao.formats.render.department import department_pdf, department_xlsx
    from jixiao.services.export import file_name

    if fmt not in CONTENT_TYPES:
        raise InputError(
            f"导出格式「{fmt}」尚不可用", f"export format '{fmt}' is not available", code="JX-E160"
        )
    doc: DepartmentDocument
    if isinstance(record, DepartmentDeclarationRecord):
        doc, points, what = declaration_of(record), None, "部门整体绩效目标表"
    else:
        sev = self_evaluation_of(record)
        doc, points, what = sev, rollup_points(sev), "部门整体绩效自评表"
    writer = department_xlsx if fmt == "xlsx" else department_pdf
    data = writer([doc], [points])
    return data, CONTENT_TYPES[fmt], file_name(record.year, record.organisation.name, what, ext=fmt)


def template_declaration(org: Organisation, year: int) -> DepartmentDeclaration:
    """Return a declaration to fill in Excel: the region's 一级/二级 rows with empty indicators."""
    from jixiao.domain.department import department_framework
    from jixiao.domain.targets import Target

    doc = initial_declaration(org, year)
    fw = department_framework(settings.JIXIAO_REGION)
    doc.indicators = [
        Indicator(level1, level2, "", Target.invalid("", ""))
        for level1, level2s in fw.levels.items()
        for level2 in level2s
    ]
    return doc
