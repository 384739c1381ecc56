"""``jixiao data import``, ``jixiao data bind`` and ``jixiao actuals``: operational records.

``data import`` and ``data bind`` work on the application's database (``JIXIAO_DATABASE_URL``),
like ``jixiao serve``. ``actuals`` takes a declaration of the database by id, or a form file with
``--cases`` / ``--callbacks`` record files (then no database is involved).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from jixiao.cli.common import current_lang, format_option, handle_errors, lang_option, read_inputs
from jixiao.domain.errors import InputError
from jixiao.domain.i18n import month_span, tr
from jixiao.domain.model import Declaration
from jixiao.domain.vocabulary import light_label

__all__ = ["actuals_command", "commands", "data_group"]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _mapping(headers: list[str], kind: str, overrides: tuple[str, ...]) -> dict[str, str]:
    from jixiao.records.mapping import propose_mapping

    mapping = {c.header: c.field for c in propose_mapping(headers, kind) if c.field}  # type: ignore[arg-type]
    for item in overrides:
        header, sep, field = item.partition("=")
        if not sep:
            raise InputError(
                f"--map 应写成 列名=字段（「{item}」）",
                f"--map takes HEADER=FIELD ('{item}')",
                code="JX-E802",
            )
        mapping = {h: f for h, f in mapping.items() if f != field and h != header}
        if field:
            mapping[header] = field
    return mapping


@click.group("data")
def data_group() -> None:
    """业务记录（工单、案件、回访）/ operational records."""


_kind = click.option(
    "--kind",
    type=click.Choice(["case", "callback", "patrol", "cell"]),
    default="case",
    show_default=True,
    help="案件/工单、回访、巡查记录或单元网格清单 / cases, call-backs, patrol logs or the grid cell register",
)
_source = click.option("--source", type=click.Choice(["grid", "hotline"]), default=None, help="来源系统")
_map = click.option("--map", "overrides", multiple=True, help="列名=字段，改动建议的对应关系 / HEADER=FIELD")


@data_group.command("import")
@click.argument("files", nargs=-1, required=True)
@_kind
@_source
@_map
@click.option("--org", "org_name", required=True, help="单位（组织）名称 / organisation")
@click.option("--source-name", default="", help="保存对应关系的数据来源名称")
@click.option("--dry-run", is_flag=True, help="只校验，不保存 / validate only")
@lang_option
@handle_errors
def import_command(
    files: tuple[str, ...],
    kind: str,
    source: str | None,
    overrides: tuple[str, ...],
    org_name: str,
    source_name: str,
    dry_run: bool,
    lang: str | None,
) -> None:
    """导入 CSV/Excel 导出：按列名建议对应关系，逐行校验，按编号更新（不重复）。"""
    from jixiao.records.reader import read_file, validate

    raws = [read_file(Path(f)) for f in files]
    if dry_run:
        for raw in raws:
            mapping = _mapping(raw.headers, kind, overrides)
            table = validate(raw, kind, mapping, source=source)  # type: ignore[arg-type]
            click.echo(
                f"{raw.name}: {table.num_rows} 行有效 / valid rows; "
                + json.dumps(mapping, ensure_ascii=False)
            )
        return
    _django()
    from jixiao.db.accounts.models import Organisation
    from jixiao.services.records import import_records

    org = Organisation.objects.filter(name=org_name).first()
    if org is None:
        raise InputError(
            f"没有名为「{org_name}」的单位", f"no organisation named '{org_name}'", code="JX-E800"
        )
    for raw in raws:
        mapping = _mapping(raw.headers, kind, overrides)
        result = import_records(None, org, raw, kind, mapping, source=source, source_name=source_name)  # type: ignore[arg-type]
        click.echo(
            f"{raw.name}: {result.rows} 行（新增 {result.created_count}，更新 {result.updated_count}）"
            if current_lang() != "en"
            else f"{raw.name}: {result.rows} rows ({result.created_count} new, {result.updated_count} updated)"
        )


@data_group.command("bind")
@click.argument("declaration", type=int)
@click.option("--indicator", "index", type=int, default=None, help="指标序号（从 0 起）/ indicator index")
@click.option("--set", "definition", default=None, help="取数规则 JSON / the binding as JSON")
@lang_option
@handle_errors
def bind_command(declaration: int, index: int | None, definition: str | None, lang: str | None) -> None:
    """列出或保存申报表各指标的取数规则（未保存的为自动建议）。"""
    _django()
    from jixiao.db.declarations.models import Declaration as DeclarationRecord
    from jixiao.records.errors import BindingError
    from jixiao.services.declarations import domain_of
    from jixiao.services.records import _binding as binding_of
    from jixiao.services.records import save_binding

    obj = DeclarationRecord.objects.filter(pk=declaration).first()
    if obj is None:
        raise InputError(
            f"没有编号为 {declaration} 的申报表", f"no declaration {declaration}", code="JX-E800"
        )
    if definition is not None:
        if index is None:
            raise InputError("--set 需要 --indicator", "--set needs --indicator", code="JX-E107")
        try:
            data = json.loads(definition)
        except ValueError as exc:
            raise BindingError(f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}") from exc
        save_binding(None, obj, index, data)
    out = []
    for i, ind in enumerate(domain_of(obj).indicators):
        if index is not None and i != index:
            continue
        binding, saved, zh, en = binding_of(obj, i, ind)
        out.append(
            {
                "index": i,
                "indicator": ind.name,
                "target": ind.target.text,
                "saved": saved,
                "binding": binding.to_dict() if binding else None,
                "why": en if current_lang() == "en" else zh,
            }
        )
    click.echo(json.dumps(out, ensure_ascii=False, indent=2))


def _rows_from_files(
    docs: list[Declaration],
    cases: tuple[str, ...],
    callbacks: tuple[str, ...],
    source: str | None,
    month: int,
    patrols: tuple[str, ...] = (),
    cells: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    import pyarrow as pa

    from jixiao.records.engine import RecordSet
    from jixiao.records.mapping import propose_mapping
    from jixiao.records.projection import forecast
    from jixiao.records.propose import propose_binding
    from jixiao.records.reader import empty_table, read_file, validate

    def load(files: tuple[str, ...], kind: str) -> pa.Table:
        tables = []
        for f in files:
            raw = read_file(Path(f))
            mapping = {c.header: c.field for c in propose_mapping(raw.headers, kind) if c.field}  # type: ignore[arg-type]
            tables.append(validate(raw, kind, mapping, source=source if kind == "case" else None))  # type: ignore[arg-type]
        return pa.concat_tables(tables) if tables else empty_table(kind)  # type: ignore[arg-type]

    rs = RecordSet(
        load(cases, "case"),
        load(callbacks, "callback"),
        patrols=load(patrols, "patrol"),
        cells=load(cells, "cell"),
    )
    through = rs.last_record_at()
    out = []
    for doc in docs:
        for ind in doc.indicators:
            proposal = propose_binding(ind.name, ind.target, doc.project.name)
            row: dict[str, Any] = {
                "project": doc.project.name,
                "indicator": ind.name,
                "target": ind.target.text,
            }
            if proposal.binding is not None:
                result = forecast(rs.series(proposal.binding, doc.year or 2022), month, ind.target, through)
                row.update(
                    result.to_date.to_dict(),
                    projected=None if result.projected is None else str(result.projected),
                    light=result.light,
                    coverage=result.coverage.to_dict() if result.coverage else None,
                    open_at_end=rs.open_at_end(proposal.binding, doc.year or 2022, month)
                    if result.coverage
                    else 0,
                )
            row["why"] = proposal.why_en if current_lang() == "en" else proposal.why_zh
            out.append(row)
    return out


def _rows_from_db(declaration: int, month: int) -> list[dict[str, Any]]:
    _django()
    from jixiao.db.declarations.models import Declaration as DeclarationRecord
    from jixiao.services.records import indicator_actuals

    obj = DeclarationRecord.objects.filter(pk=declaration).first()
    if obj is None:
        raise InputError(
            f"没有编号为 {declaration} 的申报表", f"no declaration {declaration}", code="JX-E800"
        )
    out = []
    for r in indicator_actuals(obj, month):
        row: dict[str, Any] = {
            "project": obj.project_name,
            "indicator": r.indicator.name,
            "target": r.indicator.target.text,
        }
        if r.forecast is not None:
            row.update(
                r.forecast.to_date.to_dict(),
                projected=None if r.forecast.projected is None else str(r.forecast.projected),
                light=r.forecast.light,
                coverage=r.forecast.coverage.to_dict() if r.forecast.coverage else None,
                open_at_end=r.open_at_end,
            )
        row["why"] = r.why_en if current_lang() == "en" else r.why_zh
        out.append(row)
    return out


@click.command("actuals")
@click.argument("declaration")
@click.option(
    "--month", type=click.IntRange(1, 12), default=7, show_default=True, help="截止月份 / cut-off month"
)
@click.option("--cases", multiple=True, help="案件/工单记录文件（与申报表文件同用）")
@click.option("--callbacks", multiple=True, help="回访记录文件")
@click.option("--patrols", multiple=True, help="巡查记录文件 / patrol logs")
@click.option("--cells", multiple=True, help="单元网格清单文件 / grid cell register")
@_source
@format_option("text", "json")
@lang_option
@handle_errors
def actuals_command(
    declaration: str,
    month: int,
    cases: tuple[str, ...],
    callbacks: tuple[str, ...],
    patrols: tuple[str, ...],
    cells: tuple[str, ...],
    source: str | None,
    fmt: str,
    lang: str | None,
) -> None:
    """由业务记录计算指标实际值（分子、分母、期间、全年预测、预警灯）。"""
    from jixiao.records.projection import METHOD_ZH

    if Path(declaration).exists():
        docs = [d for d in read_inputs([declaration]) if isinstance(d, Declaration)]
        if not docs:
            raise InputError("文件中没有申报表", "the file holds no declaration form", code="JX-E100")
        rows = _rows_from_files(docs, cases, callbacks, source, month, patrols, cells)
    elif declaration.isdigit():
        rows = _rows_from_db(int(declaration), month)
    else:
        raise InputError("文件不存在", "no such file", code="JX-E101").located(file=declaration)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    lang = current_lang()
    project = None
    for row in rows:
        if row["project"] != project:
            project = row["project"]
            click.echo(f"\n{project}")
        named = {"indicator": row["indicator"], "target": row["target"]}
        if "text" not in row:
            click.echo(tr("  {indicator}（{target}）：— {why}", lang, **named, why=row["why"]))
            continue
        den = f"/{row['denominator']}" if row["denominator"] is not None else ""
        period = row["period"]
        click.echo(
            tr(
                "  {indicator}（{target}）：{text}  {count}  {period}  全年预测 {projected}  {light}",
                lang,
                **named,
                text=row["text"],
                count=f"{row['numerator']}{den}",
                period=month_span(period["first_month"], period["last_month"], lang, period["year"]),
                projected=row["projected"] or "—",
                light=light_label(row["light"], lang) or "—",
            )
        )
        if row.get("open_at_end"):
            click.echo(
                tr("    其中 {n} 件在记录截止时仍未办结、时限未到，已按超期计入", lang, n=row["open_at_end"])
            )
    click.echo("\n" + tr("预测方法：{method}", lang, method=tr(METHOD_ZH, lang)))
    # the records stop inside the cut-off month: say how the projection took it
    for note in dict.fromkeys(
        row["coverage"]["en" if lang == "en" else "zh"] for row in rows if row.get("coverage")
    ):
        click.echo(note)


commands = [data_group, actuals_command]
