"""Look-alike code points that CJK fonts print in place of ordinary ideographs (form-layouts.md §4)."""

from __future__ import annotations

import pytest

from jixiao.domain.text import fold, unify_ideographs


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("项⽬名称", "项目名称"),  # Kangxi radical, NFKC
        ("⻘浦区", "青浦区"),  # CJK Radicals Supplement, by table
        ("搬迁安置⼾数", "搬迁安置户数"),  # ⼾ is drawn with 户 in Simplified Chinese fonts; NFKC says 戶
        ("带动农⼾⼾均增收", "带动农户户均增收"),
        ("ordinary 户 and 戶 stay", "ordinary 户 and 戶 stay"),
    ],
)
def test_lookalikes_become_the_ideograph_a_simplified_chinese_form_meant(printed: str, meant: str) -> None:
    assert unify_ideographs(printed) == meant
    assert fold(printed) == fold(meant)
