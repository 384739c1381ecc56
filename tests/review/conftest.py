"""Fixtures of the review tests: the seven seed declarations, read by the real text reader."""

from __future__ import annotations

from pathlib import Path

import pytest

import jixiao
from jixiao.domain.model import Declaration


@pytest.fixture(scope="session")
def seed_declarations(seed_file: Path) -> list[Declaration]:
    """The seven 2022 青浦区城市运行管理中心 declarations (tests/conftest.py finds the file)."""
    decls = [d for d in jixiao.parse(seed_file) if isinstance(d, Declaration)]
    assert len(decls) == 7
    return decls
