"""``jixiao department``: department-wide targets and self-evaluation (部门整体支出绩效) without a database.

* ``jixiao department parse FILE...``: the department forms of Excel, PDF, text or JSON files as
  canonical JSON;
* ``jixiao department rollup FILE...``: the projects' self-evaluations (any readable format) rolled
  up as a department's would be (预算执行率, 项目自评优良率, 指标完成率, score and grade);
* ``jixiao department export FILE... --to xlsx|pdf -o OUT``: department forms in their layout.
"""

from __future__ import annotations

import json

import click

from jixiao.cli import common
from jixiao.domain.department import DepartmentDocument, DepartmentSelfEvaluation
from jixiao.domain.errors import InputError
from jixiao.domain.model import SelfEvaluation

__all__ = ["commands", "department_group"]


def _read(files: tuple[str, ...]) -> list[DepartmentDocument]:
    from jixiao.formats import max_input_bytes
    from jixiao.formats.interpret_department import read_department_bytes

    docs: list[DepartmentDocument] = []
    for name in files:
        docs.extend(read_department_bytes(common.read_input(name, max_input_bytes()), name))
    return docs


@click.group("department")
def department_group() -> None:
    """部门整体支出绩效目标与自评：读取、汇总项目自评、导出 / department-wide targets and self-evaluation."""


@department_group.command("parse")
@click.argument("files", nargs=-1, required=True)
@common.lang_option
@common.handle_errors
def parse_command(files: tuple[str, ...], lang: str | None) -> None:
    """读取部门整体支出绩效目标表/自评表（Excel、PDF、文本、JSON），输出规范 JSON。"""
    from jixiao.formats.json_department import dumps

    click.echo(dumps(_read(files)))


@department_group.command("rollup")
@click.argument("files", nargs=-1, required=True)
@common.region_option
@common.format_option("text", "json")
@common.lang_option
@common.handle_errors
def rollup_command(files: tuple[str, ...], region: str, fmt: str, lang: str | None) -> None:
    """汇总各项目的自评表（任何可读格式）：预算执行率、项目自评优良率、指标完成率、得分与等级。"""
    from jixiao.evaluation.config import get_rules
    from jixiao.evaluation.department import project_result, rollup

    rules = get_rules(region)
    evaluations = [d for d in common.read_inputs(files) if isinstance(d, SelfEvaluation)]
    if not evaluations:
        raise InputError(
            "文件中没有项目自评表，无法汇总",
            "the files hold no project self-evaluation to roll up",
            code="JX-E105",
        )
    result = rollup([project_result(doc, rules) for doc in evaluations], rules)
    f = result.figures
    en = common.current_lang() == "en"
    if fmt == "json":
        out = {
            "region": rules.key,
            "weights": {
                "execution": str(result.weights.execution),
                "good": str(result.weights.good),
                "met": str(result.weights.met),
            },
            "projects": [
                {
                    "name": p.name,
                    "budget": None if p.budget is None else str(p.budget),
                    "executed": None if p.executed is None else str(p.executed),
                    "score": None if p.score is None else str(p.score),
                    "grade": p.grade,
                    "indicators": p.indicators,
                    "met": p.met,
                }
                for p in result.projects
            ],
            "missing": list(result.missing),
            "execution_rate": None if f.execution_rate is None else str(f.execution_rate),
            "good_share": None if f.good_share is None else str(f.good_share),
            "met_share": None if f.met_share is None else str(f.met_share),
            "points": [
                None if v is None else str(v)
                for v in (result.execution_points, result.good_points, result.met_points)
            ],
            "score": None if f.score is None else str(f.score),
            "grade": f.grade,
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for p in result.projects:
        shown = (
            f"{p.score} {p.grade} ({p.met}/{p.indicators})"
            if p.grade
            else ("not scored" if en else "未能计分")
        )
        click.echo(f"  {p.name}  {p.executed or '—'} / {p.budget or '—'}  {shown}")
    w = result.weights
    rows = (
        ("budget execution" if en else "预算执行率", f.execution_rate, w.execution, result.execution_points),
        ("graded 优/良" if en else "项目自评优良率", f.good_share, w.good, result.good_points),
        ("indicators met" if en else "指标完成率", f.met_share, w.met, result.met_points),
    )
    for label, rate, weight, points in rows:
        click.echo(
            f"{label}: {rate if rate is not None else '—'}% × {weight} → {points if points is not None else '—'}"
        )
    total = "total" if en else "汇总得分"
    click.echo(f"{total}: {f.score if f.score is not None else '—'} {f.grade or ''}")
    if result.missing:
        left = "left out (no complete score)" if en else "未计入（自评不完整）"
        click.echo(f"{left}: {'、'.join(result.missing)}")


@department_group.command("export")
@click.argument("files", nargs=-1, required=True)
@click.option("--to", "fmt", type=click.Choice(["xlsx", "pdf"]), required=True)
@click.option("-o", "--output", required=True, help="输出文件 / output file")
@common.region_option
@common.lang_option
@common.handle_errors
def export_command(files: tuple[str, ...], fmt: str, output: str, region: str, lang: str | None) -> None:
    """把部门整体支出绩效目标表/自评表导出为一个 .xlsx 或 .pdf 文件。"""
    from jixiao.evaluation.config import get_rules
    from jixiao.evaluation.department import rollup
    from jixiao.formats.render.department import RollupPoints, department_pdf, department_xlsx

    docs = _read(files)
    rules = get_rules(region)
    points: list[RollupPoints | None] = []
    for doc in docs:
        if isinstance(doc, DepartmentSelfEvaluation) and doc.projects:
            r = rollup(doc.projects, rules)
            w = r.weights
            points.append(
                RollupPoints((w.execution, w.good, w.met), (r.execution_points, r.good_points, r.met_points))
            )
        else:
            points.append(None)
    writer = department_xlsx if fmt == "xlsx" else department_pdf
    common.write_output(output, writer(docs, points))


commands = [department_group]
