"""Export a stored declaration through the formats writers (Excel, PDF) when they are installed."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from typing import Any

from jixiao.db.declarations.models import Declaration
from jixiao.domain.errors import InputError, ServerBusy
from jixiao.domain.limits import LIMITS
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


# Rendering is CPU-bound Python: in one server process (gunicorn worker, several threads) at most
# this many renders run at once, so that the other threads keep answering pages. A render that
# finds no free slot within a second is refused with JX-E760 (503, retry), not queued.
_RENDER_SLOTS = threading.BoundedSemaphore(LIMITS.max_concurrent_renders)


def export_bytes(obj: Declaration, fmt: str) -> tuple[bytes, str]:
    """Return (file bytes, MIME type) of ``obj`` in ``fmt``; InputError JX-E160 when unavailable,
    ServerBusy JX-E760 when the process's render slots are taken."""
    func = _writer(fmt)
    if func is None:
        raise InputError(
            f"导出格式「{fmt}」尚不可用", f"export format '{fmt}' is not available", code="JX-E160"
        )
    if not _RENDER_SLOTS.acquire(timeout=1.0):
        raise ServerBusy()
    try:
        data = func([from_dict(obj.document)])
    finally:
        _RENDER_SLOTS.release()
    if isinstance(data, str):
        data = data.encode()
    return bytes(data), WRITERS[fmt][2]
