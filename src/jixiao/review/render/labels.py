"""Labels shared by the renderers, in Chinese and English."""

from __future__ import annotations

from jixiao.domain.vocabulary import GRADES

SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
}


def label(pair: tuple[str, str], lang: str) -> str:
    """Return the English or the Chinese half of ``pair``."""
    return pair[1] if lang == "en" else pair[0]


def t(zh: str, en: str, lang: str) -> str:
    """Return ``en`` when ``lang`` is English, else ``zh``."""
    return en if lang == "en" else zh


def percent(ratio: float | None) -> str:
    """Return 0.6207 as "62.1%" ("—" for None)."""
    return "—" if ratio is None else f"{ratio * 100:.1f}%"


def unit_columns(lang: str) -> list[str]:
    """Return the head of the per-unit comparison table (the HTML and the Excel report share it)."""
    return [
        t("单位", "Unit", lang),
        t("申报表", "Declarations", lang),
        t("平均得分（jixiao 扣分表）", "Mean (jixiao's table)", lang),
        *GRADES,
        t("量化率", "Measurable", lang),
        t("错误", "Errors", lang),
        t("警告", "Warnings", lang),
    ]
