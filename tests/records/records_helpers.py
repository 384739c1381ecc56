"""Helpers: hand-made record sets written as CSV text, and the seed's indicators with their targets."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pyarrow as pa

import jixiao
from jixiao.records.binding import Binding
from jixiao.records.mapping import propose_mapping
from jixiao.records.propose import propose_binding
from jixiao.records.reader import read_raw, validate
from jixiao.records.schema import RecordKind

REPO = Path(__file__).resolve().parents[2]


def seed_path() -> Path:
    """Return the seed forms: ../shared/seeds beside the repository, else the packaged copy."""
    shared = REPO.parent / "shared" / "seeds" / "000_541cf2738fe0fece.txt"
    return shared if shared.exists() else REPO / "src" / "jixiao" / "data" / "demo" / "seed-2022-qingpu.txt"


def table(csv_text: str, kind: RecordKind = "case", source: str | None = None) -> pa.Table:
    """Return the typed records of ``csv_text`` (its header names mapped as the import step would)."""
    raw = read_raw(csv_text.strip().encode("utf-8") + b"\n", "hand-made.csv")
    mapping = {c.header: c.field for c in propose_mapping(raw.headers, kind) if c.field}
    return validate(raw, kind, mapping, source=source)


@cache
def seed_indicators() -> dict[tuple[str, str], tuple[str, object]]:
    """Return {(project, indicator): (project name, target)} of the seven seed declarations."""
    out: dict[tuple[str, str], tuple[str, object]] = {}
    for doc in jixiao.parse(seed_path().read_text(encoding="utf-8")):
        for ind in doc.indicators:
            out[(doc.project.name, ind.name)] = (doc.project.name, ind.target)
    return out


def seed_binding(project: str, indicator: str) -> Binding:
    """Return the default binding proposed for a seed indicator (fails if there is none)."""
    name, target = seed_indicators()[(project, indicator)]
    proposal = propose_binding(indicator, target, name)  # type: ignore[arg-type]
    assert proposal.binding is not None, proposal.why_en
    return proposal.binding
