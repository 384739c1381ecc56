"""Extracted form text → cell grid (the text shapes of reference/form-layouts.md §4).

A PDF's text, once extracted, has lost its cells. This module rebuilds them, so that the one
interpreter (:mod:`jixiao.formats.interpret`) reads the text like any other grid. What the text
shape does to the form, and what the builder undoes (shared/seeds/README.md):

* several forms in one file, separated only by their titles (any title of the thesaurus);
* cells flattened into lines, ``label value label value`` on one line, blank cells dropped: a
  line is cut into cells at the thesaurus's labels (a label must stand at a word boundary);
* long cells wrapped mid-word ("建设完" / "成率"), sometimes with a blank line inside the cell;
* vertical labels one character a line ("项 目 绩 效 目 标", "绩 效 指 标");
* the indicator table flattened token by token: 一级/二级 names set the context, a target value
  closes an indicator, everything else is part of the 三级 name (the table's rows come back as
  rows of cells under the header's columns).

The builder knows the text's shape; which label is which field, units, fill-down and warnings are
the interpreter's. Each cell's origin is its line number in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, count, repeat
from operator import contains, eq, indexOf, itemgetter
from typing import Any

from jixiao.domain.bulk import gc_paused
from jixiao.domain.errors import InputError, Location, TargetError
from jixiao.domain.framework import LEVEL_NAMES
from jixiao.domain.model import Declaration, Document
from jixiao.domain.targets import IMPROVEMENT_WORDS, Target, parse_target
from jixiao.domain.text import fold
from jixiao.formats.grid import Cell, Grid, Note, Origin
from jixiao.formats.interpret import interpret, title_kind
from jixiao.formats.thesaurus import (
    DECLARATION_FIELDS,
    SECTION_LABELS,
    SELF_EVALUATION_FIELDS,
    label_key,
)

__all__ = [
    "DECLARATION_TITLE",
    "SELF_EVALUATION_TITLE",
    "TextGrid",
    "read_documents",
    "read_forms",
    "read_text_bytes",
    "text_grid",
    "text_grids",
]

DECLARATION_TITLE = "财政项目支出绩效目标申报表"
SELF_EVALUATION_TITLE = "财政项目支出绩效自评表"

_GOAL_FIELDS = frozenset({"overall", "annual_goal", "outcome"})
_GOAL_LABELS = frozenset(
    label
    for table in (DECLARATION_FIELDS, SELF_EVALUATION_FIELDS)
    for label, f in table.items()
    if f in _GOAL_FIELDS
)
_GOAL_PERIOD = re.compile(r"^[（(]\s*\d{4}\s*年?\s*[-—~至]\s*\d{4}\s*年?\s*[）)]$")
_TABLE_HEADER = re.compile(r"^一级指标\s*二级指标\s*三级指标")
_BUDGET_HEADER = re.compile(r"^(?:项目资金\S*\s+)?(?:年初预算数|全年预算数)\s")

# Header labels a line is cut at, longest first (项目资金总额 before 项目资金). Section labels are
# included so that they end the value before them; goal labels start the goals block instead.
_HEADER_LABELS = sorted(
    {
        label
        for table in (DECLARATION_FIELDS, SELF_EVALUATION_FIELDS)
        for label, f in table.items()
        if f not in _GOAL_FIELDS and f not in ("_total", "grade")
    }
    | SECTION_LABELS,
    key=len,
    reverse=True,
)
_HEADER_WORDS = frozenset(_HEADER_LABELS)
_UNIT_ONLY = re.compile(r"^[（(](?:万元|元)[)）]$")

# Words that make a short phrase a qualitative target (提升, 建立健全 …) rather than part of a name.
_QUALITATIVE_WORDS = (
    *IMPROVEMENT_WORDS,
    "降低",
    "减少",
    "下降",
    "减轻",
    "缩短",
    "健全",
    "建立",
    "形成",
    "覆盖",
    "及时",
    "落实",
    "完成",
    "达标",
    "合格",
    "到位",
    "明显",
    "显著",
    "有效",
    "良好",
    "稳定",
    "规范",
    "满意",
    "执行",
    "达到",
    "实现",
    "推进",
    "保障",
)
# Endings of indicator names (…率, …度, …性): a fragment ending so is a name, not a target.
_NAME_ENDINGS = ("率", "度", "性", "数", "量", "值", "额", "次", "比", "指数", "情况")
_WRAP_WIDTH = 12  # the name column of the Shanghai 2022 form wraps at 12 characters
_OPERATOR_ONLY = re.compile(r"^[<>=≥≤≧≦＞＜＝═]+$")
_MAX_UNIT_LENGTH = 4


# One line of the text: (its 1-based number in the file, its stripped text). A plain tuple, not a
# named one: a text of 10,000 forms has 800,000 lines, and a plain tuple costs a third of a named
# one to make and free (zip makes them in C); its fields are read as line[0] and line[1].
Line = tuple[int, str]
_text_of = itemgetter(1)  # a line's text, called from C


def _first_true(flags: Iterator[bool]) -> int | None:
    """Return the index of the first True of ``flags``, or None (the search runs in C)."""
    try:
        return indexOf(flags, True)
    except ValueError:
        return None


_new = tuple.__new__


@dataclass(slots=True)
class TextGrid:
    """Cells being built from a text, one grid row after another."""

    cells: list[Cell] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    next_row: int = 0
    origins: dict[int, Origin] = field(default_factory=dict)
    glued: bool = False  # the form came as cells glued on long lines (text shape c)

    def row(self, items: list[tuple[int, str, int]]) -> int:
        """Add one row of ``(column, text, line)`` cells; return its row index."""
        r = self.next_row
        origins = self.origins
        append = self.cells.append
        # Cell(...) and Origin(line=...) built by tuple.__new__: in C, no Python-level __new__
        # per cell (70 cells a form); one origin per line of the text, shared by its cells.
        for col, text, line in items:
            origin = origins.get(line)
            if origin is None:
                origin = origins[line] = _new(Origin, (None, None, None, None, line, None))
            append(_new(Cell, (r, col, text, 1, 1, origin)))
        self.next_row = r + 1
        return r

    def note(self, row: int, code: str, zh: str, en: str, line: int, path: str | None = None) -> None:
        """Record something the builder could not make into cells, for the document at ``row``."""
        self.notes.append(Note(row, code, zh, en, path, Origin(line=line)))

    def note_glued_goals(self, n_labels: int, groups: list[list[Line]], zh: str, en: str) -> None:
        """Warn (JX-W140) when goal texts under several labels came glued as one paragraph.

        Glued on one line, the goal texts have no boundary between them: all of it is left under
        the first label, and the reader says so rather than cut it somewhere.
        """
        if self.glued and n_labels > 1 and len(groups) == 1:
            self.note(self.next_row, "JX-W140", zh, en, groups[0][0][0], "goals")


def lines_of(text: str) -> list[Line]:
    """Return the text's lines, numbered from 1, stripped, whatever the line ends.

    A line holding a run of spaces, a tab, an ideographic or a no-break space has its whitespace
    made single spaces.
    """
    texts = list(map(str.strip, text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    # Whole-text checks first: most texts have none of these, and a per-line test of 800,000
    # lines (10,000 forms) costs as much as the split itself.
    for mark in ("  ", "\t", "\u3000", "\xa0"):
        if mark in text:
            texts = [
                " ".join(t.split()) if ("  " in t or "\t" in t or "\u3000" in t or "\xa0" in t) else t
                for t in texts
            ]
            break
    # (number, text) pairs made by zip, in C
    return list(zip(count(1), texts))


def read_text_bytes(data: bytes, name: str | None) -> list[Document]:
    """Return the forms in extracted-text bytes (UTF-8 or GBK/GB18030, CRLF or LF)."""
    from jixiao.formats import decode_text

    return read_documents(decode_text(data, name), file=name)


def text_grids(text: str, file: str | None = None) -> Iterator[Grid]:
    """Yield one cell grid per form of an extracted text holding any number of 申报表 and 自评表.

    Rows are numbered within each grid; every cell's origin is its line in the file.
    """
    from jixiao.formats.text_self_evaluation import self_evaluation_cells

    lines = lines_of(text)
    texts = list(map(_text_of, lines))
    reflowed = max(map(len, texts), default=0) > _LONG_LINE
    if reflowed:
        lines = reflow(lines)
        texts = list(map(_text_of, lines))
    # Only a line with 表 can be a title: those lines are found in C (operator.contains of each).
    starts = [
        (k, kind)
        for k in compress(count(), map(contains, texts, repeat("表")))
        if (kind := _title(texts[k])) is not None
    ]
    del texts  # a pointer a line of the file: not kept while the forms are read
    # No "|" anywhere: no form of the text is in the piped shape (saves a scan of every form).
    piped_text = "|" in text or "｜" in text
    for n, (start, kind) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        out = TextGrid()
        segment = lines[start:end]
        # glued when the reflow cut one line of the file into several of this form
        out.glued = reflowed and any(a[0] == b[0] for a, b in zip(segment, segment[1:], strict=False))
        if piped_text and _is_piped(segment):
            pipe_cells(segment, out)
        else:
            form = drop_vertical_labels(segment)
            if kind == "self_evaluation":
                self_evaluation_cells(form, out)
            else:
                _declaration_cells(form, out)
        yield Grid(out.cells, source="text", file=file, notes=out.notes)


def text_grid(text: str, file: str | None = None) -> Grid:
    """Return the cell grid of an extracted text: every form's rows, one after another."""
    cells: list[Cell] = []
    notes: list[Note] = []
    offset = 0
    for grid in text_grids(text, file):
        cells += [Cell(c.row + offset, c.col, c.text, c.row_span, c.col_span, c.origin) for c in grid.cells]
        notes += [Note(n.row + offset, n.code, n.message, n.message_en, n.path, n.origin) for n in grid.notes]
        offset += grid.n_rows
    return Grid(cells, source="text", file=file, notes=notes)


# A line longer than this that holds a title or several labels is the glued shape: every cell of
# the form (or of many forms) run together on one line, as some extractors give a web page's table.
_LONG_LINE = 150


def _reflow_re() -> re.Pattern[str]:
    from jixiao.formats.thesaurus import BUDGET_ROWS, TITLES

    goal = r"(?:" + "|".join(sorted(_GOAL_LABELS, key=len, reverse=True)) + r")(?:\s*[（(][^）)]{0,20}[）)])?"
    blocks = [
        r"一级指标\s*二级指标\s*三级指标(?:\s*(?:指标目标值|年度指标值|指标值|目标值|实际完成值|全年实际值|分值|权重|得分"
        r"|偏差原因分析及改进措施|未完成原因和改进措施))*",
        r"(?:项目资金\S{0,6}\s*)?年初预算数\s*全年预算数\s*全年执行数(?:\s*(?:分值|执行率|得分))*",
        # goal labels side by side (项目总目标 年度总目标, 预期目标 实际完成情况) stay on one line
        r"(?:(?<=\s)|^)" + goal + r"(?:\s+" + goal + r")*(?=\s|$)",
        # a label printed vertically, one character a word once glued (绩 效 指 标): dropped
        *[r"(?:(?<=\s)|^)" + r"\s".join(label) + r"(?=\s|$)" for label in SECTION_LABELS if len(label) >= 3],
        *[
            re.escape(t) + r"(?:\s*[（(]\s*\d{4}\s*年度?\s*[）)])?"
            for t, _ in sorted(TITLES, key=lambda t: -len(t[0]))
        ],
    ]
    starts = sorted(set(_HEADER_LABELS) | set(BUDGET_ROWS) | {"总分"}, key=len, reverse=True)
    return re.compile(
        "(?P<block>" + "|".join(blocks) + ")"
        "|(?:(?<=\\s)|^)(?P<label>(?:其中[:：]\\s*)?(?:"
        + "|".join(re.escape(x) for x in starts)
        + "))(?=[\\s:：])"
    )


_REFLOW: re.Pattern[str] | None = None


def _cut(m: re.Match[str]) -> str:
    text = m.group()
    if not m.group("block"):
        return "\n" + text
    if " " in text and all(len(w) == 1 for w in text.split()):
        return "\n"  # a vertical label
    return f"\n{text}\n"


def reflow(lines: list[Line]) -> list[Line]:
    """Cut the long lines of the glued shape into the lines of shape (a): a label starts a line,
    and a title, a goal label or a table's header row is a line of its own. Line numbers stay.
    """
    global _REFLOW
    if _REFLOW is None:
        _REFLOW = _reflow_re()
    out: list[Line] = []
    for line in lines:
        if len(line[1]) <= _LONG_LINE:
            out.append(line)
            continue
        marked = _REFLOW.sub(_cut, line[1])
        out.extend((line[0], part.strip()) for part in marked.split("\n") if part.strip())
    return out


def _is_piped(lines: list[Line]) -> bool:
    """Return True for the shape with ``|`` between cells (most of the form's lines have one)."""
    filled = [line for line in lines if line[1]]
    piped = sum(1 for line in filled if "|" in line[1] or "｜" in line[1])
    return len(filled) >= 3 and piped * 2 >= len(filled)


def pipe_cells(lines: list[Line], out: TextGrid) -> None:
    """Rows with ``|`` between cells: each piece is a cell in its column, ``||`` an empty cell.

    A line without ``|`` is one cell. A trailing ``|`` closes the row and makes no cell; a leading
    one does so only when the table is drawn with outer borders (nearly every row ``| a | b |``);
    otherwise ``| 产出指标 | …`` starts with an empty cell (a merged cell above).
    """
    piped = [line[1].replace("｜", "|") for line in lines if "|" in line[1] or "｜" in line[1]]
    # A table drawn with outer borders has every row between a leading and a trailing "|".
    bordered = sum(1 for t in piped if t.startswith("|") and t.endswith("|")) >= 0.8 * len(piped)
    for line in lines:
        if not line[1]:
            continue
        text = line[1].replace("｜", "|")
        if "|" not in text:
            out.row([(0, text, line[0])])
            continue
        pieces = text.split("|")
        if bordered and text.startswith("|") and len(pieces) > 1:
            pieces = pieces[1:]  # "| a | b |": the outer border, not an empty first cell
        if len(pieces) > 1 and not pieces[-1].strip():
            pieces = pieces[:-1]
        out.row([(k, piece.strip(), line[0]) for k, piece in enumerate(pieces)])


def _title(text: str) -> str | None:
    if "表" not in text or len(text) > 200:
        return None
    kind = title_kind(text)
    return None if kind == "monitoring" else kind


def read_documents(text: str, file: str | None = None) -> list[Document]:
    """Return the 申报表 and 自评表 in an extracted text, in file order.

    Raises :class:`InputError` JX-E105 when the text holds no form at all.
    """
    docs: list[Document] = []
    with gc_paused():
        for grid in text_grids(text, file):
            # One form per grid: the interpreter's work stays proportional to one form.
            docs.extend(interpret([grid], file=file))
    for n, doc in enumerate(docs, start=1):
        doc.source.form_index = n
    if not docs:
        raise InputError(
            f"没有找到「{DECLARATION_TITLE}」等表头：这不是绩效目标申报表或自评表",
            f"no form title such as '{DECLARATION_TITLE}' found: not a declaration form, nor a "
            "self-evaluation form",
            code="JX-E105",
            where=Location(file=file),
        )
    return docs


def read_forms(text: str, file: str | None = None) -> list[Declaration]:
    """Return every 申报表 in ``text``, in order (the 自评表 in it are left out).

    Raises :class:`InputError` JX-E105 when the text holds no 申报表. Problems inside a form
    become warnings on that form's Declaration.
    """
    try:
        docs = read_documents(text, file)
    except InputError:
        docs = []
    forms = [d for d in docs if isinstance(d, Declaration)]
    if not forms:
        raise InputError(
            f"没有找到「{DECLARATION_TITLE}」：这不是绩效目标申报表",
            f"no '{DECLARATION_TITLE}' title found: this is not a declaration form",
            code="JX-E105",
            where=Location(file=file),
        )
    return forms


def drop_vertical_labels(lines: list[Line]) -> list[Line]:
    """Blank out runs of one-character lines that spell a label printed vertically (项/目/绩/效).

    A run may hold blank lines.
    """
    out = list(lines)
    n = len(out)
    done = 0  # lines before this one belong to a run already looked at
    # Only a one-character line can start a run: look at those alone, not at every line (found
    # in C: operator.eq of each text's length and 1, no bound method made per line).
    for k in list(compress(count(), map(eq, map(len, map(_text_of, lines)), repeat(1)))):
        if k < done:
            continue
        text = out[k][1]
        if "\u4e00" <= text <= "\u9fff":
            j = k
            filled = 0
            while j < n:
                text = out[j][1]
                if text:
                    # _one_ideograph(text), written out: this loop runs over every vertical label
                    if len(text) != 1 or not "\u4e00" <= text <= "\u9fff":
                        break
                    filled += 1
                j += 1
            if filled >= 2:
                out[k:j] = [(line[0], "") for line in out[k:j]]
            done = j
    return out


def _one_ideograph(text: str) -> bool:
    # Only ideographs: a lone "。" is the end of a wrapped sentence, not part of a vertical label.
    return len(text) == 1 and "\u4e00" <= text <= "\u9fff"


@lru_cache(maxsize=8192)
def _label_word(word: str) -> tuple[str, str] | None:
    """Return (label as printed, text glued after its colon) when ``word`` starts with a label."""
    core = word
    prefix = ""
    if core.startswith(("其中：", "其中:")):
        prefix, core = core[:3], core[3:]
    head, _, rest = core.partition("：") if "：" in core else core.partition(":")
    base = head
    for suffix in ("（元）", "(元)", "（万元）", "(万元)"):
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    if base in _HEADER_WORDS:
        return prefix + head, rest
    return None


@lru_cache(maxsize=16384)
def _line_words(text: str) -> tuple[tuple[str | None, str], ...]:
    """Return a header line's words as (label as printed, text glued after its colon), or
    (None, the word) for a word that is no label. Cached: header lines repeat in every form."""
    out: list[tuple[str | None, str]] = []
    for word in text.split(" "):
        found = _label_word(word)
        out.append((None, word) if found is None else found)
    return tuple(out)


def header_cells(lines: list[Line], out: TextGrid) -> None:
    """Cut header lines into label and value cells: a label's value runs to the next label.

    A label is a whole word of the line (``项目名称``, ``其中：财政资金``, ``项目名称：…``). That is
    the only boundary the text shape keeps; the interpreter warns about a value long enough to
    have swallowed other parts of the form.
    """
    pieces: list[list[Any]] = []  # [line index, line number, label, value words] in order
    loose: dict[int, list[str]] = {}
    for k, line in enumerate(lines):
        if not line[1]:
            continue
        for label, word in _line_words(line[1]):
            if label is not None:
                pieces.append([k, line[0], label, [word] if word else []])
            elif pieces:
                pieces[-1][3].append(word)
            else:
                loose.setdefault(line[0], []).append(word)
        if pieces and pieces[-1][3]:
            pieces[-1][3][-1] += "\n"  # a wrapped cell: the next line continues the word
    for number, words in loose.items():
        out.row([(0, " ".join(words), number)])
    if out.glued:
        labels = {label_key(p[2]).label: p for p in pieces}
        fields = {DECLARATION_FIELDS.get(label) for label in labels}
        sided = [
            p for label, p in labels.items() if DECLARATION_FIELDS.get(label) in ("total_fiscal", "other")
        ]
        if sided and {"total", "annual"} <= fields:
            # Glued on one line, the two funds columns (whole-life | this year) come out interleaved:
            # nothing tells under which total a 财政资金 or 其他资金 stood.
            out.note(
                out.next_row,
                "JX-W121",
                "资金各栏连在一行中，无法确定「"
                + "」「".join(p[2] for p in sided)
                + "」属于项目资金总额还是年度资金一栏，请核对",
                "the funds cells run together on one line; which total "
                + ", ".join(p[2] for p in sided)
                + " belong to cannot be told; check the form",
                sided[0][1],
                "funding",
            )
    row_at: int | None = None
    items: list[tuple[int, str, int]] = []
    for at, line_no, label, words in pieces:
        joined = " ".join(words)
        if "\n" in joined:
            joined = joined.replace("\n ", "").replace("\n", "")
        # "项目资金\n（元）": the unit printed under its label (the regex run only on a bracket)
        if joined[:1] in ("（", "(") and _UNIT_ONLY.match(joined):
            label, joined = label + joined, ""
        if row_at is not None and at != row_at:  # one row per line of the text
            out.row(items)
            items = []
        row_at = at
        items += [(len(items), label, line_no), (len(items) + 1, joined, line_no)]
    if items:
        out.row(items)


@lru_cache(maxsize=16384)
def is_goal_label(text: str) -> bool:
    """Return True for a line that is goal labels (项目总目标, 预期目标 …), periods included."""
    # A label key is made of the folded text's own characters, so a line whose folded text lacks
    # the last character of every goal label (标, 况 …) cannot be one: most lines stop here.
    if not _GOAL_ENDS.search(fold(text)):
        return False
    if label_key(text).label in _GOAL_LABELS:
        return True
    words = _PERIOD_IN.sub(" ", text).split()
    return len(words) > 1 and all(label_key(w).label in _GOAL_LABELS for w in words)


_PERIOD_IN = re.compile(r"[（(][^）)]{0,24}[）)]")
_GOAL_ENDS = re.compile("[" + "".join(sorted({re.escape(label[-1]) for label in _GOAL_LABELS})) + "]")


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Return the non-blank lines grouped into paragraphs (blank lines between them)."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for line in lines:
        if line[1]:
            current.append(line)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def join_wrapped(parts: list[str]) -> str:
    """Join the lines of one wrapped cell: no separator, as the extractor cut mid-word."""
    return " ".join("".join(parts).split())


def _declaration_cells(lines: list[Line], out: TextGrid) -> None:
    out.row([(0, lines[0][1], lines[0][0])])
    body = lines[1:]
    texts = list(map(_text_of, body))
    goal_at = _first_true(map(is_goal_label, texts))  # is_goal_label("") is False
    table_at = next(
        # what _TABLE_HEADER needs first, tested in C (operator.contains: no argument parsing)
        (
            i
            for i in compress(count(), map(contains, texts, repeat("一级指标")))
            if _TABLE_HEADER.match(texts[i])
        ),
        None,
    )
    header_end = min(x for x in (goal_at, table_at, len(body)) if x is not None)
    header_cells(body[:header_end], out)
    if goal_at is not None and (table_at is None or goal_at < table_at):
        _goal_cells(body[goal_at : table_at if table_at is not None else len(body)], out)
    if table_at is not None:
        header = body[table_at]
        words = header[1].split()
        out.row([(k, word, header[0]) for k, word in enumerate(words)])
        _indicator_cells(body[table_at + 1 :], out, min(len(words), 4))


def _goal_cells(lines: list[Line], out: TextGrid) -> None:
    """Goal labels as a header row, the paragraphs below: the first under the first label."""
    labels: list[Line] = []
    k = 0
    while k < len(lines) and (not lines[k][1] or is_goal_label(lines[k][1])):
        if lines[k][1]:
            words = lines[k][1].split()
            kept = [w for w in words if is_goal_label(w)] if out.glued else words
            labels.extend((lines[k][0], word) for word in kept or words)
        k += 1
    body = [
        line
        for line in lines[k:]
        if not line[1] or line[1][0] not in "（(" or not _GOAL_PERIOD.match(fold(line[1]).replace(" ", ""))
    ]
    groups = paragraphs(body)
    out.row([(n, label[1], label[0]) for n, label in enumerate(labels)])
    if not groups:
        return
    if out.glued:  # the message names the labels: made only for the shape that can need it
        out.note_glued_goals(
            len(labels),
            groups,
            "各目标文字连在一行中，无法分清「"
            + "」与「".join(x[1] for x in labels)
            + "」，已全部归入第一栏，请核对",
            "the goal texts run together on one line; they cannot be told apart, so all of it went under "
            "the first label; check the form",
        )
    texts = [join_wrapped([x[1] for x in groups[0]])]
    if len(labels) > 1 and len(groups) > 1:
        texts.append(join_wrapped([x[1] for g in groups[1:] for x in g]))
    elif len(labels) <= 1:
        texts = [join_wrapped([x[1] for g in groups for x in g])]
    out.row([(n, text, groups[0 if n == 0 else 1][0][0]) for n, text in enumerate(texts)])


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    """Return a table line's words, an operator the extractor separated from its number joined
    to it (">= 90%"). Cached: the table's lines repeat in every form of a file."""
    words = text.split()
    if len(words) > 1 and any(_OPERATOR_ONLY.match(w) for w in words[:-1]):
        merged: list[str] = []
        for word in words:
            if merged and _OPERATOR_ONLY.match(merged[-1]):
                merged[-1] += word
            else:
                merged.append(word)
        return tuple(merged)
    return tuple(words)


_NEVER, _ALWAYS, _QUALITATIVE = 0, 1, 2


@lru_cache(maxsize=16384)
def _target_class(text: str) -> int:
    """Return whether a token can close an indicator: never, always, or (a qualitative phrase)
    only when the name before it is complete. Depends on the text alone, so it is cached: the
    same targets and name parts recur in every form of a file."""
    try:
        target: Target = parse_target(text)
    except TargetError:
        return _NEVER
    if target.kind == "numeric" and target.unit and len(target.unit) > _MAX_UNIT_LENGTH:
        return _NEVER  # "2022年度完成率" is a name that starts with a number
    if target.kind in ("numeric", "range", "deadline"):
        return _ALWAYS
    if not any(word in text for word in _QUALITATIVE_WORDS) or text.endswith(_NAME_ENDINGS):
        return _NEVER
    return _QUALITATIVE


def _indicator_cells(lines: list[Line], out: TextGrid, width: int) -> None:
    """Rows of 一级 | 二级 | 三级 | 指标值 from the flattened table, token by token.

    A 一级 or 二级 name sets the context; a token that is a target closes the pending indicator,
    any other is part of its 三级 name. A qualitative phrase (提升, 建立健全) is a target only when
    the name before it is complete: on the same line as the name's last part, or after a part
    shorter than the wrapped width (a name that filled its line goes on on the next one).

    A 一级 or 二级 cell is written on the row where the category starts and left out below it, as
    a merged cell reads back (the interpreter fills it down).
    """
    level1: tuple[str, int] = ("", 0)
    level2: tuple[str, int] = ("", 0)
    pending: list[tuple[str, int]] = []  # the name's parts: (text, line)
    written: list[tuple[str, int] | None] = [None, None]  # the category cells already on a row

    def emit(target: tuple[str, int] | None) -> None:
        line = pending[0][1] if pending else (target[1] if target else 0)
        items = []
        if written[0] != level1:
            items.append((0, level1[0], level1[1] or line))
            written[0], written[1] = level1, None
        if written[1] != level2:
            items.append((1, level2[0], level2[1] or line))
            written[1] = level2
        items.append((2, "".join([t for t, _ in pending]), line))
        if width >= 4:
            items.append((3, target[0] if target else "", target[1] if target else line))
        out.row(items)
        pending.clear()

    levels = LEVEL_NAMES
    target_class = _target_class
    for number, text in lines:
        if not text:
            continue
        for word in _words(text):
            level = levels.get(word)
            if level is not None:
                if pending:
                    emit(None)
                if level[0] == 1:
                    level1, level2 = (word, number), ("", 0)
                else:
                    level2 = (word, number)
                continue
            kind = target_class(word)
            if kind == _ALWAYS or (
                kind == _QUALITATIVE
                and pending
                and (pending[-1][1] == number or len(pending[-1][0]) < _WRAP_WIDTH)
            ):
                emit((word, number))
            else:
                pending.append((word, number))
    if pending:
        emit(None)
