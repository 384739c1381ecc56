"""The synthetic district: reproducible, sized and shaped like the reference's published values."""

from __future__ import annotations

import pyarrow.compute as pc
import pytest
from records_helpers import seed_binding

from jixiao.records.engine import RecordSet, with_callbacks
from jixiao.records.mapping import propose_mapping
from jixiao.records.reader import read_file, validate
from jixiao.records.synthetic import generate, write_csv


@pytest.fixture(scope="module")
def slice_():  # type: ignore[no-untyped-def]
    return generate(2022, scale=0.05, seed=11)


def test_same_seed_same_records_other_seed_other_records(slice_) -> None:  # type: ignore[no-untyped-def]
    again = generate(2022, scale=0.05, seed=11)
    assert again.cases.equals(slice_.cases) and again.callbacks.equals(slice_.callbacks)
    other = generate(2022, scale=0.05, seed=12)
    assert not other.cases.equals(slice_.cases)


def test_volumes_and_mix(slice_) -> None:  # type: ignore[no-untyped-def]
    sources = pc.value_counts(slice_.cases.column("source").combine_chunks().cast("string")).to_pylist()
    counts = {d["values"]: d["counts"] for d in sources}
    assert counts == {"grid": 15_000, "hotline": 5_000}  # a district is 300,000 + 100,000 a year
    grid = slice_.cases.filter(pc.equal(slice_.cases.column("source"), "grid"))
    inspectors = pc.sum(pc.equal(grid.column("channel"), "监督员巡查")).as_py() / grid.num_rows
    assert 0.93 <= inspectors <= 0.97  # 监督员 93–98 % (reference §5)


@pytest.mark.parametrize(
    ("project", "indicator", "low", "high"),
    [
        (
            "区城运中心城运平台等辅助服务",
            "热线工单按时办结率",
            93,
            98.5,
        ),  # Shanghai 2016: 99.5 %; drifts down
        ("热线工单回访测评费", "市民满意率", 88, 94),  # 综合满意率 80–94 %
        (
            "区城运中心城运平台等辅助服务",
            "热线平台信息员热线工单派单及时率",
            94.5,
            100,
        ),  # 当天派单 94.5–100 %
        ("城运案件托底处置费", "案件处置通过率", 99.5, 100),  # 返工 0.05–0.5 %
    ],
)
def test_computed_values_look_like_the_published_ones(slice_, project, indicator, low, high) -> None:  # type: ignore[no-untyped-def]
    rs = RecordSet(with_callbacks(slice_.cases, slice_.callbacks), slice_.callbacks, slice_.calendar)
    value = rs.actual(seed_binding(project, indicator), 2022, 12).value
    assert value is not None and low <= value <= high


def test_a_written_export_reads_back_through_the_mapping(slice_, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(slice_.cases, tmp_path / "cases.csv")
    raw = read_file(path)
    mapping = {c.header: c.field for c in propose_mapping(raw.headers, "case") if c.field}
    table = validate(raw, "case", mapping)
    assert table.num_rows == slice_.cases.num_rows
    assert table.column("case_id").to_pylist() == slice_.cases.column("case_id").to_pylist()
