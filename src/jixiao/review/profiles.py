"""Review profiles as data: which rules apply, with which thresholds, and the grading table.

A profile names an indicator framework (:mod:`jixiao.domain.framework`) and overrides rule settings.
Configuration (a dict, or a TOML file) is laid over the profile without code::

    [rules.JX-Q09]
    enabled = false            # switch a rule off
    [rules.JX-A01]
    gap = 5                    # change a threshold
    severity = "info"          # change a severity
    [grading]
    bands = [["优", 92], ["良", 80], ["中", 60], ["差", 0]]
    [grading.deductions]
    warning = 4
"""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.domain.errors import InputError, Location
from jixiao.domain.framework import Framework, framework_for, get_framework
from jixiao.domain.keyed import by_key
from jixiao.domain.provenance import Provenance
from jixiao.domain.vocabulary import DEFAULT_REGION, REGIONS
from jixiao.review.grading import DEFAULT_GRADING, Grading
from jixiao.review.registry import RULES, SEVERITIES, Rule, Severity

__all__ = ["PROFILES", "Profile", "ResolvedRule", "Settings", "load_config", "profile_for", "resolve"]


BASIS_101 = Provenance(
    "official",
    "财预〔2021〕101号《中央部门项目支出核心绩效目标和指标设置及取值指引（试行）》：成本指标列为一级指标；"
    "该指引供参考、试行，未要求每个项目均须设置（domain-rules.md §1.2、§10）",
    "MOF 财预〔2021〕101号 (guideline issued for reference and trial): cost is a level-1 category; "
    "it does not require a cost indicator on every project",
    verified=False,
)


@dataclass(frozen=True, slots=True)
class Profile:
    """A named set of rule settings over one indicator framework."""

    key: str
    title: str
    framework: str
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


PROFILES: dict[str, Profile] = by_key(
    # The 2022 Shanghai district form has no 成本指标 row (the seed forms): no cost rule.
    Profile(
        "shanghai-2022",
        "上海市 2022 年度申报表（成本指标不作要求）",
        "shanghai-2022",
        {"JX-P01": {"enabled": False}},
    ),
    # 101号 is issued for reference and trial: a missing cost indicator is a warning citing it.
    Profile(
        "national-2021",
        "全国 财预〔2021〕101号（成本指标为一级指标，试行）",
        "national-2021",
        {"JX-P01": {"severity": "warning", "required": False, "provenance": BASIS_101}},
    ),
    # Before 2021 成本指标 was an optional 二级 under 产出 (domain-rules.md §1.1).
    Profile(
        "national-classic",
        "全国 2015–2020 指标体系（成本指标为产出下的二级指标，不作要求）",
        "national-classic",
        {"JX-P01": {"enabled": False}},
    ),
    Profile("shanghai-2025", "上海市 2025 年指引（原则上每个项目均应设置成本指标）", "shanghai-2025"),
)


@dataclass(frozen=True, slots=True)
class ResolvedRule:
    """A rule with the severity and parameters in force for one review."""

    rule: Rule
    severity: Severity
    params: Mapping[str, Any]
    provenance: Provenance | None = None

    @property
    def source(self) -> Provenance:
        """Return the basis and status in force (the profile's citation, else the rule's)."""
        return self.provenance or self.rule.provenance


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a review needs besides the declarations."""

    profile: Profile
    framework: Framework
    rules: tuple[ResolvedRule, ...]
    grading: Grading


def _config_error(zh: str, en: str, where: str | None = None) -> InputError:
    return InputError(
        f"审核配置有误：{zh}",
        f"bad review configuration: {en}",
        code="JX-E121",
        where=Location(field=where) if where else None,
    )


def load_config(path: str | Path) -> dict[str, Any]:
    """Return the configuration in a TOML file; InputError JX-E121 when it cannot be read."""
    try:
        with Path(path).open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise InputError(
            "配置文件不存在", "no such configuration file", code="JX-E101", where=Location(file=str(path))
        ) from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _config_error(str(exc), str(exc)) from None


def profile_for(year: int | None, region: str = DEFAULT_REGION) -> str:
    """Return the profile of the framework in force in ``region`` for budget ``year``.

    A profile shares its key with its framework (``shanghai-2022`` …), so one region key chooses both.
    """
    key = framework_for(year, REGIONS[region].framework_region if region in REGIONS else region).key
    return key if key in PROFILES else framework_for(year, "national").key


def resolve(profile: str, config: Mapping[str, Any] | None = None) -> Settings:
    """Return the settings of ``profile`` with ``config`` laid over it.

    Raises InputError JX-E120 for an unknown profile and JX-E121 for a configuration naming an unknown
    rule, an unknown parameter or a bad value.
    """
    if profile not in PROFILES:
        raise InputError(
            f"未知的审核口径「{profile}」（可选：{'、'.join(PROFILES)}）",
            f"unknown profile '{profile}' (known: {', '.join(PROFILES)})",
            code="JX-E120",
        )
    prof = PROFILES[profile]
    config = dict(config or {})
    unknown = set(config) - {"rules", "grading"}
    if unknown:
        raise _config_error(f"未知的配置项 {sorted(unknown)}", f"unknown keys {sorted(unknown)}")
    overrides = config.get("rules", {})
    if overrides is None:
        overrides = {}
    if not isinstance(overrides, Mapping):
        raise _config_error("rules 应为表", "rules must be a table", "rules")
    for code in overrides:
        if code not in RULES:
            raise _config_error(f"未知的规则 {code}", f"unknown rule {code}", f"rules.{code}")
    resolved: list[ResolvedRule] = []
    for code, r in RULES.items():
        merged: dict[str, Any] = {"enabled": True, "severity": r.severity, **r.params}
        # A profile may cite another basis for a rule (101号 rather than Shanghai's 指引); configuration
        # may not: what a rule rests on is not a setting.
        profile_layer = dict(prof.rules.get(code, {}))
        cited = profile_layer.pop("provenance", None)
        for layer, where in (
            (profile_layer, f"profile {profile}"),
            (overrides.get(code, {}), f"rules.{code}"),
        ):
            if not isinstance(layer, Mapping):
                raise _config_error(f"{where} 应为表", f"{where} must be a table", where)
            for key, value in layer.items():
                if key not in merged:
                    raise _config_error(
                        f"规则 {code} 没有参数「{key}」",
                        f"rule {code} has no parameter '{key}'",
                        f"rules.{code}.{key}",
                    )
                if (
                    key not in ("enabled", "severity")
                    and not isinstance(value, type(merged[key]))
                    and not (isinstance(merged[key], int | float) and isinstance(value, int | float))
                ):
                    raise _config_error(
                        f"规则 {code} 的参数「{key}」类型不对",
                        f"rule {code}: bad type for '{key}'",
                        f"rules.{code}.{key}",
                    )
                merged[key] = value
        if merged["severity"] not in SEVERITIES:
            raise _config_error(
                f"规则 {code} 的级别「{merged['severity']}」无效",
                f"rule {code}: bad severity",
                f"rules.{code}.severity",
            )
        if not isinstance(merged["enabled"], bool):
            raise _config_error(
                f"规则 {code} 的 enabled 应为 true/false",
                f"rule {code}: enabled must be a boolean",
                f"rules.{code}.enabled",
            )
        if merged.pop("enabled"):
            severity = merged.pop("severity")
            resolved.append(ResolvedRule(r, severity, merged, cited))
    grading_config = config.get("grading", {})
    if grading_config is None:
        grading_config = {}
    if not isinstance(grading_config, Mapping):
        raise _config_error("grading 应为表", "grading must be a table", "grading")
    try:
        grading = Grading.from_config(copy.deepcopy(DEFAULT_GRADING), grading_config)
    except (ValueError, TypeError) as exc:
        raise _config_error(str(exc), str(exc), "grading") from None
    return Settings(prof, get_framework(prof.framework), tuple(resolved), grading)
