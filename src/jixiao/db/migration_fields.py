"""Field definitions that the apps' migrations share, and the history tables derived from them.

Every editable record has a history table (django-simple-history): the record's own columns, its
unique columns only indexed, its dates of creation no longer set by the database, its foreign keys
without a constraint, then the history's bookkeeping columns. The migrations build that table from
the record's field list here instead of writing every column twice, and the columns that several
apps' tables share (the key, the workflow's states and grades, a workflow step) are written once.

What these functions return is frozen: deployed databases have applied the migrations that call
them, so a model change is a new migration with fields of its own, never an edit here. Only Django's
migration framework is imported (no model), so a migration can be loaded without the apps' models.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from django.conf import settings
from django.db import migrations, models

__all__ = [
    "DECLARATION_STATES",
    "GRADES",
    "REPORT_STATES",
    "Fields",
    "auto_id",
    "declaration_fk",
    "grade",
    "historical",
    "organisation_fk",
    "status",
    "step_of",
    "step_table",
    "user_fk",
]

# A string: Django's field classes take type arguments only once django-stubs-ext patched them
# (the settings do), and the migrations import this module before the settings need to have run.
Fields: TypeAlias = "list[tuple[str, models.Field[Any, Any]]]"

# A declaration's, an adjustment's and a department declaration's workflow states (declarations
# app's Status as it stood when those tables were created).
DECLARATION_STATES = [
    ("draft", "草稿"),
    ("submitted", "已提交单位负责人"),
    ("dept_review", "主管部门审核中"),
    ("finance_review", "财政审核中"),
    ("approved", "已批复"),
    ("returned", "退回修改"),
    ("rejected", "不予通过"),
    ("published", "已公开"),
]

# A report's (self-evaluation, monitoring, department self-evaluation) workflow states.
REPORT_STATES = [
    ("draft", "填报中"),
    ("submitted", "单位审核中"),
    ("dept_review", "主管部门审核中"),
    ("finance_review", "财政审核中"),
    ("approved", "审核通过"),
    ("returned", "退回修改"),
    ("published", "已公开"),
]

# The reviewer's grade of a declaration.
GRADES = [("优", "优"), ("良", "良"), ("中", "中"), ("差", "差")]


def auto_id() -> models.BigAutoField[Any, Any]:
    """Return the primary key Django adds to every model (DEFAULT_AUTO_FIELD)."""
    return models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")


def user_fk(*, blank: bool = True, related_name: str | None = "+") -> models.ForeignKey[Any, Any]:
    """Return a column naming a user that is emptied when the account goes; ``related_name`` None
    leaves Django's default reverse name."""
    extra: dict[str, Any] = {"blank": True} if blank else {}
    if related_name is not None:
        extra["related_name"] = related_name
    return models.ForeignKey(
        null=True, on_delete=models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, **extra
    )


def organisation_fk(
    related_name: str, *, on_delete: Any = models.deletion.PROTECT, **extra: Any
) -> models.ForeignKey[Any, Any]:
    """Return the column naming the organisation a record belongs to; by default the organisation
    cannot be deleted while it has such records (``extra``: e.g. a label)."""
    return models.ForeignKey(
        on_delete=on_delete, related_name=related_name, to="accounts.organisation", **extra
    )


def declaration_fk(related_name: str, *, one_to_one: bool = False) -> models.ForeignKey[Any, Any]:
    """Return the column naming the declaration a record belongs to (at most one such record a
    declaration if ``one_to_one``); the record goes with its declaration."""
    kind = models.OneToOneField if one_to_one else models.ForeignKey
    return kind(on_delete=models.deletion.CASCADE, related_name=related_name, to="declarations.declaration")


def status(choices: Sequence[tuple[str, str]]) -> models.CharField[Any, Any]:
    """Return a record's indexed workflow state, a draft at first."""
    return models.CharField(
        choices=list(choices), db_index=True, default="draft", max_length=20, verbose_name="状态"
    )


def grade(**extra: Any) -> models.CharField[Any, Any]:
    """Return the reviewer's grade of a record, empty until graded (``extra``: e.g. an index)."""
    return models.CharField(blank=True, choices=GRADES, max_length=2, verbose_name="审核等级", **extra)


def step_table(
    name: str,
    choices: Sequence[tuple[str, str]] | None,
    *,
    graded: bool,
    record: Fields,
    constraints: Sequence[models.BaseConstraint] = (),
) -> migrations.CreateModel:
    """Return the operation creating a workflow step table: who moved a record from which state to
    which (of ``choices``, if given), when and why, with the grade given if ``graded``, then the
    ``record`` columns naming what the step belongs to; the steps in the order they were taken."""
    states: dict[str, Any] = {"choices": list(choices)} if choices is not None else {}
    fields: Fields = [
        ("id", auto_id()),
        ("action", models.CharField(max_length=30)),
        ("from_status", models.CharField(max_length=20, **states)),
        ("to_status", models.CharField(max_length=20, **states)),
    ]
    if graded:
        fields.append(("grade", models.CharField(blank=True, max_length=2)))
    fields += [
        ("comment", models.TextField(blank=True)),
        ("actor_role", models.CharField(blank=True, max_length=20)),
        ("at", models.DateTimeField(auto_now_add=True)),
        ("actor", user_fk(blank=False)),
    ]
    options: dict[str, Any] = {"ordering": ["at", "id"]}
    if constraints:
        options["constraints"] = list(constraints)
    return migrations.CreateModel(name=name, fields=fields + record, options=options)


def step_of(to: str) -> models.ForeignKey[Any, Any]:
    """Return the column naming the record ``to`` a step belongs to, in a step table that several
    kinds of record share: null for the steps of the other kinds."""
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=models.deletion.CASCADE,
        related_name="transitions",
        to=to,
    )


def _history_columns() -> Fields:
    """Return simple-history's own columns of a history table, but the user who made the change
    (a foreign key: simple-history orders it among the table's foreign keys)."""
    return [
        ("history_id", models.AutoField(primary_key=True, serialize=False)),
        ("history_date", models.DateTimeField(db_index=True)),
        ("history_change_reason", models.CharField(max_length=100, null=True)),
        (
            "history_type",
            models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
        ),
    ]


def _historical_field(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    """Return the history table's copy of a record's column, as simple-history makes it."""
    _, _, args, kwargs = field.deconstruct()
    if isinstance(field, models.BigAutoField):
        return models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")
    if isinstance(field, models.ForeignKey):
        # A history row outlives the row it points to: no constraint, no cascade, no reverse name
        # (a one-to-one key becomes a plain key: a record has many history rows).
        named = {"verbose_name": kwargs["verbose_name"]} if "verbose_name" in kwargs else {}
        return models.ForeignKey(
            blank=True,
            db_constraint=False,
            null=True,
            on_delete=models.deletion.DO_NOTHING,
            related_name="+",
            to=kwargs["to"],
            **named,
        )
    if kwargs.pop("unique", False):
        kwargs["db_index"] = True
    if kwargs.pop("auto_now_add", False) | kwargs.pop("auto_now", False):
        kwargs.update(blank=True, editable=False)
    return type(field)(*args, **kwargs)


def historical(
    name: str,
    fields: Iterable[tuple[str, models.Field[Any, Any]]],
    verbose_name: str,
    *,
    exclude: Iterable[str] = ("updated",),
) -> migrations.CreateModel:
    """Return the operation creating the history table of the model ``name`` whose columns are
    ``fields`` (the model's history leaves out ``exclude`` and the many-to-many fields): the
    record's columns, simple-history's, then the foreign keys in alphabetical order."""
    left_out = set(exclude)
    own: Fields = []
    keys: Fields = [("history_user", user_fk(blank=False))]
    for field_name, field in fields:
        if field_name in left_out or isinstance(field, models.ManyToManyField):
            continue
        copy = (field_name, _historical_field(field))
        (keys if isinstance(field, models.ForeignKey) else own).append(copy)
    return migrations.CreateModel(
        name=f"Historical{name}",
        fields=own + _history_columns() + sorted(keys, key=lambda item: item[0]),
        options={
            "verbose_name": f"historical {verbose_name}",
            "verbose_name_plural": f"historical {verbose_name}",
            "ordering": ("-history_date", "-history_id"),
            "get_latest_by": ("history_date", "history_id"),
        },
        bases=(_historical_changes(), models.Model),
    )


def _historical_changes() -> type:
    """Return simple-history's mixin of the history models (imported on use: it imports the
    contrib apps' models)."""
    from simple_history.models import HistoricalChanges

    mixin: type = HistoricalChanges
    return mixin
