"""Records stored in the database are the records read: every value, on SQLite and on PostgreSQL.

The import writes by record id (an upsert): on SQLite in batches of statements, on PostgreSQL by
COPY of CSV that Arrow writes into a staging table. Both must keep texts with quotes, commas, line
breaks and backslashes, empty texts apart from missing ones, the yes/no cells, and the times (the
exports' Asia/Shanghai wall time, stored as UTC).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.db.accounts.models import Organisation
from jixiao.db.records.models import CallbackRecord, CaseRecord, GridCellRecord, PatrolRecord
from jixiao.records.reader import ARROW_TYPES
from jixiao.records.schema import CALLBACK_FIELDS, CASE_FIELDS, CELL_FIELDS, MAX_LENGTHS, PATROL_FIELDS
from jixiao.services.records import store_table

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
_units = itertools.count()


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (CaseRecord, CASE_FIELDS),
        (CallbackRecord, CALLBACK_FIELDS),
        (PatrolRecord, PATROL_FIELDS),
        (GridCellRecord, CELL_FIELDS),
    ],
)
def test_the_reader_refuses_what_the_columns_cannot_hold(model: Any, fields: Any) -> None:
    # the reader's limit of each text field is its database column's width: one number, two places
    for f in fields:
        column = model._meta.get_field(f.name)
        if f.type in ("text", "enum"):
            assert f.max_length == column.max_length == MAX_LENGTHS[f.name], f.name
        else:
            assert f.max_length is None


texts = st.one_of(
    st.none(),
    st.text(st.sampled_from("ab街道,\"\\\n\r\t. '；"), max_size=12),
    st.just("\\."),  # COPY's end-of-data marker, as a value
)
stamps = st.one_of(
    st.none(),
    st.datetimes(datetime(2000, 1, 1), datetime(2030, 12, 31)).map(lambda d: d.replace(microsecond=0)),
)
case_rows = st.fixed_dictionaries(
    {
        "channel": texts,
        "street": texts,
        "ownerless": st.one_of(st.none(), st.booleans()),
        "rework_count": st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
        "reported_at": stamps,
        "closed_at": stamps,
    }
)


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.table(
        {f.name: pa.array([r.get(f.name) for r in rows], ARROW_TYPES[f.type]) for f in CASE_FIELDS}
    )


def _stored(org: Organisation) -> dict[str, dict[str, Any]]:
    names = ["channel", "street", "ownerless", "rework_count", "reported_at", "closed_at", "source"]
    return {r["case_id"]: r for r in CaseRecord.objects.filter(organisation=org).values("case_id", *names)}


def _expected(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for name in ("reported_at", "closed_at"):
        if out[name] is not None:
            out[name] = out[name].replace(tzinfo=SHANGHAI).astimezone(UTC)
    return out


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=st.lists(case_rows, min_size=1, max_size=6), second=st.lists(case_rows, max_size=6))
def test_what_is_stored_is_what_was_read(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> None:
    org = Organisation.objects.create(name=f"单位{next(_units)}", kind="unit")
    rows = [{"case_id": f"C{i}", "source": "grid", **r} for i, r in enumerate(first)]
    done = store_table(None, org, _table(rows), "case", "cases.csv")
    assert (done.created_count, done.updated_count) == (len(rows), 0)
    # a later export: the first rows again with other values (updated), and rows after them (new)
    later = [
        {"case_id": f"C{i}", "source": "hotline", **r} for i, r in enumerate(second + first[len(second) :])
    ]
    later += [{"case_id": f"N{i}", "source": "grid", **r} for i, r in enumerate(second)]
    done = store_table(None, org, _table(later), "case", "cases.csv")
    again = {r["case_id"] for r in rows} & {r["case_id"] for r in later}
    assert (done.created_count, done.updated_count) == (len(later) - len(again), len(again))
    stored = _stored(org)
    assert len(stored) == len(rows) + len(later) - len(again)
    for row in later:
        got = stored[row["case_id"]]
        assert {k: got[k] for k in row} == _expected(row), row["case_id"]


def test_a_call_back_exported_twice_is_stored_once_the_last_row_winning() -> None:
    # A call-back file without its own ids: the id is made from the case and the time, and the same
    # attempt may stand twice (an export run over an overlapping range). The later row is kept.
    org = Organisation.objects.create(name="回访单位", kind="unit")
    at = datetime(2022, 7, 1, 10, 0)
    rows = [
        {
            "callback_id": "W1@2022-07-01T10:00:00",
            "case_id": "W1",
            "attempted_at": at,
            "satisfaction": "不满意",
        },
        {
            "callback_id": "W2@2022-07-01T10:00:00",
            "case_id": "W2",
            "attempted_at": at,
            "satisfaction": "满意",
        },
        {
            "callback_id": "W1@2022-07-01T10:00:00",
            "case_id": "W1",
            "attempted_at": at,
            "satisfaction": "满意",
        },
    ]
    table = pa.table(
        {f.name: pa.array([r.get(f.name) for r in rows], ARROW_TYPES[f.type]) for f in CALLBACK_FIELDS}
    )
    store_table(None, org, table, "callback", "callbacks.csv")
    stored = dict(CallbackRecord.objects.filter(organisation=org).values_list("case_id", "satisfaction"))
    assert stored == {"W1": "满意", "W2": "满意"}
