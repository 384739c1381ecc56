"""Reading PDF forms back from geometry: our own PDFs, LibreOffice's, and broken or hostile files."""

from __future__ import annotations

import io
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jixiao.formats.pdf as pdf_reader
from jixiao.domain.errors import FormatError, JixiaoError
from jixiao.domain.model import Declaration, Document, Indicator, SelfEvaluation
from jixiao.domain.targets import parse_target
from jixiao.formats import read_bytes, read_path
from jixiao.formats.json import loads, to_dict
from jixiao.formats.pdf import read_pdf
from jixiao.formats.render.pdf import render_pdf

FIXTURES = Path(__file__).parent / "fixtures"
sys.path.insert(0, str(FIXTURES))
from pdfcraft import bomb_pdf, cid_font_pdf, encrypted_pdf, scanned_pdf  # noqa: E402


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


@pytest.fixture(scope="module")
def seed_pdf(seed_docs: list[Document]) -> bytes:
    return render_pdf(seed_docs)


def test_every_seed_form_survives_model_pdf_model(seed_docs: list[Document], seed_pdf: bytes) -> None:
    back = read_bytes(seed_pdf, "seed.pdf")  # routed by content (%PDF)
    assert len(back) == 7
    assert [canon(d) for d in back] == [canon(d) for d in seed_docs]
    assert [d.source.form_index for d in back] == [1, 2, 3, 4, 5, 6, 7]
    assert [d.source.page for d in back] == sorted(d.source.page or 0 for d in back)


def test_both_kinds_survive_model_pdf_model(fixture_docs: list[Document]) -> None:
    back = read_pdf(render_pdf(fixture_docs), "forms.pdf")
    assert [canon(d) for d in back] == [canon(d) for d in fixture_docs]
    evaluation = back[2]
    assert isinstance(evaluation, SelfEvaluation)
    assert (
        evaluation.budget.execution_rate,
        evaluation.budget.score,
        evaluation.total_score,
        evaluation.grade,
    ) == (Decimal("86.18"), Decimal("8.62"), Decimal("98.62"), "优")


def _long_declaration(n: int = 64) -> Declaration:
    levels = [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    indicators = []
    for k in range(n):
        level1, level2 = levels[min(k * len(levels) // n, len(levels) - 1)]
        name = f"第{k + 1}项指标：网格巡查发现并处置的城市管理问题数量（含市容、设施与环境）"
        indicators.append(Indicator(level1, level2, name, parse_target(f">={k + 10}件")))
    (doc,) = loads('[{"kind": "declaration", "year": 2023, "project": {"name": "网格化管理长表"}}]')
    assert isinstance(doc, Declaration)
    doc.indicators = indicators
    doc.goals.annual = "很长的年度目标。" * 40
    return doc


def test_a_table_continued_over_pages_reads_back_whole() -> None:
    doc = _long_declaration()
    data = render_pdf([doc])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    assert len(pages) >= 3
    for text in pages[1:]:
        assert "一级指标" in text and "指标目标值" in text  # the header repeats on each page
    flat = ["".join(t.split()) for t in pages]
    for k in range(len(doc.indicators)):
        # a row is never cut by a page break: each target sits on the page of its own row
        assert sum(f">={k + 10}件" in t for t in flat) == 1
    (back,) = read_pdf(data, "long.pdf")
    assert canon(back) == canon(doc)


def test_several_forms_and_continuations_in_one_pdf(fixture_docs: list[Document]) -> None:
    docs = [fixture_docs[0], _long_declaration(40), fixture_docs[2], fixture_docs[1]]
    back = read_pdf(render_pdf(docs), "many.pdf")
    assert [canon(d) for d in back] == [canon(d) for d in docs]


def test_a_pdf_printed_by_libreoffice_from_our_excel_reads_back(fixture_docs: list[Document]) -> None:
    """fixtures/libreoffice_forms.pdf: our .xlsx export printed by LibreOffice (another program)."""
    back = read_path(FIXTURES / "libreoffice_forms.pdf")
    assert [canon(d) for d in back] == [canon(d) for d in fixture_docs]


@pytest.mark.parametrize(
    "make, code, words",
    [
        (scanned_pdf, "JX-E493", "没有识别出文字"),
        (cid_font_pdf, "JX-E452", "Unicode"),
        (encrypted_pdf, "JX-E453", "加密"),
        (bomb_pdf, "JX-E458", "压缩炸弹"),
    ],
)
def test_unreadable_pdfs_say_why(make: Any, code: str, words: str) -> None:
    with pytest.raises(FormatError) as err:
        read_bytes(make(), "upload.pdf")
    assert err.value.code == code
    assert words in err.value.message("zh")


def test_truncated_and_damaged_pdfs_get_a_clear_error(seed_pdf: bytes) -> None:
    cases = {
        "JX-E451": seed_pdf[: len(seed_pdf) // 2],  # cut off in the middle
        "JX-E450": b"%PDF-1.7\n" + b"\x00garbage\n" * 500 + b"%%EOF\n",  # a header and noise
    }
    for code, data in cases.items():
        with pytest.raises(FormatError) as err:
            read_bytes(data, "bad.pdf")
        assert err.value.code == code


def test_files_over_the_size_limit_are_refused_unread(
    monkeypatch: pytest.MonkeyPatch, seed_pdf: bytes
) -> None:
    monkeypatch.setenv("JIXIAO_MAX_INPUT_BYTES", str(len(seed_pdf) - 1))
    with pytest.raises(JixiaoError) as err:
        read_bytes(seed_pdf, "big.pdf")
    assert err.value.code == "JX-E104"


def test_the_page_limit_is_checked_before_parsing(
    monkeypatch: pytest.MonkeyPatch, fixture_docs: list[Document]
) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PDF_PAGES", 2)
    with pytest.raises(FormatError) as err:
        read_pdf(render_pdf(fixture_docs), "three-pages.pdf")
    assert err.value.code == "JX-E454"


def test_a_pdf_that_is_not_a_form_says_so() -> None:
    import typst

    data = typst.compile(
        b'#set text(font: "Noto Serif CJK SC")\n= \xe4\xbc\x9a\xe8\xae\xae\xe7\xba\xaa\xe8\xa6\x81\n'
        b"Some text, no table.",
        format="pdf",
        font_paths=__import__("jixiao.formats.render.pdf", fromlist=["font_dirs"]).font_dirs(),
    )
    assert isinstance(data, bytes)
    with pytest.raises(FormatError) as err:
        read_pdf(data, "minutes.pdf")
    assert err.value.code == "JX-E457"


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_behind_a_pdf_header_raise_only_our_errors(body: bytes) -> None:
    try:
        read_pdf(b"%PDF-1.4\n" + body + b"\n%%EOF\n", "fuzz.pdf")
    except JixiaoError:
        pass


_SMALL = render_pdf(loads((FIXTURES / "forms.json").read_text(encoding="utf-8"))[:1])


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=200_000), st.binary(min_size=1, max_size=16))
def test_corrupted_pdfs_raise_only_our_errors(position: int, junk: bytes) -> None:
    data = bytearray(_SMALL)
    at = position % (len(data) - 10)
    data[at : at + len(junk)] = junk
    try:
        read_pdf(bytes(data), "corrupt.pdf")
    except JixiaoError:
        pass


def test_a_self_evaluation_made_from_a_declaration_keeps_its_project_fields(
    fixture_docs: list[Document],
) -> None:
    """Category, dates and 项目总目标 are not on the 2022 自评表 but must survive an export."""
    import copy
    import datetime

    from jixiao.formats.xlsx import read_xlsx, write_xlsx

    doc = copy.deepcopy(fixture_docs[2])
    assert isinstance(doc, SelfEvaluation)
    doc.project.category, doc.project.nature = "经常性项目", "一次性项目"
    doc.project.start_date, doc.project.end_date = datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)
    doc.goals.overall = "保障体育中心正常运营。"
    assert canon(read_pdf(render_pdf([doc]), "se.pdf")[0]) == canon(doc)
    assert canon(read_xlsx(write_xlsx([doc]), "se.xlsx")[0]) == canon(doc)


@pytest.mark.parametrize(
    "form, fields",
    [
        (0, {"annual": "很长的年度目标内容，" * 700}),
        (1, {"overall": "项目总目标很长。" * 500, "annual": "年度目标也长。" * 300}),
        (2, {"annual": "预期目标很长，" * 600, "outcome": "实际完成情况也很长。" * 400}),
    ],
)
def test_goal_text_longer_than_a_page_is_split_and_joined_again(
    fixture_docs: list[Document], form: int, fields: dict[str, str]
) -> None:
    import copy

    doc = copy.deepcopy(fixture_docs[form])
    for key, text in fields.items():
        if key == "outcome":
            assert isinstance(doc, SelfEvaluation)
            doc.outcome = text
        else:
            setattr(doc.goals, key, text)
    data = render_pdf([doc])
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 3
        for page in pdf.pages:  # nothing runs into the footer: the text was split, not clipped
            footer = [ch for ch in page.chars if ch["top"] > page.height - 60]
            assert "".join(ch["text"] for ch in footer).startswith("第")
    (back,) = read_pdf(data, "long-goals.pdf")
    assert canon(back) == canon(doc)


def test_a_table_ruled_only_by_columns_reads_row_by_row() -> None:
    """columns_only_chromium.pdf: columns_only.html (cells with left and right borders only, no line
    between rows) printed by Chromium --print-to-pdf, look-alike radicals included."""
    (doc,) = read_path(FIXTURES / "columns_only_chromium.pdf")
    assert isinstance(doc, Declaration)
    assert (doc.year, doc.project.name, doc.project.implementing_unit) == (
        2023,
        "农村饮水安全巩固提升工程",
        "某县水务站",
    )
    assert doc.funding.annual == Decimal("1205000.00")  # 年度资金总额（万元）
    assert doc.goals.annual == "完成 3 个村的供水管网改造"
    assert [(i.level1, i.level2, i.name, i.target.text) for i in doc.indicators] == [
        ("产出指标", "数量指标", "改造供水管网长度", "≥12公里"),
        ("产出指标", "时效指标", "完工时间", "2023年10月底前"),
        ("满意度指标", "服务对象满意度指标", "受益群众满意度", "≥90%"),
    ]
    assert not doc.warnings
    assert doc.fields["project.name"].page == 1 and doc.fields["project.name"].bbox is not None
