"""The web import takes the seed's forms as other programs made them: Word, a web page, Chromium's PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.db.declarations.models import Declaration, Indicator

from .conftest import signed_in

SEED_FORMS = Path(__file__).resolve().parent.parent / "corpus" / "seed-chromium"


@pytest.mark.parametrize(
    ("producer", "upload_name"),
    [
        ("python-docx.docx", "青浦区绩效目标表.docx"),
        ("page.html", "绩效目标公开.html"),
        ("chromium.pdf", "打印.pdf"),
        ("openpyxl.xlsx", "no-extension"),  # recognised by content, not by its name
    ],
)
def test_the_seed_forms_from_another_producer_import_after_a_preview(
    users: dict[str, Any], producer: str, upload_name: str
) -> None:
    client = signed_in(users["filler_a"])
    data = (SEED_FORMS / producer).read_bytes()
    response = client.post("/declarations/import/", {"file": SimpleUploadedFile(upload_name, data)})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"]).content.decode()
    assert "区城运中心城运平台等辅助服务" in page and "7 份申报表" in page
    assert Declaration.objects.count() == 0
    assert client.post(response["Location"]).status_code == 302
    assert Declaration.objects.count() == 7
    assert Indicator.objects.count() == 58
