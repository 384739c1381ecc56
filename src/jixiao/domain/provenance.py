"""Where a rule comes from: its basis and a status, and regional options where the sources differ.

A finance bureau trusts a grade only if it can see what it rests on (domain-rules.md §10). Every
review rule, scoring formula, threshold and band carries a :class:`Provenance`:

=============  ==============================================================================
status         meaning
=============  ==============================================================================
official       a national document, named with its article (财预〔2015〕88号 第二十五条)
provincial     one province's or city's own rule (上海市 2025 指引; 四川省 自评表填报说明)
practice       what a provincial system or a local form does (a vendor's deployed validator)
jixiao         jixiao's own choice, configurable: no source prescribes it
=============  ==============================================================================

Where the sources differ, the choice is an :class:`Option`: named choices, each with its own
provenance, one default and the reason for it. A region's rules pick a choice per option
(:func:`choose`); a region may also bring a choice of its own (a :class:`Choice` object) with its
own provenance and payload. Scoring options (reverse formula, qualitative bands, the low-execution
reason, the over-achievement note; execution-rate caps and the deviation deduction) all use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from jixiao.domain.i18n import N_, tr

__all__ = [
    "STATUSES",
    "STATUS_LABELS",
    "Choice",
    "Option",
    "Provenance",
    "Status",
    "choose",
    "jixiao_own",
]

Status = Literal["official", "provincial", "practice", "jixiao"]
STATUSES: tuple[Status, ...] = ("official", "provincial", "practice", "jixiao")

# Status → its name (a msgid of the catalogue).
STATUS_LABELS: dict[str, str] = {
    "official": N_("官方文件"),
    "provincial": N_("地方规定"),
    "practice": N_("地方系统或表格做法"),
    "jixiao": N_("jixiao 自定（可配置）"),
}


@dataclass(frozen=True, slots=True)
class Provenance:
    """The basis of one rule and its status.

    ``basis_zh`` names the document and article (official), the province and its rule (provincial),
    the system or form (practice), or says why jixiao chose so (jixiao). It is a msgid of the
    translation catalogue, whose English wins over ``basis_en`` (kept for provenances built from
    configuration, which the catalogue cannot know). ``region`` is the province
    or city of a provincial rule or practice. ``verified`` is False where the wording is recalled,
    not seen in the original (domain-rules.md marks those "(recalled)").
    """

    status: Status
    basis_zh: str
    basis_en: str = ""
    region: str | None = None
    verified: bool = True

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown provenance status {self.status!r}")
        if not self.basis_zh.strip():
            raise ValueError("a provenance needs a basis")

    def label(self, lang: str = "zh") -> str:
        """Return the status as a reader sees it: 「地方规定（四川）」, 「官方文件」 …"""
        text = tr(STATUS_LABELS[self.status], lang)
        if self.region:
            text += tr("（{region}）", lang, region=tr(self.region, lang))
        if not self.verified:
            text += tr("，原文未核实", lang)
        return text

    def basis(self, lang: str = "zh") -> str:
        """Return the basis in ``lang``: the catalogue's, else ``basis_en``, else the Chinese one."""
        text = tr(self.basis_zh, lang)
        if text == self.basis_zh and lang == "en" and self.basis_en:
            return self.basis_en
        return text

    def describe(self, lang: str = "zh") -> str:
        """Return 「[status] basis」, the one line the reports print."""
        return f"[{self.label(lang)}] {self.basis(lang)}"

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return ``{"status", "status_label", "basis", "basis_zh", "basis_en", "region", "verified"}``."""
        return {
            "status": self.status,
            "status_label": self.label(lang),
            "basis": self.basis(lang),
            "basis_zh": self.basis_zh,
            "basis_en": self.basis("en"),
            "region": self.region,
            "verified": self.verified,
        }


def _pick(zh: str, en: str, lang: str) -> str:
    """Return ``zh`` translated by the catalogue; where it has no entry, ``en`` in English."""
    text = tr(zh, lang)
    return en if text == zh and lang == "en" and en else text


def jixiao_own(zh: str, en: str = "") -> Provenance:
    """Return the provenance of a choice of jixiao's own (a threshold, a table no source gives)."""
    return Provenance("jixiao", zh, en)


@dataclass(frozen=True, slots=True)
class Choice:
    """One way of doing what the sources do differently; ``value`` is its payload (bands, numbers)."""

    key: str
    title_zh: str
    title_en: str
    provenance: Provenance
    value: Any = None

    def title(self, lang: str = "zh") -> str:
        """Return the choice's title in ``lang`` (the catalogue's, else ``title_en``)."""
        return _pick(self.title_zh, self.title_en, lang)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the choice as JSON (its payload left out: the caller shows what it means)."""
        return {
            "key": self.key,
            "title": self.title(lang),
            **self.provenance.to_dict(lang),
        }


@dataclass(frozen=True, slots=True)
class Option:
    """A regional option: its choices, the default and why it is the default."""

    key: str
    title_zh: str
    title_en: str
    choices: tuple[Choice, ...]
    default: str
    why_zh: str
    why_en: str
    by_key: Mapping[str, Choice] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = {c.key: c for c in self.choices}
        if len(keys) != len(self.choices):
            raise ValueError(f"option {self.key}: duplicate choice keys")
        if self.default not in keys:
            raise ValueError(f"option {self.key}: the default {self.default!r} is not a choice")
        object.__setattr__(self, "by_key", keys)

    def resolve(self, selected: str | Choice | None) -> Choice:
        """Return the choice ``selected`` names (a key, a region's own Choice, or None: the default)."""
        if selected is None:
            return self.by_key[self.default]
        if isinstance(selected, Choice):
            return selected
        try:
            return self.by_key[selected]
        except KeyError:
            known = ", ".join(self.by_key)
            raise ValueError(f"option {self.key}: unknown choice {selected!r} (known: {known})") from None

    def to_dict(self, selected: str | Choice | None, lang: str = "zh") -> dict[str, Any]:
        """Return the option as a report shows it: the choice in force, whether it is the default, why."""
        chosen = self.resolve(selected)
        return {
            "option": self.key,
            "title": _pick(self.title_zh, self.title_en, lang),
            "choice": chosen.to_dict(lang),
            "is_default": chosen.key == self.default,
            "default": self.default,
            "why_default": _pick(self.why_zh, self.why_en, lang),
            "choices": [c.key for c in self.choices],
        }


def choose(options: Mapping[str, Option], selected: Mapping[str, str | Choice], key: str) -> Choice:
    """Return the choice in force for option ``key`` given a region's ``selected`` choices."""
    return options[key].resolve(selected.get(key))
