"""The canonical JSON contract: lossless both ways, valid against the published schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.domain.errors import ValidationError
from jixiao.formats import read_path
from jixiao.formats.json import dumps, from_dict, json_schema, loads, to_dict


@pytest.fixture(scope="module")
def seed_json(seed_file: Path) -> list[dict[str, Any]]:
    return [to_dict(d) for d in read_path(seed_file)]


def test_seed_round_trips_losslessly(seed_json: list[dict[str, Any]]) -> None:
    again = [to_dict(from_dict(d)) for d in seed_json]
    assert again == seed_json
    assert [to_dict(d) for d in loads(dumps(loads(json.dumps(seed_json))))] == seed_json


def test_output_matches_the_published_schema(seed_json: list[dict[str, Any]]) -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(seed_json, schema)


def test_example_of_the_design_document(seed_json: list[dict[str, Any]]) -> None:
    doc = seed_json[1]
    assert doc["kind"] == "declaration" and doc["year"] == 2022
    assert doc["funding"]["total"] == "480000.00" and doc["funding"]["total_other"] is None
    assert doc["indicators"][3] == {
        "level1": "产出指标",
        "level2": "时效指标",
        "name": "一般案件处置及时性",
        "target": {"text": "7天内完成", "kind": "deadline", "op": "<=", "value": "7", "unit": "天"},
    }
    assert doc["source"]["form_index"] == 2 and doc["source"]["line"] == 92


def test_self_evaluation_round_trips() -> None:
    doc = {
        "kind": "self_evaluation",
        "year": 2022,
        "project": {"name": "普陀体育中心与委托运营方结算费用"},
        "budget": {
            "initial": "250000.00",
            "adjusted": "250000.00",
            "executed": "215457.60",
            "weight": "10",
            "execution_rate": "86.19",
            "score": "8.62",
            "lines": {
                "appropriation": {"initial": "250000.00", "adjusted": "250000.00", "executed": "215457.60"}
            },
        },
        "indicators": [
            {
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "与委托运营方结算完成率",
                "target": {"text": "=100%"},
                "actual": "100%",
                "weight": "10",
                "score": "10",
                "deviation_note": None,
            }
        ],
        "total_score": "98.62",
        "grade": "优",
    }
    once = to_dict(from_dict(doc))
    assert to_dict(from_dict(once)) == once
    jsonschema.validate([once], json_schema())
    assert once["indicators"][0]["target"]["op"] == "="


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ([{"kind": "declaration"}], "$[0].project"),
        ([{"project": {"name": ""}}], "$[0].project.name"),
        ([{"project": {"name": "x"}, "funding": {"total": "abc"}}], "$[0].funding.total"),
        ([{"project": {"name": "x"}, "funding": {"total": [1]}}], "$[0].funding.total"),
        ([{"project": {"name": "x", "start_date": "2022-02-30"}}], "$[0].project.start_date"),
        ([{"project": {"name": "x"}, "indicators": [{"target": 5}]}], "$[0].indicators[0].target"),
        ([{"project": {"name": "x"}, "indicators": "many"}], "$[0].indicators"),
        ([{"project": {"name": "x"}, "year": "2022"}], "$[0].year"),
        ([{"project": {"name": "x"}, "kind": "memo"}], "$[0].kind"),
        ([{"project": {"name": "x"}, "funding": {"total": "Infinity"}}], "$[0].funding.total"),
        ([{"project": {"name": "x"}, "funding": {"total": 1e308}}], "$[0].funding.total"),
        ([{"project": {"name": "x"}, "funding": {"total": "9" * 40}}], "$[0].funding.total"),
        ([3], "$[0]"),
    ],
)
def test_bad_documents_name_the_field(payload: Any, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        loads(json.dumps(payload))
    assert caught.value.where.field == field
    assert caught.value.code == "JX-E500"


def test_malformed_json_names_the_line() -> None:
    with pytest.raises(ValidationError) as caught:
        loads('[\n{"kind": \n', file="x.json")
    assert caught.value.where.line is not None and caught.value.where.file == "x.json"


def test_an_unreadable_target_survives_as_invalid() -> None:
    [doc] = loads(
        json.dumps(
            [
                {
                    "project": {"name": "x"},
                    "indicators": [
                        {"level1": "产出指标", "level2": "数量指标", "name": "n", "target": {"text": ">=abc"}}
                    ],
                }
            ]
        )
    )
    out = to_dict(doc)["indicators"][0]["target"]
    assert out["kind"] == "invalid" and out["text"] == ">=abc" and out["error"]


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
_KEYS = [
    "kind",
    "year",
    "project",
    "name",
    "funding",
    "total",
    "annual",
    "goals",
    "indicators",
    "target",
    "text",
    "budget",
    "lines",
    "initial",
    "source",
    "warnings",
    "start_date",
    "weight",
    "score",
]
_doc_like = st.recursive(
    _json_values,
    lambda children: st.dictionaries(st.sampled_from(_KEYS), children, max_size=6),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_doc_like)
def test_any_json_gives_documents_or_a_validation_error(payload: Any) -> None:
    try:
        docs = loads(json.dumps(payload))
    except ValidationError:
        return
    for doc in docs:
        assert to_dict(from_dict(to_dict(doc))) == to_dict(doc)


def test_absurdly_nested_json_is_our_error_not_a_decoder_crash() -> None:
    with pytest.raises(ValidationError) as caught:
        loads("[" * 100_000 + "]" * 100_000, file="deep.json")
    assert caught.value.where.file == "deep.json" and "嵌套" in caught.value.message_zh


def test_each_field_says_whether_it_was_read_blank_or_not_found(seed_json: list[dict[str, Any]]) -> None:
    fields = seed_json[0]["fields"]
    assert fields["project.name"] == {"status": "read", "line": 6}
    assert fields["funding.total"] == {"status": "read", "line": 17}
    assert fields["funding.annual_carryover"]["status"] == "blank"  # 上年结转资金 printed, left empty
    assert fields["project.nature"] == {"status": "not_found"}  # the 2022 Shanghai form has no 项目性质
    assert fields["indicators"]["status"] == "read"


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"project.name": {"status": "guessed"}}, "$[0].fields.project.name.status"),
        ({"project.name": "read"}, "$[0].fields.project.name"),
        ({"project.name": {"status": "read", "bbox": [1, 2]}}, "$[0].fields.project.name.bbox"),
    ],
)
def test_a_bad_field_status_names_its_path(seed_json: list[dict[str, Any]], fields: Any, path: str) -> None:
    doc = dict(seed_json[0], fields=fields)
    with pytest.raises(ValidationError) as caught:
        loads(json.dumps([doc]))
    assert caught.value.where.field == path
