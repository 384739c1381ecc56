"""The Excel template from the web: linked from the import page and the new-declaration page, with
the lists of the framework the editor uses for that year, and a readable file name."""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from jixiao.domain.framework import framework_for
from jixiao.formats.xlsx import LISTS_SHEET

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_template_is_linked_where_people_start(users: dict[str, Any]) -> None:
    client = signed_in(users["filler_a"])
    for page in ("/declarations/import/", "/declarations/new/"):
        html = client.get(page).content.decode()
        assert "/declarations/template.xlsx?kind=declaration" in html, page
    assert "安装相应读取器" not in client.get("/declarations/import/").content.decode()


@pytest.mark.parametrize("year", [2022, 2025])
def test_the_template_lists_the_editors_framework_of_the_year(users: dict[str, Any], year: int) -> None:
    client = signed_in(users["filler_a"])
    response = client.get(f"/declarations/template.xlsx?kind=declaration&year={year}")
    assert response.status_code == 200
    assert f"绩效目标申报表模板-{year}.xlsx" in unquote(response["Content-Disposition"])
    wb = load_workbook(io.BytesIO(response.content))
    assert wb["申报表"]["B2"].value == year
    fw = framework_for(year, "shanghai")
    lists = wb[LISTS_SHEET]
    assert [lists.cell(r, 1).value for r in range(2, 2 + len(fw.levels))] == list(fw.levels)
    editor = client.get(f"/declarations/framework/?year={year}").content.decode()
    assert re.findall(r'data-level1="([^"]+)"', editor) == list(fw.levels)


def test_a_new_declaration_has_its_year_and_department_filled_in(users: dict[str, Any]) -> None:
    html = signed_in(users["filler_a"]).get("/declarations/new/").content.decode()
    unit = users["filler_a"].organisation
    assert f'value="{unit.parent.name}"' in html and f'value="{unit.name}"' in html
    year_input = html.split('id="f-year"')[1].split(">")[0]
    assert 'value="20' in year_input
