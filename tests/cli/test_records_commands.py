"""``jixiao actuals``, ``jixiao data import`` and ``jixiao data bind``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main

SEED = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "data" / "demo" / "seed-2022-qingpu.txt"
# Work orders of the 热线工单回访测评费 project: W1, W2 closed on 2 June and called back, W1 the
# same day; W3 still open.
ORDERS = """工单编号,来源,受理时间,办结时间
W1,热线,2022-06-01 09:00,2022-06-02 10:00
W2,热线,2022-06-01 09:00,2022-06-02 10:00
W3,热线,2022-06-01 09:00,
"""
CALLBACKS = """工单号,回访时间,满意度
W1,2022-06-02 16:00,满意
W2,2022-06-03 09:00,不满意
"""


def _files(tmp_path: Path) -> tuple[str, str]:
    orders, callbacks = tmp_path / "orders.csv", tmp_path / "callbacks.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    callbacks.write_text(CALLBACKS, encoding="utf-8")
    return str(orders), str(callbacks)


def test_actuals_from_a_form_file_and_record_files(tmp_path: Path) -> None:
    orders, callbacks = _files(tmp_path)
    args = [
        "actuals",
        str(SEED),
        "--cases",
        orders,
        "--callbacks",
        callbacks,
        "--month",
        "7",
        "--format",
        "json",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    rows = {(r["project"], r["indicator"]): r for r in json.loads(result.output)}
    # 工单回访及时性 当天回访: W1 same day, W2 the next day → 1 / 2; 工单办结率: 2 of 3 closed.
    timely = rows[("热线工单回访测评费", "工单回访及时性")]
    assert (timely["numerator"], timely["denominator"], timely["text"]) == (1, 2, "50.00%")
    closed = rows[("热线工单回访测评费", "工单办结率")]
    assert (closed["numerator"], closed["denominator"], closed["light"]) == (2, 3, "red")
    assert "numerator" not in rows[("热线工单回访测评费", "工单处置能力和服务水平")]  # 提升: nothing to count


def test_actuals_text_states_the_projection_method(tmp_path: Path) -> None:
    orders, callbacks = _files(tmp_path)
    result = CliRunner().invoke(main, ["actuals", str(SEED), "--cases", orders, "--callbacks", callbacks])
    assert result.exit_code == 0 and "预测方法" in result.output and "50.00%  1/2" in result.output
    # the records end with W2's call-back on 3 June, before the July cut-off: the output says so
    assert "业务记录截至 2022年6月3日。6月只有前 3/30 天的记录" in result.output
    assert "7月还没有记录，不计入趋势。" in result.output


def test_actuals_json_says_where_the_records_stop(tmp_path: Path) -> None:
    orders, callbacks = _files(tmp_path)
    args = ["actuals", str(SEED), "--cases", orders, "--callbacks", callbacks, "--format", "json"]
    rows = json.loads(CliRunner().invoke(main, args).output)
    covered = [r["coverage"] for r in rows if "numerator" in r]
    assert covered and all(c["through"] == "2022-06-03" and "3 of 30 days" in c["en"] for c in covered)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actuals", "missing.txt"], "[JX-E101] 文件不存在"),
        (["data", "import", "{bad}", "--org", "x", "--dry-run"], "第 4 行，列「受理时间」：不是日期时间"),
        (["data", "import", "{orders}", "--org", "x", "--dry-run", "--map", "nonsense"], "[JX-E802]"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    orders, _ = _files(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text(ORDERS.replace("W3,热线,2022-06-01 09:00,", "W3,热线,yesterday,"), encoding="utf-8")
    args = [a.format(orders=orders, bad=bad) for a in args]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_actuals_of_the_patrol_coverage_from_patrol_and_cell_files(tmp_path: Path) -> None:
    # 网格巡查区域 全覆盖 of the 督查 project: C1 patrolled on 1 and 2 January, C2 on 1 January only;
    # the logs end on 2 January → 1 of 2 cells covered, 50.00 % (全覆盖 asks 100 %: red)
    patrols, cells = tmp_path / "patrols.csv", tmp_path / "cells.csv"
    patrols.write_text(
        "监督员,单元网格,巡查时间\nS1,C1,2022-01-01 09:00\nS1,C1,2022-01-02 09:00\nS1,C2,2022-01-01 10:00\n",
        encoding="utf-8",
    )
    cells.write_text("单元网格,纳入考核\nC1,是\nC2,是\n", encoding="utf-8")
    args = [
        "actuals",
        str(SEED),
        "--patrols",
        str(patrols),
        "--cells",
        str(cells),
        "--month",
        "1",
        "--format",
        "json",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    row = next(r for r in json.loads(result.output) if r["indicator"] == "网格巡查区域")
    assert (row["numerator"], row["denominator"], row["text"], row["light"]) == (1, 2, "50.00%", "red")


def test_data_import_dry_run_of_a_cell_register(tmp_path: Path) -> None:
    cells = tmp_path / "cells.csv"
    cells.write_text("单元网格,街镇,纳入考核\nC1,香花桥,是\nC2,赵巷,否\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["data", "import", str(cells), "--kind", "cell", "--org", "x", "--dry-run"]
    )
    assert result.exit_code == 0 and "2 行有效" in result.output and '"纳入考核": "in_scope"' in result.output
    # a patrol log without its time: the required column is named, exit 2
    result = CliRunner().invoke(
        main, ["data", "import", str(cells), "--kind", "patrol", "--org", "x", "--dry-run"]
    )
    assert result.exit_code == 2 and "必填字段「巡查开始时间」（started_at）没有对应的列" in result.output
