"""`jixiao department` as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "formats"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "evaluation"))
from department_forms import declaration, self_evaluation  # noqa: E402
from eval_helpers import PUTUO  # noqa: E402

from jixiao.formats.json_department import dumps  # noqa: E402


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C.UTF-8"}
    env.pop("JIXIAO_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "jixiao", "department", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_rollup_of_the_putuo_form() -> None:
    # §5.7: 215,457.6 / 250,000 = 86.18 % × 30 = 25.85; one project, 优 → 40; 5 of 5 met → 30; 95.85 优
    result = run("rollup", str(PUTUO), "--format", "json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["execution_rate"], out["points"], out["score"], out["grade"]) == (
        "86.18",
        ["25.85", "40.00", "30.00"],
        "95.85",
        "优",
    )


def test_export_then_parse_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "部门.json"
    source.write_text(dumps([declaration(), self_evaluation()]), encoding="utf-8")
    for fmt in ("xlsx", "pdf"):
        out = tmp_path / f"部门.{fmt}"
        result = run("export", str(source), "--to", fmt, "-o", str(out))
        assert result.returncode == 0, result.stderr
        parsed = json.loads(run("parse", str(out)).stdout)
        assert [d["kind"] for d in parsed] == ["department_declaration", "department_self_evaluation"]
        assert parsed[1]["rollup"]["score"] == "76.98"


def test_bad_input_is_one_line_with_a_code(tmp_path: Path, seed_file: Path) -> None:
    result = run("parse", str(seed_file))
    assert result.returncode == 2 and "[JX-E653]" in result.stderr and "Traceback" not in result.stderr
    result = run("parse", str(tmp_path / "missing.xlsx"))
    assert result.returncode == 2 and "[JX-E101]" in result.stderr
    result = run("rollup", "--lang", "en", str(seed_file))
    assert (
        result.returncode == 2
        and "[JX-E105]" in result.stderr
        and "no project self-evaluation" in result.stderr
    )
