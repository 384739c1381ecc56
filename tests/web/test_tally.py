"""The declarations' tally (counts per unit, year, status and grade, kept by database triggers) is
exactly a grouped count of the declarations after any sequence of writes, on every write path; and
the pages that read it (dashboard, list, API list) show the counts a plain count would give."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.db.declarations.models import Declaration, DeclarationTally
from jixiao.services.declarations import import_documents
from jixiao.services.queries import DeclarationFilter, apply_filter, count_filtered
from jixiao.services.scope import listed_declarations, listed_tally, visible_declarations, visible_tally

from .conftest import make_document, signed_in

pytestmark = pytest.mark.django_db

UNITS = ("unit_a", "unit_a2", "unit_b")
STATUSES = ("draft", "submitted", "dept_review", "finance_review", "approved", "returned", "published")
GRADES = ("", "优", "良", "中", "差")
YEARS = (None, 2022, 2023)


def _grouped() -> Counter[tuple[int, int, str, str]]:
    """The declarations counted the plain way: one GROUP BY over the table."""
    out: Counter[tuple[int, int, str, str]] = Counter()
    for org, year, status, grade in Declaration.objects.values_list(
        "organisation_id", "year", "status", "grade"
    ):
        out[(org, year or 0, status, grade)] += 1
    return out


def _tallied() -> Counter[tuple[int, int, str, str]]:
    rows = DeclarationTally.objects.filter(n__gt=0).values_list(
        "organisation_id", "year", "status", "grade", "n"
    )
    assert not DeclarationTally.objects.filter(n__lt=0).exists()
    return Counter({(o, y, s, g): n for o, y, s, g, n in rows})


class _Rollback(Exception):
    """Ends one example's transaction so that the next starts from an empty table."""


OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.sampled_from(UNITS), st.sampled_from(YEARS[1:])),
        st.tuples(st.just("import"), st.sampled_from(UNITS), st.integers(1, 4)),
        st.tuples(st.just("status"), st.integers(0, 30), st.sampled_from(STATUSES)),
        st.tuples(st.just("grade"), st.integers(0, 30), st.sampled_from(GRADES)),
        st.tuples(st.just("year"), st.integers(0, 30), st.sampled_from(YEARS)),
        st.tuples(st.just("move"), st.integers(0, 30), st.sampled_from(UNITS)),
        st.tuples(st.just("all_status"), st.sampled_from(STATUSES), st.sampled_from(STATUSES)),
        st.tuples(st.just("save"), st.integers(0, 30), st.just(None)),
        st.tuples(st.just("delete"), st.integers(0, 30), st.just(None)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(operations=OPERATIONS)
def test_the_tally_is_a_grouped_count_after_any_writes(
    operations: list[tuple[str, Any, Any]], users: dict[str, Any], orgs: dict[str, Any]
) -> None:
    admin = users["admin"]
    try:
        with transaction.atomic():
            for op, a, b in operations:
                pks = list(Declaration.objects.order_by("pk").values_list("pk", flat=True))
                pick = Declaration.objects.none()
                if pks and isinstance(a, int):
                    pick = Declaration.objects.filter(pk=pks[a % len(pks)])
                if op == "create":
                    import_documents(admin, [make_document(year=b)], orgs[a])
                elif op == "import":  # the bulk path: one INSERT for many rows
                    import_documents(admin, [make_document(name=f"项目{n}") for n in range(b)], orgs[a])
                elif op == "status":
                    pick.update(status=b)
                elif op == "grade":
                    pick.update(grade=b)
                elif op == "year":
                    pick.update(year=b)
                elif op == "move":
                    pick.update(organisation=orgs[b])
                elif op == "all_status":  # one UPDATE moving many rows between keys
                    Declaration.objects.filter(status=a).update(status=b)
                elif op == "save":  # a model save writes every column, the counted ones unchanged
                    for obj in pick:
                        obj.save()
                elif op == "delete":
                    pick.delete()
                assert _tallied() == _grouped(), (op, a, b)
            raise _Rollback
    except _Rollback:
        pass


def test_the_migration_counts_the_declarations_stored_before_it(make_declaration: Any) -> None:
    """The migration's fill, run on an emptied tally, gives the rows the triggers kept."""
    from django.db import connection

    fill = importlib.import_module("jixiao.db.declarations.migrations.0007_declaration_tally").FILL
    for status in ("draft", "published", "published"):
        make_declaration(status=status)
    kept = _tallied()
    DeclarationTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert _tallied() == kept == _grouped()
    assert sum(kept.values()) == 3


@pytest.mark.parametrize(
    ("who", "flt"),
    [
        ("finance", DeclarationFilter()),
        ("finance", DeclarationFilter(year=2023)),
        ("finance", DeclarationFilter(status="published")),
        ("finance", DeclarationFilter(grade="优")),
        ("dept_a", DeclarationFilter()),
        ("dept_a", DeclarationFilter(organisation=None, status="draft")),
        ("filler_a", DeclarationFilter()),
        ("filler_b", DeclarationFilter(year=2022)),
        ("admin", DeclarationFilter(status="returned")),
    ],
)
def test_counts_from_the_tally_are_the_scoped_filtered_counts(
    who: str, flt: DeclarationFilter, users: dict[str, Any], orgs: dict[str, Any], make_declaration: Any
) -> None:
    for n, (unit, status, year) in enumerate(
        [
            ("unit_a", "draft", 2023),
            ("unit_a", "published", 2023),
            ("unit_a2", "returned", 2022),
            ("unit_b", "draft", 2022),
            ("unit_b", "published", 2023),
            ("unit_a", "dept_review", 2022),
        ]
    ):
        obj = make_declaration(unit, status=status, year=year, name=f"项目{n}")
        Declaration.objects.filter(pk=obj.pk).update(grade="优" if n % 2 else "")
    user = users[who]
    listed = apply_filter(listed_declarations(user), flt).count()
    visible = apply_filter(visible_declarations(user), flt).count()
    assert count_filtered(listed_tally(user), flt) == listed
    assert count_filtered(visible_tally(user), flt) == visible
    assert count_filtered(listed_tally(None), flt) == apply_filter(listed_declarations(None), flt).count()


def test_a_search_is_counted_from_the_matches_not_the_tally(users: dict[str, Any]) -> None:
    assert count_filtered(listed_tally(users["finance"]), DeclarationFilter(q="网格")) is None


def _total(html: str) -> str:
    match = re.search(r"·\s*(?:共|Total)\s*(\d+)\s*(?:条)?", html)
    assert match, html[-2000:]
    return match[1]


def test_the_list_dashboard_and_api_show_the_plain_counts(
    users: dict[str, Any], make_declaration: Any
) -> None:
    for n, (unit, status) in enumerate(
        [("unit_a", "draft"), ("unit_a", "published"), ("unit_b", "submitted"), ("unit_a2", "draft")]
    ):
        make_declaration(unit, status=status, name=f"网格项目{n}", year=2022 + n % 2)
    finance = signed_in(users["finance"])  # a reviewer: the never-submitted drafts are not listed
    page = finance.get("/declarations/").content.decode()
    assert _total(page) == "2"
    assert _total(finance.get("/declarations/?year=2023").content.decode()) == "1"
    assert 'value="2022"' in page and 'value="2023"' in page
    dashboard = finance.get("/").content.decode()
    assert re.search(r'id="stat-total">\s*2\s*<', dashboard), dashboard[:3000]
    filler = signed_in(users["filler_a"])
    assert _total(filler.get("/declarations/").content.decode()) == "2"
    body = finance.get("/api/declarations/").json()
    assert body["count"] == Declaration.objects.count() == 4
    assert len(body["items"]) == 4
    body = finance.get("/api/declarations/?status=draft").json()
    assert body["count"] == 2 and len(body["items"]) == 2


def test_a_search_with_more_matches_than_the_cap_says_so(
    users: dict[str, Any], make_declaration: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jixiao.web.declarations.views.SEARCH_COUNT_CAP", 3)
    for n in range(5):
        make_declaration(status="published", name=f"网格巡查{n}")
    make_declaration(status="published", name="绿化养护")
    finance = signed_in(users["finance"])
    page = finance.get("/declarations/?q=网格").content.decode()
    assert 'id="search-capped"' in page and "超过 3 条" in page
    assert page.count("网格巡查") >= 3
    # under the cap the exact number is given
    page = finance.get("/declarations/?q=绿化").content.decode()
    assert 'id="search-capped"' not in page and _total(page) == "1"


def test_a_search_beyond_the_cap_lists_its_exact_matches_in_the_lists_order(
    users: dict[str, Any], make_declaration: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Beyond the cap the page is read by walking the list's order (PostgreSQL): the same rows, in
    # the same order, as every match sorted, up to the cap; a form holding both pairs of 巡查队 but
    # not the word (巡查 … 查队) is no match.
    monkeypatch.setattr("jixiao.web.declarations.views.SEARCH_COUNT_CAP", 3)
    make_declaration(status="published", name="巡查工作查队", year=2024)
    for n, year in enumerate((2022, 2024, 2023, 2024, 2022)):
        make_declaration(status="published", name=f"网格巡查队{n}", year=year)
    page = signed_in(users["finance"]).get("/declarations/?q=巡查队").content.decode()
    assert 'id="search-capped"' in page
    listed = re.findall(r'<a href="/declarations/\d+/">([^<]+)</a>', page)
    # year descending, then the name; the first three (the cap)
    assert listed == ["网格巡查队1", "网格巡查队3", "网格巡查队2"]


def test_the_dashboard_lists_the_ten_with_most_findings_among_drafts_and_returned_ones(
    users: dict[str, Any], make_declaration: Any
) -> None:
    # Seven drafts with 1…7 findings, six returned with 10…15 and one published with 99: the unit
    # sees the six returned (15…10) then the drafts 7…4; a reviewer, who is not shown drafts that
    # were never submitted, sees the six returned only. The published one is no work to do.
    made = (
        [("draft", n) for n in range(1, 8)] + [("returned", n) for n in range(10, 16)] + [("published", 99)]
    )
    for status, count in made:
        obj = make_declaration("unit_a", status=status, name=f"{status}-{count}")
        Declaration.objects.filter(pk=obj.pk).update(findings_count=count)

    def listed(client: Any) -> list[str]:
        page = client.get("/").content.decode()
        block = page.split('id="to-fix"', 1)[1].split("</ul>", 1)[0]
        return re.findall(r'<a href="/declarations/\d+/">\S*\s*([a-z]+-\d+)</a>', block)

    returned = [f"returned-{n}" for n in range(15, 9, -1)]
    assert listed(signed_in(users["filler_a"])) == returned + ["draft-7", "draft-6", "draft-5", "draft-4"]
    assert listed(signed_in(users["finance"])) == returned
