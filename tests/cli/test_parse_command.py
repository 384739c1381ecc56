"""`jixiao parse` and `jixiao schema` as a user runs them: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "LANG": "C.UTF-8", **(env or {})}
    full_env.pop("JIXIAO_LANG", None)
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, env=full_env, timeout=120
    )


def test_parse_prints_the_seven_forms_as_a_json_array(seed_file: Path) -> None:
    result = run("parse", str(seed_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    docs = json.loads(result.stdout)
    assert len(docs) == 7 and sum(len(d["indicators"]) for d in docs) == 58
    assert docs[5]["project"]["name"] == "区城运中心城运平台等辅助服务"


def test_parse_reads_several_files_in_order(seed_file: Path, tmp_path: Path) -> None:
    json_copy = tmp_path / "copy.json"
    json_copy.write_text(run("parse", str(seed_file)).stdout, encoding="utf-8")
    result = run("parse", str(json_copy), str(seed_file))
    assert result.returncode == 0
    docs = json.loads(result.stdout)
    assert len(docs) == 14 and docs[0]["indicators"] == docs[7]["indicators"]


def test_table_format_is_readable(seed_file: Path) -> None:
    result = run("parse", str(seed_file), "--format", "table")
    assert result.returncode == 0
    assert "热线平台信息员热线工单派单及时率" in result.stdout and "当天派单" in result.stdout
    assert result.stdout.strip().endswith("共 7 张表，58 个指标")


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        (None, "文件不存在", "no such file"),
        (b"just some notes\n", "这不是绩效目标申报表", "not a declaration form"),
        (bytes([0xFF, 0xFE, 0x81]) * 50, "无法读取", "neither UTF-8 nor GBK"),
        (b'[{"project": {"name": ""}}]', "不能为空", "is required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes | None, zh: str, en: str) -> None:
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_bytes(content)
    result = run("parse", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and zh in result.stderr
    assert "Traceback" not in result.stderr
    english = run("parse", str(path), "--lang", "en")
    assert english.returncode == 2 and en in english.stderr
    by_locale = run("parse", str(path), env={"LANG": "en_US.UTF-8"})
    assert en in by_locale.stderr


def test_schema_is_json_schema() -> None:
    result = run("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/") and schema["version"]


def test_python_api_reads_a_path_or_the_text(seed_file: Path, seed_text: str) -> None:
    import jixiao

    assert len(jixiao.parse(seed_file)) == 7
    assert len(jixiao.parse(str(seed_file))) == 7
    assert [d.project.name for d in jixiao.parse(seed_text)] == [
        d.project.name for d in jixiao.parse(seed_file)
    ]
