"""Scanned and photographed forms: OCR into the same cell grid as every other source.

A scan (PNG, JPEG or TIFF, or a PDF whose pages are only images) becomes one
:class:`~jixiao.formats.grid.Grid` per page: the table's ruling is found in the image, each text box
is recognised (PP-OCRv4 through rapidocr-onnxruntime, models inside the wheel) and assigned to its
cell, and every cell carries the recognition confidence in ``Origin.confidence``. The grids then go to
the interpreter that reads every other source (:mod:`jixiao.formats.interpret`), and :mod:`.checks` adds what only a scan needs: a warning
for every field read with low confidence, and the corrections of OCR's usual confusions that the
target grammar or the label thesaurus make unambiguous, each one a warning.

Pages are recognised in parallel, one worker thread per core (onnxruntime and OpenCV release the
GIL); ``progress(done, total)`` is called as pages finish. A born-digital PDF never comes here: the
PDF reader sends only a PDF without any text layer.
"""

from __future__ import annotations

import io
import os
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from jixiao.domain.errors import FormatError, JixiaoError, Location
from jixiao.domain.model import Document
from jixiao.formats.grid import Cell, Grid, Note, Origin

__all__ = [
    "MAX_SCAN_PAGES",
    "MAX_SCAN_PIXELS",
    "Progress",
    "documents_from_grids",
    "grid_from_dict",
    "grid_to_dict",
    "grids_from_images",
    "is_image",
    "page_grids",
    "read_image",
    "read_scanned_pdf",
    "reporting",
    "scan_grids",
    "scan_page_count",
]

Progress = Callable[[int, int], None]

# Where a caller that reads through the format registry (the web import) hears about pages.
_reporting: ContextVar[Progress | None] = ContextVar("jixiao_scan_progress", default=None)


@contextmanager
def reporting(progress: Progress) -> Iterator[None]:
    """Call ``progress(done, total)`` for the pages of every scan read inside the ``with`` block.

    For callers that read through :func:`jixiao.formats.read_bytes`, which takes no callback.
    """
    token = _reporting.set(progress)
    try:
        yield
    finally:
        _reporting.reset(token)


MAX_SCAN_PAGES = int(os.environ.get("JIXIAO_MAX_SCAN_PAGES", "100"))
# An A4 page at 600 dpi is 35 megapixels; more is not a scan of a form (or a decompression bomb).
MAX_SCAN_PIXELS = int(os.environ.get("JIXIAO_MAX_SCAN_PIXELS", str(60_000_000)))
# Image-only PDF pages are rendered at this resolution (a form's smallest text is ~9 pt).
PDF_DPI = int(os.environ.get("JIXIAO_OCR_PDF_DPI", "200"))

MIN_SIDE = 32  # pixels: below this a page holds no readable text

_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def is_image(data: bytes, name: str | None = None) -> bool:
    """Return True for PNG, JPEG and TIFF bytes (by their signature, not the file name)."""
    return data.startswith(_SIGNATURES)


def _fail(zh: str, en: str, code: str, name: str | None, page: int | None = None) -> FormatError:
    return FormatError(zh, en, code=code, where=Location(file=name, page=page))


def _decode_frames(data: bytes, name: str | None) -> list[Any]:
    """Return the frames of an image file as RGB arrays (a TIFF may hold many pages)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = None  # the limit in _frames_of applies, with a jixiao error
    try:
        with warnings.catch_warnings():  # Pillow warns about damaged metadata; the error below says it
            warnings.simplefilter("ignore")
            frames = _frames_of(Image.open(io.BytesIO(data)), name)
    except JixiaoError:
        raise
    except Exception:  # Pillow fails in many ways on damaged files; the user needs one message
        raise _fail(
            "图像文件已损坏或格式不受支持，无法读取",
            "the image file is damaged or in an unsupported format",
            "JX-E490",
            name,
        ) from None
    if not frames:
        raise _fail("图像文件中没有页面", "the image file holds no page", "JX-E490", name)
    return frames


def _frames_of(image: Any, name: str | None) -> list[Any]:
    import numpy as np
    from PIL import ImageOps, ImageSequence

    frames = []
    for n, frame in enumerate(ImageSequence.Iterator(image), start=1):
        if n > MAX_SCAN_PAGES:
            raise _fail(
                f"图像页数过多（超过 {MAX_SCAN_PAGES} 页），请拆分后上传",
                f"the image has too many pages (more than {MAX_SCAN_PAGES}); split it and upload again",
                "JX-E492",
                name,
            )
        w, h = frame.size
        if w * h > MAX_SCAN_PIXELS:
            raise _fail(
                f"图像过大（{w}×{h} 像素，上限 {MAX_SCAN_PIXELS // 1_000_000} 百万像素），请以 300 dpi 以下扫描",
                f"the image is too large ({w}×{h} pixels, limit {MAX_SCAN_PIXELS // 1_000_000} megapixels); "
                "scan at 300 dpi or less",
                "JX-E491",
                name,
                n,
            )
        # A phone photo records its orientation in EXIF; the pixels are stored unrotated.
        upright = ImageOps.exif_transpose(frame) if n == 1 else frame
        frames.append(np.asarray(upright.convert("RGB")))
    return frames


_pdfium_lock = threading.Lock()  # pdfium is not thread-safe: one call into it at a time


@contextmanager
def _pdf_pages(data: bytes, name: str | None) -> Iterator[list[Callable[[], Any]]]:
    """Open an image-only PDF and give one loader per page, rendering it at :data:`PDF_DPI` on demand.

    Pages are rendered when a worker needs them, not all at once: a 100-page scan at 200 dpi would
    otherwise hold over a gigabyte of pixels.
    """
    import numpy as np
    import pypdfium2

    with _pdfium_lock:
        try:
            pdf = pypdfium2.PdfDocument(data)
            count = len(pdf)
        except Exception:  # pdfium's errors name no page; the user needs one message
            raise _fail(
                "PDF 文件已损坏，无法读取", "the PDF is damaged and cannot be read", "JX-E450", name
            ) from None
    try:
        if count > MAX_SCAN_PAGES:
            raise _fail(
                f"扫描件页数过多（{count} 页，上限 {MAX_SCAN_PAGES} 页），请拆分后上传",
                f"the scan has too many pages ({count}, limit {MAX_SCAN_PAGES}); split it and upload again",
                "JX-E492",
                name,
            )

        def loader(n: int) -> Callable[[], Any]:
            def load() -> Any:
                with _pdfium_lock:
                    page = pdf[n]
                    try:
                        w, h = page.get_size()
                        scale = PDF_DPI / 72
                        if w * h * scale * scale > MAX_SCAN_PIXELS:
                            scale = (MAX_SCAN_PIXELS / (w * h)) ** 0.5
                        return np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
                    except Exception:
                        raise _fail(
                            f"第 {n + 1} 页已损坏，无法读取",
                            f"page {n + 1} is damaged and cannot be read",
                            "JX-E450",
                            name,
                            n + 1,
                        ) from None
                    finally:
                        page.close()

            return load

        yield [loader(n) for n in range(count)]
    finally:
        with _pdfium_lock:
            pdf.close()


def grids_from_images(
    images: Sequence[Any], file: str | None = None, progress: Progress | None = None, first_page: int = 1
) -> list[Grid]:
    """Return one grid per page: an RGB array, or a function that returns one when called.

    Pages are recognised in parallel, one worker thread per core
    (:func:`~jixiao.formats.scan.engine.workers`); each worker borrows an engine, and onnxruntime
    gets the cores that no other page is using. ``progress(done, total)`` follows the pages.
    """
    from jixiao.formats.scan.engine import borrowed, workers
    from jixiao.formats.scan.page import read_page

    progress = progress or _reporting.get()
    total = len(images)
    n_workers = workers(total)
    threads = max(1, (os.cpu_count() or 1) // n_workers)
    done = 0
    if progress:
        progress(0, total)

    def one(index: int) -> Grid:
        image = images[index]
        rgb = image() if callable(image) else image
        page = first_page + index
        if min(rgb.shape[:2]) < MIN_SIDE:  # a strip or a thumbnail: nothing a form could be read from
            return Grid([], source="scan", file=file, page=page)
        try:
            with borrowed(threads) as eng:
                return read_page(rgb, eng, page, file)
        except JixiaoError:
            raise
        except Exception:  # OpenCV and onnxruntime fail in many ways on odd images; one message
            raise _fail(
                f"第 {page} 页图像无法识别（图像异常或已损坏）",
                f"page {page} could not be recognised (an unusual or damaged image)",
                "JX-E490",
                file,
                page,
            ) from None

    grids: list[Grid] = []
    with ThreadPoolExecutor(max_workers=n_workers, thread_name_prefix="jixiao-ocr") as pool:
        for grid in pool.map(one, range(total)):
            grids.append(grid)
            done += 1
            if progress:
                progress(done, total)
    return grids


def scan_grids(data: bytes, name: str | None = None, progress: Progress | None = None) -> list[Grid]:
    """Return the grids of a scan: an image file (PNG/JPEG/TIFF) or an image-only PDF."""
    if data[:1024].lstrip().startswith(b"%PDF"):
        with _pdf_pages(data, name) as pages:
            return grids_from_images(pages, name, progress)
    return grids_from_images(_decode_frames(data, name), name, progress)


def scan_page_count(data: bytes) -> int | None:
    """Return how many pages a scan has: an image file's frames, or the pages of a PDF with no text
    on any page. None for anything else, and for a file that cannot be opened: its reader then
    gives the error (so a damaged file is refused as it is today, in one message).

    Cheap (no page is decoded or rendered): the web import uses it to decide whether a scan is read
    inside the upload request or page by page in a job.
    """
    if is_image(data):
        from PIL import Image

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with Image.open(io.BytesIO(data)) as image:
                    return int(getattr(image, "n_frames", 1))
        except Exception:  # damaged: read_image says why
            return None
    if not data[:1024].lstrip().startswith(b"%PDF"):
        return None
    import pypdfium2

    with _pdfium_lock:
        try:
            pdf = pypdfium2.PdfDocument(data)
        except Exception:  # damaged: the PDF reader says why
            return None
        try:
            for page in pdf:
                # Any character on any page makes it born-digital: the PDF reader reads it, never OCR.
                text = page.get_textpage()
                chars = text.count_chars()
                text.close()
                page.close()
                if chars:
                    return None
            return len(pdf)
        except Exception:
            return None
        finally:
            pdf.close()


def page_grids(data: bytes, name: str | None, start: int, end: int) -> list[Grid]:
    """Return the grids of pages ``start``..``end - 1`` (counted from 0) of a scan, numbered as in
    the whole file: what a job reads per chunk. Only those pages are rendered (a PDF) or recognised.
    """
    if data[:1024].lstrip().startswith(b"%PDF"):
        with _pdf_pages(data, name) as pages:
            return grids_from_images(pages[start:end], name, first_page=start + 1)
    return grids_from_images(_decode_frames(data, name)[start:end], name, first_page=start + 1)


def _origin_to_list(origin: Origin) -> list[Any]:
    return [origin.page, list(origin.bbox) if origin.bbox else None, *origin[2:]]


def _origin_from_list(value: list[Any]) -> Origin:
    page, bbox, *rest = value
    return Origin(page, tuple(bbox) if bbox else None, *rest)


def grid_to_dict(grid: Grid) -> dict[str, Any]:
    """Return a grid as plain JSON values (a job keeps each page it has read until the form is read)."""
    return {
        "source": grid.source,
        "file": grid.file,
        "page": grid.page,
        "sheet": grid.sheet,
        "cells": [[*c[:5], _origin_to_list(c.origin)] for c in grid.cells],
        "notes": [
            [n.row, n.code, n.message, n.message_en, n.path, _origin_to_list(n.origin)] for n in grid.notes
        ],
    }


def grid_from_dict(value: dict[str, Any]) -> Grid:
    """Return the grid :func:`grid_to_dict` wrote (equal to the one it was given)."""
    return Grid(
        [Cell(c[0], c[1], c[2], c[3], c[4], _origin_from_list(c[5])) for c in value["cells"]],
        source=value["source"],
        file=value["file"],
        page=value["page"],
        sheet=value["sheet"],
        notes=[Note(n[0], n[1], n[2], n[3], n[4], _origin_from_list(n[5])) for n in value["notes"]],
    )


def documents_from_grids(grids: list[Grid], name: str | None) -> list[Document]:
    """Return the documents the form reader finds in scanned grids, checked for OCR's doubts."""
    from jixiao.formats.interpret import interpret
    from jixiao.formats.scan.checks import check_documents, correct_grids

    if not any(cell.text for grid in grids for cell in grid.cells):
        raise _fail(
            "扫描件中没有识别出文字（图像可能空白、过暗或分辨率过低）",
            "no text was recognised in the scan (the image may be blank, too dark or too coarse)",
            "JX-E493",
            name,
        )
    corrected, notes = correct_grids(grids)
    docs = interpret(corrected, file=name)
    if not docs:
        raise _fail(
            "扫描件中没有找到申报表或自评表",
            "no declaration or self-evaluation form found in the scan",
            "JX-E494",
            name,
        )
    return check_documents(docs, corrected, notes)


def read_image(data: bytes, name: str | None = None, progress: Progress | None = None) -> list[Document]:
    """Return the declarations and self-evaluations in a scanned or photographed form image.

    Raises :class:`FormatError`: JX-E490 damaged image, JX-E491 too many pixels, JX-E492 too many
    pages, JX-E493 no text recognised, JX-E494 no form found.
    """
    return documents_from_grids(scan_grids(data, name, progress), name)


def read_scanned_pdf(
    data: bytes, name: str | None = None, progress: Progress | None = None
) -> list[Document]:
    """Return the documents of a PDF whose pages are images (no text layer), through OCR."""
    return documents_from_grids(scan_grids(data, name, progress), name)
