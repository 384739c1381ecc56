"""Reading born-digital PDF forms: the table rebuilt from geometry (pdfplumber; stack-notes.md §2).

Each page becomes a :class:`~jixiao.formats.grid.Grid`: its ruled tables are found from their
lines (pdfplumber's lattice finder), every cell keeps its bounding box and its row and column
spans, and each character goes to the cell that holds it (merged cells are what
``Table.extract()`` loses: pdfplumber #79, #685). Text outside the tables (the title, the year,
``单位：万元``, page footers) becomes cells of their own rows. The pages' grids then go, in order,
to the one interpreter (:mod:`jixiao.formats.interpret`), so a form continues across pages and a
PDF may hold many forms.

Refused with a clear :class:`FormatError`, within seconds: truncated, damaged and password-protected
files, more than :data:`MAX_PDF_PAGES` pages, and fonts without a Unicode map (``(cid:NNN)`` or
U+FFFD instead of characters; pdfminer.six #566). A PDF without any text layer (a scan) is read
by OCR (:mod:`jixiao.formats.scan`).
"""

from __future__ import annotations

import bisect
import io
import logging
import os
import re
import zlib
from typing import Any

from jixiao.domain.errors import FormatError, JixiaoError, Location
from jixiao.domain.model import Document
from jixiao.formats.grid import Cell, Grid, Origin
from jixiao.formats.interpret import interpret

__all__ = ["MAX_PDF_PAGES", "page_grid", "pdf_grids", "read_pdf"]

# pdfminer logs every oddity of a damaged file; the user gets one FormatError instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MAX_PDF_PAGES = int(os.environ.get("JIXIAO_MAX_PDF_PAGES", "300"))
MAX_PDF_DECOMPRESSED = int(os.environ.get("JIXIAO_MAX_PDF_DECOMPRESSED", str(150 * 1024 * 1024)))
MAX_PAGE_CHARS = 60_000  # a form page holds ~2,000; far more means this is not a form
_TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 2,
    "join_tolerance": 2,
    "intersection_tolerance": 2,
}
_BAD_CHAR_SHARE = 0.2


def _fail(zh: str, en: str, code: str, name: str | None, page: int | None = None) -> FormatError:
    return FormatError(zh, en, code=code, where=Location(file=name, page=page))


def _join_lines(lines: list[str]) -> str:
    """Join the wrapped lines of one cell: Chinese without a space, Latin words with one."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        # Our PDFs (and LibreOffice's) wrap Latin text only at spaces, or after a hyphen or slash;
        # spaces beside Chinese never wrap (they print as no-break spaces).
        if out and out[-1].isascii() and out[-1] not in "-/" and line[0].isascii():
            out += " "
        out += line
    return out


def _cell_text(chars: list[dict[str, Any]]) -> str:
    """Return the text of the characters in one cell: lines top to bottom, a space at a gap.

    A gap wider than 1.2 pt between two glyphs is a space (Chinese glyphs touch; a Latin space is
    about 2.3 pt at 10 pt). Cheaper than pdfplumber's general text layout, which matters at ~60
    cells a page.
    """
    if not chars:
        return ""
    ordered = sorted(chars, key=lambda ch: ch["top"])
    lines: list[list[dict[str, Any]]] = []
    line_top = None
    for ch in ordered:
        if line_top is None or ch["top"] - line_top > 2.5:
            lines.append([])
            line_top = ch["top"]
        lines[-1].append(ch)
    texts = []
    for line in lines:
        line.sort(key=lambda ch: ch["x0"])
        parts: list[str] = []
        prev_x1 = None
        for ch in line:
            if prev_x1 is not None and ch["x0"] - prev_x1 > 1.2:
                parts.append(" ")
            parts.append(ch["text"])
            prev_x1 = ch["x1"]
        # Our renderer prints a space beside Chinese as a no-break space; it is a space again here.
        texts.append("".join(parts).replace("\u00a0", " "))
    return _join_lines(texts)


def _dedupe(page: Any) -> Any:
    """Return the page without doubled glyphs (fake bold printed twice: "标标题题"; pdfplumber #71).

    pdfplumber's ``dedupe_chars`` is costly, so it runs only when a quick check finds doubles.
    """
    seen = {(ch["text"], round(ch["x0"]), round(ch["top"])) for ch in page.chars}
    if len(seen) == len(page.chars):
        return page
    return page.dedupe_chars()


def _clusters(values: list[float], tolerance: float) -> list[float]:
    """Return sorted positions with those closer than ``tolerance`` merged into one."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _index(edges: list[float], value: float, tolerance: float = 1.5) -> int:
    """Return the index of the edge at ``value`` (the last edge at or before it)."""
    k = bisect.bisect_right(edges, value + tolerance) - 1
    return max(k, 0)


def page_grid(page: Any, page_number: int, name: str | None = None) -> Grid:
    """Return one page as a :class:`Grid`: ruled table cells with their spans, free text as rows.

    Table cells come from the page's ruling lines (pdfplumber's lattice finder); the grid's
    columns are every vertical cell edge of the page, its rows every horizontal one, so a merged
    cell spans the columns and rows it covers. Each character goes to the cell that holds its
    centre. Text outside the tables (the title, ``单位：万元``, footers) becomes one cell per line,
    in its own row, at the column where it starts. Every cell keeps its page and bounding box.
    """
    from pdfplumber.utils.clustering import cluster_objects

    chars = page.chars
    if len(chars) > MAX_PAGE_CHARS:
        raise _fail(
            f"第 {page_number} 页文字过多（{len(chars)} 个字符），不像申报表或自评表",
            f"page {page_number} holds too much text ({len(chars)} characters) for a form",
            "JX-E455",
            name,
            page_number,
        )
    tables = page.find_tables(_TABLE_SETTINGS)
    boxes: list[tuple[float, float, float, float]] = []
    verticals: list[dict[str, Any]] | None = None
    for table in tables:
        found = [tuple(c) for c in table.cells if c]
        if _ruled_by_columns_only(found, chars):
            if verticals is None:
                verticals = [e for e in page.edges if e["orientation"] == "v"]
            boxes.extend(_rows_from_text(table.bbox, chars, verticals))
        else:
            boxes.extend(found)
    texts: list[list[dict[str, Any]]] = [[] for _ in boxes]
    taken: set[int] = set()
    if boxes:
        order = sorted(range(len(boxes)), key=lambda n: boxes[n][1])
        tops = [boxes[n][1] for n in order]
        for i, ch in enumerate(chars):
            cx = (ch["x0"] + ch["x1"]) / 2
            cy = (ch["top"] + ch["bottom"]) / 2
            # candidate boxes start above the character; the smallest one holding it wins
            best = None
            for k in range(bisect.bisect_right(tops, cy) - 1, -1, -1):
                n = order[k]
                x0, top, x1, bottom = boxes[n]
                if x0 <= cx <= x1 and top <= cy <= bottom:
                    if best is None or (x1 - x0) * (bottom - top) < _area(boxes[best]):
                        best = n
                if cy - top > 800:
                    break
            if best is not None:
                texts[best].append(ch)
                taken.add(i)
    free_lines: list[tuple[float, float, float, str]] = []
    free = [ch for i, ch in enumerate(chars) if i not in taken and ch["text"].strip()]
    for group in cluster_objects(free, "top", tolerance=3):
        group.sort(key=lambda ch: ch["x0"])
        text = _cell_text(group)
        if text:
            free_lines.append(
                (group[0]["top"], min(ch["x0"] for ch in group), max(ch["x1"] for ch in group), text)
            )
    xs = _clusters([b[0] for b in boxes] + [b[2] for b in boxes], 1.5)
    ys = _clusters([b[1] for b in boxes] + [b[3] for b in boxes] + [line[0] for line in free_lines], 1.5)
    cells: list[Cell] = []
    for n, (x0, top, x1, bottom) in enumerate(boxes):
        r0, r1 = _index(ys, top), _index(ys, bottom)
        c0, c1 = _index(xs, x0), _index(xs, x1)
        cells.append(
            Cell(
                r0,
                c0,
                _cell_text(texts[n]),
                max(r1 - r0, 1),
                max(c1 - c0, 1),
                Origin(page=page_number, bbox=(x0, top, x1, bottom)),
            )
        )
    used = {(c.row, c.col) for c in cells}
    for top, x0, x1, text in free_lines:
        r = _index(ys, top)
        c = _index(xs, x0) if xs and x0 >= xs[0] else 0
        while (r, c) in used:  # a line inside a table's row band: keep it beside, never over, a cell
            c += 1
        used.add((r, c))
        cells.append(Cell(r, c, text, origin=Origin(page=page_number, bbox=(x0, top, x1, top + 10))))
    return Grid(cells, source="pdf", file=name, page=page_number)


def _ruled_by_columns_only(cells: list[Any], chars: list[dict[str, Any]]) -> bool:
    """Return True for a table drawn with column lines but no row lines between its rows.

    The lattice finder then gives one tall cell per column holding many text lines. Such a table
    is one or two cells high and two of its columns hold three or more text lines each (a long
    goal text alone in a ruled row is one cell, not rows).
    """
    if not cells:
        return False
    tops = {round(c[1]) for c in cells}
    if len(tops) > 2:
        return False
    from jixiao.formats.thesaurus import all_labels, label_key

    tall = 0
    first_line: list[str] = []
    for x0, top, x1, bottom in cells:
        inside = [
            ch
            for ch in chars
            if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1 and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
        ]
        lines = {round(ch["top"] / 3) for ch in inside}
        tall += len(lines) >= 3
        if inside:
            first_top = min(ch["top"] for ch in inside)
            first_line.append("".join(ch["text"] for ch in inside if ch["top"] - first_top < 3))
    # Two columns at least with three lines or more each, and labels on the first line (a header
    # row, or label | value pairs): rows, not two long goal texts side by side.
    labels = all_labels()
    return tall >= 2 and any(label_key(text).label in labels for text in first_line)


def _rows_from_text(
    bbox: tuple[float, float, float, float], chars: list[dict[str, Any]], verticals: list[dict[str, Any]]
) -> list[tuple[float, float, float, float]]:
    """Return cell boxes for a table ruled only by columns: one row per text line, each cut at
    the column lines that cross that line (so a cell spanning columns stays one cell).
    """
    from pdfplumber.utils.clustering import cluster_objects

    x0, top, x1, bottom = bbox
    inside = [
        ch
        for ch in chars
        if x0 <= (ch["x0"] + ch["x1"]) / 2 <= x1
        and top <= (ch["top"] + ch["bottom"]) / 2 <= bottom
        and ch["text"].strip()
    ]
    boxes: list[tuple[float, float, float, float]] = []
    for line in cluster_objects(inside, "top", tolerance=3):
        y0 = min(ch["top"] for ch in line) - 1
        y1 = max(ch["bottom"] for ch in line) + 1
        mid = (y0 + y1) / 2
        xs = sorted(
            {x0, x1}
            | {
                e["x0"]
                for e in verticals
                if x0 - 1 <= e["x0"] <= x1 + 1 and e["top"] - 1 <= mid <= e["bottom"] + 1
            }
        )
        edges = [xs[0]]
        for x in xs[1:]:
            if x - edges[-1] > 2:
                edges.append(x)
        boxes.extend((a, y0, b, y1) for a, b in zip(edges, edges[1:], strict=False))
    return boxes


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


_STREAM = re.compile(rb"stream\r?\n")


def _check_streams(data: bytes, name: str | None) -> None:
    """Refuse a decompression bomb before pdfminer inflates it (pdfminer has no limit of its own).

    Every stream that inflates as zlib is inflated here with a running cap of
    :data:`MAX_PDF_DECOMPRESSED` bytes in total; a real form PDF inflates to a few MB.
    """
    budget = MAX_PDF_DECOMPRESSED
    pos = 0
    while True:
        match = _STREAM.search(data, pos)
        if match is None:
            return
        start = match.end()
        end = data.find(b"endstream", start)
        if end < 0:
            return
        pos = end + 9
        if data[start : start + 1] not in (b"x", b"X", b"h", b"H"):  # zlib headers start 0x78 / 0x48 / 0x68
            continue
        inflater = zlib.decompressobj()
        pending = data[start:end]
        try:
            while pending:  # 1 MB at a time: the check itself must not need the memory it guards
                out = inflater.decompress(pending, 1 << 20)
                budget -= len(out)
                if budget < 0 or not out:
                    break
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue
        if budget < 0:
            raise _fail(
                f"PDF 解压后过大（超过 {MAX_PDF_DECOMPRESSED // 1024 // 1024} MB），可能是压缩炸弹",
                f"the PDF inflates to more than {MAX_PDF_DECOMPRESSED // 1024 // 1024} MB; possibly a "
                "decompression bomb",
                "JX-E458",
                name,
            )


def _open(data: bytes, name: str | None) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if b"%%EOF" not in data[-4096:]:
        raise _fail(
            "PDF 文件不完整（缺少文件结尾，可能下载或上传被截断）",
            "the PDF is incomplete (no end-of-file marker; the download or upload was probably cut off)",
            "JX-E451",
            name,
        )
    _check_streams(data, name)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        count = len(pdf.pages)
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError) as exc:
        cause = exc.args[0] if exc.args else exc
        if (
            isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError)
            or "password" in str(exc).lower()
            or "encrypt" in str(exc).lower()
        ):
            raise _fail(
                "PDF 已加密（需要密码才能打开），请上传未加密的文件",
                "the PDF is encrypted (it needs a password); upload an unencrypted file",
                "JX-E453",
                name,
            ) from None
        raise _fail(
            "PDF 文件已损坏，无法读取", "the PDF is damaged and cannot be read", "JX-E450", name
        ) from None
    except Exception:  # pdfminer fails in many ways on damaged files; the user needs one message
        raise _fail(
            "PDF 文件已损坏，无法读取", "the PDF is damaged and cannot be read", "JX-E450", name
        ) from None
    if count == 0:
        pdf.close()
        raise _fail("PDF 中没有页面（文件已损坏）", "the PDF has no pages (it is damaged)", "JX-E450", name)
    if count > MAX_PDF_PAGES:
        pdf.close()
        raise _fail(
            f"PDF 页数过多（{count} 页，上限 {MAX_PDF_PAGES} 页），请拆分后上传",
            f"the PDF has too many pages ({count}, limit {MAX_PDF_PAGES}); split it and upload again",
            "JX-E454",
            name,
        )
    return pdf


def _check_text_layer(
    chars: list[dict[str, Any]], page_number: int, name: str | None, totals: list[int]
) -> None:
    bad = sum(1 for ch in chars if ch["text"].startswith("(cid:") or "\ufffd" in ch["text"])
    totals[0] += len(chars)
    totals[1] += bad
    if chars and bad / len(chars) > _BAD_CHAR_SHARE:
        raise _fail(
            f"第 {page_number} 页的字体没有 Unicode 映射（提取出 (cid:…) 或乱码），无法可靠识别文字；"
            "请用原始电子文件另存为 PDF，或上传 Excel 版本",
            f"the fonts on page {page_number} have no Unicode map ((cid:…) codes or U+FFFD come out), so "
            "the text cannot be read reliably; save the original file as PDF again, or upload the Excel version",
            "JX-E452",
            name,
            page_number,
        )


def read_pdf(data: bytes, name: str | None = None) -> list[Document]:
    """Return the declarations and self-evaluations in a born-digital PDF.

    Raises :class:`FormatError`: JX-E450 damaged, JX-E451 truncated, JX-E452 fonts without a
    Unicode map, JX-E453 encrypted, JX-E454 too many pages; a PDF without any text layer is read by OCR (:mod:`jixiao.formats.scan`);
    JX-E457 no form found, JX-E458 decompression bomb; layout errors (a missing label, an unreadable amount) name the page.
    """
    grids, chars = _page_grids(data, name)
    if chars == 0:
        # No text layer at all: a scan or a photo saved as PDF. It is read through OCR; a PDF with
        # any text on it is born-digital and never goes there.
        from jixiao.formats.scan import read_scanned_pdf

        return read_scanned_pdf(data, name)
    docs = interpret(grids, file=name)
    if not docs:
        raise _fail(
            "PDF 中没有找到申报表或自评表",
            "no declaration or self-evaluation form found in the PDF",
            "JX-E457",
            name,
        )
    return docs


def pdf_grids(data: bytes, name: str | None = None) -> list[Grid]:
    """Return the cell grid of every page of a born-digital PDF (any form); [] for a PDF without text.

    The same checks as :func:`read_pdf` (damage, encryption, bombs, fonts without a Unicode map) run.
    """
    grids, chars = _page_grids(data, name)
    return grids if chars else []


def _page_grids(data: bytes, name: str | None) -> tuple[list[Grid], int]:
    pdf = _open(data, name)
    grids: list[Grid] = []
    totals = [0, 0]
    try:
        for number, page in enumerate(pdf.pages, start=1):
            try:
                page = _dedupe(page)
                _check_text_layer(page.chars, number, name, totals)
                grids.append(page_grid(page, number, name))
            except JixiaoError:
                raise
            except Exception:  # pdfminer fails in many ways on damaged files; the user needs one message
                raise _fail(
                    f"第 {number} 页已损坏，无法读取",
                    f"page {number} is damaged and cannot be read",
                    "JX-E450",
                    name,
                    number,
                ) from None
            finally:
                page.close()
    finally:
        pdf.close()
    return grids, totals[0]
