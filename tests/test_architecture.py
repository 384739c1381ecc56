"""House rule: the core (domain, review, evaluation, formats) never imports Django (DESIGN.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "jixiao"
CORE = ("domain", "review", "evaluation", "formats", "records")


def _core_files() -> list[Path]:
    return sorted(p for package in CORE for p in (SRC / package).rglob("*.py"))


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_core_module_does_not_import_django(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        )
        for name in names:
            assert not name.startswith(
                ("django", "ninja", "jixiao.web", "jixiao.services", "jixiao.db", "jixiao.cli")
            ), f"{path.relative_to(SRC)} imports {name}"


def test_importing_the_whole_core_loads_no_django() -> None:
    modules = [
        ".".join(("jixiao", *p.relative_to(SRC).with_suffix("").parts)).removesuffix(".__init__")
        for p in _core_files()
    ]
    code = (
        "import importlib, sys\n"
        + "".join(f"importlib.import_module({m!r})\n" for m in modules)
        + ("print('django' in sys.modules)")
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
