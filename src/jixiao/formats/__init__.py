"""Readers and writers of file formats: the only code that knows file layouts.

Every command that takes a file recognises its format by content, not only by its extension
(DESIGN.md). The readers sit in one registry, :data:`READERS`: adding a format is adding an entry.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jixiao.domain.errors import InputError, JixiaoError, Location
from jixiao.domain.model import Document

__all__ = [
    "MAX_INPUT_BYTES",
    "READERS",
    "Reader",
    "decode_text",
    "max_input_bytes",
    "read_bytes",
    "read_path",
    "read_text",
    "sniff_format",
]

# Uploads and CLI inputs larger than this are refused before any parsing; JIXIAO_MAX_INPUT_BYTES
# overrides it, read at each call (never at import), so a test or a server changes it any time.
MAX_INPUT_BYTES = 50 * 1024 * 1024


def max_input_bytes() -> int:
    """Return the size limit of one input: ``JIXIAO_MAX_INPUT_BYTES`` or :data:`MAX_INPUT_BYTES`."""
    raw = os.environ.get("JIXIAO_MAX_INPUT_BYTES", "").strip()
    return int(raw) if raw.isdigit() else MAX_INPUT_BYTES


@dataclass(frozen=True, slots=True)
class Reader:
    """One input format: how to recognise its bytes and which function reads them.

    ``read`` is ``"module:function"``, imported on first use so that reading text never pays for
    the PDF or Excel libraries; the function takes ``(data: bytes, name: str | None)``.
    """

    name: str
    sniff: Callable[[bytes, str | None], bool]
    read: str

    def __call__(self, data: bytes, name: str | None) -> list[Document]:
        module_name, func_name = self.read.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            raise InputError(
                f"暂不支持读取 {self.name} 格式的文件",
                f"reading {self.name} files is not supported yet",
                code="JX-E109",
                where=Location(file=name),
            ) from None
        func: Callable[[bytes, str | None], list[Document]] = getattr(module, func_name)
        return func(data, name)


def _is_pdf(data: bytes, name: str | None) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF")


def _is_zip(data: bytes, name: str | None) -> bool:
    return data[:4] == b"PK\x03\x04"


def _is_docx(data: bytes, name: str | None) -> bool:
    # docx and xlsx are both zip packages: a Word document is the one holding word/document.xml.
    from jixiao.formats.docx import is_docx

    return is_docx(data)


def _is_html(data: bytes, name: str | None) -> bool:
    from jixiao.formats.html import looks_like_html

    return looks_like_html(data)


def _is_ole(data: bytes, name: str | None) -> bool:
    # The OLE2 compound file signature: legacy .xls (and .doc, which the xls reader refuses).
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_image(data: bytes, name: str | None) -> bool:
    # PNG, JPEG, TIFF (little- and big-endian) by signature; mirrors jixiao.formats.scan.is_image,
    # which is not imported here so that reading text never loads the OCR stack.
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def _is_json(data: bytes, name: str | None) -> bool:
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"[", b"{")


READERS: list[Reader] = [
    Reader("pdf", _is_pdf, "jixiao.formats.pdf:read_pdf"),
    Reader("docx", _is_docx, "jixiao.formats.docx:read_docx"),
    Reader("xlsx", _is_zip, "jixiao.formats.xlsx:read_xlsx"),
    Reader("xls", _is_ole, "jixiao.formats.xlsx:read_xls"),
    Reader("json", _is_json, "jixiao.formats.json_reader:read_json"),
    # Scans and photos (PNG, JPEG, TIFF) go through OCR into the same cell grid.
    Reader("image", _is_image, "jixiao.formats.scan:read_image"),
    Reader("html", _is_html, "jixiao.formats.html:read_html"),
    Reader("text", lambda data, name: True, "jixiao.formats.text:read_text_bytes"),
]


def sniff_format(data: bytes, name: str | None = None) -> Reader:
    """Return the reader whose signature matches ``data`` (text is the fallback)."""
    for reader in READERS:
        if reader.sniff(data, name):
            return reader
    raise AssertionError("the text reader accepts everything")  # pragma: no cover


def decode_text(data: bytes, name: str | None = None) -> str:
    """Return ``data`` decoded as UTF-8 (with or without BOM) or GBK/GB18030; CRLF becomes LF.

    Raises :class:`InputError` JX-E103 when the bytes are neither.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise InputError(
        "文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本，无法读取",
        "the file is neither UTF-8 nor GBK/GB18030 text",
        code="JX-E103",
        where=Location(file=name),
    )


def check_size(data: bytes, name: str | None) -> None:
    """Raise :class:`InputError` JX-E104 when ``data`` is over the input size limit."""
    limit = max_input_bytes()
    if len(data) > limit:
        raise InputError(
            f"文件过大（{len(data) // 1024 // 1024} MB，上限 {limit // 1024 // 1024} MB）",
            f"file too large ({len(data) // 1024 // 1024} MB, limit {limit // 1024 // 1024} MB)",
            code="JX-E104",
            where=Location(file=name),
        )


def read_bytes(data: bytes, name: str | None = None) -> list[Document]:
    """Return the documents in ``data``, whatever format it is in; raise a JixiaoError if none."""
    check_size(data, name)
    try:
        return sniff_format(data, name)(data, name)
    except JixiaoError as exc:
        raise exc.located(file=name) from None


def read_text(text: str, name: str | None = None) -> list[Document]:
    """Return the documents in a text: canonical JSON or extracted form text."""
    from jixiao.formats import json as json_format
    from jixiao.formats.text import read_documents

    if json_format.looks_like_json(text):
        return json_format.loads(text, file=name)
    return read_documents(text, file=name)


def read_path(path: str | Path) -> list[Document]:
    """Return the documents in the file at ``path``; InputError JX-E101 when it cannot be opened."""
    p = Path(path)
    try:
        with p.open("rb") as handle:
            # Read one byte past the limit, never the whole of a huge file.
            data = handle.read(max_input_bytes() + 1)
    except FileNotFoundError:
        raise InputError(
            "文件不存在", "no such file", code="JX-E101", where=Location(file=str(path))
        ) from None
    except IsADirectoryError:
        raise InputError(
            "这是一个目录，不是文件",
            "this is a directory, not a file",
            code="JX-E101",
            where=Location(file=str(path)),
        ) from None
    except OSError as exc:
        raise InputError(
            f"无法打开文件：{exc.strerror}",
            f"cannot open the file: {exc.strerror}",
            code="JX-E101",
            where=Location(file=str(path)),
        ) from None
    return read_bytes(data, str(path))
