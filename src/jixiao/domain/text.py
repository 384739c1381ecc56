"""Small text helpers shared by the grammar and the readers: width folding and look-alikes."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "strip_spaces", "unify_ideographs"]

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

# The CJK Radicals Supplement (U+2E80–2EF3): PDF producers whose CJK font shares one glyph between
# a radical and its ideograph (Chromium's print to PDF among them) write these code points for
# ordinary characters (⻓ for 长, ⻔ for 门). NFKC leaves the block alone, unlike the Kangxi
# Radicals (U+2F00–2FD5) and the Compatibility Ideographs (U+F900–FAFF), so it needs this table:
# each radical to its equivalent unified ideograph (Unicode's EquivalentUnifiedIdeograph.txt).
_RADICALS_SUPPLEMENT = {
    0x2E81: "厂", 0x2E84: "乙", 0x2E85: "亻", 0x2E86: "冂", 0x2E87: "几", 0x2E88: "刀",
    0x2E89: "刂", 0x2E8A: "卜", 0x2E8C: "小", 0x2E8D: "小", 0x2E8E: "兀", 0x2E8F: "尣",
    0x2E90: "尢", 0x2E92: "巳", 0x2E93: "幺", 0x2E94: "彑", 0x2E95: "彐", 0x2E96: "忄",
    0x2E97: "心", 0x2E98: "扌", 0x2E99: "攵", 0x2E9B: "旡", 0x2E9C: "日", 0x2E9D: "月",
    0x2E9E: "歺", 0x2E9F: "母", 0x2EA0: "民", 0x2EA1: "氵", 0x2EA2: "氺", 0x2EA3: "灬",
    0x2EA4: "爫", 0x2EA5: "爫", 0x2EA6: "丬", 0x2EA7: "牛", 0x2EA8: "犭", 0x2EA9: "王",
    0x2EAB: "目", 0x2EAC: "示", 0x2EAD: "礻", 0x2EAE: "竹", 0x2EAF: "糹", 0x2EB0: "纟",
    0x2EB1: "罓", 0x2EB2: "罒", 0x2EB3: "网", 0x2EB4: "网", 0x2EB6: "羊", 0x2EB7: "羊",
    0x2EB9: "耂", 0x2EBA: "肀", 0x2EBB: "聿", 0x2EBC: "肉", 0x2EBD: "臼", 0x2EBE: "艹",
    0x2EBF: "艹", 0x2EC0: "艹", 0x2EC1: "虎", 0x2EC2: "衤", 0x2EC3: "覀", 0x2EC4: "西",
    0x2EC5: "见", 0x2EC6: "角", 0x2EC7: "角", 0x2EC8: "讠", 0x2EC9: "贝", 0x2ECA: "足",
    0x2ECB: "车", 0x2ECC: "辶", 0x2ECD: "辶", 0x2ECE: "辶", 0x2ECF: "阝", 0x2ED0: "钅",
    0x2ED1: "長", 0x2ED2: "镸", 0x2ED3: "长", 0x2ED4: "门", 0x2ED6: "阝", 0x2ED7: "雨",
    0x2ED8: "青", 0x2ED9: "韦", 0x2EDA: "页", 0x2EDB: "风", 0x2EDC: "飞", 0x2EDD: "食",
    0x2EDF: "飠", 0x2EE0: "饣", 0x2EE2: "马", 0x2EE3: "骨", 0x2EE4: "鬼", 0x2EE5: "鱼",
    0x2EE6: "鸟", 0x2EE7: "卤", 0x2EE8: "麦", 0x2EE9: "黄", 0x2EEA: "黾", 0x2EEB: "斉",
    0x2EEC: "齐", 0x2EED: "歯", 0x2EEE: "齿", 0x2EEF: "竜", 0x2EF0: "龙", 0x2EF1: "龜",
    0x2EF2: "亀", 0x2EF3: "龟",
}  # fmt: skip
# Kangxi radicals whose NFKC ideograph is the traditional form while Simplified Chinese fonts draw
# the radical with the simplified ideograph's glyph: Chromium printing 户 with Noto CJK SC writes
# ⼾ (U+2F3E), which NFKC would turn into 戶. Found by comparing the fonts' cmaps with NFKC.
_RADICALS_SUPPLEMENT[0x2F3E] = "户"
_LOOKALIKES.update(_RADICALS_SUPPLEMENT)


# Characters NFKC or the look-alike table would change; text without any is returned as it is,
# which keeps the readers fast on the common case (plain CJK and ASCII).
_FOLDABLE = re.compile(
    "[\u00a0-\u00ff\u2000-\u218f\u2460-\u24ff\u2500-\u257f\u2e80-\u2fdf\u3000\u301c\u3200-\u33ff"
    "\uf900-\ufaff\ufe30-\ufe6f\uff00-\uffef≧≦═〓〜∽]"
)


def fold(text: str) -> str:
    """Return ``text`` with full-width forms and extraction look-alikes folded to one spelling.

    ``≧``/``≦`` become ``≥``/``≤``, ``═`` becomes ``=``, full-width digits, letters and ASCII
    punctuation become half-width; radical look-alikes (⽬ U+2F6C, ⻓ U+2ED3) become the
    ideographs they stand for (目, 长). Chinese punctuation that has no ASCII twin (，：“”) is folded
    by NFKC only where it is a compatibility character.
    """
    if not _FOLDABLE.search(text):
        return text
    return unicodedata.normalize("NFKC", text.translate(_LOOKALIKES)).translate(_LOOKALIKES)


def strip_spaces(text: str) -> str:
    """Return ``text`` with every kind of whitespace removed."""
    return "".join(text.split())


_IDEOGRAPH_LOOKALIKE = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


def _unify(match: re.Match[str]) -> str:
    ch = match.group()
    return _RADICALS_SUPPLEMENT.get(ord(ch)) or unicodedata.normalize("NFKC", ch)


def unify_ideographs(text: str) -> str:
    """Return ``text`` with radical and compatibility look-alikes replaced by their ideographs.

    Unlike :func:`fold` it leaves punctuation and widths alone, so a value keeps its printed
    ``，``; only the code points a CJK font printed in place of an ordinary ideograph change:
    Kangxi Radicals and Compatibility Ideographs by NFKC (⽬ → 目), the CJK Radicals Supplement
    by its table (⻓ → 长).
    """
    if not _IDEOGRAPH_LOOKALIKE.search(text):
        return text
    return _IDEOGRAPH_LOOKALIKE.sub(_unify, text)
