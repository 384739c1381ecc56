"""The import preview: per document its review findings, reader warnings and whether it matches an
existing declaration (same unit, year, name), chosen per document: new, update as a new version, skip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.db.declarations.models import Declaration

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def _preview(client: Any, seed: Path) -> tuple[str, str]:
    response = client.post(
        "/declarations/import/", {"file": SimpleUploadedFile("seed.txt", seed.read_bytes())}
    )
    assert response.status_code == 302
    url = response["Location"]
    return url, client.get(url).content.decode()


def _choices(page: str, **override: str) -> dict[str, Any]:
    rows = page.count('class="import-row"')
    data: dict[str, Any] = {"choices": "1"}
    for n in range(rows):
        choice = override.get(
            str(n),
            page.split(f'name="choice_{n}"')[1].split("selected>")[0].rsplit('value="', 1)[1].split('"')[0],
        )
        data[f"choice_{n}"] = choice
        if choice != "skip":
            data[f"include_{n}"] = "1"
    return data


def test_the_preview_shows_findings_and_matches_and_a_second_import_creates_nothing_new(
    users: dict[str, Any], seed_file: Path
) -> None:
    client = signed_in(users["filler_a"])
    url, page = _preview(client, seed_file)
    assert page.count('class="import-row"') == 7
    assert "审核发现" in page and "警告" in page and 'id="matched-count"' not in page
    assert 'id="import-progress"' in page  # a progress bar while the import runs
    client.post(url, _choices(page))
    assert Declaration.objects.count() == 7
    # The same file again: all seven match their drafts; by default each updates as a new version.
    url, page = _preview(client, seed_file)
    assert "7 份与已有申报表相同" in page and page.count("match-link") == 7
    data = _choices(page, **{str(n): "skip" for n in range(1, 7)})
    assert data["choice_0"] == "update"
    client.post(url, data)
    assert Declaration.objects.count() == 7  # nothing duplicated
    first = Declaration.objects.order_by("id").first()
    assert first is not None and first.version == 2 and first.history.count() >= 2


def test_a_published_match_can_only_be_skipped_and_unticked_documents_are_skipped(
    users: dict[str, Any], seed_file: Path
) -> None:
    client = signed_in(users["filler_a"])
    url, page = _preview(client, seed_file)
    client.post(url, _choices(page))
    Declaration.objects.filter(pk=Declaration.objects.order_by("id").first().pk).update(status="published")  # type: ignore[union-attr]
    url, page = _preview(client, seed_file)
    assert "已进入审核流程或已公开" in page
    first_select = page.split('name="choice_0"')[1].split("</select>")[0]
    assert (
        'value="skip"' in first_select
        and 'value="update"' not in first_select
        and 'value="new"' not in first_select
    )
    # Only document 2 ticked, as a new declaration; the others are skipped.
    client.post(url, {"choices": "1", "choice_1": "new", "include_1": "1", "choice_2": "update"})
    assert Declaration.objects.count() == 8
