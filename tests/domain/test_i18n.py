"""The core's one catalogue (jixiao.domain.i18n): every msgid the code uses is translated, and the
translations say what the Chinese says."""

from __future__ import annotations

import ast
import gc
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import jixiao
from jixiao.domain.i18n import catalogue_path, lang_from_env, normalize_lang, tr, trc

CORE = ("domain", "formats", "review", "evaluation", "records", "corpus", "services", "cli")
SRC = Path(jixiao.__file__).resolve().parent
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# The translating functions: name → (index of the context argument, the context itself or None;
# index of the msgid).
FUNCTIONS: dict[str, tuple[int | str | None, int]] = {
    "tr": (None, 0),
    "_t": (None, 0),
    "_c": ("column", 0),
    "N_": (None, 0),
    "trc": (0, 1),
    "NC_": (0, 1),
    "trn": (None, 0),
    "_line": (None, 0),  # a report's helper that appends tr(msgid, lang, **values) as a line
}

Msg = tuple[str | None, str]  # (context, msgid)


def _core_files() -> Iterator[Path]:
    for package in CORE:
        yield from sorted((SRC / package).rglob("*.py"))


def _called(node: ast.Call) -> str | None:
    func = node.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
    return name if name in FUNCTIONS else None


def extracted() -> tuple[dict[Msg, str], list[str]]:
    """Return the literal msgids of every call in the core (→ where) and the calls whose msgid is
    built at run time from literals (an f-string or a concatenation: it cannot be in a catalogue)."""
    found: dict[Msg, str] = {}
    built: list[str] = []
    for path in _core_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or (name := _called(node)) is None:
                continue
            ctx_at, msg_at = FUNCTIONS[name]
            where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
            if len(node.args) <= msg_at:
                continue
            arg = node.args[msg_at]
            if isinstance(ctx_at, str):  # a helper with its context built in
                context: str | None = ctx_at
            else:
                ctx_node = node.args[ctx_at] if ctx_at is not None else None
                context = ctx_node.value if isinstance(ctx_node, ast.Constant) else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault((context, arg.value), where)
                if name == "trn" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    found.setdefault((None, node.args[1].value), where)
            elif isinstance(arg, ast.JoinedStr | ast.BinOp):
                built.append(where)
    return found, built


def runtime_msgids() -> dict[Msg, str]:
    """Return the msgids the registries hold: rule titles and messages, what each rule, formula and
    option rests on, the profiles' and frameworks' titles (written as data, translated by lookup)."""
    import jixiao.evaluation.config
    import jixiao.evaluation.monitoring
    import jixiao.evaluation.scoring
    import jixiao.review.engine
    import jixiao.review.profiles  # noqa: F401
    from jixiao.domain.framework import Framework
    from jixiao.domain.provenance import Choice, Option, Provenance
    from jixiao.domain.vocabulary import GRADE_CONTEXT, GRADES
    from jixiao.evaluation.config import RegionRules
    from jixiao.review.profiles import Profile
    from jixiao.review.registry import RULES, SEVERITY_LABELS

    found: dict[Msg, str] = {(GRADE_CONTEXT, g): "a grade" for g in GRADES}
    found.update({("severity", label): "a severity" for label in SEVERITY_LABELS.values()})
    for r in RULES.values():
        found[(None, r.title_zh)] = f"rule {r.code} title"
        found[(None, r.message_zh)] = f"rule {r.code} message"
    for obj in gc.get_objects():
        if isinstance(obj, Provenance):
            found[(None, obj.basis_zh)] = "a Provenance basis"
            if obj.region:
                found[(None, obj.region)] = "a Provenance region"
        elif isinstance(obj, Choice):
            found[(None, obj.title_zh)] = f"choice {obj.key}"
        elif isinstance(obj, Option):
            found[(None, obj.title_zh)] = f"option {obj.key}"
            found[(None, obj.why_zh)] = f"option {obj.key} (why)"
        elif isinstance(obj, RegionRules):
            found[(None, obj.title)] = f"scoring rules {obj.key}"
        elif isinstance(obj, Profile | Framework):
            found[(None, obj.title)] = f"{type(obj).__name__} {obj.key}"
        if isinstance(obj, Framework):
            for level1, level2s in obj.levels.items():
                found.update({(None, name): f"framework {obj.key}" for name in (level1, *level2s)})
    return found


@pytest.fixture(scope="module")
def catalogue() -> dict[Msg, tuple[str, bool]]:
    with catalogue_path("en").open("rb") as fh:
        cat = read_po(fh, locale="en", domain="jixiao")
    return {(m.context, str(m.id)): (str(m.string or ""), m.fuzzy) for m in cat if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_no_msgid_is_built_at_run_time() -> None:
    _, built = extracted()
    assert not built, f"translate a template with values, not an f-string: {built}"


def test_every_msgid_in_the_code_has_an_english_translation(catalogue: dict[Msg, tuple[str, bool]]) -> None:
    found, _ = extracted()
    found.update(runtime_msgids())
    assert len(found) > 300
    missing = {m: where for m, where in found.items() if m not in catalogue or not catalogue[m][0]}
    fuzzy = [m for m in found if m in catalogue and catalogue[m][1]]
    entries = "\n".join(
        f'#: {where}\n{f"msgctxt {ctx!r}" if ctx else ""}\nmsgid {msgid!r}\nmsgstr ""\n'
        for (ctx, msgid), where in missing.items()
    )
    assert not missing, f"{len(missing)} msgids without a translation in jixiao.po:\n{entries}"
    assert not fuzzy, f"fuzzy translations (not used at run time): {fuzzy}"


def test_the_translations_are_english_and_keep_the_placeholders(
    catalogue: dict[Msg, tuple[str, bool]],
) -> None:
    for (_ctx, msgid), (msgstr, _) in catalogue.items():
        # Chinese only as text to be written on the form, quoted: "write it like '≥50个'".
        unquoted = re.sub(r"'[^']*'", "", msgstr)
        assert not HAN.search(unquoted), f"Chinese left in the English of {msgid!r}: {msgstr!r}"
        # A rule's English may name the English twin of a value ({what_en} beside {what}).
        allowed = _fields(msgid) | {f"{name.removesuffix('_zh')}_en" for name in _fields(msgid)}
        assert _fields(msgstr) <= allowed, f"{msgid!r}: {msgstr!r} names a value the code does not pass"


def test_the_catalogue_holds_no_msgid_the_code_no_longer_uses(catalogue: dict[Msg, tuple[str, bool]]) -> None:
    found, _ = extracted()
    found.update(runtime_msgids())
    unused = sorted((str(ctx), msgid) for ctx, msgid in catalogue if (ctx, msgid) not in found)
    assert not unused, f"obsolete entries in jixiao.po: {unused}"


@pytest.mark.parametrize(
    ("msgid", "context", "values", "zh", "en"),
    [
        ("优", "grade", {}, "优", "Excellent"),
        ("差", "grade", {}, "差", "Poor"),
        (
            "不得进入下一步预算安排流程",
            None,
            {},
            "不得进入下一步预算安排流程",
            "may not proceed to the next budget step",
        ),
        ("红灯", None, {}, "红灯", "red"),
        ("错误", "severity", {}, "错误", "error"),
        ("错误", None, {}, "错误", "Errors"),
        ("等级 {grade}", None, {"grade": "Good"}, "等级 Good", "Grade Good"),
        ("官方文件", None, {}, "官方文件", "official"),
        (
            "财预〔2015〕88号 第二十五条（完整性）",
            None,
            {},
            "财预〔2015〕88号 第二十五条（完整性）",
            "Caiyu [2015] No. 88 Art. 25 (completeness)",
        ),
    ],
)
def test_representative_messages_in_both_languages(
    msgid: str, context: str | None, values: dict[str, str], zh: str, en: str
) -> None:
    def look(lang: str) -> str:
        return trc(context, msgid, lang, **values) if context else tr(msgid, lang, **values)

    assert look("zh") == zh
    assert look("en") == en
    assert look("en-GB") == en


def test_an_unknown_msgid_falls_back_to_the_chinese_source() -> None:
    assert tr("没有这条", "en") == "没有这条"
    assert tr("{n} 张", "en", n=3) == "3 张"


@pytest.mark.parametrize(
    ("explicit", "env", "lang"),
    [
        (None, {}, "zh"),
        ("en", {"JIXIAO_LANG": "zh"}, "en"),
        (None, {"JIXIAO_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "en_US.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ("zh-Hans", {"JIXIAO_LANG": "en"}, "zh"),
    ],
)
def test_one_language_choice_explicit_then_environment(
    explicit: str | None, env: dict[str, str], lang: str
) -> None:
    assert lang_from_env(explicit, env) == lang
    assert normalize_lang(lang) == lang
