"""Abstract models that the apps' records share: who saved a record last, and one workflow step.

Every record a user edits keeps who saved it last and when (its history keeps the earlier saves),
and every workflow (declarations, adjustments, reports, department forms) records its steps with
the same columns; each app's concrete model adds what the step belongs to.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

__all__ = ["Edited", "GradedStep", "WorkflowStep", "by_user", "status_field", "step_of"]


def by_user() -> models.ForeignKey[Any, Any]:
    """Return the column naming the user who created, published or last saved a record; the record
    outlives the account (the column is emptied, the history keeps the name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Edited(models.Model):
    """Who saved the record last, and when."""

    updated_by = by_user()
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def status_field(choices: Any = None) -> models.CharField[str, str]:
    """Return the column of a state a step moved from or to, with the workflow's states if given."""
    return models.CharField(max_length=20, choices=choices)


def step_of(record: type[models.Model]) -> models.ForeignKey[Any, Any]:
    """Return the column naming the record a step belongs to, in a step table that several kinds of
    record share: null for the steps of the other kinds (a check constraint keeps exactly one set)."""
    return models.ForeignKey(
        record, null=True, blank=True, on_delete=models.CASCADE, related_name="transitions"
    )


class WorkflowStep(models.Model):
    """One workflow step: who moved a record from which state to which, when and why."""

    action = models.CharField(max_length=30)
    from_status = status_field()
    to_status = status_field()
    comment = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class GradedStep(WorkflowStep):
    """A step of a workflow whose reviews give a grade (优/良/中/差; blank for the other steps)."""

    grade = models.CharField(max_length=2, blank=True)

    class Meta(WorkflowStep.Meta):
        abstract = True
