"""Department forms rendered to Excel and PDF read back to the same model (through the cell grid)."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from department_forms import declaration, self_evaluation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.domain.department import DEPARTMENT_FRAMEWORKS, DepartmentDocument, ProjectResult
from jixiao.domain.errors import InputError, ValidationError
from jixiao.formats import read_bytes
from jixiao.formats.interpret_department import read_department_bytes
from jixiao.formats.json_department import dumps, from_dict, loads, to_dict
from jixiao.formats.render.department import RollupPoints, department_pdf, department_xlsx

D = Decimal
POINTS = RollupPoints((D(30), D(40), D(30)), (D("26.31"), D("26.67"), D("24.00")))
WRITERS = {"xlsx": department_xlsx, "pdf": department_pdf}


def core(doc: DepartmentDocument) -> dict[str, Any]:
    """The canonical JSON without where it was read from."""
    out = to_dict(doc)
    for key in ("source", "warnings", "fields"):
        out.pop(key, None)
    return out


@pytest.mark.parametrize("fmt", list(WRITERS))
@pytest.mark.parametrize("make", [declaration, self_evaluation], ids=["declaration", "self_evaluation"])
def test_rendered_form_reads_back_unchanged(fmt: str, make: Any) -> None:
    doc = make()
    data = WRITERS[fmt]([doc], [POINTS])
    [back] = read_department_bytes(data, f"部门.{fmt}")
    assert core(back) == core(doc)
    assert back.warnings == []
    assert back.fields["department"].status == "read"


def test_a_workbook_of_both_forms_reads_as_two_documents() -> None:
    data = department_xlsx([declaration(), self_evaluation()], [None, POINTS])
    docs = read_department_bytes(data, "两张.xlsx")
    assert [d.kind for d in docs] == ["department_declaration", "department_self_evaluation"]
    assert [d.source.form_index for d in docs] == [1, 2]


def test_the_project_readers_do_not_take_a_department_form_for_a_project() -> None:
    # 部门整体支出绩效目标申报表 ends in 绩效目标申报表, a project title: it must not read as a project.
    data = department_xlsx([declaration()])
    with pytest.raises(Exception) as exc:
        read_bytes(data, "部门.xlsx")
    assert getattr(exc.value, "code", "") == "JX-E420"


def test_a_project_form_is_not_a_department_form(seed_text: str) -> None:
    with pytest.raises(InputError) as exc:
        read_department_bytes(seed_text.encode(), "seed.txt")
    assert exc.value.code == "JX-E653"
    assert "部门整体" in exc.value.message_zh and "department-wide" in exc.value.message_en


def test_json_round_trip_and_its_errors() -> None:
    docs = [declaration(), self_evaluation()]
    assert [core(d) for d in loads(dumps(docs))] == [core(d) for d in docs]
    with pytest.raises(ValidationError) as exc:
        from_dict({"kind": "declaration", "department": "x"})
    assert exc.value.code == "JX-E650"
    bad = to_dict(self_evaluation())
    bad["projects"][0]["met"] = 9
    with pytest.raises(ValidationError) as exc:
        from_dict(bad)
    assert "projects[0].met" in exc.value.message_zh
    with pytest.raises(ValidationError):
        loads(json.dumps({**to_dict(declaration()), "funds": {"total": "一百"}}))


_names = (
    st.text(
        alphabet=st.sampled_from("城运中心网格热线巡查处置服务费项目管理运维宣传（）12345ABC"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
_amounts = st.decimals(min_value=0, max_value=D("999999999.99"), places=2)


@st.composite
def _lines(draw: Any) -> ProjectResult:
    n = draw(st.integers(0, 12))
    graded = draw(st.booleans())
    return ProjectResult(
        name=draw(_names),
        unit=draw(_names),
        budget=draw(_amounts),
        executed=draw(st.none() | _amounts),
        score=draw(st.decimals(min_value=0, max_value=100, places=2)) if graded else None,
        grade=draw(st.sampled_from("优良中差")) if graded else None,
        indicators=n if graded else 0,
        met=draw(st.integers(0, n)) if graded else 0,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(_lines(), min_size=1, max_size=8), department=_names)
def test_any_project_table_survives_excel(lines: list[ProjectResult], department: str) -> None:
    """Names, amounts, grades and counts of the 项目自评汇总 table read back as written."""
    doc = self_evaluation()
    doc.department = department
    doc.projects = lines
    [back] = read_department_bytes(department_xlsx([doc], [POINTS]), "h.xlsx")
    assert core(back)["projects"] == core(doc)["projects"]
    assert back.department == department


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_ten_million_amounts_stay_in_their_cells(fmt: str) -> None:
    """An amount of eight digits before the point (10,210,900.00) fits its column: it does not run
    into the 合计 label beside it (a PDF reader takes every character where it is printed)."""
    doc = self_evaluation()
    doc.projects = [replace(p, budget=D("99999999.99"), executed=D("88888888.88")) for p in doc.projects]
    doc.rollup = replace(doc.rollup, budget=D("399999999.96"), executed=D("355555555.52"))
    [back] = read_department_bytes(WRITERS[fmt]([doc], [POINTS]), f"大额.{fmt}")
    assert core(back) == core(doc)


_TARGETS = st.sampled_from(
    [">=95%", "=100%", "≤3天", "零事故", "建立健全", "显著提升", ">=12次", "90%-95%", "6月底前"]
)
_LEVELS = st.sampled_from(
    [(a, b) for a, bs in DEPARTMENT_FRAMEWORKS["department-national"].levels.items() for b in bs]
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_LEVELS, _names, _TARGETS), min_size=1, max_size=12), duties=_names)
def test_any_indicator_table_survives_excel(rows: list[Any], duties: str) -> None:
    """The declaration's indicators (any 一级/二级 of the framework, in any order) and texts read back."""
    from jixiao.domain.model import Indicator
    from jixiao.domain.targets import try_parse_target

    doc = declaration()
    doc.duties = duties
    doc.indicators = [Indicator(a, b, name, try_parse_target(t)) for (a, b), name, t in rows]
    [back] = read_department_bytes(department_xlsx([doc]), "h.xlsx")
    assert core(back) == core(doc)
