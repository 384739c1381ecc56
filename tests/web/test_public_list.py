"""The public list's years, counts and pages, read from the tally, say what the published
declarations are: drafts and approved ones never counted, every published one counted once."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.test import Client

from jixiao.db.declarations.models import Declaration

pytestmark = pytest.mark.django_db


def test_the_public_list_counts_the_published_declarations(make_declaration: Any) -> None:
    for n in range(30):
        make_declaration(
            ("unit_a", "unit_b")[n % 2], status="published", name=f"公开项目{n:02d}", year=2022 + n % 2
        )
    make_declaration("unit_a", status="approved", name="未公开项目", year=2023)
    make_declaration("unit_b", status="draft", name="草稿项目", year=2024)
    Declaration.objects.filter(project_name="公开项目00").update(year=None)  # a year not read
    page = Client().get("/public/").content.decode()
    published = Declaration.objects.filter(status="published")
    expected = Counter((d.organisation.name, d.year or "") for d in published)
    shown = Counter(
        {
            (name, int(year) if year else ""): int(n)
            for name, year, n in re.findall(r">([^<>·]+) · (\d*)</a><span[^>]*>(\d+)<", page)
        }
    )
    assert {(k[0].strip(), k[1]): v for k, v in shown.items()} == expected
    assert "1 / 2" in page and "未公开项目" not in page and "草稿项目" not in page
    years = re.findall(r'<option value="(\d{4})"', page)
    assert years == ["2023", "2022"]
    second = Client().get("/public/?year=2023").content.decode()
    assert "1 / 1" in second and len(re.findall(r'href="/public/\d+/"', second)) == 15


def test_the_counts_beside_the_list_stop_at_fifty_and_say_so(make_declaration: Any, monkeypatch: Any) -> None:
    from jixiao.web.public import views

    monkeypatch.setattr(views, "COUNTS_SHOWN", 3)
    for n in range(5):
        make_declaration("unit_a", status="published", name=f"公开项目{n}", year=2019 + n)
    page = Client().get("/public/").content.decode()
    listed = re.findall(r'<li class="list-group-item[^"]*"><a href="\?organisation=\d+&year=(\d+)"', page)
    assert listed == ["2023", "2022", "2021"]  # the newest years of the unit first
    assert "显示前 3 条，共 5 条" in page
    monkeypatch.setattr(views, "COUNTS_SHOWN", 5)
    assert "显示前" not in Client().get("/public/").content.decode()
