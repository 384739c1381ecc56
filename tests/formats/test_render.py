"""The rendered forms: A4 PDF with an embedded Chinese font, safe against markup, HTML, page images."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from jixiao.domain.model import Declaration, Document
from jixiao.formats import read_path
from jixiao.formats.json import loads, to_dict
from jixiao.formats.pdf import read_pdf
from jixiao.formats.render.html import form_html, render_html
from jixiao.formats.render.layout import declaration_layout, header_row, self_evaluation_layout
from jixiao.formats.render.pdf import layout_payload, render_pdf

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[2]
PAGES = REPO / "test-output" / "pdf-pages"


def canon(doc: Document) -> dict[str, Any]:
    """The canonical JSON without where it came from: what a round trip must keep."""
    out = to_dict(doc)
    out.pop("source")
    out.pop("warnings")
    out.pop("fields", None)
    return out


@pytest.fixture(scope="module")
def fixture_docs() -> list[Document]:
    return loads((FIXTURES / "forms.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_docs(seed_file: Path) -> list[Document]:
    return read_path(seed_file)


def test_pages_are_a4_portrait_with_the_chinese_font_embedded(fixture_docs: list[Document]) -> None:
    data = render_pdf(fixture_docs)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 3  # each form starts on a new page
        for page in pdf.pages:
            assert (round(page.width), round(page.height)) == (595, 842)
        fonts = {ch["fontname"] for ch in pdf.pages[0].chars}
        assert any("NotoSerifCJK" in f for f in fonts)
        text = pdf.pages[0].extract_text()
    assert "财政项目支出绩效目标申报表" in text and "（2022年度）" in text
    assert "第 1 页 共 3 页" in text
    assert b"/FontFile" in data  # embedded, so it prints the same on any machine


def test_typst_markup_in_user_text_is_printed_literally() -> None:
    nasty = '#set page(width: 20pt) *粗体* _斜体_ $x^2$ [链接] <标签> @引用 // 注释 \\ `代码` #panic("x")'
    (doc,) = loads('[{"kind": "declaration", "year": 2024, "project": {"name": "x"}}]')
    assert isinstance(doc, Declaration)
    doc.project.name = nasty
    doc.goals.overall = "/* 未闭合的注释 " + nasty
    data = render_pdf([doc])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1 and round(pdf.pages[0].width) == 595
    (back,) = read_pdf(data, "nasty.pdf")
    assert back.project.name == nasty
    assert back.goals.overall == doc.goals.overall


def test_vertical_labels_split_around_the_repeated_header() -> None:
    payload = layout_payload(declaration_layout(None, blank_rows=3))
    table = payload["sections"][1]
    label = [c for c in table["cells"] if c["col"] == 0]
    assert [(c["row"], c["rowspan"], c["text"], c["cut"]) for c in label] == [
        (0, 1, "", "bottom"),
        (1, 3, "绩效指标", "top"),
    ]
    head = [c for c in payload["sections"][0]["cells"] if c["role"] == "vlabel"]
    assert head[0]["text"] == "项目资金\ufe35元\ufe36"  # vertical bracket forms


def test_html_has_the_same_layout_and_escapes_text(fixture_docs: list[Document]) -> None:
    html = form_html(fixture_docs[0])
    assert html.count("<table>") == 2
    assert 'rowspan="5" data-field="indicator.level1">产出指标</td>' in html
    assert '<th rowspan="9" class="jx-vlabel" style="border-top:none">绩效指标</th>' in html.replace(
        'style="border-top:none" rowspan="9" class="jx-vlabel"',
        'rowspan="9" class="jx-vlabel" style="border-top:none"',
    )
    (doc,) = loads(
        '[{"kind": "declaration", "year": 2024, "project": {"name": "<script>alert(1)</script>"}}]'
    )
    page = render_html([doc, fixture_docs[2]])
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "财政项目支出绩效自评表" in page and "偏差原因分析及改进措施" in page


def test_empty_layouts_have_input_cells_for_every_field() -> None:
    fields = {c.field for s in declaration_layout(None).sections for c in s.cells if c.field}
    assert {
        "project.name",
        "project.category",
        "funding.total",
        "funding.annual_other",
        "goals.annual",
        "indicator.level1",
        "indicator.target",
    } <= fields
    fields = {c.field for s in self_evaluation_layout(None).sections for c in s.cells if c.field}
    assert {
        "budget.executed",
        "budget.lines.carryover.adjusted",
        "outcome",
        "indicator.deviation_note",
        "total_score",
        "grade",
    } <= fields


def test_every_pdf_page_is_rendered_to_png_for_a_person_to_look_at(
    seed_docs: list[Document], fixture_docs: list[Document]
) -> None:
    """Writes test-output/pdf-pages/*.png (gitignored): the seed, both kinds, and LibreOffice's PDF."""
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) is installed by make setup"
    PAGES.mkdir(parents=True, exist_ok=True)
    for old in PAGES.glob("*.png"):
        old.unlink()
    sources = {
        "seed": render_pdf(seed_docs),
        "fixture-forms": render_pdf(fixture_docs),
        "libreoffice": (FIXTURES / "libreoffice_forms.pdf").read_bytes(),
    }
    for name, data in sources.items():
        pdf_path = PAGES / f"{name}.pdf"
        pdf_path.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", str(pdf_path), str(PAGES / name)], check=True, timeout=120
        )
        pdf_path.unlink()
    images = sorted(PAGES.glob("*.png"))
    seed_pages = [p for p in images if p.name.startswith("seed-")]
    assert len(seed_pages) >= 7
    assert all(p.stat().st_size > 10_000 for p in images)  # a page with a drawn form, not a blank
    assert all(re.match(r"(seed|fixture-forms|libreoffice)-\d+\.png", p.name) for p in images)


@pytest.mark.parametrize(
    ("labels", "cols", "spans"),
    [
        (("一级指标", "二级指标", "三级指标"), [1, 2, 3], [1, 1, 1]),
        ((("项目名称", 2), "实施单位", ("计算方法", 3), "得分"), [1, 3, 4, 7], [2, 1, 3, 1]),
    ],
)
def test_a_header_row_places_its_labels_left_to_right(
    labels: tuple[str | tuple[str, int], ...], cols: list[int], spans: list[int]
) -> None:
    cells = header_row(4, 1, *labels)
    assert [c.col for c in cells] == cols
    assert [c.colspan for c in cells] == spans
    assert {(c.row, c.role) for c in cells} == {(4, "header")}
    assert [c.text for c in cells] == [label if isinstance(label, str) else label[0] for label in labels]
