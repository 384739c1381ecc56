"""On PostgreSQL the declaration search uses an index of characters and character pairs, and finds
exactly what the plain LIKE search finds for the one- and two-character queries Chinese users type."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.db.declarations.models import Declaration
from jixiao.services.queries import DeclarationFilter, apply_filter, count_up_to, order_plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the index exists on PostgreSQL only"),
]

NAMES = [
    "青浦区城市网格巡查专项",
    "环卫所道路保洁经费",
    "绿化养护（2022年）",
    "市民热线 12345 工单处置",
    "垃圾分类宣传",
    "网格化管理平台运维",
    "ABC 系统 abc 升级",
]


def _like(term: str) -> set[int]:
    qs = Declaration.objects.filter(Q(project_name__icontains=term) | Q(search_text__icontains=term))
    return set(qs.values_list("pk", flat=True))


def test_one_and_two_character_queries_find_what_like_finds(make_declaration: Any) -> None:
    for n, name in enumerate(NAMES):
        make_declaration(name=name, goal=f"{name}：完成第{n}期任务，提升市民满意度")
    text = "".join(NAMES) + "".join(Declaration.objects.values_list("search_text", flat=True))
    singles = sorted(set(text))
    pairs = sorted({text[i : i + 2] for i in range(len(text) - 1)})[:400]
    quoting = [
        "'",
        "''",
        "\\",
        "\\'",
        "a'b",
        ":*",
        "a:*",
        "&",
        "!",
        "|",
        "(",
        "a & b",
        "<->",
        "\x1f",
        "a\x1fb",
    ]
    queries = singles + pairs + ["邮", "无关", "ab", "AB", "c ", "%", "_", "年）", *quoting]
    found_any = 0
    for n, term in enumerate(queries):
        got = set(
            apply_filter(Declaration.objects.all(), DeclarationFilter(q=term)).values_list("pk", flat=True)
        )
        assert got == _like(term.strip()[:100]), term
        if n % 8 == 0:  # the list's count of the matches, read from the index, is the same number
            qs = apply_filter(Declaration.objects.all(), DeclarationFilter(q=term))
            assert count_up_to(qs, 10_000) == len(got), term
            assert count_up_to(qs, 1) == min(1, len(got)), term
        found_any += bool(got)
    assert found_any > len(queries) // 2  # most queries find something: the comparison is not vacuous


def test_the_search_can_use_the_index(make_declaration: Any) -> None:
    make_declaration(name=NAMES[0])
    qs = apply_filter(Declaration.objects.all(), DeclarationFilter(q="网格")).order_by()
    with connection.cursor() as cursor:
        # A handful of rows: force the planner's hand (a GIN index is read by a bitmap scan; the
        # btree of the list order would otherwise be walked with the search as a filter).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = qs.explain()
    assert "declaration_search_bigrams" in plan


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        max_size=60,
    )
)
def test_the_index_holds_each_pair_of_the_padded_text(text: str) -> None:
    # The index's function against its definition: every adjacent pair of the upper-cased text with
    # a space after it (so that each character starts a pair), each once; the separator's pairs
    # are the one documented loss.
    with connection.cursor() as cursor:
        cursor.execute("SELECT upper(%s), tsvector_to_array(jixiao_bigrams(%s))", [text, text])
        upper, pairs = cursor.fetchone()
    padded = upper + " "
    expected = {padded[i : i + 2] for i in range(len(padded) - 1)}
    expected = {p for p in expected if "\x1f" not in p}
    got = {p for p in pairs if "\x1f" not in p and len(p) == 2}
    assert got == expected
    # Nothing else but stray single characters cut by the separator.
    assert all(len(p) == 2 or "\x1f" in text for p in pairs)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(
        alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=40,
    ),
    st.text(
        alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
        min_size=1,
        max_size=4,
    ),
)
def test_a_query_matches_by_the_index_exactly_when_its_pairs_are_in_the_text(text: str, query: str) -> None:
    # The query function parses any text (quotes, backslashes, tsquery operators) and matches a text
    # holding the query (upper-cased) as a substring; holding its pairs is what the index can see.
    if "\x1f" in text + query:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT jixiao_bigrams(%s) @@ jixiao_bigram_query(%s), upper(%s), upper(%s)",
            [text, query, text, query],
        )
        matched, upper_text, upper_query = cursor.fetchone()
    padded = upper_text + " "
    if len(upper_query) == 1:
        expected = upper_query in upper_text
    else:
        expected = all(upper_query[i : i + 2] in padded for i in range(len(upper_query) - 1))
    assert matched == expected
    if upper_query in upper_text:
        assert matched  # never a false negative: the LIKE after it decides the rest


def test_counting_the_matches_leaves_the_planner_settings_as_they_were(make_declaration: Any) -> None:
    # The count steers the planner to the index for itself only: a setting left behind would change
    # the plan of every later query in the request's transaction.
    from django.db import transaction

    make_declaration(name=NAMES[0])
    with transaction.atomic(), connection.cursor() as cursor:
        qs = apply_filter(Declaration.objects.all(), DeclarationFilter(q="网格"))
        assert count_up_to(qs, 10) == 1
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("on", "on")


def test_a_search_beyond_the_cap_walks_the_list_order_index_and_restores_the_settings(
    make_declaration: Any,
) -> None:
    # A query of three characters keeps a LIKE whose share the planner does not know: left alone
    # it sorted every match (a whole-table scan at 100,000 rows); beyond the cap the page walks the
    # list's order index and stops at the page.
    from django.db import transaction

    for name in NAMES:
        make_declaration(name=name)
    qs = apply_filter(Declaration.objects.all(), DeclarationFilter(q="满意度")).order_by(
        "-year", "project_name", "id"
    )[:25]
    with transaction.atomic(), connection.cursor() as cursor:
        with order_plan(connection.alias):
            plan = qs.explain()
        cursor.execute(
            "SELECT current_setting('enable_seqscan'), current_setting('enable_sort'), "
            "current_setting('enable_bitmapscan'), current_setting('enable_incremental_sort')"
        )
        assert cursor.fetchone() == ("on", "on", "on", "on")
    assert "declaration_list_order" in plan and "Sort" not in plan
