"""Export a stored declaration through the formats writers (Excel, PDF) when they are installed."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from jixiao.db.declarations.models import Declaration
from jixiao.domain.errors import InputError
from jixiao.formats.json import from_dict

__all__ = ["WRITERS", "available_formats", "export_bytes"]

# format → (module, candidate function names taking a list of documents and returning bytes, MIME type)
WRITERS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "xlsx": (
        "jixiao.formats.xlsx",
        ("write_xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pdf": ("jixiao.formats.render.pdf", ("render_pdf",), "application/pdf"),
}


def _writer(fmt: str) -> Callable[..., Any] | None:
    entry = WRITERS.get(fmt)
    if entry is None:
        return None
    module_name, names, _ = entry
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    for name in names:
        func = getattr(module, name, None)
        if callable(func):
            return func  # type: ignore[no-any-return]
    return None


def available_formats() -> list[str]:
    """Return the export formats (besides JSON) whose writers are installed."""
    return [fmt for fmt in WRITERS if _writer(fmt) is not None]


def export_bytes(obj: Declaration, fmt: str) -> tuple[bytes, str]:
    """Return (file bytes, MIME type) of ``obj`` in ``fmt``; InputError JX-E160 when unavailable."""
    func = _writer(fmt)
    if func is None:
        raise InputError(
            f"导出格式「{fmt}」尚不可用", f"export format '{fmt}' is not available", code="JX-E160"
        )
    data = func([from_dict(obj.document)])
    if isinstance(data, str):
        data = data.encode()
    return bytes(data), WRITERS[fmt][2]
