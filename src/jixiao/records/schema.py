"""The record schema: cases (grid cases and hotline work orders), their call-backs, the
inspectors' patrol logs and the register of grid cells.

Semantics follow GB/T 30428 (数字化城市管理信息系统: 立案 → 派遣 → 处置 → 核查结案) and GB/T 33358-2016
(政府热线服务规范: a 工单 records the matter, its handling and the 回访 result); field names are
Open311 GeoReport v2's where one exists (``service_request_id`` → ``case_id``, ``requested_datetime``
→ ``reported_at``, ``expected_datetime`` → ``due_at``), plus the Chinese stage timestamps and flags.

Timestamps are local wall-clock time of the unit (Asia/Shanghai for the seed district), as the
exports of these systems write them; a day or a month is a calendar day or month of that clock.

A patrol log (巡查记录) is one inspector's visit to one 单元网格, as GB/T 30428's 巡查 module keeps it;
the grid cell register (单元网格清单) lists the cells a unit answers for, ``in_scope`` marking those
the 网格巡查区域全覆盖 indicator counts (``operational-data.md`` §3).

Each :class:`Field` lists header names in Chinese and English that the mapping step recognises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CALLBACK_FIELDS",
    "CASE_FIELDS",
    "CELL_FIELDS",
    "DERIVED_FIELDS",
    "FIELDS",
    "ID_FIELDS",
    "KINDS",
    "PATROL_FIELDS",
    "SATISFACTION",
    "SOURCES",
    "Field",
    "FieldType",
    "RecordKind",
]

FieldType = Literal["text", "datetime", "int", "bool", "enum"]
RecordKind = Literal["case", "callback", "patrol", "cell"]
KINDS: tuple[RecordKind, ...] = ("case", "callback", "patrol", "cell")

SOURCES = ("grid", "hotline")
SOURCE_ALIASES = {
    "grid": "grid",
    "网格": "grid",
    "网格化": "grid",
    "城管": "grid",
    "数字城管": "grid",
    "网格案件": "grid",
    "hotline": "hotline",
    "热线": "hotline",
    "12345": "hotline",
    "12345热线": "hotline",
    "热线工单": "hotline",
    "工单": "hotline",
}
SATISFACTION = ("满意", "基本满意", "不满意", "未评价")
SATISFACTION_ALIASES = {
    "满意": "满意",
    "非常满意": "满意",
    "satisfied": "满意",
    "基本满意": "基本满意",
    "比较满意": "基本满意",
    "fairly satisfied": "基本满意",
    "不满意": "不满意",
    "dissatisfied": "不满意",
    "未评价": "未评价",
    "不评价": "未评价",
    "未表态": "未评价",
    "not rated": "未评价",
}
RESOLVED_ALIASES = {
    "已解决": "已解决",
    "解决": "已解决",
    "resolved": "已解决",
    "未解决": "未解决",
    "unresolved": "未解决",
}


@dataclass(frozen=True, slots=True)
class Field:
    """One column of a record table: name, type, whether it is required, the header names."""

    name: str
    type: FieldType
    label_zh: str
    label_en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None  # the most characters a text cell may hold


# The most characters each text column holds, as its database column does (jixiao.db.records.models;
# a test checks that the two agree): a longer cell is refused with its row by the reader, never cut
# short nor left for the database to refuse at the end of an import.
MAX_LENGTHS = {
    "case_id": 64,
    "source": 10,
    "channel": 50,
    "reporter_role": 50,
    "reporter_id": 64,
    "dispatcher_id": 64,
    "service_code": 64,
    "service_name": 100,
    "priority": 20,
    "status": 30,
    "stage": 30,
    "agency_responsible": 100,
    "return_reason": 100,
    "grid_cell_id": 64,
    "street": 100,
    "callback_id": 100,
    "method": 30,
    "satisfaction": 10,
    "resolved": 10,
    "patrol_id": 200,
    "inspector_id": 64,
    "cell_id": 64,
    "duty_grid_id": 64,
}


def _f(
    name: str,
    type_: FieldType,
    zh: str,
    en: str,
    *aliases: str,
    required: bool = False,
    choices: tuple[str, ...] = (),
) -> Field:
    length = MAX_LENGTHS.get(name) if type_ in ("text", "enum") else None
    return Field(name, type_, zh, en, (name, zh, en, *aliases), required, choices, length)


CASE_FIELDS: tuple[Field, ...] = (
    _f(
        "case_id",
        "text",
        "案卷号",
        "case id",
        "工单号",
        "工单编号",
        "案件编号",
        "案卷编号",
        "编号",
        "service_request_id",
        "unique_key",
        "request id",
        "id",
        required=True,
    ),
    _f("source", "enum", "来源系统", "source", "来源", "系统", "案件类型", "业务类型", choices=SOURCES),
    _f(
        "channel",
        "text",
        "来源渠道",
        "channel",
        "上报渠道",
        "渠道",
        "问题来源",
        "来电渠道",
        "open_data_channel_type",
    ),
    _f("reporter_role", "text", "上报人类型", "reporter role", "上报人角色"),
    _f("reporter_id", "text", "上报人", "reporter id", "上报人编号", "监督员编号", "信息员编号"),
    _f("dispatcher_id", "text", "派单人", "dispatcher id", "派单员", "派遣人", "派单人员"),
    _f(
        "service_code",
        "text",
        "小类代码",
        "service code",
        "问题小类代码",
        "类别代码",
        "案件小类",
        "小类",
        "complaint_type",
        "诉求类别",
    ),
    _f("service_name", "text", "小类名称", "service name", "问题小类", "类别名称", "descriptor"),
    _f("priority", "text", "紧急程度", "priority", "优先级", "案件级别", "等级"),
    _f("ownerless", "bool", "无主案件", "ownerless", "是否无主", "托底"),
    _f("needs_dispatch", "bool", "需派单", "needs dispatch", "是否派单", "需要派单"),
    _f("callback_required", "bool", "需回访", "callback required", "是否回访", "需要回访"),
    _f(
        "reported_at",
        "datetime",
        "上报时间",
        "reported at",
        "来电时间",
        "发现时间",
        "requested_datetime",
        "created_date",
        "创建时间",
    ),
    _f("accepted_at", "datetime", "受理时间", "accepted at", "接单时间", "登记时间"),
    _f("dispatched_at", "datetime", "派遣时间", "dispatched at", "派单时间", "首次派单时间", "首次派遣时间"),
    _f(
        "due_at",
        "datetime",
        "处置时限",
        "due at",
        "截止时间",
        "办理时限",
        "办结时限",
        "应办结时间",
        "expected_datetime",
        "due_date",
    ),
    _f(
        "disposed_at",
        "datetime",
        "处置时间",
        "disposed at",
        "处置反馈时间",
        "反馈时间",
        "resolution_action_updated_date",
    ),
    _f(
        "closed_at",
        "datetime",
        "结案时间",
        "closed at",
        "办结时间",
        "核查结案时间",
        "closed_date",
        "updated_datetime",
    ),
    _f("status", "text", "状态", "status", "案件状态", "工单状态", "办理状态"),
    _f("stage", "text", "办理阶段", "stage", "特殊状态", "缓办/退单/作废"),
    _f("agency_responsible", "text", "承办单位", "agency responsible", "处置单位", "责任单位", "agency"),
    _f("return_reason", "text", "退单原因", "return reason", "回退原因", "退回原因"),
    _f("rework_count", "int", "返工次数", "rework count", "核查不通过次数"),
    _f("grid_cell_id", "text", "单元网格", "grid cell", "网格编号", "单元网格编号"),
    _f("street", "text", "街镇", "street", "所属街镇", "街道", "borough"),
)

CALLBACK_FIELDS: tuple[Field, ...] = (
    _f("callback_id", "text", "回访编号", "callback id", "回访记录号"),
    _f("case_id", "text", "工单号", "case id", "案卷号", "工单编号", "关联工单", required=True),
    _f("attempted_at", "datetime", "回访时间", "attempted at", "回访日期", required=True),
    _f("method", "text", "回访方式", "method"),
    _f("reached", "bool", "是否接通", "reached", "接通", "回访成功"),
    _f(
        "satisfaction",
        "enum",
        "满意度",
        "satisfaction",
        "满意程度",
        "评价结果",
        "市民评价",
        choices=SATISFACTION,
    ),
    _f("resolved", "enum", "解决情况", "resolved", "是否解决", choices=("已解决", "未解决")),
)

PATROL_FIELDS: tuple[Field, ...] = (
    _f("patrol_id", "text", "巡查编号", "patrol id", "巡查记录号", "记录编号"),
    _f("inspector_id", "text", "监督员", "inspector id", "监督员编号", "巡查人", "巡查员", "网格员"),
    _f(
        "grid_cell_id", "text", "单元网格", "grid cell", "网格编号", "单元网格编号", "巡查网格", required=True
    ),
    _f(
        "started_at",
        "datetime",
        "巡查开始时间",
        "started at",
        "巡查时间",
        "开始时间",
        "巡查日期",
        required=True,
    ),
    _f("ended_at", "datetime", "巡查结束时间", "ended at", "结束时间"),
    _f("street", "text", "街镇", "street", "所属街镇", "街道"),
)

CELL_FIELDS: tuple[Field, ...] = (
    _f("cell_id", "text", "单元网格", "cell id", "网格编号", "单元网格编号", "网格代码", required=True),
    _f("duty_grid_id", "text", "责任网格", "duty grid", "责任网格编号"),
    _f("street", "text", "街镇", "street", "所属街镇", "街道"),
    _f("in_scope", "bool", "纳入考核", "in scope", "是否纳入考核", "是否巡查", "纳入巡查"),
)

FIELDS: dict[RecordKind, tuple[Field, ...]] = {
    "case": CASE_FIELDS,
    "callback": CALLBACK_FIELDS,
    "patrol": PATROL_FIELDS,
    "cell": CELL_FIELDS,
}
# Each kind's record id: re-importing a row with the same id updates it.
ID_FIELDS: dict[RecordKind, str] = {
    "case": "case_id",
    "callback": "callback_id",
    "patrol": "patrol_id",
    "cell": "cell_id",
}

# Columns the engine derives for each case from its call-backs (the latest reached one decides
# 满意度, as the reference formula "latest callback per case" says).
DERIVED_FIELDS: tuple[Field, ...] = (
    Field("first_callback_at", "datetime", "首次回访时间", "first call-back at"),
    Field("first_reached_callback_at", "datetime", "首次接通回访时间", "first reached call-back at"),
    Field("latest_callback_at", "datetime", "最近回访时间", "latest call-back at"),
    Field(
        "satisfaction",
        "enum",
        "满意度（最近一次回访）",
        "satisfaction (latest call-back)",
        choices=SATISFACTION,
    ),
    Field(
        "resolved",
        "enum",
        "解决情况（最近一次回访）",
        "resolved (latest call-back)",
        choices=("已解决", "未解决"),
    ),
)
