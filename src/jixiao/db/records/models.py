"""Operational records (grid cases, 12345 work orders, call-backs) and what the indicators make of them.

The records are the unit's own, imported from its systems' exports; a case is identified by its
export id within the organisation, so re-importing an overlapping export updates, never duplicates.
Timestamps are stored aware (Asia/Shanghai, the unit's clock). The heavy aggregations run in
DuckDB over a Parquet snapshot of these tables (``jixiao.services.records``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import Declaration


class RecordKind(models.TextChoices):
    CASE = "case", _("案件/工单")
    CALLBACK = "callback", _("回访记录")
    PATROL = "patrol", _("巡查记录")
    CELL = "cell", _("单元网格清单")


class RecordSource(models.Model):
    """One export of a unit's system (e.g. 12345 热线工单导出) and its saved column mapping."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="record_sources")
    name = models.CharField(_("数据来源名称"), max_length=100)
    kind = models.CharField(_("记录类型"), max_length=10, choices=RecordKind.choices, default=RecordKind.CASE)
    source = models.CharField(_("来源系统"), max_length=10, blank=True)  # grid | hotline | '' (a column says)
    mapping = models.JSONField(_("列对应关系"), default=dict, blank=True)  # header → field
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("数据来源")
        verbose_name_plural = _("数据来源")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_source_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class RecordImport(models.Model):
    """One imported file: how many rows, how many were new, who and when (an audit line)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="record_imports")
    source = models.ForeignKey(RecordSource, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("记录类型"), max_length=10, choices=RecordKind.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    rows = models.IntegerField(_("行数"), default=0)
    created_count = models.IntegerField(_("新增"), default=0)
    updated_count = models.IntegerField(_("更新"), default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")
        ordering = ["-created", "-id"]


class CaseRecord(models.Model):
    """One 案件 (grid) or 工单 (hotline); fields of :mod:`jixiao.records.schema`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="case_records")
    case_id = models.CharField(_("案卷号/工单号"), max_length=64)
    source = models.CharField(_("来源系统"), max_length=10, db_index=True)
    channel = models.CharField(max_length=50, blank=True, null=True)
    reporter_role = models.CharField(max_length=50, blank=True, null=True)
    reporter_id = models.CharField(max_length=64, blank=True, null=True)
    dispatcher_id = models.CharField(max_length=64, blank=True, null=True)
    service_code = models.CharField(max_length=64, blank=True, null=True)
    service_name = models.CharField(max_length=100, blank=True, null=True)
    priority = models.CharField(max_length=20, blank=True, null=True)
    ownerless = models.BooleanField(null=True)
    needs_dispatch = models.BooleanField(null=True)
    callback_required = models.BooleanField(null=True)
    reported_at = models.DateTimeField(null=True)
    accepted_at = models.DateTimeField(null=True)
    dispatched_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True)
    disposed_at = models.DateTimeField(null=True)
    closed_at = models.DateTimeField(null=True)
    status = models.CharField(max_length=30, blank=True, null=True)
    stage = models.CharField(max_length=30, blank=True, null=True)
    agency_responsible = models.CharField(max_length=100, blank=True, null=True)
    return_reason = models.CharField(max_length=100, blank=True, null=True)
    rework_count = models.IntegerField(null=True)
    grid_cell_id = models.CharField(max_length=64, blank=True, null=True)
    street = models.CharField(max_length=100, blank=True, null=True)

    class Meta:
        verbose_name = _("案件/工单")
        verbose_name_plural = _("案件/工单")
        constraints = [models.UniqueConstraint(fields=["organisation", "case_id"], name="one_case_per_id")]


class CallbackRecord(models.Model):
    """One call-back attempt (回访) of a case."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="callback_records")
    callback_id = models.CharField(_("回访编号"), max_length=100)
    case_id = models.CharField(_("工单号"), max_length=64, db_index=True)
    attempted_at = models.DateTimeField(null=True)
    method = models.CharField(max_length=30, blank=True, null=True)
    reached = models.BooleanField(null=True)
    satisfaction = models.CharField(max_length=10, blank=True, null=True)
    resolved = models.CharField(max_length=10, blank=True, null=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "callback_id"], name="one_callback_per_id")
        ]


class PatrolRecord(models.Model):
    """One inspector's patrol of one 单元网格 (巡查记录)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="patrol_records")
    patrol_id = models.CharField(_("巡查编号"), max_length=200)
    inspector_id = models.CharField(max_length=64, blank=True, null=True)
    grid_cell_id = models.CharField(_("单元网格"), max_length=64)
    started_at = models.DateTimeField(null=True)
    ended_at = models.DateTimeField(null=True)
    street = models.CharField(max_length=100, blank=True, null=True)

    class Meta:
        verbose_name = _("巡查记录")
        verbose_name_plural = _("巡查记录")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "patrol_id"], name="one_patrol_per_id")
        ]


class GridCellRecord(models.Model):
    """One 单元网格 of the unit's register; ``in_scope``: counted by 网格巡查区域全覆盖."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grid_cells")
    cell_id = models.CharField(_("单元网格"), max_length=64)
    duty_grid_id = models.CharField(max_length=64, blank=True, null=True)
    street = models.CharField(max_length=100, blank=True, null=True)
    in_scope = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("单元网格")
        verbose_name_plural = _("单元网格")
        constraints = [models.UniqueConstraint(fields=["organisation", "cell_id"], name="one_cell_per_id")]


class IndicatorBinding(models.Model):
    """How one indicator of a declaration is computed from the records (a validated definition)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="bindings")
    indicator_index = models.PositiveSmallIntegerField(_("指标序号"))
    indicator_name = models.CharField(_("三级指标"), max_length=300)
    definition = models.JSONField(_("取数规则"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("指标取数规则")
        verbose_name_plural = _("指标取数规则")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "indicator_index"], name="one_binding_per_indicator"
            )
        ]


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("采用计算值")
    OVERRIDDEN = "overridden", _("人工改值")


class ActualDecision(models.Model):
    """A user's answer to a computed actual: accepted, or overridden with a reason. Both the
    computed value (with its numerator, denominator and period) and the chosen one are kept;
    a later decision adds a row, never rewrites one."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="actual_decisions")
    indicator_index = models.PositiveSmallIntegerField(_("指标序号"))
    indicator_name = models.CharField(_("三级指标"), max_length=300)
    month = models.PositiveSmallIntegerField(_("截止月份"))  # 12 = the year-end self-evaluation
    computed = models.CharField(_("计算值"), max_length=50)
    numerator = models.BigIntegerField(_("分子"), null=True)
    denominator = models.BigIntegerField(_("分母"), null=True)
    period = models.CharField(_("期间"), max_length=50)
    definition = models.JSONField(_("取数规则"))
    decision = models.CharField(_("处理"), max_length=12, choices=Decision.choices)
    value = models.CharField(_("采用值"), max_length=50)
    reason = models.TextField(_("改值理由"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("实际值确认")
        verbose_name_plural = _("实际值确认")
        ordering = ["-created", "-id"]
