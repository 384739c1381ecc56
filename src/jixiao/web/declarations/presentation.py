"""Shape a stored declaration for the official-form page: indicator rowspans, findings by field."""

from __future__ import annotations

import calendar
from typing import Any

from jixiao.domain.targets import try_parse_target
from jixiao.review.registry import stored_suggestion

__all__ = ["describe_target", "findings_by_place", "grade_panel", "indicator_rows", "live_rows"]

# The time units of a deadline target (7天内完成) in English.
_UNITS_EN = {
    "天": "days",
    "日": "days",
    "个工作日": "working days",
    "工作日": "working days",
    "小时": "hours",
    "个月": "months",
    "月": "months",
    "周": "weeks",
}


def describe_target(text: str, lang: str = "zh") -> dict[str, Any]:
    """Return how a target reads: ``{"ok", "kind", "explanation"}`` (the editor's live check)."""
    target = try_parse_target(text or "")
    en = lang == "en"
    if target.kind == "invalid":
        return {
            "ok": False,
            "kind": "invalid",
            "text": target.text,
            "explanation": (f"cannot read: {target.error}" if en else f"无法识别：{target.error}"),
        }
    op_words = {
        "=": ("等于", "equal to"),
        ">=": ("不低于", "at least"),
        ">": ("高于", "above"),
        "<=": ("不超过", "at most"),
        "<": ("低于", "below"),
    }
    unit = target.unit or ""
    if target.kind == "numeric":
        word = op_words.get(target.op or "=", ("", ""))
        text_out = (
            f"quantity {word[1]} {target.value}{unit}" if en else f"数值型：{word[0]} {target.value}{unit}"
        )
        if target.period:
            text_out += f" per {target.period}" if en else f"（每{target.period}）"
        if target.note:
            text_out += f" · {target.note}"
        if target.reverse:
            text_out += " (reverse indicator: less is better)" if en else "（反向指标：越低越好）"
    elif target.kind == "relative":
        word = op_words.get(target.op or "=", ("", ""))
        size = (
            f"{target.value}{'个百分点' if target.unit == '百分点' else unit}"
            if target.value is not None
            else ""
        )
        move_zh = ("提高" if target.direction == "up" else "下降") + size if size else word[0]
        text_out = (
            f"relative to {target.baseline}: {word[1]} {size or 'the baseline'}"
            if en
            else f"相对型：较{target.baseline}{move_zh}（自评时以上年实际值为基数）"
        )
    elif target.kind == "range":
        text_out = (
            f"range {target.low}–{target.high}{unit}" if en else f"区间型：{target.low}～{target.high}{unit}"
        )
    elif target.kind == "deadline":
        if target.month is not None:
            when = f"{target.year or ''}{'年' if target.year else ''}{target.month}月{target.day or '底'}"
            month = calendar.month_name[int(target.month)] if 1 <= int(target.month) <= 12 else target.month
            year = f" {target.year}" if target.year else ""
            when_en = f"{target.day} {month}{year}" if target.day else f"the end of {month}{year}"
            text_out = f"deadline: by {when_en}" if en else f"时限型：{when}前完成"
        else:
            unit_en = _UNITS_EN.get(unit, unit)
            text_out = (
                f"deadline: within {target.value} {unit_en}" if en else f"时限型：{target.value}{unit}内"
            )
    else:
        direction = {
            "up": ("提升方向", "upward"),
            "down": ("降低方向", "downward"),
            "none": ("无方向", "no direction"),
        }
        d = direction.get(target.direction or "none", ("", ""))
        text_out = (
            f"qualitative ({d[1]}), not measurable: consider a number"
            if en
            else f"定性描述（{d[0]}），不可量化：建议改为可衡量的数值"
        )
    return {
        # A target the grammar reads but nobody can measure is not green (the review says the same).
        "ok": True,
        "status": "ok" if target.measurable else "warning",
        "kind": target.kind,
        "text": target.text,
        "explanation": text_out,
        "measurable": target.measurable,
    }


def live_rows(doc: Any, check: Any, lang: str = "zh") -> list[dict[str, Any]]:
    """Return per indicator the live check: the grammar's reading and the review's verdict and findings.

    ``check`` is :func:`jixiao.review.checking.check_declaration` of ``doc`` as typed, the same review
    the save runs, so the colour while typing is the colour after saving.
    """
    en = lang == "en"
    out = []
    for n, ind in enumerate(doc.indicators):
        described = describe_target(ind.target.text, lang) if ind.target.text else None
        findings = check.by_indicator.get(n, []) if check is not None else []
        status = check.status(n, ind.target) if check is not None else (described or {}).get("status", "ok")
        out.append(
            {
                "status": status,
                "explanation": (described or {}).get("explanation", ""),
                "findings": [
                    {
                        "code": f.get("code"),
                        "severity": f.get("severity"),
                        "message": f.get("message_en") if en else f.get("message_zh"),
                        "suggestion": stored_suggestion(f, lang),
                    }
                    for f in findings
                ],
            }
        )
    return out


def grade_panel(findings: list[dict[str, Any]], grade: str, profile: str, lang: str = "zh") -> dict[str, Any]:
    """Return the grade explained: the score, each deduction with its rule, and the table in force."""
    from jixiao.review.checking import explain_grade, grading_for

    grading = grading_for(profile)
    deductions = explain_grade(findings, grading)
    total = sum((d.points for d in deductions), grading.start - grading.start)
    score = max(grading.start - total, grading.start - grading.start)
    bands = [(name, minimum) for name, minimum in grading.bands]
    return {
        "score": score,
        "grade": grade,
        "start": grading.start,
        "deductions": deductions,
        "table": {
            "deductions": dict(grading.deductions),
            "caps": dict(grading.cap_per_rule),
            "bands": bands,
        },
        "profile": profile,
        "next_band": next(((name, m) for name, m in reversed(bands) if m > score), None),
    }


def _section(field: str) -> str:
    if field.startswith("indicators"):
        return "indicators"
    for prefix in ("project.start_date", "project.end_date"):
        if field.startswith(prefix):
            return "dates"
    for prefix in ("project", "funding", "goals"):
        if field.startswith(prefix):
            return prefix
    return "general"


def findings_by_place(findings: list[dict[str, Any]]) -> dict[str, Any]:
    """Return findings grouped by where they belong: sections and indicator indexes."""
    places: dict[str, Any] = {
        "project": [],
        "dates": [],
        "funding": [],
        "goals": [],
        "general": [],
        "indicators": {},
    }
    for f in findings:
        evidence = f.get("evidence") or {}
        index = evidence.get("index")
        if isinstance(index, int):
            places["indicators"].setdefault(index, []).append(f)
            continue
        section = _section(str(evidence.get("field") or ""))
        if section == "indicators":
            section = "general"
        places[section].append(f)
    return places


def indicator_rows(
    indicators: list[dict[str, Any]], findings: dict[int, list[Any]] | None = None
) -> list[dict[str, Any]]:
    """Return the indicator rows with level1/level2 rowspans, like the printed form's merged cells."""
    rows = [
        {
            "level1": i.get("level1") or "",
            "level2": i.get("level2") or "",
            "name": i.get("name") or "",
            "target": i.get("target") or {},
            "findings": (findings or {}).get(n, []),
            "span1": 0,
            "span2": 0,
        }
        for n, i in enumerate(indicators)
    ]
    n = 0
    while n < len(rows):
        end = n
        while end + 1 < len(rows) and rows[end + 1]["level1"] == rows[n]["level1"]:
            end += 1
        rows[n]["span1"] = end - n + 1
        m = n
        while m <= end:
            stop = m
            while stop + 1 <= end and rows[stop + 1]["level2"] == rows[m]["level2"]:
                stop += 1
            rows[m]["span2"] = stop - m + 1
            m = stop + 1
        n = end + 1
    return rows
