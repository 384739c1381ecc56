"""Reading record exports (CSV, Excel) and validating their rows into typed Arrow tables.

Two steps, so that the web mapping step can sit between them:

1. :func:`read_raw` turns the bytes of a CSV (UTF-8 or GB18030, comma/tab/semicolon) or an Excel
   workbook (python-calamine; the header row may follow a few title rows) into a :class:`RawTable`:
   the header names and every cell as text.
2. :func:`validate` converts the mapped columns to their types in DuckDB (one vectorised pass over
   the file) and collects one :class:`RowError` per bad row: the row, the column and why. If any
   row is bad it raises :class:`RowsRejected` and nothing is returned, so nothing is saved.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from jixiao.records.errors import RecordFileError, RowError, RowsRejected
from jixiao.records.mapping import check_mapping, normalise_header
from jixiao.records.schema import (
    FIELDS,
    ID_FIELDS,
    RESOLVED_ALIASES,
    SATISFACTION_ALIASES,
    SOURCE_ALIASES,
    Field,
    RecordKind,
)

__all__ = ["ARROW_TYPES", "MAX_LISTED_ERRORS", "RawTable", "empty_table", "read_file", "read_raw", "validate"]

MAX_LISTED_ERRORS = 200
# Layouts the exports of grid and hotline systems write dates in (and Excel cells converted).
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日%H时%M分",
    "%Y%m%d%H%M%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
)
TRUE_WORDS = ("是", "y", "yes", "true", "1", "√", "有", "需要", "已接通", "接通")
FALSE_WORDS = ("否", "n", "no", "false", "0", "×", "无", "不需要", "未接通")
ARROW_TYPES = {
    "text": pa.string(),
    "enum": pa.string(),
    "datetime": pa.timestamp("us"),
    "int": pa.int32(),
    "bool": pa.bool_(),
}


@dataclass(frozen=True, slots=True)
class RawTable:
    """A file's header names and its cells as text (``columns`` named c0, c1, … in header order).

    ``first_row`` is the file row number of the first data row (2 when the header is row 1).
    """

    name: str
    headers: list[str]
    columns: pa.Table
    first_row: int = 2

    @property
    def rows(self) -> int:
        """Return the number of data rows."""
        return int(self.columns.num_rows)


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RecordFileError(  # pragma: no cover - gb18030 decodes any byte string but a few
        "文件既不是 UTF-8 也不是 GB18030 编码", "the file is neither UTF-8 nor GB18030", where=None
    ).located(file=name)


def read_raw(data: bytes, name: str) -> RawTable:
    """Return the header and cells of a CSV or Excel file (recognised by content, not by name)."""
    if not data.strip():
        raise RecordFileError("文件是空的", "the file is empty").located(file=name)
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_excel(data, name)
    return _read_csv(data, name)


def _read_csv(data: bytes, name: str) -> RawTable:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    first_line = body.split(b"\n", 1)[0]
    try:
        header_text = first_line.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    if not utf8:  # GB18030 exports (older systems): transcode once for the UTF-8 parser
        body = _decode(data, name).encode("utf-8")
        header_text = body.split(b"\n", 1)[0].decode("utf-8")
    delimiter = max(",\t;", key=header_text.count)
    try:
        headers = next(csv.reader([header_text.rstrip("\r")], delimiter=delimiter))
    except (csv.Error, StopIteration) as exc:
        raise RecordFileError("第一行不是表头", "the first line is not a header").located(file=name) from exc
    headers = [h.strip() for h in headers]
    if len(headers) < 2:
        raise RecordFileError(
            "文件不是表格（第一行应为列名，用逗号或制表符分隔）",
            "the file is not a table (the first line should name the columns, comma or tab separated)",
        ).located(file=name)
    names = [f"c{i}" for i in range(len(headers))]

    def parse(newlines: bool) -> pa.Table:
        return pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=newlines),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False
            ),
        )

    try:
        try:
            # Blocks parse in parallel unless a quoted cell may hold a line break; try that first
            # and fall back when the file has one (a description typed over two lines).
            table = parse(False)
        except pa.ArrowInvalid:
            table = parse(True)
    except pa.ArrowInvalid as exc:
        if utf8 and "UTF8" in str(exc).upper():
            return _read_csv(_decode(data, name).encode("utf-8"), name)
        message = str(exc).split("\n")[0]
        raise RecordFileError(
            f"CSV 无法按表格读取（各行列数不一致？）：{message}",
            f"the CSV cannot be read as a table (rows with different column counts?): {message}",
        ).located(file=name) from exc
    return RawTable(name, headers, table)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    return str(value).strip()


def _read_excel(data: bytes, name: str) -> RawTable:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for broken workbooks
        raise RecordFileError(f"Excel 文件无法读取：{exc}", f"the Excel file cannot be read: {exc}").located(
            file=name
        ) from exc
    known = {normalise_header(a) for fields in FIELDS.values() for f in fields for a in f.aliases}
    header_at = 0
    for i, row in enumerate(rows[:10]):  # exports often put a title and a date above the header
        cells = [normalise_header(_cell(c)) for c in row]
        if sum(c in known for c in cells if c) >= 2:
            header_at = i
            break
    if not rows:
        raise RecordFileError("工作表是空的", "the sheet is empty").located(file=name)
    headers = [_cell(c) for c in rows[header_at]]
    while headers and not headers[-1]:
        headers.pop()
    body = [r for r in rows[header_at + 1 :] if any(c not in (None, "") for c in r)]
    columns = {
        f"c{i}": pa.array([_cell(r[i]) if i < len(r) else "" for r in body], pa.string())
        for i in range(len(headers))
    }
    return RawTable(name, headers, pa.table(columns), first_row=header_at + 2)


# What DuckDB's trim() removes (and so what a cell is trimmed of): the Unicode space separators,
# U+3000 (full-width space) among them; tabs and line breaks stay.
SPACES = " \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"
# The lengths of the ISO layouts Arrow's cast reads exactly as DuckDB's does: date; date and
# minutes; date and seconds (the ``T`` or a space between).
_ISO_LENGTHS = pa.array([10, 16, 19], pa.int32())


def _trimmed(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return ``cells`` trimmed of spaces, an empty cell as missing, without NUL characters.

    A NUL is no text (a broken export's padding): PostgreSQL cannot store one, and the forms'
    readers drop it too, so it is removed here rather than refused at the end of an import.
    """
    out = pc.utf8_trim(pc.replace_substring(cells, "\x00", ""), characters=SPACES)
    result: pa.ChunkedArray = pc.if_else(pc.equal(out, ""), pa.scalar(None, pa.string()), out)
    return result


def _iso_stamps(cells: pa.ChunkedArray) -> pa.ChunkedArray | None:
    """Return the timestamps of ``cells`` when every present cell is an ISO date or date and
    time of the common layouts (``2022-07-01 08:30:00``), else None (the SQL conversion, which
    also knows the other layouts and says which cells are wrong, is used instead)."""
    lengths = pc.fill_null(pc.utf8_length(cells), 10)  # a missing cell is no obstacle
    if pc.all(pc.is_in(lengths, value_set=_ISO_LENGTHS)).as_py() is False:
        return None
    try:
        stamps: pa.ChunkedArray = pc.cast(cells, pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return stamps


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _alias_case(col: str, aliases: dict[str, str]) -> str:
    whens = " ".join(f"WHEN {_sql_str(k.lower())} THEN {_sql_str(v)}" for k, v in aliases.items())
    return f"(CASE lower({col}) {whens} END)"


def _typed(field: Field, col: str) -> tuple[str, str, str]:
    """Return (typed SQL expression, reason zh, reason en) for a trimmed, NULL-if-empty ``col``."""
    if field.type == "datetime":
        formats = "[" + ", ".join(_sql_str(f) for f in DATETIME_FORMATS) + "]"
        # ISO text (what most exports write) casts directly; the other layouts are tried after.
        return (
            f"coalesce(try_cast({col} AS TIMESTAMP), try_strptime({col}, {formats}))",
            "不是日期时间（如 2022-07-01 08:30:00）",
            "not a date and time (e.g. 2022-07-01 08:30:00)",
        )
    if field.type == "int":
        return (f"try_cast({col} AS INTEGER)", "不是整数", "not a whole number")
    if field.type == "bool":
        trues = ", ".join(_sql_str(w) for w in TRUE_WORDS)
        falses = ", ".join(_sql_str(w) for w in FALSE_WORDS)
        return (
            f"(CASE WHEN lower({col}) IN ({trues}) THEN true WHEN lower({col}) IN ({falses}) THEN false END)",
            "应为 是/否",
            "should be yes/no (是/否)",
        )
    if field.type == "enum":
        aliases = {
            "source": SOURCE_ALIASES,
            "satisfaction": SATISFACTION_ALIASES,
            "resolved": RESOLVED_ALIASES,
        }[field.name]
        shown = " / ".join(field.choices)
        return (_alias_case(col, aliases), f"应为 {shown} 之一", f"should be one of {shown}")
    return (col, "", "")


def empty_table(kind: RecordKind) -> pa.Table:
    """Return an empty typed table of ``kind`` (every schema column, no rows)."""
    return pa.table({f.name: pa.array([], ARROW_TYPES[f.type]) for f in FIELDS[kind]})


def validate(
    raw: RawTable,
    kind: RecordKind,
    mapping: dict[str, str],
    *,
    source: str | None = None,
) -> pa.Table:
    """Return the rows of ``raw`` as a typed Arrow table of ``kind`` (every schema column).

    ``mapping`` is header → field name; ``source`` ('grid' / 'hotline') applies to every row whose
    file has no source column. Raises :class:`RowsRejected` with one error per bad row when any
    row is bad (nothing is returned, so a caller saves nothing), :class:`RecordFileError` when the
    mapping is unusable.
    """
    if source is not None and source not in SOURCE_ALIASES.values():
        raise RecordFileError(
            f"来源系统「{source}」应为 grid 或 hotline", f"source '{source}' should be grid or hotline"
        )
    check_mapping(mapping, raw.headers, kind, has_source=source is not None)
    fields = {f.name: f for f in FIELDS[kind]}
    by_field = {field: raw.headers.index(header) for header, field in mapping.items()}
    con = duckdb.connect()
    import numpy as np

    # Trimming and the ISO timestamps are done by Arrow's kernels, column by column (several
    # times cheaper than the same in SQL); the rest of the conversion and every check run in one
    # DuckDB pass over the trimmed columns.
    pre: dict[str, pa.ChunkedArray | pa.Array] = {
        "__row": pa.array(np.arange(raw.first_row, raw.first_row + raw.rows, dtype=np.int64))
    }
    fast: set[str] = set()
    for name, index in by_field.items():
        cells = _trimmed(raw.columns.column(index))
        pre[f"r_{name}"] = cells
        if fields[name].type == "datetime" and (stamps := _iso_stamps(cells)) is not None:
            pre[f"p_{name}"] = stamps
            fast.add(name)
    con.register("t", pa.table(pre))
    # Each mapped column is converted once (materialised in ``k``); the checks and the result
    # read the converted columns, so the date layouts are tried once per cell.
    converted: list[str] = []
    typed: dict[str, str] = {}
    errors: list[str] = []
    for name, f in fields.items():
        if name in by_field:
            expr, zh, en = _typed(f, f"r_{name}")
            if name in fast:
                expr = f"p_{name}"
            converted.append(f"{expr} AS v_{name}")
            typed[name] = f"v_{name}"
            if f.required:
                errors.append(f"CASE WHEN r_{name} IS NULL THEN '{name}\t必填，不能为空\tis required' END")
            if zh:
                errors.append(
                    f"CASE WHEN r_{name} IS NOT NULL AND v_{name} IS NULL THEN '{name}\t{zh}\t{en}' END"
                )
            if f.max_length:
                # characters, as the database column counts them
                n = int(f.max_length)
                errors.append(
                    f"CASE WHEN length(v_{name}) > {n} THEN '{name}\t长于 {n} 个字符（' || length(v_{name}) || "
                    f"' 个）\tlonger than {n} characters (' || length(v_{name}) || ')' END"
                )
        else:
            typed[name] = "NULL"
    if kind == "case":
        if "source" not in by_field:
            typed["source"] = _sql_str(source or "")
        typed = _case_defaults(typed, by_field)
        errors += _case_checks(typed, by_field)
    id_col = ID_FIELDS[kind]
    key = f"r_{id_col}"
    # a call-back or patrol file without ids of its own gets them made from what each row records
    # (below); a repeated one is then the same record exported twice, and the last row wins
    checks_ids = id_col in by_field
    duplicates = checks_ids and bool(
        con.execute(f"SELECT count({key}) - count(DISTINCT {key}) FROM t").fetchall()[0][0]
    )
    first = f"min(__row) OVER (PARTITION BY {key})" if duplicates else "NULL::BIGINT"
    if duplicates:
        errors.append(
            f"CASE WHEN __first IS NOT NULL AND __first <> __row THEN '{id_col}\t与第 ' || __first || "
            f"' 行的编号重复\tduplicates the id of row ' || __first END"
        )
    first_error = "coalesce(" + ", ".join(errors) + ")" if len(errors) > 1 else errors[0]
    kept = ", ".join(f"v_{name}" for name in by_field)
    # One pass: convert, check, and keep only the converted cells and the row's first error.
    con.execute(
        f"CREATE TEMP TABLE k AS SELECT __row, {kept}, {first_error} AS __e FROM "
        f"(SELECT *, {', '.join([*converted, f'{first} AS __first'])} FROM t)"
    )
    bad = con.execute("SELECT __row, __e FROM k WHERE __e IS NOT NULL ORDER BY __row").fetchall()
    if bad:
        listed: list[RowError] = []
        for row, e in bad[:MAX_LISTED_ERRORS]:
            name, zh, en = e.split("\t")
            header = next((h for h, f in mapping.items() if f == name), fields[name].label_zh)
            value = (
                con.execute(f"SELECT r_{name} FROM t WHERE __row = ?", [row]).fetchall()
                if name in by_field
                else []
            )
            listed.append(RowError(row, header, (value[0][0] if value else None) or "", zh, en))
        raise RowsRejected(raw.name, listed, len(bad))
    if kind == "callback" and "callback_id" not in by_field:
        typed["callback_id"] = "v_case_id || '@' || strftime(v_attempted_at, '%Y-%m-%dT%H:%M:%S')"
    if kind == "callback" and "reached" not in by_field:
        typed["reached"] = "true"
    if kind == "patrol" and "patrol_id" not in by_field:
        inspector = "coalesce(v_inspector_id, '')" if "inspector_id" in by_field else "''"
        typed["patrol_id"] = (
            f"v_grid_cell_id || '@' || strftime(v_started_at, '%Y-%m-%dT%H:%M:%S') || '@' || {inspector}"
        )
    if kind == "cell":
        # a register lists the cells a unit answers for: in scope unless it says otherwise
        typed["in_scope"] = "coalesce(v_in_scope, true)" if "in_scope" in by_field else "true"
    cols = ", ".join(f"CAST({typed[name]} AS {_duck_type(f)}) AS {name}" for name, f in fields.items())
    result = con.sql(f"SELECT {cols} FROM k ORDER BY __row").to_arrow_table()
    con.close()
    return result.cast(pa.schema([(f.name, ARROW_TYPES[f.type]) for f in FIELDS[kind]]))


def _duck_type(field: Field) -> str:
    return {
        "text": "VARCHAR",
        "enum": "VARCHAR",
        "datetime": "TIMESTAMP",
        "int": "INTEGER",
        "bool": "BOOLEAN",
    }[field.type]


def _case_defaults(typed: dict[str, str], by_field: dict[str, int]) -> dict[str, str]:
    out = dict(typed)
    if "priority" not in by_field:
        out["priority"] = "'一般'"
    else:
        out["priority"] = f"coalesce({typed['priority']}, '一般')"
    for name, default in (("needs_dispatch", "true"), ("ownerless", "false"), ("rework_count", "0")):
        out[name] = f"coalesce({typed[name]}, {default})" if name in by_field else default
    # 12345 work orders are called back by rule (GB/T 33358); grid cases found by inspectors are not.
    hotline = f"({out['source']} = 'hotline')"
    out["callback_required"] = (
        f"coalesce({typed['callback_required']}, {hotline})" if "callback_required" in by_field else hotline
    )
    return out


def _case_checks(typed: dict[str, str], by_field: dict[str, int]) -> list[str]:
    checks: list[str] = []
    if "closed_at" in by_field:
        for earlier, zh, en in (
            ("reported_at", "上报时间", "reported"),
            ("dispatched_at", "派遣时间", "dispatched"),
        ):
            if earlier in by_field:
                checks.append(
                    f"CASE WHEN {typed['closed_at']} < {typed[earlier]} THEN "
                    f"'closed_at\t结案时间早于{zh}\tclosed before it was {en}' END"
                )
    return checks


def read_file(path: Path) -> RawTable:
    """Return :func:`read_raw` of the file at ``path``."""
    if not path.is_file():
        raise RecordFileError("文件不存在", "no such file").located(file=str(path))
    return read_raw(path.read_bytes(), path.name)
