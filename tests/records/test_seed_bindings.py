"""Every seed indicator computable from records has a default binding, checked on hand-made records.

Each test's comment works the answer out by hand; the records are CSV text with Chinese headers,
as a centre's export would have them, so the column mapping is exercised too. Year 2022.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from records_helpers import seed_binding, seed_indicators, table

from jixiao.records.engine import RecordSet
from jixiao.records.propose import propose_binding

HOTLINE = "区城运中心城运平台等辅助服务"
CALLBACK = "热线工单回访测评费"
FALLBACK = "城运案件托底处置费"
PATROL = "区城运中心城运督查服务"

COMPUTABLE = {
    (FALLBACK, "案件处置类别"),
    (FALLBACK, "处置案件完成率"),
    (FALLBACK, "案件处置通过率"),
    (FALLBACK, "一般案件处置及时性"),
    (PATROL, "案件先行发现率"),
    (PATROL, "网格巡查区域"),
    (HOTLINE, "派单完成率"),
    (HOTLINE, "信息员数量"),
    (HOTLINE, "平台信息员案件派单准确率"),
    (HOTLINE, "热线平台信息员热线工单派单及时率"),
    (HOTLINE, "热线工单按时办结率"),
    (CALLBACK, "工单回访完成率"),
    (CALLBACK, "工单办结率"),
    (CALLBACK, "工单回访及时性"),
}
SATISFACTION = {key for key in seed_indicators() if "满意" in key[1] and "信息员" not in key[1]}


def test_every_computable_seed_indicator_has_a_default_binding() -> None:
    proposed = {
        key
        for key, (project, target) in seed_indicators().items()
        if propose_binding(key[1], target, project).binding is not None  # type: ignore[arg-type]
    }
    assert proposed == COMPUTABLE | SATISFACTION
    # 信息员操作满意度 is a survey of the staff: no record answers it, and the proposal says so.
    _, target = seed_indicators()[("城运平台相关系统维护费", "信息员操作满意度")]
    assert "survey" in propose_binding("信息员操作满意度", target).why_en  # type: ignore[arg-type]


def test_general_case_closed_within_7_days() -> None:
    # 一般案件处置及时性 "7天内完成" of the 托底 project: 无主, 一般 cases, closed ≤ 7×24 h after dispatch.
    # G1 2 days: in time. G2 7 days 1 hour: late. G3 exactly 7 days: in time (≤).
    # G4 紧急: not in the population. G5 has an owner: not a 托底 case. G6 still open on 31 Dec: late.
    # → 2 / 4 = 50.00 %, and the drill-down lists G2 and G6.
    rs = RecordSet(
        table("""
案卷号,来源,紧急程度,无主案件,派遣时间,结案时间
G1,网格,一般,是,2022-03-01 09:00,2022-03-03 09:00
G2,网格,一般,是,2022-03-01 09:00,2022-03-08 10:00
G3,网格,一般,是,2022-03-02 09:00,2022-03-09 09:00
G4,网格,紧急,是,2022-03-02 09:00,2022-03-30 09:00
G5,网格,一般,否,2022-03-02 09:00,2022-03-30 09:00
G6,网格,一般,是,2022-12-01 09:00,
""")
    )
    b = seed_binding(FALLBACK, "一般案件处置及时性")
    actual = rs.actual(b, 2022, 12)
    assert (actual.numerator, actual.denominator, actual.value) == (2, 4, Decimal("50.00"))
    total, rows = rs.records(b, 2022, 12)
    assert total == 2 and [r["case_id"] for r in rows] == ["G2", "G6"]


def test_a_case_not_yet_due_at_the_cutoff_is_pending_not_late() -> None:
    # Dispatched 28 July, open on 31 July: its 7 days run until 4 August, so at the July cut-off it
    # is pending (left out: 0 / 0, no value); closed 10 August it is late at the August cut-off.
    rs = RecordSet(
        table("案卷号,来源,无主案件,派遣时间,结案时间\nG1,grid,是,2022-07-28 09:00,2022-08-10 09:00")
    )
    series = rs.series(seed_binding(FALLBACK, "一般案件处置及时性"), 2022)
    assert series.actual(7).denominator == 0 and series.actual(7).value is None
    assert (series.actual(8).numerator, series.actual(8).denominator) == (0, 1)


@pytest.mark.parametrize(
    ("month", "open_at_end"),
    [
        # The export's last event is G4 closed on 15 July at 09:00. At the July cut-off G2, G3 and
        # G6 are late (their 7 days run out before 31 July), but G2 and G6, dispatched 10 and 12
        # July, still had time left on 15 July (until the 17th and the 19th): the records cannot
        # tell whether they were closed in time. G3's limit ran out on 8 July, before the records
        # stop: known late.
        (7, 2),
        # an August cut-off over the same records: the same three misses, the same two unknown
        (8, 2),
    ],
)
def test_misses_still_open_with_time_left_where_the_records_stop_are_counted(
    month: int, open_at_end: int
) -> None:
    rs = RecordSet(
        table("""
案卷号,来源,无主案件,派遣时间,结案时间
G1,grid,是,2022-07-01 09:00,2022-07-03 09:00
G2,grid,是,2022-07-10 09:00,
G3,grid,是,2022-07-01 09:00,
G4,grid,是,2022-07-14 09:00,2022-07-15 09:00
G6,grid,是,2022-07-12 09:00,
""")
    )
    b = seed_binding(FALLBACK, "一般案件处置及时性")
    actual = rs.actual(b, 2022, month)
    assert (actual.numerator, actual.denominator) == (2, 5)
    assert rs.open_at_end(b, 2022, month) == open_at_end
    # a count has no limit to run out
    assert rs.open_at_end(seed_binding(HOTLINE, "信息员数量"), 2022, month) == 0


def test_records_past_the_cutoff_leave_no_misses_in_doubt() -> None:
    # the same open G2, but the records go on to a case closed on 2 August: G2's limit (17 July)
    # ran out before they stop, so it is known late at the July cut-off
    rs = RecordSet(
        table("""
案卷号,来源,无主案件,派遣时间,结案时间
G2,grid,是,2022-07-10 09:00,
G5,grid,是,2022-08-01 09:00,2022-08-02 09:00
""")
    )
    b = seed_binding(FALLBACK, "一般案件处置及时性")
    assert rs.actual(b, 2022, 7).denominator == 1 and rs.open_at_end(b, 2022, 7) == 0


def test_distinct_service_types_of_closed_ownerless_cases() -> None:
    # 案件处置类别 ">40": distinct 小类 of 无主 cases closed in the period. Closed in 2022: 0101 (twice),
    # 0203 and 0305; 0404 belongs to an owned case; 0505 is still open → 3 types. January alone: 2.
    rs = RecordSet(
        table("""
案卷号,来源,无主案件,小类代码,结案时间
G1,grid,是,0101,2022-01-05 10:00
G2,grid,是,0101,2022-02-05 10:00
G3,grid,是,0203,2022-01-20 10:00
G4,grid,是,0305,2022-06-20 10:00
G5,grid,否,0404,2022-06-20 10:00
G6,grid,是,0505,
""")
    )
    series = rs.series(seed_binding(FALLBACK, "案件类别" if False else "案件处置类别"), 2022)
    assert series.actual(12).value == 3
    assert series.actual(1).value == 2
    assert series.actual(5).value == 2  # 0305 first appears in June


def test_disposal_completion_rate() -> None:
    # 处置案件完成率: 无主 cases dispatched in the period that are closed: G1, G2 closed, G3 open → 2/3.
    # At the January cut-off G2 (closed 3 Feb) was not closed yet → 1/3.
    rs = RecordSet(
        table("""
案卷号,来源,无主案件,派遣时间,结案时间
G1,grid,是,2022-01-10 09:00,2022-01-12 09:00
G2,grid,是,2022-01-30 09:00,2022-02-03 09:00
G3,grid,是,2022-01-31 09:00,
""")
    )
    series = rs.series(seed_binding(FALLBACK, "处置案件完成率"), 2022)
    assert (series.actual(12).numerator, series.actual(12).denominator) == (2, 3)
    assert (series.actual(1).numerator, series.actual(1).denominator) == (1, 3)
    assert series.actual(12).value == Decimal("66.67")


def test_check_pass_rate_is_one_minus_rework() -> None:
    # 案件处置通过率 ">=98%": closed 无主 cases that passed the check first time (返工次数 0):
    # 3 of 4 → 75.00 %.
    rs = RecordSet(
        table("""
案卷号,来源,无主案件,结案时间,返工次数
G1,grid,是,2022-05-01 09:00,0
G2,grid,是,2022-05-02 09:00,1
G3,grid,是,2022-05-03 09:00,0
G4,grid,是,2022-05-04 09:00,
""")
    )
    actual = rs.actual(seed_binding(FALLBACK, "案件处置通过率"), 2022, 12)
    assert (actual.numerator, actual.denominator, actual.value) == (3, 4, Decimal("75.00"))


def test_first_discovery_rate() -> None:
    # 案件先行发现率: valid grid cases found by the centre's own channels (巡查, 视频, 物联感知, 无人机):
    # G1 巡查, G2 视频, G3 12345 (a citizen), G4 作废 (left out) → 2 / 3.
    rs = RecordSet(
        table("""
案卷号,来源,来源渠道,上报时间,办理阶段
G1,grid,监督员巡查,2022-04-01 09:00,
G2,grid,视频,2022-04-01 10:00,
G3,grid,12345电话,2022-04-01 11:00,
G4,grid,监督员巡查,2022-04-01 12:00,作废
""")
    )
    actual = rs.actual(seed_binding(PATROL, "案件先行发现率"), 2022, 12)
    assert (actual.numerator, actual.denominator) == (2, 3)


def test_dispatch_completion_and_accuracy() -> None:
    # 派单完成率: orders needing dispatch (W4 does not) that were dispatched: W1, W2, W3 of W1–W3 and
    # W5 → 3/4. 派单准确率: of the 3 dispatched, W2 was returned as 派错 → 2/3; W3's return for
    # another reason (诉求人撤回) is not a wrong dispatch.
    rs = RecordSet(
        table("""
工单编号,来源,需派单,受理时间,派单时间,退单原因
W1,hotline,是,2022-02-01 09:00,2022-02-01 10:00,
W2,hotline,是,2022-02-01 09:00,2022-02-01 11:00,派错
W3,hotline,是,2022-02-01 09:00,2022-02-01 12:00,诉求人撤回
W4,hotline,否,2022-02-01 09:00,,
W5,hotline,是,2022-02-01 09:00,,
""")
    )
    done = rs.actual(seed_binding(HOTLINE, "派单完成率"), 2022, 12)
    assert (done.numerator, done.denominator) == (3, 4)
    right = rs.actual(seed_binding(HOTLINE, "平台信息员案件派单准确率"), 2022, 12)
    assert (right.numerator, right.denominator) == (2, 3)


def test_operators_count() -> None:
    # 信息员数量 "35人": distinct operators who dispatched in the period: A, B, C → 3 (A twice).
    rs = RecordSet(
        table("""
工单编号,来源,派单人,派单时间
W1,hotline,A,2022-02-01 10:00
W2,hotline,A,2022-02-02 10:00
W3,hotline,B,2022-03-01 10:00
W4,hotline,C,2022-09-01 10:00
""")
    )
    assert rs.actual(seed_binding(HOTLINE, "信息员数量"), 2022, 12).value == 3


def test_same_working_day_dispatch_with_tiaoxiu() -> None:
    # 派单及时率 "当天派单": dispatched on the working day of acceptance; an order accepted on a day off
    # rolls to the next working day. 2022-10-08 (Saturday) was a 调休 working day.
    # W1 Tue 1 Mar accepted 9:00, dispatched 15:00 the same day: in time.
    # W2 Tue 1 Mar, dispatched Wed 2 Mar: late.
    # W3 Sat 5 Mar (day off), dispatched Mon 7 Mar: in time (rolled to Monday).
    # W4 Fri 7 Oct (国庆 holiday), dispatched Sat 8 Oct, a 调休 working day: in time.
    # W5 Sat 8 Oct (working), dispatched Mon 10 Oct: late (Saturday was itself a working day).
    # → 3 / 5 = 60.00 %.
    rs = RecordSet(
        table("""
工单编号,来源,受理时间,派单时间
W1,hotline,2022-03-01 09:00,2022-03-01 15:00
W2,hotline,2022-03-01 09:00,2022-03-02 09:00
W3,hotline,2022-03-05 09:00,2022-03-07 09:00
W4,hotline,2022-10-07 09:00,2022-10-08 09:00
W5,hotline,2022-10-08 09:00,2022-10-10 09:00
""")
    )
    b = seed_binding(HOTLINE, "热线平台信息员热线工单派单及时率")
    actual = rs.actual(b, 2022, 12)
    assert (actual.numerator, actual.denominator, actual.value) == (3, 5, Decimal("60.00"))
    assert [r["case_id"] for r in rs.records(b, 2022, 12)[1]] == ["W2", "W5"]


def test_closed_on_time_rate_excludes_postponed_returned_void() -> None:
    # 热线工单按时办结率 ">=95%": orders due in the period, less 缓办/退单/作废, closed by due time:
    # W1 closed before due: on time. W2 closed after due: late. W3 缓办: left out. W4 open, due in
    # May: late. → 1 / 3 = 33.33 %.
    rs = RecordSet(
        table("""
工单编号,来源,受理时间,办结时限,办结时间,办理阶段
W1,hotline,2022-05-01 09:00,2022-05-06 17:00,2022-05-05 09:00,
W2,hotline,2022-05-01 09:00,2022-05-06 17:00,2022-05-07 09:00,
W3,hotline,2022-05-01 09:00,2022-05-06 17:00,,缓办
W4,hotline,2022-05-01 09:00,2022-05-20 17:00,,
""")
    )
    actual = rs.actual(seed_binding(HOTLINE, "热线工单按时办结率"), 2022, 12)
    assert (actual.numerator, actual.denominator, actual.value) == (1, 3, Decimal("33.33"))


CALLBACK_CASES = """
工单编号,来源,受理时间,办结时间,需回访
W1,hotline,2022-06-01 09:00,2022-06-02 10:00,是
W2,hotline,2022-06-01 09:00,2022-06-02 10:00,是
W3,hotline,2022-06-01 09:00,2022-06-02 10:00,是
W4,hotline,2022-06-01 09:00,,是
W5,hotline,2022-06-01 09:00,2022-06-03 10:00,否
"""
CALLBACKS = """
工单号,回访时间,是否接通,满意度
W1,2022-06-02 16:00,是,满意
W2,2022-06-03 09:00,否,
W2,2022-06-03 15:00,是,不满意
W3,2022-06-02 11:00,是,未评价
W5,2022-06-03 11:00,是,基本满意
"""


def test_callback_completion_timeliness_and_closure() -> None:
    # Closed in June and needing a call-back: W1, W2, W3 (W5 needs none; W4 is open).
    # 工单回访完成率 (reached call-back): W1, W2 (second attempt), W3 → 3 / 3.
    # 工单回访及时性 "当天回访" (first attempt on the closing date): W1 and W3 on 2 June; W2's first
    #   attempt was 3 June → 2 / 3.
    # 工单办结率: accepted in June (all five), closed: W1, W2, W3, W5 → 4 / 5.
    rs = RecordSet(table(CALLBACK_CASES), table(CALLBACKS, "callback"))
    reached = rs.actual(seed_binding(CALLBACK, "工单回访完成率"), 2022, 12)
    assert (reached.numerator, reached.denominator) == (3, 3)
    timely = rs.actual(seed_binding(CALLBACK, "工单回访及时性"), 2022, 12)
    assert (timely.numerator, timely.denominator) == (2, 3)
    closed = rs.actual(seed_binding(CALLBACK, "工单办结率"), 2022, 12)
    assert (closed.numerator, closed.denominator) == (4, 5)


@pytest.mark.parametrize("key", sorted(SATISFACTION))
def test_satisfaction_of_the_latest_reached_callback(key: tuple[str, str]) -> None:
    # 满意度: the latest *reached* call-back per case decides; 未评价 is left out of the denominator.
    # W1 满意 (good), W2 不满意 (the reached second attempt), W3 未评价 (left out), W5 基本满意 (good)
    # → 2 / 3 = 66.67 %.
    rs = RecordSet(table(CALLBACK_CASES), table(CALLBACKS, "callback"))
    actual = rs.actual(seed_binding(*key), 2022, 12)
    assert (actual.numerator, actual.denominator, actual.value) == (2, 3, Decimal("66.67"))


def test_the_columns_baseline_reads_what_the_bindings_read() -> None:
    # The benchmark's second baseline counts the values of every column the bindings name (and
    # the snapshot's day and month numbers of them). C1 and C2 were reported in 2022; C3 in
    # 2021, so the year's count is 2 and the plain count's baseline agrees.
    rs = RecordSet(
        table("""
案卷号,来源,紧急程度,无主案件,上报时间,派遣时间,结案时间
C1,网格,一般,是,2022-03-01 08:00,2022-03-01 09:00,2022-03-03 09:00
C2,网格,一般,是,2022-05-01 08:00,2022-05-01 09:00,
C3,网格,一般,是,2021-05-01 08:00,2021-05-01 09:00,2021-05-02 09:00
""")
    )
    b = seed_binding(FALLBACK, "一般案件处置及时性")
    rs.series(b, 2022)
    year, read = rs.columns_baseline([b], 2022)
    assert year == rs.baseline(2022) == 2
    assert {"priority", "ownerless", "dispatched_at", "closed_at", "source"} <= set(read)
    assert "day__closed_at" in read and "month__dispatched_at" in read
    rs.close()
    # closing drops the converted columns, which refer back to the record set
    assert not rs._cols and not rs._tables


def _patrol_set(cells_csv: str, patrols_csv: str) -> RecordSet:
    return RecordSet(
        table("案卷号,来源\n"),
        patrols=table(patrols_csv, "patrol"),
        cells=table(cells_csv, "cell"),
    )


CELLS = """
单元网格,街镇,纳入考核
C1,香花桥,是
C2,香花桥,是
C3,香花桥,
C4,赵巷,否
"""


def test_grid_patrol_coverage_counts_cells_patrolled_every_day() -> None:
    # 网格巡查区域 全覆盖 (reference §4.8, the cycle a day) over January and February 2022, the
    # records ending with a patrol on 28 February. In scope: C1, C2 and C3 (no answer = in scope);
    # C4 is out of scope. C1 is patrolled every day; C2 every day but 10 February; C3 every day of
    # January only, and twice on 5 January (one day all the same); C4 never, and does not count.
    rows = ["监督员,单元网格,巡查时间"]
    day = date(2022, 1, 1)
    while day <= date(2022, 2, 28):
        rows.append(f"S1,C1,{day} 09:00")
        if day != date(2022, 2, 10):
            rows.append(f"S2,C2,{day} 10:00")
        if day.month == 1:
            rows.append(f"S3,C3,{day} 11:00")
        day += timedelta(days=1)
    rows.append("S3,C3,2022-01-05 16:00")
    rs = _patrol_set(CELLS, "\n".join(rows))
    series = rs.series(seed_binding(PATROL, "网格巡查区域"), 2022)
    # January: all three covered → 3 / 3; January–February: only C1 → 1 / 3 = 33.33 %;
    # February alone: C1 → 1 / 3
    jan, to_feb, feb = series.actual(1), series.actual(2), series.actual(2, first=2)
    assert (jan.numerator, jan.denominator, jan.value) == (3, 3, Decimal("100.00"))
    assert (to_feb.numerator, to_feb.denominator, to_feb.value) == (1, 3, Decimal("33.33"))
    assert (feb.numerator, feb.denominator) == (1, 3)
    # a March cut-off knows no more days than the records reach: still 1 / 3, not 0
    assert series.actual(3).numerator == 1
    # the drill-down: at the January cut-off no cell missed a day; to February, C2 missed 10
    # February (1 of 59 days) and C3 every day of February (28 of 59), first on 1 February
    assert rs.missed_cells(2022, 1) == (0, [])
    total, cells = rs.missed_cells(2022, 2)
    assert total == 2
    assert [
        (c["cell_id"], c["street"], str(c["first_missed"]), c["days_missed"], c["days"]) for c in cells
    ] == [
        ("C2", "香花桥", "2022-02-10", 1, 59),
        ("C3", "香花桥", "2022-02-01", 28, 59),
    ]


def test_grid_patrol_coverage_without_a_register_or_patrols_has_no_value() -> None:
    b = seed_binding(PATROL, "网格巡查区域")
    no_register = _patrol_set("单元网格,纳入考核\nC1,否", "监督员,单元网格,巡查时间\nS1,C1,2022-01-01 09:00")
    assert no_register.series(b, 2022).actual(1).value is None
    # records of 2022 only: a 2023 year has no known day, so no value rather than 0 % or 100 %
    assert (
        _patrol_set(CELLS, "监督员,单元网格,巡查时间\nS1,C1,2022-01-01 09:00").series(b, 2023).actual(1).value
        is None
    )
