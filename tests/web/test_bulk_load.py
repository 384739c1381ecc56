"""Bulk loading: an import reviewed before it is written stores what an import reviewed afterwards stores.

The fast path (COPY / executemany, the history copied in one statement, the review run on the
documents before the insert) must leave the same rows, history, indicators and findings as the
ORM's path did: the comparison is with ``import_documents`` followed by ``review_objects``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from jixiao.db.declarations.models import Declaration, Indicator
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.services.declarations import domain_of, import_documents
from jixiao.services.review import engine_available, review_objects

from .conftest import make_document

pytestmark = pytest.mark.django_db

BOILERPLATE = [
    ("产出指标", "数量指标", "处置案件数量", ">=500件"),
    ("产出指标", "质量指标", "工作完成率", "100%"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", ">=90%"),
]


def _docs(seed_text: str, unit: str) -> list[DomainDeclaration]:
    """The seed forms, plus copies sharing one boilerplate indicator set (the batch rules' matter)."""
    import jixiao

    seeds = [d for d in jixiao.parse(seed_text) if isinstance(d, DomainDeclaration)]
    same = [make_document(f"重复项目{n}", indicators=BOILERPLATE, year=2022) for n in range(4)]
    docs = [*seeds, *same, make_document("空目标项目", goal="", year=2022)]
    return [
        dataclasses.replace(d, project=dataclasses.replace(d.project, implementing_unit=unit)) for d in docs
    ]


def _state(org: Any) -> list[tuple[Any, ...]]:
    rows = Declaration.objects.filter(organisation=org).order_by("id")
    return [
        (o.project_name, o.year, o.document, o.search_text, o.findings, o.findings_count, o.review_grade)
        for o in rows
    ]


@pytest.mark.parametrize("with_peers", [True, False])
@pytest.mark.parametrize("peers", [0, 3])
def test_a_reviewed_import_stores_what_an_import_then_a_review_stores(
    users: dict[str, Any], orgs: dict[str, Any], seed_text: str, with_peers: bool, peers: int
) -> None:
    if not engine_available():
        pytest.skip("the review engine is not installed")
    admin = users["admin"]
    for key in ("unit_a", "unit_b"):
        # The same earlier declarations in both units: the peers the batch rules compare with.
        earlier = [make_document(f"往年项目{n}", indicators=BOILERPLATE, year=2022) for n in range(peers)]
        review_objects(import_documents(admin, earlier, orgs[key]))
    old = import_documents(admin, _docs(seed_text, "甲单位"), orgs["unit_a"])
    review_objects(old, with_peers=with_peers)
    new = import_documents(
        admin, _docs(seed_text, "甲单位"), orgs["unit_b"], review=True, with_peers=with_peers
    )

    assert _state(orgs["unit_b"]) == _state(orgs["unit_a"])
    stored = Declaration.objects.filter(organisation=orgs["unit_b"]).order_by("id")
    assert any(o.findings_count for o in stored) and all(o.review_grade for o in stored)
    # The returned objects are the saved rows, findings included.
    for obj in new:
        fresh = Declaration.objects.get(pk=obj.pk)
        assert (obj.project_name, obj.findings, obj.review_grade) == (
            fresh.project_name,
            fresh.findings,
            fresh.review_grade,
        )


def test_the_bulk_history_row_is_the_one_simple_history_writes(
    users: dict[str, Any], orgs: dict[str, Any]
) -> None:
    from simple_history.utils import bulk_create_with_history

    from jixiao.services.declarations import _apply

    doc = make_document("历史项目")
    [obj] = import_documents(users["filler_a"], [doc], orgs["unit_a"])
    # The same declaration through simple-history's own bulk path, for the reference row.
    ref = Declaration(organisation=orgs["unit_a"], created_by=users["filler_a"])
    _apply(ref, doc)
    bulk_create_with_history([ref], Declaration, default_user=users["filler_a"])

    history = Declaration.history.model
    skip = {"history_id", "history_date", "id", "created"}
    names = [f.attname for f in history._meta.concrete_fields if f.attname not in skip]
    ours = history.objects.filter(id=obj.pk).values(*names).get()
    theirs = history.objects.filter(id=ref.pk).values(*names).get()
    assert ours == theirs
    assert ours["history_type"] == "+" and ours["history_user_id"] == users["filler_a"].pk
    row = history.objects.get(id=obj.pk)
    assert abs((row.history_date - obj.created).total_seconds()) < 1


def test_keys_after_deleted_rows_and_a_nul_in_the_text(users: dict[str, Any], orgs: dict[str, Any]) -> None:
    # A deleted last row: its key is not reused (the rows' own keys, their history and indicators agree).
    first = import_documents(users["filler_a"], [make_document(f"项目{n}") for n in range(3)], orgs["unit_a"])
    Declaration.objects.filter(pk=first[-1].pk).delete()
    docs = [make_document(f"新项目{n}") for n in range(5)]
    docs[2] = make_document("带\x00空字符的项目", goal="目标\x00文字")
    objs = import_documents(users["filler_a"], docs, orgs["unit_a"])
    assert min(o.pk for o in objs) > first[-1].pk
    assert len({o.pk for o in objs}) == 5
    for obj, doc in zip(objs, docs, strict=True):
        fresh = Declaration.objects.get(pk=obj.pk)
        assert fresh.project_name == doc.project.name.replace("\x00", "")
        assert "\x00" not in fresh.search_text and "\x00" not in str(fresh.document)
        assert domain_of(fresh).goals.overall == (doc.goals.overall or "").replace("\x00", "")
        assert [h.project_name for h in fresh.history.all()] == [fresh.project_name]
        assert Indicator.objects.filter(declaration=fresh).count() == len(doc.indicators)


@pytest.mark.parametrize("step", [1, 3])
def test_the_keys_reserved_for_an_import_are_the_rows_keys(
    users: dict[str, Any], orgs: dict[str, Any], step: int
) -> None:
    # PostgreSQL reserves the keys from the sequence in one statement: as a range when they follow
    # one another, else as their list (a sequence stepping by 3 stands for inserts taking keys
    # between ours); the rows, their history and indicators carry the keys the rows got.
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # The sequence's name as PostgreSQL spells it (schema-qualified, quoted where needed).
            cursor.execute("SELECT pg_get_serial_sequence('declarations_declaration', 'id')")
            sequence = cursor.fetchone()[0]
            cursor.execute(f"ALTER SEQUENCE {sequence} INCREMENT BY {step}")
            cursor.execute("SELECT setval(%s, 100, true)", [sequence])
    docs = [make_document(f"项目{n}") for n in range(6)]
    objs = import_documents(users["filler_a"], docs, orgs["unit_a"])
    keys = [o.pk for o in objs]
    assert keys == sorted(set(keys))
    if connection.vendor == "postgresql":
        assert keys == list(range(100 + step, 100 + 7 * step, step))
    for obj, doc in zip(objs, docs, strict=True):
        fresh = Declaration.objects.get(pk=obj.pk)
        assert fresh.project_name == doc.project.name
        assert [h.project_name for h in fresh.history.all()] == [doc.project.name]
        assert Indicator.objects.filter(declaration=fresh).count() == len(doc.indicators)


def test_the_findings_read_back_as_written_by_every_path(users: dict[str, Any], orgs: dict[str, Any]) -> None:
    # The findings column is PostgreSQL's json (read only whole), jsonb's values elsewhere: the
    # bulk path's text, the ORM's save and the review's UPDATE all read back as the same values.
    from django.db import connection

    from jixiao.services.review import store_review

    findings = [{"code": "JX-Q01", "message": "目标“≥90%”\\不可衡量", "evidence": {"index": 0}, "n": 1.5}]
    [obj] = import_documents(users["filler_a"], [make_document("读回项目")], orgs["unit_a"])
    obj.findings = findings
    store_review([obj])
    assert Declaration.objects.get(pk=obj.pk).findings == findings
    assert list(Declaration.objects.filter(pk=obj.pk).values_list("findings", flat=True)) == [findings]
    fresh = Declaration.objects.get(pk=obj.pk)
    fresh.findings = [*findings, {"code": "JX-C01"}]
    fresh.save()
    assert Declaration.objects.get(pk=obj.pk).findings == [*findings, {"code": "JX-C01"}]
    empty = Declaration.objects.create(organisation=orgs["unit_a"], project_name="空", document={})
    assert Declaration.objects.get(pk=empty.pk).findings == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'declarations_declaration'::regclass AND attname = 'findings'"
            )
            assert cursor.fetchone()[0] == "json"
