"""Word .docx forms as cell grids: many 自评表 and 目标表 are published as Word documents.

:func:`docx_grids` turns a document body into one :class:`~jixiao.formats.grid.Grid`: each paragraph
outside a table is a one-cell row of its own (the title, ``（2023年度）``, ``单位：万元``), and each table's
rows follow with Word's merges as spans — ``w:gridSpan`` as ``col_span``, a ``w:vMerge`` run
(``restart`` then ``continue``) as ``row_span``, ``w:gridBefore`` as skipped grid columns. The layout
knowledge lives in the form interpreter, not here. python-docx opens the package; the table walk
reads its XML elements, so merged cells are seen once, as Word stores them, not once per grid slot.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jixiao.domain.errors import FormatError, Location
from jixiao.domain.model import Document
from jixiao.formats.grid import Cell, Grid, Origin
from jixiao.formats.guard import DOCX, CellList, check_parts

__all__ = ["MAX_DOCX_CELLS", "docx_grids", "is_docx", "read_docx"]

# A form has hundreds of cells; a document with more than this is not a form and would only cost time.
MAX_DOCX_CELLS = 200_000
MAX_DOCX_ENTRIES = 2_000
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
# Word itself allows 63 columns; a larger span is a damaged or hostile file.
MAX_SPAN = 1_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc", f"{_W}sdt"


def is_docx(data: bytes) -> bool:
    """Return True when ``data`` is a zip package holding ``word/document.xml`` (a Word document)."""
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        return False


def _damaged(name: str | None, detail: str = "") -> FormatError:
    suffix_zh = f"（{detail}）" if detail else ""
    suffix_en = f" ({detail})" if detail else ""
    return FormatError(
        f"文件已损坏或不是有效的 Word (.docx) 文件{suffix_zh}",
        f"the file is damaged or not a valid Word (.docx) file{suffix_en}",
        code="JX-E470",
        where=Location(file=name),
    )


def _check_package(data: bytes, name: str | None) -> None:
    """Refuse zip bombs and packages without a document before python-docx unpacks anything."""
    where = Location(file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise _damaged(name) from None
    check_parts(infos, DOCX, MAX_DOCX_ENTRIES, where)
    total = sum(i.file_size for i in infos)
    ratio_bomb = any(
        i.file_size > 1024 * 1024 and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if total > MAX_DOCX_UNCOMPRESSED or ratio_bomb:
        raise FormatError(
            "文档解压后过大或压缩比异常，可能是压缩炸弹",
            "the document is too large when unpacked or abnormally compressed; possibly a zip bomb",
            code="JX-E473",
            where=where,
        )


def _open(data: bytes, name: str | None) -> Any:
    import docx  # python-docx: imported on use, so reading text never pays for it

    _check_package(data, name)
    try:
        return docx.Document(io.BytesIO(data))
    except (
        zipfile.BadZipFile,
        zlib.error,
        KeyError,
        ValueError,
        OSError,
        EOFError,
        NotImplementedError,
        AttributeError,
        TypeError,
    ) as exc:
        raise _damaged(name, type(exc).__name__) from None
    except Exception as exc:  # lxml's XMLSyntaxError and python-docx's PackageNotFoundError
        if type(exc).__module__.startswith(("lxml", "docx")):
            raise _damaged(name, type(exc).__name__) from None
        raise


def _int_attr(el: Any, path: str, default: int) -> int:
    """Return the integer ``w:val`` of the first ``path`` child of ``el`` (Word writes decimal strings)."""
    found = el.find(path)
    if found is None:
        return default
    raw = found.get(f"{_W}val")
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


def _cells_of(tr: Any) -> Iterator[Any]:
    """Yield a row's ``w:tc`` elements, including those wrapped in content controls (``w:sdt``)."""
    for child in tr:
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from (tc for tc in content if tc.tag == _TC)


def _text(el: Any) -> str:
    """Return the text of a paragraph, or of a cell's paragraphs one per line (nested tables too)."""
    if el.tag == _P:
        return "".join(_run_text(el))
    lines: list[str] = []
    for child in el.iter(_P):
        lines.append("".join(_run_text(child)))
    return "\n".join(line.strip() for line in lines if line.strip())


def _run_text(p: Any) -> Iterator[str]:
    """Yield the visible text of a paragraph: w:t, tabs and breaks; deleted text (w:delText) is not."""
    for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        tag = el.tag
        if tag == f"{_W}t":
            yield el.text or ""
        elif tag == f"{_W}tab":
            yield " "
        elif tag == f"{_W}noBreakHyphen":
            yield "-"
        else:
            yield "\n"


@dataclass
class _Open:
    """A cell being built: its vertical merge may still grow."""

    row: int
    col: int
    text: str
    col_span: int
    origin: Origin
    row_span: int = 1
    merging: bool = False


@dataclass
class _Builder(CellList):
    limit = MAX_DOCX_CELLS
    noun = ("文档", "document")
    code = "JX-E474"

    def paragraph(self, p: Any, number: int) -> None:
        text = _text(p).strip()
        if text:
            self.add(Cell(self.row, 0, text, origin=Origin(line=number or None)))
            self.row += 1

    def layout_table(self, tbl: Any, number: int) -> int:
        """Read a table that holds tables (a frame around a form) as flow; return the tables' count.

        Its cells' own paragraphs become rows and the tables inside them are read as tables, so a
        form drawn inside a one-cell frame is not flattened into one cell.
        """
        for tr in (x for x in tbl if x.tag == _TR):
            for tc in _cells_of(tr):
                for child in tc:
                    if child.tag == _P:
                        self.paragraph(child, 0)
                    elif child.tag == _TBL:
                        number = self.table(child, number + 1)
        return number

    def table(self, tbl: Any, number: int) -> int:
        """Add one table's rows; return the number of the last table read (nested ones included).

        A ``vMerge`` continuation extends the cell above it in that column.
        """
        if any(True for _ in tbl.iterdescendants(_TBL)):
            return self.layout_table(tbl, number)
        open_by_col: dict[int, _Open] = {}
        done: list[_Open] = []
        for r, tr in enumerate(x for x in tbl if x.tag == _TR):
            col = _int_attr(tr, f"{_W}trPr/{_W}gridBefore", 0)
            seen: set[int] = set()
            for c, tc in enumerate(_cells_of(tr)):
                span = min(max(_int_attr(tc, f"{_W}tcPr/{_W}gridSpan", 1), 1), MAX_SPAN)
                vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
                state = None if vmerge is None else (vmerge.get(f"{_W}val") or "continue")
                text = _text(tc)
                above = open_by_col.get(col)
                if state == "continue" and above is not None and above.merging and above.col_span == span:
                    above.row_span += 1
                    if text:  # Word leaves continuations empty; keep any text rather than drop it
                        above.text = f"{above.text}\n{text}" if above.text else text
                else:
                    cell = _Open(
                        self.row,
                        col,
                        text,
                        span,
                        Origin(cell=f"T{number}R{r + 1}C{c + 1}"),
                        merging=state is not None,
                    )
                    for k in range(col, col + span):
                        previous = open_by_col.pop(k, None)
                        if previous is not None and previous not in done:
                            done.append(previous)
                    open_by_col[col] = cell
                seen.update(range(col, col + span))
                col += span
            # a vertical merge ends where a row does not continue it
            for k in [k for k, o in open_by_col.items() if k not in seen]:
                done.append(open_by_col.pop(k))
            for k, o in list(open_by_col.items()):
                if not o.merging:
                    done.append(open_by_col.pop(k))
            self.row += 1
        done.extend(open_by_col.values())
        for o in sorted(done, key=lambda o: (o.row, o.col)):
            self.add(Cell(o.row, o.col, o.text, o.row_span, o.col_span, o.origin))
        return number


def docx_grids(data: bytes, name: str | None = None) -> list[Grid]:
    """Return the document body of a .docx as one grid (paragraphs and tables in document order).

    Raises :class:`FormatError` JX-E470 for a damaged file, JX-E471 for a zip that is not a Word
    document, JX-E472/JX-E473 for absurd or bomb-like packages, JX-E474 for too many cells.
    Empty table cells are kept (a blank value next to its label is "blank on the form", not "not
    found"); the slots a merged cell covers hold no cell.
    """
    document = _open(data, name)
    body = document.element.body
    builder = _Builder(file=name)
    paragraphs = tables = 0
    for el in body.iterchildren():
        if el.tag == _P:
            paragraphs += 1
            builder.paragraph(el, paragraphs)
        elif el.tag == _TBL:
            tables = builder.table(el, tables + 1)
        elif el.tag == _SDT:  # a content control around whole paragraphs or tables
            for inner in el.iter(_P, _TBL):
                if inner.tag == _TBL and inner.getparent().tag != _TC:
                    tables = builder.table(inner, tables + 1)
                elif inner.tag == _P and inner.getparent().tag != _TC:
                    paragraphs += 1
                    builder.paragraph(inner, paragraphs)
    return [Grid(builder.cells, source="docx", file=name)]


def read_docx(data: bytes, name: str | None = None) -> list[Document]:
    """Return the declarations and self-evaluations in a Word .docx file."""
    from jixiao.formats.interpret import interpret

    return interpret(docx_grids(data, name), file=name)
