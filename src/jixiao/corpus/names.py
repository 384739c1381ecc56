"""Normalising what a corpus compares across units: indicator names and the region of a unit.

Published forms name the same indicator many ways (群众满意度, 市民满意度, 服务对象满意度); a benchmark
over a province merges them into one key (:func:`normalise_indicator_name`, kept in
:mod:`jixiao.review.names` so that the review's peer rules key the same way). The region of a form is read
from its units' names (上海市青浦区…, 安徽省…, 寿县…), since the forms carry no region field.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from jixiao.review.lexicon import squeeze
from jixiao.review.names import (
    NAME_SYNONYMS,
    SATISFACTION_KEY,
    SATISFACTION_PLACES,
    SATISFACTION_SUBJECTS,
    normalise_indicator_name,
)

__all__ = [
    "LEVELS",
    "NAME_SYNONYMS",
    "SATISFACTION_KEY",
    "SATISFACTION_PLACES",
    "SATISFACTION_SUBJECTS",
    "Region",
    "normalise_indicator_name",
    "region_of",
]

# Administrative levels, highest first (省级 includes the four municipalities and 自治区).
LEVELS: tuple[str, ...] = ("省级", "市级", "区县级")

_PROVINCE = re.compile(
    r"^(北京市|天津市|上海市|重庆市|[^\W\d省市州区县]{2,7}?(?:省|自治区)|香港特别行政区|澳门特别行政区)"
)
_CITY = re.compile(r"^([^\W\d省市州区县旗盟]{2,5}?(?:市|自治州|州|盟|地区))")
_COUNTY = re.compile(r"^([^\W\d省市州区县旗盟]{1,5}?(?:自治县|区|县|旗))")
_CODE_PREFIX = re.compile(r"^[\[【(（]?\d+[\]】)）]?")


class Region(NamedTuple):
    """Where a unit sits: province, prefecture and county parts (any may be empty) and its level."""

    province: str
    city: str
    county: str

    @property
    def name(self) -> str:
        """Return the parts joined, e.g. ``上海市青浦区``; ``""`` when no part was recognised."""
        return self.province + self.city + self.county

    @property
    def level(self) -> str | None:
        """Return 省级, 市级 or 区县级 from the lowest part present; None when nothing was recognised."""
        if self.county:
            return "区县级"
        if self.city:
            return "市级"
        if self.province:
            return "省级"
        return None


@lru_cache(maxsize=16384)
def _parts(unit: str) -> Region:
    s = _CODE_PREFIX.sub("", squeeze(unit))
    province = city = county = ""
    if m := _PROVINCE.match(s):
        province, s = m[1], s[m.end() :]
    if m := _CITY.match(s):
        city, s = m[1], s[m.end() :]
    if m := _COUNTY.match(s):
        county = m[1]
    return Region(province, city, county)


def region_of(implementing_unit: str | None, competent_department: str | None) -> Region:
    """Return the region read from the implementing unit's name, completed by the department's.

    A county unit under a prefecture department (东乡县农业农村局 under 临夏州农业农村局) reads as
    临夏州东乡县; parts are never guessed: a name that starts with no place name gives none.
    """
    own = _parts(implementing_unit or "")
    above = _parts(competent_department or "")
    return Region(own.province or above.province, own.city or above.city, own.county or above.county)
