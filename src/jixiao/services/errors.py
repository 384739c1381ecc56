"""Errors of the use cases, in the one JixiaoError hierarchy (domain/errors.py).

* WorkflowError (JX-E700)       a transition not allowed from this state
  + NotAllowed   (JX-E710)      the user's role or scope does not allow the action
  + NotFound     (JX-E720)      no such declaration in the user's scope
  + ConflictError (JX-E730)     someone else saved first (optimistic locking)
  + UploadTooLarge (JX-E740)    an upload over JIXIAO_MAX_UPLOAD_BYTES
"""

from __future__ import annotations

from jixiao.domain.errors import InputError, WorkflowError

__all__ = ["ConflictError", "NotAllowed", "NotFound", "UploadTooLarge"]


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
