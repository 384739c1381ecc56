"""Indicator bindings: a small, validated definition of how an indicator's actual value is counted.

A binding is data (JSON), never code. Its ``metric`` is one of

* ``count``: how many records of the population (``where``) fall in the period;
* ``distinct``: how many different values of ``field`` they have (案件处置类别 = distinct 小类);
* ``rate``: the share of the population that also meets ``numerator`` (the numerator's
  conditions are *added* to the population's, so a numerator never exceeds its denominator);
* ``within``: the share of the population whose ``end`` came within a time limit after ``start``
  — ``limit`` in ``unit`` (``natural_days``: 24-hour days; ``calendar_dates``: dates apart, 0 = the
  same day; ``working_days`` from the work calendar with 调休, 0 = the same working day, a
  non-working day rolling to the next; ``hours``; ``working_hours``) — or before the record's own
  ``deadline`` field (按时办结: ``closed_at`` ≤ ``due_at``);
* ``satisfaction``: the share of cases whose latest call-back is in ``good`` (满意, 基本满意 by
  default) among those with a rated latest call-back (未评价 excluded), as the reference formula;
* ``coverage``: 网格巡查区域全覆盖, the share of the register's in-scope grid cells with at least
  one patrol log in every ``cycle`` of the period (``day``, the reference's inferred cycle), over
  the patrol logs by their ``started_at`` (reference §4.8).

``period`` is the datetime field that puts a record in a month. Conditions are ``{field, op,
value}`` with ``op`` in eq, ne, in, not_in, is_null, not_null, gt, ge, lt, le; ``ne`` and
``not_in`` count a missing value as different. A ``not_null`` condition on a datetime in the
numerator means "had happened by the cut-off".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from jixiao.domain.i18n import N_, NC_, normalize_lang, tr, trc
from jixiao.records.errors import BindingError
from jixiao.records.schema import CASE_FIELDS, DERIVED_FIELDS, SOURCES, Field

__all__ = ["METRICS", "OPS", "UNITS", "Binding", "Condition", "case_fields", "unit_label"]

Metric = Literal["count", "distinct", "rate", "within", "satisfaction", "coverage"]
METRICS: tuple[str, ...] = ("count", "distinct", "rate", "within", "satisfaction", "coverage")
# The keys that say which cases and how they count: none of them belongs to a coverage.
_CASE_KEYS = ("source", "where", "numerator", "field", "start", "end", "limit", "unit", "deadline", "good")
CYCLES: tuple[str, ...] = ("day",)  # how often a grid cell must be patrolled, for ``coverage``
# A condition's operator → its words (msgids of the catalogue).
OPS: dict[str, str] = {
    "eq": N_("等于"),
    "ne": N_("不等于"),
    "in": N_("属于"),
    "not_in": N_("不属于"),
    "is_null": N_("为空"),
    "not_null": N_("不为空"),
    "gt": N_("大于"),
    "ge": N_("不小于"),
    "lt": N_("小于"),
    "le": N_("不大于"),
}
# A ``within`` binding's time unit → its name (a msgid under the context "time unit").
UNITS: dict[str, str] = {
    "natural_days": NC_("time unit", "自然日（24小时）"),
    "calendar_dates": NC_("time unit", "日历日（按日期）"),
    "working_days": NC_("time unit", "工作日"),
    "hours": NC_("time unit", "小时"),
    "working_hours": NC_("time unit", "工作时"),
}


def unit_label(unit: str, lang: str = "zh") -> str:
    """Return the name of a time unit key (``working_days`` → ``工作日`` / ``working days``)."""
    return trc("time unit", UNITS[unit], lang) if unit in UNITS else unit


def case_fields() -> dict[str, Field]:
    """Return every field a binding may name: the case columns and the derived call-back ones."""
    out = {f.name: f for f in CASE_FIELDS}
    out.update({f.name: f for f in DERIVED_FIELDS})
    return out


@dataclass(frozen=True, slots=True)
class Condition:
    """One filter: ``field op value`` (``value`` is a list for in / not_in, absent for the null tests)."""

    field: str
    op: str
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        out: dict[str, Any] = {"field": self.field, "op": self.op}
        if self.op not in ("is_null", "not_null"):
            out["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        return out


@dataclass(frozen=True, slots=True)
class Binding:
    """One indicator's definition (see the module docstring); build it with :meth:`from_dict`."""

    metric: Metric
    period: str
    source: str | None = None
    where: tuple[Condition, ...] = ()
    numerator: tuple[Condition, ...] = ()
    field: str | None = None
    start: str | None = None
    end: str | None = None
    limit: Decimal | None = None
    unit: str | None = None
    deadline: str | None = None
    good: tuple[str, ...] = ("满意", "基本满意")
    note: str = ""
    cycle: str | None = None  # coverage only

    @property
    def is_share(self) -> bool:
        """Return whether the value is a percentage (rate, within, satisfaction, coverage)."""
        return self.metric in ("rate", "within", "satisfaction", "coverage")

    def describe(self, lang: str = "zh") -> str:
        """Return what the binding counts, in words (shown beside a saved binding's value)."""
        fields = case_fields()
        en = normalize_lang(lang) == "en"

        def label(name: str | None) -> str:
            f = fields.get(name or "")
            return (f.label_en if en else f.label_zh) if f else str(name)  # the schema's own pair

        def conds(items: tuple[Condition, ...]) -> str:
            parts = []
            for c in items:
                value = (
                    ""
                    if c.value is None
                    else " " + (", ".join(map(str, c.value)) if isinstance(c.value, tuple) else str(c.value))
                )
                parts.append(f"{label(c.field)} {tr(OPS[c.op], lang)}{value}")
            return tr("；", lang).join(parts)

        if self.metric == "coverage":
            return tr("单元网格清单中纳入考核的网格，期内每天都有巡查记录的比例", lang)
        source = {"grid": N_("网格案件"), "hotline": N_("热线工单")}.get(self.source or "", N_("全部记录"))
        head = tr("{source}，按{period}计入期间", lang, source=tr(source, lang), period=label(self.period))
        if self.where:
            head += tr("，条件：{conditions}", lang, conditions=conds(self.where))
        if self.metric == "count":
            body = tr("计数", lang)
        elif self.metric == "distinct":
            body = tr("不同{field}数", lang, field=label(self.field))
        elif self.metric == "rate":
            body = tr("其中{conditions}的比例", lang, conditions=conds(self.numerator))
        elif self.metric == "within":
            unit = unit_label(self.unit or "natural_days", lang)
            limit = label(self.deadline) if self.deadline else f"{self.limit} {unit}"
            body = tr(
                "{start}起 {limit} 内{end}的比例",
                lang,
                start=label(self.start),
                limit=limit,
                end=label(self.end),
            )
        else:
            good = tr("、", lang).join(self.good)
            body = tr("回访评价为{good}的比例（未评价不计）", lang, good=good)
        return tr("{head}；{body}", lang, head=head, body=body)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (what the web editor shows and stores)."""
        out: dict[str, Any] = {"metric": self.metric, "source": self.source, "period": self.period}
        if self.metric == "coverage":
            out["cycle"] = self.cycle
        if self.where:
            out["where"] = [c.to_dict() for c in self.where]
        if self.metric == "rate":
            out["numerator"] = [c.to_dict() for c in self.numerator]
        if self.metric == "distinct":
            out["field"] = self.field
        if self.metric == "within":
            out["start"], out["end"] = self.start, self.end
            if self.deadline:
                out["deadline"] = self.deadline
            else:
                out["limit"] = _number_json(self.limit)
                out["unit"] = self.unit
        if self.metric == "satisfaction":
            out["good"] = list(self.good)
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Binding:
        """Return the binding ``data`` describes, or raise :class:`BindingError` saying what is wrong."""
        if not isinstance(data, dict):
            raise BindingError("应为一个对象（JSON object）", "should be a JSON object")
        known = {"metric", "period", "note", "cycle", *_CASE_KEYS}
        for key in data:
            if key not in known:
                raise BindingError(f"未知的键「{key}」", f"unknown key '{key}'", field=str(key))
        metric = _one_of(data.get("metric"), METRICS, "metric")
        if metric == "coverage":
            return cls._coverage(data)
        if data.get("cycle") is not None:
            raise BindingError("只有 coverage 有 cycle", "only coverage has a cycle", field="cycle")
        fields = case_fields()
        source = data.get("source")
        if source is not None and source not in SOURCES:
            raise BindingError(
                "source 应为 grid、hotline 或 null", "source should be grid, hotline or null", field="source"
            )
        period = _datetime_field(data.get("period"), fields, "period")
        where = _conditions(data.get("where", []), fields, "where")
        numerator = _conditions(data.get("numerator", []), fields, "numerator")
        if metric == "rate" and not numerator:
            raise BindingError(
                "比率需要分子条件（numerator）", "a rate needs numerator conditions", field="numerator"
            )
        if metric != "rate" and numerator:
            raise BindingError(
                "只有比率（rate）有分子条件", "only a rate has numerator conditions", field="numerator"
            )
        fld = data.get("field")
        if metric == "distinct":
            if fld not in fields:
                raise BindingError(
                    "distinct 需要一个存在的字段（field）", "distinct needs an existing field", field="field"
                )
        elif fld is not None:
            raise BindingError("只有 distinct 有 field", "only distinct has a field", field="field")
        start = end = unit = deadline = None
        limit: Decimal | None = None
        if metric == "within":
            start = _datetime_field(data.get("start"), fields, "start")
            end = _datetime_field(data.get("end"), fields, "end")
            if data.get("deadline") is not None:
                deadline = _datetime_field(data.get("deadline"), fields, "deadline")
                if data.get("limit") is not None or data.get("unit") is not None:
                    raise BindingError(
                        "deadline 与 limit/unit 只能二选一",
                        "give either deadline or limit and unit",
                        field="deadline",
                    )
            else:
                unit = _one_of(data.get("unit"), tuple(UNITS), "unit")
                limit = _decimal(data.get("limit"), "limit")
                if limit < 0 or limit > 3660:
                    raise BindingError(
                        "limit 应在 0 到 3660 之间", "limit should be between 0 and 3660", field="limit"
                    )
        else:
            for key in ("start", "end", "limit", "unit", "deadline"):
                if data.get(key) is not None:
                    raise BindingError(f"只有 within 有 {key}", f"only within has {key}", field=key)
        good: tuple[str, ...] = ("满意", "基本满意")
        if metric == "satisfaction":
            raw_good = data.get("good", list(good))
            choices = fields["satisfaction"].choices
            if not isinstance(raw_good, list) or not raw_good or any(g not in choices[:3] for g in raw_good):
                raise BindingError(
                    "good 应为 满意 / 基本满意 / 不满意 中的一个或几个",
                    "good should list some of 满意 / 基本满意 / 不满意",
                    field="good",
                )
            good = tuple(raw_good)
        note = data.get("note", "")
        if not isinstance(note, str):
            raise BindingError("note 应为文字", "note should be text", field="note")
        return cls(
            metric, period, source, where, numerator, fld, start, end, limit, unit, deadline, good, note
        )

    @classmethod
    def _coverage(cls, data: dict[str, Any]) -> Binding:
        """Return a ``coverage`` binding: patrol logs by ``started_at``, over the cell register."""
        for key in _CASE_KEYS:
            if data.get(key) not in (None, []):
                raise BindingError(
                    f"coverage 没有 {key}（按单元网格清单和巡查记录计算）",
                    f"coverage has no {key} (it counts the grid cell register against the patrol logs)",
                    field=key,
                )
        if data.get("period", "started_at") != "started_at":
            raise BindingError(
                "coverage 的 period 应为 started_at（巡查开始时间）",
                "the period of coverage is started_at (when a patrol started)",
                field="period",
            )
        cycle = _one_of(data.get("cycle", "day"), CYCLES, "cycle")
        note = data.get("note", "")
        if not isinstance(note, str):
            raise BindingError("note 应为文字", "note should be text", field="note")
        return cls("coverage", "started_at", note=note, cycle=cycle)


def _one_of(value: Any, choices: tuple[str, ...], key: str) -> Any:
    """Return ``value`` if it is one of ``choices``, else raise saying which ones are allowed."""
    if value not in choices:
        raise BindingError(
            f"{key} 应为 {' / '.join(choices)} 之一",
            f"{key} should be one of {', '.join(choices)}",
            field=key,
        )
    return value


def _number_json(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _decimal(value: Any, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BindingError(f"{key} 应为数字", f"{key} should be a number", field=key)
    try:
        out = Decimal(str(value))
    except InvalidOperation as exc:
        raise BindingError(f"{key} 应为数字", f"{key} should be a number", field=key) from exc
    if not out.is_finite():
        raise BindingError(f"{key} 应为数字", f"{key} should be a number", field=key)
    return out


def _datetime_field(name: Any, fields: dict[str, Field], key: str) -> str:
    if not isinstance(name, str) or name not in fields or fields[name].type != "datetime":
        shown = ", ".join(n for n, f in fields.items() if f.type == "datetime")
        raise BindingError(
            f"{key} 应为时间字段之一：{shown}",
            f"{key} should be one of the datetime fields: {shown}",
            field=key,
        )
    return name


def _conditions(raw: Any, fields: dict[str, Field], key: str) -> tuple[Condition, ...]:
    if not isinstance(raw, list):
        raise BindingError(f"{key} 应为条件列表", f"{key} should be a list of conditions", field=key)
    out: list[Condition] = []
    for i, item in enumerate(raw):
        where = f"{key}[{i}]"
        if not isinstance(item, dict) or set(item) - {"field", "op", "value"}:
            raise BindingError(
                f"{where} 应为 {{field, op, value}}", f"{where} should be {{field, op, value}}", field=where
            )
        name, op = item.get("field"), item.get("op")
        if name not in fields:
            raise BindingError(
                f"{where}：没有字段「{name}」", f"{where}: there is no field '{name}'", field=where
            )
        if op not in OPS:
            raise BindingError(
                f"{where}：运算「{op}」应为 {' / '.join(OPS)} 之一",
                f"{where}: unknown operator '{op}'",
                field=where,
            )
        f = fields[name]
        value = item.get("value")
        if op in ("is_null", "not_null"):
            out.append(Condition(name, op))
            continue
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                raise BindingError(
                    f"{where}：{op} 需要一个非空列表", f"{where}: {op} needs a non-empty list", field=where
                )
            out.append(Condition(name, op, tuple(_value(f, v, where) for v in value)))
            continue
        if op in ("gt", "ge", "lt", "le") and f.type not in ("int", "datetime"):
            raise BindingError(
                f"{where}：{op} 只用于数字和时间", f"{where}: {op} is for numbers and times", field=where
            )
        out.append(Condition(name, op, _value(f, value, where)))
    return tuple(out)


def _value(f: Field, value: Any, where: str) -> Any:
    if f.type == "bool":
        if not isinstance(value, bool):
            raise BindingError(
                f"{where}：{f.name} 的值应为 true/false", f"{where}: {f.name} takes true/false", field=where
            )
        return value
    if f.type == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise BindingError(
                f"{where}：{f.name} 的值应为整数", f"{where}: {f.name} takes a whole number", field=where
            )
        return value
    if f.type == "datetime":
        try:
            datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise BindingError(
                f"{where}：{f.name} 的值应为 ISO 时间", f"{where}: {f.name} takes an ISO time", field=where
            ) from exc
        return str(value)
    if not isinstance(value, str):
        raise BindingError(f"{where}：{f.name} 的值应为文字", f"{where}: {f.name} takes text", field=where)
    if f.choices and value not in f.choices:
        raise BindingError(
            f"{where}：{f.name} 应为 {' / '.join(f.choices)} 之一",
            f"{where}: {f.name} should be one of {', '.join(f.choices)}",
            field=where,
        )
    return value
