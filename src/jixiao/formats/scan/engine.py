"""The OCR engine: PP-OCRv4 Chinese detection and recognition through rapidocr-onnxruntime.

The ONNX models ship inside the ``rapidocr-onnxruntime`` wheel; nothing is fetched at run time.
Inference runs on onnxruntime's CPU provider unless ``JIXIAO_OCR_DEVICE`` asks for the GPU
(``gpu`` or ``cuda``) and onnxruntime offers the CUDA provider; without it the CPU is used and
a log line says so. The variable is read when a reader first needs an engine, never at import.
Engines are pooled: each page of a scan runs in a worker thread with an engine of its own
(rapidocr keeps per-call state on its objects, so one engine serves one thread at a time).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Engine", "borrowed", "providers", "workers"]

log = logging.getLogger("jixiao.scan")

_lock = threading.Lock()
_load_lock = threading.Lock()
_idle: dict[int, list[Engine]] = {}


def providers(available: list[str] | None = None) -> list[str]:
    """Return the onnxruntime providers OCR uses, in order, as configured by ``JIXIAO_OCR_DEVICE``.

    ``cpu`` (the default) uses the CPU; ``gpu``/``cuda`` puts CUDA first when onnxruntime offers it.
    """
    if available is None:
        import onnxruntime

        available = list(onnxruntime.get_available_providers())
    device = os.environ.get("JIXIAO_OCR_DEVICE", "cpu").strip().lower()
    if device in ("gpu", "cuda"):
        if "CUDAExecutionProvider" in available:
            return ["CUDAExecutionProvider", "CPUExecutionProvider"]
        log.warning("JIXIAO_OCR_DEVICE=%s but onnxruntime has no CUDA provider: OCR runs on the CPU", device)
    return ["CPUExecutionProvider"]


def workers(pages: int) -> int:
    """Return how many pages to recognise at once: one per core (``JIXIAO_OCR_WORKERS`` overrides)."""
    configured = os.environ.get("JIXIAO_OCR_WORKERS", "").strip()
    n = int(configured) if configured.isdigit() and int(configured) > 0 else (os.cpu_count() or 1)
    return max(1, min(n, pages))


class Engine:
    """One detector and one recogniser (rapidocr's components), used by one thread."""

    def __init__(self, threads: int) -> None:
        from rapidocr_onnxruntime import RapidOCR

        use_cuda = providers()[0] == "CUDAExecutionProvider"
        with _load_lock:  # model loading is not thread-safe in rapidocr's config handling
            ocr = RapidOCR(
                intra_op_num_threads=threads,
                inter_op_num_threads=1,
                det_use_cuda=use_cuda,
                rec_use_cuda=use_cuda,
                cls_use_cuda=use_cuda,
            )
        self._det = ocr.text_det
        self._rec = ocr.text_rec

    def detect(self, image: Any) -> list[Any]:
        """Return the text boxes of an image (3-channel uint8) as 4-point arrays."""
        boxes, _elapsed = self._det(image)
        return [] if boxes is None else list(boxes)

    def recognize(self, crops: list[Any]) -> list[tuple[str, float]]:
        """Return ``(text, confidence)`` for each line image (3-channel uint8)."""
        if not crops:
            return []
        results, _elapsed = self._rec(crops)
        return [(str(text), float(score)) for text, score, *_ in results]


@contextmanager
def borrowed(threads: int = 1) -> Iterator[Engine]:
    """Lend an idle engine with ``threads`` onnxruntime threads (made on first need), then keep it.

    Engines are pooled rather than made per call: a worker thread takes one, and gives it back when
    its page is done, so a busy server holds at most as many engines as pages it reads at once.
    """
    with _lock:
        idle = _idle.setdefault(threads, [])
        current = idle.pop() if idle else None
    if current is None:
        current = Engine(threads)
    try:
        yield current
    finally:
        with _lock:
            _idle.setdefault(threads, []).append(current)
