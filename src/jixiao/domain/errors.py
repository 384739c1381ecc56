"""The one exception hierarchy of jixiao.

Every error a user can cause is a :class:`JixiaoError` carrying a stable ``code``, a message in
Chinese and English, and where it happened (:class:`Location`). Adapters (CLI, web, API) turn it
into an exit code, a form error or a 4xx JSON body; no raw library traceback reaches a user.

* JixiaoError
  + InputError            bad input as a whole: missing file, undecodable bytes, not a form
  + TargetError           a 指标目标值 the target grammar cannot read
  + MoneyError            an amount that is not a number of 元
  + DateError             a date that is not a calendar date
  + FormatError           a file whose layout a reader cannot follow (sheet, cell, page)
  + ValidationError       a document that breaks the canonical JSON contract
  + ScoringError          an actual value that cannot be scored against its target
  + WorkflowError         a state transition that is not allowed
    + NotAllowed          the user's role or scope does not allow the action
    + NotFound            no such object in the user's scope
    + ConflictError       someone else saved first (optimistic locking)
  + InputError
    + UploadTooLarge      an upload over the configured limit

Each code is defined once, with its class and HTTP status, in :mod:`jixiao.domain.error_codes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.domain.i18n import lang_from_env as _lang_from_env
from jixiao.domain.i18n import normalize_lang, tr

__all__ = [
    "ConflictError",
    "DateError",
    "FormatError",
    "InputError",
    "JixiaoError",
    "Location",
    "MoneyError",
    "NotAllowed",
    "NotFound",
    "ScoringError",
    "ServerBusy",
    "TargetError",
    "UploadTooLarge",
    "ValidationError",
    "WorkflowError",
    "lang_from_env",
]


@dataclass(frozen=True, slots=True)
class Location:
    """Where something happened: a file and line, a sheet and cell, a page, or a field path."""

    file: str | None = None
    line: int | None = None
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None
    field: str | None = None

    def describe(self, lang: str = "zh") -> str:
        """Return a short human description, e.g. ``第 12 行`` or ``line 12``."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(tr("工作表「{sheet}」", lang, sheet=self.sheet))
        if self.cell:
            parts.append(tr("单元格 {cell}", lang, cell=self.cell))
        if self.page is not None:
            parts.append(tr("第 {page} 页", lang, page=self.page))
        if self.line is not None:
            parts.append(tr("第 {line} 行", lang, line=self.line))
        if self.field:
            parts.append(tr("字段 {field}", lang, field=self.field))
        return tr("，", lang).join(parts)

    def to_dict(self) -> dict[str, Any]:
        """Return the non-empty parts as a JSON-ready dict."""
        return {
            name: getattr(self, name)
            for name in ("file", "line", "sheet", "cell", "page", "field")
            if getattr(self, name) is not None
        }


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose.

    ``code`` is stable (documented, tested); ``message_zh`` and ``message_en`` say what is wrong
    in words a budget-unit user understands; ``where`` says where.
    """

    default_code = "JX-E000"

    def __init__(
        self,
        message_zh: str,
        message_en: str | None = None,
        *,
        code: str | None = None,
        where: Location | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.message_zh = message_zh
        self.message_en = message_en or message_zh
        self.where = where or Location()
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        """Return the one-line message in ``lang`` ('zh' or 'en'), with its location."""
        en = normalize_lang(lang) == "en"
        text = self.message_en if en else self.message_zh  # each error carries its own pair
        place = self.where.describe(lang)
        if place:
            text = tr("{text}（{place}）", lang, text=text, place=place)
        return f"[{self.code}] {text}"

    def located(self, **where: Any) -> JixiaoError:
        """Return this error with more location detail filled in (keeps what is already known)."""
        merged = {
            **{k: v for k, v in where.items() if v is not None},
            **{k: v for k, v in self.where.to_dict().items()},
        }
        self.where = Location(**merged)
        self.args = (self.message("zh"),)
        return self

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """Return the JSON body the API sends for this error."""
        return {
            "code": self.code,
            "message": self.message_en if normalize_lang(lang) == "en" else self.message_zh,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "where": self.where.to_dict(),
        }


class InputError(JixiaoError):
    """Raised when an input as a whole cannot be read: missing file, bad bytes, no form in it."""

    default_code = "JX-E100"


class TargetError(JixiaoError):
    """Raised when a 指标目标值 does not follow the target grammar; carries the text and reason."""

    default_code = "JX-E200"

    def __init__(
        self,
        text: str,
        reason_zh: str,
        reason_en: str,
        *,
        code: str | None = None,
        where: Location | None = None,
    ) -> None:
        self.text = text
        self.reason_zh = reason_zh
        self.reason_en = reason_en
        super().__init__(
            f"无法识别的指标目标值「{text}」：{reason_zh}",
            f"unreadable target value '{text}': {reason_en}",
            code=code,
            where=where,
        )


class MoneyError(JixiaoError):
    """Raised when an amount cannot be read as 元."""

    default_code = "JX-E300"


class DateError(JixiaoError):
    """Raised when a date cannot be read or is not a calendar date."""

    default_code = "JX-E310"


class FormatError(JixiaoError):
    """Raised when a file's layout cannot be followed (a moved sheet, a missing cell, a bad page)."""

    default_code = "JX-E400"


class ValidationError(JixiaoError):
    """Raised when a document breaks the canonical JSON contract (a missing key, a wrong type)."""

    default_code = "JX-E500"


class ScoringError(JixiaoError):
    """Raised when an actual value cannot be scored against its target (kind or unit mismatch)."""

    default_code = "JX-E600"


class WorkflowError(JixiaoError):
    """Raised when a workflow transition is not allowed from the current state or for this user."""

    default_code = "JX-E700"


class NotAllowed(WorkflowError):
    """Raised when the user's role or organisation scope does not allow the action."""

    default_code = "JX-E710"


class NotFound(WorkflowError):
    """Raised when the declaration does not exist or lies outside the user's scope."""

    default_code = "JX-E720"

    def __init__(self) -> None:
        super().__init__("申报表不存在或不在您的权限范围内", "no such declaration in your scope")


class ConflictError(WorkflowError):
    """Raised when a save carries a stale version: another user saved in between."""

    default_code = "JX-E730"

    def __init__(self, current_version: int, by: str | None = None) -> None:
        self.current_version = current_version
        who_zh = f"（{by}）" if by else ""
        who_en = f" ({by})" if by else ""
        super().__init__(
            f"保存冲突：他人{who_zh}已在您打开后修改了此申报表（当前版本 {current_version}）。"
            "您的输入仍保留在表单中，请核对最新内容后再保存。",
            f"save conflict: someone else{who_en} changed this declaration after you opened it "
            f"(now version {current_version}). Your input is kept in the form; check the latest "
            "content and save again.",
        )


class UploadTooLarge(InputError):
    """Raised when an upload exceeds the configured limit."""

    default_code = "JX-E740"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"文件过大：{size / 1024 / 1024:.1f} MB，上限为 {limit / 1024 / 1024:.1f} MB",
            f"file too large: {size / 1024 / 1024:.1f} MB, the limit is {limit / 1024 / 1024:.1f} MB",
        )


class ServerBusy(JixiaoError):
    """Raised when the server's slots for heavy work (rendering a file) are all taken: retry later."""

    default_code = "JX-E760"

    def __init__(self) -> None:
        super().__init__(
            "服务器正在处理其他导出，请稍后几秒再试",
            "the server is busy with other exports; try again in a few seconds",
        )


def lang_from_env(explicit: str | None, env: dict[str, str]) -> str:
    """Return 'en' or 'zh': an explicit choice wins, else ``JIXIAO_LANG``, ``LC_ALL``, ``LANG``."""
    return _lang_from_env(explicit, env)
