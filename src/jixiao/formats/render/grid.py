"""Reading a form back from a grid of text cells: shared by the Excel and the PDF readers.

Both readers turn their input into a stream of :class:`GridRow` (a sheet's rows; a PDF's table
rows rebuilt from geometry, plus the free text lines around the tables). A merged cell appears in
every row it spans, so a vertically merged 一级指标 is read on each of its rows (the rowspan
fill-down). Fields are found by their printed labels, not by fixed positions, so a form made by
another program, or edited by hand, still reads; a missing label or an unreadable value raises
:class:`FormatError` naming the sheet and cell (or the page) where it was expected.

Layouts: domain-rules.md §6 (申报表) and §5.6 (自评表); see :mod:`jixiao.formats.render.layout`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from jixiao.domain.errors import DateError, FormatError, Location, MoneyError
from jixiao.domain.model import (
    BudgetExecution,
    BudgetLine,
    Declaration,
    Document,
    EvaluatedIndicator,
    Funding,
    Goals,
    Indicator,
    Project,
    SelfEvaluation,
    Source,
)
from jixiao.domain.money import parse_amount, parse_date
from jixiao.domain.targets import try_parse_target
from jixiao.domain.text import fold
from jixiao.formats.render.layout import year_from

__all__ = ["GridRow", "Span", "norm_label", "read_grid"]


@dataclass(slots=True)
class Span:
    """One cell as seen on one row: horizontal extent, text, identity and where it came from.

    ``key`` identifies the cell: a merged cell spanning three rows appears on three rows with the
    same key. ``cell``/``page`` locate it for error messages.
    """

    x0: float
    x1: float
    text: str
    key: int
    cell: str | None = None
    page: int | None = None

    @property
    def center(self) -> float:
        """Return the horizontal middle of the span."""
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class GridRow:
    """One row of a grid, spans left to right. ``line`` rows are free text outside any table."""

    spans: list[Span]
    line: bool = False
    page: int | None = None
    sheet: str | None = None
    row: int | None = None
    table: int = 0

    def text(self) -> str:
        """Return the row's text, spans joined, whitespace removed."""
        return "".join("".join(s.text.split()) for s in self.spans)

    def at(self, x: float) -> Span | None:
        """Return the span that covers the horizontal position ``x``."""
        for span in self.spans:
            if span.x0 <= x < span.x1:
                return span
        return None


_PREFIX = re.compile(r"^(其中[:：]?)")
_SUFFIX = re.compile(r"[（(]\s*(元|万元)\s*[)）]$")


def norm_label(text: str) -> str:
    """Return ``text`` as a label key: no whitespace, no 其中： prefix, no （元） suffix, folded."""
    s = "".join(fold(text).split()).rstrip(":：")
    s = _PREFIX.sub("", s)
    return _SUFFIX.sub("", s)


# Declaration labels → field (domain-rules.md §6). 其他资金 appears twice; the side decides.
DECLARATION_LABELS = {
    "项目名称": "name",
    "项目类别": "category",
    "项目性质": "nature",
    "主管部门": "competent_department",
    "实施单位": "implementing_unit",
    "计划开始日期": "start_date",
    "计划完成日期": "end_date",
    "项目资金总额": "total",
    "财政资金": "total_fiscal",
    "其他资金": "other",
    "年度资金申请总额": "annual",
    "当年财政拨款": "annual_appropriation",
    "上年结转资金": "annual_carryover",
    "项目总目标": "overall",
    "年度总目标": "annual_goal",
    "年度总体目标": "annual_goal",
    "年度绩效目标": "annual_goal",
}
SELF_EVALUATION_LABELS = {
    "项目名称": "name",
    "主管部门": "competent_department",
    "实施单位": "implementing_unit",
    "项目类别": "category",
    "项目性质": "nature",
    "计划开始日期": "start_date",
    "计划完成日期": "end_date",
    "预期目标": "annual_goal",
    "实际完成情况": "outcome",
    "项目总目标": "overall",
}
SECTION_LABELS = {"项目资金", "项目绩效目标", "绩效指标", "绩效目标", "年度总体目标", "项目资金情况"}
BUDGET_HEADERS = {
    "年初预算数": "initial",
    "全年预算数": "adjusted",
    "全年执行数": "executed",
    "分值": "weight",
    "执行率": "execution_rate",
    "得分": "score",
}
BUDGET_ROWS = {
    "年度资金总额": None,
    "当年财政拨款": "appropriation",
    "上年结转资金": "carryover",
    "其他资金": "other",
}
INDICATOR_HEADERS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "指标目标值": "target",
    "年度指标值": "target",
    "指标值": "target",
    "实际完成值": "actual",
    "分值": "weight",
    "得分": "score",
    "偏差原因分析及改进措施": "deviation_note",
}
_ALL_LABELS = (
    set(DECLARATION_LABELS)
    | set(SELF_EVALUATION_LABELS)
    | SECTION_LABELS
    | set(BUDGET_HEADERS)
    | set(BUDGET_ROWS)
    | set(INDICATOR_HEADERS)
    | {"总分"}
)
_EMPTY = {"", "—", "-", "——", "/", "／", "无"}

Locate = Callable[[str], Location]


def _is_label(span: Span | None) -> bool:
    return span is not None and norm_label(span.text) in _ALL_LABELS


def _where(span: Span, row: GridRow) -> Location:
    return Location(sheet=row.sheet, cell=span.cell, page=span.page if span.page is not None else row.page)


_TITLE = re.compile(r"^.{0,14}(绩效目标申报表|绩效自评表)[（(]?(\d{4}年度?)?[)）]?$")


_MONITORING_TITLE = re.compile(r"^.{0,8}绩效(运行|执行)?监控表([（(][^）)]{0,16}[)）])?$")


def _kind_of(text: str) -> str | None:
    """Return the kind of form a title line names, or None for any other text."""
    match = _TITLE.match("".join(text.split()))
    if not match:
        return None
    return "self_evaluation" if match.group(1) == "绩效自评表" else "declaration"


@dataclass(slots=True)
class _Form:
    kind: str
    rows: list[GridRow] = field(default_factory=list)
    year: int | None = None
    title_row: GridRow | None = None


def read_grid(
    rows: list[GridRow], *, file: str | None = None, missing: Locate | None = None
) -> list[Document]:
    """Return the forms in a stream of rows: each title starts a form, later rows continue it.

    A stream without any title is read as one form whose kind is guessed from its labels.
    ``missing(label)`` says where a label that cannot be found was expected (for the message).
    """
    forms: list[_Form] = []
    for row in rows:
        if len(row.spans) == 1 and _MONITORING_TITLE.match("".join(row.text().split())):
            # A 运行监控表 (domain-rules.md §4) is not a declaration: refuse it rather than misread it.
            span = row.spans[0]
            raise FormatError(
                "这是项目支出绩效运行监控表，不是申报表或自评表；监控表请以 JSON 提交给 jixiao monitor",
                "this is an in-year monitoring form (运行监控表), not a declaration or a "
                "self-evaluation; give monitoring reports to jixiao monitor as JSON",
                code="JX-E414",
                where=Location(
                    file=file,
                    sheet=row.sheet,
                    cell=span.cell,
                    page=span.page if span.page is not None else row.page,
                ),
            )
        kind = _kind_of(row.text()) if len(row.spans) <= 2 else None
        if kind:
            form = _Form(kind, title_row=row, year=year_from(row.text()))
            forms.append(form)
            continue
        if forms and not forms[-1].rows and not row.text():
            continue
        if (
            forms
            and forms[-1].year is None
            and not forms[-1].rows
            and year_from(row.text()) is not None
            and len(row.text()) <= 14
        ):
            forms[-1].year = year_from(row.text())
            continue
        if not forms:
            if not row.text():
                continue
            texts = {norm_label(s.text) for r in rows for s in r.spans}
            guessed = "self_evaluation" if texts & {"全年执行数", "实际完成值"} else "declaration"
            forms.append(_Form(guessed))
        forms[-1].rows.append(row)
    docs: list[Document] = []
    for index, form in enumerate(forms, start=1):
        first = form.title_row or (form.rows[0] if form.rows else None)
        source = Source(
            file=file,
            form_index=index,
            sheet=first.sheet if first else None,
            page=first.page if first else None,
        )
        locate = missing or _locate_at(Location(page=source.page, sheet=source.sheet))
        if form.kind == "declaration":
            docs.append(_declaration(form, source, locate))
        else:
            docs.append(_self_evaluation(form, source, locate))
    return docs


def _locate_at(where: Location) -> Locate:
    def locate(label: str) -> Location:
        return where

    return locate


# --- value parsing ------------------------------------------------------------------------------


def _text(span: Span | None) -> str | None:
    if span is None:
        return None
    text = span.text.strip()
    return None if text in _EMPTY else text


def _amount(span: Span | None, row: GridRow, what: str) -> Decimal | None:
    text = _text(span)
    if text is None or span is None:
        return None
    try:
        return parse_amount(text)
    except MoneyError as exc:
        raise FormatError(
            f"{what}：{exc.message_zh}", f"{what}: {exc.message_en}", code="JX-E411", where=_where(span, row)
        ) from None


def _number(span: Span | None, row: GridRow, what: str) -> Decimal | None:
    text = _text(span)
    if text is None or span is None:
        return None
    cleaned = fold(text).replace("%", "").replace("分", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise FormatError(
            f"{what}「{text}」不是数字",
            f"{what} '{text}' is not a number",
            code="JX-E412",
            where=_where(span, row),
        ) from None
    if not value.is_finite():
        raise FormatError(
            f"{what}「{text}」不是数字",
            f"{what} '{text}' is not a number",
            code="JX-E412",
            where=_where(span, row),
        )
    return value


def _date(span: Span | None, row: GridRow, what: str) -> date | None:
    text = _text(span)
    if text is None or span is None:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise FormatError(
            f"{what}：{exc.message_zh}", f"{what}: {exc.message_en}", code="JX-E413", where=_where(span, row)
        ) from None


# --- label → value -----------------------------------------------------------------------------


def _value_of(rows: list[GridRow], i: int, span: Span) -> tuple[Span | None, GridRow]:
    """Return the value cell of a label: the next cell to the right, else the cell below it."""
    row = rows[i]
    right = [s for s in row.spans if s.x0 >= span.x1 - 0.5 and s.key != span.key]
    for candidate in right:  # a value typed a cell or two too far right still belongs to its label
        if _is_label(candidate):
            break
        if candidate.text.strip():
            return candidate, row
    if right and not _is_label(right[0]):
        return right[0], row
    if right and _is_label(right[0]):
        below = _below(rows, i, span)
        if below is not None and not _is_label(below[0]):
            return below
        return None, row
    below = _below(rows, i, span)
    if below is not None and not _is_label(below[0]):
        return below
    return None, row


def _below(rows: list[GridRow], i: int, span: Span) -> tuple[Span, GridRow] | None:
    for j in range(i + 1, min(i + 4, len(rows))):
        if rows[j].line:
            continue
        other = rows[j].at(span.center)
        if other is not None and other.key != span.key:
            return other, rows[j]
    return None


@dataclass(slots=True)
class _Found:
    span: Span | None
    row: GridRow
    label: Span


def _labels(
    form: _Form, table: dict[str, str], stop: Callable[[GridRow], bool]
) -> tuple[dict[str, list[_Found]], int]:
    """Return every known label found before the row where ``stop`` is true, and that row's index."""
    found: dict[str, list[_Found]] = {}
    seen: set[int] = set()
    rows = form.rows
    for i, row in enumerate(rows):
        if row.line:
            continue
        if stop(row):
            return found, i
        for span in row.spans:
            key = table.get(norm_label(span.text))
            if key is None or span.key in seen:
                continue
            seen.add(span.key)
            value, vrow = _value_of(rows, i, span)
            found.setdefault(key, []).append(_Found(value, vrow, span))
    return found, len(rows)


def _need(found: dict[str, list[_Found]], key: str, label: str, locate: Locate) -> _Found:
    items = found.get(key)
    if not items:
        raise FormatError(
            f"找不到「{label}」栏（表格被移动、删除或不是本系统的版式）",
            f"the '{label}' cell is missing (moved, deleted, or not our layout)",
            code="JX-E401",
            where=locate(label),
        )
    return items[0]


def _opt(found: dict[str, list[_Found]], key: str) -> _Found | None:
    items = found.get(key)
    return items[0] if items else None


def _is_indicator_header(row: GridRow) -> bool:
    labels = {norm_label(s.text) for s in row.spans}
    return "一级指标" in labels and "三级指标" in labels


def _is_budget_header(row: GridRow) -> bool:
    labels = {norm_label(s.text) for s in row.spans}
    return "全年预算数" in labels and "全年执行数" in labels


# --- the indicator table -----------------------------------------------------------------------


@dataclass(slots=True)
class _Row:
    values: dict[str, Span | None]
    row: GridRow


def _indicator_rows(rows: list[GridRow], start: int, locate: Locate) -> tuple[list[_Row], int]:
    """Return the indicator rows from the header at ``start`` on, and where the table ended.

    Columns are mapped by the header's horizontal positions, again at every repeated header (a
    continuation page may be laid out a little differently). Blank 一级/二级 cells continue the
    previous row's (a rowspan cut by a page break, or a hand-filled sheet that leaves them blank).
    """
    columns: dict[str, float] = {}
    out: list[_Row] = []
    i = start
    while i < len(rows):
        row = rows[i]
        if row.line:
            if _kind_of(row.text()):
                break
            i += 1
            continue
        if _is_indicator_header(row):
            columns = {}
            for span in row.spans:
                key = INDICATOR_HEADERS.get(norm_label(span.text))
                if key and key not in columns:
                    columns[key] = span.center
            i += 1
            continue
        labels = {norm_label(s.text) for s in row.spans}
        if "总分" in labels or _kind_of(row.text()):
            break
        values = {key: row.at(x) for key, x in columns.items()}
        out.append(_Row(values, row))
        i += 1
    return out, i


def _fill(items: list[_Row], locate: Locate) -> list[tuple[str, str, str, str, _Row]]:
    """Return (level1, level2, name, target, row) for each non-empty row, filling levels down."""
    result: list[tuple[str, str, str, str, _Row]] = []
    level1 = level2 = ""
    for item in items:
        v = item.values
        texts = {k: _text(s) for k, s in v.items()}
        if not any(texts.get(k) for k in ("name", "target", "actual", "weight", "score")):
            continue  # an empty template row, or a row holding only a merged level cell
        if texts.get("level1"):
            new1 = texts["level1"] or ""
            if new1 != level1:
                level2 = ""  # a new 一级 must name its own 二级
            level1 = new1
        if texts.get("level2"):
            level2 = texts["level2"] or ""
        name = texts.get("name")
        target = texts.get("target")
        span = v.get("name") or v.get("target")
        where = (
            _where(span, item.row) if span is not None else Location(page=item.row.page, sheet=item.row.sheet)
        )
        if not level1 or not level2:
            which = "一级指标" if not level1 else "二级指标"
            raise FormatError(
                f"指标行缺少{which}", f"an indicator row has no {which}", code="JX-E402", where=where
            )
        if not name:
            raise FormatError(
                "指标行缺少三级指标名称", "an indicator row has no 三级指标 name", code="JX-E403", where=where
            )
        if not target:
            tspan = v.get("target")
            raise FormatError(
                f"三级指标「{name}」缺少指标目标值",
                f"indicator '{name}' has no target value",
                code="JX-E404",
                where=_where(tspan, item.row) if tspan is not None else where,
            )
        result.append((level1, level2, name, target, item))
    return result


# --- the two kinds ------------------------------------------------------------------------------


def _str_value(found: _Found | None) -> str | None:
    return _text(found.span) if found else None


def _same_columns(a: GridRow, b: GridRow) -> bool:
    return len(a.spans) == len(b.spans) and all(
        abs(x.x0 - y.x0) < 1.5 and abs(x.x1 - y.x1) < 1.5 for x, y in zip(a.spans, b.spans, strict=True)
    )


def _merge_continuations(form: _Form) -> None:
    """Join a row that a page break cut in two (a long goal text) back into one row.

    The continuation is the first table row of a page, laid out like the last table row of the
    page before, with its label cells empty (the label printed on the first part only). Only
    rows above the indicator table are joined: indicator rows are never cut (forms.typ).
    """
    rows = form.rows
    prev: GridRow | None = None
    prev_page: int | None = None  # the page where ``prev`` ends (after joins, a later page)
    i = 0
    while i < len(rows):
        row = rows[i]
        if _is_indicator_header(row):
            return
        if row.line:
            i += 1
            continue
        if (
            prev is not None
            and row.page is not None
            and prev_page is not None
            and row.page == prev_page + 1
            and _same_columns(prev, row)
            and not row.spans[0].text.strip()
            and all(not b.text.strip() for a, b in zip(prev.spans, row.spans, strict=True) if _is_label(a))
            and rows[_last_table_row(rows, i)] is prev
        ):
            for a, b in zip(prev.spans, row.spans, strict=True):
                if b.text.strip():
                    a.text = a.text + b.text if a.text else b.text
            prev_page = row.page
            del rows[i]
            continue
        prev = row
        prev_page = row.page
        i += 1


def _last_table_row(rows: list[GridRow], i: int) -> int:
    """Return the index of the table row just before ``rows[i]``, skipping free lines (footers)."""
    j = i - 1
    while j >= 0 and rows[j].line:
        j -= 1
    return j


def _project(found: dict[str, list[_Found]], locate: Locate) -> Project:
    """Return the project header shared by both forms (项目名称 … 计划完成日期)."""
    name_found = _need(found, "name", "项目名称", locate)
    name = _str_value(name_found)
    if not name:
        raise FormatError(
            "项目名称为空",
            "the project name is empty",
            code="JX-E405",
            where=_where(name_found.span or name_found.label, name_found.row),
        )
    start = _opt(found, "start_date")
    finish = _opt(found, "end_date")
    return Project(
        name=name,
        category=_str_value(_opt(found, "category")),
        nature=_str_value(_opt(found, "nature")),
        competent_department=_str_value(_opt(found, "competent_department")),
        implementing_unit=_str_value(_opt(found, "implementing_unit")),
        start_date=_date(start.span, start.row, "计划开始日期") if start else None,
        end_date=_date(finish.span, finish.row, "计划完成日期") if finish else None,
    )


def _declaration(form: _Form, source: Source, locate: Locate) -> Declaration:
    _merge_continuations(form)
    found, end = _labels(form, DECLARATION_LABELS, _is_indicator_header)
    project = _project(found, locate)

    def amount(key: str, what: str) -> Decimal | None:
        item = _opt(found, key)
        return _amount(item.span, item.row, what) if item else None

    # 其他资金 appears under 项目资金总额 (whole-life) and under 年度资金申请总额 (this year):
    # the label's side decides (domain-rules.md §6).
    total_other = annual_other = None
    annual_label = _opt(found, "annual")
    split = annual_label.label.x0 - 0.5 if annual_label else None
    for item in found.get("other", []):
        value = _amount(item.span, item.row, "其他资金")
        if split is not None and item.label.x0 >= split:
            annual_other = value
        else:
            total_other = value
    funding = Funding(
        total=amount("total", "项目资金总额"),
        total_fiscal=amount("total_fiscal", "财政资金"),
        total_other=total_other,
        annual=amount("annual", "年度资金申请总额"),
        annual_appropriation=amount("annual_appropriation", "当年财政拨款"),
        annual_carryover=amount("annual_carryover", "上年结转资金"),
        annual_other=annual_other,
    )
    goals = Goals(overall=_str_value(_opt(found, "overall")), annual=_str_value(_opt(found, "annual_goal")))
    indicators: list[Indicator] = []
    if end < len(form.rows):
        raw, _ = _indicator_rows(form.rows, end, locate)
        for level1, level2, iname, target, _item in _fill(raw, locate):
            indicators.append(Indicator(level1, level2, iname, try_parse_target(target)))
    return Declaration(
        year=form.year, project=project, funding=funding, goals=goals, indicators=indicators, source=source
    )


def _budget(form: _Form, locate: Locate) -> BudgetExecution:
    rows = form.rows
    budget = BudgetExecution()
    columns: dict[str, float] = {}
    for row in rows:
        if row.line:
            continue
        if _is_indicator_header(row):
            break
        if _is_budget_header(row):
            columns = {
                BUDGET_HEADERS[norm_label(s.text)]: s.center
                for s in row.spans
                if norm_label(s.text) in BUDGET_HEADERS
            }
            continue
        if not columns:
            continue
        labels = [norm_label(s.text) for s in row.spans]
        key = next((BUDGET_ROWS[lab] for lab in labels if lab in BUDGET_ROWS), "none")
        if key == "none":
            continue
        cells = {k: row.at(x) for k, x in columns.items()}
        what = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}
        amounts = {k: _amount(cells.get(k), row, what[k]) for k in what}
        if key is None:
            budget.initial, budget.adjusted, budget.executed = (
                amounts["initial"],
                amounts["adjusted"],
                amounts["executed"],
            )
            budget.weight = _number(cells.get("weight"), row, "分值")
            budget.execution_rate = _number(cells.get("execution_rate"), row, "执行率")
            budget.score = _number(cells.get("score"), row, "得分")
        elif any(v is not None for v in amounts.values()):
            budget.lines[key] = BudgetLine(**amounts)
    if not columns:
        raise FormatError(
            "找不到项目资金表头（年初预算数、全年预算数、全年执行数）",
            "the budget header (年初预算数, 全年预算数, 全年执行数) is missing",
            code="JX-E406",
            where=locate("年初预算数"),
        )
    return budget


_GRADE = re.compile(r"[优良中差]")


def _self_evaluation(form: _Form, source: Source, locate: Locate) -> SelfEvaluation:
    _merge_continuations(form)
    found, end = _labels(form, SELF_EVALUATION_LABELS, _is_indicator_header)
    project = _project(found, locate)
    budget = _budget(form, locate)
    goals = Goals(overall=_str_value(_opt(found, "overall")), annual=_str_value(_opt(found, "annual_goal")))
    indicators: list[EvaluatedIndicator] = []
    total_score: Decimal | None = None
    grade: str | None = None
    if end < len(form.rows):
        raw, stop = _indicator_rows(form.rows, end, locate)
        for level1, level2, iname, target, item in _fill(raw, locate):
            v = item.values
            indicators.append(
                EvaluatedIndicator(
                    level1,
                    level2,
                    iname,
                    try_parse_target(target),
                    actual=_text(v.get("actual")),
                    weight=_number(v.get("weight"), item.row, "分值"),
                    score=_number(v.get("score"), item.row, "得分"),
                    deviation_note=_text(v.get("deviation_note")),
                )
            )
        if stop < len(form.rows):
            row = form.rows[stop]
            spans = row.spans
            label_at = next((n for n, s in enumerate(spans) if norm_label(s.text) == "总分"), None)
            if label_at is not None:
                numbers: list[tuple[Span, str]] = []
                for span in spans[label_at + 1 :]:
                    text = _text(span)
                    if text is None:
                        continue
                    if "等级" in text or _GRADE.fullmatch(text):
                        g = text.split("：")[-1].split(":")[-1].strip()
                        grade = g or None
                    else:
                        numbers.append((span, text))
                if numbers:
                    span = numbers[-1][0] if len(numbers) > 1 else numbers[0][0]
                    total_score = _number(span, row, "总分")
    return SelfEvaluation(
        year=form.year,
        project=project,
        budget=budget,
        goals=goals,
        outcome=_str_value(_opt(found, "outcome")),
        indicators=indicators,
        total_score=total_score,
        grade=grade,
        source=source,
    )
