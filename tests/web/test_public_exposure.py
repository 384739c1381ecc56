"""The public sees published records only, and nothing of where an upload came from."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.db.declarations.models import Declaration
from jixiao.db.evaluation.models import SelfEvaluationRecord
from jixiao.formats.json import dumps

from .conftest import make_document, signed_in
from .test_evaluation_pages import PUTUO_FORM, PUTUO_ROWS

pytestmark = pytest.mark.django_db


def test_a_published_self_evaluation_of_an_unpublished_declaration_stays_private(
    users: dict[str, Any], make_declaration: Any
) -> None:
    obj = make_declaration("unit_a", status="approved", name="未公开的项目", indicators=PUTUO_ROWS, year=2022)
    signed_in(users["filler_a"]).post(f"/evaluation/declarations/{obj.pk}/self-evaluation/edit/", PUTUO_FORM)
    record = SelfEvaluationRecord.objects.get(declaration=obj)
    SelfEvaluationRecord.objects.filter(pk=record.pk).update(status="published")
    public = Client()
    assert public.get(f"/public/{obj.pk}/").status_code == 404
    assert public.get(f"/public/evaluations/{record.pk}/").status_code == 404
    assert "未公开的项目" not in public.get("/public/evaluations/").content.decode()
    Declaration.objects.filter(pk=obj.pk).update(status="published")
    assert public.get(f"/public/evaluations/{record.pk}/").status_code == 200


def test_the_uploaded_file_name_is_neither_stored_nor_published(users: dict[str, Any]) -> None:
    name = "内部讨论稿-勿外传.json"
    client = signed_in(users["filler_a"])
    upload = client.post(
        "/declarations/import/", {"file": SimpleUploadedFile(name, dumps([make_document()]).encode())}
    )
    client.post(upload["Location"])
    obj = Declaration.objects.get()
    assert name not in str(obj.document) and name not in str([h.document for h in obj.history.all()])
    # Documents stored before this rule still carry it: the public API leaves the source out.
    doc = dict(obj.document)
    doc["source"] = {"file": name}
    Declaration.objects.filter(pk=obj.pk).update(status="published", document=doc)
    body = Client().get("/api/public/declarations").content.decode("unicode_escape")
    assert obj.project_name in body and "内部讨论稿" not in body
