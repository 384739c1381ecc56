"""评价结果应用 with the database: the year's report for finance, its exports, and last year's
result of a continuing project beside next year's declaration.

The rules (grade → suggestion, execution → suggestion) and the sums are the pure
:mod:`jixiao.evaluation.results`; this module reads the records, scores them with the region's rules
(as every page does: scores are recomputed, never trusted from storage) and checks who may see it.
"""

from __future__ import annotations

from typing import Any

from jixiao.db.accounts.models import Organisation, Role
from jixiao.db.declarations.models import Declaration
from jixiao.db.evaluation.models import EvaluationStatus, SelfEvaluationRecord
from jixiao.domain.errors import InputError, NotFound
from jixiao.domain.limits import check_year
from jixiao.domain.model import SelfEvaluation
from jixiao.evaluation.results import (
    IndicatorResult,
    ResultsReport,
    build_report,
    missing_result,
    previous_results,
    project_result,
)
from jixiao.formats.json import from_dict
from jixiao.services import evaluation as ev_svc
from jixiao.services.declarations import stored_as
from jixiao.services.scope import (
    is_signed_in,
    unit_and_department,
    visible_declarations,
    visible_organisations,
)

__all__ = [
    "can_see_results",
    "export_results",
    "last_year_results",
    "parse_year",
    "results_count",
    "results_report",
    "results_years",
    "RESULTS_ON_ONE_PAGE",
]

# 评价结果应用 is the finance bureau's (domain-rules.md §7: results feed the next budget).
RESULT_ROLES = (Role.FINANCE_REVIEWER, Role.ADMIN)

# The page lists every project of the report. A province's year holds tens of thousands: beyond
# this many the page asks for a department or unit first (the exports still hold them all).
RESULTS_ON_ONE_PAGE = 3_000


def can_see_results(user: Any) -> bool:
    """Return True for the finance bureau and administrators."""
    return is_signed_in(user) and (user.is_admin_role or user.role in RESULT_ROLES)


def parse_year(text: Any) -> int:
    """Return the year typed in a form, URL or command; JX-E640 when it is not a year, JX-E752 out of range."""
    raw = str(text if text is not None else "").strip()
    # 「2022年」「2022年度」 and full-width digits are what a Chinese keyboard types: accept them.
    digits = raw.removesuffix("年度").removesuffix("年").strip()
    if not (digits.isdecimal() and digits.isascii()) and not (digits.isdecimal() and len(digits) == 4):
        digits = ""
    if not digits or len(digits) > 6:
        raise InputError(
            f"年度「{raw[:20]}」不是四位数字的年份（如 2022）",
            f"the year '{raw[:20]}' is not a four-digit year (e.g. 2022)",
            code="JX-E640",
        )
    year = int(digits)
    check_year(year)
    return year


def results_years(user: Any) -> list[int]:
    """Return the years that hold self-evaluations the user may see, latest first."""
    years = ev_svc.visible_self_evaluations(user).order_by().values_list("year", flat=True).distinct()
    return sorted({y for y in years if y}, reverse=True)


def _reported(user: Any, year: int, organisation: int | None, everything: bool) -> Any:
    """Return the declarations a report of ``year`` has a row for: approved or published, of the
    user's scope (``everything``: all), of ``organisation``'s subtree when given (JX-E720 when
    that organisation is not one the user sees)."""
    decls = Declaration.objects.all() if everything else visible_declarations(user)
    decls = decls.filter(year=year, status__in=ev_svc.EVALUABLE_STATES)
    if organisation is not None:
        orgs = Organisation.objects.all() if everything else visible_organisations(user)
        path = orgs.filter(pk=organisation).values_list("path", flat=True).first()
        if path is None:
            raise NotFound()
        decls = decls.filter(organisation__path__startswith=path)
    return decls


def results_count(user: Any, year: int, organisation: int | None = None) -> int:
    """Return how many projects the report of ``year`` (of ``organisation``'s subtree) lists."""
    return int(_reported(user, year, organisation, everything=False).count())


def results_report(
    user: Any,
    year: int,
    *,
    organisation: int | None = None,
    everything: bool = False,
    lang: str = "zh",
) -> ResultsReport:
    """Return the year's 评价结果应用 report of the user's scope (``everything``: the command line),
    of ``organisation``'s subtree when given (a department and its units, or one unit).

    Every approved or published declaration of the year is a row: scored from its self-evaluation
    with the region's rules, or marked 未自评. Raises NotAllowed (JX-E710) for roles other than
    finance and admin, NotFound (JX-E720) for an organisation outside the user's scope.
    """
    if not everything and not can_see_results(user):
        raise ev_svc.not_allowed()
    check_year(year)
    rules = ev_svc.rules()
    by_id = {o.pk: o for o in Organisation.objects.all()}
    # The columns a row shows: not the declaration's document and findings (a year of a province).
    decls = (
        _reported(user, year, organisation, everything)
        .select_related("organisation")
        .only("id", "year", "project_name", "annual_amount", "organisation")
    )
    records = {
        r.declaration_id: r
        for r in SelfEvaluationRecord.objects.filter(declaration__in=decls).only(
            "id", "declaration_id", "document", "status"
        )
    }
    previous = ev_svc.previous_actuals_of_year(year, decls.values("organisation_id"))
    labels = dict(EvaluationStatus.choices)
    rows = []
    for obj in decls.order_by("project_name", "id"):
        unit, department = unit_and_department(obj.organisation, by_id)
        record = records.get(obj.pk)
        if record is None:
            rows.append(
                missing_result(
                    department=department,
                    unit=unit,
                    project=obj.project_name,
                    year=obj.year,
                    adjusted=obj.annual_amount,
                    ref=obj.pk,
                )
            )
            continue
        doc = stored_as(record.document, SelfEvaluation)
        scored = ev_svc.evaluate_for(obj, doc, previous.get((obj.organisation_id, obj.project_name), {}))
        rows.append(
            project_result(
                doc,
                scored,
                rules,
                department=department,
                unit=unit,
                status=str(labels.get(record.status, record.status)),
                ref=obj.pk,
                lang=lang,
            )
        )
    return build_report(year, rows, rules)


def export_results(report: ResultsReport, fmt: str) -> tuple[bytes, str]:
    """Return (bytes, MIME type) of the report as ``xlsx`` or ``pdf``; JX-E160 for another format."""
    from jixiao.formats.render.results import results_pdf, results_xlsx
    from jixiao.services.export import WRITERS

    if fmt == "xlsx":
        return results_xlsx(report), WRITERS["xlsx"][2]
    if fmt == "pdf":
        return results_pdf(report), WRITERS["pdf"][2]
    raise InputError(f"导出格式「{fmt}」尚不可用", f"export format '{fmt}' is not available", code="JX-E160")


def last_year_results(obj: Declaration) -> dict[str, IndicatorResult]:
    """Return last year's result of each indicator of a continuing project, by 三级指标 name.

    The same unit and project name in the year before (as the baseline of a relative target,
    :func:`jixiao.services.evaluation.previous_actuals`); empty when jixiao holds no self-evaluation
    of it. The previous year is scored with its own year's last-year actuals.
    """
    record = ev_svc.last_year_record(obj, with_declaration=True)
    if record is None:
        return {}
    doc = from_dict(record.document)
    if not isinstance(doc, SelfEvaluation):
        return {}
    return previous_results(doc, ev_svc.evaluate_for(record.declaration, doc))
