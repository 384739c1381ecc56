"""A synthetic district (or city) year of grid cases, 12345 work orders and their call-backs.

Seeded and reproducible (numpy's PCG64): the same ``seed`` gives the same records. Parameters are
the reference note's (operational-data.md §5), each marked there as seen or inferred:

* volumes: a district has ~100,000 hotline orders (Shanghai 2016: 1.2 M over 16 districts) and
  ~300,000 grid cases a year; a city is ten districts;
* seasonality: more cases in summer, fewer at the Spring Festival; grid inspectors report on
  working days (the work calendar with 调休), the hotline answers every day; daytime peaks;
* grid mix: 监督员巡查 95 %, 视频 1 %, 物联感知 0.5 %, the public 3.5 %; 事件 97 %, 部件 3 %; a
  Zipf mix of 小类 led by 小广告, 暴露垃圾, 乱堆物, 占道经营; 17 % 自行处置 by the inspector;
* time to close against the limit: r = duration / limit ~ lognormal(ln 0.35, σ) with
  σ = ln(1/0.35) / z_p so that P(r ≤ 1) = p; p drifts across the year (grid 0.975 → 0.955,
  hotline 0.97 → 0.94) so that some lights turn red; ~2 % still open at year end;
* 返工 0.3 %, 退单 2 % (派错 60 % of them, 非职责 25 %), 缓办 0.2 %, 作废 1 %; 当天派单 ~97.5 %;
* call-backs: every closed order, 97 % on the closing day; reached 80 % at the first attempt,
  70 % at the second; satisfaction 满意 80 / 基本满意 12 / 不满意 8 (the good share drifting down
  from 94 % to 89 % over the year), 5 % 未评价; public-reported grid cases are called back too;
* patrols (:func:`patrol_logs`, apart: a city's would be 11 M rows): the district's ~3,000 单元网格,
  2 % of them out of scope (water, closed sites), each patrolled once a day by the inspector of
  its twenty cells between 08:30 and 16:30, a cell-day missed with probability 0.0002 (inferred:
  no published value; about 7 % of the cells miss a day in a year, so 全覆盖 is not met).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from numpy.typing import NDArray

from jixiao.records.calendar import WorkCalendar
from jixiao.records.reader import ARROW_TYPES
from jixiao.records.schema import CALLBACK_FIELDS, CASE_FIELDS

__all__ = ["DISTRICT", "Dataset", "generate", "patrol_logs", "write_csv"]

DISTRICT = {"hotline": 100_000, "grid": 300_000, "cells": 3_000}
STREETS = (
    "夏阳街道",
    "盈浦街道",
    "香花桥街道",
    "赵巷镇",
    "徐泾镇",
    "华新镇",
    "重固镇",
    "白鹤镇",
    "朱家角镇",
    "练塘镇",
    "金泽镇",
)
AGENCIES = (
    "区绿化市容局",
    "区城管执法局",
    "区建管委",
    "区房管局",
    "区水务局",
    "区市场监管局",
    "区生态环境局",
    "街镇城运中心",
)
# (code, name): 事件 first (the frequent ones lead), then 部件 (GB/T 30428.2 大类 01–06).
EVENTS = [
    ("0101", "小广告"),
    ("0102", "暴露垃圾"),
    ("0103", "乱堆物"),
    ("0201", "占道经营"),
    ("0104", "道路不洁"),
    ("0202", "无序设摊"),
    ("0105", "绿地脏乱"),
    ("0203", "非机动车乱停放"),
    ("0301", "施工扰民"),
    ("0302", "工地扬尘"),
    ("0106", "垃圾满溢"),
    ("0204", "机动车乱停放"),
    ("0107", "积存垃圾渣土"),
    ("0401", "违规户外广告"),
    ("0303", "道路破损"),
    ("0108", "水域脏乱"),
    ("0205", "乱晾晒"),
    ("0402", "招牌破损"),
    ("0501", "井盖破损"),
    ("0502", "架空线坠落"),
    ("0109", "动物尸体"),
    ("0206", "店外经营"),
    ("0304", "渣土撒漏"),
    ("0403", "横幅"),
    ("0503", "路面积水"),
    ("0110", "焚烧垃圾"),
    ("0207", "违法搭建"),
    ("0305", "夜间施工"),
    ("0504", "树木倒伏"),
    ("0111", "油污"),
    ("0208", "群租"),
    ("0404", "灯箱损坏"),
    ("0505", "道路塌陷"),
    ("0112", "公厕脏乱"),
    ("0209", "噪声扰民"),
    ("0306", "占道施工"),
    ("0405", "墙面涂写"),
    ("0506", "燃气泄漏"),
    ("0113", "垃圾分类不规范"),
    ("0210", "流浪犬"),
    ("0307", "工地围挡破损"),
    ("0406", "电子屏故障"),
    ("0507", "电线裸露"),
    ("0114", "河道漂浮物"),
    ("0211", "违规养殖"),
    ("0308", "施工废弃物"),
    ("0508", "消防通道堵塞"),
    ("0115", "沿街晾挂"),
    ("0212", "占用盲道"),
]
PARTS = [
    ("1001", "上水井盖"),
    ("1002", "污水井盖"),
    ("1003", "路灯"),
    ("1004", "果皮箱"),
    ("1005", "公交站亭"),
    ("2001", "交通护栏"),
    ("2002", "交通标志牌"),
    ("2003", "人行道板"),
    ("3001", "垃圾房"),
    ("3002", "公厕设施"),
    ("4001", "行道树"),
    ("4002", "绿地护栏"),
    ("5001", "危房"),
    ("6001", "监控设施"),
]
HOTLINE_TYPES = [  # (code, name, limit in working days: 咨询 1, 求助投诉 5, 复杂 15 — Shanghai rules)
    ("H101", "政策咨询", 1),
    ("H102", "办事咨询", 1),
    ("H201", "噪声投诉", 5),
    ("H202", "环境卫生", 5),
    ("H203", "违法建筑", 15),
    ("H204", "物业管理", 5),
    ("H205", "交通出行", 5),
    ("H206", "市场监管", 5),
    ("H207", "房屋修缮", 15),
    ("H208", "供水供电", 5),
    ("H209", "劳动保障", 15),
    ("H210", "占道经营", 5),
    ("H211", "宠物管理", 5),
    ("H212", "绿化养护", 5),
    ("H213", "道路设施", 5),
    ("H214", "社会治安", 5),
]
LOW_CARDINALITY = frozenset(
    {
        "source",
        "channel",
        "reporter_role",
        "priority",
        "status",
        "stage",
        "return_reason",
        "service_code",
        "service_name",
        "agency_responsible",
        "street",
        "dispatcher_id",
    }
)
MONTH_FACTOR = np.array([0.95, 0.72, 0.98, 1.0, 1.05, 1.1, 1.18, 1.2, 1.08, 0.97, 0.92, 0.85])
HOUR_WEIGHTS = np.array(
    [
        0.2,
        0.1,
        0.1,
        0.1,
        0.1,
        0.3,
        0.8,
        2.0,
        4.0,
        6.0,
        6.5,
        6.0,
        4.0,
        5.0,
        6.0,
        6.0,
        5.5,
        4.0,
        2.5,
        2.0,
        1.5,
        1.0,
        0.6,
        0.4,
    ]
)


@dataclass(frozen=True, slots=True)
class Dataset:
    """Generated records: ``cases`` and ``callbacks`` (schema tables), and the work calendar."""

    year: int
    cases: pa.Table
    callbacks: pa.Table
    calendar: WorkCalendar


class _Cal:
    """The work calendar as numpy arrays indexed by day of the calendar (0 = 1 January)."""

    def __init__(self, cal: WorkCalendar) -> None:
        t = cal.table()
        self.origin = np.datetime64(cal.first, "D")
        self.work = np.asarray(t.column("work").to_numpy(zero_copy_only=False), dtype=bool)
        self.widx = np.asarray(t.column("widx").to_numpy(), dtype=np.int64)
        self.wday = np.flatnonzero(self.work)  # day index of the n-th working day (n from 1: wday[n-1])

    def add_workdays(self, day: NDArray[np.int64], n: NDArray[np.int64]) -> NDArray[np.int64]:
        """Return the day index ``n`` working days after ``day`` (a day off rolls to the next)."""
        start = self.widx[day] + (~self.work[day]).astype(np.int64)  # the working day it counts from
        target = np.clip(start + n, 1, len(self.wday))
        return np.asarray(self.wday[target - 1], dtype=np.int64)


def _times(
    rng: np.random.Generator, cal: _Cal, year: int, n: int, workday_factor: float
) -> NDArray[np.int64]:
    """Return ``n`` report times (µs since the calendar origin) with month, workday and hour peaks."""
    days = np.arange((date(year, 12, 31) - date(year, 1, 1)).days + 1)
    months = (np.datetime64(f"{year}-01-01") + days).astype("datetime64[M]").astype(int) % 12
    weight = MONTH_FACTOR[months] * np.where(cal.work[days], 1.0, workday_factor)
    day = rng.choice(days, size=n, p=weight / weight.sum())
    hour = rng.choice(24, size=n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    return (day * 86400 + hour * 3600 + rng.integers(0, 3600, size=n)) * 1_000_000


_US_DAY = 86_400_000_000
_US_MIN = 60_000_000


def _ratio(rng: np.random.Generator, p: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return duration / limit ~ lognormal(ln 0.35, σ) with P(r ≤ 1) = ``p`` (reference §5)."""
    from statistics import NormalDist

    z = np.array([NormalDist().inv_cdf(float(x)) for x in np.unique(p)])
    sigma = np.interp(p, np.unique(p), np.log(1 / 0.35) / z)
    return np.exp(np.log(0.35) + sigma * rng.standard_normal(len(p)))  # type: ignore[no-any-return]


def _pick(
    rng: np.random.Generator, names: list[str] | tuple[str, ...], p: list[float] | None, n: int
) -> pa.Array:
    idx = rng.choice(len(names), size=n, p=p)
    return pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), pa.array(list(names))).cast(pa.string())


def _ids(prefix: str, start: int, n: int) -> pa.Array:
    numbers = pc.utf8_lpad(pa.array(np.arange(start, start + n)).cast(pa.string()), 8, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), numbers, "")


def _ts(cal: _Cal, us: NDArray[np.int64], mask: NDArray[np.bool_] | None = None) -> pa.Array:
    whole = us - us % 1_000_000  # exports carry whole seconds
    values = cal.origin.astype("datetime64[us]") + whole.astype("timedelta64[us]")
    return pa.array(values, pa.timestamp("us"), mask=mask)


def _zipf(n_names: int, s: float = 1.1) -> list[float]:
    w = 1 / np.arange(1, n_names + 1) ** s
    return list(w / w.sum())


def _grid(
    rng: np.random.Generator, cal: _Cal, year: int, n: int, first_id: int, prefix: str
) -> tuple[dict[str, pa.Array], NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64]]:
    reported = _times(rng, cal, year, n, workday_factor=0.35)
    month = (reported // _US_DAY).astype("timedelta64[D]").astype(int)  # day index
    month_of = (
        (cal.origin + month.astype("timedelta64[D]")).astype("datetime64[M]").astype(int) % 12
    ).astype(np.int64)
    channel = rng.choice(5, size=n, p=[0.95, 0.01, 0.005, 0.025, 0.01])
    channels = ["监督员巡查", "视频", "物联感知", "12345电话", "网络"]
    is_part = rng.random(n) < 0.03
    event_idx = rng.choice(len(EVENTS), size=n, p=_zipf(len(EVENTS)))
    part_idx = rng.choice(len(PARTS), size=n, p=_zipf(len(PARTS), 0.8))
    codes = np.where(
        is_part, np.array([c for c, _ in PARTS])[part_idx], np.array([c for c, _ in EVENTS])[event_idx]
    )
    names = np.where(
        is_part, np.array([m for _, m in PARTS])[part_idx], np.array([m for _, m in EVENTS])[event_idx]
    )
    urgent = rng.random(n) < 0.05
    self_handled = rng.random(n) < 0.17
    accepted = reported + (rng.exponential(8, n) * _US_MIN).astype(np.int64)
    dispatched = np.where(
        self_handled, accepted, accepted + (rng.exponential(25, n) * _US_MIN).astype(np.int64)
    )
    p = 0.975 - 0.02 * month_of / 11  # the share closed in time drifts down over the year
    limit_us = np.where(urgent, _US_DAY, 7 * _US_DAY)
    duration = (_ratio(rng, p) * limit_us).astype(np.int64)
    duration = np.where(self_handled, (rng.exponential(0.5, n) * 3600e6).astype(np.int64), duration)
    closed = dispatched + duration
    void = rng.random(n) < 0.01
    still_open = (
        closed >= (np.datetime64(f"{year + 1}-01-01") - cal.origin).astype("timedelta64[us]").astype(np.int64)
    ) | void
    rework = (rng.random(n) < 0.003).astype(np.int32)
    ownerless = rng.random(n) < 0.03
    returned = rng.random(n) < 0.02
    reason = rng.choice(4, size=n, p=[0.6, 0.25, 0.1, 0.05])
    reasons = np.array(["派错", "非职责", "信息不全", "重复派遣"])[reason]
    fields = {
        "case_id": _ids(prefix, first_id, n),
        "source": pa.repeat(pa.scalar("grid"), n),
        "channel": pa.DictionaryArray.from_arrays(pa.array(channel, pa.int32()), pa.array(channels)).cast(
            pa.string()
        ),
        "reporter_role": pa.array(np.where(channel < 3, "监督员", "市民")),
        "reporter_id": pc.binary_join_element_wise(
            pa.scalar("J"), pa.array(rng.integers(1, 220, n)).cast(pa.string()), ""
        ),
        "dispatcher_id": pc.binary_join_element_wise(
            pa.scalar("X"), pa.array(rng.integers(1, 36, n)).cast(pa.string()), ""
        ),
        "service_code": pa.array(codes),
        "service_name": pa.array(names),
        "priority": pa.array(np.where(urgent, "紧急", "一般")),
        "ownerless": pa.array(ownerless),
        "needs_dispatch": pa.array(~self_handled),
        "callback_required": pa.array(channel >= 3),
        "reported_at": _ts(cal, reported),
        "accepted_at": _ts(cal, accepted),
        "dispatched_at": _ts(cal, dispatched, mask=void),
        "due_at": _ts(cal, dispatched + limit_us, mask=void),
        "disposed_at": _ts(cal, closed - (duration // 10), mask=still_open),
        "closed_at": _ts(cal, closed, mask=still_open),
        "status": pa.array(np.where(still_open, "open", "closed")),
        "stage": pa.array(np.where(void, "作废", ""), pa.string()),
        "agency_responsible": _pick(rng, AGENCIES, None, n),
        "return_reason": pa.array(np.where(returned, reasons, ""), pa.string()),
        "rework_count": pa.array(rework),
        "grid_cell_id": pc.binary_join_element_wise(
            pa.scalar("310118"),
            pc.utf8_lpad(pa.array(rng.integers(1, 3000, n)).cast(pa.string()), 5, "0"),
            "",
        ),
        "street": _pick(rng, STREETS, None, n),
    }
    return fields, closed, still_open | ~(channel >= 3), month_of


def _hotline(
    rng: np.random.Generator, cal: _Cal, year: int, n: int, first_id: int, prefix: str
) -> tuple[dict[str, pa.Array], NDArray[np.int64], NDArray[np.bool_], NDArray[np.int64]]:
    accepted = _times(rng, cal, year, n, workday_factor=0.7)
    day = accepted // _US_DAY
    month_of = ((cal.origin + day.astype("timedelta64[D]")).astype("datetime64[M]").astype(int) % 12).astype(
        np.int64
    )
    kind = rng.choice(len(HOTLINE_TYPES), size=n, p=_zipf(len(HOTLINE_TYPES), 0.7))
    limit_days = np.array([d for _, _, d in HOTLINE_TYPES])[kind]
    due_day = cal.add_workdays(day, limit_days.astype(np.int64))
    due = due_day * _US_DAY + 17 * 3600 * 1_000_000
    needs_dispatch = rng.random(n) < 0.9
    # 当天派单 ~97.5 %: the rest on a following working day
    same_day = rng.random(n) < 0.975
    next_day = cal.add_workdays(day, rng.integers(1, 3, n))
    start_day = cal.add_workdays(day, np.zeros(n, np.int64))
    dispatched_same = np.maximum(accepted, start_day * _US_DAY + 9 * 3600 * 1_000_000) + (
        rng.exponential(40, n) * _US_MIN
    ).astype(np.int64)
    dispatched = np.where(
        same_day, dispatched_same, next_day * _US_DAY + (9 * 60 + rng.integers(0, 480, n)) * _US_MIN
    )
    p = 0.97 - 0.03 * month_of / 11
    span = np.maximum(due - accepted, _US_DAY)
    closed = accepted + (_ratio(rng, p) * span).astype(np.int64)
    # an order is closed after it was dispatched (the agency needs at least a little while)
    closed = np.where(
        needs_dispatch,
        np.maximum(closed, dispatched + (rng.exponential(90, n) * _US_MIN).astype(np.int64)),
        closed,
    )
    stage_draw = rng.random(n)
    stage = np.where(
        stage_draw < 0.002,
        "缓办",
        np.where(stage_draw < 0.012, "作废", np.where(stage_draw < 0.03, "退单", "")),
    )
    year_end = (np.datetime64(f"{year + 1}-01-01") - cal.origin).astype("timedelta64[us]").astype(np.int64)
    still_open = (closed >= year_end) | (stage == "作废") | (stage == "缓办")
    reason = np.where(
        stage == "退单",
        np.array(["派错", "非职责", "诉求人撤回"])[rng.choice(3, size=n, p=[0.6, 0.3, 0.1])],
        "",
    )
    fields = {
        "case_id": _ids(prefix, first_id, n),
        "source": pa.repeat(pa.scalar("hotline"), n),
        "channel": _pick(rng, ("12345电话", "网络", "交办"), [0.8, 0.15, 0.05], n),
        "reporter_role": pa.repeat(pa.scalar("市民"), n),
        "reporter_id": pa.nulls(n, pa.string()),
        "dispatcher_id": pc.binary_join_element_wise(
            pa.scalar("X"), pa.array(rng.integers(1, 36, n)).cast(pa.string()), ""
        ),
        "service_code": pa.array(np.array([c for c, _, _ in HOTLINE_TYPES])[kind]),
        "service_name": pa.array(np.array([m for _, m, _ in HOTLINE_TYPES])[kind]),
        "priority": pa.repeat(pa.scalar("一般"), n),
        "ownerless": pa.repeat(pa.scalar(False), n),
        "needs_dispatch": pa.array(needs_dispatch),
        "callback_required": pa.array(~still_open),
        "reported_at": _ts(cal, accepted - (rng.exponential(3, n) * _US_MIN).astype(np.int64)),
        "accepted_at": _ts(cal, accepted),
        "dispatched_at": _ts(cal, dispatched, mask=~needs_dispatch),
        "due_at": _ts(cal, due),
        "disposed_at": _ts(cal, closed - (span // 20), mask=still_open),
        "closed_at": _ts(cal, closed, mask=still_open),
        "status": pa.array(np.where(still_open, "open", "closed")),
        "stage": pa.array(stage, pa.string()),
        "agency_responsible": _pick(rng, AGENCIES, None, n),
        "return_reason": pa.array(reason, pa.string()),
        "rework_count": pa.repeat(pa.scalar(0, pa.int32()), n),
        "grid_cell_id": pa.nulls(n, pa.string()),
        "street": _pick(rng, STREETS, None, n),
    }
    return fields, closed, still_open, month_of


def _callbacks(
    rng: np.random.Generator,
    cal: _Cal,
    case_ids: pa.Array,
    closed: NDArray[np.int64],
    month_of: NDArray[np.int64],
) -> pa.Table:
    n = len(closed)
    # first attempt: the closing day for 97 %, a few hours later but before 21:00; else next day
    same = rng.random(n) < 0.97
    close_day = closed // _US_DAY
    later = np.maximum(closed, close_day * _US_DAY + 510 * _US_MIN) + (
        rng.exponential(2.5, n) * 3600e6
    ).astype(np.int64)
    late_evening = (later // _US_DAY) > close_day
    first = np.where(
        same & ~late_evening, later, (close_day + 1) * _US_DAY + (9 * 60 + rng.integers(0, 600, n)) * _US_MIN
    )
    reached1 = rng.random(n) < 0.8
    second = (first // _US_DAY + 1) * _US_DAY + (10 * 60 + rng.integers(0, 480, n)) * _US_MIN
    reached2 = rng.random(n) < 0.7
    good = 0.94 - 0.05 * month_of / 11  # satisfaction drifts down (summer complaints, then slower work)
    u = rng.random(n)
    sat = np.where(
        u < 0.05,
        "未评价",
        np.where(
            u < 0.05 + 0.95 * good * 0.87, "满意", np.where(u < 0.05 + 0.95 * good, "基本满意", "不满意")
        ),
    )
    resolved = np.where(rng.random(n) < 0.88, "已解决", "未解决")
    retry = ~reached1
    ids1 = case_ids
    ids2 = case_ids.filter(pa.array(retry))
    at = np.concatenate([first, second[retry]])
    reached = np.concatenate([reached1, reached2[retry]])
    satisfaction = np.concatenate([np.where(reached1, sat, ""), np.where(reached2, sat, "")[retry]])
    resolved_all = np.concatenate([np.where(reached1, resolved, ""), np.where(reached2, resolved, "")[retry]])
    case_col = pa.concat_arrays([ids1, ids2])
    at_col = _ts(cal, at)
    stamp = pc.strftime(at_col.cast(pa.timestamp("s")), "%Y-%m-%dT%H:%M:%S")

    def empty_null(a: pa.Array) -> pa.Array:
        return pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)

    cols = {
        "callback_id": pc.binary_join_element_wise(case_col, stamp, "@"),
        "case_id": case_col,
        "attempted_at": at_col,
        "method": pa.repeat(pa.scalar("电话"), len(at)),
        "reached": pa.array(reached),
        "satisfaction": empty_null(pa.array(satisfaction, pa.string())),
        "resolved": empty_null(pa.array(resolved_all, pa.string())),
    }
    return pa.table({f.name: cols[f.name].cast(ARROW_TYPES[f.type]) for f in CALLBACK_FIELDS})


def generate(
    year: int = 2022, *, scale: float = 1.0, seed: int = 20220101, calendar: WorkCalendar | None = None
) -> Dataset:
    """Return a district-year of records (``scale`` 10 for a city-year, 0.05 for a demo slice)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    work = calendar or WorkCalendar.for_years(year, year)
    cal = _Cal(work)
    n_grid, n_hot = int(DISTRICT["grid"] * scale), int(DISTRICT["hotline"] * scale)
    grid, g_closed, g_no_cb, g_month = _grid(rng, cal, year, n_grid, 1, f"G{year}")
    hot, h_closed, h_open, h_month = _hotline(rng, cal, year, n_hot, 1, f"W{year}")

    def to_table(fields: dict[str, pa.Array]) -> pa.Table:
        out = {}
        for f in CASE_FIELDS:
            col = fields[f.name]
            if f.type == "text" and f.name in ("stage", "return_reason"):
                col = pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)
            col = col.cast(ARROW_TYPES[f.type])
            if f.name in LOW_CARDINALITY:  # as Parquet stores them: scans compare small integers
                col = pc.dictionary_encode(col)
            out[f.name] = col
        return pa.table(out)

    cases = pa.concat_tables([to_table(grid), to_table(hot)])
    g_cb = ~g_no_cb
    h_cb = ~h_open
    callbacks = pa.concat_tables(
        [
            _callbacks(rng, cal, grid["case_id"].filter(pa.array(g_cb)), g_closed[g_cb], g_month[g_cb]),
            _callbacks(rng, cal, hot["case_id"].filter(pa.array(h_cb)), h_closed[h_cb], h_month[h_cb]),
        ]
    )
    return Dataset(year, cases, callbacks, work)


def patrol_logs(year: int = 2022, *, scale: float = 1.0, seed: int = 20220101) -> tuple[pa.Table, pa.Table]:
    """Return (patrol logs, grid cell register) of a district-year's cells (``scale`` of them)."""
    from jixiao.records.schema import CELL_FIELDS, PATROL_FIELDS

    rng = np.random.Generator(np.random.PCG64(seed + 1))
    n_cells = max(20, int(DISTRICT["cells"] * scale))
    cell_ids = [f"310118{i:05d}" for i in range(1, n_cells + 1)]
    days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    cell, day = np.divmod(np.arange(n_cells * days, dtype=np.int64), days)
    kept = rng.random(len(cell)) >= 0.0002
    cell, day = cell[kept], day[kept]
    minute = rng.integers(8 * 60 + 30, 16 * 60 + 30, len(cell))
    origin = np.datetime64(f"{year}-01-01", "us")
    started = origin + (day * 86400 + minute * 60).astype("timedelta64[s]").astype("timedelta64[us]")
    ended = started + (rng.integers(10, 40, len(cell)) * 60).astype("timedelta64[s]").astype(
        "timedelta64[us]"
    )
    ids = pa.array(cell_ids)
    patrols = {
        "patrol_id": pc.binary_join_element_wise(
            pc.take(ids, pa.array(cell)), pa.array(day.astype(str)), "-"
        ),
        "inspector_id": pa.array([f"S{c // 20 + 1:04d}" for c in range(n_cells)]).take(pa.array(cell)),
        "grid_cell_id": pc.take(ids, pa.array(cell)),
        "started_at": pa.array(started),
        "ended_at": pa.array(ended),
        "street": pa.array([STREETS[c % len(STREETS)] for c in range(n_cells)]).take(pa.array(cell)),
    }
    register = {
        "cell_id": ids,
        "duty_grid_id": pa.array([f"Z{c // 22 + 1:04d}" for c in range(n_cells)]),
        "street": pa.array([STREETS[c % len(STREETS)] for c in range(n_cells)]),
        "in_scope": pa.array(rng.random(n_cells) >= 0.02),
    }

    def typed(columns: dict[str, pa.Array], fields: tuple[object, ...]) -> pa.Table:
        return pa.table({f.name: columns[f.name].cast(ARROW_TYPES[f.type]) for f in fields})  # type: ignore[attr-defined]

    return typed(patrols, PATROL_FIELDS), typed(register, CELL_FIELDS)


def write_csv(table: pa.Table, path: Path, *, chinese_headers: bool = True) -> Path:
    """Write ``table`` as a UTF-8 CSV export, headers in Chinese (as a centre's system writes them)."""
    from jixiao.records.schema import FIELDS

    labels = {f.name: f.label_zh for fields in FIELDS.values() for f in fields}
    cols = []
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_timestamp(col.type):
            col = pc.strftime(col.cast(pa.timestamp("s")), "%Y-%m-%d %H:%M:%S")
        cols.append(col)
    names = [labels.get(n, n) if chinese_headers else n for n in table.column_names]
    pacsv.write_csv(pa.table(cols, names=names), path)
    return path
