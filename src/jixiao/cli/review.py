"""``jixiao review FILE... [--profile P] [--format text|json|html|xlsx] [-o OUT]``.

Exit 0 when the review ran, whatever it found; 2 on bad input (one line, via ``handle_errors``).
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import click

from jixiao.cli.common import (
    current_lang,
    format_option,
    handle_errors,
    lang_option,
    read_inputs,
    region_option,
    write_output,
)
from jixiao.domain.errors import InputError
from jixiao.domain.i18n import tr

__all__ = ["commands", "review_command", "rules_command"]


@click.command("review")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--profile",
    "profile",
    default=None,
    help="审核口径（默认：地区在申报年度适用的口径）/ profile (default: the region's for the budget year): "
    "shanghai-2022, national-2021, shanghai-2025",
)
@region_option
@format_option("text", "json", "html", "xlsx", help="报告格式 / report format")
@click.option(
    "--config",
    "config_path",
    default=None,
    help="TOML 配置：关闭规则、调整阈值和扣分表 / TOML file switching rules off or changing thresholds",
)
@click.option(
    "--peers",
    "peers_path",
    default=None,
    type=click.Path(file_okay=False),
    help="语料数据集目录（jixiao corpus -o 的输出），与其中的单位对标：JX-A09、JX-A10、JX-R17 / "
    "a corpus dataset to compare with (other units' targets, last year's actuals, shared text)",
)
@click.option(
    "-o", "--output", "output", default=None, help="输出文件（默认标准输出）/ output file (default stdout)"
)
@lang_option
@handle_errors
def review_command(
    files: tuple[str, ...],
    profile: str | None,
    region: str,
    fmt: str,
    config_path: str | None,
    peers_path: str | None,
    output: str | None,
    lang: str | None,
) -> None:
    """审核绩效目标申报表，输出审核意见、等级（优/良/中/差）和汇总。"""
    from jixiao.review.engine import require_declarations, review
    from jixiao.review.profiles import load_config, profile_for, resolve
    from jixiao.review.render import render

    config = load_config(config_path) if config_path else None
    if profile is not None:
        resolve(profile, config)  # a bad profile or configuration fails before any file is read
    declarations = require_declarations(read_inputs(files))
    if profile is None:
        # The framework in force in the region for the batch's (most common) budget year.
        year = Counter(d.year for d in declarations).most_common(1)[0][0]
        profile = profile_for(year, region)
        resolve(profile, config)
    peers = None
    if peers_path:
        from jixiao.corpus.peers import peer_benchmarks

        peers = peer_benchmarks(peers_path)
    report = review(declarations, profile=profile, config=config, peers=peers)
    result = render(report, fmt, current_lang())
    data = result.encode("utf-8") if isinstance(result, str) else result
    if output:
        write_output(output, data)
        return
    if fmt == "xlsx" and sys.stdout.isatty():
        raise InputError(
            "xlsx 报告是二进制文件，请用 -o 指定输出文件",
            "an xlsx report is binary: give -o FILE",
            code="JX-E123",
        )
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@click.command("rules")
@click.option(
    "--profile",
    "profile",
    default="shanghai-2022",
    show_default=True,
    help="审核口径 / profile: "
    + ", ".join(("shanghai-2022", "national-2021", "shanghai-2025", "national-classic")),
)
@click.option("--config", "config_path", default=None, help="TOML 配置 / TOML configuration")
@region_option
@format_option("text", "json")
@lang_option
@handle_errors
def rules_command(profile: str, config_path: str | None, region: str, fmt: str, lang: str | None) -> None:
    """列出规则目录及每条规则的依据和性质：审核规则、扣分表、自评计分公式与地区选项。"""
    import json

    from jixiao.evaluation.config import get_rules
    from jixiao.review.profiles import load_config, resolve
    from jixiao.review.registry import RULES, family_label

    config = load_config(config_path) if config_path else None
    settings = resolve(profile, config)
    scoring = get_rules(region)
    active = {r.rule.code: r for r in settings.rules}
    lang_now = current_lang()
    items: list[dict[str, Any]] = []
    for code, rule in RULES.items():
        resolved = active.get(code)
        source = resolved.source if resolved else rule.provenance
        items.append(
            {
                "code": code,
                "family": rule.family,
                "enabled": resolved is not None,
                "severity": resolved.severity if resolved else rule.severity,
                "scope": rule.scope,
                "title": rule.title(lang_now),
                "params": dict(resolved.params) if resolved else dict(rule.params),
                **source.to_dict(lang_now),
                "param_basis": {k: v.to_dict(lang_now) for k, v in rule.param_provenance.items()},
            }
        )
    grading = [
        {"key": key, "title": title, **prov.to_dict(lang_now)}
        for key, title, prov in settings.grading.provenance(lang_now)
    ]
    catalogue = scoring.catalogue(lang_now)
    if fmt == "json":
        click.echo(
            json.dumps(
                {"profile": profile, "rules": items, "grading": grading, "scoring": catalogue},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        tr(
            "{profile}（{framework}）",
            lang_now,
            profile=tr(settings.profile.title, lang_now),
            framework=tr(settings.framework.title, lang_now),
        )
    )
    for item in items:
        mark = "✓" if item["enabled"] else "–"
        family = family_label(item["family"], lang_now)
        params = " ".join(f"{k}={v}" for k, v in item["params"].items())
        batch = tr(" 批量", lang_now) if item["scope"] == "batch" else ""
        severity = item["severity"]  # the configuration's key (error/warning/info), as [rules.CODE] takes it
        click.echo(
            f"{mark} {item['code']} [{family}/{severity}{batch}] {item['title']}"
            + (f"  ({params})" if params else "")
        )
        click.echo(f"      [{item['status_label']}] {item['basis']}")
    click.echo("")
    click.echo(tr("审核得分与等级", lang_now))
    for g in grading:
        click.echo(f"  {g['title']}  [{g['status_label']}] {g['basis']}")
    click.echo("")
    click.echo(tr("自评计分：{title}", lang_now, title=catalogue["title"]))
    for r in catalogue["rules"]:
        click.echo(
            "  "
            + tr("{title}：{value}", lang_now, title=r["title"], value=r["value"])
            + f"  [{r['status_label']}] {r['basis']}"
        )
    click.echo(tr("地区选项", lang_now))
    for o in catalogue["options"]:
        mark = tr("默认", lang_now) if o["is_default"] else tr("本地区", lang_now)
        head = tr(
            "  {option}：{choice}（{mark}；{choices}）",
            lang_now,
            option=o["title"],
            choice=o["choice"]["title"],
            mark=mark,
            choices="/".join(o["choices"]),
        )
        click.echo(f"{head}  [{o['choice']['status_label']}] {o['choice']['basis']}")
        click.echo("      " + tr("默认理由：{why}", lang_now, why=o["why_default"]))


commands = [review_command, rules_command]
