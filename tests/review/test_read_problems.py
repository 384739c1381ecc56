"""The review never blames the filler for a field the reader could not find on the form."""

from __future__ import annotations

import copy
from pathlib import Path

from jixiao.domain.model import Declaration, FieldRead
from jixiao.formats import read_path
from jixiao.review.engine import review


def _first(seed_file: Path) -> Declaration:
    doc = read_path(seed_file)[0]
    assert isinstance(doc, Declaration)
    return doc


def test_a_field_left_blank_on_the_form_is_the_fillers_finding(seed_file: Path) -> None:
    doc = copy.deepcopy(_first(seed_file))
    doc.project.implementing_unit = None
    doc.fields["project.implementing_unit"] = FieldRead("blank", line=5)
    [result] = review([doc]).declarations
    assert any(
        f.evidence.field == "project.implementing_unit" and f.code != "JX-R01" for f in result.findings
    )
    assert result.to_dict()["reading"]["complete"]


def test_a_field_the_reader_did_not_find_is_a_read_problem_not_a_finding(seed_file: Path) -> None:
    blank = copy.deepcopy(_first(seed_file))
    blank.project.implementing_unit = None
    blank.fields["project.implementing_unit"] = FieldRead("blank", line=5)
    missing = copy.deepcopy(blank)
    missing.fields["project.implementing_unit"] = FieldRead("not_found")
    [filled_in_badly] = review([blank]).declarations
    [not_read] = review([missing]).declarations
    on_unit = [f for f in not_read.findings if f.evidence.field == "project.implementing_unit"]
    assert [(f.code, f.severity) for f in on_unit] == [("JX-R01", "info")]
    assert "实施单位" in on_unit[0].message_zh
    # the read problem costs the filler nothing: the score is that of a form with no such finding
    assert not_read.score > filled_in_badly.score
    reading = not_read.to_dict("en")["reading"]
    assert reading["complete"] is False and "project.implementing_unit" in reading["not_found"]
    assert "incomplete reading" in reading["note"]


def test_a_finding_under_several_unread_fields_is_the_first_ones_read_problem(seed_file: Path) -> None:
    # An indicator's finding lies under both "indicators" and "indicators[0]": the read problem
    # named is the first unread field in sorted order, as a scan of the sorted unread fields gives.
    doc = copy.deepcopy(_first(seed_file))
    [read] = review([doc]).declarations
    on_rows = {f.evidence.field for f in read.findings if (f.evidence.field or "").startswith("indicators[")}
    assert on_rows
    for path in ("indicators", "indicators[0]", "indicator"):
        doc.fields[path] = FieldRead("not_found")
    [not_read] = review([doc]).declarations
    problems = [f.evidence.field for f in not_read.findings if f.code == "JX-R01"]
    assert "indicators" in problems and "indicators[0]" not in problems and "indicator" not in problems
    assert not any((f.evidence.field or "").startswith("indicators[") for f in not_read.findings)
