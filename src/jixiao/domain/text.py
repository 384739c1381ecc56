"""Small text helpers shared by the grammar and the readers: width folding and look-alikes."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "strip_spaces"]

# Characters that PDF extraction and Chinese IMEs produce in place of ASCII operators and digits.
# NFKC folds the full-width forms (＞＜＝％～，：１２３); these are the look-alikes it leaves alone.
_LOOKALIKES = str.maketrans(
    {
        "≧": "≥",
        "≦": "≤",
        "═": "=",
        "〓": "=",
        "－": "-",
        "—": "-",
        "–": "-",
        "―": "-",
        "〜": "~",
        "∽": "~",
        "～": "~",
        "﹪": "%",
        "％": "%",
        "‰": "‰",
        "。": "。",
        "\u3000": " ",
        "\u00a0": " ",
    }
)


# Characters NFKC or the look-alike table would change; text without any is returned as it is,
# which keeps the readers fast on the common case (plain CJK and ASCII).
_FOLDABLE = re.compile(
    "[\u00a0-\u00ff\u2000-\u218f\u2460-\u24ff\u2500-\u257f\u3000\u301c\u3200-\u33ff"
    "\uf900-\ufaff\ufe30-\ufe6f\uff00-\uffef≧≦═〓〜∽]"
)


def fold(text: str) -> str:
    """Return ``text`` with full-width forms and extraction look-alikes folded to one spelling.

    ``≧``/``≦`` become ``≥``/``≤``, ``═`` becomes ``=``, full-width digits, letters and ASCII
    punctuation become half-width. Chinese punctuation that has no ASCII twin (，：“”) is folded
    by NFKC only where it is a compatibility character.
    """
    if not _FOLDABLE.search(text):
        return text
    return unicodedata.normalize("NFKC", text.translate(_LOOKALIKES)).translate(_LOOKALIKES)


def strip_spaces(text: str) -> str:
    """Return ``text`` with every kind of whitespace removed."""
    return "".join(text.split())
