"""Fixtures of the scan tests: the seed's forms rendered by jixiao, rasterised once per resolution."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from scan_synth import RGB, Condition, make_scan, rasterize

from jixiao.domain.model import Document
from jixiao.formats import read_bytes, read_path
from jixiao.formats.render.pdf import render_pdf


@pytest.fixture(scope="session")
def seed_docs(seed_file: Path) -> list[Document]:
    """The seven declarations of the seed, read from its text (the expected values)."""
    return read_path(seed_file)


@pytest.fixture(scope="session")
def seed_pdf(seed_docs: list[Document]) -> bytes:
    """The seed in the official layout, one form a page (born-digital: the reference cells)."""
    return render_pdf(seed_docs)


@pytest.fixture(scope="session")
def pages(seed_pdf: bytes) -> dict[int, list[RGB]]:
    """The seed's pages as images at 150 and 300 dpi."""
    return {dpi: rasterize(seed_pdf, dpi) for dpi in (150, 300)}


@pytest.fixture(scope="session")
def scan_of(pages: dict[int, list[RGB]]) -> functools._lru_cache_wrapper[bytes]:
    """``scan_of(condition, page_index)``: the image file of one page degraded as the condition says."""

    @functools.cache
    def make(cond: Condition, index: int) -> bytes:
        return make_scan(pages[cond.dpi][index], cond, seed=1000 + index)

    return make


@pytest.fixture(scope="session")
def read_scan(scan_of: functools._lru_cache_wrapper[bytes]) -> functools._lru_cache_wrapper[list[Document]]:
    """``read_scan(condition, page_index)``: the documents read back from that scan (read once)."""

    @functools.cache
    def read(cond: Condition, index: int) -> list[Document]:
        return read_bytes(
            scan_of(cond, index), f"scan-{cond.label}-p{index + 1}.{'jpg' if cond.jpeg else 'png'}"
        )

    return read
