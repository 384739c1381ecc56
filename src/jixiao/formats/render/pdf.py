"""PDF output of the official forms through Typst (the ``typst`` package; stack-notes.md §3).

A4 portrait, a Chinese font embedded (Debian's fonts-noto-cjk, found at run time), merged cells
and vertical section labels, indicator rows never split across pages, the indicator header
repeated on continuation pages, several forms in one PDF (each on new pages).

The documents travel to ``forms.typ`` as JSON in ``sys.inputs``: the template only displays the
strings, so Typst markup in a user's text (``#``, ``*``, ``$``, ``[``) cannot change the document.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from jixiao.domain.errors import FormatError
from jixiao.domain.model import Document
from jixiao.formats.render.layout import FormLayout, layout_for

__all__ = ["FONT_FAMILIES", "TEMPLATE", "font_dirs", "layout_payload", "layouts_pdf", "render_pdf"]

TEMPLATE = Path(__file__).with_name("forms.typ")
# 宋体-like serif first (official forms are set in 宋体/仿宋), the sans face as fallback.
FONT_FAMILIES = ["Noto Serif CJK SC", "Noto Sans CJK SC"]
_FONT_FILES = (
    "NotoSerifCJK-Regular.ttc",
    "NotoSansCJK-Regular.ttc",
    "NotoSerifCJKsc-Regular.otf",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansCJK-Regular.otf",
)
_FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/truetype/noto",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
)

_lock = threading.Lock()
_compiler: Any = None
_compiler_dirs: tuple[str, ...] = ()


def font_dirs() -> list[str]:
    """Return the folders holding a Noto CJK font (``JIXIAO_FONT_DIR`` first).

    Raises :class:`FormatError` JX-E460 when there is none: without a CJK font every Chinese
    character would print as a box, so refusing is better than a wrong PDF.
    """
    candidates = [d for d in os.environ.get("JIXIAO_FONT_DIR", "").split(os.pathsep) if d]
    candidates += list(_FONT_DIRS)
    found = [d for d in candidates if any((Path(d) / f).is_file() for f in _FONT_FILES)]
    if not found:
        for root in ("/usr/share/fonts", "/usr/local/share/fonts"):
            for path in sorted(Path(root).rglob("Noto*CJK*")) if Path(root).is_dir() else []:
                found.append(str(path.parent))
                break
    if not found:
        raise FormatError(
            "找不到中文字体（Noto CJK）：请安装 Debian 软件包 fonts-noto-cjk（make setup 会安装），"
            "或用环境变量 JIXIAO_FONT_DIR 指定字体目录",
            "no Chinese font (Noto CJK) found: install the Debian package fonts-noto-cjk (make setup does), "
            "or point JIXIAO_FONT_DIR at a font folder",
            code="JX-E460",
        )
    return list(dict.fromkeys(found))


# A space next to a Chinese character must not become a line break: at a break it would vanish
# and the text read back would differ. A no-break space prints (and extracts) the same.
_CJK_SPACE = re.compile(r"(?<=[\u2e80-\u9fff\uff00-\uffef]) | (?=[\u2e80-\u9fff\uff00-\uffef])")


_VERTICAL = str.maketrans({"（": "\ufe35", "）": "\ufe36", "(": "\ufe35", ")": "\ufe36"})


def _cell_payload(cell: Any, cut: str | None = None, **override: Any) -> dict[str, Any]:
    out = {k: v for k, v in asdict(cell).items() if k not in ("value", "field", "fmt")}
    out["text"] = _CJK_SPACE.sub("\u00a0", out["text"])
    if out["role"] == "vlabel":  # brackets in a vertical label take their vertical forms ︵ ︶
        out["text"] = out["text"].translate(_VERTICAL)
    out["cut"] = cut
    out |= override
    return out


def layout_payload(layout: FormLayout) -> dict[str, Any]:
    """Return the JSON the template draws: title, widths and the cells of each section.

    A vertical label that starts in a repeated header and runs into the body is split in two
    (Typst's header rows cannot span into the body): an empty header part without its bottom line
    and the labelled body part without its top line, which print as one tall cell.
    """
    sections = []
    for section in layout.sections:
        cells = []
        for cell in section.cells:
            h = section.header_rows
            if h and cell.row < h < cell.row + cell.rowspan:
                cells.append(
                    _cell_payload(
                        cell, "bottom", text="", rowspan=h - cell.row, role="label", breakable=False
                    )
                )
                cells.append(_cell_payload(cell, "top", row=h, rowspan=cell.row + cell.rowspan - h))
            else:
                cells.append(_cell_payload(cell))
        sections.append({"header_rows": section.header_rows, "cells": cells})
    return {
        "title": layout.title,
        "subtitle": layout.subtitle,
        "widths": list(layout.widths),
        "landscape": layout.landscape,
        "sections": sections,
    }


def _get_compiler(dirs: list[str]) -> Any:
    global _compiler, _compiler_dirs
    import typst

    if _compiler is None or _compiler_dirs != tuple(dirs):
        _compiler = typst.Compiler(
            str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=dirs, ignore_system_fonts=True
        )
        _compiler_dirs = tuple(dirs)
    return _compiler


def render_pdf(docs: Iterable[Document], *, title: str | None = None) -> bytes:
    """Return one PDF with every document in the official layout, each starting on a new page."""
    return layouts_pdf((layout_for(doc) for doc in docs), title=title)


def layouts_pdf(layouts: Iterable[FormLayout], *, title: str | None = None) -> bytes:
    """Return one PDF with every filled layout (any form, e.g. the 监控表), each on new pages."""
    import typst

    forms = [layout_payload(layout) for layout in layouts]
    if not forms:
        raise FormatError("没有可以输出的表格", "there is no form to render", code="JX-E461")
    payload = {
        "title": title or (forms[0]["title"] if len(forms) == 1 else "财政项目支出绩效表"),
        "fonts": FONT_FAMILIES,
        "forms": forms,
    }
    dirs = font_dirs()
    with _lock:
        compiler = _get_compiler(dirs)
        try:
            result = compiler.compile(
                format="pdf", sys_inputs={"data": json.dumps(payload, ensure_ascii=False)}
            )
        except typst.TypstError as exc:  # a template bug, not the user's input: say so plainly
            raise FormatError(
                f"PDF 排版失败：{exc.message}", f"PDF typesetting failed: {exc.message}", code="JX-E462"
            ) from None
    if not isinstance(result, bytes):  # pragma: no cover - pdf output is a single bytes object
        raise FormatError("PDF 排版失败", "PDF typesetting failed", code="JX-E462")
    return result
