"""Pages read of a scan being imported, for the upload page's progress bar ("3 / 20 页").

The upload request reads the file while the page waits; the page polls
``/declarations/import/progress/?token=…`` with a token it chose itself. Progress is a small file in
the system's temporary folder, so that any worker process of the server can answer the poll.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

__all__ = ["read", "valid_token", "write"]

_TOKEN = re.compile(r"[0-9a-f]{32}")


def valid_token(token: str) -> bool:
    """Return True for a token the upload page makes (32 hex digits): nothing else names a file."""
    return bool(_TOKEN.fullmatch(token))


def _path(user_id: int, token: str) -> Path:
    folder = Path(tempfile.gettempdir()) / "jixiao-import-progress"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / f"{user_id}-{token}.json"


def write(user_id: int, token: str, done: int, total: int) -> None:
    """Record that ``done`` of ``total`` pages are read (atomically: a poll never sees half a file)."""
    path = _path(user_id, token)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total}), encoding="utf-8")
    os.replace(tmp, path)


def read(user_id: int, token: str) -> dict[str, int] | None:
    """Return ``{"done", "total"}`` for the user's token, or None before any page; done when done == total."""
    path = _path(user_id, token)
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if value.get("done") == value.get("total"):
        path.unlink(missing_ok=True)
    return {"done": int(value["done"]), "total": int(value["total"])}
