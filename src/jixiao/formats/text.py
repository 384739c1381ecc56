"""Reader for 申报表 text as extracted from the published PDFs (the seed's layout).

What extraction does to the form, and what this reader undoes (shared/seeds/README.md):

* several forms in one file, separated only by their title 财政项目支出绩效目标申报表;
* cells flattened into lines, ``label value label value`` on one line, blank cells dropped;
* long cells wrapped mid-word ("建设完" / "成率"), sometimes with a blank line inside the cell;
* vertical labels one character a line ("项 目 绩 效 目 标", "绩 效 指 标").

The header is read label by label: the text between two labels is the first label's value. The
indicator table is read token by token: 一级/二级 names set the context, a target value closes
an indicator, everything else is part of the 三级 name. What cannot be found becomes a
:class:`ParseWarning` with its line number; the rest of the form still reads.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from jixiao.domain.bulk import gc_paused
from jixiao.domain.errors import DateError, InputError, Location, MoneyError, TargetError
from jixiao.domain.framework import LEVEL_NAMES
from jixiao.domain.model import (
    Declaration,
    Document,
    Funding,
    Goals,
    Indicator,
    ParseWarning,
    Project,
    Source,
)
from jixiao.domain.money import parse_amount, parse_date
from jixiao.domain.targets import Target, parse_target
from jixiao.domain.text import fold

__all__ = ["DECLARATION_TITLE", "SELF_EVALUATION_TITLE", "read_documents", "read_forms", "read_text_bytes"]

DECLARATION_TITLE = "财政项目支出绩效目标申报表"
SELF_EVALUATION_TITLE = "财政项目支出绩效自评表"

_YEAR = re.compile(r"[（(]\s*(\d{4})\s*年度?\s*[）)]")
_GOAL_PERIOD = re.compile(r"^[（(]\s*\d{4}\s*年?\s*[-—~至]\s*\d{4}\s*年?\s*[）)]$")
# Vertical labels the extractor prints one character a line.
_VERTICAL_LABELS = frozenset({"项目绩效目标", "绩效指标", "项目资金", "绩效目标", "项目资金（元）"})
_TABLE_HEADER = re.compile(r"^一级指标\s*二级指标\s*三级指标\s*(?:指标目标值|指标值|目标值)")

# Header labels, longest first so that 项目资金总额 wins over 项目资金. The key is the field it fills.
_HEADER_LABELS: tuple[tuple[str, str], ...] = (
    ("年度资金申请总额", "annual"),
    ("其中：当年财政拨款", "annual_appropriation"),
    ("其中:当年财政拨款", "annual_appropriation"),
    ("当年财政拨款", "annual_appropriation"),
    ("其中：财政资金", "total_fiscal"),
    ("其中:财政资金", "total_fiscal"),
    ("财政资金", "total_fiscal"),
    ("上年结转资金", "annual_carryover"),
    ("项目资金总额", "total"),
    ("项目资金（元）", "-"),
    ("项目资金(元)", "-"),
    ("项目资金", "-"),
    ("其他资金", "other"),
    ("计划开始日期", "start_date"),
    ("计划完成日期", "end_date"),
    ("项目名称", "name"),
    ("项目类别", "category"),
    ("项目性质", "nature"),
    ("主管部门", "competent_department"),
    ("实施单位", "implementing_unit"),
)
_HEADER_RE = re.compile("|".join(re.escape(label) for label, _ in _HEADER_LABELS))
_HEADER_FIELD = dict(_HEADER_LABELS)
_GOAL_LABELS = re.compile(r"^(项目总目标|年度总目标|年度总体目标)\s*$")

_LEVELS = LEVEL_NAMES

# Words that make a short phrase a qualitative target (提升, 建立健全 …) rather than part of a name.
_QUALITATIVE_WORDS = (
    "提升",
    "提高",
    "增加",
    "增长",
    "加大",
    "加强",
    "改善",
    "增强",
    "扩大",
    "上升",
    "优化",
    "降低",
    "减少",
    "下降",
    "减轻",
    "缩短",
    "健全",
    "建立",
    "形成",
    "覆盖",
    "及时",
    "落实",
    "完成",
    "达标",
    "合格",
    "到位",
    "明显",
    "显著",
    "有效",
    "良好",
    "稳定",
    "规范",
    "满意",
    "执行",
    "达到",
    "实现",
    "推进",
    "保障",
)
# Endings of indicator names (…率, …度, …性): a fragment ending so is a name, not a target.
_NAME_ENDINGS = ("率", "度", "性", "数", "量", "值", "额", "次", "比", "指数", "情况")
_WRAP_WIDTH = 12  # the name column of the Shanghai 2022 form wraps at 12 characters
_OPERATOR_ONLY = re.compile(r"^[<>=≥≤≧≦＞＜＝═]+$")
_MAX_UNIT_LENGTH = 4


@dataclass(slots=True)
class _Line:
    number: int  # 1-based line number in the file
    text: str  # stripped


@dataclass(slots=True)
class _Form:
    index: int
    lines: list[_Line]
    warnings: list[ParseWarning] = field(default_factory=list)

    def warn(self, code: str, zh: str, en: str, line: int | None, field_path: str | None = None) -> None:
        self.warnings.append(ParseWarning(code=code, message=zh, message_en=en, line=line, field=field_path))


def read_text_bytes(data: bytes, name: str | None) -> list[Document]:
    """Return the forms in extracted-text bytes (UTF-8 or GBK/GB18030, CRLF or LF)."""
    from jixiao.formats import decode_text

    return read_documents(decode_text(data, name), file=name)


def read_documents(text: str, file: str | None = None) -> list[Document]:
    """Return the 申报表 and 自评表 in an extracted text, in file order.

    Each kind has its own reader; in a file that holds both, each reader sees the other kind's
    lines as blank lines, so that line numbers stay those of the file.
    """
    if "自评表" not in text:
        return list[Document](read_forms(text, file))
    from jixiao.formats.text_self_evaluation import read_self_evaluation_text

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kinds: list[str | None] = []
    current: str | None = None
    for line in lines:
        if _is_title(line):
            current = "declaration"
        elif _is_self_evaluation_title(line):
            current = "self_evaluation"
        kinds.append(current)
    if "declaration" not in kinds:
        return list[Document](read_self_evaluation_text(text, file))
    if "self_evaluation" not in kinds:
        return list[Document](read_forms(text, file))

    def only(kind: str) -> str:
        return "\n".join(line if k == kind else "" for line, k in zip(lines, kinds, strict=True))

    docs: list[Document] = [
        *read_forms(only("declaration"), file),
        *read_self_evaluation_text(only("self_evaluation"), file),
    ]
    return sorted(docs, key=lambda d: d.source.line or 0)


def _is_self_evaluation_title(text: str) -> bool:
    return "自评表" in text and "".join(fold(text).split()).startswith(SELF_EVALUATION_TITLE)


def read_forms(text: str, file: str | None = None) -> list[Declaration]:
    """Return every 申报表 in ``text``, in order.

    Raises :class:`InputError` JX-E105 when the text holds no form at all. Problems inside a form
    become warnings on that form's Declaration.
    """
    with gc_paused():
        lines = [
            _Line(n, raw.strip())
            for n, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1)
        ]
        forms = list(_split_forms(lines))
        if forms:
            return [_read_form(form, file) for form in forms]
    raise InputError(
        f"没有找到「{DECLARATION_TITLE}」：这不是绩效目标申报表",
        f"no '{DECLARATION_TITLE}' title found: this is not a declaration form",
        code="JX-E105",
        where=Location(file=file),
    )


def _is_title(text: str) -> bool:
    return "申报表" in text and fold(text).replace(" ", "").startswith(DECLARATION_TITLE)


def _split_forms(lines: list[_Line]) -> Iterator[_Form]:
    starts = [i for i, line in enumerate(lines) if _is_title(line.text)]
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        yield _Form(index=k + 1, lines=_drop_vertical_labels(lines[start:end]))


def _drop_vertical_labels(lines: list[_Line]) -> list[_Line]:
    """Remove runs of one-character lines that spell a vertical label (项/目/绩/效/目/标)."""
    out: list[_Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(lines[j].text) == 1:
            j += 1
        if j - i >= 2 and "".join(line.text for line in lines[i:j]) in _VERTICAL_LABELS:
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def _read_form(form: _Form, file: str | None) -> Declaration:
    lines = form.lines
    title_line = lines[0].number
    year = _find_year(lines[:4])
    if year is None:
        form.warn(
            "JX-W111",
            "未找到预算年度（如「（2022年度）」）",
            "budget year not found (e.g. '（2022年度）')",
            title_line,
            "year",
        )

    goal_at = next((i for i, line in enumerate(lines) if _GOAL_LABELS.match(line.text)), None)
    table_at = next((i for i, line in enumerate(lines) if _TABLE_HEADER.match(line.text)), None)
    header_end = goal_at if goal_at is not None else (table_at if table_at is not None else len(lines))
    project, funding = _read_header(form, lines[1:header_end])

    if goal_at is None:
        form.warn("JX-W109", "未找到「项目总目标/年度总目标」", "project goals not found", None, "goals")
        goals = Goals()
    else:
        goals_end = table_at if table_at is not None and table_at > goal_at else len(lines)
        goals = _read_goals(form, lines[goal_at:goals_end])

    if table_at is None:
        form.warn(
            "JX-W108",
            "未找到绩效指标表（一级指标 二级指标 三级指标 指标目标值）",
            "indicator table not found",
            None,
            "indicators",
        )
        indicators: list[Indicator] = []
    else:
        indicators = _read_indicators(form, lines[table_at + 1 :])
        if not indicators:
            form.warn(
                "JX-W108",
                "绩效指标表中没有指标",
                "the indicator table has no indicators",
                lines[table_at].number,
                "indicators",
            )

    return Declaration(
        year=year,
        project=project,
        funding=funding,
        goals=goals,
        indicators=indicators,
        source=Source(file=file, form_index=form.index, line=title_line),
        warnings=form.warnings,
    )


def _find_year(lines: list[_Line]) -> int | None:
    for line in lines:
        match = _YEAR.search(fold(line.text))
        if match:
            return int(match[1])
    return None


def _join_wrapped(parts: list[str]) -> str:
    """Join the lines of one wrapped cell: no separator, as the extractor cut mid-word."""
    return " ".join("".join(parts).split())


def _read_header(form: _Form, lines: list[_Line]) -> tuple[Project, Funding]:
    """Read label/value pairs; a label's value is the text up to the next label."""
    # One string for the whole header, "\n" between lines: wrapped values rejoin without spaces.
    text = "\n".join(line.text for line in lines)
    starts = list(accumulate((len(line.text) + 1 for line in lines), initial=0))
    values: dict[str, list[tuple[str, int]]] = {}
    matches = list(_HEADER_RE.finditer(text))
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        value = _join_wrapped(text[match.end() : end].split("\n"))
        label_line = lines[bisect_right(starts, match.start()) - 1].number if lines else 0
        values.setdefault(_HEADER_FIELD[match.group()], []).append((value, label_line))

    def first(key: str) -> tuple[str | None, int | None]:
        found = values.get(key)
        if not found:
            return None, None
        text, number = found[0]
        return (text or None), number

    name, name_line = first("name")
    if not name:
        form.warn("JX-W101", "未找到项目名称", "project name not found", name_line, "project.name")
    project = Project(name=name or "")
    for key in ("category", "nature", "competent_department", "implementing_unit"):
        setattr(project, key, first(key)[0])
    for key in ("start_date", "end_date"):
        date_text, number = first(key)
        if date_text:
            try:
                setattr(project, key, parse_date(date_text))
            except DateError as exc:
                form.warn("JX-W104", exc.message_zh, exc.message_en, number, f"project.{key}")

    funding = Funding()
    # 其他资金 appears twice: under 项目资金总额 (whole-life) and under 年度资金申请总额.
    others = values.get("other", [])
    if len(others) == 1:
        values["annual_other"] = others
    elif len(others) >= 2:
        values["total_other"], values["annual_other"] = [others[0]], [others[1]]
    for key in (
        "total",
        "total_fiscal",
        "total_other",
        "annual",
        "annual_appropriation",
        "annual_carryover",
        "annual_other",
    ):
        amount_text, number = first(key)
        if amount_text:
            try:
                setattr(funding, key, parse_amount(amount_text))
            except MoneyError as exc:
                form.warn("JX-W103", exc.message_zh, exc.message_en, number, f"funding.{key}")
    return project, funding


def _read_goals(form: _Form, lines: list[_Line]) -> Goals:
    """Read 项目总目标 then 年度总目标: paragraphs separated by blank lines, first one overall."""
    body = [
        line
        for line in lines
        if not (
            line.text[:1] in "（(项年"
            and (_GOAL_LABELS.match(line.text) or _GOAL_PERIOD.match(fold(line.text).replace(" ", "")))
        )
    ]
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in body:
        if line.text:
            current.append(line.text)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    first_line = next((line.number for line in body if line.text), lines[0].number if lines else None)
    if not paragraphs:
        form.warn("JX-W109", "项目总目标和年度总目标均为空", "both goals are empty", first_line, "goals")
        return Goals()
    overall = _join_wrapped(paragraphs[0])
    if len(paragraphs) == 1:
        form.warn(
            "JX-W109",
            "只找到一段目标文字，年度总目标为空",
            "only one goal paragraph found; the annual goal is empty",
            first_line,
            "goals.annual",
        )
        return Goals(overall=overall)
    annual = _join_wrapped([part for paragraph in paragraphs[1:] for part in paragraph])
    return Goals(overall=overall, annual=annual)


@dataclass(slots=True)
class _Token:
    text: str
    line: int
    last_on_line: bool
    alone: bool  # the only token on its line


def _tokens(lines: list[_Line]) -> Iterator[_Token]:
    for line in lines:
        words = line.text.split()
        merged: list[str] = []
        for word in words:
            # ">= 90%": an operator the extractor separated from its number
            if merged and _OPERATOR_ONLY.match(merged[-1]):
                merged[-1] += word
            else:
                merged.append(word)
        for k, word in enumerate(merged):
            yield _Token(word, line.number, k == len(merged) - 1, len(merged) == 1)


def _as_target(token: _Token, pending: list[_Token]) -> Target | None:
    """Return the token's Target when it closes the pending indicator, else None (a name part)."""
    text = token.text
    try:
        target = parse_target(text)
    except TargetError:
        return None
    if target.kind == "numeric" and target.unit and len(target.unit) > _MAX_UNIT_LENGTH:
        return None  # "2022年度完成率" is a name that starts with a number
    if target.kind in ("numeric", "range", "deadline"):
        return target
    # A qualitative phrase: a target only if it can be one and the name before it is complete.
    if not pending or not any(word in text for word in _QUALITATIVE_WORDS) or text.endswith(_NAME_ENDINGS):
        return None
    previous = pending[-1]
    if previous.line == token.line:
        return target  # "城市精细化推进程度 提升": name and value on one line
    if len(previous.text) >= _WRAP_WIDTH:
        return None  # the name filled its line, so this line continues it
    return target


def _read_indicators(form: _Form, lines: list[_Line]) -> list[Indicator]:
    indicators: list[Indicator] = []
    level1 = level2 = ""
    pending: list[_Token] = []

    def drop_pending(reason_zh: str, reason_en: str) -> None:
        if pending:
            name = "".join(t.text for t in pending)
            form.warn(
                "JX-W105",
                f"三级指标「{name}」没有指标目标值（{reason_zh}）",
                f"indicator '{name}' has no target value ({reason_en})",
                pending[0].line,
                f"indicators[{len(indicators)}]",
            )
            pending.clear()

    for token in _tokens(lines):
        level = _LEVELS.get(token.text)
        if level is not None:
            drop_pending("其后是新的指标类别", "a new category follows")
            if level[0] == 1:
                level1, level2 = level[1], ""
            else:
                level2 = level[1]
            continue
        target = _as_target(token, pending)
        if target is None:
            pending.append(token)
            continue
        if not pending:
            form.warn(
                "JX-W106",
                f"指标目标值「{token.text}」前没有三级指标名称",
                f"target value '{token.text}' has no indicator name before it",
                token.line,
                f"indicators[{len(indicators)}].name",
            )
        if not level1 or not level2:
            form.warn(
                "JX-W107",
                "指标缺少一级或二级指标",
                "indicator without a level-1 or level-2 category",
                token.line,
                f"indicators[{len(indicators)}]",
            )
        indicators.append(
            Indicator(level1=level1, level2=level2, name="".join(t.text for t in pending), target=target)
        )
        pending.clear()
    drop_pending("表格在此结束", "the table ends here")
    return indicators
