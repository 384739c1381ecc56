"""HTML pages as cell grids: forms published on government sites as ``<table>`` with rowspan/colspan.

:func:`html_grids` turns a page into one :class:`~jixiao.formats.grid.Grid`. Text outside the data
tables (navigation, breadcrumb, the title paragraph, ``单位：万元``, a preamble, the footer) becomes
one-cell rows in reading order, so the interpreter can still find a title or a unit line above a
table; each data table's rows follow with their spans placed by the HTML table model (a cell
skips the slots that a rowspan from above still covers). A table that holds other tables is a
layout table, as on many government sites: its cells are read as text flow and the tables inside
it are read as tables. Scripts, styles and hidden elements are not text. The standard library's
:mod:`html.parser` reads the markup, forgiving unclosed ``<td>``, ``<tr>`` and ``<p>`` as browsers do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from jixiao.domain.errors import FormatError, InputError, Location
from jixiao.domain.model import Document
from jixiao.formats.grid import Cell, Grid, Origin
from jixiao.formats.guard import CellList

__all__ = ["MAX_HTML_CELLS", "decode_html", "html_grids", "looks_like_html", "read_html"]

# A page of forms has thousands of cells; beyond this it is not a form and would only cost time.
MAX_HTML_CELLS = 200_000
# The HTML standard clamps colspan to 1000 and rowspan to 65534; rowspan is clamped further to the
# rows the table has, so one cell never claims more slots than the table holds.
MAX_COLSPAN = 1_000
MAX_ROWSPAN = 65_534
MAX_DEPTH = 500

_VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen command basefont frame".split()
)
_SKIP = frozenset("script style head title noscript template select textarea iframe object svg math".split())
_BLOCK = frozenset(
    (
        "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article header footer nav aside main form "
        "blockquote pre hr center caption address figure figcaption fieldset legend details summary "
        "table thead tbody tfoot tr td th br"
    ).split()
)
_CELL = frozenset(("td", "th"))
_ROW_GROUP = frozenset(("thead", "tbody", "tfoot"))
# &nbsp; pads labels on government pages ("项&nbsp;&nbsp;目名称"): it is layout, not text.
_WS = re.compile(r"[ \t\n\r\f\u00a0\u200b]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def looks_like_html(data: bytes) -> bool:
    """Return True when ``data`` starts like an HTML document or fragment (a doctype, <html>, <table>)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    while head.startswith(b"<!--"):
        end = head.find(b"-->")
        if end < 0:
            return False
        head = head[end + 3 :].lstrip()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<table"))


def decode_html(data: bytes, name: str | None = None) -> str:
    """Return the page's text: a BOM or ``<meta charset>`` decides, else UTF-8, else GB18030.

    Chinese government sites still serve GB2312/GBK pages; GB18030 is a superset of both.
    Raises :class:`InputError` JX-E103 when the bytes fit none of these.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _CHARSET.search(data[:4096])
    encodings = ["utf-8", "gb18030"]
    if declared:
        label = declared.group(1).decode("ascii").lower()
        if label in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
            encodings = ["gb18030", "utf-8"]
        elif label in ("big5", "big5-hkscs"):
            encodings = ["big5hkscs", "utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        "网页既不是 UTF-8 也不是 GBK/GB18030 编码，无法读取",
        "the web page is neither UTF-8 nor GBK/GB18030",
        code="JX-E103",
        where=Location(file=name),
    )


@dataclass
class _El:
    """An element of the page: tag, attributes, children (elements or text) and its source line."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_El | str] = field(default_factory=list)
    parent: _El | None = None

    def hidden(self) -> bool:
        return "hidden" in self.attrs or bool(_HIDDEN.search(self.attrs.get("style", "")))


class _TreeBuilder(HTMLParser):
    """Build a small element tree, closing what browsers close implicitly (td, tr, p, li)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _El("#root", {}, 1)
        self.stack: list[_El] = [self.root]

    def _close_to(self, tags: frozenset[str], stop: frozenset[str]) -> None:
        """Pop to just below the innermost element in ``tags``, unless a ``stop`` element comes first."""
        for k in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[k].tag
            if tag in tags:
                del self.stack[k:]
                return
            if tag in stop:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _CELL:
            self._close_to(_CELL, frozenset(("tr", "table")))
        elif tag == "tr":
            self._close_to(frozenset(("tr",)), frozenset(("table",)))
        elif tag in _ROW_GROUP:
            self._close_to(_ROW_GROUP, frozenset(("table",)))
        elif tag in ("p", "li"):
            self._close_to(frozenset((tag,)), frozenset(("td", "th", "table", "div", "ul", "ol")))
        if tag in _BLOCK and tag not in ("p", "li", "br", "hr"):
            self._close_to(frozenset(("p",)), frozenset(("td", "th", "table", "div")))
        parent = self.stack[-1]
        el = _El(tag, {k: v or "" for k, v in attrs}, self.getpos()[0], parent=parent)
        parent.children.append(el)
        if tag not in _VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1]
        parent.children.append(_El(tag, {k: v or "" for k, v in attrs}, self.getpos()[0], parent=parent))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return
            if tag in ("td", "th", "tr") and self.stack[k].tag == "table":
                return  # a stray </td> does not close the table around it

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _has_table(el: _El) -> bool:
    return any(isinstance(c, _El) and (c.tag == "table" or _has_table(c)) for c in el.children)


def _walk_text(el: _El, emit: Callable[[str, int], None], table: Callable[[_El], None] | None = None) -> None:
    """Give ``emit(text, line)`` the visible text of ``el`` line by line: whitespace collapsed,
    blocks and <br> break lines. With ``table``, a data table (no table inside it) goes to it
    where it stands instead."""
    current: list[str] = []
    start = [el.line]

    def flush() -> None:
        text = _WS.sub(" ", "".join(current)).strip()
        if text:
            emit(text, start[0])
        current.clear()

    def walk(node: _El) -> None:
        for child in node.children:
            if isinstance(child, str):
                if not current:
                    start[0] = node.line
                current.append(child)
                continue
            if child.tag in _SKIP or child.hidden():
                continue
            if table is not None and child.tag == "table" and not _has_table(child):
                flush()
                table(child)
            elif child.tag in _BLOCK:
                flush()
                start[0] = child.line
                walk(child)
                flush()
            else:
                walk(child)

    walk(el)
    flush()


def _lines(el: _El) -> list[str]:
    """Return the visible text of ``el`` as lines: whitespace collapsed, blocks and <br> break lines."""
    out: list[str] = []
    _walk_text(el, lambda text, _line: out.append(text))
    return out


@dataclass
class _Page(CellList):
    limit = MAX_HTML_CELLS
    noun = ("网页", "web page")
    code = "JX-E481"
    tables: int = 0

    def text_line(self, text: str, line: int) -> None:
        self.add(Cell(self.row, 0, text, origin=Origin(line=line)))
        self.row += 1

    def flow(self, el: _El) -> None:
        """Read ``el`` as text flow; data tables inside it become grid rows where they stand."""
        _walk_text(el, self.text_line, self.table)

    def table(self, table: _El) -> None:
        """Add a data table's rows, each cell at the first grid column no rowspan from above covers."""
        self.tables += 1
        number = self.tables
        rows: list[_El] = []
        captions: list[_El] = []

        def collect(node: _El) -> None:
            for child in node.children:
                if isinstance(child, str) or child.tag in _SKIP or child.hidden():
                    continue
                if child.tag == "tr":
                    rows.append(child)
                elif child.tag == "caption":
                    captions.append(child)
                else:
                    collect(child)  # thead, tbody, tfoot, and stray wrappers browsers tolerate

        collect(table)
        for caption in captions:
            for text in _lines(caption):
                self.text_line(text, caption.line)
        taken: set[tuple[int, int]] = set()
        for r, tr in enumerate(rows):
            col = 0
            cells = [c for c in tr.children if isinstance(c, _El) and c.tag in _CELL and not c.hidden()]
            for c, td in enumerate(cells):
                while (r, col) in taken:
                    col += 1
                col_span = min(_span(td.attrs.get("colspan")), MAX_COLSPAN)
                # A colspan that runs into a slot a rowspan from above covers stops there: browsers
                # would draw the two cells over each other, a grid gives each slot one cell.
                for k in range(1, col_span):
                    if (r, col + k) in taken:
                        col_span = k
                        break
                row_span = min(_span(td.attrs.get("rowspan")), MAX_ROWSPAN, len(rows) - r)
                if row_span > 1:
                    if len(taken) + row_span * col_span > 4 * MAX_HTML_CELLS:
                        raise FormatError(
                            "网页表格的合并范围过大",
                            "the web page's table merges too many cells",
                            code="JX-E482",
                            where=Location(file=self.file, line=td.line),
                        )
                    for rr in range(r + 1, r + row_span):
                        for cc in range(col, col + col_span):
                            taken.add((rr, cc))
                self.add(
                    Cell(
                        self.row + r,
                        col,
                        "\n".join(_lines(td)),
                        row_span,
                        col_span,
                        Origin(line=td.line, cell=f"T{number}R{r + 1}C{c + 1}"),
                    )
                )
                col += col_span
        self.row += len(rows)


def _span(raw: str | None) -> int:
    """Return a rowspan/colspan value as browsers read it: leading digits, at least 1."""
    match = re.match(r"\s*(\d+)", raw or "")
    return max(int(match.group(1)), 1) if match else 1


def html_grids(data: bytes | str, name: str | None = None) -> list[Grid]:
    """Return a web page as one grid: text lines and data tables in reading order.

    Raises :class:`InputError` JX-E103 for undecodable bytes and :class:`FormatError` JX-E480 for a
    page without any text, JX-E481/JX-E482 for absurd tables.
    """
    text = decode_html(data, name) if isinstance(data, bytes) else data
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
    except (AssertionError, ValueError) as exc:  # html.parser's rare internal refusals
        raise FormatError(
            f"无法解析网页（{exc}）",
            f"cannot parse the web page ({exc})",
            code="JX-E480",
            where=Location(file=name),
        ) from None
    page = _Page(file=name)
    page.flow(builder.root)
    if not page.cells:
        raise FormatError(
            "网页中没有文字", "the web page holds no text", code="JX-E480", where=Location(file=name)
        )
    return [Grid(page.cells, source="html", file=name)]


def read_html(data: bytes, name: str | None = None) -> list[Document]:
    """Return the declarations and self-evaluations in the tables of a web page."""
    from jixiao.formats.interpret import interpret

    return interpret(html_grids(data, name), file=name)
