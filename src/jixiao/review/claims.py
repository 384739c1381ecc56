"""Goals read as claims: the quantities, rates, time limits, dates and changes a goal text states,
each matched to the indicator row that measures it (review-pain-points A5, A3; 88号 相关性).

* quantity: 数字 + 量词 + 名词 ("修补坑塘不少于3000处", "支持40个社区助餐点运营");
* rate: X率/X度/占比/指数 + 达到/不低于 + Y% ("考核合格率不低于95%");
* limit: N 小时/天/工作日 内 ("重大故障4小时内恢复");
* date: X月底前 / 年底前 ("11月底前完成全部培训");
* change: X率 比上年增长 ("热线工单按时办结率比上年增长": needs a baseline).

Matching is by name similarity (character bigrams, the lexicon's generic words left out) plus the
kind and unit of the row's target, never by exact words: "120万平方米的日常养护" finds
"道路养护面积 >=120万平方米".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Literal

from jixiao.domain.model import Declaration
from jixiao.review.classify import read_name
from jixiao.review.lexicon import Row, rows, squeeze

__all__ = [
    "Claim",
    "Match",
    "bigrams",
    "claims_and_matches",
    "forget",
    "goal_claims",
    "match_claim",
    "similarity",
]

ClaimKind = Literal["quantity", "rate", "limit", "date", "change"]


@dataclass(frozen=True, slots=True)
class Claim:
    """One checkable statement of a goal text; ``value`` is in ``unit`` after 万/千 scaling."""

    kind: ClaimKind
    field: str
    phrase: str
    context: str
    op: str
    value: Decimal | None = None
    unit: str | None = None
    month: int | None = None
    cumulative: bool = False
    direction: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """The row a claim was matched to and how alike they read (0–1)."""

    row: Row
    score: float


_COUNT_UNITS = (
    "人次|批次|场次|课时|学时|个|家|所|条|处|人|名|件|次|场|套|台|项|公里|千米|平方米|米|册|份|期|户|辆|座|"
    "类|批|张|块|篇|部|间|棵|株|亩|公顷|吨|餐|本|栋|盏|只|根|口|架|路"
)
_QUANTITY = re.compile(
    rf"(?<![\d.])(至少|不少于|不低于|超过|达到|达)?(\d+(?:\.\d+)?)(万|千)?({_COUNT_UNITS})(?![率%])"
)
_RATE = re.compile(
    r"(率|度|占比|比例|比重|指数)(要|须|应|均|稳定)?(达到|达|不低于|不少于|保持在|保持|为|提高到|提高至|提升到|"
    r"提升至|控制在|不高于|不超过|低于|在)?(至少)?(\d+(?:\.\d+)?)(%|分)(以上|及以上|以下|以内)?"
)
_LIMIT = re.compile(r"(\d+(?:\.\d+)?)(个工作日|工作日|小时|天|日|分钟)(?:以)?内")
_DATE = re.compile(r"(?:(\d{1,2})月(?:底|末|份)|年底|年末)(?:前|之前|以前)?")
_CHANGE = re.compile(r"(率|度)(比上年|较上年|同比|比去年)(增长|提高|提升|下降|降低|减少)")
_DELIMS = "，。；;：:,！!？?（）()\n、"
_ENUMERATION = re.compile(r"(?:(?<=^)|(?<=[。；;：:，,！!？?）)]))[(（]?\d{1,2}[)）]?(?:、|\.|．)(?!\d)")
_CIRCLED = re.compile("[①②③④⑤⑥⑦⑧⑨⑩]")
_CUMULATIVE = re.compile(
    r"累计|(?:[一二两三四五六七八九十]+|(?<!\d)\d{1,2})年的?(?:努力|时间|建设|内)|[到至]\d{4}年"
)
_AT_LEAST = ("至少", "不少于", "不低于", "超过", "以上", "达到", "达", "保持", "提高", "提升")
_AT_MOST = ("控制在", "不高于", "不超过", "低于", "以下", "以内")


def _op(words: str) -> str:
    """Return the comparison a goal's words state: 不低于 → >=, 不超过 → <=, none → =."""
    if "不超过" in words or "不高于" in words:
        return "<="
    if any(w in words for w in _AT_LEAST):
        return ">="
    if any(w in words for w in _AT_MOST):
        return "<="
    return "="


_SCALE = {"万": Decimal(10000), "千": Decimal(1000)}
# Words every indicator name shares: they say nothing about which thing is measured.
_GENERIC = re.compile(
    "数量|完成|建设|工作|指标|情况|全年|年度|累计|开展|实现|确保|达到|不少于|不低于|至少|的|和|及|与|等"
)


_DELIM_RE = re.compile("[" + re.escape(_DELIMS) + "]")
_DELIM_NO_ENUM_RE = re.compile("[" + re.escape(_DELIMS.replace("、", "")) + "]")


@lru_cache(maxsize=64)
def _delimiters(s: str, enumeration: bool = True) -> tuple[int, ...]:
    pattern = _DELIM_RE if enumeration else _DELIM_NO_ENUM_RE
    return tuple(m.start() for m in pattern.finditer(s))


def _clause_start(s: str, at: int, enumeration: bool = True) -> int:
    marks = _delimiters(s, enumeration)
    k = bisect_left(marks, at)
    return marks[k - 1] + 1 if k else 0


def _phrase(s: str, start: int, end: int, before: int = 6, after: int = 8) -> str:
    """Return the words around ``s[start:end]`` within its clause, never cutting a number in two."""
    lo = max(_clause_start(s, start), start - before)
    while lo > 0 and s[lo - 1].isdigit() and s[lo - 1] not in _DELIMS:
        lo -= 1
    cut = max(s.rfind(w, lo, start) for w in ("和", "及", "并", "与"))
    if cut >= 0:
        lo = cut + 1
    return s[lo : min(_clause_end(s, end), end + after)]


def _clause_end(s: str, at: int) -> int:
    marks = _delimiters(s)
    k = bisect_left(marks, at)
    return marks[k] if k < len(marks) else len(s)


def _around(s: str, start: int, end: int, before: int = 10, after: int = 10) -> str:
    lo = max(_clause_start(s, start), start - before)
    hi = min(_clause_end(s, end), end + after)
    return s[lo:start] + s[end:hi]


def _subject_before(s: str, at: int, width: int = 10) -> str:
    """Return the words of the clause just before ``at`` (the subject of a rate): at most ``width``."""
    lo = max(_clause_start(s, at), at - width)
    text = s[lo:at]
    for sep in ("、", "使", "让", "保证", "确保", "实现", "达到"):
        cut = text.rfind(sep)
        if cut >= 0:
            text = text[cut + len(sep) :]
    return text


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the patterns admit only numbers
        return None


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_UNIT_AT = re.compile("|".join(sorted(_COUNT_UNITS.split("|"), key=len, reverse=True)))
_LIMIT_AT = re.compile(r"(个工作日|工作日|小时|天|日|分钟)(以)?内")
_PREFIXES = ("至少", "不少于", "不低于", "超过", "达到", "达")


def _claims_of(text: str, field: str) -> tuple[Claim, ...]:
    # List numbering ("1、", "（2）") has no unit after it, so the number scan below skips it.
    s = text
    numbers = list(_NUMBER.finditer(s))
    if not numbers and not any(w in s for w in ("上年", "同比", "去年", "年底", "年末")):
        return ()
    out: list[Claim] = []
    taken: list[tuple[int, int]] = []
    # A rate needs a number followed by % or 分: only then is the text scanned for one.
    rated = any(s.startswith(("%", "分"), m.end()) for m in numbers)
    for m in _RATE.finditer(s) if rated else ():
        subject = _subject_before(s, m.start()) + m.group(1)
        op = _op((m.group(3) or "") + (m.group(4) or "") + (m.group(7) or ""))
        out.append(
            Claim(
                "rate", field, subject + s[m.end(1) : m.end()], subject, op, _decimal(m.group(5)), m.group(6)
            )
        )
        taken.append((m.start(5), m.end()))
    for m in numbers:
        start, end = m.span()
        if start and s[start - 1] == ".":
            continue  # the decimals of a number already read
        if taken and any(lo <= start < hi for lo, hi in taken):
            continue
        lm = _LIMIT_AT.match(s, end)
        if lm is not None:
            limit, stop = lm.group(1), lm.end()
            out.append(
                Claim(
                    "limit",
                    field,
                    _phrase(s, start, stop, before=8, after=4),
                    _around(s, start, stop),
                    "<=",
                    _decimal(m.group()),
                    "工作日" if "工作日" in limit else "天" if limit == "日" else limit,
                )
            )
            continue
        at = end
        scale = Decimal(1)
        if s.startswith(("万", "千"), at) and not s.startswith("千米", at):
            scale, at = _SCALE[s[at]], at + 1
        um = _UNIT_AT.match(s, at)
        if um is None or s.startswith(("率", "%"), um.end()):
            continue
        unit, stop = um.group(), um.end()
        value = _decimal(m.group())
        if value is None:
            continue
        prefix = next((w for w in _PREFIXES if s.endswith(w, 0, start)), "")
        words = prefix
        if s.startswith(("以上", "及以上"), stop):
            words += "以上"
        clause = s[_clause_start(s, start) : stop]
        sentence = s[max(s.rfind("。", 0, start), s.rfind("；", 0, start)) + 1 : stop]
        out.append(
            Claim(
                "quantity",
                field,
                _phrase(s, start - len(prefix), stop),
                _around(s, start - len(prefix), stop),
                _op(words),
                value * scale,
                unit,
                cumulative=bool(_CUMULATIVE.search(sentence) or _CUMULATIVE.search(clause)),
            )
        )
    if not any(w in s for w in ("月底", "月末", "月份", "年底", "年末")):
        dates: list[re.Match[str]] = []
    else:
        dates = list(_DATE.finditer(s))
    for m in dates:
        month = int(m.group(1)) if m.group(1) else 12
        if not 1 <= month <= 12:
            continue
        context = _around(s, m.start(), m.end(), before=4, after=16)
        out.append(
            Claim(
                "date",
                field,
                m.group(0) + s[m.end() : _clause_end(s, m.end())][:10],
                context,
                "<=",
                month=month,
            )
        )
    for m in _CHANGE.finditer(s) if ("上年" in s or "同比" in s or "去年" in s) else ():
        direction = "down" if m.group(3) in ("下降", "降低", "减少") else "up"
        # "实际解决率、市民满意率比上年增长": the change applies to each rate of the enumeration.
        lo = _clause_start(s, m.start(), enumeration=False)
        for part in s[lo : m.end(1)].split("、"):
            subject = part[-10:].lstrip("0123456789")
            if len(subject) >= 3 and subject.endswith(("率", "度")):
                out.append(
                    Claim(
                        "change", field, subject + m.group(2) + m.group(3), subject, ">=", direction=direction
                    )
                )
    return tuple(out)


def goal_claims(decl: Declaration) -> tuple[Claim, ...]:
    """Return the claims of the 年度总目标 (field "annual") and the 项目总目标 ("overall")."""
    return tuple(c for c, _ in claims_and_matches(decl))


# The declaration asked for last and its claims with their matches: three rules ask in turn.
_last: list[object] = [None, None, None, ()]


def claims_and_matches(decl: Declaration) -> tuple[tuple[Claim, Match | None], ...]:
    """Return each claim of ``decl``'s goals with the row that measures it (or None), computed once."""
    last = _last
    if last[0] is decl and last[1] == decl.goals.annual and last[2] == decl.goals.overall:
        return last[3]  # type: ignore[return-value]
    claims = _claims_of(squeeze(decl.goals.annual), "annual") + _claims_of(
        squeeze(decl.goals.overall), "overall"
    )
    out = tuple((c, match_claim(c, decl)) for c in claims)
    last[0], last[1], last[2], last[3] = decl, decl.goals.annual, decl.goals.overall, out
    return out


def forget() -> None:
    """Drop what was remembered of the last declaration (the engine calls it after each review)."""
    _last[0], _last[1], _last[2], _last[3] = None, None, None, ()
    bigrams.cache_clear()
    _delimiters.cache_clear()
    read_name.cache_clear()


@lru_cache(maxsize=16384)
def bigrams(text: str) -> frozenset[str]:
    """Return the character bigrams of ``text`` with the lexicon's generic words left out."""
    core = _GENERIC.sub(" ", text)
    return frozenset(core[i : i + 2] for i in range(len(core) - 1) if " " not in core[i : i + 2])


def similarity(a: str, b: str) -> float:
    """Return how much of the shorter text's bigrams the other holds (overlap coefficient, 0–1).

    A goal's clause carries more words than the indicator's name; the share of the smaller set
    that the two have in common reads "培训1200人次" as the row "培训人次".
    """
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


_RATE_ENDINGS = ("率", "度", "占比", "比例", "比重", "指数", "性")
_TIME_UNITS = ("个工作日", "工作日", "小时", "天", "日", "分钟", "个小时")


def _compatible(claim: Claim, row: Row) -> bool:
    t = row.ind.target
    if claim.kind in ("rate", "change"):
        return row.name.endswith(_RATE_ENDINGS) or (t.unit or "") in ("%", "分")
    if claim.kind == "quantity":
        return t.kind in ("numeric", "range", "qualitative") or row.rate_name
    if claim.kind == "limit":
        return t.kind == "deadline" or (t.unit or "") in _TIME_UNITS
    return t.kind == "deadline" or row.level2 == "时效指标"


def match_claim(claim: Claim, decl: Declaration) -> Match | None:
    """Return the row of ``decl`` that measures ``claim`` best, or None when none reads alike enough.

    A row whose target has the claim's unit needs less similarity of names (0.2) than one without (0.34).
    """
    best: Match | None = None
    candidates = [row for row in rows(decl) if _compatible(claim, row)]
    if claim.kind == "date":
        dated = [r for r in candidates if r.ind.target.kind == "deadline" and r.ind.target.month is not None]
        if len(dated) == 1:  # one dated deadline on the form: it is the one the goal's date speaks of
            return Match(dated[0], 1.0)
    for row in candidates:
        score = similarity(claim.context, row.name)
        unit = row.ind.target.unit or ""
        same_unit = claim.unit is not None and (unit == claim.unit or unit.endswith(claim.unit))
        if claim.kind == "date" and row.ind.target.kind == "deadline" and row.ind.target.month is not None:
            same_unit = True
        if score < (0.2 if same_unit else 0.34):
            continue
        total = score + (0.5 if same_unit else 0.0)
        if best is None or total > best.score:
            best = Match(row, total)
    return best
