"""The official forms as HTML tables, drawn from the same layout as the Excel and PDF outputs.

:func:`form_html` returns one form as a ``<section>`` fragment for a web page (the web app's
"view as printed form"); :func:`render_html` returns a whole standalone document with the CSS.
All text is HTML-escaped: a user's ``<script>`` prints as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from html import escape

from jixiao.domain.model import Document
from jixiao.formats.render.layout import FormLayout, LayoutCell, layout_for

__all__ = ["FORM_CSS", "form_html", "layout_html", "render_html"]

FORM_CSS = """
.jx-form { max-width: 210mm; margin: 0 auto 2em; font-family: "Noto Serif CJK SC", "Source Han Serif SC",
  "SimSun", "Songti SC", serif; font-size: 10.5pt; color: #000; }
.jx-form h1 { text-align: center; font-size: 17pt; margin: 0.2em 0 0; }
.jx-form .jx-year { text-align: center; margin: 0.2em 0 0.6em; }
.jx-form table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.jx-form table + table { margin-top: -1px; }
.jx-form td, .jx-form th { border: 1px solid #000; padding: 4px 5px; text-align: center;
  vertical-align: middle; word-break: break-all; white-space: pre-wrap; }
.jx-form th { font-weight: bold; }
.jx-form .jx-left { text-align: left; }
.jx-form .jx-right { text-align: right; }
.jx-form .jx-vlabel { writing-mode: vertical-rl; text-orientation: upright; font-weight: bold;
  letter-spacing: 0.2em; }
.jx-form .jx-light { display: inline-block; width: .8em; height: .8em; border-radius: 50%;
  margin-right: .25em; vertical-align: -.05em; border: 1px solid #0005; }
.jx-form .jx-green { background: #2e9d4b; } .jx-form .jx-yellow { background: #e8b400; }
.jx-form .jx-red { background: #d0312d; }
@media print { .jx-form { page-break-after: always; } .jx-form thead { display: table-header-group; }
  .jx-form tr { page-break-inside: avoid; } }
"""


def _cell_html(cell: LayoutCell, tag: str, extra: str = "") -> str:
    attrs = [extra] if extra else []
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{cell.rowspan}"')
    if cell.colspan > 1:
        attrs.append(f'colspan="{cell.colspan}"')
    classes = []
    if cell.role == "vlabel":
        classes.append("jx-vlabel")
    elif cell.align != "center":
        classes.append(f"jx-{cell.align}")
    if classes:
        attrs.append(f'class="{" ".join(classes)}"')
    if cell.field:
        attrs.append(f'data-field="{escape(cell.field)}"')
    tag = "th" if cell.role in ("header", "vlabel") else tag
    # a traffic light (监控表 预警灯) is a coloured dot before its name
    dot = f'<span class="jx-light jx-{cell.tone}" aria-hidden="true"></span>' if cell.tone else ""
    return f"<{tag}{' ' if attrs else ''}{' '.join(attrs)}>{dot}{escape(cell.text)}</{tag}>"


def layout_html(layout: FormLayout) -> str:
    """Return one laid-out form as an HTML ``<section>``: one table per section, header in thead."""
    total = sum(layout.widths)
    cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in layout.widths)
    parts = [
        f'<section class="jx-form jx-{layout.kind}">',
        f"<h1>{escape(layout.title)}</h1>",
        f'<p class="jx-year">{escape(layout.subtitle)}</p>',
    ]
    for section in layout.sections:
        rows: list[list[str]] = [[] for _ in range(section.nrows)]
        h = section.header_rows
        for cell in sorted(section.cells, key=lambda c: (c.row, c.col)):
            if h and cell.row < h < cell.row + cell.rowspan:
                # thead and tbody cannot share a cell: split it, hiding the line between the parts
                top = replace(cell, text="", rowspan=h - cell.row, role="label")
                rows[cell.row].append(_cell_html(top, "td", 'style="border-bottom:none"'))
                rows[h].append(
                    _cell_html(
                        replace(cell, row=h, rowspan=cell.row + cell.rowspan - h),
                        "td",
                        'style="border-top:none"',
                    )
                )
            else:
                rows[cell.row].append(_cell_html(cell, "td"))
        head = rows[: section.header_rows]
        body = rows[section.header_rows :]
        html = [f"<table><colgroup>{cols}</colgroup>"]
        if head:
            html.append("<thead>" + "".join(f"<tr>{''.join(r)}</tr>" for r in head) + "</thead>")
        html.append("<tbody>" + "".join(f"<tr>{''.join(r)}</tr>" for r in body) + "</tbody></table>")
        parts.append("".join(html))
    parts.append("</section>")
    return "\n".join(parts)


def form_html(doc: Document) -> str:
    """Return one declaration or self-evaluation as an HTML fragment in the official layout."""
    return layout_html(layout_for(doc))


def render_html(docs: Iterable[Document], *, title: str = "财政项目支出绩效表") -> str:
    """Return a standalone HTML document (with its CSS) holding every form in order."""
    body = "\n".join(form_html(doc) for doc in docs)
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{FORM_CSS}</style></head><body>\n{body}\n</body></html>\n"
    )
