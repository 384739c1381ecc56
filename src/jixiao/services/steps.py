"""Recording a workflow step, the same way for every kind of record.

Each workflow (declarations, target adjustments, self-evaluations and monitoring reports,
department forms) moves its record with a compare-and-set on the state it was read in, then keeps
the step (who, in which role, from which state to which, why, and the grade where the workflow
grades) and, for records with a history, one history row naming the step.
"""

from __future__ import annotations

from typing import Any

from jixiao.db.accounts.models import Role
from jixiao.db.common import GradedStep, WorkflowStep
from jixiao.domain.errors import ConflictError
from jixiao.domain.workflow import Decision

__all__ = ["move", "note_in_history", "record_step", "role_of"]


def role_of(user: Any) -> str:
    """Return the role a step is recorded under (an administrator's whatever their role field says)."""
    return Role.ADMIN if user.is_admin_role else str(user.role)


def record_step(steps: type[WorkflowStep], decision: Decision, user: Any, action: str, **owner: Any) -> None:
    """Store the step ``decision`` took as a row of ``steps``, owned by ``owner`` (its record)."""
    fields: dict[str, Any] = {
        "action": action,
        "from_status": decision.from_state,
        "to_status": decision.to_state,
        "comment": decision.comment,
        "actor": user,
        "actor_role": role_of(user),
        **owner,
    }
    if issubclass(steps, GradedStep):
        fields["grade"] = decision.grade
    steps._default_manager.create(**fields)


def note_in_history(record: Any, user: Any, label: str, comment: str) -> None:
    """Save ``record`` once more so that its history shows who took the step ``label`` and why."""
    record._history_user = user
    record._change_reason = f"{label}：{comment}" if comment else label
    record.save(update_fields=["updated"])


def move(
    record: Any,
    decision: Decision,
    user: Any,
    steps: type[WorkflowStep],
    updates: dict[str, Any],
    **owner: Any,
) -> None:
    """Take the step: move ``record`` to the decision's state with ``updates``, record the step, re-read it.

    The state is set only if the record is still in the state it was read in, so that of two
    people taking a step at once one does and the other gets a ConflictError (nothing changed).
    """
    moved = type(record).objects.filter(pk=record.pk, status=record.status)
    if not moved.update(status=decision.to_state, **updates):
        raise ConflictError(0)
    record_step(steps, decision, user, decision.step.key, **owner)
    record.refresh_from_db()
