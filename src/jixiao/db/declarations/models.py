"""Declarations stored relationally enough to filter and search, canonical JSON for exchange.

``Declaration.document`` holds the canonical JSON (``jixiao.formats.json.to_dict``); the header
columns and the :class:`Indicator` rows are derived from it on every save (services.declarations),
so filters, search and the indicator library never parse JSON.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections, models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jixiao.db.accounts.models import Organisation
from jixiao.db.common import GradedStep, by_user, status_field
from jixiao.domain import vocabulary


class Status(models.TextChoices):
    """Workflow states (DESIGN.md "Lifecycle and people"; domain-rules.md §3.2)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交单位负责人")
    DEPT_REVIEW = "dept_review", _("主管部门审核中")
    FINANCE_REVIEW = "finance_review", _("财政审核中")
    APPROVED = "approved", _("已批复")
    RETURNED = "returned", _("退回修改")
    REJECTED = "rejected", _("不予通过")
    PUBLISHED = "published", _("已公开")


def _grade_word(grade: str) -> str:
    """The grade's word in the active language, from the core's catalogue (Good for 良)."""
    return vocabulary.grade_label(grade, translation.get_language() or "zh")


_grade = lazy(_grade_word, str)


class Grade(models.TextChoices):
    """Review grades of 财预〔2015〕88号 (domain-rules.md §3.2)."""

    EXCELLENT = vocabulary.EXCELLENT, _grade(vocabulary.EXCELLENT)
    GOOD = vocabulary.GOOD, _grade(vocabulary.GOOD)
    FAIR = vocabulary.FAIR, _grade(vocabulary.FAIR)
    POOR = vocabulary.POOR, _grade(vocabulary.POOR)


class StoredJSONField(models.JSONField):
    """A JSON column only ever read and written whole: PostgreSQL's ``json`` (checked text), not ``jsonb``.

    ``jsonb`` parses every value into its binary form on the way in, which only pays for queries
    into the value; nothing queries a declaration's findings (the page, the API and the exports read
    the list whole, the counts have their own column), and their ~10,000 characters a declaration
    were the largest part of the database's work in a bulk load. The values Django reads back are
    the same; SQLite stores JSON as text either way.
    """

    def db_type(self, connection: Any) -> str | None:
        """Return ``json`` on PostgreSQL, the JSON column type elsewhere."""
        return "json" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        """Return the value as Django's JSONField does; psycopg hands ``json`` over already parsed."""
        if value is not None and not isinstance(value, str):
            return value
        return super().from_db_value(value, expression, connection)


class Declaration(models.Model):
    """One 财政项目支出绩效目标申报表 in the system, with its workflow state."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("实施单位（组织）"),
        on_delete=models.PROTECT,
        related_name="declarations",
    )
    year = models.IntegerField(_("年度"), null=True, db_index=True)
    project_name = models.CharField(_("项目名称"), max_length=300, db_index=True)
    category = models.CharField(_("项目类别"), max_length=100, blank=True)
    implementing_unit = models.CharField(_("实施单位"), max_length=300, blank=True)
    annual_amount = models.DecimalField(
        _("年度资金申请总额（元）"), max_digits=18, decimal_places=2, null=True
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    grade = models.CharField(_("审核等级"), max_length=2, choices=Grade.choices, blank=True, db_index=True)
    document = models.JSONField(_("规范 JSON"))
    # Goals and indicator names folded into one column for the list search (LIKE / icontains).
    search_text = models.TextField(blank=True, editable=False)
    findings = StoredJSONField(_("审核发现"), default=list, blank=True)
    findings_count = models.IntegerField(default=0)
    review_grade = models.CharField(_("机审等级"), max_length=2, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = by_user()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "findings", "updated"])

    class Meta:
        verbose_name = _("绩效目标申报表")
        verbose_name_plural = _("绩效目标申报表")
        ordering = ["-year", "project_name", "id"]
        indexes = [
            # covers the dashboard's grouped count (status × grade × year) within a scope
            models.Index(fields=["organisation", "year", "status", "grade"], name="declaration_scope_counts"),
            # "findings to address": drafts and returned declarations with the most findings first
            models.Index(fields=["status", "-findings_count"], name="declaration_to_fix"),
            # the list's order, so that a page is read from the index rather than sorted
            models.Index(fields=["-year", "project_name", "id"], name="declaration_list_order"),
        ]

    def __str__(self) -> str:
        return f"{self.year or ''} {self.project_name}"


class Indicator(models.Model):
    """One 三级指标 row of a declaration, mirrored from its document for search and the library."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="indicator_rows")
    position = models.PositiveIntegerField()
    level1 = models.CharField(max_length=50)
    level2 = models.CharField(max_length=50)
    name = models.CharField(max_length=300, db_index=True)
    target_text = models.CharField(max_length=300)
    target_kind = models.CharField(max_length=20)

    class Meta:
        ordering = ["declaration", "position"]


class DeclarationTally(models.Model):
    """How many declarations a unit has per year, status and grade, kept current by the database.

    Triggers on the declarations table (migration 0007, on SQLite and PostgreSQL) keep these rows
    right on every write path, bulk loads, updates by the batch and the admin included, so that the
    dashboard's charts and the list's counts read a few hundred rows instead of counting every
    declaration on every page. ``year`` 0 stands for a declaration without a year; a row whose
    count fell to 0 stays (it costs nothing and saves a delete racing an insert).
    """

    # No foreign key constraint: the rows are the triggers' to write, never Django's.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    year = models.IntegerField()
    status = models.CharField(max_length=20)
    grade = models.CharField(max_length=2)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "status", "grade"], name="declaration_tally_key"
            )
        ]


class DataVersion(models.Model):
    """A token that changes with every committed write to the declarations, the organisations, the
    self-evaluations or the monitoring reports.

    Triggers in the database (migrations declarations/0011, evaluation/0004) replace ``token`` with
    a new random value in every transaction that inserts, updates or deletes a row of them, bulk loads and
    raw SQL included, so a page computed from those tables may be kept under the token it was
    computed at (jixiao.web.page_cache) and is never served once they change. Random, not a
    counter: a database restored from a backup or created again never meets a page kept before.
    On PostgreSQL the token is replaced at commit (a deferred trigger): the row is locked for that
    instant only, never for the length of a long import, and a reader sees the new token exactly
    when it sees the new rows.
    """

    # One row, ``id`` 1; the triggers create it again when it is missing.
    token = models.CharField(max_length=40)

    @classmethod
    def current(cls, using: str = "default") -> str | None:
        """Return the current token, or None when there is none (a table emptied by TRUNCATE)."""
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT token FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else None


class LibraryIndicator(models.Model):
    """An entry of the indicator library (指标库): curated by admins, suggested in the editor."""

    level1 = models.CharField(_("一级指标"), max_length=50)
    level2 = models.CharField(_("二级指标"), max_length=50)
    name = models.CharField(_("三级指标"), max_length=300)
    example_target = models.CharField(_("示例目标值"), max_length=300, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("指标库条目")
        verbose_name_plural = _("指标库")
        unique_together = [("level1", "level2", "name")]
        ordering = ["level1", "level2", "name"]

    def __str__(self) -> str:
        return f"{self.level2} · {self.name}"


class DeclarationStep(GradedStep):
    """A step of the declarations' workflow, a declaration's own or one of its target adjustments'."""

    from_status = status_field(Status.choices)
    to_status = status_field(Status.choices)

    class Meta(GradedStep.Meta):
        abstract = True


class Transition(DeclarationStep):
    """One workflow step: who moved the declaration from which state to which, when and why."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="transitions")


class PendingImport(models.Model):
    """An uploaded file parsed and waiting for the user's confirmation (import preview)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    documents = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)


class TargetAdjustment(models.Model):
    """A mid-year 绩效目标调整 of an approved declaration (domain-rules.md §3.2, §4).

    ``original`` is the declaration's canonical JSON when the adjustment was proposed and
    ``adjusted`` the proposal; on approval ``adjusted`` becomes the declaration's document, and both
    versions stay here with the date (``approved_on``) and the reason.
    """

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="adjustments")
    # The declaration's unit, for the workflow's scope checks (the same as the declaration's).
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    grade = models.CharField(_("审核等级"), max_length=2, choices=Grade.choices, blank=True)
    reason = models.TextField(_("调整原因"))
    original = models.JSONField(_("调整前（规范 JSON）"))
    adjusted = models.JSONField(_("调整后（规范 JSON）"))
    approved_on = models.DateField(_("调整日期（批复）"), null=True, blank=True)
    created_by = by_user()
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        verbose_name = _("绩效目标调整")
        verbose_name_plural = _("绩效目标调整")
        ordering = ["declaration", "created", "id"]

    def __str__(self) -> str:
        return f"{self.declaration} · 调整 {self.approved_on or self.get_status_display()}"


class AdjustmentTransition(DeclarationStep):
    """One workflow step of a target adjustment: who, when, from which state to which, why."""

    adjustment = models.ForeignKey(TargetAdjustment, on_delete=models.CASCADE, related_name="transitions")
