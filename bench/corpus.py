"""Synthetic corpora for the benchmarks, made by varying the seed forms (names, amounts, targets)."""

from __future__ import annotations

import random
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seeds" / "000_541cf2738fe0fece.txt"
PACKAGED_SEED = REPO / "src" / "jixiao" / "data" / "demo" / "seed-2022-qingpu.txt"
TITLE = "财政项目支出绩效目标申报表"


def seed_text() -> str:
    """Return the seed forms' text (../shared/seeds, or the packaged demo copy)."""
    path = SEED if SEED.exists() else PACKAGED_SEED
    return path.read_text(encoding="utf-8")


def seed_forms() -> list[str]:
    """Return the seven seed forms as separate texts, each starting with its title."""
    parts = seed_text().split(TITLE)
    return [TITLE + part.rstrip(" ") for part in parts[1:]]


def make_forms_text(count: int, rng_seed: int = 2022) -> str:
    """Return ``count`` forms: seed forms with varied project names, amounts and targets."""
    rng = random.Random(rng_seed)
    forms = seed_forms()
    out: list[str] = []
    for n in range(count):
        form = forms[n % len(forms)]
        name_match = re.search(r"项目名称 (\S+) 项目类别", form)
        if name_match:
            form = form.replace(name_match[1], f"{name_match[1]}{n:05d}", 1)
        amount = f"{rng.randint(10_000, 9_999_999):,}"
        form = re.sub(
            r"(?<=项目资金总额 )[\d,]+|(?<=年度资金申请总额 )[\d,]+|(?<=其中：财政资金 )[\d,]+", amount, form
        )
        form = re.sub(r">=\d+%", lambda _: f">={rng.randint(60, 99)}%", form)
        form = re.sub(r"(\d+)天内完成", lambda _: f"{rng.randint(1, 15)}天内完成", form)
        out.append(form)
    return "\n".join(out)
