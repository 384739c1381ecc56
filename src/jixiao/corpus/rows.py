"""The one pure per-file function of a corpus run: a path in, the rows of its documents out.

:func:`file_rows` reads a file with :func:`jixiao.formats.read_path` (any format the readers know),
reviews its declarations and returns plain rows (dicts of str, int, float, Decimal) for the three
tables of the dataset, or one failure row with the jixiao error code and message. It never raises:
a file that cannot be read is a recorded failure, never the end of a run. It has no state and no
side effect, so any worker of any cluster can run it on any file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jixiao.corpus.names import normalise_indicator_name, region_of
from jixiao.domain.errors import JixiaoError
from jixiao.domain.model import Declaration, Document, EvaluatedIndicator, Indicator, SelfEvaluation
from jixiao.domain.targets import Target, try_parse_target
from jixiao.review.lexicon import squeeze

__all__ = ["INTERNAL_ERROR", "FileRows", "file_rows", "files_rows", "unit_of"]

# A reader that raises something other than a JixiaoError has a bug; the file is still a recorded
# failure under this code, with the exception's type, so that a run over a province never stops.
INTERNAL_ERROR = "JX-E172"

_FEN = Decimal("0.01")


@dataclass(slots=True)
class FileRows:
    """The rows one file contributes: documents, indicators, findings, or one failure."""

    file: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    failure: dict[str, Any] | None = None


def unit_of(doc: Document) -> str:
    """Return the unit a document belongs to: the implementing unit, else the department."""
    return squeeze(doc.project.implementing_unit) or squeeze(doc.project.competent_department) or ""


def _money(value: Decimal | None) -> Decimal | None:
    # Amounts are 元 to the fen; the Parquet column is decimal(18, 2).
    if value is None:
        return None
    try:
        return value.quantize(_FEN, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _target_columns(t: Target, prefix: str) -> dict[str, Any]:
    return {
        f"{prefix}text": t.text,
        f"{prefix}kind": t.kind,
        f"{prefix}op": t.op,
        f"{prefix}value": _float(t.value),
        f"{prefix}unit": t.unit,
        f"{prefix}low": _float(t.low),
        f"{prefix}high": _float(t.high),
    }


_ACTUAL_EMPTY = {
    "actual_text": None,
    "actual_kind": None,
    "actual_op": None,
    "actual_value": None,
    "actual_unit": None,
    "actual_low": None,
    "actual_high": None,
}
_SPACES = re.compile(r"\s+")


def _goal(text: str | None) -> str | None:
    return _SPACES.sub("", text) if text else None


def _document_row(file: str, form: int, doc: Document) -> dict[str, Any]:
    p = doc.project
    region = region_of(p.implementing_unit, p.competent_department)
    row: dict[str, Any] = {
        "doc_id": f"{file}#{form}",
        "file": file,
        "form": form,
        "kind": doc.kind,
        "year": doc.year,
        "project_name": p.name,
        "category": p.category,
        "competent_department": p.competent_department,
        "implementing_unit": p.implementing_unit,
        "unit": unit_of(doc),
        "region": region.name or None,
        "province": region.province or None,
        "city": region.city or None,
        "county": region.county or None,
        "level": region.level,
        "funding_total": None,
        "funding_annual": None,
        "goal_overall": _goal(doc.goals.overall),
        "goal_annual": _goal(doc.goals.annual),
        "indicator_count": len(doc.indicators),
        "warning_count": len(getattr(doc, "warnings", ())),
        "review_score": None,
        "review_grade": None,
        "self_score": None,
        "self_grade": None,
    }
    if isinstance(doc, Declaration):
        row["funding_total"] = _money(doc.funding.total)
        row["funding_annual"] = _money(doc.funding.annual)
    elif isinstance(doc, SelfEvaluation):
        row["funding_annual"] = _money(doc.budget.adjusted or doc.budget.initial)
        row["self_score"] = _float(doc.total_score)
        row["self_grade"] = doc.grade
    return row


def _indicator_rows(doc_id: str, doc: Document) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    indicators: Sequence[Indicator | EvaluatedIndicator] = doc.indicators
    for position, ind in enumerate(indicators, start=1):
        row: dict[str, Any] = {
            "doc_id": doc_id,
            "position": position,
            "level1": ind.level1,
            "level2": ind.level2,
            "name": ind.name,
            "name_key": normalise_indicator_name(ind.name),
            **_target_columns(ind.target, "target_"),
            **_ACTUAL_EMPTY,
        }
        actual = getattr(ind, "actual", None)
        if isinstance(doc, SelfEvaluation) and isinstance(actual, str) and actual.strip():
            row.update(_target_columns(try_parse_target(actual), "actual_"))
            row["actual_text"] = actual
        out.append(row)
    return out


def _failure(file: str, code: str, zh: str, en: str) -> dict[str, Any]:
    return {"file": file, "code": code, "message_zh": zh, "message_en": en}


def file_rows(path: str | Path, profile: str = "shanghai-2022") -> FileRows:
    """Return the rows of the file at ``path``: its documents, indicators and review findings.

    A file the readers refuse (missing, not a form, broken PDF …) returns a :class:`FileRows` whose
    ``failure`` holds the jixiao error code and the Chinese and English messages; so does a reader's
    unexpected exception (code :data:`INTERNAL_ERROR`). This function never raises for a bad file.
    """
    from jixiao.formats import read_path
    from jixiao.review import review

    file = str(path)
    result = FileRows(file)
    try:
        docs = read_path(path)
        report = review([d for d in docs if isinstance(d, Declaration)], profile=profile)
    except JixiaoError as exc:
        result.failure = _failure(file, exc.code, exc.message("zh"), exc.message("en"))
        return result
    except Exception as exc:  # noqa: BLE001 - a reader's bug must not stop a run over a province
        result.failure = _failure(
            file,
            INTERNAL_ERROR,
            f"[{INTERNAL_ERROR}] 读取时 jixiao 内部出错：{type(exc).__name__}: {exc}（{file}）",
            f"[{INTERNAL_ERROR}] jixiao failed internally reading the file: {type(exc).__name__}: {exc} ({file})",
        )
        return result
    reviews = iter(report.declarations)
    for form, doc in enumerate(docs, start=1):
        row = _document_row(file, form, doc)
        result.documents.append(row)
        result.indicators.extend(_indicator_rows(row["doc_id"], doc))
        if not isinstance(doc, Declaration):
            continue
        decl_review = next(reviews)
        row["review_score"] = _float(decl_review.score)
        row["review_grade"] = decl_review.grade
        for finding in decl_review.findings:
            ev = finding.evidence
            result.findings.append(
                {
                    "doc_id": row["doc_id"],
                    "code": finding.code,
                    "family": finding.family,
                    "severity": finding.severity,
                    "field": ev.field,
                    "indicator": ev.indicator,
                    "indicator_position": None if ev.index is None else ev.index + 1,
                    "message_zh": finding.message_zh,
                    "message_en": finding.message_en,
                }
            )
    return result


def files_rows(paths: list[str], profile: str = "shanghai-2022") -> list[FileRows]:
    """Return :func:`file_rows` of each path, in order (one task of a run carries a few files)."""
    return [file_rows(path, profile) for path in paths]
