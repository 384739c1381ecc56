"""Extracted 自评表 text → cell grid (Shanghai 财政项目支出绩效自评表, domain-rules.md §5.6, S7 §5.7).

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

This module rebuilds those cells (the budget rows and the indicator rows under their header's
columns); :mod:`jixiao.formats.interpret` reads them. Every printed number stays as printed.
"""

from __future__ import annotations

import re

from jixiao.domain.errors import InputError, Location
from jixiao.domain.framework import LEVEL_NAMES
from jixiao.domain.model import SelfEvaluation, numbered
from jixiao.domain.text import fold
from jixiao.formats.text import (
    Line,
    TextGrid,
    header_cells,
    is_goal_label,
    join_wrapped,
    paragraphs,
    read_documents,
)
from jixiao.formats.thesaurus import BUDGET_COLUMNS, BUDGET_ROWS, INDICATOR_COLUMNS, label_key

__all__ = ["TITLE", "looks_like_self_evaluation_text", "read_self_evaluation_text", "self_evaluation_cells"]

TITLE = "财政项目支出绩效自评表"
_TABLE_HEADER = re.compile(r"^一级指标\s*二级指标\s*三级指标")
_BUDGET_HEADER = re.compile(r"(?:^|\s)(?:年初预算数|全年预算数|调整后预算数)(?:\s|$)")
_TOTAL = re.compile(r"^(?:总分|合计)(?:\s|$)")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_RATE = re.compile(r"^\d+(?:\.\d+)?%$")
_DASHES = frozenset({"—", "-", "－", "/", "——", "–"})
_BUDGET_ROW = re.compile(
    r"^(?:其中[:：]\s*)?(?P<label>" + "|".join(sorted(BUDGET_ROWS, key=len, reverse=True)) + r")(?:\s|$)"
)
_NOTE_WRAP_WIDTH = 12  # the 偏差原因 column wraps at about 12–14 characters in S7


def looks_like_self_evaluation_text(text: str) -> bool:
    """Return True when ``text`` holds at least one 财政项目支出绩效自评表 (for reader detection)."""
    return TITLE in "".join(fold(text[:20000]).split())


def read_self_evaluation_text(text: str, file: str | None = None) -> list[SelfEvaluation]:
    """Return the self-evaluations in an extracted text, in order (declarations are left out).

    Raises :class:`InputError` JX-E105 when the text holds no 自评表 title.
    """
    try:
        docs = read_documents(text, file)
    except InputError:
        docs = []
    forms = [d for d in docs if isinstance(d, SelfEvaluation)]
    if not forms:
        raise InputError(
            "文本中没有「财政项目支出绩效自评表」",
            f"no {TITLE} (self-evaluation form) in the text",
            code="JX-E105",
            where=Location(file=file),
        )
    return numbered(forms)


def _find(lines: list[Line], pattern: re.Pattern[str], start: int = 0) -> int | None:
    return next((k for k in range(start, len(lines)) if pattern.search(lines[k][1])), None)


def self_evaluation_cells(lines: list[Line], out: TextGrid) -> None:
    """Add the cells of one 自评表 (``lines[0]`` is its title) to ``out``."""
    out.row([(0, lines[0][1], lines[0][0])])
    body = lines[1:]
    budget_at = _find(body, _BUDGET_HEADER)
    goal_at = next((k for k, line in enumerate(body) if line[1] and _is_goal_header(line[1])), None)
    table_at = _find(body, _TABLE_HEADER)
    ends = [x for x in (budget_at, goal_at, table_at) if x is not None]
    header_end = min(ends) if ends else len(body)
    header_cells(body[:header_end], out)
    if budget_at is not None:
        stop = min([x for x in (goal_at, table_at) if x is not None and x > budget_at] or [len(body)])
        _budget_cells(body[budget_at:stop], out)
    if goal_at is not None:
        stop = table_at if table_at is not None and table_at > goal_at else len(body)
        _goal_cells(body[goal_at:stop], out)
    if table_at is not None:
        end = _find(body, _TOTAL, table_at + 1)
        _indicator_cells(body[table_at : end if end is not None else len(body)], out)
        if end is not None:
            rest = body[end:]
            words = rest[0][1].split()
            out.row([(k, w, rest[0][0]) for k, w in enumerate(words)])
            for line in rest[1:]:
                if line[1]:
                    out.row([(0, line[1], line[0])])


def _is_goal_header(text: str) -> bool:
    words = text.split()
    return bool(words) and all(is_goal_label(w) for w in words)


def _budget_cells(lines: list[Line], out: TextGrid) -> None:
    """The header as cells 1…n, each funding row's printed numbers under their columns."""
    header = lines[0]
    words = header[1].split()
    first = 0
    if words and label_key(words[0]).label not in BUDGET_COLUMNS:
        first = 1  # "项目资金（元） 年初预算数 …": the block label stands in column 0
    head = [(0, words[0], header[0])] if first else []
    head += [(k, w, header[0]) for k, w in enumerate(words[first:], start=1)]
    cols = {BUDGET_COLUMNS.get(label_key(w).label): k for k, w in enumerate(words[first:], start=1)}
    out.row(head)
    for line in lines[1:]:
        match = _BUDGET_ROW.match(fold(line[1]))
        if not match:
            continue
        tokens = fold(line[1])[match.end() :].split()
        amounts: list[str] = []
        rate: str | None = None
        numbers: list[str] = []
        for token in tokens:
            if _RATE.match(token):
                rate = token
            elif len(amounts) < 3 and ("," in token or "." in token or token in _DASHES) and rate is None:
                amounts.append(token)
            elif _NUMBER.match(token):
                numbers.append(token)
        total_row = BUDGET_ROWS[match["label"]] == "total"
        if total_row:
            # 年度资金总额 a b c 分值 rate 得分: plain numbers left over are 分值 then 得分.
            while len(amounts) < 3 and len(numbers) > 2:
                amounts.append(numbers.pop(0))
        items: list[tuple[int, str, int]] = [(0, match.group().strip(), line[0])]
        for key, text in zip(("initial", "adjusted", "executed"), amounts, strict=False):
            if key in cols:
                items.append((cols[key], text, line[0]))
        if total_row:
            extra: dict[str, str | None] = {"execution_rate": rate, "weight": numbers[0] if numbers else None}
            extra["score"] = numbers[1] if len(numbers) > 1 else None
            for key, printed in extra.items():
                if printed is not None and key in cols:
                    items.append((cols[key], printed, line[0]))
        out.row(sorted(items))


def _goal_cells(lines: list[Line], out: TextGrid) -> None:
    """预期目标 | 实际完成情况 as a header row; two cells side by side come out one after the other."""
    header = lines[0]
    labels = header[1].split()
    out.row([(k, w, header[0]) for k, w in enumerate(labels)])
    groups = paragraphs(lines[1:])
    if not groups:
        return
    out.note_glued_goals(
        len(labels),
        groups,
        "预期目标与实际完成情况的文字连在一行中，无法分清，已全部归入「预期目标」，请核对",
        "the expected goal and the outcome run together on one line; all of it went under 预期目标; check the form",
    )
    items = [(0, join_wrapped([x[1] for x in groups[0]]), groups[0][0][0])]
    if len(groups) > 1 and len(labels) > 1:
        items.append((1, "".join(x[1] for g in groups[1:] for x in g), groups[1][0][0]))
    out.row(items)


class _Tok:
    __slots__ = ("line", "text")

    def __init__(self, text: str, line: int) -> None:
        self.text = text
        self.line = line


def _is_number(token: _Tok | None) -> bool:
    return token is not None and bool(_NUMBER.match(fold(token.text)))


def _level(tokens: list[_Tok], i: int) -> tuple[int, tuple[int, str]] | None:
    """Return (tokens used, level) when a 一级/二级 name starts at ``i`` (possibly wrapped in two)."""
    # Two tokens first: "服务对象满意度 / 指标" is one wrapped 二级 name, not 服务对象满意度 + a name.
    if i + 1 < len(tokens) and tokens[i].text + tokens[i + 1].text in LEVEL_NAMES:
        return 2, LEVEL_NAMES[tokens[i].text + tokens[i + 1].text]
    if tokens[i].text in LEVEL_NAMES:
        return 1, LEVEL_NAMES[tokens[i].text]
    return None


def _indicator_cells(lines: list[Line], out: TextGrid) -> None:
    """The header row as printed, then each row's cells under the header's columns.

    A row ends "… 年度指标值 实际完成值 分值 得分 [偏差原因…]": two plain numbers after two values.
    """
    header = lines[0]
    words = header[1].split()
    out.row([(k, w, header[0]) for k, w in enumerate(words)])
    cols = {INDICATOR_COLUMNS.get(label_key(w).label): k for k, w in enumerate(words)}
    section = lines[1:]
    tokens: list[_Tok] = []
    for line in section:
        for word in line[1].split():
            if tokens and re.fullmatch(r"[<>=≥≤]+", tokens[-1].text) and tokens[-1].line == line[0]:
                tokens[-1].text += word  # ">= 90%": an operator split from its number
            else:
                tokens.append(_Tok(word, line[0]))
    next_line = {line[0]: section[n + 1] if n + 1 < len(section) else None for n, line in enumerate(section)}
    level1 = level2 = ""
    pending: list[_Tok] = []
    i = 0
    while i < len(tokens):
        found = _level(tokens, i) if not pending else None
        if found is not None:
            used, (depth, name) = found
            if depth == 1:
                level1, level2 = "".join(t.text for t in tokens[i : i + used]), ""
            else:
                level2 = "".join(t.text for t in tokens[i : i + used])
            i += used
            continue
        following = tokens[i + 2] if i + 2 < len(tokens) else None
        after = tokens[i + 3] if i + 3 < len(tokens) else None
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
                if _level(tokens, i) is not None:
                    break  # the next row's category: the note stops here (rows glued on one line)
                note_parts.append(tokens[i].text)
                i += 1
            # A wrapped note continues on the next lines while each line before filled its column.
            cont = next_line.get(score_token.line)
            while note_parts and cont is not None and cont[1] and len(note_parts[-1]) >= _NOTE_WRAP_WIDTH:
                if _level(tokens, i) is not None:
                    break
                while i < len(tokens) and tokens[i].line == cont[0]:
                    note_parts.append(tokens[i].text)
                    i += 1
                cont = next_line.get(cont[0])
            first_line = pending[0].line
            values = {
                "level1": level1,
                "level2": level2,
                "name": "".join(t.text for t in pending),
                "target": target.text,
                "actual": actual.text,
                "weight": following.text,
                "score": score_token.text if has_score else "",
                "deviation_note": "".join(note_parts),
            }
            row = out.row(
                sorted((cols[key], text, first_line) for key, text in values.items() if key in cols and text)
            )
            if not has_score:
                out.note(
                    row, "JX-W609", "指标没有印出得分", "the indicator has no printed score", target.line
                )
            pending = []
            continue
        pending.append(tokens[i])
        i += 1
    if pending:
        text = "".join(t.text for t in pending)
        row = out.row([])
        out.note(
            row,
            "JX-W610",
            f"「{text}」不是完整的指标行",
            f"'{text}' is not a complete indicator row",
            pending[0].line,
        )
