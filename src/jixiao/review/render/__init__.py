"""Review reports: readable text, JSON, a standalone HTML file, and an Excel workbook.

One registry, :data:`RENDERERS`: format name → function ``(report, lang) -> str | bytes``.
"""

from __future__ import annotations

from collections.abc import Callable

from jixiao.review.engine import ReviewReport
from jixiao.review.render.html import render_html
from jixiao.review.render.text import render_text
from jixiao.review.render.xlsx import render_xlsx

__all__ = ["RENDERERS", "render", "render_html", "render_json", "render_text", "render_xlsx"]


def render_json(report: ReviewReport, lang: str = "zh") -> str:
    """Return the JSON report (the shape documented in the README)."""
    return report.to_json(lang)


RENDERERS: dict[str, Callable[[ReviewReport, str], str | bytes]] = {
    "text": render_text,
    "json": render_json,
    "html": render_html,
    "xlsx": render_xlsx,
}


def render(report: ReviewReport, fmt: str, lang: str = "zh") -> str | bytes:
    """Return ``report`` rendered as ``fmt`` (text, json, html, xlsx); KeyError for another name."""
    return RENDERERS[fmt](report, lang)
