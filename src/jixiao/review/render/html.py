"""The HTML report: one standalone file a reviewer can send (inline CSS, inline SVG charts, no script,
no CDN; intranets have none). Chinese by default."""

from __future__ import annotations

from html import escape
from typing import Any

from jixiao.domain.i18n import tr
from jixiao.domain.vocabulary import GRADES, grade_label
from jixiao.review.engine import ReviewReport
from jixiao.review.grading import SCORE_LABEL
from jixiao.review.registry import family_label, severity_label
from jixiao.review.render.labels import percent, unit_columns

__all__ = ["bar_chart_svg", "render_html"]

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;
margin:0;color:#1f2328;background:#f6f8fa;line-height:1.55}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 10px;border-bottom:2px solid #d0d7de;padding-bottom:4px}
h3{font-size:16px;margin:0}
.muted{color:#57606a;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:130px}
.card b{display:block;font-size:22px}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eaeef2}
.decl{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:14px 0;padding:12px 16px;
page-break-inside:avoid}
.head{display:flex;justify-content:space-between;align-items:baseline;gap:12px}
.grade{font-size:20px;font-weight:bold;padding:2px 12px;border-radius:4px;color:#fff;white-space:nowrap}
.g-优{background:#1a7f37}.g-良{background:#0969da}.g-中{background:#bf8700}.g-差{background:#cf222e}
.sev{display:inline-block;font-size:12px;padding:0 6px;border-radius:3px;color:#fff;white-space:nowrap}
.s-error{background:#cf222e}.s-warning{background:#bf8700}.s-info{background:#6e7781}
.sugg{color:#0a3069}.basis{color:#57606a;font-size:12px}
.st{display:inline-block;font-size:11px;padding:0 5px;border-radius:3px;border:1px solid #8c959f;margin-right:4px}
.st-official{border-color:#1a7f37;color:#1a7f37}.st-provincial{border-color:#0969da;color:#0969da}
.st-practice{border-color:#8250df;color:#8250df}.st-jixiao{border-color:#6e7781;color:#57606a}
.own{display:block;font-size:11px;color:#57606a;text-align:right}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;white-space:nowrap}
@media print{body{background:#fff}.decl,.card,.chart{border-color:#999}}
"""

_GRADE_COLOURS = dict(zip(GRADES, ("#1a7f37", "#0969da", "#bf8700", "#cf222e"), strict=True))


def bar_chart_svg(
    items: list[tuple[str, float, str]],
    *,
    title: str,
    width: int = 500,
    value_format: str = "{:g}",
    max_value: float | None = None,
    label_w: int = 190,
) -> str:
    """Return a horizontal bar chart as inline SVG: one (label, value, colour) per bar."""
    bar_h, gap, top = 22, 8, 30
    max_chars = max(4, label_w // 13)
    height = top + len(items) * (bar_h + gap) + 10
    top_value = max_value if max_value is not None else max((v for _, v, _ in items), default=0) or 1
    plot_w = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(title)}" font-size="13">',
        f'<text x="0" y="18" font-weight="bold" font-size="14">{escape(title)}</text>',
    ]
    for n, (name, value, colour) in enumerate(items):
        y = top + n * (bar_h + gap)
        w = 0 if top_value <= 0 else max(0.0, min(1.0, value / top_value)) * plot_w
        short = name if len(name) <= max_chars else name[: max_chars - 1] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end"><title>{escape(name)}</title>'
            f"{escape(short)}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}" rx="2"/>')
        parts.append(
            f'<text x="{label_w + w + 5:.1f}" y="{y + 15}">{escape(value_format.format(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _cards(s: dict[str, Any], lang: str) -> str:
    cards = [
        (tr("申报表", lang), str(s["declarations"])),
        (
            tr("平均得分（jixiao 扣分表）", lang),
            "—" if s["mean_score"] is None else f"{s['mean_score']:.1f}",
        ),
        (tr("量化率", lang), percent(s["quantification_ratio"])),
        (tr("错误", lang), str(s["severity_counts"]["error"])),
        (tr("警告", lang), str(s["severity_counts"]["warning"])),
        (tr("提示", lang), str(s["severity_counts"]["info"])),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><span class="muted">{escape(k)}</span><b>{escape(v)}</b></div>'
            for k, v in cards
        )
        + "</div>"
    )


def _charts(s: dict[str, Any], lang: str) -> str:
    charts = [
        bar_chart_svg(
            [(grade_label(g, lang), float(c), _GRADE_COLOURS[g]) for g, c in s["grades"].items()],
            title=tr("等级分布", lang),
            width=420,
        )
    ]
    if s["top_findings"]:
        charts.append(
            bar_chart_svg(
                [(f"{i['code']} {i['title']}", float(i["count"]), "#8250df") for i in s["top_findings"]],
                title=tr("常见问题（处）", lang),
                width=640,
                label_w=300,
            )
        )
    fams = [(family_label(k, lang), float(v), "#0969da") for k, v in s["families"].items() if v]
    if fams:
        charts.append(bar_chart_svg(fams, title=tr("问题类别（处）", lang), width=420))
    if s["units"]:
        charts.append(
            bar_chart_svg(
                [(u["unit"], float(u["mean_score"]), "#1a7f37") for u in s["units"]],
                title=tr("各单位平均得分（jixiao 扣分表）", lang),
                width=560,
                value_format="{:.1f}",
                max_value=100,
            )
        )
        charts.append(
            bar_chart_svg(
                [(u["unit"], 100 * float(u["quantification_ratio"] or 0), "#bf8700") for u in s["units"]],
                title=tr("各单位量化率（%）", lang),
                width=560,
                value_format="{:.1f}%",
                max_value=100,
            )
        )
    return '<div class="charts">' + "".join(f'<div class="chart">{c}</div>' for c in charts) + "</div>"


def _units_table(s: dict[str, Any], lang: str) -> str:
    head = unit_columns(lang)
    rows = ["<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for u in s["units"]:
        cells = [
            u["unit"],
            u["declarations"],
            f"{u['mean_score']:.1f}",
            *u["grades"].values(),
            percent(u["quantification_ratio"]),
            u["findings"]["error"],
            u["findings"]["warning"],
        ]
        rows.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


def _declaration(n: int, dr: Any, lang: str) -> str:
    d = dr.declaration
    name = d.project.name or tr("（未命名项目）", lang)
    meta = " · ".join(x for x in (dr.unit, f"{d.year}" if d.year else "", d.source.file or "") if x)
    parts = [
        f'<section class="decl" id="d{n}"><div class="head"><div><h3>{n}. {escape(name)}</h3>'
        f'<div class="muted">{escape(meta)}</div></div>'
        f'<div><span class="grade g-{escape(dr.grade)}">{escape(dr.grade_label(lang))} {dr.score:.1f}</span>'
        f'<span class="own">{escape(tr(SCORE_LABEL, lang))}</span></div></div>'
        f"<p>{escape(tr('结论：', lang) + dr.consequence(lang))}</p>"
    ]
    if not dr.findings:
        parts.append(f"<p>{escape(tr('未发现问题。', lang))}</p>")
    else:
        head = [
            tr("级别", lang),
            tr("规则", lang),
            tr("对象", lang),
            tr("审核意见", lang),
        ]
        rows = ["<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
        for f in dr.findings:
            suggestion = f.suggestion(lang)
            body = escape(f.message(lang))
            if suggestion:
                body += f'<br><span class="sugg">{escape(tr("建议：", lang) + suggestion)}</span>'
            src = f.source
            body += (
                f'<br><span class="basis">{escape(tr("依据：", lang))}'
                f'<span class="st st-{src.status}">{escape(src.label(lang))}</span>{escape(src.basis(lang))}</span>'
            )
            rows.append(
                f'<tr><td><span class="sev s-{f.severity}">{escape(severity_label(f.severity, lang))}'
                f"</span></td><td><code>{escape(f.code)}</code></td>"
                f"<td>{escape(f.evidence.describe(lang))}</td><td>{body}</td></tr>"
            )
        parts.append("<table>" + "".join(rows) + "</table>")
    parts.append("</section>")
    return "".join(parts)


def render_html(report: ReviewReport, lang: str = "zh") -> str:
    """Return the standalone HTML report: summary cards, SVG charts, unit table, each declaration."""
    s = report.summary(lang)
    title = tr("绩效目标审核报告", lang)
    grading = report.settings.grading
    sep = tr("，", lang)
    bands = sep.join(f"{grade_label(g, lang)} ≥{m:g}" for g, m in grading.bands)
    ded = sep.join(f"{severity_label(k, lang)} −{v:g}" for k, v in grading.deductions.items())
    method = tr(
        "评分方法（jixiao 自定，非官方）：100 分起，每条意见按级别扣分（{deductions}，同一规则扣分有上限）；"
        "等级 {bands}；有错误的申报表最高为「{fair}」。财预〔2015〕88号只规定优/良/中/差四个等级及其后果，"
        "没有分数；扣分表与等级线是 jixiao 的做法，可在配置中修改。",
        lang,
        deductions=ded,
        bands=bands,
        fair=grade_label("中", lang),
    )
    body = [
        f"<main><h1>{escape(title)}</h1>",
        f'<div class="muted">{escape(tr("审核口径：", lang) + tr(report.settings.profile.title, lang))}'
        f"{escape(tr('（{framework}）', lang, framework=tr(report.settings.framework.title, lang)))}</div>",
        _cards(s, lang),
        f"<h2>{escape(tr('汇总', lang))}</h2>",
        _charts(s, lang),
        f"<h2>{escape(tr('单位对比', lang))}</h2>",
        _units_table(s, lang),
        f'<p class="muted">{escape(method)}</p>',
        f"<h2>{escape(tr('逐表审核意见', lang))}</h2>",
    ]
    body.extend(_declaration(n, dr, lang) for n, dr in enumerate(report.declarations, 1))
    body.append("</main>")
    html_lang = "en" if lang == "en" else "zh-CN"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>{''.join(body)}</body></html>\n"
    )
