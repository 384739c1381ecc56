"""The migrations make the tables the models declare, and their shared history tables are those
django-simple-history makes.

The migrations build each history table from its record's field list (jixiao.db.migration_fields)
instead of the copy makemigrations wrote; these tests hold both to what Django and simple-history
derive from the models themselves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.migrations.state import ModelState
from django.utils import translation

from jixiao.db import migration_fields


def _history_models() -> list[type[models.Model]]:
    """Return the apps' history models (simple-history marks them with their left-out fields)."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("jixiao.") and hasattr(model, "_history_excluded_fields")
    ]


def _columns(fields: Any) -> dict[str, tuple[str, list[Any], dict[str, Any]]]:
    """Return each field's class path and arguments by name (what a migration writes of it)."""
    return {name: field.deconstruct()[1:] for name, field in fields}


@pytest.mark.django_db
def test_the_migrations_leave_no_model_change_unmigrated() -> None:
    """What `makemigrations --check` says (it exits 1 if the migrations' state is not the models')."""
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def test_the_helper_imports_without_the_settings() -> None:
    """The migrations import it: a fresh interpreter without settings imports it and configures
    nothing (no settings read, no app loaded)."""
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import django.apps, django.conf, jixiao.db.migration_fields; "
        "assert not django.conf.settings.configured; assert not django.apps.apps.ready"
    )
    subprocess.run([sys.executable, "-c", code], env=environment, check=True)


def test_every_history_model_is_checked() -> None:
    names = {model.__name__ for model in _history_models()}
    assert {"HistoricalDeclaration", "HistoricalUser", "HistoricalExAnteSheet"} <= names


@pytest.mark.parametrize("history", _history_models(), ids=lambda model: model.__name__)
def test_historical_makes_the_history_table_simple_history_makes(history: Any) -> None:
    record = history.instance_type
    fields = [(f.name, f.clone()) for f in (*record._meta.local_fields, *record._meta.local_many_to_many)]
    with translation.override(None):  # the labels as written in the models, not translated
        operation = migration_fields.historical(
            record.__name__,
            fields,
            str(record._meta.verbose_name),
            exclude=history._history_excluded_fields,
        )
        expected = ModelState.from_model(history)
        assert _columns(operation.fields) == _columns(expected.fields.items())
        for option in ("verbose_name", "verbose_name_plural", "ordering", "get_latest_by"):
            assert operation.options[option] == expected.options[option], option
    assert operation.bases == expected.bases
    # simple-history's order: the record's columns, its own, then the foreign keys by name.
    names = [name for name, _ in operation.fields]
    keys = [name for name, field in operation.fields if isinstance(field, models.ForeignKey)]
    assert names[-len(keys) :] == sorted(keys)
    assert names.index("history_id") == len(names) - len(keys) - 4


def test_historical_copies_a_column_as_simple_history_does() -> None:
    operation = migration_fields.historical(
        "Sheet",
        [
            ("id", migration_fields.auto_id()),
            ("code", models.CharField(max_length=10, unique=True)),
            ("created", models.DateTimeField(auto_now_add=True)),
            ("updated", models.DateTimeField(auto_now=True)),
            ("tags", models.ManyToManyField(to="auth.group")),
            ("declaration", migration_fields.declaration_fk("sheet", one_to_one=True)),
        ],
        "表",
    )
    columns = _columns(operation.fields)
    assert list(columns) == [
        "id",
        "code",
        "created",
        "history_id",
        "history_date",
        "history_change_reason",
        "history_type",
        "declaration",
        "history_user",
    ]
    assert columns["id"] == (
        "django.db.models.BigIntegerField",
        [],
        {"auto_created": True, "blank": True, "db_index": True, "verbose_name": "ID"},
    )
    assert columns["code"][2] == {"max_length": 10, "db_index": True}
    assert columns["created"][2] == {"blank": True, "editable": False}
    path, _, declaration = columns["declaration"]
    assert path == "django.db.models.ForeignKey"
    assert declaration["db_constraint"] is False
    assert declaration["on_delete"] is models.DO_NOTHING
    assert declaration["related_name"] == "+"
    assert operation.name == "HistoricalSheet"
    assert operation.options["verbose_name"] == "historical 表"
