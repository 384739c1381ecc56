"""The cast of the web tests: an organisation tree and one user per role, built explicitly.

青浦区财政局 (bureau)            finance, admin
├── 城运中心 (department A)       dept_a
│   ├── 城运中心本级 (unit A)      filler_a, head_a
│   └── 城运分中心 (unit A2)       filler_a2
└── 绿化市容局 (department B)     dept_b
    └── 环卫所 (unit B)           filler_b
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from jixiao.db.accounts.models import Organisation, Role, User
from jixiao.db.declarations.models import Declaration
from jixiao.domain.model import Declaration as DomainDeclaration
from jixiao.domain.model import Funding, Goals, Indicator, Project
from jixiao.domain.targets import try_parse_target
from jixiao.services.declarations import create_declaration

PASSWORD = "test-password-42"
SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds" / "000_541cf2738fe0fece.txt"
if not SEED.exists():  # a worktree without ../shared beside it: the copy packaged as demo data
    SEED = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "data" / "demo" / "seed-2022-qingpu.txt"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """The suite sends thousands of requests from one address: the rate limits have their own tests."""
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def _fresh_peer_figures() -> Any:
    """Each test's database is its own: the peer figures kept in the process start afresh."""
    from jixiao.services import peers

    peers.forget()
    yield
    peers.forget()


@pytest.fixture
def orgs(db: Any) -> dict[str, Organisation]:
    bureau = Organisation.objects.create(name="青浦区财政局", kind="bureau")
    dept_a = Organisation.objects.create(
        name="上海市青浦区城市运行管理中心", kind="department", parent=bureau
    )
    unit_a = Organisation.objects.create(name="城运中心本级", kind="unit", parent=dept_a)
    unit_a2 = Organisation.objects.create(name="城运分中心", kind="unit", parent=dept_a)
    dept_b = Organisation.objects.create(name="绿化市容局", kind="department", parent=bureau)
    unit_b = Organisation.objects.create(name="环卫所", kind="unit", parent=dept_b)
    return {
        "bureau": bureau,
        "dept_a": dept_a,
        "unit_a": unit_a,
        "unit_a2": unit_a2,
        "dept_b": dept_b,
        "unit_b": unit_b,
    }


_HASH: dict[str, str] = {}


def _password_hash() -> str:
    """Return one PBKDF2 hash of PASSWORD, computed once: hashing is deliberately slow."""
    if "value" not in _HASH:
        from django.contrib.auth.hashers import make_password

        _HASH["value"] = make_password(PASSWORD)
    return _HASH["value"]


@pytest.fixture
def users(orgs: dict[str, Organisation]) -> dict[str, User]:
    cast = {
        "filler_a": (Role.FILLER, "unit_a"),
        "head_a": (Role.UNIT_HEAD, "unit_a"),
        "filler_a2": (Role.FILLER, "unit_a2"),
        "dept_a": (Role.DEPT_REVIEWER, "dept_a"),
        "finance": (Role.FINANCE_REVIEWER, "bureau"),
        "admin": (Role.ADMIN, "bureau"),
        "filler_b": (Role.FILLER, "unit_b"),
        "dept_b": (Role.DEPT_REVIEWER, "dept_b"),
    }
    out = {}
    for name, (role, org) in cast.items():
        user = User(
            username=name, role=role, organisation=orgs[org], display_name=name, password=_password_hash()
        )
        user.save()
        out[name] = user
    return out


def make_document(
    name: str = "城运案件托底处置费",
    *,
    goal: str = "通过托底处置，解决无主案件的处置问题",
    indicators: list[tuple[str, str, str, str]] | None = None,
    year: int = 2023,
) -> DomainDeclaration:
    """Return a small valid declaration (three indicators unless given)."""
    rows = (
        indicators
        if indicators is not None
        else [
            ("产出指标", "数量指标", "处置案件数量", ">=500件"),
            ("产出指标", "时效指标", "一般案件处置及时性", "7天内完成"),
            ("满意度指标", "服务对象满意度指标", "群众满意度", ">=90%"),
        ]
    )
    return DomainDeclaration(
        year=year,
        project=Project(name=name, category="经常性项目", implementing_unit="上海市青浦区城市运行管理中心"),
        funding=Funding(),
        goals=Goals(overall=goal, annual=goal),
        indicators=[Indicator(level1=a, level2=b, name=c, target=try_parse_target(d)) for a, b, c, d in rows],
    )


@pytest.fixture
def make_declaration(users: dict[str, User], orgs: dict[str, Organisation]) -> Any:
    """Return a factory: ``make_declaration(org_key, status=…, **document options)``."""

    def make(org: str = "unit_a", status: str = "draft", **options: Any) -> Declaration:
        creator = users["admin"]
        obj = create_declaration(creator, make_document(**options), orgs[org])
        if status != "draft":
            Declaration.objects.filter(pk=obj.pk).update(status=status)
            obj.refresh_from_db()
        return obj

    return make


def signed_in(user: User) -> Client:
    """Return a test client with a session for ``user`` (the sign-in page has its own tests)."""
    client = Client()
    client.force_login(user)
    return client
