"""jixiao (绩效): fiscal project-expenditure performance management.

The Python API for batch work::

    import jixiao
    declarations = jixiao.parse("forms.txt")      # a path, or the text itself
    report = jixiao.review(declarations, profile="shanghai-2022")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jixiao.domain.model import Document

__all__ = ["__version__", "parse", "review"]
__version__ = "0.1.0"


def parse(path_or_text: str | Path) -> list[Document]:
    """Return the documents in a file (any format jixiao reads) or in a text given directly.

    A ``Path``, or a string naming an existing file, is read from disk; any other string is read as
    the text of the forms. Raises a :class:`jixiao.domain.errors.JixiaoError` on bad input.
    """
    from jixiao.formats import read_path, read_text

    if isinstance(path_or_text, Path):
        return read_path(path_or_text)
    if "\n" not in path_or_text and len(path_or_text) < 4096:
        candidate = Path(path_or_text)
        try:
            if candidate.is_file():
                return read_path(candidate)
        except OSError:
            pass
    return read_text(path_or_text)


def review(declarations: Any, profile: str = "shanghai-2022", **options: Any) -> Any:
    """Return the :class:`jixiao.review.ReviewReport` of ``declarations`` under ``profile``."""
    from jixiao.review import review as _review

    return _review(declarations, profile=profile, **options)
