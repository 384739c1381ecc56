"""Read the Shanghai 财政项目支出绩效自评表 from extracted text (domain-rules.md §5.6, S7 §5.7).

The published 自评表 PDFs, once extracted, look like the declaration seed: table cells flattened
into lines, long cells wrapped mid-word ("与委托运营方结算完成\\n率"), vertical labels one character a
line ("绩\\n效\\n指\\n标"), blank cells dropped, several forms one after another separated only by
their title. The layout (§5.6)::

    财政项目支出绩效自评表（YYYY年度）
    项目名称 | 主管部门 | 实施单位
    项目资金（元）| 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分
      年度资金总额  a  b  c  10  rate  score
      其中：当年财政拨款 / 上年结转资金 / 其他资金
    年度总体目标 | 预期目标 | 实际完成情况
    绩效指标 | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
    总分 | 100 | total

Every printed number is kept as printed (``budget.execution_rate``, ``score``, ``total_score``) so
that scoring can compare it with the rules; nothing is recomputed here. What cannot be found is a
:class:`ParseWarning` (JX-W6xx); a text with no 自评表 title is an :class:`InputError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jixiao.domain.errors import InputError, Location, MoneyError
from jixiao.domain.framework import LEVEL_NAMES
from jixiao.domain.model import (
    BudgetExecution,
    BudgetLine,
    EvaluatedIndicator,
    Goals,
    ParseWarning,
    Project,
    SelfEvaluation,
    Source,
)
from jixiao.domain.money import parse_amount
from jixiao.domain.targets import try_parse_target
from jixiao.domain.text import fold

__all__ = ["TITLE", "looks_like_self_evaluation_text", "read_self_evaluation_text"]

TITLE = "财政项目支出绩效自评表"
_YEAR = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")
_TABLE_HEADER = re.compile(r"^一级指标\s*二级指标\s*三级指标")
_GOAL_HEADER = re.compile(r"^预期目标\s*实际完成情况")
_TOTAL = re.compile(r"^总分\s+(?P<full>\d+(?:\.\d+)?)?\s*(?P<total>\d+(?:\.\d+)?)?\s*$")
_GRADE = re.compile(r"^(?:自评等级|评价等级|等级|自评结论)\s*[:：]?\s*(?P<grade>[优良中差])")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_RATE = re.compile(r"^(?P<num>\d+(?:\.\d+)?)%$")
_DASHES = frozenset({"—", "-", "－", "/", "——", "–"})
_BUDGET_ROWS = (
    ("年度资金总额", None),
    ("当年财政拨款", "appropriation"),
    ("上年结转资金", "carryover"),
    ("其他资金", "other"),
)
_NOTE_WRAP_WIDTH = 12  # the 偏差原因 column wraps at about 12–14 characters in S7

_LEVELS = LEVEL_NAMES


@dataclass(slots=True)
class _Line:
    number: int
    text: str


@dataclass(slots=True)
class _Token:
    text: str
    line: int


def looks_like_self_evaluation_text(text: str) -> bool:
    """Return True when ``text`` holds at least one 财政项目支出绩效自评表 (for reader detection)."""
    return TITLE in "".join(fold(text[:20000]).split())


def read_self_evaluation_text(text: str, file: str | None = None) -> list[SelfEvaluation]:
    """Return the self-evaluations in an extracted text, in order.

    Raises :class:`InputError` JX-E106 when the text holds no 自评表 title.
    """
    # Whitespace is normalised but the text is kept as printed (goals keep their ，); numbers and
    # labels are folded where they are matched.
    lines = [_Line(n, " ".join(raw.split())) for n, raw in enumerate(text.split("\n"), start=1)]
    starts = [k for k, line in enumerate(lines) if _is_title(line.text)]
    if not starts:
        raise InputError(
            "文本中没有「财政项目支出绩效自评表」",
            f"no {TITLE} (self-evaluation form) in the text",
            code="JX-E105",
            where=Location(file=file),
        )
    forms = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        forms.append(_read_form(_drop_vertical_labels(lines[start:end]), file, n + 1))
    return forms


def _is_title(text: str) -> bool:
    compact = "".join(fold(text).split())
    return compact == TITLE or compact.startswith((TITLE + "(", TITLE + "（"))


def _drop_vertical_labels(lines: list[_Line]) -> list[_Line]:
    """Blank out runs of one-character lines: 绩/效/指/标 is a label printed vertically."""
    out = list(lines)
    k = 0
    while k < len(out):
        if len(out[k].text) == 1:
            j = k
            while j < len(out) and (len(out[j].text) == 1 or not out[j].text):
                j += 1
            if sum(1 for line in out[k:j] if line.text) >= 2:
                for m in range(k, j):
                    out[m] = _Line(out[m].number, "")
            k = j
        else:
            k += 1
    return out


class _Form:
    def __init__(self, lines: list[_Line], file: str | None, index: int) -> None:
        self.lines = lines
        self.file = file
        self.index = index
        self.warnings: list[ParseWarning] = []

    def warn(self, code: str, zh: str, en: str, line: int | None, field: str) -> None:
        self.warnings.append(ParseWarning(code=code, message=zh, message_en=en, line=line, field=field))

    def find(self, pattern: re.Pattern[str] | str, start: int = 0) -> int | None:
        for k in range(start, len(self.lines)):
            text = self.lines[k].text
            if pattern.search(text) if isinstance(pattern, re.Pattern) else text.startswith(pattern):
                return k
        return None


def _read_form(lines: list[_Line], file: str | None, index: int) -> SelfEvaluation:
    form = _Form(lines, file, index)
    year = None
    for line in lines[:6]:
        if match := _YEAR.search(line.text):
            year = int(match[1])
            break
    if year is None:
        form.warn("JX-W601", "未找到年度", "no budget year found", lines[0].number, "year")
    project = _read_project(form)
    budget = _read_budget(form)
    goals, outcome = _read_goals(form)
    indicators = _read_indicators(form)
    total, grade = _read_total(form)
    return SelfEvaluation(
        year=year,
        project=project,
        budget=budget,
        goals=goals,
        outcome=outcome,
        indicators=indicators,
        total_score=total,
        grade=grade,
        source=Source(file=file, form_index=index, line=lines[0].number),
        warnings=form.warnings,
    )


def _read_project(form: _Form) -> Project:
    name = department = unit = None
    k = form.find("项目名称")
    if k is not None:
        name = form.lines[k].text.removeprefix("项目名称").strip() or None
    m = form.find("主管部门")
    if m is not None:
        rest = form.lines[m].text.removeprefix("主管部门").strip()
        department, _, unit = (part.strip() for part in rest.partition("实施单位"))
        # A long unit name wraps onto the next line(s) until the 项目资金 block.
        for line in form.lines[m + 1 :]:
            if not line.text or line.text.startswith(("项目资金", "年初预算数")):
                break
            unit += line.text
        department, unit = department or None, unit or None
    if not name:
        form.warn("JX-W602", "未找到项目名称", "no project name found", form.lines[0].number, "project.name")
    return Project(name=name or "（未命名项目）", competent_department=department, implementing_unit=unit)


def _amount(token: str) -> Decimal | None:
    if token in _DASHES:
        return None
    try:
        return parse_amount(token)
    except MoneyError:
        return None


def _read_budget(form: _Form) -> BudgetExecution:
    budget = BudgetExecution()
    for label, key in _BUDGET_ROWS:
        k = form.find(re.compile(rf"^(?:其中[:：]\s*)?{label}(?:\s|$)"))
        if k is None:
            if key is None:
                form.warn(
                    "JX-W603",
                    "未找到「年度资金总额」一行",
                    "no 年度资金总额 row",
                    form.lines[0].number,
                    "budget",
                )
            continue
        tokens = fold(form.lines[k].text).split()[1:]
        if tokens and tokens[0] == label:  # "其中： 当年财政拨款"
            tokens = tokens[1:]
        amounts: list[Decimal | None] = []
        rate: Decimal | None = None
        numbers: list[Decimal] = []
        for token in tokens:
            if match := _RATE.match(token):
                rate = Decimal(match["num"])
            elif len(amounts) < 3 and ("," in token or "." in token or token in _DASHES) and rate is None:
                amounts.append(_amount(token))
            elif _NUMBER.match(token):
                numbers.append(Decimal(token))
        if key is None:
            # 年度资金总额 a b c 分值 rate 得分: plain numbers left over are 分值 then 得分.
            while len(amounts) < 3 and numbers and len(numbers) > 2:
                amounts.append(numbers.pop(0))
            amounts += [None] * (3 - len(amounts))
            budget.initial, budget.adjusted, budget.executed = amounts[:3]
            budget.execution_rate = rate
            if numbers:
                budget.weight = numbers[0]
            if len(numbers) > 1:
                budget.score = numbers[1]
            if budget.executed is None:
                form.warn(
                    "JX-W604",
                    "年度资金总额缺少全年执行数",
                    "the 年度资金总额 row has no amount executed",
                    form.lines[k].number,
                    "budget.executed",
                )
        else:
            amounts += [None] * (3 - len(amounts))
            budget.lines[key] = BudgetLine(*amounts[:3])
    return budget


def _paragraphs(lines: list[_Line]) -> list[list[str]]:
    out: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.text:
            current.append(line.text)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _read_goals(form: _Form) -> tuple[Goals, str | None]:
    k = form.find(_GOAL_HEADER)
    end = form.find(_TABLE_HEADER)
    if k is None or end is None:
        form.warn(
            "JX-W605", "未找到年度总体目标", "no annual goal block found", form.lines[0].number, "goals"
        )
        return Goals(), None
    paragraphs = _paragraphs(form.lines[k + 1 : end])
    # Two cells side by side come out one after the other: 预期目标, then 实际完成情况.
    expected = "".join(paragraphs[0]) if paragraphs else None
    outcome = "".join(part for p in paragraphs[1:] for part in p) or None
    if outcome is None:
        form.warn("JX-W606", "未找到实际完成情况", "no 实际完成情况 found", form.lines[k].number, "outcome")
    return Goals(annual=expected), outcome


def _is_number(token: _Token | None) -> bool:
    return token is not None and bool(_NUMBER.match(fold(token.text)))


def _level(tokens: list[_Token], i: int) -> tuple[int, tuple[int, str]] | None:
    """Return (tokens used, level) when a 一级/二级 name starts at ``i`` (possibly wrapped in two)."""
    # Two tokens first: "服务对象满意度 / 指标" is one wrapped 二级 name, not 服务对象满意度 + a name.
    if i + 1 < len(tokens) and tokens[i].text + tokens[i + 1].text in _LEVELS:
        return 2, _LEVELS[tokens[i].text + tokens[i + 1].text]
    if tokens[i].text in _LEVELS:
        return 1, _LEVELS[tokens[i].text]
    return None


def _read_indicators(form: _Form) -> list[EvaluatedIndicator]:
    k = form.find(_TABLE_HEADER)
    if k is None:
        form.warn(
            "JX-W607", "未找到绩效指标表", "no indicator table found", form.lines[0].number, "indicators"
        )
        return []
    end = form.find(re.compile(r"^总分(?:\s|$)"), k + 1)
    section = form.lines[k + 1 : end if end is not None else len(form.lines)]
    tokens: list[_Token] = []
    for line in section:
        for word in line.text.split():
            if tokens and re.fullmatch(r"[<>=≥≤]+", tokens[-1].text) and tokens[-1].line == line.number:
                tokens[-1].text += word  # ">= 90%": an operator split from its number
            else:
                tokens.append(_Token(word, line.number))
    next_line = {
        line.number: section[n + 1] if n + 1 < len(section) else None for n, line in enumerate(section)
    }
    rows: list[EvaluatedIndicator] = []
    level1 = level2 = ""
    pending: list[_Token] = []
    i = 0
    while i < len(tokens):
        found = _level(tokens, i) if not pending else None
        if found is not None:
            used, (depth, name) = found
            if depth == 1:
                level1, level2 = name, ""
            else:
                level2 = name
            i += used
            continue
        following = tokens[i + 2] if i + 2 < len(tokens) else None
        after = tokens[i + 3] if i + 3 < len(tokens) else None
        # A row ends "… 年度指标值 实际完成值 分值 得分": two plain numbers after two values.
        if (
            pending
            and _is_number(following)
            and (
                _is_number(after)
                or (following is not None and (after is None or after.line != following.line))
            )
        ):
            target, actual = tokens[i], tokens[i + 1]
            assert following is not None
            has_score = _is_number(after)
            score_token = after if has_score else following
            assert score_token is not None
            i += 4 if has_score else 3
            note_parts: list[str] = []
            while i < len(tokens) and tokens[i].line == score_token.line:
                note_parts.append(tokens[i].text)
                i += 1
            # A wrapped note continues on the next lines while each line before filled its column.
            cont = next_line.get(score_token.line)
            while note_parts and cont is not None and cont.text and len(note_parts[-1]) >= _NOTE_WRAP_WIDTH:
                if _level(tokens, i) is not None:
                    break
                while i < len(tokens) and tokens[i].line == cont.number:
                    note_parts.append(tokens[i].text)
                    i += 1
                cont = next_line.get(cont.number)
            index = len(rows)
            if not level1 or not level2:
                form.warn(
                    "JX-W608",
                    "指标缺少一级或二级指标",
                    "indicator without a level-1 or level-2 category",
                    target.line,
                    f"indicators[{index}]",
                )
            if not has_score:
                form.warn(
                    "JX-W609",
                    "指标没有印出得分",
                    "the indicator has no printed score",
                    target.line,
                    f"indicators[{index}].score",
                )
            rows.append(
                EvaluatedIndicator(
                    level1=level1,
                    level2=level2,
                    name="".join(t.text for t in pending),
                    target=try_parse_target(target.text),
                    actual=actual.text,
                    weight=_decimal(fold(following.text)),
                    score=_decimal(fold(score_token.text)) if has_score else None,
                    deviation_note="".join(note_parts) or None,
                )
            )
            pending = []
            continue
        pending.append(tokens[i])
        i += 1
    if pending:
        form.warn(
            "JX-W610",
            f"「{''.join(t.text for t in pending)}」不是完整的指标行",
            f"'{''.join(t.text for t in pending)}' is not a complete indicator row",
            pending[0].line,
            f"indicators[{len(rows)}]",
        )
    return rows


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - callers pass _NUMBER matches
        return None


def _read_total(form: _Form) -> tuple[Decimal | None, str | None]:
    total: Decimal | None = None
    grade: str | None = None
    k = form.find(re.compile(r"^总分(?:\s|$)"))
    if k is None:
        form.warn("JX-W611", "未找到总分", "no total score found", form.lines[-1].number, "total_score")
    elif match := _TOTAL.match(fold(form.lines[k].text)):
        # "总分 100 98.62": the full marks, then the total; a lone number other than 100 is the total.
        printed = match["total"] or (
            match["full"] if match["full"] and Decimal(match["full"]) != 100 else None
        )
        total = Decimal(printed) if printed else None
    m = form.find(_GRADE)
    if m is not None and (gm := _GRADE.match(form.lines[m].text)):
        grade = gm["grade"]
    return total, grade
