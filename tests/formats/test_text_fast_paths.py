"""The text reader's shortcuts give what the plain definitions give, on generated lines.

The grid builder tests whole lines in C and skips the label key of a line that cannot be a goal
label (bench/bench_text.py times it); these properties hold the shortcuts to the definitions.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jixiao.formats.text import _GOAL_LABELS, _PERIOD_IN, is_goal_label, lines_of
from jixiao.formats.thesaurus import label_key

_PIECES = st.sampled_from(
    [
        *sorted(_GOAL_LABELS),
        "项目名称",
        "目标",
        "完成",
        "⽬标",  # a Kangxi radical look-alike of 目
        "年度⽬标",
        "（2022年—2024年）",
        "(2023年度)",
        "：",
        " ",
        "  ",
        "\t",
        "\u3000",
        "\xa0",
        "\u2002",
        "其中：",
        "1.",
        "情况",
        "标",
        "x",
    ]
)
_LINES = st.lists(_PIECES, max_size=6).map("".join)


def _goal_label_by_definition(text: str) -> bool:
    if label_key(text).label in _GOAL_LABELS:
        return True
    words = _PERIOD_IN.sub(" ", text).split()
    return len(words) > 1 and all(label_key(w).label in _GOAL_LABELS for w in words)


@given(_LINES)
def test_a_goal_label_is_what_the_label_keys_say(text: str) -> None:
    assert is_goal_label(text) == _goal_label_by_definition(text)


@given(st.lists(_LINES, max_size=8), st.sampled_from(["\n", "\r\n", "\r"]))
def test_lines_are_numbered_stripped_and_their_spaces_made_single(parts: list[str], end: str) -> None:
    expected = []
    for n, raw in enumerate(end.join(parts).replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        text = raw.strip()
        if "  " in text or "\t" in text or "\u3000" in text or "\xa0" in text:
            text = " ".join(text.split())
        expected.append((n, text))
    assert lines_of(end.join(parts)) == expected
