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

__all__ = [
    "WRITERS",
    "available_formats",
    "content_disposition",
    "export_bytes",
    "export_documents",
    "export_monitoring",
    "export_self_evaluation",
    "file_name",
]

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


def export_documents(docs: list[Any], fmt: str) -> tuple[bytes, str]:
    """Return (bytes, MIME type) of several documents in one file: one sheet or page set each; ``bulk``
    is the one-row-per-indicator sheet of :func:`jixiao.formats.xlsx.bulk_xlsx`."""
    if fmt == "bulk":
        from jixiao.formats.xlsx import bulk_xlsx

        return bulk_xlsx(docs), WRITERS["xlsx"][2]
    func = _writer(fmt)
    if func is None:
        raise InputError(
            f"导出格式「{fmt}」尚不可用", f"export format '{fmt}' is not available", code="JX-E160"
        )
    data = func(docs)
    return (data.encode() if isinstance(data, str) else bytes(data)), WRITERS[fmt][2]


def export_self_evaluation(record: Any, fmt: str) -> tuple[bytes, str]:
    """Return a stored self-evaluation in the official layout as ``xlsx`` or ``pdf``."""
    return export_documents([from_dict(record.document)], fmt)


def export_monitoring(record: Any, fmt: str, region: Any) -> tuple[bytes, str]:
    """Return a stored monitoring report (with its lights) as ``xlsx`` or ``pdf``."""
    from jixiao.evaluation.config import get_rules
    from jixiao.evaluation.monitoring import monitor
    from jixiao.formats.json_monitoring import from_dict as monitoring_from_dict
    from jixiao.formats.render.monitoring import monitoring_pdf, monitoring_xlsx

    rules = get_rules(region) if isinstance(region, str) else region  # a key or RegionRules
    report = monitoring_from_dict(record.document)
    result = monitor(report, rules)
    if fmt == "xlsx":
        return monitoring_xlsx([report], [result], rules), WRITERS["xlsx"][2]
    if fmt == "pdf":
        return monitoring_pdf([report], [result], rules), WRITERS["pdf"][2]
    raise InputError(f"导出格式「{fmt}」尚不可用", f"export format '{fmt}' is not available", code="JX-E160")


def file_name(*parts: Any, ext: str) -> str:
    """Return a file name a person recognises: ``2022-城运案件托底处置费-申报表.xlsx``.

    Characters that file systems refuse (``/ \\ : * ? " < > |``) become ``-``; long names are cut
    at 80 characters before the extension.
    """
    import re

    text = "-".join(str(p).strip() for p in parts if p not in (None, ""))
    text = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", text).strip(" .-") or "export"
    return f"{text[:80]}.{ext}"


def content_disposition(name: str, fallback: str) -> str:
    """Return an attachment header with the readable UTF-8 name and an ASCII fallback (RFC 6266)."""
    from urllib.parse import quote

    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
