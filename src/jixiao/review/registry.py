"""The one registry of review rules (DESIGN.md "Review"; style-anchors §10).

A rule is a :class:`Rule`: a stable code (``JX-Q03``), a family, a default severity, a title and a
message written in Chinese and translated through the catalogue (:mod:`jixiao.domain.i18n`), what it
rests on (a :class:`~jixiao.domain.provenance.Provenance`: the basis and its status, official,
provincial, practice of a provincial system or jixiao's own), default parameters (thresholds, each
with its own provenance), and a check function.

Everything but the check is the rule's entry in one data file, ``rules/catalogue.toml``; the check
is one function decorated ``@rule("JX-Q03")`` in the module of its family. Adding a rule is adding
both. Profiles (:mod:`jixiao.review.profiles`) and configuration switch rules on and off and change
parameters.

Two scopes:

* ``declaration``: ``check(decl, ctx) -> Iterable[Hit]``, one declaration at a time;
* ``batch``: ``check(decls, ctx) -> Iterable[(index, Hit)]``, over all the declarations reviewed
  together (a unit's, a department's, a year's); ``index`` names the declaration the hit belongs to.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from jixiao.domain.framework import Framework
from jixiao.domain.i18n import N_, tr, trc
from jixiao.domain.model import Declaration, Indicator
from jixiao.domain.provenance import Provenance, jixiao_own
from jixiao.domain.vocabulary import FIELD_LABELS, field_label

if TYPE_CHECKING:
    from jixiao.review.peers import PeerBenchmarks

__all__ = [
    "DEFAULT_PARAM_PROVENANCE",
    "FAMILIES",
    "FIELD_LABELS",
    "RULES",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "CATALOGUE",
    "CATALOGUE_PATH",
    "BatchCheck",
    "Context",
    "DeclarationCheck",
    "Evidence",
    "Finding",
    "Hit",
    "Rule",
    "Severity",
    "family_label",
    "check_catalogue",
    "indicator_evidence",
    "parse_catalogue",
    "rule",
    "severity_label",
    "stored_suggestion",
    "target_hit",
]

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# Family key → its name (a msgid: family_label translates it). The four 88号 criteria plus the
# funding arithmetic and the framework-profile checks (domain-rules.md §3.1, §6, §1.2).
FAMILIES: dict[str, str] = {
    "completeness": N_("完整性"),
    "funding": N_("资金与日期"),
    "quantification": N_("量化"),
    "ambition": N_("适当性"),
    "relevance": N_("相关性"),
    "profile": N_("指标体系"),
}

# Severity key → its name (a msgid under the context "severity": a table head says 错误 "Errors").
SEVERITY_LABELS: dict[str, str] = {"error": N_("错误"), "warning": N_("警告"), "info": N_("提示")}


def family_label(family: str, lang: str = "zh") -> str:
    """Return the printed name of a rule family (``量化`` / ``quantification``)."""
    return tr(FAMILIES[family], lang) if family in FAMILIES else family


def severity_label(severity: str, lang: str = "zh") -> str:
    """Return the printed name of a severity (``警告`` / ``warning``)."""
    return trc("severity", SEVERITY_LABELS[severity], lang) if severity in SEVERITY_LABELS else severity


# Evidence, Hit and Finding are made by the ten thousand in a batch review: plain slotted dataclasses,
# because a frozen one pays object.__setattr__ for every field. Treat them as values all the same.
@dataclass(slots=True)
class Evidence:
    """What a finding points at: a field path (``goals.annual``) or an indicator row."""

    field: str | None = None
    indicator: str | None = None
    level1: str | None = None
    level2: str | None = None
    target: str | None = None
    index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the non-empty parts, e.g. ``{"indicator": "群众满意度", "target": ">=70%", …}``."""
        return {
            name: getattr(self, name)
            for name in ("field", "indicator", "level1", "level2", "target", "index")
            if getattr(self, name) is not None
        }

    def describe(self, lang: str = "zh") -> str:
        """Return a short label: the indicator with its target, or the field path."""
        if self.indicator is not None:
            level2 = tr(self.level2, lang) if self.level2 else ""
            label = tr("{level2}「{indicator}」", lang, level2=level2, indicator=self.indicator)
            if self.target:
                label += f" {self.target}"
            return label
        if self.field in FIELD_LABELS:
            label = field_label(self.field, lang)
            if self.level1:
                return tr("{label}（{level1}）", lang, label=label, level1=tr(self.level1, lang))
            return label
        return self.field or ""


def indicator_evidence(ind: Indicator, index: int) -> Evidence:
    """Return the evidence naming indicator row ``index`` (0-based) of a declaration."""
    return Evidence(
        field=f"indicators[{index}]",
        indicator=ind.name,
        level1=ind.level1,
        level2=ind.level2,
        target=ind.target.text,
        index=index,
    )


def target_hit(
    ind: Indicator,
    index: int,
    *,
    suggestion_zh: str | None = None,
    suggestion_en: str | None = None,
    suggestion_args: Mapping[str, Any] | None = None,
    **args: Any,
) -> Finding:
    """Return a hit on indicator row ``index`` whose message names the row and its target
    (``{name}``, ``{target}``); ``args`` are the message's other values."""
    return Finding(
        indicator_evidence(ind, index),
        {"name": ind.name, "target": ind.target.text, **args},
        suggestion_zh=suggestion_zh,
        suggestion_en=suggestion_en,
        suggestion_args=suggestion_args,
    )


@dataclass(frozen=True, slots=True)
class Context:
    """What a check may read besides the declarations: the framework, the rule's parameters and, when
    the caller holds them, the peers' data (:class:`~jixiao.review.peers.PeerBenchmarks`)."""

    profile: str
    framework: Framework
    params: Mapping[str, Any]
    peers: PeerBenchmarks | None = None

    def param(self, name: str) -> Any:
        """Return parameter ``name`` (the profile's and configuration's value, else the default)."""
        return self.params[name]


DeclarationCheck = Callable[[Declaration, Context], Iterable["Finding"]]
BatchCheck = Callable[[Sequence[Declaration], Context], Iterable[tuple[int, "Finding"]]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of the rule catalogue. ``title_zh`` and ``message_zh`` (a ``str.format`` template)
    are msgids of the translation catalogue; :meth:`title` and ``message_en`` translate them."""

    code: str
    family: str
    severity: Severity
    title_zh: str
    message_zh: str
    basis: str
    scope: Literal["declaration", "batch"]
    check: Callable[..., Iterable[Any]]
    params: Mapping[str, Any] = field(default_factory=dict)
    provenance: Provenance = field(default_factory=lambda: _unknown())
    param_provenance: Mapping[str, Provenance] = field(default_factory=dict)

    def title(self, lang: str = "zh") -> str:
        """Return the rule's short title in ``lang``."""
        return tr(self.title_zh, lang)

    @property
    def title_en(self) -> str:
        """Return the English title."""
        return self.title("en")

    @property
    def message_en(self) -> str:
        """Return the English message template."""
        return tr(self.message_zh, "en")

    def finding(self, hit: Finding, severity: Severity | None = None) -> Finding:
        """Return ``hit`` as this rule's finding (messages are formatted on demand)."""
        hit.rule = self
        hit.severity = severity or self.severity
        return hit


def _format(template: str, args: Mapping[str, Any]) -> str:
    try:
        return template.format(**args)
    except (KeyError, IndexError, ValueError):  # a template bug must never stop a review
        return template


def _pending_check(*args: Any) -> Iterable[Any]:
    return ()


def _unknown() -> Provenance:
    return jixiao_own("（未注明）", "(not stated)")


# A threshold no source gives: jixiao's, and configurable (``[rules.CODE] name = value``).
DEFAULT_PARAM_PROVENANCE = jixiao_own(
    "jixiao 自定阈值，未见来源规定，可在审核配置中修改",
    "jixiao's own threshold (no source gives one); change it in the review configuration",
)


# The rule of a finding a check has just yielded, until the engine fills in the real one.
_PENDING = Rule("JX-X00", "completeness", "info", "", "", "", "declaration", _pending_check)


@dataclass(slots=True)
class Finding:
    """One review comment (审核意见) on one declaration: a rule, the evidence, the message's values.

    Checks yield it as :data:`Hit` (evidence, message values, suggestion); the engine then sets the
    rule and the severity in force. One object per finding: a batch review makes a hundred thousand.
    """

    evidence: Evidence
    args: Mapping[str, Any] = field(default_factory=dict)
    suggestion_zh: str | None = None  # a msgid; a str.format template when suggestion_args are given
    suggestion_en: str | None = None  # a check's own English, only where the text is built from the form
    rule: Rule = _PENDING
    severity: Severity = "info"
    provenance: Provenance | None = None  # the basis in force (a profile may cite another), else the rule's
    suggestion_args: Mapping[str, Any] | None = None
    suggestion_msgid: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        # A suggestion given as a template and its values: the template is the catalogue's msgid,
        # suggestion_zh the Chinese text as the form's reader sees it.
        if self.suggestion_args and self.suggestion_zh is not None:
            self.suggestion_msgid = self.suggestion_zh
            self.suggestion_zh = _format(self.suggestion_zh, self.suggestion_args)

    @property
    def code(self) -> str:
        """Return the rule's stable code, e.g. ``JX-Q07``."""
        return self.rule.code

    @property
    def family(self) -> str:
        """Return the rule's family key (completeness, funding, quantification …)."""
        return self.rule.family

    @property
    def basis(self) -> str:
        """Return what the finding rests on, in Chinese (see :attr:`source` for the status)."""
        return self.source.basis_zh

    @property
    def source(self) -> Provenance:
        """Return the basis and status in force for this finding."""
        return self.provenance or self.rule.provenance

    @property
    def title_zh(self) -> str:
        """Return the rule's short Chinese title."""
        return self.rule.title_zh

    @property
    def message_zh(self) -> str:
        """Return the Chinese message."""
        return _format(self.rule.message_zh, self.args)

    @property
    def message_en(self) -> str:
        """Return the English message."""
        return self.message("en")

    def message(self, lang: str = "zh") -> str:
        """Return the message in ``lang`` (the rule's template from the catalogue, then the values)."""
        return _format(tr(self.rule.message_zh, lang), self.args)

    def suggestion(self, lang: str = "zh") -> str | None:
        """Return the suggestion in ``lang``: the check's own English text, else the catalogue's."""
        if self.suggestion_zh is None:
            return None
        if lang == "en" and self.suggestion_en:
            return self.suggestion_en
        if self.suggestion_msgid is not None and self.suggestion_args:
            return _format(tr(self.suggestion_msgid, lang), self.suggestion_args)
        return tr(self.suggestion_zh, lang)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the JSON shape: code, family, severity, message (and both languages' messages and
        suggestions), evidence, suggestion, and what it rests on: ``basis`` (Chinese), ``basis_en``, ``status`` and ``status_label``."""
        source = self.source
        # Each text is formatted once: ``lang`` is nearly always one of the two stored ones (a batch
        # review stores a hundred thousand findings).
        message_zh, message_en = self.message_zh, self.message_en
        suggestion_zh, suggestion_en = self.suggestion("zh"), self.suggestion("en")
        return {
            "code": self.code,
            "family": self.family,
            "severity": self.severity,
            "message": message_zh if lang == "zh" else message_en if lang == "en" else self.message(lang),
            "message_zh": message_zh,
            "message_en": message_en,
            "evidence": self.evidence.to_dict(),
            "suggestion": (
                suggestion_zh if lang == "zh" else suggestion_en if lang == "en" else self.suggestion(lang)
            ),
            # Both languages, so that a stored finding is shown in its reader's language.
            "suggestion_zh": suggestion_zh,
            "suggestion_en": suggestion_en,
            "basis": source.basis_zh,
            "basis_en": source.basis_en or source.basis_zh,
            "status": source.status,
            "status_label": source.label(lang),
        }


def stored_suggestion(stored: Mapping[str, Any], lang: str = "zh") -> str | None:
    """Return the suggestion of a stored finding (:meth:`Finding.to_dict`) in ``lang``.

    Findings stored before both languages were kept hold only the Chinese ``suggestion``: English
    is then its catalogue translation, and a suggestion built from the form's own text (which has
    none) stays Chinese until the declaration is reviewed again.
    """
    key = "suggestion_en" if lang == "en" else "suggestion_zh"
    if key in stored:
        return stored[key]  # type: ignore[no-any-return]
    text = stored.get("suggestion")
    return tr(text, lang) if isinstance(text, str) and text else text


# What a check yields: ``Hit(evidence, args, suggestion_zh=N_("…{x}…"), suggestion_args={"x": …})``.
Hit = Finding

# code → Rule, in registration order (families are imported in jixiao.review.rules).
RULES: dict[str, Rule] = {}


def parse_catalogue(text: str) -> dict[str, Rule]:
    """Return the rules a catalogue describes (TOML text, see ``rules/catalogue.toml``): code → Rule,
    each with no check yet (:func:`rule` attaches it).

    Raise ``ValueError`` on an entry with an unknown or missing field, an unknown family, severity,
    scope or status, a blank basis, or a basis for a parameter the rule does not have.
    """
    return {code: _catalogue_entry(code, entry) for code, entry in tomllib.loads(text).items()}


_REQUIRED = frozenset({"family", "severity", "status", "title", "message", "basis"})
_OPTIONAL = frozenset({"scope", "region", "verified", "basis_en", "params", "param_basis"})
_PARAM_BASIS = frozenset({"status", "basis", "basis_en", "region", "verified"})


def _catalogue_provenance(entry: Mapping[str, Any]) -> Provenance:
    return Provenance(
        entry["status"],
        entry["basis"],
        entry.get("basis_en", ""),
        region=entry.get("region"),
        verified=entry.get("verified", True),
    )


def _catalogue_entry(code: str, entry: Mapping[str, Any]) -> Rule:
    missing, unknown = _REQUIRED - set(entry), set(entry) - _REQUIRED - _OPTIONAL
    if missing or unknown:
        raise ValueError(f"rule {code}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    if entry["family"] not in FAMILIES:
        raise ValueError(f"rule {code}: unknown family {entry['family']!r}")
    if entry["severity"] not in SEVERITIES:
        raise ValueError(f"rule {code}: unknown severity {entry['severity']!r}")
    scope = entry.get("scope", "declaration")
    if scope not in ("declaration", "batch"):
        raise ValueError(f"rule {code}: unknown scope {scope!r}")
    params: dict[str, Any] = dict(entry.get("params", {}))
    param_basis: Mapping[str, Mapping[str, Any]] = entry.get("param_basis", {})
    unknown = set(param_basis) - set(params)
    if unknown:
        raise ValueError(f"rule {code}: basis for unknown parameters {sorted(unknown)}")
    for name, basis in param_basis.items():
        if set(basis) - _PARAM_BASIS or not {"status", "basis"} <= set(basis):
            raise ValueError(f"rule {code}: the basis of parameter {name} needs status and basis only")
    try:
        provenance = _catalogue_provenance(entry)
        param_provenance = {
            name: _catalogue_provenance(param_basis[name])
            if name in param_basis
            else DEFAULT_PARAM_PROVENANCE
            for name in params
        }
    except ValueError as exc:
        raise ValueError(f"rule {code}: {exc}") from None
    return Rule(
        code=code,
        family=entry["family"],
        severity=entry["severity"],
        title_zh=entry["title"],
        message_zh=entry["message"],
        basis=entry["basis"],
        scope=scope,
        check=_pending_check,
        params=params,
        provenance=provenance,
        param_provenance=param_provenance,
    )


# Beside the family modules, read by path: importing jixiao.review.rules would import this module.
CATALOGUE_PATH = Path(__file__).resolve().parent / "rules" / "catalogue.toml"
CATALOGUE: dict[str, Rule] = parse_catalogue(CATALOGUE_PATH.read_text(encoding="utf-8"))

Check = TypeVar("Check", bound=Callable[..., Iterable[Any]])


def rule(code: str) -> Callable[[Check], Check]:
    """Register the decorated function as the check of rule ``code``; return the function unchanged.

    What the rule is (family, severity, title, message, what it rests on, parameters) is its entry
    in :data:`CATALOGUE`; a code with no entry raises ``LookupError`` at import.
    """
    try:
        entry = CATALOGUE[code]
    except KeyError:
        raise LookupError(f"rule {code} has no entry in {CATALOGUE_PATH.name}") from None

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = replace(entry, check=check)
        return check

    return register


def check_catalogue() -> None:
    """Raise ``LookupError`` when an entry of the catalogue has no check (once every family module
    has registered its rules)."""
    missing = [code for code in CATALOGUE if code not in RULES]
    if missing:
        raise LookupError(f"rules in {CATALOGUE_PATH.name} with no @rule function: {missing}")
