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


CORPUS = REPO / "tests" / "corpus"
BOOK_VARIANTS = 20


def _layout_names() -> list[tuple[Path, list[str]]]:
    import json

    out: list[tuple[Path, list[str]]] = []
    for expected in sorted(CORPUS.glob("*/expected.json")):
        docs = json.loads(expected.read_text(encoding="utf-8"))["documents"]
        out.append(
            (expected.parent, [d["project"]["name"] for d in docs if d.get("project", {}).get("name")])
        )
    return out


def _vary_xlsx(source: Path, target: Path, names: list[str], suffix: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(source)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in names:
                    cell.value = cell.value + suffix
    book.save(target)


def make_corpus_tree(root: Path, count: int, rng_seed: int = 2022) -> dict[str, int]:
    """Write ``count`` form files under ``root`` (1,000 a folder); return how many of each format.

    Of every 100 files: 2 PDFs (tests/corpus, LibreOffice and Chromium, copied), 15 Excel workbooks
    and 10 extracted texts or web pages of the tests/corpus layouts with the project names varied
    (the workbooks: 20 variations a layout, then copies),
    73 seed forms varied by :func:`make_forms_text`, one form a file.
    """
    import shutil

    from jixiao.formats import decode_text

    layouts = _layout_names()
    pdfs = [p for d, _ in layouts for p in sorted(d.glob("*.pdf"))]
    texts = [(p, names) for d, names in layouts for p in (d / "pdftotext.txt", d / "page.html")]
    books = [(d / "openpyxl.xlsx", names) for d, names in layouts]
    seeds = make_forms_text(count, rng_seed).split("\n" + TITLE)
    seeds = [seeds[0]] + [TITLE + s for s in seeds[1:]]
    counts = {"pdf": 0, "xlsx": 0, "txt/html": 0, "seed-txt": 0}
    text_cache: dict[Path, str] = {}
    book_variants: dict[Path, list[Path]] = {}
    for n in range(count):
        folder = root / f"{n // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        slot, suffix = n % 100, f"-{n:06d}"
        if slot < 2:
            source = pdfs[(n // 100 * 2 + slot) % len(pdfs)]
            shutil.copyfile(source, folder / f"{n:06d}-{source.parent.name}-{source.name}")
            counts["pdf"] += 1
        elif slot < 17:
            # Saving a workbook costs ~10 ms (minutes at 10,000 files under load): the first
            # BOOK_VARIANTS variations of each layout are made, later files copy one of them.
            source, names = books[n % len(books)]
            target = folder / f"{n:06d}-{source.parent.name}.xlsx"
            made = book_variants.setdefault(source, [])
            if len(made) < BOOK_VARIANTS:
                _vary_xlsx(source, target, names, suffix)
                made.append(target)
            else:
                shutil.copyfile(made[n % BOOK_VARIANTS], target)
            counts["xlsx"] += 1
        elif slot < 27:
            source, names = texts[n % len(texts)]
            if source not in text_cache:  # one producer's text is GBK: decode as the readers do
                text_cache[source] = decode_text(source.read_bytes())
            text = text_cache[source]
            for name in names:
                text = text.replace(name, name + suffix)
            (folder / f"{n:06d}-{source.parent.name}{source.suffix}").write_text(text, encoding="utf-8")
            counts["txt/html"] += 1
        else:
            (folder / f"{n:06d}-seed.txt").write_text(seeds[n % len(seeds)], encoding="utf-8")
            counts["seed-txt"] += 1
    return counts
