"""A readable plain-text table of documents and their targets (``jixiao parse --format table``)."""

from __future__ import annotations

import unicodedata

from jixiao.domain.i18n import NC_, normalize_lang, tr, trc
from jixiao.domain.model import Declaration, Document
from jixiao.domain.money import format_amount

__all__ = ["render_table", "display_width"]

# The kind of a target, as printed (msgids of the catalogue).
_KIND_ZH = {
    "numeric": NC_("kind", "数值"),
    "range": NC_("kind", "区间"),
    "deadline": NC_("kind", "时限"),
    "qualitative": NC_("kind", "定性"),
    "invalid": NC_("kind", "无法识别"),
}


def display_width(text: str) -> int:
    """Return the terminal width of ``text``: CJK and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render_table(docs: list[Document], lang: str = "zh") -> str:
    """Return every document's header and indicator rows as aligned text columns."""
    out: list[str] = []
    for n, doc in enumerate(docs, start=1):
        p = doc.project
        year = tr("{year}年度", lang, year=doc.year) if doc.year else "?"
        out.append(f"[{n}] {p.name}  ({year})")
        if isinstance(doc, Declaration):
            out.append(
                "  "
                + tr(
                    "项目资金总额 / 年度资金申请总额（元）：{total} / {annual}",
                    lang,
                    total=format_amount(doc.funding.total),
                    annual=format_amount(doc.funding.annual),
                )
            )
        out.append("  " + tr("实施单位：{unit}", lang, unit=p.implementing_unit or "—"))
        header = (
            tr("一级指标", lang),
            tr("二级指标", lang),
            tr("三级指标", lang),
            tr("指标目标值", lang),
            tr("类型", lang),
        )
        rows = [header] + [
            (i.level1, i.level2, i.name, i.target.text, trc("kind", _KIND_ZH[i.target.kind], lang))
            for i in doc.indicators
        ]
        widths = [max(display_width(row[c]) for row in rows) for c in range(5)]
        for row in rows:
            out.append("  " + "  ".join(_pad(cell, widths[c]) for c, cell in enumerate(row)).rstrip())
        for w in doc.warnings:
            if w.line:
                where = tr("（第 {line} 行）", lang, line=w.line)
            elif w.page:  # a PDF or a scan: the page, and the cell when the reader knows it
                cell = tr("，单元格 {cell}", lang, cell=w.cell) if w.cell else ""
                where = tr("（第 {page} 页{cell}）", lang, page=w.page, cell=cell)
            else:
                where = ""
            message = w.message_en if normalize_lang(lang) == "en" else w.message
            out.append("  " + tr("警告：{message}", lang, message=message) + where)
        out.append("")
    count = sum(len(d.indicators) for d in docs)
    out.append(tr("共 {forms} 张表，{indicators} 个指标", lang, forms=len(docs), indicators=count))
    return "\n".join(out)
