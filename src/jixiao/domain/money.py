"""Amounts and dates as forms print them.

Money is ``Decimal`` in 元 with two places, never float (DESIGN.md "Rules of the house"). Shanghai
district forms print 元 ("1,559,500"); national templates print 万元 (domain-rules.md §5.6).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from jixiao.domain.errors import DateError, MoneyError
from jixiao.domain.text import fold, strip_spaces

__all__ = ["CENT", "MAX_AMOUNT", "format_amount", "parse_amount", "parse_date", "to_cents"]

CENT = Decimal("0.01")
# No budget line reaches a quadrillion 元; larger numbers are typing errors, and they would also
# overflow the 28-digit decimal context when rounded to cents.
MAX_AMOUNT = Decimal(10) ** 15

_AMOUNT = re.compile(
    r"^(?P<sign>-)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<unit>万元|万|元)?$"
)


def to_cents(value: Decimal) -> Decimal:
    """Return ``value`` rounded half-up to 0.01 元."""
    return value.quantize(CENT, rounding="ROUND_HALF_UP")


def parse_amount(text: str) -> Decimal:
    """Return the amount in 元 (2 places) written in ``text``.

    Accepts "1,559,500", "1559500.00", "155.95万元", "155.95 万元", "480000元" and full-width
    digits. Raises :class:`MoneyError` for anything else, including an empty string.

    >>> parse_amount("155.95万元")
    Decimal('1559500.00')
    """
    cleaned = strip_spaces(fold(text)).replace("，", ",").replace("¥", "").replace("￥", "")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise MoneyError(
            f"「{text}」不是金额（应为如 1,559,500 或 155.95万元）",
            f"'{text}' is not an amount (expected e.g. 1,559,500 or 155.95万元)",
        )
    try:
        value = Decimal(match["num"].replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid numbers
        raise MoneyError(f"「{text}」不是金额", f"'{text}' is not an amount") from exc
    if match["unit"] in ("万元", "万"):
        value *= 10000
    if value >= MAX_AMOUNT:
        raise MoneyError(f"「{text}」超出金额上限", f"'{text}' is beyond any budget amount", code="JX-E301")
    if match["sign"]:
        value = -value
    return to_cents(value)


def format_amount(value: Decimal | None) -> str:
    """Return ``value`` as the forms print it, "1,559,500.00", or "" for None."""
    if value is None:
        return ""
    return f"{value:,.2f}"


_DATE = re.compile(
    r"^(?P<y>\d{4})\s*(?:[-/.年])\s*(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?$"
    r"|^(?P<y2>\d{4})(?P<m2>\d{2})(?P<d2>\d{2})$"
)


def parse_date(text: str) -> date:
    """Return the date in "2022-01-01", "2022/1/1", "2022.1.1", "2022年1月1日" or "20220101".

    Raises :class:`DateError` for another spelling or a day that is not on the calendar.
    """
    cleaned = fold(text).strip()
    match = _DATE.match(cleaned)
    if not match:
        raise DateError(
            f"「{text}」不是日期（应为如 2022-01-01 或 2022年1月1日）",
            f"'{text}' is not a date (expected e.g. 2022-01-01 or 2022年1月1日)",
        )
    y, m, d = (match["y"], match["m"], match["d"]) if match["y"] else (match["y2"], match["m2"], match["d2"])
    try:
        return date(int(y), int(m), int(d))
    except ValueError as exc:
        raise DateError(f"「{text}」不是有效日期", f"'{text}' is not a calendar date") from exc
