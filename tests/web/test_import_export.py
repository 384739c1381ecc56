"""Import (upload → preview with warnings → confirm; errors save nothing) and export (canonical JSON)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.db.declarations.models import Declaration, Indicator, PendingImport
from jixiao.domain.errors import InputError
from jixiao.formats.json import dumps, from_dict
from jixiao.services.declarations import import_documents

from .conftest import SEED, make_document, signed_in


def _upload(client: Any, name: str, data: bytes) -> Any:
    return client.post("/declarations/import/", {"file": SimpleUploadedFile(name, data)})


def test_the_seed_text_imports_after_a_preview(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    response = _upload(client, "seed.txt", SEED.read_bytes())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "城运案件托底处置费" in page and "7 份申报表" in page
    assert Declaration.objects.count() == 0  # nothing saved before the confirmation
    confirmed = client.post(response["Location"])
    assert confirmed.status_code == 302
    assert (
        Declaration.objects.filter(organisation=users["filler_a"].organisation, status="draft").count() == 7
    )
    assert Indicator.objects.count() == 58
    assert not PendingImport.objects.exists()
    # The review engine ran over the imported batch: findings are stored beside the documents.
    assert Declaration.objects.filter(findings_count__gt=0).exists()


def test_canonical_json_round_trips_through_import_and_export(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    original = make_document("往返项目")
    response = _upload(client, "one.json", dumps([original]).encode())
    client.post(response["Location"])
    obj = Declaration.objects.get()
    exported = client.get(f"/declarations/{obj.pk}/export.json")
    assert exported["Content-Type"].startswith("application/json")
    [doc] = json.loads(exported.content)
    assert from_dict(doc) == from_dict(json.loads(dumps([original]))[0])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("broken.json", b'[{"kind": "declaration", "project": ', "JSON 格式错误"),
        (
            "typed.json",
            json.dumps([{"kind": "declaration", "year": "二〇二二", "project": {"name": "x"}}]).encode(),
            "year",
        ),
        (
            "noname.json",
            json.dumps([{"kind": "declaration", "project": {"name": ""}}]).encode(),
            "project.name",
        ),
        ("binary.txt", b"\xff\xfe\x00\x81\x82" * 10, "JX-E"),
    ],
)
def test_a_file_with_errors_saves_nothing(
    users: dict[str, Any], name: str, data: bytes, message: str
) -> None:
    client = signed_in(users["filler_a"])
    response = _upload(client, name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Declaration.objects.exists() and not PendingImport.objects.exists()


def test_an_import_fails_as_a_whole(users: dict[str, Any]) -> None:
    docs = [make_document("第一个"), make_document("第二个"), make_document(" ")]
    with pytest.raises(InputError):
        import_documents(users["filler_a"], docs)
    assert not Declaration.objects.exists() and not Indicator.objects.exists()


def test_a_reviewer_cannot_import(users: dict[str, Any]) -> None:
    client = signed_in(users["dept_a"])
    response = _upload(client, "seed.txt", SEED.read_bytes())
    assert response.status_code == 302 and not PendingImport.objects.exists()


def test_someone_elses_preview_is_not_found(users: dict[str, Any]) -> None:
    response = _upload(signed_in(users["filler_a"]), "seed.txt", SEED.read_bytes())
    other = signed_in(users["filler_b"])
    assert other.get(response["Location"]).status_code == 404
    assert other.post(response["Location"]).status_code == 404
    assert not Declaration.objects.exists()


@pytest.mark.parametrize(("fmt", "magic"), [("xlsx", b"PK"), ("pdf", b"%PDF")])
def test_excel_and_pdf_exports_come_from_the_formats_writers(
    users: dict[str, Any], make_declaration: Any, fmt: str, magic: bytes
) -> None:
    obj = make_declaration("unit_a")
    response = signed_in(users["filler_a"]).get(f"/declarations/{obj.pk}/export.{fmt}")
    assert response.status_code == 200
    assert response.content.startswith(magic)


def test_an_unknown_export_format_is_a_message_not_a_crash(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a")
    response = signed_in(users["filler_a"]).get(f"/declarations/{obj.pk}/export.docx")
    assert response.status_code == 400 and "JX-E160" in response.content.decode()
