"""Every corpus file, read as a user would read it, compared field by field with what a person wrote down.

A field that differs must carry a reader warning for that field (or the status ``not_found``); a
difference without one is a silent error and fails, unless the layout's ``known_misses`` lists it
with a reason (see README.md). ``scorecard.py`` prints the same comparison as figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import jsonschema
import pytest
from corpus_compare import HERE, FileResult, cases, compare_docs, compare_file, expected_of, layouts

from jixiao.domain.model import Document, ParseWarning
from jixiao.formats import read_path
from jixiao.formats.json import from_dict, json_schema, to_dict


@pytest.mark.parametrize(("layout", "producer"), cases(), ids=[f"{a}/{b}" for a, b in cases()])
def test_every_field_is_read_or_warned(layout: str, producer: str) -> None:
    result = compare_file(layout, producer)
    if result.error is not None:
        assert result.known_error, f"{layout}/{producer} is refused: {result.error}"
        return
    silent = [f"{d.path}: expected {d.expected!r}, read {d.got!r}" for d in result.silent]
    assert not silent, f"{len(silent)} silent errors in {layout}/{producer}:\n" + "\n".join(silent)


def test_the_corpus_covers_each_layout_with_every_producer() -> None:
    names = layouts()
    assert {
        "shanghai-declaration",
        "seed-chromium",
        "mof-target",
        "split-target",
        "anhui-midterm",
        "department-list",
        "mof-self-evaluation",
        "shanghai-self-evaluation",
        "province-titles",
    } <= set(names)
    for layout in names:
        assert {p for a, p in cases() if a == layout} == {
            "openpyxl.xlsx",
            "libreoffice-xlsx.pdf",
            "python-docx.docx",
            "libreoffice-docx.pdf",
            "page.html",
            "chromium.pdf",
            "pdftotext.txt",
        }, layout
    total = sum(p.stat().st_size for p in HERE.rglob("*") if p.is_file())
    assert total < 7 * 1024 * 1024  # Chromium embeds CJK glyphs as Type 3 outlines: 3.5 MB of it


@pytest.mark.parametrize("layout", layouts())
def test_expected_readings_are_canonical_documents(layout: str) -> None:
    documents = expected_of(layout)["documents"]
    docs = [from_dict(d) for d in documents]
    jsonschema.validate([to_dict(d) for d in docs], json_schema())
    for doc in docs:
        assert all(i.target.kind != "invalid" for i in doc.indicators)


def test_the_seed_layout_holds_the_seed_reading() -> None:
    seed = expected_of("seed-chromium")["documents"]
    assert len(seed) == 7 and sum(len(d["indicators"]) for d in seed) == 58
    assert seed[5]["project"]["name"] == "区城运中心城运平台等辅助服务"
    assert seed[4]["goals"]["overall"] == seed[4]["goals"]["annual"]


def test_self_evaluation_figures_add_up_as_printed() -> None:
    # The expected readings are the printed figures: the indicator scores plus the budget score make
    # the printed total (domain-rules.md §5.5).
    for layout in ("mof-self-evaluation", "shanghai-self-evaluation"):
        for d in expected_of(layout)["documents"]:
            scores = sum(Decimal(i["score"]) for i in d["indicators"])
            assert scores + Decimal(d["budget"]["score"]) == Decimal(d["total_score"]), d["project"]["name"]
            assert sum(Decimal(i["weight"]) for i in d["indicators"]) == 90


# --- the comparison itself ---------------------------------------------------------------------


def _compare(layout: str, producer: str, change: Callable[[list[Document]], None]) -> FileResult:
    spec = expected_of(layout)
    expected = [to_dict(from_dict(d)) for d in spec["documents"]]
    read = read_path(HERE / layout / producer)
    change(read)
    result = FileResult(layout, producer)
    compare_docs(expected, read, result, [])
    return result


def test_a_wrong_value_without_a_warning_is_silent() -> None:
    def wrong(read: list[Document]) -> None:
        read[0].project.implementing_unit = "上海市徐汇区绿化和市容管理局"

    result = _compare("shanghai-declaration", "page.html", wrong)
    assert [d.path for d in result.silent] == ["$[0].project.implementing_unit"]


def test_a_wrong_value_with_a_warning_for_that_field_is_honest() -> None:
    def warned(read: list[Document]) -> None:
        read[0].funding.total = None
        read[0].warnings.append(ParseWarning("JX-W000", "x", "x", field="funding.total"))
        read[1].indicators[2].target = read[1].indicators[3].target
        read[1].warnings.append(ParseWarning("JX-W000", "x", "x", field="indicators[2]"))

    result = _compare("shanghai-declaration", "page.html", warned)
    assert not result.silent
    assert sorted(d.path for d in result.warned) == ["$[0].funding.total", "$[1].indicators[2].target"]


def test_a_dropped_indicator_shifts_nothing_else() -> None:
    def dropped(read: list[Document]) -> None:
        del read[0].indicators[3]

    result = _compare("mof-target", "python-docx.docx", dropped)
    assert {d.path.rsplit(".", 1)[0] for d in result.silent} == {"$[0].indicators[3]"}


def test_a_warning_on_another_field_does_not_excuse() -> None:
    def elsewhere(read: list[Document]) -> None:
        read[0].goals.annual = "（略）"
        read[0].warnings.append(ParseWarning("JX-W000", "x", "x", field="goals.overall"))

    result = _compare("mof-target", "python-docx.docx", elsewhere)
    assert [d.path for d in result.silent] == ["$[0].goals.annual"]


def test_known_misses_name_a_file_a_field_and_a_reason() -> None:
    for layout in layouts():
        for miss in expected_of(layout).get("known_misses", []):
            assert set(miss) == {"file", "fields", "reason"}, (layout, miss)
            assert miss["reason"].strip() and miss["fields"], (layout, miss)
    json.dumps(expected_of("mof-target"))  # every expected file is plain JSON
