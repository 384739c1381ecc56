"""jixiao.review: automatic review (审核) of declared performance targets.

A rule engine (:mod:`.engine`), one registry of rules (:mod:`.registry`, the catalogue in
:mod:`.rules`), profiles and configuration (:mod:`.profiles`), grading (:mod:`.grading`) and reports
(:mod:`.render`)::

    from jixiao.review import review
    report = review(declarations, profile="shanghai-2022", config={"rules": {"JX-Q09": {"enabled": False}}})
    report.to_dict()["declarations"][0]["grade"]   # "良"
"""

from __future__ import annotations

import sys
import types
from typing import Any

from jixiao.review.engine import DeclarationReview, ReviewReport, review
from jixiao.review.grading import CONSEQUENCES, GRADES, Grading
from jixiao.review.profiles import PROFILES, Profile, load_config, resolve
from jixiao.review.registry import FAMILIES, RULES, Evidence, Finding, Rule

__all__ = [
    "CONSEQUENCES",
    "FAMILIES",
    "GRADES",
    "PROFILES",
    "RULES",
    "DeclarationReview",
    "Evidence",
    "Finding",
    "Grading",
    "Profile",
    "ReviewReport",
    "Rule",
    "load_config",
    "resolve",
    "review",
]


class _CallableModule(types.ModuleType):
    """Importing this package sets the attribute ``jixiao.review`` to the package, hiding the function
    ``jixiao.review()`` of ``jixiao/__init__.py``; calling the package does what calling that did."""

    def __call__(self, declarations: Any, profile: str = "shanghai-2022", **options: Any) -> ReviewReport:
        return review(declarations, profile=profile, **options)


sys.modules[__name__].__class__ = _CallableModule
