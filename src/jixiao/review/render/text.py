"""The text report: grouped by declaration, then the batch summary. Meant for a terminal or an e-mail."""

from __future__ import annotations

from jixiao.domain.i18n import tr
from jixiao.domain.vocabulary import grade_label
from jixiao.review.engine import ReviewReport
from jixiao.review.grading import SCORE_LABEL, SCORE_PROVENANCE
from jixiao.review.registry import family_label, severity_label
from jixiao.review.render.labels import percent

__all__ = ["render_text"]


def render_text(report: ReviewReport, lang: str = "zh") -> str:
    """Return a readable report: each declaration's grade, score and findings, then the summary."""
    out: list[str] = []

    def _line(msgid: str, **values: object) -> None:
        out.append(tr(msgid, lang, **values))

    out.append(tr("绩效目标审核意见（{profile}）", lang, profile=tr(report.settings.profile.title, lang)))
    out.append("=" * 60)
    for n, dr in enumerate(report.declarations, 1):
        d = dr.declaration
        out.append("")
        _line(
            "{n}. {project}  [{grade} {score} 分，{label}]",
            n=n,
            project=d.project.name or tr("（未命名项目）", lang),
            grade=grade_label(dr.grade, lang),
            score=f"{dr.score:.1f}",
            label=tr(SCORE_LABEL, lang),
        )
        meta = [dr.unit]
        if d.year is not None:
            meta.append(tr("{year}年度", lang, year=d.year))
        if d.source.file:
            where = d.source.file + (f" #{d.source.form_index}" if d.source.form_index else "")
            meta.append(where)
        out.append("   " + " · ".join(meta))
        out.append("   " + tr("结论：", lang) + dr.consequence(lang))
        if not dr.findings:
            out.append("   " + tr("未发现问题。", lang))
        for f in dr.findings:
            sev = severity_label(f.severity, lang)
            out.append(f"   - [{sev}] {f.code} {f.evidence.describe(lang)}")
            out.append(f"     {f.message(lang)}")
            suggestion = f.suggestion(lang)
            if suggestion:
                out.append(f"     {tr('建议：', lang)}{suggestion}")
            out.append(f"     {tr('依据：', lang)}{f.source.describe(lang)}")
    s = report.summary(lang)
    out.append("")
    out.append(tr("得分说明：", lang) + SCORE_PROVENANCE.describe(lang))
    out.append("=" * 60)
    out.append(tr("汇总", lang))
    _line(
        "申报表 {declarations} 张，指标 {indicators} 个，可量化 {measurable} 个（量化率 {ratio}），"
        "平均得分 {mean}（jixiao 扣分表）",
        declarations=s["declarations"],
        indicators=s["indicators"],
        measurable=s["measurable_indicators"],
        ratio=percent(s["quantification_ratio"]),
        mean=s["mean_score"],
    )
    out.append(
        tr("等级分布：", lang) + "  ".join(f"{grade_label(g, lang)} {c}" for g, c in s["grades"].items())
    )
    out.append(
        tr("问题级别：", lang)
        + "  ".join(f"{severity_label(k, lang)} {v}" for k, v in s["severity_counts"].items())
    )
    out.append(
        tr("问题类别：", lang)
        + "  ".join(f"{family_label(k, lang)} {v}" for k, v in s["families"].items() if v)
    )
    if s["top_findings"]:
        out.append(tr("常见问题：", lang))
        for item in s["top_findings"]:
            _line(
                "  {code} {title}：{count} 处，涉及 {declarations} 张",
                code=item["code"],
                title=item["title"],
                count=item["count"],
                declarations=item["declarations"],
            )
    if s["units"]:
        out.append(tr("单位对比：", lang))
        for u in s["units"]:
            grades = " ".join(
                tr("{grade}{count}", lang, grade=grade_label(g, lang), count=c)
                for g, c in u["grades"].items()
                if c
            )
            _line(
                "  {unit}：{declarations} 张，平均 {mean} 分（jixiao 扣分表），{grades}，量化率 {ratio}",
                unit=u["unit"],
                declarations=u["declarations"],
                mean=u["mean_score"],
                grades=grades,
                ratio=percent(u["quantification_ratio"]),
            )
    return "\n".join(out) + "\n"
