"""The 财政项目支出绩效自评表 and the 绩效运行监控表 in the official layout, as standalone HTML.

The self-evaluation follows the Shanghai layout seen in S7 (domain-rules.md §5.6): header, the
项目资金 block with its 年度资金总额 and 其中 rows ("—" in 分值/得分 of the sub-rows, §5.2), the
年度总体目标 block, the indicator table with 一级/二级 cells spanning their rows, and 总分. The
monitoring form carries the fields of the 136号 template (vendor S12, §4) plus the traffic lights.

Scores shown are the computed ones where the rules give them, the printed ones otherwise, and a
printed number that disagrees is marked beside the computed one (never silently replaced).
:func:`self_evaluation_table` and :func:`monitoring_table` return the ``<table>`` alone for the web
pages; the ``render_*`` functions wrap it in a complete document with print styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from jixiao.domain.i18n import NC_, month_span, normalize_lang, tr, trc
from jixiao.domain.model import SelfEvaluation
from jixiao.domain.money import format_amount
from jixiao.domain.vocabulary import DEFAULT_REGION, grade_label, light_label
from jixiao.evaluation.config import LIKELIHOODS, QUALITATIVE_GRADES, RegionRules, get_rules
from jixiao.evaluation.monitoring import MonitoringReport, MonitoringResult, monitor
from jixiao.evaluation.report import basis_of, discrepancies
from jixiao.evaluation.scoring import Evaluation, cap_words, deduction_words, evaluate

__all__ = [
    "STYLE",
    "monitoring_section",
    "monitoring_table",
    "render_monitoring_html",
    "render_self_evaluation_html",
    "self_evaluation_section",
    "self_evaluation_table",
]

STYLE = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, "Songti SC", serif; margin: 2em; color: #000; }
h1 { text-align: center; font-size: 20pt; margin: 0; letter-spacing: .1em; }
p.year { text-align: center; margin: .3em 0 1em; }
table.jx-form { border-collapse: collapse; width: 100%; font-size: 10.5pt; }
table.jx-form th, table.jx-form td { border: 1px solid #000; padding: 4px 6px; vertical-align: middle; }
table.jx-form th { font-weight: normal; text-align: center; background: #fafafa; }
table.jx-form td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.jx-form td.c { text-align: center; }
table.jx-form th.lbl, table.jx-form td.light { white-space: nowrap; }
table.jx-form th.v { writing-mode: vertical-rl; letter-spacing: .3em; width: 1.6em; }
.jx-printed { display: block; color: #b00; font-size: 8.5pt; }
.jx-light { display: inline-block; width: .9em; height: .9em; border-radius: 50%; vertical-align: -.1em;
            margin-right: .2em; border: 1px solid #0003; }
.jx-green { background: #2e9d4b; } .jx-yellow { background: #e8b400; } .jx-red { background: #d0312d; }
p.jx-foot { font-size: 9pt; color: #444; }
section.jx-page + section.jx-page { margin-top: 3em; }
@media print { body { margin: 0; } .jx-printed { color: #000; } section.jx-page { break-after: page; } }
"""


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def _num(value: Decimal | None) -> str:
    return "" if value is None else escape(str(value))


def _rate(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def _printed_note(printed: Decimal | None, shown: Decimal | None, lang: str = "zh") -> str:
    if printed is None or shown is None or printed == shown:
        return ""
    return f'<span class="jx-printed">{escape(tr("表上 {value}", lang, value=printed))}</span>'


def _t(msgid: str, lang: str, **values: Any) -> str:
    """Return ``msgid`` in ``lang``, escaped for HTML."""
    return escape(tr(msgid, lang, **values))


def _c(msgid: str, lang: str) -> str:
    """Return a column or row head in ``lang`` (context "column": 主管部门 heads a cell here)."""
    return escape(trc("column", msgid, lang))


def _spans(keys: list[str]) -> list[int]:
    """Return the rowspan of each row for a column of grouped keys (0 = covered by the row above)."""
    spans = [0] * len(keys)
    k = 0
    while k < len(keys):
        j = k
        while j < len(keys) and keys[j] == keys[k]:
            j += 1
        spans[k] = j - k
        k = j
    return spans


def _tree_cells(rows: Sequence[Any], lang: str = "zh") -> list[list[str]]:
    """Return, per row, its 一级 and 二级 cells: merged down the rows that share them (none if covered)."""
    spans1 = _spans([r.level1 for r in rows])
    spans2 = _spans([f"{r.level1}\x00{r.level2}" for r in rows])
    out: list[list[str]] = []
    for n, row in enumerate(rows):
        cells = []
        if spans1[n]:
            cells.append(f'<td rowspan="{spans1[n]}" class="c">{_e(tr(row.level1, lang))}</td>')
        if spans2[n]:
            cells.append(f'<td rowspan="{spans2[n]}" class="c">{_e(tr(row.level2, lang))}</td>')
        out.append(cells)
    return out


def self_evaluation_table(
    doc: SelfEvaluation,
    ev: Evaluation | None = None,
    region: str | RegionRules = DEFAULT_REGION,
    lang: str = "zh",
) -> str:
    """Return the 自评表 as one HTML ``<table>`` (computed scores, printed ones marked where different).

    The labels are in ``lang``; what the form says (names, targets, notes) stays as written."""
    rules = get_rules(region)
    ev = ev or evaluate(doc, rules)
    b, cb = doc.budget, ev.budget
    rate = cb.rate if cb.rate is not None else b.execution_rate
    budget_score = cb.score if cb.score is not None else b.score
    p = doc.project
    out = [
        '<table class="jx-form jx-self-evaluation">',
        f'<tr><th class="lbl">{_c("项目名称", lang)}</th><td colspan="8">{_e(p.name)}</td></tr>',
        f'<tr><th class="lbl">{_c("主管部门", lang)}</th><td colspan="3">{_e(p.competent_department)}</td>'
        f'<th class="lbl">{_c("实施单位", lang)}</th><td colspan="4">{_e(p.implementing_unit)}</td></tr>',
        f'<tr><th rowspan="5">{_t("项目资金", lang)}<br>{_t("（元）", lang)}</th><th colspan="2"></th>'
        f"<th>{_t('年初预算数', lang)}</th><th>{_c('全年预算数', lang)}</th><th>{_t('全年执行数', lang)}</th>"
        f"<th>{_t('分值', lang)}</th><th>{_t('执行率', lang)}</th><th>{_t('得分', lang)}</th></tr>",
        f'<tr><th colspan="2">{_t("年度资金总额", lang)}</th><td class="num">{format_amount(b.initial)}</td>'
        f'<td class="num">{format_amount(b.adjusted)}</td><td class="num">{format_amount(b.executed)}</td>'
        f'<td class="num">{_num(cb.weight)}</td>'
        f'<td class="num">{_rate(rate)}{_printed_note(b.execution_rate, rate, lang)}</td>'
        f'<td class="num">{_num(budget_score)}{_printed_note(b.score, budget_score, lang)}</td></tr>',
    ]
    for label, key in (
        (NC_("column", "其中：当年财政拨款"), "appropriation"),
        (NC_("column", "上年结转资金"), "carryover"),
        (NC_("column", "其他资金"), "other"),
    ):
        line = b.lines.get(key)
        line_rate = ""
        if line is not None and line.adjusted and line.executed is not None:
            line_rate = _rate((line.executed / line.adjusted * 100).quantize(Decimal("0.01")))
        amounts = "".join(
            f'<td class="num">{format_amount(getattr(line, f, None) if line else None)}</td>'
            for f in ("initial", "adjusted", "executed")
        )
        out.append(
            f'<tr><th colspan="2">{_c(label, lang)}</th>{amounts}<td class="c">—</td>'
            f'<td class="num">{line_rate}</td><td class="c">—</td></tr>'
        )
    out += [
        f'<tr><th rowspan="2">{_t("年度总体", lang)}<br>{_t("目标", lang)}</th>'
        f'<th colspan="4">{_t("预期目标", lang)}</th><th colspan="4">{_t("实际完成情况", lang)}</th></tr>',
        f'<tr><td colspan="4">{_e(doc.goals.annual)}</td><td colspan="4">{_e(doc.outcome)}</td></tr>',
    ]
    rows = doc.indicators
    out.append(
        f'<tr><th rowspan="{len(rows) + 1}" class="v">{_c("绩效指标", lang)}</th>'
        f"<th>{_t('一级指标', lang)}</th><th>{_t('二级指标', lang)}</th><th>{_t('三级指标', lang)}</th>"
        f"<th>{_t('年度指标值', lang)}</th><th>{_t('实际完成值', lang)}</th><th>{_t('分值', lang)}</th>"
        f"<th>{_t('得分', lang)}</th><th>{_t('偏差原因分析及改进措施', lang)}</th></tr>"
    )
    weights = {r.index: r.weight for r in ev.indicators}
    scores = {r.index: r.score for r in ev.indicators}
    deducted = {r.index: deduction_words(r, rules, lang) for r in ev.indicators if r.deduction}
    tree = _tree_cells(rows, lang)
    for n, row in enumerate(rows):
        cells = list(tree[n])
        score = scores.get(n) if scores.get(n) is not None else row.score
        weight = weights.get(n) if weights.get(n) is not None else row.weight
        cells += [
            f"<td>{_e(row.name)}</td>",
            f'<td class="c">{_e(row.target.text)}</td>',
            f'<td class="c">{_e(tr(row.actual, lang) if row.actual in QUALITATIVE_GRADES else row.actual)}</td>',
            f'<td class="num">{_num(weight)}</td>',
            f'<td class="num">{_num(score)}{_printed_note(row.score, score, lang)}'
            + (f'<br><small class="jx-deduction">{_e(deducted[n])}</small>' if n in deducted else "")
            + "</td>",
            f"<td>{_e(row.deviation_note)}</td>",
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    total = ev.total if ev.total is not None else doc.total_score
    cap = cap_words(ev, lang)
    if cap:
        out.append(
            f'<tr class="jx-cap"><th colspan="6">{_t("执行率封顶", lang)}</th><td colspan="3">{_e(cap)}</td></tr>'
        )
    grade = ev.grade or doc.grade
    out.append(
        f'<tr><th colspan="6">{_t("总分", lang)}</th><td class="num">100</td>'
        f'<td class="num">{_num(total)}{_printed_note(doc.total_score, total, lang)}</td>'
        f'<td class="c">{_e(grade_label(grade, lang) if grade else grade)}</td></tr>'
    )
    out.append("</table>")
    return "\n".join(out)


def _section(title: str, subtitle: str, body: str, foot: str) -> str:
    return (
        f'<section class="jx-page">\n<h1>{escape(title)}</h1>\n<p class="year">{escape(subtitle)}</p>\n'
        f'{body}\n<p class="jx-foot">{foot}</p>\n</section>'
    )


def _page(title: str, sections: list[str], lang: str = "zh") -> str:
    html_lang = "en" if normalize_lang(lang) == "en" else "zh-CN"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


def self_evaluation_section(
    doc: SelfEvaluation, region: str | RegionRules = DEFAULT_REGION, lang: str = "zh"
) -> str:
    """Return one 自评表 with its title and footnotes (discrepancies, errors) as an HTML ``<section>``."""
    rules = get_rules(region)
    ev = evaluate(doc, rules)
    subtitle = tr("（{year}年度）", lang, year=doc.year) if doc.year else ""
    notes = [escape(d.message(lang)) for d in (discrepancies(doc, ev, rules) if ev.ok else [])]
    notes += [escape(err.message(lang)) for err in ev.errors]
    basis = basis_of(ev, rules, lang)
    lines = [_t("计分依据（{rules}）：", lang, rules=tr(rules.title, lang))]
    for f in basis["formulas"]:
        lines.append(
            f"{escape(f['formula'])}{_t('【{status}】', lang, status=f['status_label'])}{escape(f['basis'])}"
        )
    g = basis["grade_bands"]
    bands = tr("、", lang).join(f"{grade_label(name, lang)} ≥{m}" for name, m in g["bands"])
    lines.append(
        _t("等级 {bands}", lang, bands=bands)
        + _t("【{status}】", lang, status=g["status_label"])
        + escape(g["basis"])
    )
    for o in basis["options"]:
        if not o["is_default"]:
            c = o["choice"]
            lines.append(
                _t("{option}：{choice}", lang, option=o["title"], choice=c["title"])
                + _t("【{status}】", lang, status=c["status_label"])
                + escape(c["basis"])
            )
    foot = "<br>".join(lines)
    if notes:
        foot += "<br>" + "<br>".join(notes)
    title = tr("财政项目支出绩效自评表", lang)
    return _section(title, subtitle, self_evaluation_table(doc, ev, rules, lang), foot)


def render_self_evaluation_html(
    docs: SelfEvaluation | list[SelfEvaluation], region: str | RegionRules = DEFAULT_REGION, lang: str = "zh"
) -> str:
    """Return a complete HTML document of the 财政项目支出绩效自评表 of one or several documents."""
    items = docs if isinstance(docs, list) else [docs]
    title = tr("财政项目支出绩效自评表", lang)
    return _page(title, [self_evaluation_section(d, region, lang) for d in items], lang)


def _light(light: str | None, lang: str = "zh") -> str:
    if light is None:
        return ""
    return f'<span class="jx-light jx-{escape(light)}" aria-hidden="true"></span>{escape(light_label(light, lang))}'


def _reasons(row: Any, lang: str) -> str:
    """Return the deviation reasons of a monitoring row: 「人员原因、其他原因：…」."""
    words = []
    for r in row.reasons:
        if r == "其他":
            words.append(tr("其他原因：{text}", lang, text=row.other_reason or ""))
        else:
            words.append(tr("{reason}原因", lang, reason=tr(r, lang)))
    return tr("、", lang).join(words)


def monitoring_table(
    report: MonitoringReport,
    result: MonitoringResult | None = None,
    region: str | RegionRules = DEFAULT_REGION,
    lang: str = "zh",
) -> str:
    """Return the 绩效运行监控表 as one HTML ``<table>`` with its traffic lights (labels in ``lang``)."""
    result = result or monitor(report, region)
    m = result.cutoff_month
    b = report.budget
    p = report.project
    lights = {s.index: s.light for s in result.indicators}
    months = month_span(1, m, lang)
    out = [
        '<table class="jx-form jx-monitoring">',
        f'<tr><th class="lbl">{_c("项目名称", lang)}</th><td colspan="10">{_e(p.name)}</td></tr>',
        f'<tr><th class="lbl">{_c("主管部门", lang)}</th><td colspan="4">{_e(p.competent_department)}</td>'
        f'<th class="lbl">{_c("实施单位", lang)}</th><td colspan="5">{_e(p.implementing_unit)}</td></tr>',
        f'<tr><th rowspan="2">{_t("项目资金", lang)}<br>{_t("（元）", lang)}</th>'
        f'<th colspan="2">{_t("年初预算数", lang)}</th><th colspan="2">{_c("全年预算数", lang)}</th>'
        f'<th colspan="2">{_t("{months}执行数", lang, months=months)}</th><th>{_t("执行率", lang)}</th>'
        f"<th>{_t('时间进度', lang)}</th><th>{_t('进度比', lang)}</th><th>{_t('预警', lang)}</th></tr>",
        f'<tr><td colspan="2" class="num">{format_amount(b.initial)}</td>'
        f'<td colspan="2" class="num">{format_amount(b.adjusted)}</td>'
        f'<td colspan="2" class="num">{format_amount(b.executed)}</td>'
        f'<td class="num">{_rate(result.budget_rate)}</td><td class="num">{_rate(result.expected_rate)}</td>'
        f'<td class="num">{_rate(result.budget_progress)}</td>'
        f'<td class="c light">{_light(result.budget_light, lang)}</td></tr>',
        f'<tr><th rowspan="2">{_t("年度总体", lang)}<br>{_t("目标", lang)}</th>'
        f'<th colspan="5">{_t("年度目标", lang)}</th>'
        f'<th colspan="5">{_t("{months}完成情况", lang, months=months)}</th></tr>',
        f'<tr><td colspan="5">{_e(report.goals.annual)}</td><td colspan="5">{_e(report.progress_summary)}</td></tr>',
    ]
    rows = report.indicators
    out.append(
        f'<tr><th rowspan="{len(rows) + 1}" class="v">{_c("绩效指标", lang)}</th>'
        f"<th>{_t('一级指标', lang)}</th><th>{_t('二级指标', lang)}</th><th>{_t('三级指标', lang)}</th>"
        f"<th>{_t('年度指标值', lang)}</th><th>{_t('{months}实际完成值', lang, months=months)}</th>"
        f"<th>{_t('全年预计完成情况', lang)}</th><th>{_t('完成目标可能性', lang)}</th>"
        f"<th>{_t('偏差原因分析', lang)}</th><th>{_t('改进措施', lang)}</th><th>{_t('预警', lang)}</th></tr>"
    )
    tree = _tree_cells(rows, lang)
    for n, row in enumerate(rows):
        cells = list(tree[n])
        likelihood = tr(row.likelihood, lang) if row.likelihood in LIKELIHOODS else row.likelihood
        cells += [
            f"<td>{_e(row.name)}</td>",
            f'<td class="c">{_e(row.target.text)}</td>',
            f'<td class="c">{_e(row.progress)}</td>',
            f"<td>{_e(row.forecast)}</td>",
            f'<td class="c">{_e(likelihood)}</td>',
            f"<td>{_e(_reasons(row, lang))}</td>",
            f"<td>{_e(row.measures)}</td>",
            f'<td class="c light">{_light(lights.get(n), lang)}</td>',
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def monitoring_section(
    report: MonitoringReport,
    region: str | RegionRules = DEFAULT_REGION,
    cutoff_month: int | None = None,
    lang: str = "zh",
) -> str:
    """Return one 绩效运行监控表 with its title, warnings and errors as an HTML ``<section>``."""
    rules = get_rules(region)
    result = monitor(report, rules, cutoff_month)
    months = month_span(1, result.cutoff_month, lang)
    subtitle = (
        tr("（{year}年度 {months}）", lang, year=report.year, months=months)
        if report.year
        else tr("（{months}）", lang, months=months)
    )
    foot = _t(
        "预警规则：进度比 = 执行率 ÷ 时间进度 × 100；低于 {red} 为红灯，低于 {yellow} 为黄灯；"
        "完成目标可能性「有可能」为黄灯、「完全不可能」为红灯。",
        lang,
        red=rules.budget_red_below,
        yellow=rules.budget_yellow_below,
    )
    notes = [escape(w.message(lang)) for w in result.warnings] + [
        escape(e.message(lang)) for e in result.errors
    ]
    if notes:
        foot += "<br>" + "<br>".join(notes)
    title = tr("项目支出绩效运行监控表", lang)
    return _section(title, subtitle, monitoring_table(report, result, rules, lang), foot)


def render_monitoring_html(
    reports: MonitoringReport | list[MonitoringReport],
    region: str | RegionRules = DEFAULT_REGION,
    cutoff_month: int | None = None,
    lang: str = "zh",
) -> str:
    """Return a complete HTML document of the 绩效运行监控表 of one or several reports."""
    items = reports if isinstance(reports, list) else [reports]
    title = tr("项目支出绩效运行监控表", lang)
    return _page(title, [monitoring_section(r, region, cutoff_month, lang) for r in items], lang)
