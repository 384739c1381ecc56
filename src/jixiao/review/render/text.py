"""The text report: grouped by declaration, then the batch summary. Meant for a terminal or an e-mail."""

from __future__ import annotations

from jixiao.review.engine import ReviewReport
from jixiao.review.grading import SCORE_LABEL, SCORE_PROVENANCE
from jixiao.review.registry import FAMILIES
from jixiao.review.render.labels import SEVERITY_LABELS, label, percent, t

__all__ = ["render_text"]


def render_text(report: ReviewReport, lang: str = "zh") -> str:
    """Return a readable report: each declaration's grade, score and findings, then the summary."""
    out: list[str] = []
    title = t("绩效目标审核意见", "Review of declared performance targets", lang)
    out.append(
        f"{title}（{report.settings.profile.title}）" if lang != "en" else f"{title} ({report.profile})"
    )
    out.append("=" * 60)
    for n, dr in enumerate(report.declarations, 1):
        d = dr.declaration
        out.append("")
        out.append(
            f"{n}. {d.project.name or t('（未命名项目）', '(unnamed project)', lang)}"
            f"  [{dr.grade} {dr.score:.1f}{t(' 分', '', lang)}，{label(SCORE_LABEL, lang)}]"
            if lang != "en"
            else f"{n}. {d.project.name or '(unnamed project)'}  [{dr.grade} {dr.score:.1f}, {SCORE_LABEL[1]}]"
        )
        meta = [dr.unit]
        if d.year is not None:
            meta.append(f"{d.year}{t('年度', '', lang)}")
        if d.source.file:
            where = d.source.file + (f" #{d.source.form_index}" if d.source.form_index else "")
            meta.append(where)
        out.append("   " + " · ".join(meta))
        out.append("   " + t("结论：", "Outcome: ", lang) + dr.consequence(lang))
        if not dr.findings:
            out.append("   " + t("未发现问题。", "No findings.", lang))
        for f in dr.findings:
            sev = label(SEVERITY_LABELS[f.severity], lang)
            out.append(f"   - [{sev}] {f.code} {f.evidence.describe(lang)}")
            out.append(f"     {f.message(lang)}")
            suggestion = f.suggestion(lang)
            if suggestion:
                out.append(f"     {t('建议：', 'Suggestion: ', lang)}{suggestion}")
            out.append(f"     {t('依据：', 'Basis: ', lang)}{f.source.describe(lang)}")
    s = report.summary(lang)
    out.append("")
    out.append(t("得分说明：", "About the score: ", lang) + SCORE_PROVENANCE.describe(lang))
    out.append("=" * 60)
    out.append(t("汇总", "Summary", lang))
    out.append(
        t(
            f"申报表 {s['declarations']} 张，指标 {s['indicators']} 个，可量化 {s['measurable_indicators']} 个"
            f"（量化率 {percent(s['quantification_ratio'])}），平均得分 {s['mean_score']}（jixiao 扣分表）",
            f"{s['declarations']} declarations, {s['indicators']} indicators, {s['measurable_indicators']} "
            f"measurable ({percent(s['quantification_ratio'])}), mean score {s['mean_score']}",
            lang,
        )
    )
    out.append(t("等级分布：", "Grades: ", lang) + "  ".join(f"{g} {c}" for g, c in s["grades"].items()))
    out.append(
        t("问题级别：", "Severity: ", lang)
        + "  ".join(f"{label(SEVERITY_LABELS[k], lang)} {v}" for k, v in s["severity_counts"].items())
    )
    out.append(
        t("问题类别：", "Families: ", lang)
        + "  ".join(f"{label(FAMILIES[k], lang)} {v}" for k, v in s["families"].items() if v)
    )
    if s["top_findings"]:
        out.append(t("常见问题：", "Most frequent findings:", lang))
        for item in s["top_findings"]:
            out.append(
                t(
                    f"  {item['code']} {item['title']}：{item['count']} 处，涉及 {item['declarations']} 张",
                    f"  {item['code']} {item['title']}: {item['count']} in {item['declarations']} declarations",
                    lang,
                )
            )
    if len(s["units"]) > 1 or s["units"]:
        out.append(t("单位对比：", "Units:", lang))
        for u in s["units"]:
            grades = " ".join(f"{g}{c}" for g, c in u["grades"].items() if c)
            out.append(
                t(
                    f"  {u['unit']}：{u['declarations']} 张，平均 {u['mean_score']} 分（jixiao 扣分表），{grades}，"
                    f"量化率 {percent(u['quantification_ratio'])}",
                    f"  {u['unit']}: {u['declarations']} declarations, mean {u['mean_score']}, {grades}, "
                    f"measurable {percent(u['quantification_ratio'])}",
                    lang,
                )
            )
    return "\n".join(out) + "\n"
