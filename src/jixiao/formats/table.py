"""A readable plain-text table of documents and their targets (``jixiao parse --format table``)."""

from __future__ import annotations

import unicodedata

from jixiao.domain.model import Declaration, Document
from jixiao.domain.money import format_amount

__all__ = ["render_table", "display_width"]

_KIND_ZH = {
    "numeric": "数值",
    "range": "区间",
    "deadline": "时限",
    "qualitative": "定性",
    "invalid": "无法识别",
}


def display_width(text: str) -> int:
    """Return the terminal width of ``text``: CJK and full-width characters count as two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render_table(docs: list[Document], lang: str = "zh") -> str:
    """Return every document's header and indicator rows as aligned text columns."""
    en = lang == "en"
    out: list[str] = []
    for n, doc in enumerate(docs, start=1):
        p = doc.project
        out.append(f"[{n}] {p.name}  ({doc.year or '?'}{'' if en else '年度'})")
        if isinstance(doc, Declaration):
            out.append(
                ("  total / annual (元): " if en else "  项目资金总额 / 年度资金申请总额（元）：")
                + f"{format_amount(doc.funding.total)} / {format_amount(doc.funding.annual)}"
            )
        out.append(("  unit: " if en else "  实施单位：") + (p.implementing_unit or "—"))
        header = (
            ("level 1", "level 2", "indicator", "target", "kind")
            if en
            else ("一级指标", "二级指标", "三级指标", "指标目标值", "类型")
        )
        rows = [header] + [
            (i.level1, i.level2, i.name, i.target.text, i.target.kind if en else _KIND_ZH[i.target.kind])
            for i in doc.indicators
        ]
        widths = [max(display_width(row[c]) for row in rows) for c in range(5)]
        for row in rows:
            out.append("  " + "  ".join(_pad(cell, widths[c]) for c, cell in enumerate(row)).rstrip())
        for w in doc.warnings:
            if w.line:
                where = f" (line {w.line})" if en else f"（第 {w.line} 行）"
            elif w.page:  # a PDF or a scan: the page, and the cell when the reader knows it
                cell = (f", cell {w.cell}" if en else f"，单元格 {w.cell}") if w.cell else ""
                where = f" (page {w.page}{cell})" if en else f"（第 {w.page} 页{cell}）"
            else:
                where = ""
            out.append(("  warning: " + w.message_en if en else "  警告：" + w.message) + where)
        out.append("")
    count = sum(len(d.indicators) for d in docs)
    out.append(f"{len(docs)} forms, {count} indicators" if en else f"共 {len(docs)} 张表，{count} 个指标")
    return "\n".join(out)
