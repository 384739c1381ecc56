"""Helpers of the records page tests."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

# 托底 (无主) ordinary grid cases: G1 closed in 2 days, G2 in 7 days 1 hour, G3 in exactly 7 days,
# G4 never closed.
CASES_CSV = """案卷号,来源,紧急程度,无主案件,派遣时间,结案时间
G1,网格,一般,是,2022-03-01 09:00,2022-03-03 09:00
G2,网格,一般,是,2022-03-01 09:00,2022-03-08 10:00
G3,网格,一般,是,2022-03-02 09:00,2022-03-09 09:00
G4,网格,一般,是,2022-03-02 09:00,
"""


def upload_and_import(
    client: Any, text: str, name: str, *, post: bool = True, expect: int = 302, kind: str = "case"
) -> Any:
    """Upload ``text`` as an export of ``kind``; on the mapping page keep the proposal and import."""
    page = client.post(
        "/records/import/",
        {"file": SimpleUploadedFile(name, text.encode("utf-8")), "kind": kind, "source_name": f"{kind}导出"},
    )
    assert page.status_code == 302, page.content[:500]
    mapping_url = page["Location"]
    page = client.get(mapping_url)
    assert page.status_code == 200
    if not post:
        return page
    html = page.content.decode()
    data = {}
    for select in re.finditer(r'<select[^>]*name="(col-\d+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(2))
        data[select.group(1)] = chosen.group(1) if chosen else ""
    result = client.post(mapping_url, data)
    assert result.status_code == expect, result.content[:2000]
    return result
