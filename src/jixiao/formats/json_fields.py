"""Validators and printers for the canonical JSON, shared by every document kind.

Each validator takes a JSON value and its path (``$[0].funding.total``) and returns a typed value or
raises :class:`ValidationError` naming that path, so that the API and the CLI can say where a
document is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from jixiao.domain.errors import DateError, Location, TargetError, ValidationError
from jixiao.domain.money import MAX_AMOUNT, parse_date, to_cents
from jixiao.domain.targets import Target, parse_target

T = TypeVar("T")

__all__ = [
    "load_documents",
    "amount",
    "date_value",
    "decimal",
    "fail",
    "integer",
    "iso",
    "json_list",
    "money",
    "obj",
    "plain",
    "string",
    "target",
]


def money(value: Decimal | None) -> str | None:
    """Return an amount as the JSON decimal string in 元 with two places, or None."""
    return None if value is None else str(to_cents(value))


def plain(value: Decimal | None) -> str | None:
    """Return a decimal (rate, weight, score) as a JSON string, or None."""
    return None if value is None else str(value)


def iso(value: date | None) -> str | None:
    """Return a date as an ISO string, or None."""
    return None if value is None else value.isoformat()


def fail(path: str, zh: str, en: str) -> ValidationError:
    """Return the ValidationError for the field at ``path``."""
    return ValidationError(f"字段 {path}：{zh}", f"field {path}: {en}", where=Location(field=path))


def obj(value: Any, path: str) -> dict[str, Any]:
    """Return ``value`` if it is a JSON object."""
    if not isinstance(value, dict):
        raise fail(path, "应为对象", "expected an object")
    return value


def string(value: Any, path: str, *, required: bool = False) -> str | None:
    """Return ``value`` if it is a string (or None when not required)."""
    if value is None:
        if required:
            raise fail(path, "不能为空", "is required")
        return None
    if not isinstance(value, str):
        raise fail(path, "应为文本", "expected a string")
    if required and not value.strip():
        raise fail(path, "不能为空", "is required")
    return value


def decimal(value: Any, path: str) -> Decimal | None:
    """Return a finite number below 10^15 given as a string or number, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise fail(path, "应为数字字符串", "expected a decimal string")
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        raise fail(path, f"「{value}」不是数字", f"'{value}' is not a number") from None
    if not result.is_finite():
        raise fail(path, "不是有限数字", "is not a finite number")
    if abs(result) >= MAX_AMOUNT:
        raise fail(path, f"「{value}」超出上限", f"'{value}' is out of range")
    return result


def amount(value: Any, path: str) -> Decimal | None:
    """Return an amount in 元 rounded to cents, or None."""
    result = decimal(value, path)
    return None if result is None else to_cents(result)


def date_value(value: Any, path: str) -> date | None:
    """Return a date from any spelling :func:`parse_date` reads, or None."""
    text = string(value, path)
    if not text:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        raise fail(path, exc.message_zh, exc.message_en) from None


def integer(value: Any, path: str) -> int | None:
    """Return an integer (not a boolean), or None; 2024.0 is 2024 (JSON has one number type)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(path, "应为整数", "expected an integer")
    return value


def json_list(value: Any, path: str) -> list[Any]:
    """Return a JSON array (None is an empty one)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(path, "应为数组", "expected an array")
    return value


def target(value: Any, path: str) -> Target:
    """Return the Target of ``{"text": …}`` or a bare string; an unreadable text stays ``invalid``."""
    if isinstance(value, str):
        value = {"text": value}
    fields = obj(value, path)
    text = string(fields.get("text"), f"{path}.text", required=True)
    assert text is not None
    if fields.get("kind") == "invalid":
        return Target.invalid(text, string(fields.get("error"), f"{path}.error") or "")
    try:
        return parse_target(text)
    except TargetError as exc:
        # The structure is derived from the text, so an unreadable text stays unreadable.
        return Target.invalid(text, exc.reason_zh)


def load_documents(text: str, file: str | None, build: Callable[[Any, str], T]) -> list[T]:
    """Return ``build(item, path)`` for each item of a JSON text holding an array or one object.

    Malformed or absurdly nested JSON is a :class:`ValidationError` naming the file (and line),
    never a raw decoder error; a document's own error gains the file name.
    """
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"JSON 格式错误：{exc.msg}",
            f"malformed JSON: {exc.msg}",
            where=Location(file=file, line=exc.lineno),
        ) from None
    except RecursionError:
        raise ValidationError(
            "JSON 嵌套过深", "the JSON is nested too deeply", where=Location(file=file)
        ) from None
    items = data if isinstance(data, list) else [data]
    out = []
    for n, item in enumerate(items):
        try:
            out.append(build(item, f"$[{n}]" if isinstance(data, list) else "$"))
        except ValidationError as exc:
            raise exc.located(file=file) from None
    return out
