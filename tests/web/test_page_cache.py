"""Pages kept under the data version (jixiao.web.page_cache): a kept page is served again only while
nothing it shows has changed, whatever wrote the change, and never to another user or language.

These tests commit (``transaction=True``): on PostgreSQL the data version is replaced at commit,
and a request inside a transaction never uses the cache.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.db.accounts.models import Organisation
from jixiao.db.declarations.models import DataVersion, Declaration
from jixiao.services.declarations import create_declaration
from jixiao.web.page_cache import HEADER

from .conftest import make_document, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ("/declarations/", "/declarations/?q=%E6%A1%88%E4%BB%B6", "/declarations/?page=2", "/")
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+"')


@pytest.fixture(autouse=True)
def _own_cache(settings: Any, tmp_path: Any) -> None:
    """Each test keeps its pages in a directory of its own, the cache on (as it is by default)."""
    settings.PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "pages": {**settings.CACHES["pages"], "LOCATION": str(tmp_path / "pages")},
    }


def _get(client: Client, path: str) -> tuple[str, bytes]:
    response = client.get(path)
    assert response.status_code == 200, path
    # The forms' CSRF tokens are masked afresh on every rendering: the page is the rest.
    return response[HEADER], CSRF.sub(rb"\1-", response.content)


def _warm(client: Client, path: str) -> None:
    """A first request gives the browser its CSRF cookie; the next one is rendered and kept."""
    client.get(path)
    assert _get(client, path)[0] == "miss"


def test_a_page_asked_again_is_served_from_the_cache_and_equals_a_fresh_rendering(
    users: Any, make_declaration: Any, settings: Any
) -> None:
    make_declaration("unit_a", status="submitted")
    client = signed_in(users["finance"])
    _warm(client, "/declarations/")
    state, kept = _get(client, "/declarations/")
    assert state == "hit"
    settings.PAGE_CACHE = False
    state, fresh = _get(client, "/declarations/")
    assert state == "bypass" and kept == fresh


@pytest.mark.parametrize(
    "write",
    [
        "service",  # the editor's path: a new declaration through the service layer
        "raw_sql",  # a write no Django signal sees
        "queryset_update",
        "delete",
        "organisation_rename",
    ],
)
def test_any_write_to_what_the_list_shows_is_seen_at_once(
    write: str, users: Any, orgs: Any, make_declaration: Any
) -> None:
    obj = make_declaration("unit_a", status="submitted", name="城运案件托底处置费")
    client = signed_in(users["finance"])
    _warm(client, "/declarations/")
    if write == "service":
        create_declaration(users["admin"], make_document(name="新增的道路保洁项目"), orgs["unit_a"])
        Declaration.objects.filter(project_name="新增的道路保洁项目").update(status="submitted")
        expected = "新增的道路保洁项目"
    elif write == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE declarations_declaration SET project_name = %s WHERE id = %s",
                ["改名后的项目", obj.pk],
            )
        expected = "改名后的项目"
    elif write == "queryset_update":
        Declaration.objects.filter(pk=obj.pk).update(project_name="批量改名的项目")
        expected = "批量改名的项目"
    elif write == "delete":
        Declaration.objects.filter(pk=obj.pk).delete()
        expected = "暂无数据"
    else:
        Organisation.objects.filter(pk=orgs["unit_a"].pk).update(name="改名后的单位")
        expected = "改名后的单位"
    state, body = _get(client, "/declarations/")
    assert state == "miss"
    assert expected.encode() in body


def test_another_user_or_language_never_gets_a_kept_page(users: Any, make_declaration: Any) -> None:
    make_declaration("unit_a", status="submitted", name="城运中心的项目")
    make_declaration("unit_b", status="submitted", name="环卫所的项目")
    finance = signed_in(users["finance"])
    _warm(finance, "/declarations/")
    dept_b = signed_in(users["dept_b"])
    dept_b.get("/declarations/")
    state, body = _get(dept_b, "/declarations/")
    assert state == "miss"  # the finance bureau's page is not theirs
    assert "城运中心的项目".encode() not in body and "环卫所的项目".encode() in body
    finance.cookies["django_language"] = "en"
    state, body = _get(finance, "/declarations/")
    assert state == "miss" and b"Declarations" in body


def test_a_copied_csrf_cookie_never_gives_another_users_page(users: Any, orgs: Any) -> None:
    from jixiao.db.accounts.models import User

    first = signed_in(users["filler_a"])
    _warm(first, "/declarations/")
    # Same unit, same role, same name shown: only the account differs.
    twin = User.objects.create(
        username="filler_a_twin", role="filler", organisation=orgs["unit_a"], display_name="filler_a"
    )
    other = signed_in(twin)
    other.cookies["csrftoken"] = first.cookies["csrftoken"].value
    assert _get(other, "/declarations/")[0] == "miss"


def test_a_second_browser_of_the_same_user_gets_forms_that_its_own_cookie_accepts(users: Any) -> None:
    first = signed_in(users["filler_a"])
    _warm(first, "/declarations/")
    second = Client(enforce_csrf_checks=True)
    second.force_login(users["filler_a"])
    second.get("/declarations/")  # its own CSRF cookie
    response = second.get("/declarations/")
    assert response[HEADER] == "miss"  # not the first browser's page: its tokens would be refused
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)
    assert token is not None
    changed = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token[1].decode()})
    assert changed.status_code == 302


def test_messages_are_shown_once_and_never_kept(users: Any, make_declaration: Any) -> None:
    obj = make_declaration("unit_a")
    client = signed_in(users["filler_a"])
    _warm(client, "/declarations/")
    # Submitting leaves a message for the next page.
    response = client.post(f"/declarations/{obj.pk}/action/", {"action": "submit"})
    assert response.status_code == 302
    first = client.get("/declarations/")
    assert first[HEADER] == "bypass" and 'role="alert"' in first.content.decode()
    second = client.get("/declarations/")
    assert 'role="alert"' not in second.content.decode()


def test_a_request_inside_a_transaction_never_uses_the_cache(users: Any, make_declaration: Any) -> None:
    make_declaration("unit_a", status="submitted")
    client = signed_in(users["finance"])
    _warm(client, "/declarations/")
    with transaction.atomic():
        Declaration.objects.update(project_name="尚未提交的改名")
        state, body = _get(client, "/declarations/")
        assert state == "bypass" and "尚未提交的改名".encode() in body
        transaction.set_rollback(True)
    state, body = _get(client, "/declarations/")
    assert state == "hit" and "尚未提交的改名".encode() not in body


def test_the_data_version_changes_with_each_committed_write_and_not_on_a_rollback(
    make_declaration: Any,
) -> None:
    before = DataVersion.current()
    obj = make_declaration("unit_a")
    after_insert = DataVersion.current()
    with transaction.atomic():
        Declaration.objects.filter(pk=obj.pk).update(project_name="回滚的改名")
        transaction.set_rollback(True)
    assert DataVersion.current() == after_insert
    Declaration.objects.filter(pk=obj.pk).update(project_name="提交的改名")
    assert len({before, after_insert, DataVersion.current()}) == 3


WRITES = st.one_of(
    st.tuples(
        st.just("create"),
        st.sampled_from(("unit_a", "unit_a2", "unit_b")),
        st.sampled_from(STATUSES := ("draft", "submitted", "dept_review", "published")),
    ),
    st.tuples(st.just("status"), st.integers(0, 20), st.sampled_from(STATUSES)),
    st.tuples(st.just("rename"), st.integers(0, 20), st.sampled_from(("网格巡查", "道路保洁", "案件处置"))),
    st.tuples(st.just("delete"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("organisation"), st.sampled_from(("unit_a", "unit_b")), st.sampled_from(("甲", "乙"))),
)
STEPS = st.lists(
    st.one_of(
        WRITES,
        st.tuples(
            st.just("get"),
            st.sampled_from(("finance", "dept_a", "filler_a", "dept_b")),
            st.sampled_from(PAGES),
        ),
        st.tuples(
            st.just("language"), st.sampled_from(("finance", "dept_a")), st.sampled_from(("en", "zh-hans"))
        ),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_every_served_page_equals_a_fresh_rendering_whatever_the_writes(
    steps: list[tuple[str, Any, Any]], users: Any, orgs: Any, settings: Any
) -> None:
    clients = {name: signed_in(users[name]) for name in ("finance", "dept_a", "filler_a", "dept_b")}
    for client in clients.values():
        client.get("/declarations/")  # the CSRF cookie
    served: list[str] = []
    for op, a, b in steps:
        ids = list(Declaration.objects.order_by("pk").values_list("pk", flat=True))
        if op == "create":
            obj = create_declaration(users["admin"], make_document(name=f"项目{len(ids)}"), orgs[a])
            Declaration.objects.filter(pk=obj.pk).update(status=b)
        elif op in ("status", "rename", "delete") and ids:
            rows = Declaration.objects.filter(pk=ids[a % len(ids)])
            if op == "status":
                rows.update(status=b)
            elif op == "rename":
                rows.update(project_name=b)
            else:
                rows.delete()
        elif op == "organisation":
            Organisation.objects.filter(pk=orgs[a].pk).update(name=f"{orgs[a].name}{b}")
        elif op == "language":
            clients[a].cookies["django_language"] = b
        elif op == "get":
            settings.PAGE_CACHE = True
            state, body = _get(clients[a], b)
            served.append(state)
            settings.PAGE_CACHE = False
            assert body == _get(clients[a], b)[1], (state, a, b)
    assert "bypass" not in served  # every browser had its CSRF cookie, no message was pending


def _api(client: Client, token: str, path: str = "/api/declarations/?limit=50") -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_the_api_list_is_kept_per_token_and_a_revoked_token_is_refused(
    users: Any, make_declaration: Any
) -> None:
    from jixiao.db.accounts.models import ApiToken

    obj = make_declaration("unit_a", status="submitted", name="接口里的项目")
    token = ApiToken.issue(users["finance"], "test")
    client = Client()
    first, second = _api(client, token), _api(client, token)
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert first.json() == second.json() and second.json()["items"][0]["project_name"] == "接口里的项目"
    # Another user's token: their own scope, not the kept answer.
    other = _api(client, ApiToken.issue(users["dept_b"], "test"))
    assert other[HEADER] == "miss" and other.json()["count"] == 0
    Declaration.objects.filter(pk=obj.pk).update(project_name="接口里改名的项目")
    changed = _api(client, token)
    assert changed[HEADER] == "miss" and changed.json()["items"][0]["project_name"] == "接口里改名的项目"
    ApiToken.objects.filter(user=users["finance"]).delete()
    refused = _api(client, token)
    assert refused.status_code == 401 and refused[HEADER] == "bypass"


def test_a_cache_that_cannot_be_written_or_read_costs_a_rendering_never_an_error(
    users: Any, make_declaration: Any, settings: Any, tmp_path: Any
) -> None:
    make_declaration("unit_a", status="submitted", name="缓存坏了也能看的项目")
    client = signed_in(users["finance"])
    client.get("/declarations/")
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache's directory should be")
    settings.CACHES = {**settings.CACHES, "pages": {**settings.CACHES["pages"], "LOCATION": str(blocked)}}
    for _ in range(2):
        state, body = _get(client, "/declarations/")
        assert state == "bypass" and "缓存坏了也能看的项目".encode() in body


@pytest.mark.parametrize(
    "write", ["self_evaluation_sql", "self_evaluation_update", "monitoring", "monitoring_delete"]
)
def test_the_self_evaluation_dashboard_sees_every_write_to_its_reports(
    write: str, users: Any, make_declaration: Any
) -> None:
    """The self-evaluation dashboard is kept too; its reports' tables replace the data version."""
    from jixiao.db.evaluation.models import MonitoringRecord, SelfEvaluationRecord

    obj = make_declaration("unit_a", status="approved", name="城运案件托底处置费", year=2025)
    common = {
        "declaration": obj,
        "organisation": obj.organisation,
        "year": 2025,
        "project_name": obj.project_name,
    }
    record = SelfEvaluationRecord.objects.create(**common, document={}, status="draft", grade="良")
    report = MonitoringRecord.objects.create(**common, document={}, cutoff_month=7, light="green")
    client = signed_in(users["finance"])
    _warm(client, "/evaluation/")
    assert _get(client, "/evaluation/")[0] == "hit"
    if write == "self_evaluation_sql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE evaluation_selfevaluationrecord SET project_name = %s", ["改名后的自评项目"]
            )
        expected = "改名后的自评项目"
    elif write == "self_evaluation_update":
        SelfEvaluationRecord.objects.filter(pk=record.pk).update(project_name="批量改名的自评项目")
        expected = "批量改名的自评项目"
    elif write == "monitoring":
        MonitoringRecord.objects.filter(pk=report.pk).update(light="red", project_name="亮红灯的项目")
        expected = "亮红灯的项目"
    else:
        MonitoringRecord.objects.filter(pk=report.pk).delete()
        expected = 'id="warnings-table"><thead><tr><th>'  # the table is there, and then empty
    state, body = _get(client, "/evaluation/")
    assert state == "miss"
    assert expected.encode() in body
    if write == "monitoring_delete":
        assert b"light-green" not in body


def test_the_self_evaluation_dashboard_is_rendered_again_on_a_new_day(
    users: Any, make_declaration: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which self-evaluations are late changes at midnight with no write: the date is in the key."""
    import datetime as dt

    from django.utils import timezone

    make_declaration("unit_a", status="approved", name="城运案件托底处置费", year=2025)
    client = signed_in(users["finance"])
    _warm(client, "/evaluation/")
    assert _get(client, "/evaluation/")[0] == "hit"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert _get(client, "/evaluation/")[0] == "miss"


def test_the_results_report_is_kept_until_a_self_evaluation_changes(
    users: Any, make_declaration: Any
) -> None:
    from jixiao.services import evaluation as ev_svc

    obj = make_declaration("unit_a", status="approved", name="城运案件托底处置费", year=2024)
    client = signed_in(users["finance"])
    _warm(client, "/evaluation/results/?year=2024")
    state, before = _get(client, "/evaluation/results/?year=2024")
    assert state == "hit"
    ev_svc.save_self_evaluation(users["filler_a"], obj, ev_svc.self_evaluation_initial(obj))
    state, after = _get(client, "/evaluation/results/?year=2024")
    assert state == "miss" and after != before
