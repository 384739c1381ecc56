"""Normalising indicator names: the key a benchmark compares targets under, synonyms merged.

Published forms name the same indicator many ways (群众满意度, 市民满意度, 服务对象满意度); a benchmark
over a province or a database merges them into one key. The synonyms are data
(:data:`NAME_SYNONYMS`, :data:`SATISFACTION_SUBJECTS`): adding a spelling is adding an entry. The
review's peer rules and the corpus both key by :func:`normalise_indicator_name`, so a corpus's
benchmarks and the database's agree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jixiao.review.lexicon import squeeze

__all__ = [
    "NAME_SYNONYMS",
    "SATISFACTION_KEY",
    "SATISFACTION_PLACES",
    "SATISFACTION_SUBJECTS",
    "normalise_indicator_name",
]

# Who is asked in a satisfaction survey: every one of these names the same 服务对象满意度 indicator
# (满意度指标 / 服务对象满意度指标, 财预〔2020〕10号 附件2 指标体系).
SATISFACTION_SUBJECTS: tuple[str, ...] = (
    "社会公众或服务对象",
    "群众或服务对象",
    "服务对象",
    "社会公众",
    "公众",
    "群众",
    "市民",
    "居民",
    "村民",
    "受益群众",
    "受益对象",
    "受益人群",
    "受益人",
)
# Where the people asked live, written before the subject (沿线群众满意度, 辖区居民满意度).
SATISFACTION_PLACES: tuple[str, ...] = ("项目区", "沿线", "周边", "辖区", "社区", "本区", "全市", "全区")
_SATISFACTION = re.compile(
    "^(?:" + "|".join(SATISFACTION_PLACES) + ")?"
    "(?:" + "|".join(sorted(SATISFACTION_SUBJECTS, key=len, reverse=True)) + ")(?:的)?满意(?:度|率)$"
)
SATISFACTION_KEY = "服务对象满意度"

# Other names that mean one indicator, each mapped to the spelling the benchmarks print.
NAME_SYNONYMS: dict[str, str] = {
    "资金执行率": "预算执行率",
    "预算资金执行率": "预算执行率",
    "项目资金执行率": "预算执行率",
    "资金支付率": "预算执行率",
    "项目完成及时率": "完成及时率",
    "任务完成及时率": "完成及时率",
    "工作完成及时率": "完成及时率",
}

_NUMBERING = re.compile(r"^(?:[(（]?[0-9一二三四五六七八九十]{1,3}[)）.、．]|[①-⑳])\s*")


@lru_cache(maxsize=65536)
def normalise_indicator_name(name: str) -> str:
    """Return the key an indicator is benchmarked under: folded, unnumbered, synonyms merged.

    >>> normalise_indicator_name("市民满意度"), normalise_indicator_name("群众满意率")
    ('服务对象满意度', '服务对象满意度')
    """
    # Circled numbers (②) fold to digits, so numbering is dropped before folding and after.
    key = _NUMBERING.sub("", squeeze(_NUMBERING.sub("", name.strip())))
    if _SATISFACTION.match(key):
        return SATISFACTION_KEY
    return NAME_SYNONYMS.get(key, key)
