"""In English, the reports of the seed forms say nothing in Chinese but what the forms themselves say.

What the user wrote (project, unit and indicator names, targets, goals, notes) stays as written; a
text to be written on the Chinese form is quoted ('…'). Everything else jixiao prints (labels, rule
messages and bases, grades, lights, months, table heads) must be English.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from jixiao.domain.model import Document
from jixiao.evaluation.config import get_rules
from jixiao.evaluation.monitoring import MonitoringReport, monitor
from jixiao.evaluation.render_html import (
    monitoring_section,
    monitoring_table,
    render_self_evaluation_html,
    self_evaluation_table,
)
from jixiao.evaluation.report import format_text, score_report
from jixiao.evaluation.scoring import evaluate
from jixiao.formats import read_path
from jixiao.formats.json import to_dict as document_dict
from jixiao.formats.json_monitoring import loads as load_monitoring
from jixiao.formats.json_monitoring import to_dict as monitoring_dict
from jixiao.review import review
from jixiao.review.render import render_html, render_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "src" / "jixiao" / "data" / "demo" / "seed-2022-qingpu.txt"
FIXTURES = ROOT / "tests" / "evaluation" / "fixtures"
HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
QUOTED = re.compile(r"'[^'\n]*'")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _user_data(docs: list[Any]) -> list[str]:
    """Every text the forms hold (from their canonical JSON), longest first."""
    texts: set[str] = set()
    for doc in docs:
        as_dict = monitoring_dict(doc) if isinstance(doc, MonitoringReport) else document_dict(doc)
        data = json.loads(json.dumps(as_dict, ensure_ascii=False, default=str))
        for text in _strings(data):
            texts.add(text)
            texts.update(part for part in re.split(r"[\s,，;；]+", text) if part)
    return sorted((t for t in texts if HAN_RUN.search(t)), key=len, reverse=True)


def _chinese_left(output: str, docs: list[Any]) -> list[str]:
    """Return the Chinese runs of ``output`` that are not the forms' own text, with their context."""
    text = re.sub(r"<style>.*?</style>", "", output, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    text = text.replace(str(SEED), "").replace(SEED.name, "")
    for data in _user_data(docs):
        text = text.replace(data, " ")
    text = QUOTED.sub(" ", text)
    left = []
    for m in HAN_RUN.finditer(text):
        if re.fullmatch(r"[\u3000-\u303f\uff00-\uffef]+", m.group()):
            continue  # punctuation around the forms' words, e.g. “美丽街区”
        left.append(text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " "))
    return left


@pytest.fixture(scope="module")
def declarations() -> list[Document]:
    return read_path(SEED)


@pytest.fixture(scope="module")
def self_evaluation() -> Any:
    return read_path(FIXTURES / "putuo_2022_self_evaluation.json")[0]


@pytest.fixture(scope="module")
def monitoring_report() -> Any:
    path = FIXTURES / "qingpu_2022_monitoring.json"
    return load_monitoring(path.read_text(encoding="utf-8"), file=str(path))[0]


@pytest.mark.parametrize("renderer", [render_text, render_html], ids=["text", "html"])
def test_the_english_review_report_of_the_seed_has_no_chinese_of_jixiao(
    declarations: list[Document], renderer: Any
) -> None:
    report = review(declarations)
    english = renderer(report, "en")
    assert "Good" in english or "Fair" in english or "Excellent" in english
    assert not _chinese_left(english, declarations)
    assert _chinese_left(renderer(report, "zh"), declarations)  # the check itself sees Chinese


def test_the_english_self_evaluation_score_table_has_no_chinese_of_jixiao(self_evaluation: Any) -> None:
    rules = get_rules("shanghai")
    ev = evaluate(self_evaluation, rules)
    table = self_evaluation_table(self_evaluation, ev, rules, "en")
    assert "Execution rate" in table and "Excellent" in table
    assert not _chinese_left(table, [self_evaluation])
    assert not _chinese_left(render_self_evaluation_html(self_evaluation, rules, "en"), [self_evaluation])
    text = format_text(self_evaluation, score_report(self_evaluation, rules, "en"), "en", rules)
    assert not _chinese_left(text, [self_evaluation])
    assert _chinese_left(self_evaluation_table(self_evaluation, ev, rules, "zh"), [self_evaluation])


def test_the_english_monitoring_table_has_no_chinese_of_jixiao(monitoring_report: Any) -> None:
    rules = get_rules("shanghai")
    result = monitor(monitoring_report, rules)
    table = monitoring_table(monitoring_report, result, rules, "en")
    assert "January–July" in table
    assert not _chinese_left(table, [monitoring_report])
    assert not _chinese_left(monitoring_section(monitoring_report, rules, None, "en"), [monitoring_report])
    zh = monitoring_table(monitoring_report, result, rules, "zh")
    assert "1–7月" in zh and _chinese_left(zh, [monitoring_report])
