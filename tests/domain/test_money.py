"""Amounts in 元 and dates as the forms print them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.domain.errors import DateError, MoneyError
from jixiao.domain.money import format_amount, parse_amount, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,559,500", "1559500.00"),
        ("1559500.00", "1559500.00"),
        ("155.95万元", "1559500.00"),
        ("155.95 万元", "1559500.00"),
        ("480000元", "480000.00"),
        ("１，５５９，５００", "1559500.00"),
        ("22,614.51万元", "226145100.00"),
        ("0.5", "0.50"),
        ("-100", "-100.00"),
        ("349.80万", "3498000.00"),
        ("771,325,800.00", "771325800.00"),
    ],
)
def test_amounts_become_decimal_yuan(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,55,9500", "12.3.4", "万元", "1e5", "NaN", "9" * 40, "1" * 16])
def test_unreadable_amounts_raise_money_error(text: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount(text)
    assert caught.value.code in ("JX-E300", "JX-E301")


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_formatted_amounts_read_back(value: Decimal) -> None:
    assert parse_amount(format_amount(value)) == value


@given(st.text(max_size=20))
def test_any_text_gives_an_amount_or_a_money_error(text: str) -> None:
    try:
        assert isinstance(parse_amount(text), Decimal)
    except MoneyError:
        pass


@pytest.mark.parametrize(
    "text", ["2022-01-01", "2022/1/1", "2022年1月1日", "2022.1.1", "20220101", "２０２２－０１－０１"]
)
def test_dates_in_every_spelling(text: str) -> None:
    assert parse_date(text) == date(2022, 1, 1)


@pytest.mark.parametrize("text", ["2022-02-30", "2022-13-01", "明年", "", "2022-1"])
def test_bad_dates_raise_date_error(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)
