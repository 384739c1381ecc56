"""Shared fixtures: the seed forms live in ../shared/seeds beside the repository (DESIGN.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples every run (derandomize): a submission is judged
# by what it changed, not by the luck of one draw. Run locally, they explore new examples each time.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Messages default to Chinese unless LANG says English: pin the locale so that the suite reads the
# same on any machine; the tests of the English messages set LANG or --lang themselves.
for _name in ("LC_ALL", "LC_MESSAGES", "JIXIAO_LANG"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_541cf2738fe0fece.txt"
PACKAGED_SEED = REPO / "src" / "jixiao" / "data" / "demo" / "seed-2022-qingpu.txt"


def _compile_stale_catalogues() -> None:
    """Compile the web's catalogues (django.po) whose .mo is missing or older than the .po.

    `make setup` compiles them; a worktree set up before a catalogue changed (or a rebase that
    brought new English) would otherwise test against the old .mo and read Chinese in English.
    """
    for po in sorted((REPO / "src").rglob("locale/*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            raise pytest.UsageError(
                f"{po.name} needs compiling and msgfmt is missing: run `make setup` (gettext)"
            )
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)


_compile_stale_catalogues()


def seed_path() -> Path:
    """Return the seed file: ../shared/seeds when present, else the copy packaged as demo data."""
    return SEED if SEED.exists() else PACKAGED_SEED


@pytest.fixture(scope="session")
def seed_file() -> Path:
    """The path of the seven real 2022 declaration forms."""
    return seed_path()


@pytest.fixture(scope="session")
def seed_text(seed_file: Path) -> str:
    """The text of the seven real 2022 declaration forms."""
    return seed_file.read_text(encoding="utf-8")
