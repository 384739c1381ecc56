"""The error catalogue: each code once, every code the source raises in it, its docs page current."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from jixiao.cli import main
from jixiao.domain import error_codes
from jixiao.domain.error_codes import (
    CATALOGUE,
    WARNINGS,
    ErrorCode,
    WarningCode,
    catalogue_markdown,
    http_status,
)
from jixiao.domain.errors import ConflictError, JixiaoError, NotAllowed, NotFound, UploadTooLarge

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src" / "jixiao"
CATALOGUE_FILE = Path(error_codes.__file__).resolve()
CODE = re.compile(r"JX-E\d{3}")
WARNING_CODE = re.compile(r"JX-W\d{3}")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are docstrings (they describe codes, they raise none)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _codes_in_source(pattern: re.Pattern[str] = CODE) -> dict[str, list[str]]:
    """Every code ``pattern`` matches in a string of the package's code (not docstrings), with where it stands."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        if path.resolve() == CATALOGUE_FILE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for code in pattern.findall(node.value):
                    found.setdefault(code, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def _raise_sites() -> list[tuple[str, str, str]]:
    """(class name, code, place) for ``SomeError(..., code="JX-E…")`` and ``default_code = "JX-E…"``."""
    kinds = {entry.kind for entry in CATALOGUE.values() if entry.kind}
    sites: list[tuple[str, str, str]] = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in kinds:
                for kw in node.keywords:
                    if kw.arg == "code" and isinstance(kw.value, ast.Constant):
                        place = f"{path.relative_to(SRC)}:{node.lineno}"
                        sites.append((node.func.id, str(kw.value.value), place))
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "default_code" for t in stmt.targets)
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        sites.append(
                            (node.name, str(stmt.value.value), f"{path.relative_to(SRC)}:{stmt.lineno}")
                        )
    return sites


def test_each_code_is_defined_once() -> None:
    written = re.findall(r'_e\(\s*"(JX-E\d{3})"', CATALOGUE_FILE.read_text(encoding="utf-8"))
    assert len(written) == len(CATALOGUE) > 100
    assert len(set(written)) == len(written), sorted(c for c in written if written.count(c) > 1)
    with pytest.raises(ValueError, match="JX-E101"):
        error_codes._build([CATALOGUE["JX-E101"], ErrorCode("JX-E101", "InputError", 400, "甲", "a")])


def test_every_code_in_the_source_is_in_the_catalogue() -> None:
    found = _codes_in_source()
    assert len(found) > 100  # the scan sees the raise sites
    missing = {code: places for code, places in found.items() if code not in CATALOGUE}
    assert not missing, f"codes raised but not in jixiao.domain.error_codes: {missing}"


def _error_classes() -> dict[str, type[JixiaoError]]:
    import jixiao.records.errors  # noqa: F401  (its classes join the hierarchy)

    found: dict[str, type[JixiaoError]] = {}
    todo: list[type[JixiaoError]] = [JixiaoError]
    while todo:
        cls = todo.pop()
        found[cls.__name__] = cls
        todo.extend(cls.__subclasses__())
    return found


def test_each_raise_site_uses_the_class_the_catalogue_names_or_one_of_its_bases() -> None:
    classes = _error_classes()
    assert all(entry.kind in classes for entry in CATALOGUE.values() if entry.kind)
    sites = _raise_sites()
    assert len(sites) > 50
    wrong = [
        (cls, code, place, CATALOGUE[code].kind)
        for cls, code, place in sites
        if code in CATALOGUE
        and not (
            CATALOGUE[code].kind is not None
            and cls in classes
            and issubclass(classes[CATALOGUE[code].kind or ""], classes[cls])
        )
    ]
    assert not wrong


@pytest.mark.parametrize("entry", list(CATALOGUE.values()), ids=lambda e: e.code)
def test_each_entry_has_a_status_and_both_languages(entry: ErrorCode) -> None:
    assert 400 <= entry.status <= 599
    assert re.search(r"[\u4e00-\u9fff]", entry.zh), entry.zh
    assert entry.en and not re.search(r"[\u4e00-\u9fff]{3,}", entry.en), entry.en


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotAllowed("不允许", "not allowed"), 403),
        (NotFound(), 404),
        (ConflictError(3), 409),
        (UploadTooLarge(10, 5), 413),
    ],
)
def test_the_status_of_an_error_comes_from_its_code(error: Exception, status: int) -> None:
    assert http_status(error.code) == status  # type: ignore[attr-defined]


def test_the_docs_page_is_the_generated_one() -> None:
    page = (REPO / "docs" / "errors.md").read_text(encoding="utf-8")
    assert page == catalogue_markdown(), "run: jixiao errors --format markdown > docs/errors.md"
    result = CliRunner().invoke(main, ["errors", "--format", "markdown"])
    assert result.exit_code == 0 and result.output == page
    assert all(f"| {code} |" in page for code in CATALOGUE)
    assert all(f"| {code} |" in page for code in WARNINGS)


def test_every_warning_in_the_source_is_in_the_catalogue_and_every_entry_is_used() -> None:
    found = _codes_in_source(WARNING_CODE)
    assert len(found) > 20  # the scan sees the readers' and the monitor's warnings
    missing = {code: places for code, places in found.items() if code not in WARNINGS}
    assert not missing, f"warnings issued but not in jixiao.domain.error_codes.WARNINGS: {missing}"
    assert set(WARNINGS) - set(found) == set(), "catalogued warnings that nothing issues"


def test_each_warning_code_means_one_thing() -> None:
    # A code is issued by one area only: the reader's "year not found" once shared JX-W601 with the
    # monitor's budget light, so a filter on the code mixed the two.
    written = re.findall(r'_w\(\s*"(JX-W\d{3})"', CATALOGUE_FILE.read_text(encoding="utf-8"))
    assert len(set(written)) == len(written) == len(WARNINGS)
    monitoring = {w.code for w in WARNINGS.values() if w.area == "monitoring"}
    reader_files = [p for p in SRC.rglob("*.py") if "formats" in p.parts]
    in_readers = {code for p in reader_files for code in WARNING_CODE.findall(p.read_text(encoding="utf-8"))}
    assert monitoring and not (monitoring & in_readers)
    with pytest.raises(ValueError, match="JX-W101"):
        error_codes._build([WARNINGS["JX-W101"], WarningCode("JX-W101", "reader", "甲", "a")])


@pytest.mark.parametrize("warning", list(WARNINGS.values()), ids=lambda w: w.code)
def test_each_warning_has_an_area_and_both_languages(warning: WarningCode) -> None:
    assert warning.area in {"reader", "monitoring"}
    assert re.search(r"[\u4e00-\u9fff]", warning.zh), warning.zh
    assert warning.en and not re.search(r"[\u4e00-\u9fff]{3,}", warning.en), warning.en
