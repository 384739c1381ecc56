"""Compare what jixiao reads from a corpus file with the reading a person wrote down first.

The rule (issue "Read the forms that units and finance bureaus actually have"): a field that
differs from the expected value must carry a reader warning for that field, or a field status
``not_found`` (a warned difference is honest); a difference without either is a silent error.
A difference listed in the layout's ``known_misses`` (with a reason) is reported, not failed.

Whitespace inside text is not compared: where a PDF wraps a cell depends on the producer's font,
and a space the producer put between a Chinese and a Latin character is no part of the content.
Look-alike code points are compared as they are: reading ⽬ for 目 is a difference.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from jixiao.domain.errors import JixiaoError
from jixiao.domain.model import Document
from jixiao.formats import read_path
from jixiao.formats.json import from_dict, to_dict

HERE = Path(__file__).resolve().parent
PRODUCERS = (
    "openpyxl.xlsx",
    "libreoffice-xlsx.pdf",
    "python-docx.docx",
    "libreoffice-docx.pdf",
    "page.html",
    "chromium.pdf",
    "pdftotext.txt",
)
_DECIMAL_FIELDS = frozenset({"weight", "score", "execution_rate", "total_score"})
_PROJECT = (
    "name",
    "category",
    "nature",
    "competent_department",
    "implementing_unit",
    "start_date",
    "end_date",
)
_FUNDING = (
    "total",
    "total_fiscal",
    "total_other",
    "annual",
    "annual_appropriation",
    "annual_carryover",
    "annual_other",
)
_INDICATOR = ("level1", "level2", "name", "target")
_EVALUATED = (*_INDICATOR, "actual", "weight", "score", "deviation_note")


@dataclass
class Diff:
    """One field that differs: its path in the document, both values, and how it is excused."""

    path: str
    expected: Any
    got: Any
    warned: bool = False
    known: str | None = None  # the reason a known miss gives


@dataclass
class FileResult:
    """The comparison of one corpus file."""

    layout: str
    producer: str
    fields: int = 0
    exact: int = 0
    diffs: list[Diff] = field(default_factory=list)
    error: str | None = None  # the jixiao error the reader raised, when it refused the file
    known_error: str | None = None

    @property
    def warned(self) -> list[Diff]:
        return [d for d in self.diffs if d.warned]

    @property
    def known(self) -> list[Diff]:
        return [d for d in self.diffs if not d.warned and d.known]

    @property
    def silent(self) -> list[Diff]:
        return [d for d in self.diffs if not d.warned and not d.known]


def matches(path: str, pattern: str) -> bool:
    """Return True when a field path matches a known-miss pattern: ``*`` is the only wildcard."""
    return fnmatch.fnmatchcase(path, pattern.replace("[", "[[]"))


def layouts() -> list[str]:
    """Return the layout directories of the corpus."""
    return sorted(p.parent.name for p in HERE.glob("*/expected.json"))


def expected_of(layout: str) -> dict[str, Any]:
    """Return a layout's ``expected.json``."""
    data: dict[str, Any] = json.loads((HERE / layout / "expected.json").read_text(encoding="utf-8"))
    return data


def cases() -> list[tuple[str, str]]:
    """Return (layout, producer) for every corpus file."""
    return [(layout, p) for layout in layouts() for p in PRODUCERS if (HERE / layout / p).exists()]


def _text(value: Any) -> Any:
    return "".join(value.split()) if isinstance(value, str) else value


def _same(name: str, expected: Any, got: Any) -> bool:
    if name in _DECIMAL_FIELDS and expected is not None and got is not None:
        try:
            return Decimal(str(expected)) == Decimal(str(got))
        except InvalidOperation:
            return False
    if name == "target":
        return {k: _text(v) for k, v in expected.items()} == {k: _text(v) for k, v in got.items()}
    return _text(expected) == _text(got)


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    """Return the compared fields of one canonical document, by path (indicators apart)."""
    out: dict[str, Any] = {"kind": d["kind"], "year": d["year"]}
    out |= {f"project.{k}": d["project"].get(k) for k in _PROJECT}
    out |= {f"goals.{k}": (d.get("goals") or {}).get(k) for k in ("overall", "annual")}
    if d["kind"] == "declaration":
        out |= {f"funding.{k}": d["funding"].get(k) for k in _FUNDING}
    else:
        b = d["budget"]
        for k in ("initial", "adjusted", "executed"):
            out[f"budget.{k}"] = b.get(k)
        for k in ("weight", "execution_rate", "score"):
            out[f"budget.{k}"] = b.get(k)
        for line in ("appropriation", "carryover", "other"):
            values = (b.get("lines") or {}).get(line) or {}
            for k in ("initial", "adjusted", "executed"):
                out[f"budget.lines.{line}.{k}"] = values.get(k)
        out["outcome"] = d.get("outcome")
        out["total_score"] = d.get("total_score")
        out["grade"] = d.get("grade")
    return out


def _covered(path: str, doc: Document | None) -> bool:
    """Return True when ``doc`` warns about ``path`` (or a part of the form holding it) or did not find it."""
    if doc is None:
        return False
    for w in doc.warnings:
        f = w.field
        if f and (path == f or path.startswith((f + ".", f + "["))):
            return True
    for f, read in doc.fields.items():
        if read.status == "not_found" and (path == f or path.startswith((f + ".", f + "["))):
            return True
    return False


def _indicator_pairs(
    exp: list[dict[str, Any]], got: list[dict[str, Any]]
) -> list[tuple[int | None, int | None]]:
    """Pair expected and read indicators: by position when the counts agree, else by their names."""
    if len(exp) == len(got):
        return [(k, k) for k in range(len(exp))]
    matcher = difflib.SequenceMatcher(
        a=[_text(i["name"]) for i in exp], b=[_text(i["name"]) for i in got], autojunk=False
    )
    pairs: list[tuple[int | None, int | None]] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and a1 - a0 == b1 - b0):
            pairs += list(zip(range(a0, a1), range(b0, b1), strict=True))
        else:
            pairs += [(a, None) for a in range(a0, a1)]
            pairs += [(None, b) for b in range(b0, b1)]
    return pairs


def compare_docs(
    expected: list[dict[str, Any]], read: list[Document], result: FileResult, known: list[dict[str, str]]
) -> None:
    """Fill ``result`` with the field comparison of the expected and read documents."""
    got = [to_dict(d) for d in read]

    def record(path: str, name: str, exp_value: Any, got_value: Any, doc: Document | None) -> None:
        result.fields += 1
        if got_value is not None and exp_value is not None and _same(name, exp_value, got_value):
            result.exact += 1
            return
        if exp_value is None and got_value is None:
            result.exact += 1
            return
        reason = next((k["reason"] for k in known if any(matches(path, f) for f in k["fields"])), None)
        result.diffs.append(
            Diff(path, exp_value, got_value, _covered(path.split("]", 1)[1][1:], doc), reason)
        )

    for n in range(max(len(expected), len(got))):
        e = expected[n] if n < len(expected) else None
        g = got[n] if n < len(got) else None
        doc = read[n] if n < len(read) else None
        ef = _flat(e) if e is not None else {}
        gf = _flat(g) if g is not None else {}
        for path in ef.keys() | gf.keys():
            record(f"$[{n}].{path}", path.rsplit(".", 1)[-1], ef.get(path), gf.get(path), doc)
        ei = e["indicators"] if e is not None else []
        gi = g["indicators"] if g is not None else []
        names = _EVALUATED if (e or g or {}).get("kind") == "self_evaluation" else _INDICATOR
        for a, b in _indicator_pairs(ei, gi):
            at = b if b is not None else (a if a is not None else 0)
            for name in names:
                exp_value = ei[a].get(name) if a is not None else None
                got_value = gi[b].get(name) if b is not None else None
                if a is not None and b is None and exp_value is None:
                    exp_value = "(missing)"
                if b is not None and a is None and got_value is None:
                    got_value = "(extra)"
                record(f"$[{n}].indicators[{at}].{name}", name, exp_value, got_value, doc)


def compare_file(layout: str, producer: str) -> FileResult:
    """Read one corpus file and compare every field with the layout's expected documents."""
    spec = expected_of(layout)
    # the expected documents go through the canonical loader, so targets get their structure
    expected = [to_dict(from_dict(d)) for d in spec["documents"]]
    known = [k for k in spec.get("known_misses", []) if fnmatch.fnmatchcase(producer, k.get("file", "*"))]
    result = FileResult(layout, producer)
    try:
        read = read_path(HERE / layout / producer)
    except JixiaoError as exc:
        result.error = f"[{exc.code}] {exc.message_en}"
        result.known_error = next((k["reason"] for k in known if "*" in k["fields"]), None)
        compare_docs(expected, [], result, known if result.known_error else [])
        return result
    compare_docs(expected, read, result, known)
    return result
