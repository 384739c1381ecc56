"""The 事前绩效评估 sheet of a declaration: every item's grade and note, the computed total and
conclusion (``jixiao.evaluation.exante`` computes them; they are stored for lists and exports)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jixiao.db.common import Edited
from jixiao.db.declarations.models import Declaration


class ExAnteSheet(Edited):
    """One declaration's ex-ante assessment: ``ratings`` maps an item key to {rating, note}."""

    declaration = models.OneToOneField(Declaration, on_delete=models.CASCADE, related_name="exante")
    ratings = models.JSONField(_("各项评价"), default=dict)
    opinion = models.TextField(_("评估意见"), blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, default=0)
    conclusion = models.CharField(_("评估结论"), max_length=40, blank=True)
    complete = models.BooleanField(_("已完成"), default=False)
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        verbose_name = _("事前绩效评估表")
        verbose_name_plural = _("事前绩效评估表")

    def __str__(self) -> str:
        return f"{self.declaration} · 事前绩效评估 {self.total}"
