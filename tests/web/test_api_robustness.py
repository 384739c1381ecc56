"""No 500 on bad input: every endpoint of the OpenAPI document, fed malformed, wrong and hostile requests.

The aim: "a test sends malformed, oversized and wrong-typed
payloads to every API endpoint"; the house rule: "API returns 4xx JSON", never a traceback. The
cases are generated from the application's own OpenAPI document (``/api/openapi.json``), so a new
endpoint is covered the day it is added: missing and bad credentials, malformed JSON, wrong JSON
types per field, oversized bodies, unknown and out-of-range ids, hostile query strings (NUL bytes,
64-bit overflows), documents the domain rejects, and workflow misuse. Schemathesis then generates
valid and invalid requests from the same document (bounded number of examples). Runs in-process
through Django's test client on SQLite, and on PostgreSQL in ``make test``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from jixiao.web.api.api import api

pytestmark = pytest.mark.django_db

SPEC: dict[str, Any] = api.get_openapi_schema()
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS: list[tuple[str, str, dict[str, Any]]] = [
    (method, path, op)
    for path, ops in SPEC["paths"].items()
    for method, op in ops.items()
    if method in METHODS
]
AUTHED = [(m, p, op) for m, p, op in OPERATIONS if op.get("security")]
PUBLIC = [(m, p, op) for m, p, op in OPERATIONS if not op.get("security")]
WITH_BODY = [(m, p, op) for m, p, op in OPERATIONS if "requestBody" in op]
WITH_ID = [(m, p, op) for m, p, op in OPERATIONS if "{" in p]
WITH_QUERY = [
    (m, p, op) for m, p, op in OPERATIONS if any(par["in"] == "query" for par in op.get("parameters", []))
]


def _id(item: tuple[str, str, dict[str, Any]]) -> str:
    return f"{item[0].upper()} {item[1]}"


def _ids(items: list[Any]) -> list[str]:
    return [_id(i) for i in items]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local ``$ref`` of the OpenAPI document."""
    while "$ref" in schema:
        node: Any = SPEC
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _body_schema(op: dict[str, Any]) -> dict[str, Any]:
    """The schema of the body's object (of one document, where an array of them is accepted too)."""
    schema = _resolve(op["requestBody"]["content"]["application/json"]["schema"])
    if "anyOf" in schema and "properties" not in schema:
        schema = next(_resolve(s) for s in schema["anyOf"] if _resolve(s).get("type") == "object")
    return schema


def _types(schema: dict[str, Any]) -> set[str]:
    """The JSON types a property accepts (``anyOf`` of a type and null, as pydantic writes it)."""
    if "anyOf" in schema:
        return set().union(*(_types(_resolve(s)) for s in schema["anyOf"]))
    declared = schema.get("type", "object")
    if isinstance(declared, list):  # JSON Schema's ["integer", "null"]
        return set(declared)
    return {declared} if "type" in schema or "properties" in schema else set()


# Values of the wrong JSON type for each declared type (null is wrong unless declared). Pydantic's
# lax mode reads "12" and true as integers, on purpose; those are not errors and are not listed.
# 10**30 is a valid JSON integer that no database column holds: it must not reach the database.
WRONG_VALUES: dict[str, list[Any]] = {
    "integer": [1.5, "twelve", [], {}, 10**30, -(10**30)],
    "string": [12, 1.5, [], {"a": 1}, "x" * 100_000],
    "object": ["document", 12, [], [{"kind": "declaration"}], True],
    "array": ["x", 12, {}],
    "boolean": ["yes", 2, []],
}


def _valid_body(op: dict[str, Any], document: dict[str, Any], version: int) -> dict[str, Any]:
    """A valid request body for the operation (the values the wrong ones replace)."""
    schema = _body_schema(op)
    samples: dict[str, Any] = {
        "document": document,
        "version": version,
        "organisation": None,
        "action": "submit",
        "grade": "",
        "comment": "robustness",
        "username": "filler",
        "password": "wrong-password",
        "reason": "robustness",
        "targets": {"0": ">=1件"},
        "annual_amount": None,
        "confirm": False,
        "outcome": "robustness",
        "actuals": [],
        "ratings": {},
        "opinion": "robustness",
    }
    return {name: samples.get(name, "x") for name in schema.get("properties", {})}


WRONG_FIELDS: list[tuple[str, str, dict[str, Any], str, Any]] = []
for _m, _p, _op in WITH_BODY:
    for _name, _prop in _body_schema(_op).get("properties", {}).items():
        _accepts = _types(_resolve(_prop))
        for _type in sorted(_accepts):
            WRONG_FIELDS += [
                (_m, _p, _op, _name, v)
                for v in WRONG_VALUES.get(_type, [])
                if not (isinstance(v, dict) and "object" in _accepts)
                and not (isinstance(v, list) and "array" in _accepts)
                and not (isinstance(v, str) and "string" in _accepts and len(v) < 1000)
            ]
        if "null" not in _accepts:
            WRONG_FIELDS.append((_m, _p, _op, _name, None))


# ---------------------------------------------------------------------------------------------
# Fixtures: the demo data once per module, a token per role, and a draft the filler may edit.


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Load the demo data (users per role, published and draft declarations) once for the module."""
    from django.core.management import call_command

    from jixiao.db.accounts.models import ApiToken
    from jixiao.db.declarations.models import Declaration, Status
    from jixiao.services.demo import load_demo

    with django_db_blocker.unblock():
        users = load_demo()
        tokens = {name: ApiToken.issue(user, "robustness") for name, user in users.items()}
        draft = Declaration.objects.filter(
            status=Status.DRAFT, organisation=users["filler"].organisation
        ).first()
        published = Declaration.objects.filter(status=Status.PUBLISHED).first()
        assert draft is not None and published is not None
        yield {"users": users, "tokens": tokens, "draft": draft, "published": published}
        # Leave the database as the other web tests expect it: empty.
        call_command("flush", interactive=False, verbosity=0)


def _path(path: str, pk: Any) -> str:
    """Fill every path parameter (``{pk}``, ``{declaration_id}``, …) with ``pk``."""
    return re.sub(r"\{\w+\}", str(pk), path)


def _request(
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: bytes | None = None,
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
    client: Client | None = None,
) -> Any:
    client = client or Client()
    extra = dict(headers or {})
    if token is not None:
        extra["Authorization"] = f"Bearer {token}"
    return client.generic(method.upper(), path, data=body or b"", content_type=content_type, headers=extra)


def assert_client_error(response: Any, *statuses: int) -> dict[str, Any]:
    """Assert a 4xx (one of ``statuses`` if given) whose body is our JSON error: a code and a message."""
    text = response.content[:400].decode("utf-8", "replace")
    assert 400 <= response.status_code < 500, f"expected 4xx, got {response.status_code}: {text}"
    if statuses:
        assert response.status_code in statuses, f"expected {statuses}, got {response.status_code}: {text}"
    assert response["Content-Type"].startswith("application/json"), (
        f"not JSON: {response['Content-Type']}: {text}"
    )
    body = json.loads(response.content)
    assert isinstance(body, dict) and body.get("code") and body.get("message"), f"no code/message: {text}"
    return body


def assert_handled(response: Any) -> None:
    """Assert the request was handled: a 2xx, or a 4xx JSON error; never a 5xx."""
    if response.status_code < 300:
        return
    assert_client_error(response)


# ---------------------------------------------------------------------------------------------
# The document itself


def test_openapi_document_lists_every_endpoint() -> None:
    """``/api/openapi.json`` is served and describes the endpoints this test walks through."""
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert {p for p in served["paths"]} == {p for p in SPEC["paths"]}
    assert len(OPERATIONS) >= 10 and AUTHED and WITH_BODY and WITH_ID
    assert Client().get("/api/docs").status_code == 200


# ---------------------------------------------------------------------------------------------
# Credentials

BAD_AUTH = {
    "unknown-token": "Bearer 0123456789abcdef0123456789abcdef",
    "empty-bearer": "Bearer ",
    "bare-scheme": "Bearer",
    "huge-token": "Bearer " + "a" * 20_000,
    "basic-scheme": "Basic ZmlsbGVyOmppeGlhby1kZW1vLTIwMjI=",
    "non-ascii": "Bearer 令牌",
    "sql-ish": "Bearer ' OR '1'='1",
}


@pytest.mark.parametrize("method,path,op", AUTHED, ids=_ids(AUTHED))
def test_missing_credentials_are_401(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any]
) -> None:
    """Without a token or a session every protected endpoint answers 401 with our JSON error."""
    body = (
        json.dumps(_valid_body(op, demo["draft"].document, demo["draft"].version)).encode()
        if "requestBody" in op
        else None
    )
    response = _request(method, _path(path, demo["draft"].pk), body=body)
    assert_client_error(response, 401)


@pytest.mark.parametrize("header", BAD_AUTH.values(), ids=BAD_AUTH.keys())
@pytest.mark.parametrize("method,path,op", AUTHED, ids=_ids(AUTHED))
def test_bad_tokens_are_401(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any], header: str
) -> None:
    """Unknown, empty, oversized, wrong-scheme and non-ASCII credentials: 401, never a 500."""
    response = _request(method, _path(path, demo["draft"].pk), headers={"Authorization": header})
    assert_client_error(response, 401)


@pytest.mark.parametrize("header", BAD_AUTH.values(), ids=BAD_AUTH.keys())
@pytest.mark.parametrize("method,path,op", PUBLIC, ids=_ids(PUBLIC))
def test_bad_tokens_on_public_endpoints_are_harmless(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any], header: str
) -> None:
    """Public endpoints ignore a bad token: they still answer (2xx or a 4xx JSON error)."""
    response = _request(method, _path(path, demo["draft"].pk), headers={"Authorization": header})
    assert_handled(response)


def test_inactive_users_token_is_refused(demo: dict[str, Any]) -> None:
    """A deactivated user's token no longer opens the API."""
    user = demo["users"]["filler2"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_client_error(_request("get", "/api/declarations/", token=demo["tokens"]["filler2"]), 401)


# ---------------------------------------------------------------------------------------------
# Bodies: malformed JSON, wrong JSON types, wrong field types, oversized

MALFORMED = {
    "truncated": b'{"document": {"kind": "declaration"',
    "not-json": b"not json at all",
    "trailing-comma": b'{"version": 1,}',
    "bad-utf8": b'{"document": "\xff\xfe"}',
    "utf16": '{"version": 1}'.encode("utf-16"),
    "nul-byte": b'{"comment": "a\x00b", "action": "submit", "document": {}}',
    "deep-nesting": b'{"document": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "nan": b'{"version": NaN, "document": {}}',
    "empty": b"",
    "array": b"[]",
    "string": b'"document"',
    "number": b"12",
    "null": b"null",
    "empty-object": b"{}",
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
@pytest.mark.parametrize("method,path,op", WITH_BODY, ids=_ids(WITH_BODY))
def test_malformed_json_is_4xx(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any], payload: bytes
) -> None:
    """Broken or wrongly shaped JSON bodies get a 4xx JSON error."""
    response = _request(method, _path(path, demo["draft"].pk), token=demo["tokens"]["filler"], body=payload)
    assert_client_error(response)


CONTENT_TYPES = [
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/json; charset=gb2312",
]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("method,path,op", WITH_BODY, ids=_ids(WITH_BODY))
def test_wrong_content_types_never_500(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any], content_type: str
) -> None:
    """A body sent as form data, XML or plain text is refused with a 4xx, or read as JSON; never a 500."""
    body = json.dumps(_valid_body(op, demo["draft"].document, demo["draft"].version)).encode()
    response = _request(
        method,
        _path(path, demo["draft"].pk),
        token=demo["tokens"]["filler"],
        body=body,
        content_type=content_type,
    )
    assert_handled(response)


@pytest.mark.parametrize(
    "method,path,op,field,value",
    WRONG_FIELDS,
    ids=[f"{_id((m, p, o))}-{f}-{type(v).__name__}{n}" for n, (m, p, o, f, v) in enumerate(WRONG_FIELDS)],
)
def test_wrong_field_types_are_4xx(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any], field: str, value: Any
) -> None:
    """Each field of each request schema, given a value of the wrong type, gets a 4xx JSON error."""
    body = _valid_body(op, demo["draft"].document, demo["draft"].version)
    body[field] = value
    response = _request(
        method, _path(path, demo["draft"].pk), token=demo["tokens"]["filler"], body=json.dumps(body).encode()
    )
    assert_client_error(response)


@pytest.mark.parametrize("method,path,op", WITH_BODY, ids=_ids(WITH_BODY))
def test_oversized_bodies_are_413(demo: dict[str, Any], method: str, path: str, op: dict[str, Any]) -> None:
    """A body over the configured limit (JIXIAO_MAX_UPLOAD_BYTES) is refused with 413 and a message."""
    limit = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    body = _valid_body(op, demo["draft"].document, demo["draft"].version)
    body["comment" if "comment" in body else next(iter(body))] = "长" * (limit // 3 + 1024)
    payload = json.dumps(body, ensure_ascii=False).encode()
    assert len(payload) > limit
    response = _request(method, _path(path, demo["draft"].pk), token=demo["tokens"]["filler"], body=payload)
    assert_client_error(response, 413)


# ---------------------------------------------------------------------------------------------
# Ids and query strings

UNKNOWN_IDS = {
    "zero": 0,
    "unknown": 987_654_321,
    "int64-max": 2**63 - 1,
    "int64-overflow": 2**63,
    "huge": 10**40,
}


@pytest.mark.parametrize("pk", UNKNOWN_IDS.values(), ids=UNKNOWN_IDS.keys())
@pytest.mark.parametrize("method,path,op", WITH_ID, ids=_ids(WITH_ID))
def test_unknown_ids_are_404(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any], pk: int
) -> None:
    """Ids that do not exist, including ones past a 64-bit integer, are a JSON 404 (or 422), not a 500."""
    body = (
        json.dumps(_valid_body(op, demo["draft"].document, demo["draft"].version)).encode()
        if "requestBody" in op
        else None
    )
    response = _request(method, _path(path, pk), token=demo["tokens"]["filler"], body=body)
    assert_client_error(response, 404, 422)


@pytest.mark.parametrize("method,path,op", WITH_ID, ids=_ids(WITH_ID))
def test_declarations_outside_scope_are_404(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any]
) -> None:
    """Another unit's filler cannot tell a declaration exists: 404, like an unknown id."""
    body = (
        json.dumps(_valid_body(op, demo["draft"].document, demo["draft"].version)).encode()
        if "requestBody" in op
        else None
    )
    response = _request(method, _path(path, demo["draft"].pk), token=demo["tokens"]["filler2"], body=body)
    assert_client_error(response, 404)


@pytest.mark.parametrize("suffix", ["abc", "-1", "1.5", "%00", "1/extra", "../organisations/"])
def test_malformed_ids_and_unknown_paths_are_json_404(demo: dict[str, Any], suffix: str) -> None:
    """Under ``/api/`` even a URL that matches no route answers with a JSON error, not an HTML page."""
    response = _request("get", f"/api/declarations/{suffix}", token=demo["tokens"]["filler"])
    assert_client_error(response, 404)


@pytest.mark.parametrize(
    "method,path",
    [
        ("delete", "/api/declarations/{pk}"),
        ("patch", "/api/declarations/{pk}"),
        ("delete", "/api/declarations/"),
        ("put", "/api/public/declarations"),
    ],
)
def test_unsupported_methods_are_json_405(demo: dict[str, Any], method: str, path: str) -> None:
    """A method the API does not offer is a JSON 405."""
    response = _request(method, _path(path, demo["draft"].pk), token=demo["tokens"]["filler"])
    assert_client_error(response, 405)


HOSTILE_VALUES = {
    "word": "abc",
    "float": "1.5",
    "negative": "-1",
    "int64-overflow": str(2**63),
    "huge": "9" * 40,
    "nul": "a\x00b",
    "long": "长" * 5000,
    "sql": "' OR 1=1 --",
    "percent": "%",
    "empty": "",
    "like-wildcards": "_%\\",
    "emoji": "🙂",
    "lone-surrogate-escape": "%ED%A0%80",
}
QUERY_CASES = [
    (m, p, op, par["name"])
    for m, p, op in WITH_QUERY
    for par in op.get("parameters", [])
    if par["in"] == "query"
]


@pytest.mark.parametrize("value", HOSTILE_VALUES.values(), ids=HOSTILE_VALUES.keys())
@pytest.mark.parametrize(
    "method,path,op,name", QUERY_CASES, ids=[f"{_id((m, p, o))}-{n}" for m, p, o, n in QUERY_CASES]
)
def test_hostile_query_values_never_500(
    demo: dict[str, Any], method: str, path: str, op: dict[str, Any], name: str, value: str
) -> None:
    """Wrong types, overflows, NUL bytes, wildcards and long text in any query parameter: 2xx or 4xx JSON."""
    from urllib.parse import quote

    encoded = value if value.startswith("%ED") else quote(value)
    response = _request(
        method, _path(path, demo["draft"].pk) + f"?{name}={encoded}", token=demo["tokens"]["filler"]
    )
    assert_handled(response)


# ---------------------------------------------------------------------------------------------
# Documents the domain rejects, and workflow misuse

BAD_DOCUMENTS = {
    "empty": {},
    "kind-only": {"kind": "declaration"},
    "unknown-kind": {"kind": "invoice", "year": 2024},
    "self-evaluation": {"kind": "self_evaluation", "year": 2022, "project": {"name": "x"}},
    "no-name": {"kind": "declaration", "year": 2024, "project": {"name": "  "}, "indicators": []},
    "year-text": {"kind": "declaration", "year": "二〇二四", "project": {"name": "x"}},
    "amount-text": {
        "kind": "declaration",
        "year": 2024,
        "project": {"name": "x"},
        "funding": {"total": "一百万", "annual": "abc"},
    },
    "amount-float": {
        "kind": "declaration",
        "year": 2024,
        "project": {"name": "x"},
        "funding": {"total": 1e308},
    },
    "date-wrong": {"kind": "declaration", "year": 2024, "project": {"name": "x", "start_date": "2024-13-45"}},
    "indicators-string": {
        "kind": "declaration",
        "year": 2024,
        "project": {"name": "x"},
        "indicators": "many",
    },
    "indicator-number": {"kind": "declaration", "year": 2024, "project": {"name": "x"}, "indicators": [5]},
    "target-number": {
        "kind": "declaration",
        "year": 2024,
        "project": {"name": "x"},
        "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "n", "target": 5}],
    },
    "project-list": {"kind": "declaration", "year": 2024, "project": ["x"]},
}


@pytest.mark.parametrize("document", BAD_DOCUMENTS.values(), ids=BAD_DOCUMENTS.keys())
@pytest.mark.parametrize("method,path", [("post", "/api/declarations/"), ("put", "/api/declarations/{pk}")])
def test_documents_the_domain_rejects_are_4xx(
    demo: dict[str, Any], method: str, path: str, document: dict[str, Any]
) -> None:
    """Canonical JSON that is not a valid declaration: a 4xx with our error code; nothing is saved."""
    from jixiao.db.declarations.models import Declaration

    draft = demo["draft"]
    before = (Declaration.objects.count(), Declaration.objects.get(pk=draft.pk).version)
    body = {"document": document, "version": draft.version} if method == "put" else {"document": document}
    response = _request(
        method, _path(path, draft.pk), token=demo["tokens"]["filler"], body=json.dumps(body).encode()
    )
    error = assert_client_error(response)
    assert str(error["code"]).startswith("JX-")
    assert (Declaration.objects.count(), Declaration.objects.get(pk=draft.pk).version) == before


WORKFLOW_MISUSE = [
    # who, action, grade, comment, on, expected statuses
    ("filler", "explode", "", "", "draft", (422,)),  # the schema lists the actions
    ("filler", "", "", "", "draft", (400, 422)),
    ("filler", "publish", "", "", "draft", (403,)),
    ("filler", "dept_review", "优", "", "draft", (403,)),
    ("deptreviewer", "dept_review", "甲", "", "draft", (422,)),  # the schema lists the grades
    ("finance", "publish", "", "", "draft", (409,)),  # not from this state
    ("unithead", "send_back", "", "", "draft", (422,)),  # the schema asks for a reason
    ("filler", "submit", "", "", "published", (403, 409)),
    ("filler2", "submit", "", "", "draft", (404,)),
]


@pytest.mark.parametrize(
    "who,action,grade,comment,on,statuses",
    WORKFLOW_MISUSE,
    ids=[f"{w}-{a or 'none'}-{o}" for w, a, _, _, o, _ in WORKFLOW_MISUSE],
)
def test_workflow_misuse_is_4xx(
    demo: dict[str, Any], who: str, action: str, grade: str, comment: str, on: str, statuses: tuple[int, ...]
) -> None:
    """Unknown actions, wrong roles, wrong states and invalid grades are refused with a JSON error."""
    target = demo[on]
    body = {"action": action, "grade": grade, "comment": comment}
    response = _request(
        "post",
        f"/api/declarations/{target.pk}/transitions",
        token=demo["tokens"][who],
        body=json.dumps(body).encode(),
    )
    assert_client_error(response, *statuses)


def test_stale_version_is_409_and_keeps_the_document(demo: dict[str, Any]) -> None:
    """Saving from an old version is a 409 conflict carrying the current version; nothing changes."""
    from jixiao.db.declarations.models import Declaration

    draft = Declaration.objects.get(pk=demo["draft"].pk)
    body = {"document": draft.document, "version": draft.version + 7}
    response = _request(
        "put", f"/api/declarations/{draft.pk}", token=demo["tokens"]["filler"], body=json.dumps(body).encode()
    )
    error = assert_client_error(response, 409)
    assert error.get("current_version") == draft.version
    assert Declaration.objects.get(pk=draft.pk).version == draft.version


def test_token_endpoint_refuses_bad_passwords_without_500(demo: dict[str, Any]) -> None:
    """Wrong passwords are a 401 JSON error, then 429 once the sign-in lockout locks the name here."""
    statuses = []
    for _ in range(int(getattr(settings, "LOGIN_MAX_FAILURES", 5)) + 2):
        response = _request(
            "post", "/api/auth/token", body=json.dumps({"username": "unithead", "password": "guess"}).encode()
        )
        assert_client_error(response, 401, 429)
        statuses.append(response.status_code)
    assert statuses[0] == 401 and statuses[-1] == 429


# ---------------------------------------------------------------------------------------------
# Schemathesis: generated valid and invalid requests for every operation (bounded examples)

SCHEMA = schemathesis.openapi.from_dict(SPEC)
SCHEMA.app = get_wsgi_application()
SCHEMA.config.generation.update(
    modes=["positive", "negative"], max_examples=10, deterministic=True, allow_x00=True, database="none"
)


def _content_type(response: Any) -> str:
    value = response.headers.get("Content-Type") or response.headers.get("content-type") or ""
    return str(value[0] if isinstance(value, list) and value else value)


@pytest.fixture()
def wsgi_keeps_test_connection() -> Iterator[None]:
    """Keep the test's database connection open across in-process WSGI calls.

    Django closes "obsolete" connections when a request finishes; inside a test's transaction that
    would close the test connection (PostgreSQL). django.test.Client disconnects the same handlers.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CONFORMANCE = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.positive_data_acceptance,
    schemathesis.checks.negative_data_rejection,
]
BODY_VALIDITY = (schemathesis.checks.positive_data_acceptance, schemathesis.checks.negative_data_rejection)
# Operations that end the credential a case was sent with.
REVOKING = ("/api/auth/logout", "/api/auth/tokens/{token_id}")


@SCHEMA.parametrize()
@pytest.mark.parametrize("who", ["anonymous", "filler"])
@hypothesis_settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=10)
def test_generated_requests_never_500_and_conform(
    case: Any, who: str, demo: dict[str, Any], wsgi_keeps_test_connection: None
) -> None:
    """Schemathesis requests (valid and invalid per the schema), anonymous and signed in as the filler:
    never a 5xx, every answer documented with its status, content type and schema, every request the
    schema declares valid accepted and every invalid one refused.

    Half of the integer ids are replaced by the filler's own draft, so that generated bodies reach the
    code behind the id lookup instead of stopping at a 404.
    """
    from jixiao.db.accounts.models import ApiToken

    for name, value in (case.path_parameters or {}).items():
        if isinstance(value, int) and not isinstance(value, bool) and value % 2:
            case.path_parameters[name] = demo["draft"].pk
    headers = {}
    if who == "filler":
        token = demo["tokens"]["filler"]
        if case.path in REVOKING:
            # Another user's fresh token: signing out ends all of a user's tokens, the filler's included.
            token = ApiToken.issue(demo["users"]["filler2"], "conformance")
        headers["Authorization"] = f"Bearer {token}"
    response = case.call(headers=headers)
    where = f"{case.method} {case.formatted_path} -> {response.status_code} {response.text[:300]}"
    assert response.status_code < 500, where
    # URLs no route matches (404) and methods no route offers (405, e.g. TRACE) are covered, with a
    # clearer message, by test_malformed_ids_and_unknown_paths_are_json_404 and
    # test_unsupported_methods_are_json_405; here every answer of a matched route must be our JSON.
    if response.status_code >= 400 and response.status_code not in (404, 405):
        assert _content_type(response).startswith("application/json"), where
    checks = CONFORMANCE
    if response.status_code == 413:
        # A body over the size limit is refused (documented 413) before it is read, valid or not:
        # whether it matched the schema is not what was answered.
        checks = [c for c in CONFORMANCE if c not in BODY_VALIDITY]
    case.validate_response(response, checks=checks, headers=headers)
