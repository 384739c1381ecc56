"""A scanned form imports through the same pages as any other file: upload, preview with OCR warnings."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jixiao.db.declarations.models import Declaration
from jixiao.formats import read_path
from jixiao.formats.render.pdf import render_pdf

from .conftest import signed_in


def _scan_of_second_form(seed: Path, dpi: int = 150) -> bytes:
    pdf = pypdfium2.PdfDocument(render_pdf(read_path(seed)[1:2]))
    try:
        page = np.asarray(pdf[0].render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        pdf.close()
    out = io.BytesIO()
    Image.fromarray(page).rotate(1.5, fillcolor="white", expand=True).save(out, format="JPEG", quality=80)
    return out.getvalue()


@pytest.mark.slow
def test_a_scanned_form_imports_after_a_preview(users: dict[str, Any], seed_file: Path) -> None:
    client = signed_in(users["filler_a"])
    token = "0123456789abcdef" * 2
    response = client.post(
        "/declarations/import/",
        {"file": SimpleUploadedFile("scan.jpg", _scan_of_second_form(seed_file)), "progress_token": token},
    )
    assert response.status_code == 302
    # The upload page's poll saw the scan's pages; another user's poll sees nothing of it.
    other = signed_in(users["filler_b"])
    assert other.get(f"/declarations/import/progress/?token={token}").json() == {"done": 0, "total": 0}
    assert client.get(f"/declarations/import/progress/?token={token}").json() == {"done": 1, "total": 1}
    assert client.get("/declarations/import/progress/?token=../../etc").status_code == 422
    page = client.get(response["Location"]).content.decode()
    assert "城运案件托底处置费" in page and "1 份申报表" in page
    assert Declaration.objects.count() == 0  # nothing saved before the confirmation
    assert client.post(response["Location"]).status_code == 302
    saved = Declaration.objects.get()
    assert saved.project_name == "城运案件托底处置费"
