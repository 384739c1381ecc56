"""Word lists and text tests the review rules share (review-pain-points.md A1–A5, B1, B4, C1–C4).

Every test works on text folded and stripped of whitespace (:func:`squeeze`), because extracted forms
wrap cells mid-word ("建设完\\n成率", "10\\n0 个").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from jixiao.domain.framework import BENEFIT, COST, OUTPUT, SATISFACTION, canonical_level1, canonical_level2
from jixiao.domain.model import Declaration, Indicator
from jixiao.domain.text import fold

__all__ = [
    "GoalQuantity",
    "Row",
    "forget_rows",
    "rows",
    "claim_stems",
    "completion_subject",
    "goal_quantity_for",
    "has_quantity",
    "is_benefit",
    "is_cost",
    "is_count_name",
    "is_output",
    "is_rate_name",
    "is_satisfaction",
    "is_timely_word",
    "level2_of",
    "multi_year_phrases",
    "past_tense_markers",
    "squeeze",
    "sweeping_phrases",
    "vague_words",
    "work_list",
]


def squeeze(text: str | None) -> str:
    """Return ``text`` folded (full width → half width) with all whitespace removed; None → ""."""
    if not text:
        return ""
    return _squeeze(text)


# Folding is the costliest step of a review; names, targets and goals are squeezed by several rules
# each, and 三级 names repeat across a unit's forms: remember the recent ones.
@lru_cache(maxsize=16384)
def _squeeze(text: str) -> str:
    # fold() is NFKC plus a look-alike table. NFKC over a whole Chinese paragraph is slow (tens of µs:
    # full-width punctuation sends it down its slow path), so fold only the characters that need it;
    # text with look-alikes or combining marks takes fold() itself.
    if _LOOKALIKE.search(text) is None and _COMBINING.search(text) is None:
        normalised = _NON_TRIVIAL.sub(_nfkc_char, text)
        if _LOOKALIKE.search(normalised) is None:
            return "".join(normalised.split())
    return "".join(fold(text).split())


# Every character jixiao.domain.text.fold maps besides NFKC (its table; ‰ and 。 map to themselves).
_LOOKALIKE = re.compile("[≧≦═〓－—–―〜∽～﹪％\u3000\u00a0]")
# Combining marks compose with their neighbours under NFKC: character-by-character folding would differ.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f]")
# ASCII, CJK ideographs and the common Chinese punctuation are NFKC-stable: nothing to do for them.
_NON_TRIVIAL = re.compile("[^\x00-\x7f\u4e00-\u9fff\u3001\u3002\u300a-\u3011\u2018-\u201d]")
_NFKC_CHARS: dict[str, str] = {}


def _nfkc_char(match: re.Match[str]) -> str:
    ch = match.group()
    folded = _NFKC_CHARS.get(ch)
    if folded is None:
        folded = _NFKC_CHARS[ch] = unicodedata.normalize("NFKC", ch)
    return folded


@lru_cache(maxsize=1024)
def _level1(name: str) -> str:
    return canonical_level1(name)


@lru_cache(maxsize=1024)
def _level2(name: str) -> str:
    return canonical_level2(name)


def is_output(ind: Indicator) -> bool:
    """Return True for a row under 产出指标."""
    return _level1(ind.level1) == OUTPUT


def is_benefit(ind: Indicator) -> bool:
    """Return True for a row under 效益指标."""
    return _level1(ind.level1) == BENEFIT


def is_satisfaction(ind: Indicator) -> bool:
    """Return True for a satisfaction row: 一级 满意度指标, or a 满意度/满意率 name anywhere."""
    if _level1(ind.level1) == SATISFACTION:
        return True
    name = squeeze(ind.name)
    return "满意度" in name or "满意率" in name


def is_cost(ind: Indicator) -> bool:
    """Return True for a cost row: 一级 成本指标 (2021 guideline) or 二级 成本指标 under 产出 (classic)."""
    return _level1(ind.level1) == COST or _level2(ind.level2) == "成本指标"


def level2_of(ind: Indicator) -> str:
    """Return the canonical 二级 name of a row."""
    return _level2(ind.level2)


def is_rate_name(name: str) -> bool:
    """Return True when the name announces a ratio: it ends in 率 or 比例 (or 满意度)."""
    return squeeze(name).endswith(_RATE_ENDINGS)


_RATE_ENDINGS = ("率", "比例", "比率", "满意度", "占比")


_COUNT_ENDINGS = ("数量", "人数", "个数", "次数", "件数", "场次", "户数", "台数", "项数", "册数", "份数")


def is_count_name(name: str) -> bool:
    """Return True when the name announces a count (…数量, …人数, …次数)."""
    return squeeze(name).endswith(_COUNT_ENDINGS)


# 及时 and its siblings say "on time" without saying which time (review-pain-points C1).
_TIMELY = {
    "及时",
    "按时",
    "及时完成",
    "按时完成",
    "按期",
    "按期完成",
    "准时",
    "准时完成",
    "及时办理",
    "及时处置",
    "及时发放",
    "及时到位",
    "按时到位",
    "按计划完成",
    "在项目计划完成时间内完成",
}


def is_timely_word(text: str) -> bool:
    """Return True for a target that is only "on time": 及时, 按时完成, 按期 …"""
    return squeeze(text) in _TIMELY


# --- goal text -------------------------------------------------------------------------------

# review-pain-points A1: vague words that promise a change without saying how much.
_VAGUE = ("提升", "提高", "明显", "显著", "进一步", "有效", "加强", "完善", "改善", "促进")
_VAGUE_RE = re.compile("|".join(_VAGUE))
_UNITS = (
    r"%|‰|个百分点|百分点|个|家|所|条|处|人次|人|名|件|次|场|套|台|项|公里|千米|平方米|米|万|亿|元|"
    r"天|日|小时|分钟|周|月|年|册|份|期|户|辆|吨|座|类|批|余|张|块|批次|篇|部|间|棵|株|亩|公顷"
)
_QUANTITY = re.compile(rf"\d+(?:\.\d+)?(?:{_UNITS})")
# List numbering "1、" "2." "(3)" is not a quantity.
_ENUMERATION = re.compile(r"(?:(?<=^)|(?<=[。；;：:，,！!？?）)]))[(（]?\d{1,2}[)）]?(?:、|\.|．)(?!\d)")


def vague_words(text: str | None) -> list[str]:
    """Return the vague words of ``text`` (提升, 进一步 …) in order of first use."""
    s = squeeze(text)
    return [w for w in _VAGUE if w in s] if _VAGUE_RE.search(s) else []


def has_quantity(text: str | None) -> bool:
    """Return True when ``text`` states a number with a unit or a date (not list numbering)."""
    s = squeeze(text)
    if not _QUANTITY.search(s):
        return False
    return bool(_QUANTITY.search(_ENUMERATION.sub("", s)))


# No optional prefix at the front: a pattern that can start anywhere is tried at every position.
_MULTI_YEAR = re.compile(r"[一二两三四五六七八九十\d]+年的?(?:努力|时间|建设|奋斗)|累计|[到至]\d{4}年")
_MULTI_YEAR_PREFIXES = ("经过", "通过", "历经", "用")


def multi_year_phrases(text: str | None) -> list[str]:
    """Return phrases that state a multi-year result: 经过三年努力, 累计, 到2025年 (pain point A3)."""
    s = squeeze(text)
    if "年" not in s and "累计" not in s:
        return []
    phrases: list[str] = []
    for m in _MULTI_YEAR.finditer(s):
        start = m.start()
        prefix = next((p for p in _MULTI_YEAR_PREFIXES if s.endswith(p, 0, start)), "")
        phrases.append(prefix + m.group(0))
    return list(dict.fromkeys(phrases))


_PERFECTIVE = re.compile(r"(?<![为除])了(?![解如])")
_PAST_PHRASES = ("今年以来", "稳步上升", "取得了", "已完成", "已经", "持续向好", "得到解决", "去年以来")


def past_tense_markers(text: str | None) -> list[str]:
    """Return the markers of a report of past work (…了, 今年以来, 稳步上升) in ``text``.

    A target says what will be achieved; a text with two or more perfective 了 or a report phrase
    reads as last year's summary pasted in (review-pain-points A3).
    """
    s = squeeze(text)
    markers = [p for p in _PAST_PHRASES if p in s]
    perfective = [s[max(0, m.start() - 2) : m.end()] for m in _PERFECTIVE.finditer(s)]
    if len(perfective) >= 2:
        markers.extend(perfective)
    elif markers:
        markers.extend(perfective)
    return list(dict.fromkeys(markers))


_WORK_LIST = re.compile(r"(?:包括|包含|主要有|主要包括)([^。；;，,]{2,60})")


def work_list(text: str | None) -> str | None:
    """Return the enumeration of a goal that lists work items ("包括工作手册、视频制作、墙板展板…"),
    or None: a list of activities is not a result (review-pain-points A2 形式化)."""
    s = squeeze(text)
    if "包" not in s and "主要有" not in s:
        return None
    for m in _WORK_LIST.finditer(s):
        items = m.group(1)
        if items.count("、") + items.count("和") + items.count("及") >= 2:
            return m.group(0)
    return None


_SWEEPING = (
    "跨越式发展",
    "国际一流",
    "世界一流",
    "全国领先",
    "国内领先",
    "根本性转变",
    "翻天覆地",
    "全面实现",
    "根本解决",
    "彻底解决",
)


def sweeping_phrases(text: str | None) -> list[str]:
    """Return promises far beyond one project's money: 跨越式发展, 世界一流 … (pain point D1)."""
    s = squeeze(text)
    return [p for p in _SWEEPING if p in s]


# X率/X度 words that are generic nouns, not a measurable claim (力度, 程度, 年度 …).
_NOT_CLAIMS = {
    "力度",
    "程度",
    "效率",
    "年度",
    "制度",
    "进度",
    "态度",
    "维度",
    "深度",
    "广度",
    "高度",
    "额度",
    "调度",
    "幅度",
    "速度",
    "频率",
    "强度",
    "难度",
    "尺度",
    "限度",
    "温度",
    "热度",
    "精度",
    "概率",
    "税率",
    "利率",
    "汇率",
    "角度",
    "季度",
    "适度",
    "过度",
    "首度",
    "再度",
    "一度",
    "风度",
    "国度",
}
_SUFFIX = re.compile("[率度]")
_CJK2 = re.compile("[\u4e00-\u9fff]{2}")


def claim_stems(text: str | None) -> list[str]:
    """Return the stems of the rates and degrees a goal text promises: 满意, 解决, 参与 …

    "实际解决率、市民满意率比上年增长" → ["解决", "满意"] (review-pain-points A5).
    """
    s = squeeze(text)
    stems: list[str] = []
    # Find each 率/度 first (a one-character scan), then look at the two characters before it.
    for m in _SUFFIX.finditer(s):
        i = m.start()
        if i < 2:
            continue
        stem = s[i - 2 : i]
        if s[i - 1] + s[i] in _NOT_CLAIMS or not _CJK2.fullmatch(stem):
            continue
        stems.append(stem)
    return list(dict.fromkeys(stems))


_COMPLETION_ENDINGS = ("完成率", "完成比例", "实施率")
_COMPLETION_VERBS = (
    "建设",
    "制作",
    "发放",
    "回访",
    "处置",
    "派单",
    "维护",
    "采购",
    "培训",
    "实施",
    "验收",
    "工作",
    "任务",
)


def completion_subject(name: str) -> str | None:
    """Return what a completion rate counts: "示范性“美丽街区”建设完成率" → "示范性“美丽街区”".

    None when the name is not a completion rate.
    """
    n = squeeze(name)
    ending = next((e for e in _COMPLETION_ENDINGS if n.endswith(e)), None)
    if ending is None:
        return None
    stem = n[: -len(ending)]
    verb = next((v for v in _COMPLETION_VERBS if stem.endswith(v)), "")
    subject = stem[: len(stem) - len(verb)]
    return subject or stem or None


@dataclass(frozen=True, slots=True)
class GoalQuantity:
    """A quantity the goal text states for a subject: "至少100个示范性“美丽街区”"."""

    op: str
    value: Decimal
    unit: str
    phrase: str
    cumulative: bool


_COUNT_UNITS = (
    r"个|家|所|条|处|人次|人|名|件|次|场|套|台|项|公里|千米|平方米|米|册|份|期|户|辆|座|类|批|张|"
    r"块|篇|部|间|棵|株|亩|公顷|吨"
)
_AT_LEAST = ("至少", "不少于", "不低于", "以上", "超过", "多于")


def goal_quantity_for(subject: str, *texts: str | None) -> GoalQuantity | None:
    """Return the quantity the goal texts give for ``subject``, or None.

    Looks for "<number><unit><up to 6 characters><subject>"; the operator is ``>=`` when the clause
    says 至少/不少于 before the number (it distributes over an enumeration: "至少100个A、100个B").
    """
    core = squeeze(subject)
    if len(core) < 2:
        return None
    for text in texts:
        s = squeeze(text)
        at = s.find(core)
        while at >= 0:
            window_start = max(0, at - 24)
            m = _QUANTITY_BEFORE.search(s, window_start, at)
            if m:
                return _goal_quantity(s, m, at + len(core))
            at = s.find(core, at + 1)
    return None


# A number and a count unit, then at most 6 characters, right before the subject (searched in a window).
# Extracted text is folded (full-width "，" → ","): a window never crosses either form of a delimiter.
_QUANTITY_BEFORE = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)({_COUNT_UNITS})[^，。；、,;\d]{{0,6}}?$")


def _goal_quantity(s: str, m: re.Match[str], end: int) -> GoalQuantity | None:
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None
    clause_start = max(s.rfind(p, 0, m.start()) for p in "，。；,;")
    clause = s[clause_start + 1 : m.start()]
    op = ">=" if any(word in clause for word in _AT_LEAST) else "="
    # 三年, 5年 are spans of years; 2022年 is a date, not a span.
    cumulative = bool(re.search(r"累计|[一二两三四五六七八九十]+年|(?<!\d)\d{1,2}年", s[: m.end()]))
    before = next((w for w in _AT_LEAST if s.endswith(w, 0, m.start())), "")
    # The match ends where the subject starts; the phrase quoted to the user includes the subject.
    return GoalQuantity(
        op=op, value=value, unit=m.group(2), phrase=before + s[m.start() : end], cumulative=cumulative
    )


# 到位 (staff or funds in place) and the rates of paying out or spending money are inputs; the time limit
# of paying a subsidy to its recipients is a transfer programme's output and stays quiet.
_INPUT = re.compile("到位|拨付率|执行率")


@dataclass(slots=True)
class Row:
    """One indicator row with what the rules ask of it computed once (folding is the costly part)."""

    index: int
    ind: Indicator
    name: str
    target: str
    level1: str
    level2: str
    output: bool
    benefit: bool
    satisfaction: bool
    cost: bool
    rate_name: bool
    timely: bool
    input: bool


def _row(index: int, ind: Indicator) -> Row:
    name, target = squeeze(ind.name), squeeze(ind.target.text)
    level1, level2 = _level1(ind.level1), _level2(ind.level2)
    return Row(
        index=index,
        ind=ind,
        name=name,
        target=target,
        level1=level1,
        level2=level2,
        output=level1 == OUTPUT,
        benefit=level1 == BENEFIT,
        satisfaction=level1 == SATISFACTION or "满意度" in name or "满意率" in name,
        cost=level1 == COST or level2 == "成本指标",
        rate_name=name.endswith(_RATE_ENDINGS),
        timely=target in _TIMELY,
        input=_INPUT.search(name) is not None,
    )


# The rows of the declarations under review: every rule asks for them in turn, the batch rules again.
# Keyed by id() with the declaration kept alive beside it; the engine forgets them after each review.
_ROWS: dict[int, tuple[Declaration, int, tuple[Row, ...]]] = {}
_MAX_REMEMBERED = 200_000


_last: list[Any] = [None, ()]  # the declaration asked for last and its rows: the common case


def rows(decl: Declaration) -> tuple[Row, ...]:
    """Return the :class:`Row` views of ``decl``'s indicators (computed once per declaration)."""
    last = _last
    if last[0] is decl and len(last[1]) == len(decl.indicators):
        return last[1]  # type: ignore[no-any-return]
    hit = _ROWS.get(id(decl))
    if hit is not None and hit[0] is decl and hit[1] == len(decl.indicators):
        computed = hit[2]
    else:
        computed = tuple(_row(i, ind) for i, ind in enumerate(decl.indicators))
        if len(_ROWS) >= _MAX_REMEMBERED:
            _ROWS.clear()
        _ROWS[id(decl)] = (decl, len(decl.indicators), computed)
    last[0], last[1] = decl, computed
    return computed


def forget_rows() -> None:
    """Drop the remembered rows and folded texts (the engine calls it after each review: declarations
    may change later, and the next review should not profit from this one's work)."""
    _ROWS.clear()
    _last[0], _last[1] = None, ()
    _squeeze.cache_clear()
