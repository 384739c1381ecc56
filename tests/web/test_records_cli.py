"""``jixiao data import`` and ``jixiao data bind`` against the application's database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from jixiao.cli import main

ORDERS = """工单编号,来源,受理时间,办结时间
W1,热线,2022-06-01 09:00,2022-06-02 10:00
W2,热线,2022-06-01 09:00,2022-06-02 10:00
W3,热线,2022-06-01 09:00,
"""


@pytest.fixture(autouse=True)
def records_dir(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIXIAO_RECORDS_DIR", str(tmp_path / "records"))


@pytest.mark.django_db
def test_import_into_the_database_then_bind(tmp_path: Path, make_declaration: Any, orgs: Any) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["data", "import", str(orders), "--org", orgs["unit_a"].name])
    assert result.exit_code == 0 and "3 行（新增 3，更新 0）" in result.output
    again = runner.invoke(main, ["data", "import", str(orders), "--org", orgs["unit_a"].name])
    assert "3 行（新增 0，更新 3）" in again.output  # updated by id, never duplicated
    obj = make_declaration("unit_a", status="approved", year=2022)
    listed = json.loads(runner.invoke(main, ["data", "bind", str(obj.pk)]).output)
    assert [r["binding"]["metric"] if r["binding"] else None for r in listed] == [
        None,
        "within",
        "satisfaction",
    ]
    saved = runner.invoke(
        main,
        [
            "data",
            "bind",
            str(obj.pk),
            "--indicator",
            "2",
            "--set",
            json.dumps({"metric": "satisfaction", "period": "latest_callback_at", "good": ["满意"]}),
        ],
    )
    assert saved.exit_code == 0 and json.loads(saved.output)[0]["saved"] is True
    bad = runner.invoke(main, ["data", "bind", str(obj.pk), "--indicator", "2", "--set", '{"metric": "x"}'])
    assert bad.exit_code == 2 and "[JX-E810]" in bad.output
