"""Reading exports: header names proposed in both languages, one clear error per bad row."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from jixiao.records.errors import RecordFileError, RowsRejected
from jixiao.records.mapping import propose_mapping
from jixiao.records.reader import read_raw, validate


@pytest.mark.parametrize(
    ("header", "field", "sure"),
    [
        ("工单编号", "case_id", True),
        ("案卷号", "case_id", True),
        ("unique_key", "case_id", True),
        ("Unique Key", "case_id", True),
        ("service_request_id", "case_id", True),
        ("办结时间", "closed_at", True),
        ("Closed Date", "closed_at", True),
        ("created_date", "reported_at", True),
        ("派单时间", "dispatched_at", True),
        ("办结时限", "due_at", True),
        ("（首次）派遣时间", "dispatched_at", True),
        ("退单原因", "return_reason", True),
        ("工单办结时间（系统）", "closed_at", False),
        ("备注", None, False),
    ],
)
def test_header_names_are_proposed(header: str, field: str | None, sure: bool) -> None:
    [choice] = propose_mapping([header], "case")
    assert (choice.field, choice.sure) == (field, sure)


def test_a_field_is_proposed_for_one_column_only() -> None:
    choices = propose_mapping(["工单编号", "案卷号"], "case")
    assert [c.field for c in choices] == ["case_id", None]


def _mapped(data: bytes, kind: str = "case", source: str | None = None):  # type: ignore[no-untyped-def]
    raw = read_raw(data, "export.csv")
    mapping = {c.header: c.field for c in propose_mapping(raw.headers, kind) if c.field}  # type: ignore[arg-type]
    return validate(raw, kind, mapping, source=source)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2022-07-01 08:30:00", datetime(2022, 7, 1, 8, 30)),
        ("2022-07-01 08:30", datetime(2022, 7, 1, 8, 30)),
        ("2022/7/1 8:30", datetime(2022, 7, 1, 8, 30)),
        ("2022-07-01T08:30:00", datetime(2022, 7, 1, 8, 30)),
        ("2022年7月1日 08:30", datetime(2022, 7, 1, 8, 30)),
        ("2022年07月01日", datetime(2022, 7, 1)),
        ("20220701083000", datetime(2022, 7, 1, 8, 30)),
    ],
)
def test_datetime_layouts_of_exports(cell: str, expected: datetime) -> None:
    table = _mapped(f"工单编号,受理时间\nW1,{cell}\n".encode(), source="hotline")
    assert table.column("accepted_at").to_pylist() == [expected]


@pytest.mark.parametrize(
    ("rows", "row", "column", "reason"),
    [
        ("W1,2022-13-01 08:00,", 2, "来电时间", "不是日期时间"),
        (",2022-07-01 08:00,", 2, "工单编号", "必填"),
        ("W1,2022-07-01 08:00,\nW1,2022-07-02 08:00,", 3, "工单编号", "与第 2 行的编号重复"),
        ("W1,2022-07-02 08:00,2022-07-01 08:00", 2, "办结时间", "结案时间早于上报时间"),
        ("W1,2022-07-01 08:00,明天", 2, "办结时间", "不是日期时间"),
        # longer than the database column holds: refused with its row, not cut short
        ("W" + "1" * 64 + ",2022-07-01 08:00,", 2, "工单编号", "长于 64 个字符（65 个）"),
    ],
)
def test_one_clear_error_per_bad_row(rows: str, row: int, column: str, reason: str) -> None:
    with pytest.raises(RowsRejected) as info:
        _mapped(f"工单编号,来电时间,办结时间\n{rows}\n".encode(), source="hotline")
    [error] = info.value.errors
    assert (error.row, error.column) == (row, column)
    assert reason in error.message("zh")
    assert info.value.code == "JX-E803" and f"第 {row} 行" in info.value.message("zh")


def test_every_bad_row_is_reported_once_and_nothing_is_returned() -> None:
    body = "\n".join(f"W{i},{'bad' if i % 3 == 0 else '2022-07-01 08:00'},x" for i in range(1, 31))
    with pytest.raises(RowsRejected) as info:
        _mapped(f"工单编号,来电时间,来源\n{body}\n".encode())
    # Every row has a bad source ("x"); rows 3, 6, … also a bad time: still one error per row.
    assert info.value.total == 30
    assert len({e.row for e in info.value.errors}) == 30


def test_gb18030_and_tab_separated() -> None:
    data = "工单编号\t来源\t受理时间\nW1\t热线\t2022-07-01 08:00\n".encode("gb18030")
    table = _mapped(data)
    assert table.column("source").to_pylist() == ["hotline"]


def test_required_field_without_column() -> None:
    with pytest.raises(RecordFileError) as info:
        _mapped("受理时间,来源\n2022-07-01 08:00,热线\n".encode())
    assert info.value.code == "JX-E801" and "案卷号" in info.value.message("zh")


def test_excel_with_a_title_row_above_the_header() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["青浦区网格化案件导出（2022年7月）"])
    sheet.append(["案卷号", "来源", "派遣时间", "结案时间", "返工次数"])
    sheet.append(["G1", "网格", datetime(2022, 7, 1, 9), datetime(2022, 7, 3, 9), 0])
    sheet.append(["G2", "网格", datetime(2022, 7, 2, 9), None, 1])
    buf = io.BytesIO()
    book.save(buf)
    raw = read_raw(buf.getvalue(), "export.xlsx")
    assert raw.first_row == 3 and raw.headers[0] == "案卷号"
    mapping = {c.header: c.field for c in propose_mapping(raw.headers, "case") if c.field}
    table = validate(raw, "case", mapping)
    assert table.column("rework_count").to_pylist() == [0, 1]
    assert table.column("closed_at").to_pylist() == [datetime(2022, 7, 3, 9), None]


def test_callbacks_get_an_id_from_case_and_time() -> None:
    table = _mapped("工单号,回访时间,满意度\nW1,2022-07-01 10:00,非常满意\n".encode(), "callback")
    assert table.column("callback_id").to_pylist() == ["W1@2022-07-01T10:00:00"]
    assert table.column("satisfaction").to_pylist() == ["满意"]


@pytest.mark.parametrize("data", [b"", b"   \n", b"just one column\nx\n"])
def test_not_a_table(data: bytes) -> None:
    with pytest.raises(RecordFileError):
        _mapped(data)


def test_a_quoted_cell_with_a_line_break_and_a_gb18030_body() -> None:
    # the header is ASCII-only (UTF-8 and GB18030 alike) and a later cell is GB18030
    data = 'case_id,source,description\nW1,hotline,"two\nlines"\nW2,热线,x\n'.encode("gb18030")
    raw = read_raw(data, "export.csv")
    assert raw.rows == 2 and raw.columns.column("c1").to_pylist() == ["hotline", "热线"]


@pytest.mark.parametrize(("length", "refused"), [(100, False), (101, True)])
def test_a_text_cell_may_be_as_long_as_its_column_in_characters(length: int, refused: bool) -> None:
    # 街镇 holds 100 characters (Chinese ones count one each, as the database counts them)
    text = f"工单编号,来电时间,街镇\nW1,2022-07-01 08:00,{'街' * length}\n".encode()
    if not refused:
        assert _mapped(text, source="hotline").column("street").to_pylist() == ["街" * length]
        return
    with pytest.raises(RowsRejected) as info:
        _mapped(text, source="hotline")
    [error] = info.value.errors
    assert error.column == "街镇" and "longer than 100 characters (101)" in error.message("en")


def test_a_nul_in_a_cell_is_dropped() -> None:
    # a broken export's padding: PostgreSQL cannot store it, and it is no part of the text
    table = _mapped(
        "工单编号,来电时间,街镇\nW1,2022-07-01 08:00,香花\x00桥街道\x00\n".encode(), source="hotline"
    )
    assert table.column("street").to_pylist() == ["香花桥街道"]
