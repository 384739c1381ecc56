"""Errors of the records area (codes JX-E80x–JX-E84x), one hierarchy with the rest of jixiao.

=========  ================================================================
JX-E800    a record file that cannot be read (encoding, not a table, empty)
JX-E801    a required field has no column in the mapping
JX-E802    a mapping names a field twice or a field that does not exist
JX-E803    rows that fail validation (the error lists each bad row)
JX-E810    a binding that is not a valid definition (field, operator, unit …)
JX-E820    a cut-off month outside 1–12, or a year without records
=========  ================================================================
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.domain.errors import InputError, Location, ValidationError

__all__ = ["BindingError", "RecordFileError", "RowError", "RowsRejected"]


class RecordFileError(InputError):
    """Raised when a record file as a whole cannot be read or mapped."""

    default_code = "JX-E800"


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad row: its number in the file (the header is row 1), the column and why."""

    row: int
    column: str
    value: str
    reason_zh: str
    reason_en: str

    def message(self, lang: str = "zh") -> str:
        """Return ``第 12 行，列「办结时间」：…`` in ``lang``."""
        if lang == "en":
            return f"row {self.row}, column '{self.column}': {self.reason_en} ('{self.value}')"
        return f"第 {self.row} 行，列「{self.column}」：{self.reason_zh}（「{self.value}」）"


class RowsRejected(ValidationError):
    """Raised when rows of a file fail validation; nothing of the file is kept.

    ``errors`` holds at most one :class:`RowError` per bad row (the first problem found in it),
    ``total`` how many rows are bad in all (``errors`` may be cut to the first few hundred).
    """

    default_code = "JX-E803"

    def __init__(self, file: str, errors: list[RowError], total: int) -> None:
        self.errors = errors
        self.total = total
        first = errors[0]
        super().__init__(
            f"{total} 行数据有误，整个文件未导入；首个错误：{first.message('zh')}",
            f"{total} rows are invalid, nothing of the file was imported; first: {first.message('en')}",
            where=Location(file=file, line=first.row),
        )


class BindingError(ValidationError):
    """Raised when an indicator binding is not a valid definition."""

    default_code = "JX-E810"

    def __init__(self, zh: str, en: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(
            f"指标取数规则有误：{zh}",
            f"invalid indicator binding: {en}",
            code=code,
            where=Location(field=field),
        )
