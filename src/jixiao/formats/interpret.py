"""The form interpreter: cell grids in, declarations and self-evaluations out, whatever the file.

Call it as ``interpret(grids, file=name)`` with the :class:`~jixiao.formats.grid.Grid` objects of
one file in reading order (pages, sheets, tables); it returns the documents found, each with its
warnings and, per field, whether it was read, blank on the form or not found, and where.

The interpreter knows labels, not positions (reference/form-layouts.md; the labels are data in
:mod:`jixiao.formats.thesaurus`):

* a title cell (any variant, with a region, year or unit before it) starts a form; the rows after
  it, across grids, belong to it until the next title;
* a header label's value is the neighbouring cell to the right, or the cell below when the label
  stands in a header row; a value is bounded by its cell, never by "up to the next label";
  a cell that holds ``label：value`` (or several such pairs, as text extraction glues them) is
  split at the labels;
* the indicator table is found by its header row and its columns mapped by their header names, in
  any order and any subset; 指标性质 + 指标值 + 度量单位 are joined into one target; merged
  一级/二级 cells fill down; a table continued in the next grid keeps its columns;
* amounts take the unit of their label (项目资金（万元）), of the block label beside them, or of a
  ``单位：万元`` line above, and come out in 元.

What the interpreter is unsure of is a :class:`~jixiao.domain.model.ParseWarning` with the cell's
location; it never guesses silently. Bad input never raises, except a 运行监控表 (JX-E414), which is
not a form these documents can hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jixiao.domain.errors import DateError, FormatError, Location, MoneyError
from jixiao.domain.framework import LEVEL_NAMES
from jixiao.domain.model import (
    BudgetExecution,
    BudgetLine,
    Declaration,
    Document,
    EvaluatedIndicator,
    FieldRead,
    Funding,
    Goals,
    Indicator,
    ParseWarning,
    Project,
    SelfEvaluation,
    Source,
)
from jixiao.domain.money import parse_amount as _parse_amount
from jixiao.domain.money import parse_date as _parse_date
from jixiao.domain.money import to_cents
from jixiao.domain.targets import Target, try_parse_target
from jixiao.domain.text import fold, unify_ideographs
from jixiao.formats.grid import Cell, Grid, join_pieces
from jixiao.formats.thesaurus import (
    BUDGET_COLUMNS,
    BUDGET_ROWS,
    DECLARATION_FIELDS,
    DEPARTMENT_TITLES,
    INDICATOR_COLUMNS,
    SECTION_LABELS,
    SELF_EVALUATION_FIELDS,
    TITLES,
    Key,
    all_labels,
    label_key,
)

__all__ = ["interpret", "title_kind"]

_EMPTY = frozenset({"", "—", "-", "——", "--", "/", "／", "无", "－", "–", "\\"})
_ALL_TITLES = (*TITLES, *DEPARTMENT_TITLES)
_TITLE_RE = re.compile("|".join(re.escape(t) for t, _ in sorted(_ALL_TITLES, key=lambda t: -len(t[0]))))
_TITLE_KIND = dict(_ALL_TITLES)
# Department-wide forms are read by jixiao.formats.interpret_department, not into Documents.
DEPARTMENT_KINDS = frozenset(kind for _, kind in DEPARTMENT_TITLES)
# What may follow a title on its line: a year, a separator, a kind in brackets, a table number.
_TITLE_TAIL = re.compile(r"^[|｜:：\s]*(?:[（(][^（）()]{0,20}[)）]|\d{4}年度?|公开\d+表|[|｜\s])*$")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年")
_YEAR_LABELS = frozenset({"预算年度", "年度", "预算年份", "年份"})
_YEAR_VALUE = re.compile(r"(20\d\d|19\d\d)(?:\.0)?\s*(?:年度?)?")
_BLOCK_UNIT = re.compile(r"^(?:项目资金|资金情况|资金)[（(](万元|元)")
_UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(万元|元)")
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_PLACEHOLDER = re.compile(r"^(?:指标\d*|[.…。·、]+|\d+)$")
_PAGE_FOOTER = re.compile(r"^第\s*\d+\s*页\s*[,，]?\s*共\s*\d+\s*页$")
_GLUED_NUMBERS = re.compile(r"\d+(?:\.\d+)?%?\d")
_OPS = {
    "≥": ">=",
    ">=": ">=",
    "≤": "<=",
    "<=": "<=",
    "=": "=",
    ">": ">",
    "<": "<",
    "大于等于": ">=",
    "小于等于": "<=",
    "大于": ">",
    "小于": "<",
    "等于": "=",
}
_TOTAL_LABELS = frozenset({"总分", "合计"})
_QUALITATIVE_OPS = frozenset({"定性", "定性指标"})


def _glued_label_re(labels: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(
        rf"(?:^|(?<=[\s|｜]))(?:其中[:：]?\s*)?(?P<label>{alternatives})"
        r"\s*(?:[（(](?P<unit>万元|元)[)）])?\s*(?:[:：]|(?=\s)|$)"
    )


_GLUED = _glued_label_re(
    [x for x in set(DECLARATION_FIELDS) | set(SELF_EVALUATION_FIELDS) if len(x) >= 2 and x != "部门"]
    + ["部门"]
)


# Amounts and dates are parsed once per distinct text: a file's forms print the same amount in
# several cells (项目资金总额, 年度资金申请总额, 财政资金) and the same dates. Decimal and date are
# immutable; a text that raises is not cached and raises again.
parse_amount = lru_cache(maxsize=8192)(_parse_amount)
parse_date = lru_cache(maxsize=4096)(_parse_date)


# --- cells as the interpreter sees them -----------------------------------------------------------


class _C:
    """A grid cell with its folded text and label key, computed once."""

    __slots__ = ("cell", "col", "gi", "glued", "grid", "key", "label", "raw", "row", "text", "title")

    def __init__(self, cell: Cell, grid: Grid, gi: int) -> None:
        self.cell = cell
        self.grid = grid
        self.gi = gi
        self.row = cell.row
        self.col = cell.col
        self.raw, self.text, self.key, self.label, self.title, self.glued, _, _, _ = _analyse(cell.text)

    def where(self) -> dict[str, Any]:
        page, bbox, sheet, cell, line, _ = self.cell.origin  # unpacked: no named lookup each
        return {
            "line": line,
            "page": page if page is not None else self.grid.page,
            "sheet": sheet if sheet is not None else self.grid.sheet,
            "cell": cell,
            "bbox": bbox,
        }


@lru_cache(maxsize=65536)
def _analyse(text: str) -> tuple[str, str, Key, bool, str | None, bool, bool, bool, bool]:
    """Return what the interpreter needs of a cell's text, computed once per distinct text.

    (value form, compact folded form for matching, label key, is a label, the kind of form whose
    title it is, starts with ``label：``, any of the next two or a label or a title, may print a
    unit for :func:`_units`, is 总分 or 合计 for :func:`_has_total`). Cached: labels, level names
    and targets repeat across every form of a file.
    """
    raw = _clean(text)
    compact = "".join(fold(raw).split())
    key = label_key(text) if len(compact) <= 40 else Key(compact, None, None)
    label = key.label in all_labels()
    glued = not label and len(raw) < 400 and _GLUED.match(raw) is not None
    unitish = bool(key.unit) or "单位" in compact
    total = (label and key.label in _TOTAL_LABELS) or compact in _TOTAL_LABELS
    title = _title_kind(compact)
    special = label or title is not None or unitish or total
    return raw, compact, key, label, title, glued, special, unitish, total


def _clean(text: str) -> str:
    """Return a cell's text as a value: look-alikes unified, wrapped lines joined, spaces single."""
    text = unify_ideographs(text).replace("\u00a0", " ").replace("\u3000", " ")
    if "\n" in text:
        return join_pieces([" ".join(part.split()) for part in text.split("\n")])
    return " ".join(text.split())


@dataclass(slots=True)
class _G:
    """One grid prepared for lookups: cells by row, and which cell covers each position.

    ``titles`` (row -> its first title cell), ``labelled`` (rows holding a label), ``unit_rows``
    (rows holding a cell that may print a unit) and ``total_rows`` (rows holding 总分 or 合计) are
    found in the one pass over the cells, so that the steps after it look at those rows alone.
    ``spans`` is False when no cell of the grid is merged (every text grid): a row's cell under a
    column then always starts in that row.
    """

    grid: Grid
    gi: int
    rows: dict[int, list[_C]]
    cover: dict[tuple[int, int], _C]
    n_cols: int
    titles: dict[int, _C]
    labelled: set[int]
    unit_rows: set[int]
    total_rows: set[int]
    spans: bool


def _prepare(grids: list[Grid]) -> list[_G]:
    out = []
    new = _C.__new__
    for gi, grid in enumerate(grids):
        rows: dict[int, list[_C]] = {}
        cover: dict[tuple[int, int], _C] = {}
        titles: dict[int, _C] = {}
        labelled: set[int] = set()
        unit_rows: set[int] = set()
        total_rows: set[int] = set()
        spans = False
        ordered = True
        last = (-1, -1)
        n_cols = 0
        row_at = -1
        same: list[_C] = []
        for cell in grid.cells:
            r, col, text, row_span, col_span, _ = cell
            # _C(cell, grid, gi) written out: one Python call less per cell (70 cells a form)
            c = new(_C)
            c.cell = cell
            c.grid = grid
            c.gi = gi
            c.row = r
            c.col = col
            c.raw, c.text, c.key, c.label, c.title, c.glued, special, unitish, total = _analyse(text)
            pos = (r, col)
            if pos <= last:
                ordered = False
            last = pos
            if r != row_at:  # builders give a row's cells together: one lookup a row
                row_at = r
                found = rows.get(r)
                if found is None:
                    found = rows[r] = []
                same = found
            same.append(c)
            if special:  # a label, a title, a unit or a total: most cells are none of these
                if c.label:
                    labelled.add(r)
                if total:
                    total_rows.add(r)
                if unitish:
                    unit_rows.add(r)
                if c.title is not None and (r not in titles or col < titles[r].col):
                    titles[r] = c
            if row_span == 1 and col_span == 1:
                if col >= n_cols:
                    n_cols = col + 1
                cover[pos] = c
                continue
            end = col + col_span
            if end > n_cols:
                n_cols = end
            unit_rows.add(r)
            spans = True
            for rr in range(r, r + max(row_span, 1)):
                for k in range(col, col + max(col_span, 1)):
                    cover[(rr, k)] = c
        if not ordered:
            for cells in rows.values():
                cells.sort(key=lambda c: c.col)
            rows = dict(sorted(rows.items()))
        out.append(_G(grid, gi, rows, cover, n_cols, titles, labelled, unit_rows, total_rows, spans))
    return out


class _Row:
    """One row of a grid as a form holds it: its cells, left to right."""

    __slots__ = ("cells", "g", "header", "labelled", "row")

    def __init__(self, g: _G, row: int, cells: list[_C], labelled: bool | None = None) -> None:
        self.g = g
        self.row = row
        self.cells = cells
        # False when no cell of the row is a label (most table rows): skips checks
        self.labelled = any(c.label for c in cells) if labelled is None else labelled
        self.header: bool | None = None  # is the indicator table's header row (computed once)


# --- forms ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Form:
    kind: str
    title: _C | None
    rows: list[_Row] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    fields: dict[str, FieldRead] = field(default_factory=dict)

    def warn(self, code: str, zh: str, en: str, at: _C | None, path: str | None = None) -> None:
        w = at.where() if at is not None else {}
        self.warnings.append(
            ParseWarning(
                code=code,
                message=zh,
                message_en=en,
                line=w.get("line"),
                field=path,
                cell=w.get("cell"),
                page=w.get("page"),
                sheet=w.get("sheet"),
            )
        )

    def warned(self, code: str) -> bool:
        """Whether a warning with ``code`` was given for this form already."""
        return any(w.code == code for w in self.warnings)

    def table_not_found(self, path: str, zh: str, en: str) -> None:
        """Mark the table read into ``path`` as not found and warn so (JX-W108) at the form's title."""
        self.mark(path, "not_found", None)
        self.warn("JX-W108", zh, en, self.title, path)

    def mark(self, path: str, status: str, at: _C | None) -> None:
        if at is None:
            self.fields[path] = FieldRead(status)  # type: ignore[arg-type]
            return
        page, bbox, sheet, cell, line, _ = at.cell.origin  # unpacked: no named lookup each
        g = at.grid
        self.fields[path] = FieldRead(
            status,  # type: ignore[arg-type]
            line,
            page if page is not None else g.page,
            sheet if sheet is not None else g.sheet,
            cell,
            bbox,
        )


def title_kind(text: str) -> str | None:
    """Return the kind of form (``declaration``, ``self_evaluation``, ``monitoring``) whose title
    ``text`` holds, or None: for grid builders that must know where a form starts.
    """
    if "表" not in text:
        return None
    return _title_kind("".join(fold(text).split()))


def _title_kind(text: str) -> str | None:
    if "表" not in text or len(text) > 160:
        return None
    match = None
    for m in _TITLE_RE.finditer(text):
        match = m
    if match is None or not _TITLE_TAIL.match(text[match.end() :]):
        return None
    if match.start() > 0 and text[match.start() - 1] in '《“"':
        return None  # a title quoted in a sentence
    return _TITLE_KIND[match.group()]


def _split_forms(gs: list[_G], file: str | None) -> list[_Form]:
    forms: list[_Form] = []
    loose: list[_Row] = []
    new = _Row.__new__
    dest = loose  # the rows of the form being read (of none before the first title)
    for g in gs:
        titles = g.titles
        labelled = g.labelled
        for r, cells in g.rows.items():
            title = titles.get(r) if titles else None
            if title is None:
                # _Row(g, r, cells, r in labelled) written out: one Python call less per row
                row = new(_Row)
                row.g, row.row, row.cells, row.labelled, row.header = g, r, cells, r in labelled, None
                dest.append(row)
                continue
            kind = title.title
            if kind == "monitoring":
                w = title.where()
                # A 运行监控表 (财预〔2019〕136号) is not a declaration: refuse it rather than misread it.
                raise FormatError(
                    "这是项目支出绩效运行监控表，不是申报表或自评表；监控表请以 JSON 提交给 jixiao monitor",
                    "this is an in-year monitoring form (运行监控表), not a declaration or a "
                    "self-evaluation; give monitoring reports to jixiao monitor as JSON",
                    code="JX-E414",
                    where=Location(
                        file=file, sheet=w["sheet"], cell=w["cell"], page=w["page"], line=w["line"]
                    ),
                )
            assert kind is not None
            forms.append(_Form(kind, title))
            dest = forms[-1].rows
            rest = [c for c in cells if c is not title]
            if rest:
                dest.append(_Row(g, r, rest))
    if not forms and loose:
        labels = {c.key.label for row in loose for c in row.cells if c.label}
        if labels & {"全年执行数", "实际完成值", "全年预算数", "全年实际值", "得分"}:
            forms.append(_Form("self_evaluation", None, loose))
        elif labels & {"项目名称", "三级指标"}:
            forms.append(_Form("declaration", None, loose))
    return forms


def interpret(grids: list[Grid], file: str | None = None) -> list[Document]:
    """Return the declarations and self-evaluations in ``grids`` (one file's, in reading order).

    Each title starts a document; a file without any title is read as one document when its labels
    say which kind it is, and gives ``[]`` when nothing in it is a form. Never raises for what a
    form says or lacks (that becomes warnings and field statuses), except JX-E414 for a 运行监控表.
    """
    gs = _prepare(grids)
    forms = _split_forms(gs, file)
    _attach_notes(gs, forms)
    docs: list[Document] = []
    for form in forms:
        if form.kind in DEPARTMENT_KINDS:
            continue  # a department-wide form: jixiao.formats.interpret_department reads it
        if form.title is not None and not _has_labels(form):
            # A heading that names the forms (a web page's article title "…项目绩效目标表", a
            # breadcrumb) with no label of a form under it before the next title: not a form.
            continue
        for part in _project_blocks(form, file):
            docs.append(_read(part, len(docs) + 1, file))
    return docs


def _has_labels(form: _Form) -> bool:
    return any(c.label or c.glued for row in form.rows for c in row.cells)


def _attach_notes(gs: list[_G], forms: list[_Form]) -> None:
    """Give each builder note to the form whose rows hold its row (the form before it otherwise)."""
    if not any(g.grid.notes for g in gs):
        return
    starts = [
        ((form.title.gi, form.title.row) if form.title else (form.rows[0].g.gi, form.rows[0].row), form)
        for form in forms
        if form.title is not None or form.rows
    ]
    for g in gs:
        for note in g.grid.notes:
            owner = None
            for start, form in starts:
                if start <= (g.gi, note.row):
                    owner = form
            if owner is None:
                continue
            o = note.origin
            owner.warnings.append(
                ParseWarning(
                    code=note.code,
                    message=note.message,
                    message_en=note.message_en,
                    line=o.line,
                    field=note.path,
                    cell=o.cell,
                    page=o.page if o.page is not None else g.grid.page,
                    sheet=o.sheet if o.sheet is not None else g.grid.sheet,
                )
            )


def _project_blocks(form: _Form, file: str | None) -> list[_Form]:
    """Split a department's list of projects (部门预算项目绩效目标申报表) into one form per project.

    Such a form has header columns (单位名称 | 项目名称 | 预算数 | 年度目标) in the indicator table's
    header row, filled on the first row of each project's block and empty on its other rows
    (form-layouts.md, header labels). Each block becomes a form of its own: the rows above the table (title,
    ``单位：万元``), the block's header labels over its first row's values, then the indicator
    header and the block's rows. Any other form is returned as it is.
    """
    k = next((k for k, row in enumerate(form.rows) if _is_indicator_header(row)), None)
    if k is None:
        return [form]
    header = form.rows[k]
    table = DECLARATION_FIELDS if form.kind == "declaration" else SELF_EVALUATION_FIELDS
    project = [
        c for c in header.cells if c.label and c.key.label in table and c.key.label not in INDICATOR_COLUMNS
    ]
    name = next((c for c in project if table[c.key.label] == "name"), None)
    if name is None:
        return [form]
    blocks: list[list[_Row]] = []
    for row in form.rows[k + 1 :]:
        starts = row.g.cover.get((row.row, name.col))
        if starts is not None and starts.row == row.row and not _is_empty(starts.text):
            blocks.append([row])
        elif blocks:
            blocks[-1].append(row)
    if not blocks:
        return [form]
    project_cols = {col for c in project for col in range(c.col, c.col + c.cell.col_span)}
    out: list[_Form] = []
    for block in blocks:
        cells: list[Cell] = []
        r = 0
        if form.title is not None:
            cells.append(form.title.cell._replace(row=r, row_span=1))
            r += 1
        for row in form.rows[:k]:
            cells += [c.cell._replace(row=r, row_span=1) for c in row.cells]
            r += 1
        lead = block[0]
        for c in project:
            cells.append(c.cell._replace(row=r, row_span=1))
            value = lead.g.cover.get((lead.row, c.col))
            if value is not None:
                cells.append(value.cell._replace(row=r + 1, row_span=1))
        r += 2
        cells += [c.cell._replace(row=r, row_span=1) for c in header.cells if c.col not in project_cols]
        r += 1
        # rows keep their page: a block that runs onto the next page is continued there
        pages: dict[int, tuple[Grid, list[Cell]]] = {header.g.gi: (header.g.grid, cells)}
        for n, row in enumerate(block):
            _, page_cells = pages.setdefault(row.g.gi, (row.g.grid, []))
            for c in row.cells:
                if c.col not in project_cols:
                    page_cells.append(
                        c.cell._replace(row=r + n, row_span=min(c.cell.row_span, len(block) - n))
                    )
        grids = [
            Grid(page_cells, source=grid.source, file=file, page=grid.page, sheet=grid.sheet)
            for _, (grid, page_cells) in sorted(pages.items())
        ]
        out += _split_forms(_prepare(grids), file)
    if out:
        out[0].warnings[:0] = form.warnings  # what the grid builder noted about the table
    return out


# --- labels and their values ------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    field: str
    label: _C
    value: str | None  # None: the label is on the form, its cell empty
    at: _C | None  # the cell the value was read from
    unit: str | None
    col: int
    row: int


def _is_empty(text: str) -> bool:
    return text in _EMPTY


def _value_of(g: _G, c: _C) -> tuple[_C | None, bool]:
    """Return (value cell, read): the first filled cell right of a label, else the cell below.

    Returns ``(cell, False)`` for an empty value cell and ``(None, False)`` when the label has no
    value cell at all. A label cell is never a value.
    """
    col = c.col + c.cell.col_span
    first: _C | None = None
    first_is_label = False
    while col < g.n_cols:
        cand = g.cover.get((c.row, col))
        if cand is None:
            col += 1
            continue
        col = cand.col + cand.cell.col_span
        if cand is c:
            continue
        if first is None:
            first = cand
            first_is_label = cand.label or cand.glued
        if cand.label or cand.glued or cand.title is not None:
            break
        if not _is_empty(cand.text):
            return cand, True
    if first is not None and not first_is_label:
        return first, False
    below = g.cover.get((c.row + c.cell.row_span, c.col))
    if below is not None and below.row == c.row + c.cell.row_span and not below.label and not below.glued:
        return below, not _is_empty(below.text)
    return None, False


def _header_fields(form: _Form, rows: list[_Row], table: dict[str, str]) -> dict[str, list[_Found]]:
    """Return every header label found in ``rows`` with its value, by field."""
    found: dict[str, list[_Found]] = {}
    for row in rows:
        for c in row.cells:
            name = table.get(c.key.label) if c.label else None
            if name is not None:
                at, read = _value_of(row.g, c)
                value = at.raw if at is not None and read else None
                found.setdefault(name, []).append(_Found(name, c, value, at, c.key.unit, c.col, c.row))
                continue
            if not c.glued:
                continue
            matches = list(_GLUED.finditer(c.raw))
            if not matches or matches[0].start() != 0:
                continue
            for k, m in enumerate(matches):
                end = matches[k + 1].start() if k + 1 < len(matches) else len(c.raw)
                name = table.get(m.group("label"))
                if name is None:
                    continue
                text = c.raw[m.end() : end].strip().lstrip(":：").strip()
                if unit_line := _UNIT_LINE.search(text):
                    # "部门：某县第三中学　单位：万元" on one header line: the unit ends the value
                    text = text[: unit_line.start()].strip()
                value = None if _is_empty("".join(fold(text).split())) else text
                found.setdefault(name, []).append(_Found(name, c, value, c, m.group("unit"), c.col, c.row))
    return found


def _pick(items: list[_Found] | None) -> _Found | None:
    if not items:
        return None
    for f in items:
        if f.value is not None:
            return f
    return items[0]


# --- units --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Units:
    """Where a unit is printed: block labels over rows of a grid, and ``单位：万元`` lines."""

    blocks: list[tuple[int, int, int, int, str]] = field(default_factory=list)  # gi, row0, row1, col, unit
    lines: list[tuple[int, int, str]] = field(default_factory=list)  # gi, row, unit

    def unit_for(self, c: _C, own: str | None) -> str | None:
        if own:
            return own
        for gi, r0, r1, col, unit in self.blocks:
            if gi == c.gi and r0 <= c.row < r1 and col <= c.col:
                return unit
        best = None
        for gi, r, unit in self.lines:
            if (gi, r) <= (c.gi, c.row):
                best = unit
        return best


def _units(rows: list[_Row]) -> _Units:
    units = _Units()
    for row in rows:
        if row.row not in row.g.unit_rows:
            continue  # no cell of the row has a unit or spans rows (most rows)
        for c in row.cells:
            if c.key.unit and (
                c.key.label in SECTION_LABELS or c.key.label in ("项目资金", "资金", "部门预算")
            ):
                end = c.row + c.cell.row_span
                if c.cell.row_span == 1:
                    # A merged block label that the source printed in its first row only (extracted
                    # text): it goes on over the rows whose cell in its column is empty.
                    g = row.g
                    while (g.gi, end) != (g.gi, -1) and end in g.rows:
                        below = g.cover.get((end, c.col))
                        if below is not None and not _is_empty(below.text):
                            break
                        if not any(not _is_empty(o.text) for o in g.rows[end]):
                            break
                        end += 1
                units.blocks.append((c.gi, c.row, end, c.col, c.key.unit))
                if c.cell.row_span == 1 and all(o is c or _is_empty(o.text) for o in row.cells):
                    units.lines.append((c.gi, c.row, c.key.unit))  # a block label on a line of its own
            elif "单位" in c.text and len(c.text) <= 40 and (m := _UNIT_LINE.search(c.text)):
                units.lines.append((c.gi, c.row, m.group(1)))
            elif c.cell.row_span > 1 and (m := _BLOCK_UNIT.match(c.text)):
                # a vertical block label whose text ran past its merged cell (LibreOffice prints
                # stacked text beyond the cell: 项目资金（万元 + the next label's 年): the unit stands
                units.blocks.append((c.gi, c.row, c.row + c.cell.row_span, c.col, m.group(1)))
    return units


def _amount(
    form: _Form, text: str, unit: str | None, at: _C | None, path: str, what: str, compact: str | None = None
) -> Decimal | None:
    if compact is None:
        compact = "".join(fold(text).split())
    try:
        if unit == "万元" and "元" not in compact and "万" not in compact:
            value = parse_amount(compact) * 10000
            return to_cents(value)
        amount = parse_amount(compact)
    except MoneyError as exc:
        form.warn("JX-W103", f"{what}：{exc.message_zh}", f"{what}: {exc.message_en}", at, path)
        return None
    return amount


# Below this many 元, an amount printed without a unit is as likely a figure in 万元.
_UNITLESS_DOUBT = Decimal(10000)


def _printed_amount(
    form: _Form, text: str, unit: str | None, at: _C | None, path: str, what: str
) -> Decimal | None:
    """An amount of the funds block or the budget table, warned about when its unit is in doubt.

    Forms print their amounts in 元 or in 万元 (form-layouts.md, header labels). With neither the
    label, the block nor a 单位 line saying which, 元 is the reading: the official layouts print 元
    (the seed's 1,559,500). But a figure under 10,000 read as 元 would make a project of a few
    thousand yuan, which is what a 万元 form without its unit looks like ("48" for 48 万元): then the
    reader says so, once per form, rather than guess silently.
    """
    compact = "".join(fold(text).split())
    amount = _amount(form, text, unit, at, path, what, compact)
    if (
        unit is None
        and amount is not None
        and 0 < amount < _UNITLESS_DOUBT
        and "元" not in compact
        and "万" not in compact
        and not form.warned("JX-W114")
    ):
        form.warn(
            "JX-W114",
            f"{what}「{text}」未注明单位，已按元读取（{text} 元）；若原表以万元为单位，应为 {text} 万元，请核对",
            f"{what} '{text}' has no unit printed and was read as {text} 元; if the form is in 万元 it is "
            f"{text} 万元: check the form",
            at,
            path,
        )
    return amount


def _decimal(form: _Form, text: str | None, at: _C | None, path: str, what: str) -> Decimal | None:
    if text is None:
        return None
    compact = "".join(fold(text).split()).rstrip("%分")
    if _is_empty(compact):
        return None
    if _NUMBER.match(compact):
        return Decimal(compact)
    if _GLUED_NUMBERS.search(compact):
        form.warn(
            "JX-W120",
            f"{what}「{text}」像是几个数字连在一起，无法可靠拆分，未读取",
            f"{what} '{text}' looks like several numbers run together; not read",
            at,
            path,
        )
    else:
        form.warn(
            "JX-W112",
            f"{what}「{text}」不是数字，未读取",
            f"{what} '{text}' is not a number; not read",
            at,
            path,
        )
    return None


# --- reading one form ---------------------------------------------------------------------------------


def _year(form: _Form) -> int | None:
    if form.title is not None and (m := _YEAR.search(form.title.text)):
        form.mark("year", "read", form.title)
        return int(m.group(1))
    for row in form.rows[:4]:
        for c in row.cells:
            if len(c.text) <= 24 and not c.label and (m := _YEAR.search(c.text)):
                form.mark("year", "read", c)
                return int(m.group(1))
        # jixiao's template: 预算年度 | 2023, the year in its own cell beside its label
        for label, value in zip(row.cells, row.cells[1:], strict=False):
            if label.text.strip(" ：:") in _YEAR_LABELS and (m := _YEAR_VALUE.fullmatch(value.text.strip())):
                form.mark("year", "read", value)
                return int(m.group(1))
    form.mark("year", "not_found", None)
    form.warn(
        "JX-W111",
        "未找到预算年度（如「（2022年度）」）",
        "budget year not found (e.g. '（2022年度）')",
        form.title,
        "year",
    )
    return None


def _is_indicator_header(row: _Row) -> bool:
    if not row.labelled:
        return False
    if row.header is None:
        row.header = _indicator_header(row.cells)
    return row.header


def _indicator_header(cells: list[_C]) -> bool:
    for c in cells:
        if c.label and c.key.label == "三级指标":
            break
    else:
        return False
    keys = {INDICATOR_COLUMNS.get(c.key.label) for c in cells if c.label}
    return "name" in keys and bool(keys & {"level1", "level2", "target", "target_op"})


def _is_budget_header(row: _Row) -> bool:
    keys = {BUDGET_COLUMNS.get(c.key.label) for c in row.cells if c.label}
    return len(keys & {"initial", "adjusted", "executed"}) >= 2


def _same_columns(a: list[_C], b: list[_C]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        bx, by = x.cell.origin.bbox, y.cell.origin.bbox
        if bx is not None and by is not None:
            if abs(bx[0] - by[0]) > 1.5 or abs(bx[2] - by[2]) > 1.5:
                return False
        elif (x.col, x.cell.col_span) != (y.col, y.cell.col_span):
            return False
    return True


def _join_continuations(form: _Form) -> None:
    """Join a table row that a page break cut in two (a long goal text) back into one row.

    The continuation is the first table row of the next grid, laid out like the last table row
    of the grid before, with its label cells empty (a label is printed on the first part only).
    Only rows above the indicator table are joined.
    """
    rows = form.rows
    if len({row.g.gi for row in rows}) < 2:
        return
    ends: dict[int, int] = {}  # a row joined with continuations -> the grid where it now ends
    k = 1
    while k < len(rows):
        row = rows[k]
        if _is_indicator_header(row):
            return
        prev_k = next((j for j in range(k - 1, -1, -1) if len(_band(rows[j])) >= 2), None)
        first_of_grid = all(rows[j].g is not row.g or len(rows[j].cells) < 2 for j in range(k))
        prev_end = ends.get(id(rows[prev_k]), rows[prev_k].g.gi) if prev_k is not None else -2
        if prev_k is not None and len(row.cells) >= 2 and first_of_grid and prev_end == row.g.gi - 1:
            before = _band(rows[prev_k])
            if (
                _same_columns(before, row.cells)
                and not row.cells[0].text
                and all(not b.text for a, b in zip(before, row.cells, strict=True) if a.label)
            ):
                for a, b in zip(before, row.cells, strict=True):
                    if b.raw:
                        a.raw = a.raw + b.raw if a.raw else b.raw
                        a.text = a.text + b.text
                ends[id(rows[prev_k])] = row.g.gi
                del rows[k]
                continue
        k += 1


def _band(row: _Row) -> list[_C]:
    """Return the cells a row's band crosses, left to right: its own and those merged from above."""
    out: list[_C] = []
    for col in range(row.g.n_cols):
        c = row.g.cover.get((row.row, col))
        if c is not None and (not out or out[-1] is not c):
            out.append(c)
    return out


def _read(form: _Form, index: int, file: str | None) -> Document:
    _join_continuations(form)
    year = _year(form)
    table_at = next((k for k, row in enumerate(form.rows) if _is_indicator_header(row)), None)
    head = form.rows[:table_at] if table_at is not None else form.rows
    units = _units(form.rows)
    first = form.title or (form.rows[0].cells[0] if form.rows and form.rows[0].cells else None)
    w = first.where() if first is not None else {}
    source = Source(file=file, form_index=index, line=w.get("line"), sheet=w.get("sheet"), page=w.get("page"))
    if form.kind == "declaration":
        found = _header_fields(form, head, DECLARATION_FIELDS)
        project = _project(form, found)
        funding = _funding(form, found, units)
        goals = _goals(form, found, ("overall", "annual_goal"))
        rows, _total_row = _indicator_rows(form, table_at)
        indicators = [Indicator(r.level1, r.level2, r.name, r.target) for r in rows]
        return Declaration(
            year=year,
            project=project,
            funding=funding,
            goals=goals,
            indicators=indicators,
            source=source,
            warnings=form.warnings,
            fields=form.fields,
        )
    budget_at = next((k for k, row in enumerate(head) if _is_budget_header(row)), None)
    found = _header_fields(
        form,
        [r for k, r in enumerate(head) if budget_at is None or k < budget_at or not _budget_row(r)],
        SELF_EVALUATION_FIELDS,
    )
    project = _project(form, found)
    if not project.name:
        project.name = "（未命名项目）"
    budget = _budget(form, head, budget_at, units)
    goals = _goals(form, found, ("overall", "annual_goal"))
    outcome = _text_field(form, found, "outcome", "outcome")
    rows, total_row = _indicator_rows(form, table_at)
    if total_row is not None:
        after = form.rows[form.rows.index(total_row) :]
        found.setdefault("grade", []).extend(
            _header_fields(
                form, after, {k: v for k, v in SELF_EVALUATION_FIELDS.items() if v == "grade"}
            ).get("grade", [])
        )
    total, grade = _total(form, total_row, found)
    return SelfEvaluation(
        year=year,
        project=project,
        budget=budget,
        goals=goals,
        outcome=outcome,
        indicators=rows,
        total_score=total,
        grade=grade,
        source=source,
        warnings=form.warnings,
        fields=form.fields,
    )


_LONG_HEADER_VALUE = 120


def _read_value(form: _Form, items: list[_Found] | None, path: str) -> _Found | None:
    """Pick the label found for ``path`` and mark the field read, blank or not found.

    Returns the label found (its value None when the cell is blank), or None when not found.
    """
    item = _pick(items)
    if item is None:
        form.mark(path, "not_found", None)
    elif item.value is None:
        form.mark(path, "blank", item.at or item.label)
    else:
        form.mark(path, "read", item.at)
    return item


@lru_cache(maxsize=1)
def _label_pattern() -> re.Pattern[str]:
    # The thesaurus' labels of four characters or more: shorter ones (年度, 单位, 资金) are words a
    # goal uses; the longest first, so that 年度资金总额 is one label, not 资金总额 inside it.
    labels = sorted((lb for lb in all_labels() if len(lb) >= 4), key=len, reverse=True)
    return re.compile("|".join(re.escape(lb) for lb in labels))


def _labels_inside(value: str) -> list[str]:
    """Return the distinct labels of the form found inside ``value``, in their order."""
    return list(dict.fromkeys(_label_pattern().findall(value)))


def _text_field(form: _Form, found: dict[str, list[_Found]], key: str, path: str) -> str | None:
    item = _read_value(form, found.get(key), path)
    if item is None or item.value is None:
        return None
    if len(item.value) >= 12 and len(inside := _labels_inside(item.value)) >= 2:
        # A value that holds two of the form's labels ran into other cells: extracted text whose
        # columns came out one after the other puts the table's headers inside a goal.
        form.warn(
            "JX-W115",
            f"「{item.label.key.label}」的内容里有表格其他栏目的名称（{'、'.join(inside[:3])}），可能混入了表格其他部分",
            f"the value of '{item.label.key.label}' holds the names of other parts of the form "
            f"({', '.join(inside[:3])}); it may have run into them",
            item.at,
            path,
        )
        return item.value
    if path.startswith("project.") and len(item.value) > _LONG_HEADER_VALUE:
        form.warn(
            "JX-W113",
            f"「{item.label.key.label}」的内容长达 {len(item.value)} 个字，可能混入了表格其他部分",
            f"the value of '{item.label.key.label}' is {len(item.value)} characters long; it may hold other "
            "parts of the form",
            item.at,
            path,
        )
    return item.value


def _project(form: _Form, found: dict[str, list[_Found]]) -> Project:
    name = _text_field(form, found, "name", "project.name")
    if not name:
        form.warn(
            "JX-W101",
            "未找到项目名称"
            if "project.name" not in form.fields or form.fields["project.name"].status == "not_found"
            else "项目名称为空",
            "project name not found"
            if form.fields["project.name"].status == "not_found"
            else "the project name is empty",
            _where_name(found) or form.title,
            "project.name",
        )
    project = Project(name=name or "")
    for key in ("category", "nature", "competent_department", "implementing_unit"):
        setattr(project, key, _text_field(form, found, key, f"project.{key}"))
    for key in ("start_date", "end_date"):
        text = _text_field(form, found, key, f"project.{key}")
        if text:
            setattr(project, key, _date(form, text, _pick(found.get(key)), f"project.{key}"))
    period = _pick(found.get("period"))
    if period is not None and period.value and (project.start_date is None or project.end_date is None):
        start, end = _period(period.value)
        if start and end:
            project.start_date = project.start_date or start
            project.end_date = project.end_date or end
            for key in ("start_date", "end_date"):
                if form.fields[f"project.{key}"].status != "read":
                    form.mark(f"project.{key}", "read", period.at)
    return project


def _where_name(found: dict[str, list[_Found]]) -> _C | None:
    item = _pick(found.get("name"))
    return None if item is None else (item.at or item.label)


def _date(form: _Form, text: str, item: _Found | None, path: str) -> date | None:
    try:
        return parse_date(text)
    except DateError as exc:
        form.warn("JX-W104", exc.message_zh, exc.message_en, item.at if item else None, path)
        return None


_DATE_IN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_MONTHS_IN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*[-—~至到]+\s*(?:(\d{4})\s*年)?\s*(\d{1,2})\s*月")


def _period(text: str) -> tuple[date | None, date | None]:
    """Return the start and end of a 项目起止时间 such as ``2025年1月-12月`` or two dates."""
    s = fold(text)
    dates = _DATE_IN.findall(s)
    try:
        if len(dates) >= 2:
            return (date(*map(int, dates[0])), date(*map(int, dates[1])))
        if m := _MONTHS_IN.search(s):
            y0, m0, y1, m1 = int(m[1]), int(m[2]), int(m[3] or m[1]), int(m[4])
            nxt = date(y1 + (m1 == 12), m1 % 12 + 1, 1)
            return date(y0, m0, 1), date.fromordinal(nxt.toordinal() - 1)
    except ValueError:
        return None, None
    return None, None


def _funding(form: _Form, found: dict[str, list[_Found]], units: _Units) -> Funding:
    funding = Funding()
    total = _pick(found.get("total"))
    annual = _pick(found.get("annual"))

    def side(item: _Found) -> str:
        if total is not None and annual is not None and total.label.gi == annual.label.gi == item.label.gi:
            if annual.col > total.col:
                return "annual" if item.col >= annual.col else "total"
            if annual.col == total.col:
                above = [x for x in (total, annual) if x.row <= item.row]
                nearest = max(above, key=lambda x: x.row) if above else total
                return "annual" if nearest is annual else "total"
        if annual is not None and total is None:
            return "annual"
        if total is not None and annual is None:
            return "total"
        return "annual" if item.field == "other" else "total"

    sided: dict[str, list[_Found]] = {}
    for key in ("total_fiscal", "other"):
        items = found.get(key, [])
        by_side: dict[str, list[_Found]] = {"total": [], "annual": []}
        for item in items:
            by_side[side(item)].append(item)
        if len(by_side["total"]) >= 2 and not by_side["annual"]:
            by_side["annual"] = by_side["total"][1:]  # the second one stands under this year's total
            by_side["total"] = by_side["total"][:1]
        elif len(by_side["annual"]) >= 2 and not by_side["total"] and total is not None:
            by_side["total"] = by_side["annual"][:1]
            by_side["annual"] = by_side["annual"][1:]
        names = {
            "total_fiscal": ("total_fiscal", "annual_appropriation"),
            "other": ("total_other", "annual_other"),
        }
        t_name, a_name = names[key]
        sided.setdefault(t_name, []).extend(by_side["total"])
        sided.setdefault(a_name, []).extend(by_side["annual"])
    merged = dict(found)
    for name, items in sided.items():
        merged[name] = merged.get(name, []) + items if name in ("annual_appropriation",) else items
    labels = {
        "total": "项目资金总额",
        "total_fiscal": "财政资金",
        "total_other": "其他资金",
        "annual": "年度资金总额",
        "annual_appropriation": "当年财政拨款",
        "annual_carryover": "上年结转资金",
        "annual_other": "其他资金",
    }
    for key, what in labels.items():
        path = f"funding.{key}"
        chosen = _read_value(form, merged.get(key), path)
        if chosen is None or chosen.value is None:
            continue
        unit = units.unit_for(chosen.label, chosen.unit)
        setattr(
            funding,
            key,
            _printed_amount(form, chosen.value, unit, chosen.at, path, chosen.label.key.label or what),
        )
    return funding


def _goals(form: _Form, found: dict[str, list[_Found]], keys: tuple[str, str]) -> Goals:
    overall = _text_field(form, found, keys[0], "goals.overall")
    annual = _text_field(form, found, keys[1], "goals.annual")
    if overall is None and annual is None:
        form.warn(
            "JX-W109", "未找到项目目标（项目总目标/年度目标）", "project goals not found", form.title, "goals"
        )
    return Goals(overall=overall, annual=annual)


# --- the indicator table --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Columns:
    gi: int
    cols: dict[str, tuple[int, int]]  # key -> (first col, span)
    xs: dict[str, tuple[float, float]]  # key -> horizontal extent, when the grid has geometry


def _columns(form: _Form, row: _Row, rows: list[_Row], k: int) -> tuple[_Columns, int]:
    """Map the header row's columns by name; a second header row (指标性质 | 指标值 | 度量单位) refines it.

    Returns the mapping and the number of header rows used.
    """
    groups: list[dict[str, _C]] = [{}]
    for c in row.cells:
        key = INDICATOR_COLUMNS.get(c.key.label) if c.label else None
        if key is None:
            continue
        if key in groups[-1]:
            if key == "name" or "name" in groups[-1]:
                groups.append({})
            else:
                continue
        groups[-1][key] = c
    chosen = groups[-1]
    if len(groups) > 1:
        chosen = next((grp for grp in groups if any("年度" in _above(row, grp[k]) for k in grp)), groups[-1])
        form.warn(
            "JX-W131",
            "指标表有并排的两组列（如中期与年度），只读取了其中一组",
            "the indicator table has two sets of columns side by side (e.g. mid-term and annual); only one was read",
            next(iter(chosen.values())),
            "indicators",
        )
    for key in ("level1", "level2"):
        if key in chosen:
            continue
        # A two-row header (一级指标 merged over both rows, 中期指标 | 年度指标 above their columns):
        # the level column starts in the row above and covers this one.
        for col in range(row.g.n_cols):
            spanning = row.g.cover.get((row.row, col))
            if (
                spanning is not None
                and spanning.row < row.row
                and spanning.label
                and INDICATOR_COLUMNS.get(spanning.key.label) == key
            ):
                chosen[key] = spanning
                break
    used = 1
    if k + 1 < len(rows) and rows[k + 1].g is row.g:
        sub = rows[k + 1]
        subkeys = {INDICATOR_COLUMNS.get(c.key.label): c for c in sub.cells if c.label}
        subkeys.pop(None, None)
        if subkeys and not any(not c.label and not _is_empty(c.text) for c in sub.cells):
            for key, c in subkeys.items():
                if key is not None and (
                    key not in chosen or chosen[key].cell.row_span == 1 or key != "target"
                ):
                    chosen[key] = c
            if "target_op" in chosen or "target_unit" in chosen:
                # the parent 年度指标值 cell spans the split columns; its value column is 指标值
                tv = next((c for c in sub.cells if c.key.label in ("指标值", "目标值")), None)
                if tv is not None:
                    chosen["target"] = tv
            used = 2
    cols = {key: (c.col, c.cell.col_span) for key, c in chosen.items()}
    xs = {}
    for key, c in chosen.items():
        bbox = c.cell.origin.bbox
        if bbox is not None:
            xs[key] = (bbox[0], bbox[2])
    return _Columns(row.g.gi, cols, xs), used


def _above(row: _Row, c: _C) -> str:
    """Return the texts of the cells above ``c`` in its grid (to tell 中期 from 年度 tables)."""
    texts = []
    for r in range(max(0, c.row - 3), c.row):
        above = row.g.cover.get((r, c.col))
        # a line across the whole table (the title, "（2024年度）") heads both tables, not one
        if above is not None and above.cell.col_span * 2 <= max(row.g.n_cols, 1):
            texts.append(above.text)
    return "".join(texts)


def _row_cells(row: _Row, columns: _Columns) -> dict[str, _C | None]:
    """Return the row's cell under each mapped column (merged cells from rows above included)."""
    if row.g.gi == columns.gi:
        cover = row.g.cover
        r = row.row
        return {key: cover.get((r, col)) for key, (col, _span) in columns.cols.items()}
    return {key: _cell_for(row, columns, key) for key in columns.cols}


def _cell_for(row: _Row, columns: _Columns, key: str) -> _C | None:
    if row.g.gi == columns.gi or key not in columns.xs:
        col, _span = columns.cols[key]
        return row.g.cover.get((row.row, col))
    x0, x1 = columns.xs[key]
    mid = (x0 + x1) / 2
    for c in row.cells:
        bbox = c.cell.origin.bbox
        if bbox is not None and bbox[0] <= mid <= bbox[2]:
            return c
    return None


@lru_cache(maxsize=4096)
def _level(text: str, depth: int) -> str:
    key = label_key(text).label
    found = LEVEL_NAMES.get(key)
    if found is not None and found[0] == depth:
        return found[1]
    return key


def _is_level(text: str, depth: int) -> bool:
    found = LEVEL_NAMES.get(label_key(text).label)
    return found is not None and found[0] == depth


def _continue_row(
    form: _Form, out: list[EvaluatedIndicator], cells: dict[str, _C | None], row: _Row, n: int
) -> bool:
    """Join a row cut by a page break to the last indicator; return False if it is a row of its own.

    A row of its own has both a name and a target; a cut row's remainder lacks one of them and
    carries only fragments (``标`` of 服务对象满意度指标, ``率`` of a name). A merged 一级/二级
    label printed again at the top of the page is a repeat, not a fragment.
    """
    own = _owner(cells, row)
    parts = {
        key: c
        for key in ("level1", "level2", "name", "target", "actual", "deviation_note")
        if (c := own(key)) is not None and not _is_empty(c.text)
    }
    if not parts or ("name" in parts and "target" in parts):
        return False
    last = out[-1]
    levels: dict[str, str] = {}
    for key, depth in (("level1", 1), ("level2", 2)):
        if key not in parts:
            continue
        old, fragment = getattr(last, key), parts.pop(key).raw
        if _level(fragment, depth) == old:
            continue  # the merged label repeated on the new page
        if _is_level(old + fragment, depth) and not _is_level(old, depth):
            levels[key] = _level(old + fragment, depth)  # the remainder of a cut level name
            continue
        return False  # a new level: the rows below it say what it holds
    for key, new in levels.items():
        old = getattr(last, key)
        for ind in reversed(out):  # every indicator under the cut merged cell
            if getattr(ind, key) != old:
                break
            setattr(ind, key, new)
    if not parts:
        return True
    path = f"indicators[{n}]"
    if "name" in parts:
        last.name += parts["name"].raw
    if "target" in parts:
        last.target = _target(form, last.target.text + parts["target"].raw, None, parts["target"], path)
    if "actual" in parts:
        last.actual = (last.actual or "") + parts["actual"].raw
    if "deviation_note" in parts:
        last.deviation_note = (last.deviation_note or "") + parts["deviation_note"].raw
    first = next(iter(parts.values()))
    text = "、".join(c.raw for c in parts.values())
    form.warn(
        "JX-W132",
        f"指标行跨页：已把下一页开头的「{text}」接到第 {n + 1} 个指标",
        f"an indicator row continues on the next page: '{text}' was joined to indicator {n + 1}",
        first,
        path,
    )
    return True


def _indicator_rows(form: _Form, table_at: int | None) -> tuple[list[EvaluatedIndicator], _Row | None]:
    """Return the indicators of the form's table and the 总分 row, if any."""
    if table_at is None:
        form.table_not_found(
            "indicators", "未找到绩效指标表（一级指标 二级指标 三级指标 指标值）", "indicator table not found"
        )
        return [], None
    rows = form.rows
    columns, used = _columns(form, rows[table_at], rows, table_at)
    out: list[EvaluatedIndicator] = []
    level1 = level2 = ""
    last1: _C | None = None
    k = table_at + used
    total_row: _Row | None = None
    header_cell = rows[table_at].cells[0]
    last_gi = rows[table_at].g.gi
    while k < len(rows):
        row = rows[k]
        k += 1
        if row.labelled:
            if _is_indicator_header(row):  # repeated on a continuation page
                columns, used = _columns(form, row, rows, k - 1)
                k += used - 1
                continue
            if _is_budget_header(row):
                break
        if row.row in row.g.total_rows:  # _has_total(row), written out
            total_row = row
            break
        cells = _row_cells(row, columns)
        name_c, target_c = cells.get("name"), cells.get("target")
        if name_c is not None and name_c is target_c:
            continue  # one cell across name and target: a note or footer row, not an indicator
        if out and row.g.gi != last_gi and _continue_row(form, out, cells, row, len(out) - 1):
            # the first row on a new page finishes the row the page break cut (LibreOffice Writer
            # breaks a row inside its cells): its fragments belong to the last indicator
            level1, level2 = out[-1].level1, out[-1].level2
            last_gi = row.g.gi
            continue
        l1 = cells.get("level1")
        if l1 is not None and not _is_empty(l1.text):
            new1 = _level(l1.raw, 1)
            if l1 is not last1 and new1 != level1:
                level2 = ""
            level1, last1 = new1, l1
        l2 = cells.get("level2")
        if l2 is not None and not _is_empty(l2.text):
            level2 = _level(l2.raw, 2)

        # With no merged cell in the grid, every cell under a column starts in this row.
        own = cells.get if row.g.spans is False and row.g.gi == columns.gi else _owner(cells, row)

        name = own("name")
        name_text = name.raw if name is not None and not _is_empty(name.text) else ""
        if "target_op" in columns.cols or "target_unit" in columns.cols:
            target_text, target_at, bad_op = _target_text(form, own, len(out))
        else:  # _target_text's first case, written out: one column holds the whole target
            target_at, bad_op = own("target"), None
            target_text = target_at.raw if target_at is not None and target_at.text not in _EMPTY else ""
        if not name_text and not target_text:
            continue
        if not target_text and (_PLACEHOLDER.match(name_text or "…") or _PAGE_FOOTER.match(name_text)):
            continue  # 指标1 / …… placeholders, and a page footer (第 1 页 共 2 页) under the table
        path = f"indicators[{len(out)}]"
        if not target_text:
            form.warn(
                "JX-W105",
                f"三级指标「{name_text}」没有指标值",
                f"indicator '{name_text}' has no target value",
                target_at or name,
                path + ".target",
            )
            continue
        if not name_text:
            form.warn(
                "JX-W106",
                f"指标值「{target_text}」前没有三级指标名称",
                f"target value '{target_text}' has no indicator name",
                name or target_at,
                path + ".name",
            )
        if not level1 or not level2:
            form.warn(
                "JX-W107",
                "指标缺少一级或二级指标",
                "indicator without a level-1 or level-2 category",
                name or target_at,
                path,
            )
        target = _target(form, target_text, bad_op, target_at, path)
        ind = EvaluatedIndicator(level1, level2, name_text, target)
        if form.kind in ("self_evaluation", "department_self_evaluation"):
            actual = own("actual")
            ind.actual = actual.raw if actual is not None and not _is_empty(actual.text) else None
            for key, what in (("weight", "分值"), ("score", "得分")):
                c = own(key)
                setattr(ind, key, _decimal(form, c.raw if c else None, c, f"{path}.{key}", what))
            note = own("deviation_note")
            ind.deviation_note = note.raw if note is not None and not _is_empty(note.text) else None
        out.append(ind)
        last_gi = row.g.gi
    if not out:
        form.warn(
            "JX-W108",
            "绩效指标表中没有指标",
            "the indicator table has no indicators",
            header_cell,
            "indicators",
        )
        form.mark("indicators", "blank", header_cell)
    else:
        form.mark("indicators", "read", header_cell)
    return out, total_row


def _has_total(row: _Row) -> bool:
    """Whether a cell of the row is 总分 or 合计 (as a label or as its text)."""
    return row.row in row.g.total_rows


def _owner(cells: dict[str, _C | None], row: _Row) -> Callable[[str], _C | None]:
    """Return ``own(key)``: the row's cell in column ``key`` if it starts in this row, else None."""
    r = row.row
    gi = row.g.gi
    # a dict's get: each own(key) is one call in C (a table row asks for four to eight columns)
    return {key: c for key, c in cells.items() if c is not None and c.row == r and c.gi == gi}.get


def _target_text(form: _Form, own: Any, n: int) -> tuple[str, _C | None, _C | None]:
    """Return the printed target, joined from 指标性质 | 指标值 | 度量单位 when the form splits it.

    The third item is the 指标性质 cell when it holds no known comparator (a font may extract
    ``≥`` as ``2``): the caller warns and keeps the target uninterpreted rather than guess.
    """
    value = own("target")
    op = own("target_op")
    unit = own("target_unit")
    text = value.raw if value is not None and not _is_empty(value.text) else ""
    if op is None and unit is None:
        return text, value, None
    if not text:
        return "", value or op, None
    op_text = "".join(fold(op.raw).split()) if op is not None and not _is_empty(op.text) else ""
    unit_text = "".join(unit.raw.split()) if unit is not None and not _is_empty(unit.text) else ""
    compact = "".join(text.split())
    if unit_text and not compact.endswith(unit_text):
        compact += unit_text
    if op_text in _QUALITATIVE_OPS or not op_text:
        return compact, value, None
    if op_text not in _OPS:
        return op_text + compact, value, op
    printed = "".join(op.raw.split()) if op is not None else ""
    # target.text is the value as printed (DESIGN.md): keep a printed ≥ or ＞; a comparator written
    # as a word (大于等于) becomes the symbol the target grammar reads.
    prefix = printed if len(printed) <= 2 else _OPS[op_text]
    return prefix + compact, value, None


def _target(form: _Form, text: str, bad_op: _C | None, at: _C | None, path: str) -> Target:
    if bad_op is not None:
        form.warn(
            "JX-W122",
            f"指标性质「{bad_op.raw}」不是 ≥ ≤ = ＞ ＜ 或 定性（「≥」在某些字体中会被提取为「2」），指标值未解释",
            f"the 指标性质 '{bad_op.raw}' is none of ≥ ≤ = > < 定性 (some fonts extract '≥' as '2'); "
            "the target is left uninterpreted",
            bad_op,
            path + ".target",
        )
        return Target.invalid(text, "指标性质无法识别")
    target = try_parse_target(text)
    if (
        target.kind == "numeric"
        and target.unit == "%"
        and target.value is not None
        and target.value > 100
        and "".join(fold(text).split()).startswith("2")
    ):
        form.warn(
            "JX-W122",
            f"指标值「{text}」超过 100%，可能是「≥」被字体提取成了「2」（如 290% 即 ≥90%），请核对原表",
            f"target '{text}' is above 100%; a '≥' may have been extracted as '2' (290% for ≥90%); check the form",
            at,
            path + ".target",
        )
    return target


# --- the self-evaluation's budget block and total ----------------------------------------------------------


def _budget_row(row: _Row) -> bool:
    return any(c.label and c.key.label in BUDGET_ROWS for c in row.cells)


def _budget(form: _Form, rows: list[_Row], at: int | None, units: _Units) -> BudgetExecution:
    budget = BudgetExecution()
    if at is None:
        form.warn(
            "JX-W603",
            "未找到项目资金表头（年初预算数、全年预算数、全年执行数）",
            "the budget header (年初预算数, 全年预算数, 全年执行数) is missing",
            form.title,
            "budget",
        )
        for key in ("initial", "adjusted", "executed", "weight", "execution_rate", "score"):
            form.mark(f"budget.{key}", "not_found", None)
        return budget
    header = rows[at]
    cols: dict[str, tuple[int, int]] = {}
    header_unit = None
    for hc in header.cells:
        hkey = BUDGET_COLUMNS.get(hc.key.label) if hc.label else None
        if hkey is not None and hkey not in cols:
            cols[hkey] = (hc.col, hc.cell.col_span)
        if hc.key.unit:
            header_unit = hc.key.unit
    seen_total = False
    for row in rows[at + 1 :]:
        label = next((c for c in row.cells if c.label and c.key.label in BUDGET_ROWS), None)
        if label is None:
            if seen_total and any(c.label for c in row.cells):
                break
            continue
        which = BUDGET_ROWS[label.key.label]
        unit = units.unit_for(label, label.key.unit or header_unit)
        values: dict[str, Any] = {}
        for key, (col, _span) in cols.items():
            c = row.g.cover.get((row.row, col))
            if c is None or c is label:
                values[key] = (None, None)
                continue
            values[key] = (c.raw if not _is_empty(c.text) else None, c)
        if which == "total":
            seen_total = True
            for key in ("initial", "adjusted", "executed"):
                text, c = values.get(key, (None, None))
                path = f"budget.{key}"
                form.mark(path, "read" if text else ("blank" if key in cols else "not_found"), c or label)
                if text:
                    setattr(budget, key, _printed_amount(form, text, unit, c, path, BUDGET_LABELS[key]))
            for key, what in (("weight", "分值"), ("execution_rate", "执行率"), ("score", "得分")):
                text, c = values.get(key, (None, None))
                path = f"budget.{key}"
                form.mark(path, "read" if text else ("blank" if key in cols else "not_found"), c or label)
                setattr(budget, key, _decimal(form, text, c, path, what))
            if budget.executed is None:
                form.warn(
                    "JX-W604",
                    "年度资金总额缺少全年执行数",
                    "the 年度资金总额 row has no amount executed",
                    label,
                    "budget.executed",
                )
        else:
            amounts: dict[str, Decimal | None] = {}
            for key in ("initial", "adjusted", "executed"):
                text, c = values.get(key, (None, None))
                amounts[key] = (
                    _printed_amount(form, text, unit, c, f"budget.lines.{which}.{key}", BUDGET_LABELS[key])
                    if text
                    else None
                )
            printed = any(
                (cell := values.get(key, (None, None))[1]) is not None and cell.text
                for key in ("initial", "adjusted", "executed")
            )
            if printed:  # a row printed with dashes is kept; a row left empty is not
                budget.lines[which] = BudgetLine(**amounts)
    if not seen_total:
        form.warn("JX-W603", "未找到「年度资金总额」一行", "no 年度资金总额 row", header.cells[0], "budget")
    return budget


BUDGET_LABELS = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}
_GRADE = re.compile(r"(?:等级|结论)?[:：]?\s*([优良中差])")


def _total(
    form: _Form, row: _Row | None, found: dict[str, list[_Found]]
) -> tuple[Decimal | None, str | None]:
    total: Decimal | None = None
    grade: str | None = None
    if row is None:
        form.mark("total_score", "not_found", None)
        form.warn("JX-W611", "未找到总分", "no total score found", form.title, "total_score")
    else:
        label_at = next(k for k, c in enumerate(row.cells) if c.key.label in ("总分", "合计"))
        numbers: list[_C] = []
        for c in row.cells[label_at + 1 :]:
            if _is_empty(c.text):
                continue
            if "等级" in c.text or c.text in ("优", "良", "中", "差"):
                if m := _GRADE.search(c.text):
                    grade = m.group(1)
                continue
            numbers.append(c)
        # "总分 | 100 | 98.62": full marks, then the total; a lone number other than 100 is the total.
        pick = (
            numbers[-1]
            if len(numbers) > 1
            else (numbers[0] if numbers and numbers[0].text != "100" else None)
        )
        if pick is None:
            form.mark("total_score", "blank", row.cells[label_at])
        else:
            form.mark("total_score", "read", pick)
            total = _decimal(form, pick.raw, pick, "total_score", "总分")
    if grade is None:
        item = _pick(found.get("grade"))
        if item is not None and item.value and (m := _GRADE.search(item.value)):
            grade = m.group(1)
    return total, grade
