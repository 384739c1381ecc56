"""The web's English catalogue is complete: every string the templates and the code translate has an
English msgstr, none is a fuzzy guess, and no template uses the old ``{% t %}`` tag.

The catalogue is Django's gettext ``.po`` (msgid: the Chinese source text). A string added to a
template without ``make messages`` and its English fails here, not in front of an English reader.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

SRC = Path(__file__).resolve().parents[2] / "src" / "jixiao"
PO = SRC / "locale" / "en" / "LC_MESSAGES" / "django.po"
TEMPLATES = sorted((SRC / "web").rglob("*.html"))
# The Python whose strings go to this catalogue (the core packages have their own).
PYTHON = sorted(
    p for area in ("web", "db") for p in (SRC / area).rglob("*.py") if "migrations" not in p.parts
)
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# An official document keeps its Chinese name in English text (财预〔2015〕88号).
CITATION = re.compile(r"\S*〔\d{4}〕\d+号")


def _unquote(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape").encode("latin-1").decode()


def read_po(path: Path = PO) -> list[dict[str, object]]:
    """Return the entries of a .po file: msgctxt, msgid, msgstr and flags (multi-line strings joined)."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {"flags": set()}
    field = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {"flags": set()}, ""
        elif line.startswith("#,"):
            entry["flags"] = {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'^(msgctxt|msgid|msgstr)\s+"(.*)"$', line)
            if match:
                field = match.group(1)
                entry[field] = match.group(2)
            elif line.startswith('"') and field:
                entry[field] = str(entry[field]) + line[1:-1]
    for item in entries:
        for key in ("msgctxt", "msgid", "msgstr"):
            if key in item:
                item[key] = str(item[key]).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
    return entries


CATALOGUE = {(e.get("msgctxt"), e["msgid"]): e for e in read_po() if e["msgid"]}


def _template_msgids(path: Path) -> list[str]:
    """The msgids a template asks for: ``{% translate "…" %}`` literals and ``blocktranslate`` bodies."""
    text = path.read_text(encoding="utf-8")
    found = [
        m.group(2) for m in re.finditer(r"\{%\s*(?:translate|trans)\s+([\"'])(.*?)\1(?:\s+[^%]*)?%\}", text)
    ]
    for m in re.finditer(
        r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", text, re.S
    ):
        body = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", m.group(2))
        if "trimmed" in m.group(1):
            body = " ".join(line.strip() for line in body.strip().splitlines())
        found.append(body)
    return [m.replace("%", "%%") if "%(" not in m else m for m in found]


def _python_msgids(path: Path) -> list[tuple[str | None, str]]:
    """The literal msgids of gettext calls in a module (``_("…")``, ``gettext_lazy("…")``, …)."""
    out: list[tuple[str | None, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT_NAMES:
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if node.func.id.startswith("pgettext") and len(args) == 2:
                out.append((args[0], args[1]))
            elif len(args) == 1:
                out.append((None, args[0]))
    return out


def test_every_entry_has_english_and_none_is_fuzzy() -> None:
    problems = []
    for (_context, msgid), entry in CATALOGUE.items():
        if "fuzzy" in entry["flags"]:  # type: ignore[operator]
            problems.append(f"fuzzy (a guess of msgmerge, check and remove the flag): {msgid!r}")
        elif not str(entry.get("msgstr", "")).strip():
            problems.append(f"no English: {msgid!r}")
        elif HAN.search(CITATION.sub("", str(entry["msgstr"]))):
            problems.append(f"Chinese in the English: {msgid!r} → {entry['msgstr']!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(SRC)))
def test_every_template_string_is_in_the_catalogue(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"\{%\s*t\s", text), "the old {% t %} tag: write {% translate %} ({% load i18n %})"
    assert not re.search(r"\|t\s*(\}\}|\|)", text), "the old |t filter: write {% translate value %}"
    if "{% translate" in text or "{% blocktranslate" in text:
        assert "{% load i18n" in text, "{% translate %} needs {% load i18n %} in this template"
    missing = [m for m in _template_msgids(template) if (None, m) not in CATALOGUE]
    assert not missing, f"not in {PO.name} (run `make messages` and write the English): {missing}"


@pytest.mark.parametrize("module", PYTHON, ids=lambda p: str(p.relative_to(SRC)))
def test_every_python_string_is_in_the_catalogue(module: Path) -> None:
    missing = [m for m in _python_msgids(module) if m not in CATALOGUE]
    assert not missing, f"not in {PO.name} (run `make messages` and write the English): {missing}"


def test_the_compiled_catalogue_is_the_one_django_reads() -> None:
    """Django finds the .mo beside the .po (LOCALE_PATHS) and it says what the .po says."""
    with translation.override("en"):
        for (context, msgid), entry in list(CATALOGUE.items())[:: max(1, len(CATALOGUE) // 50)]:
            expected = str(entry["msgstr"])
            if "python-format" in entry["flags"]:  # type: ignore[operator]
                continue
            got = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
            assert got == expected, (msgid, got, expected)
    with translation.override("zh-hans"):
        assert translation.gettext("首页") == "首页"


def test_the_core_values_shown_by_value_are_in_the_catalogue() -> None:
    """The pages translate these by value: each needs its msgid (jixiao.web.labels)."""
    from jixiao.domain.vocabulary import REGIONS
    from jixiao.evaluation.config import DEVIATION_REASONS, LIKELIHOODS, QUALITATIVE_GRADES, get_rules

    values = [*QUALITATIVE_GRADES, *LIKELIHOODS, *DEVIATION_REASONS]
    values += [band.grade for region in REGIONS for band in get_rules(region).qualitative_bands]
    missing = [v for v in values if (None, v) not in CATALOGUE]
    assert not missing, f"add to jixiao.web.labels and the catalogue: {missing}"
