"""What the renderers share: the percentage format and the head of the per-unit table."""

from __future__ import annotations

from jixiao.domain.i18n import tr
from jixiao.domain.vocabulary import GRADES, grade_label

__all__ = ["percent", "unit_columns"]


def percent(ratio: float | None) -> str:
    """Return 0.6207 as "62.1%" ("—" for None)."""
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def unit_columns(lang: str) -> list[str]:
    """Return the head of the per-unit comparison table (the HTML and the Excel report share it)."""
    return [
        tr("单位", lang),
        tr("申报表", lang),
        tr("平均得分（jixiao 扣分表）", lang),
        *(grade_label(g, lang) for g in GRADES),
        tr("量化率", lang),
        tr("错误", lang),
        tr("警告", lang),
    ]
