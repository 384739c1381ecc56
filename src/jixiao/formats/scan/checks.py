"""What only a scan needs after reading: OCR's confusions corrected where unambiguous, doubts warned.

Recognition confuses a few shapes in this domain: 目/日, 元/兀, 1/l/I, 0/O, ``%``/``°``. A reading is
corrected only where something outside the picture makes it unambiguous, and each correction is a
warning (JX-W491) naming the page and cell, so a person can see what was changed:

* the label thesaurus: a cell one confusion away from exactly one known label (计划开始目期 →
  计划开始日期), or a title line close to exactly one form title;
* the amount format: a thousands separator read as another mark (``480;000.00`` → ``480,000.00``);
* the target grammar (:mod:`jixiao.domain.targets`): a 指标目标值 that the grammar cannot read as
  printed but reads as a number once a letter next to digits is taken for the digit it resembles
  (``≥9O%`` → ``≥90%``, ``l00%`` → ``100%``), ``兀`` as ``元``, and ``°`` as ``%`` for a rate.

Every field read from a cell whose recognition confidence is below ``JIXIAO_OCR_MIN_CONFIDENCE``
(read when the check runs; default :data:`DEFAULT_MIN_CONFIDENCE`) is kept and warned about
(JX-W490) with its page and cell.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.model import (
    Declaration,
    Document,
    EvaluatedIndicator,
    Indicator,
    ParseWarning,
    SelfEvaluation,
)
from jixiao.domain.money import parse_amount
from jixiao.domain.targets import try_parse_target
from jixiao.formats.grid import Cell, Grid

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "Note",
    "check_documents",
    "correct_grids",
    "correct_target",
    "min_confidence",
]

DEFAULT_MIN_CONFIDENCE = 0.9

# Shapes the recogniser confuses in labels: each maps to the characters it may have been.
_LABEL_CONFUSIONS = {"目": "日", "日": "目", "兀": "元", "元": "兀", "己": "已", "已": "己"}


@dataclass(frozen=True, slots=True)
class Note:
    """A correction made to a scanned cell: where, what was read, what it became."""

    page: int | None
    row: int
    col: int
    before: str
    after: str
    why: str

    @property
    def cell(self) -> str:
        return f"R{self.row + 1}C{self.col + 1}"


def min_confidence() -> float:
    """Return the configured confidence below which a field is warned about (0..1)."""
    raw = os.environ.get("JIXIAO_OCR_MIN_CONFIDENCE", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_MIN_CONFIDENCE
    except ValueError:
        return DEFAULT_MIN_CONFIDENCE
    return min(1.0, max(0.0, value))


def _labels() -> set[str]:
    from jixiao.formats.thesaurus import all_labels

    return set(all_labels())


def _titles() -> list[tuple[str, str]]:
    from jixiao.formats.thesaurus import TITLES

    return [(title, kind) for title, kind in TITLES if kind != "monitoring"]


def _squash(text: str) -> str:
    return "".join(text.split())


def _label_fix(text: str, labels: set[str]) -> str | None:
    """Return the one label that ``text`` is a single confusion away from, or None."""
    s = _squash(text)
    prefix = ""
    for p in ("其中：", "其中:"):
        if s.startswith(p):
            prefix, s = p, s[len(p) :]
    s = s.rstrip(":：")
    if len(s) < 3 or s in labels:
        return None
    # Dust after a label reads as a full stop or comma (其中：财政资金。): no label ends with one.
    stripped = s.rstrip("。，、.,")
    if stripped != s and stripped in labels:
        return prefix + stripped
    found = set()
    for i, ch in enumerate(s):
        for alt in _LABEL_CONFUSIONS.get(ch, ""):
            candidate = s[:i] + alt + s[i + 1 :]
            if candidate in labels:
                found.add(candidate)
    if len(found) != 1:
        return None
    return prefix + found.pop()


def _title_fix(text: str) -> str | None:
    """Return the form title that a free line is close to (one title only), keeping what surrounds it."""
    s = _squash(text)
    titles = dict(_titles())
    if any(t in s for t in titles) or len(s) > 40:
        return None
    best: list[tuple[float, int, str, int, int]] = []
    for title in titles:
        matcher = difflib.SequenceMatcher(None, s, title, autojunk=False)
        # Compare with the stretch of the line that lines up with the title.
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        start = max(0, blocks[0].a - blocks[0].b)
        end = min(len(s), start + len(title))
        ratio = difflib.SequenceMatcher(None, s[start:end], title, autojunk=False).ratio()
        best.append((ratio, len(title), title, start, end))
    good = [b for b in best if b[0] >= 0.75]
    if not good:
        return None
    good.sort(reverse=True)
    # A 申报表 and a 自评表 share most characters: the reading must be clearly closer to one kind.
    close = {titles[g[2]] for g in good if good[0][0] - g[0] < 0.1}
    if len(close) > 1:
        return None
    _ratio, _size, title, start, end = good[0]
    return s[:start] + title + s[end:]


# An amount's thousands separator read as another mark (1,559;500.00): the only reading of a
# number shaped d{1,3}(sep d{3})+ is with commas.
_AMOUNT_SHAPE = re.compile(r"^\d{1,3}(?:[,;:：，；]\d{3})+(?:\.\d{1,2})?$")


def _amount_fix(text: str) -> str | None:
    s = _squash(text)
    if not _AMOUNT_SHAPE.match(s) or not re.search(r"[;:：，；]", s):
        return None
    fixed = re.sub(r"[;:：，；]", ",", s)
    try:
        parse_amount(fixed)
    except Exception:  # pragma: no cover - the shape above always parses
        return None
    return fixed


def correct_grids(grids: list[Grid]) -> tuple[list[Grid], list[Note]]:
    """Return the grids with label and title confusions corrected, and a note for each correction."""
    labels = _labels()
    notes: list[Note] = []
    out: list[Grid] = []
    for grid in grids:
        cells: list[Cell] = []
        for cell in grid.cells:
            fixed: str | None = None
            why = ""
            if cell.text:
                fixed = _label_fix(cell.text, labels)
                why = "label"
                if fixed is None:
                    fixed = _amount_fix(cell.text)
                    why = "amount"
                if fixed is None and cell.row <= 2:
                    fixed = _title_fix(cell.text)
                    why = "title"
            if fixed is not None and fixed != _squash(cell.text):
                notes.append(Note(cell.origin.page or grid.page, cell.row, cell.col, cell.text, fixed, why))
                cell = cell._replace(text=fixed)
            cells.append(cell)
        out.append(Grid(cells, source=grid.source, file=grid.file, page=grid.page, sheet=grid.sheet))
    return out, notes


# --- targets -------------------------------------------------------------------------------------

_DIGIT_LIKE = {"O": "0", "o": "0", "〇": "0", "D": "0", "l": "1", "I": "1", "|": "1", "丨": "1"}
_NEAR_DIGIT = re.compile(r"(?<=[0-9.])[OoDlI|丨〇]|[OoDlI|丨〇](?=[0-9.%])")
_RATE_NAME = re.compile(r"(率|满意度|比例|占比|百分比)")


def correct_target(text: str, indicator_name: str = "") -> tuple[str, str] | None:
    """Return ``(corrected, why)`` when the grammar reads ``text`` only after fixing OCR's confusions.

    None when ``text`` reads as printed, or when no single correction makes it read.
    """
    printed = try_parse_target(text)
    fixed = text
    reasons = []
    if "兀" in fixed:
        fixed = fixed.replace("兀", "元")
        reasons.append("兀→元")
    for _ in range(len(fixed)):
        m = _NEAR_DIGIT.search(fixed)
        if not m:
            break
        ch = m.group(0)
        fixed = fixed[: m.start()] + _DIGIT_LIKE[ch] + fixed[m.end() :]
        reasons.append(f"{ch}→{_DIGIT_LIKE[ch]}")
    if re.search(r"\d°$", fixed) and _RATE_NAME.search(indicator_name):
        fixed = fixed[:-1] + "%"
        reasons.append("°→%")
    if fixed == text:
        return None
    after = try_parse_target(fixed)
    if after.kind in ("invalid", "qualitative"):
        return None
    if (
        printed.kind not in ("invalid", "qualitative")
        and printed.unit == after.unit
        and printed.value == after.value
    ):
        return None
    return fixed, "，".join(dict.fromkeys(reasons))


# --- documents -----------------------------------------------------------------------------------


def _project_fields(doc: Document) -> Iterator[tuple[str, str]]:
    """Yield ``(field path, printed text)`` for the header fields a person checks on a form."""
    p = doc.project
    for name in ("name", "category", "nature", "competent_department", "implementing_unit"):
        value = getattr(p, name, None)
        if isinstance(value, str) and value:
            yield f"project.{name}", value


def _indicator_fields(doc: Document, n: int) -> Iterator[tuple[str, str]]:
    ind = doc.indicators[n]
    yield f"indicators[{n}].level1", ind.level1
    yield f"indicators[{n}].level2", ind.level2
    yield f"indicators[{n}].name", ind.name
    yield f"indicators[{n}].target", ind.target.text
    for attr in ("actual", "weight", "score"):
        value = getattr(ind, attr, None)
        if value is not None:
            yield f"indicators[{n}].{attr}", str(getattr(value, "text", value))


def _matches(cell_text: str, value: str) -> bool:
    a, b = _squash(cell_text), _squash(value)
    return bool(a) and (a == b or (len(a) >= 4 and a in b))


def _amounts(doc: Document) -> Iterator[tuple[str, Decimal]]:
    if isinstance(doc, Declaration):
        for name in ("total", "total_fiscal", "other", "annual", "annual_appropriation", "annual_carryover"):
            value = getattr(doc.funding, name, None)
            if isinstance(value, Decimal):
                yield f"funding.{name}", value


def _doc_pages(docs: list[Document], grids: list[Grid]) -> list[set[int | None]]:
    """Return the pages each document was read from (a form runs until the next form's page)."""
    starts = [d.source.page for d in docs]
    all_pages = [g.page for g in grids]
    out: list[set[int | None]] = []
    for i, start in enumerate(starts):
        nxt = next((s for s in starts[i + 1 :] if s is not None), None)
        if start is None:
            out.append(set(all_pages))
            continue
        out.append({p for p in all_pages if p is not None and p >= start and (nxt is None or p <= nxt)})
    return out


def _warn(doc: Document, warning: ParseWarning) -> None:
    if isinstance(doc, Declaration | SelfEvaluation):
        doc.warnings.append(warning)


def _low_cells(grids: Iterable[Grid], pages: set[int | None], threshold: float) -> list[tuple[Grid, Cell]]:
    return [
        (g, c)
        for g in grids
        if g.page in pages
        for c in g.cells
        if c.text and c.origin.confidence is not None and c.origin.confidence < threshold
    ]


def _indicator_rows(
    doc: Document, grids: list[Grid], pages: set[int | None]
) -> list[tuple[int | None, int, int] | None]:
    """Return, for each indicator, the page and rows of the cell its name was read from."""
    cells = [(g.page, c) for g in grids if g.page in pages for c in g.cells if c.text]
    used: set[int] = set()
    out: list[tuple[int | None, int, int] | None] = []
    for ind in doc.indicators:
        found = None
        for k, (page, c) in enumerate(cells):
            if k not in used and _squash(c.text) == _squash(ind.name):
                used.add(k)
                found = (page, c.row, c.row + c.row_span)
                break
        out.append(found)
    return out


def _low_warning(path: str, grid: Grid, cell: Cell) -> ParseWarning:
    score = cell.origin.confidence or 0.0
    return ParseWarning(
        "JX-W490",
        f"「{cell.text}」识别置信度低（{score:.2f}），请对照原件核对",
        f"'{cell.text}' was recognised with low confidence ({score:.2f}); check it against the original",
        field=path,
        cell=cell.origin.cell or f"R{cell.row + 1}C{cell.col + 1}",
        page=cell.origin.page or grid.page,
    )


def _warn_low(doc: Document, grids: list[Grid], pages: set[int | None], low: list[tuple[Grid, Cell]]) -> None:
    rows = _indicator_rows(doc, grids, pages)
    amounts = list(_amounts(doc))
    warned: set[tuple[int, int, int | None]] = set()
    # The interpreter says where it read each header field (page and cell address): exact.
    by_place = {(g.page, c.origin.cell): (g, c) for g, c in low if c.origin.cell}
    for path, read in getattr(doc, "fields", {}).items():
        if path == "indicators":  # where the table was found (its header), not a value
            continue
        hit = by_place.get((read.page, read.cell)) if read.status == "read" and read.cell else None
        if hit is not None:
            grid, cell = hit
            _warn(doc, _low_warning(path, grid, cell))
            warned.add((cell.row, cell.col, grid.page))
    for grid, cell in low:
        if (cell.row, cell.col, grid.page) in warned:
            continue
        hits: list[str] = []
        for n, place in enumerate(rows):
            if place is None or place[0] != grid.page:
                continue
            if cell.row < place[2] and place[1] < cell.row + cell.row_span:
                hits += [path for path, value in _indicator_fields(doc, n) if _matches(cell.text, value)]
        if not hits:
            hits = [path for path, value in _project_fields(doc) if _matches(cell.text, value)]
        if not hits:
            try:
                amount = parse_amount(cell.text)
            except Exception:  # not an amount: nothing more to match
                amount = None
            hits = [path for path, value in amounts if amount is not None and value == amount]
        for path in dict.fromkeys(hits):
            _warn(doc, _low_warning(path, grid, cell))


_WHY_ZH = {"label": "标签词表", "title": "表名", "amount": "金额格式（千位分隔符）"}
_WHY_EN = {
    "label": "the label thesaurus",
    "title": "the form titles",
    "amount": "the amount format (thousands separator)",
}


def check_documents(docs: list[Document], grids: list[Grid], notes: list[Note]) -> list[Document]:
    """Add the scan's warnings to each document: corrections made, targets corrected, low confidence."""
    threshold = min_confidence()
    pages_of = _doc_pages(docs, grids)
    cell_of_text: dict[tuple[int | None, str], Cell] = {}
    for g in grids:
        for c in g.cells:
            if c.text:
                cell_of_text.setdefault((g.page, _squash(c.text)), c)
    for doc, pages in zip(docs, pages_of, strict=True):
        for note in notes:
            if note.page in pages:
                _warn(
                    doc,
                    ParseWarning(
                        "JX-W491",
                        f"识别结果「{note.before}」按{_WHY_ZH[note.why]}更正为「{note.after}」，请核对",
                        f"OCR read '{note.before}'; corrected to '{note.after}' by {_WHY_EN[note.why]}; please check",
                        cell=note.cell,
                        page=note.page,
                    ),
                )
        indicators: list[Indicator | EvaluatedIndicator] = list(doc.indicators)
        for n, ind in enumerate(indicators):
            fix = correct_target(ind.target.text, ind.name)
            if fix is None:
                continue
            fixed, why = fix
            cell = next(
                (
                    cell_of_text[(p, _squash(ind.target.text))]
                    for p in pages
                    if (p, _squash(ind.target.text)) in cell_of_text
                ),
                None,
            )
            page = cell.origin.page if cell else None
            where = (cell.origin.cell or f"R{cell.row + 1}C{cell.col + 1}") if cell else None
            _warn(
                doc,
                ParseWarning(
                    "JX-W491",
                    f"指标「{ind.name}」的目标值识别为「{ind.target.text}」，按目标值语法更正为「{fixed}」（{why}），请核对",
                    f"the target of '{ind.name}' was read as '{ind.target.text}'; corrected to '{fixed}' by the "
                    f"target grammar ({why}); please check",
                    field=f"indicators[{n}].target",
                    cell=where,
                    page=page,
                ),
            )
            ind.target = try_parse_target(fixed)
        low = _low_cells(grids, pages, threshold)
        if low:
            _warn_low(doc, grids, pages, low)
    return docs
