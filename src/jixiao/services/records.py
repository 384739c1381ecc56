"""Use cases of operational records: import with a saved mapping, bindings, computed actuals.

Records live in the application's database (``jixiao.db.records``). DuckDB reads them from a
Parquet snapshot per organisation, rewritten after each successful import (cases with their
call-back summary columns, and the call-backs): DuckDB's SQLite and PostgreSQL scanners are
extensions downloaded at run time, which an intranet server cannot do, while Parquet is built
into the duckdb wheel; a snapshot is also one sequential file that the web workers share. The
database stays the truth: a missing or stale snapshot (by the last import's id) is rebuilt.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from django.db import models, transaction

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Declaration
from jixiao.db.records.models import (
    ActualDecision,
    CallbackRecord,
    CaseRecord,
    Decision,
    GridCellRecord,
    IndicatorBinding,
    PatrolRecord,
    RecordImport,
    RecordSource,
)
from jixiao.domain.errors import JixiaoError, ValidationError
from jixiao.domain.model import Indicator
from jixiao.domain.targets import Target
from jixiao.records.binding import Binding
from jixiao.records.engine import Actual, RecordSet, with_callbacks
from jixiao.records.errors import BindingError
from jixiao.records.mapping import ColumnChoice, propose_mapping
from jixiao.records.projection import METHOD_EN, METHOD_ZH, Coverage, Forecast, forecast
from jixiao.records.propose import propose_binding
from jixiao.records.reader import ARROW_TYPES, RawTable, validate
from jixiao.records.schema import FIELDS, ID_FIELDS, RecordKind
from jixiao.services.declarations import domain_of

__all__ = [
    "METHOD_EN",
    "METHOD_ZH",
    "IndicatorActual",
    "coverage_of",
    "decide",
    "has_records",
    "drilldown",
    "import_records",
    "indicator_actuals",
    "mapping_for",
    "preview",
    "record_set",
    "records_dir",
    "save_binding",
    "store_table",
]

MODELS: dict[RecordKind, Any] = {
    "case": CaseRecord,
    "callback": CallbackRecord,
    "patrol": PatrolRecord,
    "cell": GridCellRecord,
}
SNAPSHOTS = ("cases", "callbacks", "patrols", "cells")  # the Parquet files of a unit's snapshot
TZ = ZoneInfo("Asia/Shanghai")  # the unit's clock: exports carry local wall time
BATCH = 2000


def records_dir() -> Path:
    """Return where the Parquet snapshots live (``JIXIAO_RECORDS_DIR``, default ``var/records``)."""
    return Path(os.environ.get("JIXIAO_RECORDS_DIR") or (Path.cwd() / "var" / "records"))


def mapping_for(
    raw: RawTable, kind: RecordKind, org: Organisation, source_name: str = ""
) -> list[ColumnChoice]:
    """Return the proposed mapping of ``raw``'s headers: the source's saved mapping where it names a
    header of this file, the header-name proposal for the rest."""
    proposal = propose_mapping(raw.headers, kind)
    saved = (
        RecordSource.objects.filter(organisation=org, name=source_name, kind=kind).first()
        if source_name
        else None
    )
    if saved is None or not saved.mapping:
        return proposal
    taken = {saved.mapping[h] for h in raw.headers if h in saved.mapping}
    out = []
    for choice in proposal:
        if choice.header in saved.mapping:
            out.append(ColumnChoice(choice.header, saved.mapping[choice.header], True))
        elif choice.field in taken:
            out.append(ColumnChoice(choice.header, None, False))
        else:
            out.append(choice)
    return out


def _aware(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=TZ)
    return value


@transaction.atomic
def import_records(
    user: Any,
    org: Organisation,
    raw: RawTable,
    kind: RecordKind,
    mapping: dict[str, str],
    *,
    source: str | None = None,
    source_name: str = "",
) -> RecordImport:
    """Validate and store every row of ``raw`` (update by record id), or store nothing.

    Raises :class:`RowsRejected` (one error per bad row) or :class:`RecordFileError`; the
    transaction is rolled back on any error. Saves the mapping under ``source_name``.
    """
    table = validate(raw, kind, mapping, source=source)
    record = store_table(
        user, org, table, kind, raw.name, mapping=mapping, source=source, source_name=source_name
    )
    transaction.on_commit(lambda: rebuild_snapshot(org))
    return record


@transaction.atomic
def store_table(
    user: Any,
    org: Organisation,
    table: pa.Table,
    kind: RecordKind,
    file_name: str,
    *,
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    source_name: str = "",
) -> RecordImport:
    """Upsert the validated ``table`` of ``kind`` by record id and log the import."""
    model = MODELS[kind]
    fields = [f.name for f in FIELDS[kind]]
    updated = _upsert(model, org, table, fields, ID_FIELDS[kind])
    saved = None
    if source_name:
        saved, _ = RecordSource.objects.update_or_create(
            organisation=org,
            name=source_name,
            defaults={"kind": kind, "source": source or "", "mapping": mapping or {}},
        )
    record = RecordImport.objects.create(
        organisation=org,
        source=saved,
        kind=kind,
        file_name=file_name[:255],
        rows=table.num_rows,
        created_count=table.num_rows - updated,
        updated_count=updated,
        user=user if getattr(user, "pk", None) else None,
    )
    return record


def _upsert(model: Any, org: Organisation, table: pa.Table, fields: list[str], key: str) -> int:
    """INSERT … ON CONFLICT (organisation, id) DO UPDATE: the rows of ``table`` by record id.
    Return how many of them were there already (updated, not created).

    Both SQLite (≥ 3.24) and PostgreSQL speak this statement; going around the ORM's per-object
    work makes an import of a year's export take seconds, not minutes. On SQLite the rows go in
    batches through Django's cursor; on PostgreSQL, where a statement a row costs a round trip
    and a plan each, they are sent by COPY into a temporary table and upserted from it by one
    statement.
    """
    from django.db import connection

    opts = model._meta
    columns = [opts.get_field(n).column for n in fields]
    org_col = opts.get_field("organisation").column
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in [org_col, *columns])
    marks = ", ".join(["%s"] * (len(columns) + 1))
    updates = ", ".join(
        f"{quote(c)} = excluded.{quote(c)}" for c, n in zip(columns, fields, strict=True) if n != key
    )
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({names}) VALUES ({marks}) "
        f"ON CONFLICT ({quote(org_col)}, {quote(opts.get_field(key).column)}) DO UPDATE SET {updates}"
    )
    # Timestamps go in as UTC, converted in Arrow (the exports' wall time is Asia/Shanghai).
    stamps = {n for n in fields if isinstance(opts.get_field(n), models.DateTimeField)}

    def utc(col: pa.ChunkedArray) -> pa.ChunkedArray:
        return pc.assume_timezone(col.cast(pa.timestamp("us")), "Asia/Shanghai").cast(
            pa.timestamp("us", "UTC")
        )

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            ids = table.column(key).to_pylist()
            existing = 0
            for start in range(0, len(ids), BATCH):
                existing += model.objects.filter(
                    organisation=org, **{f"{key}__in": ids[start : start + BATCH]}
                ).count()
            for batch in table.to_batches(BATCH):
                # SQLite keeps Django's naive-UTC text
                cols = [
                    (
                        pc.strftime(utc(batch.column(n)), "%Y-%m-%d %H:%M:%S")
                        if n in stamps
                        else batch.column(n)
                    )
                    for n in fields
                ]
                cursor.executemany(
                    sql, [(org.pk, *row) for row in zip(*(c.to_pylist() for c in cols), strict=True)]
                )
            return existing
        staged = quote(f"jx_upsert_{opts.db_table}")
        # dropped at the end of the import's transaction; dropped first should one import run another
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{staged}")
        cursor.execute(
            f"CREATE TEMP TABLE {staged} ON COMMIT DROP AS SELECT {names}, 0::bigint AS jx_row "
            f"FROM {quote(opts.db_table)} WITH NO DATA"
        )
        # CSV written by Arrow (C++), not rows made in Python: a null is an unquoted empty field
        # and an empty text a quoted one, as PostgreSQL's CSV format reads them; the times go as
        # UTC with their zone (…Z). The driver's cursor: COPY is not part of the DB-API Django wraps.
        staged_columns = [pa.array(np.full(table.num_rows, org.pk, dtype=np.int64))]
        staged_columns += [utc(table.column(n)) if n in stamps else table.column(n) for n in fields]
        staged_columns.append(pa.array(np.arange(table.num_rows, dtype=np.int64)))
        with cursor.cursor.copy(f"COPY {staged} ({names}, jx_row) FROM STDIN WITH (FORMAT csv)") as copy:
            for batch in pa.table(staged_columns, names=["org", *fields, "jx_row"]).to_batches(BATCH * 10):
                sink = io.BytesIO()
                pa_csv.write_csv(batch, sink, pa_csv.WriteOptions(include_header=False))
                copy.write(sink.getbuffer())
        org_q, key_q = quote(org_col), quote(opts.get_field(key).column)
        cursor.execute(
            f"SELECT count(DISTINCT s.{key_q}) FROM {staged} s JOIN {quote(opts.db_table)} t "
            f"ON t.{org_q} = s.{org_q} AND t.{key_q} = s.{key_q}"
        )
        existing = int(cursor.fetchone()[0])
        # A call-back's id made from its case and time may stand twice in a file (the same
        # attempt exported twice): the last row of an id wins, as on SQLite, where the later
        # statement overwrites the earlier.
        latest = f"SELECT DISTINCT ON ({key_q}) {names} FROM {staged} ORDER BY {key_q}, jx_row DESC"
        cursor.execute(sql.replace(f"VALUES ({marks})", latest))
        return existing


def _table(org: Organisation, kind: RecordKind) -> pa.Table:
    model = MODELS[kind]
    fields = FIELDS[kind]
    names = [f.name for f in fields]
    columns: dict[str, list[Any]] = {n: [] for n in names}
    for row in (
        model.objects.filter(organisation=org)
        .order_by("source" if kind == "case" else "id", "id")
        .values_list(*names)
        .iterator(chunk_size=5000)
    ):
        for name, value in zip(names, row, strict=True):
            if isinstance(value, datetime):
                value = value.astimezone(TZ).replace(tzinfo=None)
            columns[name].append(value)
    return pa.table({f.name: pa.array(columns[f.name], ARROW_TYPES[f.type]) for f in fields})


def _version(org: Organisation) -> int:
    last = RecordImport.objects.filter(organisation=org).order_by("-id").values_list("id", flat=True).first()
    return int(last or 0)


def has_records(org: Organisation) -> bool:
    """Return whether any records of the organisation are stored (cases, patrol logs or cells)."""
    return any(MODELS[kind].objects.filter(organisation=org).exists() for kind in ("case", "patrol", "cell"))


def rebuild_snapshot(org: Organisation) -> Path:
    """Write the organisation's Parquet snapshot from the database; return its folder."""
    folder = records_dir() / f"org-{org.pk}"
    folder.mkdir(parents=True, exist_ok=True)
    version = _version(org)
    callbacks = _table(org, "callback")
    cases = with_callbacks(_table(org, "case"), callbacks)
    tables = (
        ("cases", cases),
        ("callbacks", callbacks),
        ("patrols", _table(org, "patrol")),
        ("cells", _table(org, "cell")),
    )
    for name, table in tables:
        tmp = folder / f"{name}.parquet.tmp"
        pq.write_table(table, tmp)
        tmp.replace(folder / f"{name}.parquet")  # atomic: a reader sees the old or the new file
    (folder / "version.json").write_text(json.dumps({"version": version}), encoding="utf-8")
    return folder


def record_set(org: Organisation) -> RecordSet:
    """Return the organisation's records opened in DuckDB (rebuilding a stale snapshot first)."""
    folder = records_dir() / f"org-{org.pk}"
    stamp = folder / "version.json"
    try:
        current = json.loads(stamp.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        current = None
    if current != _version(org) or not all((folder / f"{n}.parquet").exists() for n in SNAPSHOTS):
        rebuild_snapshot(org)
    return RecordSet(
        folder / "cases.parquet",
        folder / "callbacks.parquet",
        years=None,
        patrols=folder / "patrols.parquet",
        cells=folder / "cells.parquet",
    )


@dataclass(slots=True)
class IndicatorActual:
    """One indicator row of the actuals page."""

    index: int
    indicator: Indicator
    binding: Binding | None
    saved: bool  # the binding was saved by a user (else proposed)
    why_zh: str
    why_en: str
    forecast: Forecast | None = None
    actual: Actual | None = None
    misses: int = 0
    # of the misses, those still open where the records stop with time left (RecordSet.open_at_end)
    open_at_end: int = 0
    decision: ActualDecision | None = None


def _binding(obj: Declaration, index: int, ind: Indicator) -> tuple[Binding | None, bool, str, str]:
    row = IndicatorBinding.objects.filter(declaration=obj, indicator_index=index).first()
    proposal = propose_binding(ind.name, ind.target, obj.project_name)
    if row is not None:
        try:
            saved = Binding.from_dict(row.definition)
            return saved, True, saved.describe("zh"), saved.describe("en")
        except BindingError:
            pass
    return proposal.binding, False, proposal.why_zh, proposal.why_en


def indicator_actuals(obj: Declaration, month: int) -> list[IndicatorActual]:
    """Return every indicator of ``obj`` with its binding and, when bound, the value at ``month``."""
    if not 1 <= month <= 12:
        raise ValidationError(
            "截止月份应在 1 到 12 之间", "the cut-off month should be 1 to 12", code="JX-E820"
        )
    doc = domain_of(obj)
    year = obj.year or doc.year or 2022
    rows = []
    for index, ind in enumerate(doc.indicators):
        binding, saved, zh, en = _binding(obj, index, ind)
        rows.append(IndicatorActual(index, ind, binding, saved, zh, en))
    bound = [r for r in rows if r.binding is not None]
    if not bound or not has_records(obj.organisation):
        return rows
    rs = record_set(obj.organisation)
    try:
        all_series = rs.series_many([r.binding for r in bound if r.binding], year)
        through = rs.last_record_at()
        for row, series in zip(bound, all_series, strict=True):
            row.forecast = forecast(series, month, row.indicator.target, through)
            row.actual = row.forecast.to_date
            # a count has no misses; a coverage's misses are grid cells
            if row.binding and row.binding.metric not in ("count", "distinct"):
                row.misses = (row.actual.denominator or 0) - row.actual.numerator
                if row.misses and row.forecast.coverage is not None:
                    row.open_at_end = rs.open_at_end(row.binding, year, month)
    finally:
        rs.close()
    decisions = ActualDecision.objects.filter(declaration=obj, month=month).order_by("-created", "-id")
    latest: dict[int, ActualDecision] = {}
    for d in decisions:
        latest.setdefault(d.indicator_index, d)
    for row in rows:
        row.decision = latest.get(row.index)
    return rows


def _indicator(obj: Declaration, index: int) -> Indicator:
    doc = domain_of(obj)
    if not 0 <= index < len(doc.indicators):
        raise ValidationError("没有这个指标", "no such indicator", code="JX-E810")
    return doc.indicators[index]


def save_binding(user: Any, obj: Declaration, index: int, definition: Any) -> IndicatorBinding:
    """Validate ``definition`` and save it as the binding of indicator ``index``."""
    ind = _indicator(obj, index)
    binding = Binding.from_dict(definition)
    row, _ = IndicatorBinding.objects.update_or_create(
        declaration=obj,
        indicator_index=index,
        defaults={"indicator_name": ind.name, "definition": binding.to_dict(), "updated_by": user},
    )
    return row


def preview(obj: Declaration, index: int, definition: Any, month: int) -> dict[str, Any]:
    """Return the value ``definition`` would give indicator ``index`` at ``month`` (not saved)."""
    ind = _indicator(obj, index)
    binding = Binding.from_dict(definition)
    if not has_records(obj.organisation):
        raise ValidationError(
            "本单位还没有导入业务记录", "no records have been imported for this unit", code="JX-E820"
        )
    rs = record_set(obj.organisation)
    try:
        result = forecast(rs.series(binding, obj.year or 2022), month, ind.target, rs.last_record_at())
    finally:
        rs.close()
    return {
        **result.to_date.to_dict(),
        "projected": None if result.projected is None else str(result.projected),
        "light": result.light,
        "target": ind.target.text,
        "coverage": result.coverage.to_dict() if result.coverage else None,
    }


def coverage_of(rows: list[IndicatorActual]) -> Coverage | None:
    """Return the coverage of the records behind ``rows`` (one record set: the same for all)."""
    return next((r.forecast.coverage for r in rows if r.forecast and r.forecast.coverage), None)


def drilldown(
    obj: Declaration, index: int, month: int, limit: int = 200
) -> tuple[IndicatorActual, int, list[dict[str, Any]]]:
    """Return the indicator, how many records missed (for a coverage: grid cells), and the first
    ``limit`` of them."""
    ind = _indicator(obj, index)
    binding, saved, zh, en = _binding(obj, index, ind)
    row = IndicatorActual(index, ind, binding, saved, zh, en)
    if binding is None or binding.metric in ("count", "distinct"):
        return row, 0, []
    rs = record_set(obj.organisation)
    try:
        if binding.metric == "coverage":  # the cells that missed a day, not cases
            total, records = rs.missed_cells(obj.year or 2022, month, limit=limit)
        else:
            total, records = rs.records(binding, obj.year or 2022, month, limit=limit)
        row.actual = rs.actual(binding, obj.year or 2022, month)
    finally:
        rs.close()
    return row, total, records


@transaction.atomic
def decide(
    user: Any, obj: Declaration, index: int, month: int, *, accept: bool, value: str = "", reason: str = ""
) -> ActualDecision:
    """Record that the user accepted the computed actual, or overrode it with ``value`` and ``reason``."""
    rows = [r for r in indicator_actuals(obj, month) if r.index == index]
    if not rows or rows[0].actual is None or rows[0].binding is None:
        raise ValidationError("此指标没有计算值", "this indicator has no computed value", code="JX-E820")
    row = rows[0]
    actual = row.actual
    assert actual is not None and row.binding is not None
    value, reason = value.strip(), reason.strip()
    if not accept and (not value or not reason):
        raise ValidationError(
            "人工改值需要填写采用值和理由", "an override needs the value to use and a reason", code="JX-E821"
        )
    chosen = form_text(actual, row.indicator.target, row.binding) if accept else value[:50]
    decision = ActualDecision.objects.create(
        declaration=obj,
        indicator_index=index,
        indicator_name=row.indicator.name,
        month=month,
        computed=actual.text(),
        numerator=actual.numerator,
        denominator=actual.denominator,
        period=actual.period_text(),
        definition=row.binding.to_dict(),
        decision=Decision.ACCEPTED if accept else Decision.OVERRIDDEN,
        value=chosen,
        reason="" if accept else reason,
        user=user,
    )
    note = (
        f"由业务记录计算：{actual.text()}（{actual.numerator}/{actual.denominator}，{actual.period_text()}）"
    )
    if not accept:
        note += f"；人工改为 {chosen}，理由：{reason}"
    decision.carried = carry_to_forms(user, obj, index, month, chosen, note)  # type: ignore[attr-defined]
    return decision


def form_text(actual: Actual, target: Target, binding: Binding) -> str:
    """Return the computed value as it is typed in the form for ``target`` (read_actual's syntax):
    ``96.50%``, ``42人``; a time limit (7天内完成) met by every record is ``按时完成``."""
    if target.kind == "deadline":
        return "按时完成" if actual.value == 100 else actual.text()
    if actual.percent:
        return actual.text()
    return f"{actual.value}{target.unit or ''}"


def carry_to_forms(user: Any, obj: Declaration, index: int, month: int, text: str, note: str) -> str | None:
    """Write the confirmed value into the monitoring report of ``month`` (1–11) or the
    self-evaluation (12) when it may still be changed, starting a draft of it from the
    declaration when there is none yet; return which form (``monitoring``, ``self_evaluation``,
    with ``_new`` when the draft was started here), or None when it was not written.

    A value the form's grammar cannot take for this target (a share of a time limit that was not
    met by every record) goes into the row's note (备注 / 偏差说明) instead of the actual.
    """
    from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord
    from jixiao.evaluation.actuals import read_actual
    from jixiao.services import evaluation as evaluation_svc

    ind = _indicator(obj, index)

    def fits() -> bool:
        try:
            read_actual(text, ind.target, evaluation_svc.rules(), name=ind.name, year=obj.year)
        except JixiaoError:
            return False
        return True

    def put(rows: Sequence[Any], value_field: str, note_field: str) -> bool:
        # The value where it reads against the target, else the decision's note; False when the
        # form has no row of this indicator.
        row = next((r for r in rows if r.name == ind.name and r.target.text == ind.target.text), None)
        if row is None:
            return False
        if fits():
            setattr(row, value_field, text)
        else:
            setattr(row, note_field, note)
        return True

    try:
        if month == 12:
            new = not SelfEvaluationRecord.objects.filter(declaration=obj).exists()
            doc = evaluation_svc.self_evaluation_initial(obj)
            if not put(doc.indicators, "actual", "deviation_note"):
                return None
            evaluation_svc.save_self_evaluation(user, obj, doc)
            return "self_evaluation_new" if new else "self_evaluation"
        new = not MonitoringRecord.objects.filter(declaration=obj, cutoff_month=month).exists()
        report = evaluation_svc.monitoring_initial(obj, month)
        if not put(report.indicators, "progress", "note"):
            return None
        evaluation_svc.save_monitoring(user, obj, report)
        return "monitoring_new" if new else "monitoring"
    except JixiaoError:
        return None  # the form is no longer editable (submitted, published): the decision stays


def describe_target(target: Target) -> str:
    """Return the target as shown beside a computed value."""
    return target.text


def error_payload(exc: JixiaoError, lang: str) -> dict[str, Any]:
    """Return the JSON body of an error for the live preview."""
    return {"error": exc.to_dict(lang)}
