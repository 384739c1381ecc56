"""Reading the department-wide forms from cell grids (部门整体支出绩效目标申报表 / 自评表).

The same grids and the same interpreter machinery as the project forms (:mod:`jixiao.formats.interpret`):
a department title starts a form; header labels (:data:`DEPARTMENT_DECLARATION_FIELDS`) give their
neighbour's value; amounts take the unit of their block label (部门预算（万元）); the indicator table
is read by its header row, 一级/二级 filled down. A self-evaluation's 项目自评汇总 table is read by its
header names (:data:`DEPARTMENT_PROJECT_COLUMNS`) and its 汇总评分 rows by their labels
(:data:`DEPARTMENT_ROLLUP_ROWS`). What a form lacks becomes a warning with its place, never an error.
"""

from __future__ import annotations

import re
from typing import Any

from jixiao.domain.department import (
    FUNDS_FIELDS,
    DepartmentDeclaration,
    DepartmentDocument,
    DepartmentFunds,
    DepartmentSelfEvaluation,
    ProjectResult,
    RollupFigures,
)
from jixiao.domain.errors import InputError, Location
from jixiao.domain.model import EvaluatedIndicator, Goals, Indicator, Source, numbered
from jixiao.domain.vocabulary import GRADES
from jixiao.formats.grid import Grid
from jixiao.formats.interpret import (
    _C,
    DEPARTMENT_KINDS,
    _amount,
    _Columns,
    _decimal,
    _Form,
    _header_fields,
    _indicator_rows,
    _is_empty,
    _is_indicator_header,
    _join_continuations,
    _owner,
    _prepare,
    _read_value,
    _Row,
    _row_cells,
    _split_forms,
    _text_field,
    _Units,
    _units,
    _year,
)
from jixiao.formats.thesaurus import (
    DEPARTMENT_DECLARATION_FIELDS,
    DEPARTMENT_PROJECT_COLUMNS,
    DEPARTMENT_ROLLUP_ROWS,
    DEPARTMENT_SELF_EVALUATION_FIELDS,
)

__all__ = ["interpret_departments", "read_department_bytes"]

_GRADE_CELL = re.compile(
    r"^(?P<grade>[优良中差])?\s*(?:[（(]\s*达标\s*(?P<met>\d+)\s*/\s*(?P<n>\d+)\s*[）)])?$"
)
_GRADE_AFTER = re.compile(r"(?:自评等级|等级)[:：]?\s*([优良中差])")
_ROLLUP_COLUMNS = {"比率": "rate", "执行率": "rate", "分值": "weight", "得分": "points"}


def interpret_departments(grids: list[Grid], file: str | None = None) -> list[DepartmentDocument]:
    """Return the department declarations and self-evaluations in ``grids`` (one file's, in order)."""
    forms = [f for f in _split_forms(_prepare(grids), file) if f.kind in DEPARTMENT_KINDS]
    return [_read(form, n, file) for n, form in enumerate(forms, start=1)]


def _labels(row: _Row) -> set[str]:
    return {c.key.label for c in row.cells if c.label}


def _find(rows: list[_Row], start: int, end: int, *labels: str) -> int | None:
    for k in range(start, end):
        if set(labels) <= _labels(rows[k]):
            return k
    return None


def _funds(form: _Form, found: dict[str, list[Any]], units: _Units) -> DepartmentFunds:
    funds = DepartmentFunds()
    for key in FUNDS_FIELDS:
        path = f"funds.{key}"
        item = _read_value(form, found.get(key), path)
        if item is None or item.value is None:
            continue
        unit = units.unit_for(item.label, item.unit)
        setattr(funds, key, _amount(form, item.value, unit, item.at, path, item.label.key.label))
    return funds


def _read(form: _Form, index: int, file: str | None) -> DepartmentDocument:
    _join_continuations(form)
    year = _year(form)
    rows = form.rows
    table_at = next((k for k, row in enumerate(rows) if _is_indicator_header(row)), None)
    end = table_at if table_at is not None else len(rows)
    units = _units(rows)
    first = form.title
    w = first.where() if first is not None else {}
    source = Source(file=file, form_index=index, line=w.get("line"), sheet=w.get("sheet"), page=w.get("page"))
    declaration = form.kind == "department_declaration"
    projects_at = None if declaration else _find(rows, 0, end, "项目名称", "全年执行数")
    rollup_at = None if declaration else _find(rows, 0, end, "汇总项目")
    head_end = min(k for k in (projects_at, rollup_at, end) if k is not None)
    table = DEPARTMENT_DECLARATION_FIELDS if declaration else DEPARTMENT_SELF_EVALUATION_FIELDS
    found = _header_fields(form, rows[:head_end], table)
    department = _text_field(form, found, "department", "department") or ""
    if not department:
        form.warn("JX-W101", "未找到部门名称", "department name not found", form.title, "department")
    funds = _funds(form, found, units)
    overall = _text_field(form, found, "overall", "goals.overall") if declaration else None
    goals = Goals(overall=overall, annual=_text_field(form, found, "annual", "goals.annual"))
    inds, _total = _indicator_rows(form, table_at)
    if declaration:
        return DepartmentDeclaration(
            year=year,
            department=department,
            duties=_text_field(form, found, "duties", "duties"),
            funds=funds,
            goals=goals,
            indicators=[Indicator(r.level1, r.level2, r.name, r.target) for r in inds],
            source=source,
            warnings=form.warnings,
            fields=form.fields,
        )
    projects, totals = _projects(form, rows, projects_at, rollup_at or end, units)
    figures = _rollup(form, rows, rollup_at, end, totals)
    return DepartmentSelfEvaluation(
        year=year,
        department=department,
        funds=funds,
        goals=goals,
        outcome=_text_field(form, found, "outcome", "outcome"),
        indicators=[
            EvaluatedIndicator(
                r.level1, r.level2, r.name, r.target, actual=r.actual, deviation_note=r.deviation_note
            )
            for r in inds
        ],
        projects=projects,
        rollup=figures,
        source=source,
        warnings=form.warnings,
        fields=form.fields,
    )


def _columns(header: _Row, names: dict[str, str]) -> _Columns:
    cols: dict[str, tuple[int, int]] = {}
    xs: dict[str, tuple[float, float]] = {}
    for c in header.cells:
        key = names.get(c.key.label) if c.label else None
        if key is None or key in cols:
            continue
        cols[key] = (c.col, c.cell.col_span)
        if c.cell.origin.bbox is not None:
            xs[key] = (c.cell.origin.bbox[0], c.cell.origin.bbox[2])
    return _Columns(header.g.gi, cols, xs)


def _text(c: _C | None) -> str | None:
    return c.raw if c is not None and not _is_empty(c.text) else None


def _projects(
    form: _Form, rows: list[_Row], at: int | None, end: int, units: _Units
) -> tuple[list[ProjectResult], RollupFigures]:
    """Return the 项目自评汇总 rows and the figures of its 合计 row (Σ budget, Σ executed, rate)."""
    if at is None:
        form.table_not_found(
            "projects",
            "未找到项目自评汇总表（项目名称 全年预算数 全年执行数 自评得分）",
            "the table of the projects' self-evaluations was not found",
        )
        return [], RollupFigures()
    columns = _columns(rows[at], DEPARTMENT_PROJECT_COLUMNS)
    out: list[ProjectResult] = []
    totals = RollupFigures()
    for row in rows[at + 1 : end]:
        labels = _labels(row)
        if {"项目名称", "全年执行数"} <= labels:
            columns = _columns(row, DEPARTMENT_PROJECT_COLUMNS)  # the header repeated on a new page
            continue
        own = _owner(_row_cells(row, columns), row)
        if "合计" in labels:
            for key in ("budget", "executed"):
                c = own(key)
                if (text := _text(c)) is not None:
                    assert c is not None
                    setattr(
                        totals, key, _amount(form, text, units.unit_for(c, None), c, f"rollup.{key}", "合计")
                    )
            rate = own("rate")
            totals.execution_rate = _decimal(form, _text(rate), rate, "rollup.execution_rate", "执行率")
            break
        name = _text(own("name"))
        if name is None:
            continue
        path = f"projects[{len(out)}]"
        line = ProjectResult(name, _text(own("unit")))
        for key in ("budget", "executed"):
            c = own(key)
            text = _text(c)
            if text is not None:
                assert c is not None
                setattr(line, key, _amount(form, text, units.unit_for(c, None), c, f"{path}.{key}", key))
        score = own("score")
        line.score = _decimal(form, _text(score), score, f"{path}.score", "自评得分")
        grade = own("grade")
        shown = _text(grade)
        if shown is not None and shown != "未自评":
            match = _GRADE_CELL.match("".join(shown.split()))
            if match is None or match["grade"] is None:
                form.warn(
                    "JX-W112",
                    f"自评等级「{shown}」应为 {'/'.join(GRADES)}（达标m/n），未读取",
                    f"the grade '{shown}' should be {'/'.join(GRADES)} (达标m/n); not read",
                    grade,
                    f"{path}.grade",
                )
            else:
                line.grade = match["grade"]
                if match["n"] is not None:
                    line.met, line.indicators = int(match["met"]), int(match["n"])
        out.append(line)
    form.mark("projects", "read" if out else "blank", rows[at].cells[0])
    return out, totals


def _rollup(form: _Form, rows: list[_Row], at: int | None, end: int, figures: RollupFigures) -> RollupFigures:
    """Add the 汇总评分 rows (rates, score, grade) to the 合计 row's ``figures``."""
    if at is None:
        form.warn(
            "JX-W108", "未找到汇总评分表", "the roll-up score table was not found", form.title, "rollup"
        )
        return figures
    columns = _columns(rows[at], _ROLLUP_COLUMNS)
    for row in rows[at + 1 : end]:
        key = next(
            (
                DEPARTMENT_ROLLUP_ROWS[c.key.label]
                for c in row.cells
                if c.label and c.key.label in DEPARTMENT_ROLLUP_ROWS
            ),
            None,
        )
        if key is None:
            continue
        own = _owner(_row_cells(row, columns), row)
        points = own("points")
        if key == "score":
            figures.score = _decimal(form, _text(points), points, "rollup.score", "汇总得分")
            grade = next((m[1] for c in row.cells if (m := _GRADE_AFTER.search(c.text))), None)
            figures.grade = grade
            continue
        rate = own("rate")
        value = _decimal(form, _text(rate), rate, f"rollup.{key}", key)
        if key == "execution":
            figures.execution_rate = value if value is not None else figures.execution_rate
        elif key == "good":
            figures.good_share = value
        else:
            figures.met_share = value
    return figures


def read_department_bytes(data: bytes, name: str | None = None) -> list[DepartmentDocument]:
    """Return the department forms in a file: canonical JSON, Excel (.xlsx), a PDF or extracted text.

    Raises :class:`InputError` JX-E104 for a file over the size limit and JX-E653 when the file holds
    no department form (a project form included); a damaged file raises its reader's error.
    """
    from jixiao.formats import _is_pdf, _is_zip, check_size, decode_text

    check_size(data, name)
    docs: list[DepartmentDocument]
    if _is_pdf(data, name):
        from jixiao.formats.pdf import pdf_grids

        docs = interpret_departments(pdf_grids(data, name), file=name)
    elif _is_zip(data, name):
        from jixiao.formats.xlsx import workbook_grids

        grids = workbook_grids(data, name)
        docs = []
        for grid in grids:  # one form a sheet: the sheet names where each was read
            for doc in interpret_departments([grid], file=name):
                doc.source.sheet = grid.sheet
                docs.append(doc)
    else:
        from jixiao.formats import json as json_format
        from jixiao.formats.json_department import loads
        from jixiao.formats.text import text_grids

        text = decode_text(data, name)
        if json_format.looks_like_json(text):
            docs = loads(text, file=name)
        else:
            docs = [d for grid in text_grids(text, name) for d in interpret_departments([grid], file=name)]
    if not docs:
        raise InputError(
            "文件中没有部门整体支出绩效目标申报表或自评表（项目的申报表请在项目申报处导入）",
            "the file holds no department-wide target or self-evaluation form (import project forms "
            "with the projects)",
            code="JX-E653",
            where=Location(file=name),
        )
    return numbered(docs)
