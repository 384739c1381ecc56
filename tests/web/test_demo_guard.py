"""`jixiao demo` on a database with real data writes nothing made up into it."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

import jixiao.cli.web as web_cli
from jixiao.db.accounts.models import Organisation, User
from jixiao.db.declarations.models import Declaration
from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Organisation.objects.count(),
        Declaration.objects.count(),
        SelfEvaluationRecord.objects.count(),
        MonitoringRecord.objects.count(),
    )


def test_the_demo_refuses_a_database_with_real_data(
    make_declaration: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_declaration("unit_a", status="approved")
    served: list[bool] = []
    monkeypatch.setattr(web_cli, "_serve", lambda *a: served.append(True))
    before = _counts()
    result = CliRunner().invoke(web_cli.demo_command, [])
    assert result.exit_code == 2
    assert "JX-E791" in result.output and "jixiao serve" in result.output
    assert _counts() == before and not served
    assert not User.objects.filter(username="filler").exists()


def test_the_demo_loads_into_an_empty_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_cli, "_serve", lambda *a: None)
    assert CliRunner().invoke(web_cli.demo_command, []).exit_code == 0
    assert Declaration.objects.count() >= 7 and MonitoringRecord.objects.exists()
    # Started again on its own data, it adds nothing.
    before = _counts()
    assert CliRunner().invoke(web_cli.demo_command, []).exit_code == 0
    assert _counts() == before
