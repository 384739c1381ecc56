"""The parts of the scan reader that need no OCR: table structure, deskew, seal, corrections, limits."""

from __future__ import annotations

import copy
import io
import socket
from typing import Any

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from jixiao.domain.errors import FormatError
from jixiao.formats import read_bytes, sniff_format
from jixiao.formats.grid import Cell, Grid, Origin
from jixiao.formats.scan import engine as ocr_engine
from jixiao.formats.scan import lattice
from jixiao.formats.scan.checks import check_documents, correct_grids, correct_target

# --- table structure -------------------------------------------------------------------------------


def _draw_table(
    widths: list[int], heights: list[int], merges: list[tuple[int, int, int, int]], angle: float = 0.0
) -> tuple[np.ndarray, set[tuple[int, int, int, int]]]:
    """Draw a ruled table (1-pixel lines, like a 150 dpi scan) and return it with its expected cells.

    ``merges`` are ``(row, col, row_span, col_span)``; the lines inside a merged cell are not drawn.
    """
    xs = [60 + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [80 + sum(heights[:i]) for i in range(len(heights) + 1)]
    img = np.full((ys[-1] + 120, xs[-1] + 100), 255, np.uint8)
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in merges:
        r, c, rs, cs = m
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                owner[(rr, cc)] = m
    n_rows, n_cols = len(heights), len(widths)

    def own(r: int, c: int) -> tuple[int, int, int, int]:
        return owner.get((r, c), (r, c, 1, 1))

    # A border that no cell draws is not in the picture: the lattice numbers only drawn lines.
    row_at = [0] * n_rows
    for r in range(1, n_rows):
        row_at[r] = row_at[r - 1] + any(own(r - 1, c) != own(r, c) for c in range(n_cols))
    col_at = [0] * n_cols
    for c in range(1, n_cols):
        col_at[c] = col_at[c - 1] + any(own(r, c - 1) != own(r, c) for r in range(n_rows))
    cells = set()
    for r in range(n_rows):
        for c in range(n_cols):
            r0, c0, rs, cs = own(r, c)
            cells.add(
                (
                    row_at[r0],
                    col_at[c0],
                    row_at[r0 + rs - 1] - row_at[r0] + 1,
                    col_at[c0 + cs - 1] - col_at[c0] + 1,
                )
            )
    for r in range(n_rows):
        for c in range(n_cols):
            # right border of (r, c) unless (r, c+1) belongs to the same cell
            if c + 1 == n_cols or own(r, c + 1) != own(r, c):
                cv2.line(img, (xs[c + 1], ys[r]), (xs[c + 1], ys[r + 1]), 0, 1)
            if r + 1 == n_rows or own(r + 1, c) != own(r, c):
                cv2.line(img, (xs[c], ys[r + 1]), (xs[c + 1], ys[r + 1]), 0, 1)
    cv2.line(img, (xs[0], ys[0]), (xs[-1], ys[0]), 0, 1)
    cv2.line(img, (xs[0], ys[0]), (xs[0], ys[-1]), 0, 1)
    cv2.putText(img, "2022", (xs[0] + 8, ys[0] + 24), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 0, 1)
    if angle:
        h, w = img.shape
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, matrix, (w, h), borderValue=255)
    return img, cells


def _found(img: np.ndarray) -> set[tuple[int, int, int, int]]:
    page = lattice.prepare_page(np.dstack([img, img, img]))
    found = lattice.find_lattice(page.gray)
    return {(c.row, c.col, c.row_span, c.col_span) for c in found.cells}


@st.composite
def tables(draw: Any) -> tuple[list[int], list[int], list[tuple[int, int, int, int]]]:
    n_cols = draw(st.integers(2, 6))
    n_rows = draw(st.integers(2, 8))
    widths = draw(st.lists(st.integers(70, 260), min_size=n_cols, max_size=n_cols))
    heights = draw(st.lists(st.integers(34, 90), min_size=n_rows, max_size=n_rows))
    merges: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 3))):
        r = draw(st.integers(0, n_rows - 1))
        c = draw(st.integers(0, n_cols - 1))
        rs = draw(st.integers(1, n_rows - r))
        cs = draw(st.integers(1, n_cols - c))
        block = {(rr, cc) for rr in range(r, r + rs) for cc in range(c, c + cs)}
        if (rs, cs) != (1, 1) and not block & taken and (rs, cs) != (n_rows, n_cols):
            taken |= block
            merges.append((r, c, rs, cs))
    return widths, heights, merges


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from([0.0, 1.5, -2.0]))
def test_cells_and_spans_come_from_the_ruling_at_any_small_tilt(table: Any, angle: float) -> None:
    widths, heights, merges = table
    img, expected = _draw_table(widths, heights, merges, angle)
    assert _found(img) == expected


@pytest.mark.parametrize("angle", [-3.0, -2.0, -0.7, 0.0, 1.2, 2.0, 4.0])
def test_the_skew_is_measured_to_a_tenth_of_a_degree(angle: float) -> None:
    img, _ = _draw_table([200, 300, 250], [40] * 12, [(0, 1, 2, 2)], angle)
    page = lattice.prepare_page(np.dstack([img, img, img]))
    assert abs(page.angle + angle) <= 0.1


def test_a_red_seal_over_black_ink_leaves_only_the_black_ink() -> None:
    rgb = np.full((400, 400, 3), 255, np.uint8)
    cv2.line(rgb, (20, 200), (380, 200), (0, 0, 0), 2)  # a ruling line under the seal
    stamp = np.full_like(rgb, 255)
    cv2.circle(stamp, (200, 200), 120, (215, 40, 45), 12)
    cv2.circle(stamp, (200, 200), 40, (215, 40, 45), -1)
    stamped = (rgb.astype(np.uint16) * stamp // 255).astype(np.uint8)
    jpeg = io.BytesIO()
    Image.fromarray(stamped).save(jpeg, format="JPEG", quality=60)
    decoded = np.asarray(Image.open(io.BytesIO(jpeg.getvalue())).convert("RGB"))
    gray = lattice.prepare_page(decoded).gray
    assert gray[200, 20:380].mean() < 100  # the line under the seal stays dark
    ring = np.concatenate([gray[80, 150:250], gray[190:192, 160:240].ravel()])
    assert ring.min() > 200  # the seal's ring and disc are paper now


# --- corrections -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed, name, corrected",
    [
        ("≥9O%", "群众满意度", "≥90%"),
        ("=l00%", "建设完成率", "=100%"),
        ("≤5O0万兀", "项目成本", "≤500万元"),
        ("=100°", "建设验收通过率", "=100%"),
        ("≥95°", "群众满意度", "≥95%"),
        ("≤30°", "转向角度偏差", None),  # an angle: ° is right for it
        ("=100%", "建设完成率", None),  # reads as printed: nothing to correct
        ("年底完成", "建设完成及时性", None),
        ("提升", "城市精细化推进程度", None),
        ("IOT平台", "平台建设", None),  # letters away from digits are text
    ],
)
def test_ocr_confusions_are_corrected_only_where_the_target_grammar_decides(
    printed: str, name: str, corrected: str | None
) -> None:
    fix = correct_target(printed, name)
    assert (fix[0] if fix else None) == corrected


def _grid(*texts: str) -> Grid:
    return Grid(
        [
            Cell(r, 0, t, origin=Origin(page=1, cell=f"R{r + 1}C1", confidence=0.99))
            for r, t in enumerate(texts)
        ],
        source="scan",
        page=1,
    )


@pytest.mark.parametrize(
    "read, corrected",
    [
        ("计划开始目期", "计划开始日期"),
        ("计划完成目期", "计划完成日期"),
        ("其中：当年财政拨款", None),
        ("项目名称", None),
        ("目标", None),  # too short to be sure
        ("上海市青浦区城市运行管理中心", None),
        ("其中：财政资金。", "其中：财政资金"),  # dust after a label
        ("年度总目标，", "年度总目标"),
        ("480;000.00", "480,000.00"),  # the amount format decides
        ("1,559：500.00", "1,559,500.00"),
        ("1,559,500.00", None),
        ("12;30", None),  # not an amount's shape
    ],
)
def test_labels_and_amounts_one_confusion_away_are_corrected(read: str, corrected: str | None) -> None:
    (grid,), notes = correct_grids([_grid("x", "y", "z", read)])
    assert grid.cells[3].text == (corrected or read)
    assert [n.after for n in notes] == ([corrected] if corrected else [])


@pytest.mark.parametrize(
    "read, corrected",
    [
        ("财政项目支出绩效目标申报表", None),
        ("财政项目支出绩效三标申报表", "财政项目支出绩效目标申报表"),
        ("购政项目支出绩效目标申报表", None),  # a title already, with something before it
        ("财政项目支出绩效自评衰", "财政项目支出绩效自评表"),
        ("上海市财政局", None),
    ],
)
def test_a_title_line_close_to_one_form_title_is_corrected(read: str, corrected: str | None) -> None:
    (grid,), notes = correct_grids([_grid(read)])
    assert grid.cells[0].text == (corrected or read)
    assert len(notes) == (1 if corrected else 0)


def test_each_correction_becomes_a_warning_with_page_and_cell(seed_docs: list[Any]) -> None:
    grids, notes = correct_grids([_grid("财政项目支出绩效目标申报表", "计划开始目期")])
    doc = copy.deepcopy(seed_docs[0])
    doc.source.page = 1
    before = len(doc.warnings)
    check_documents([doc], grids, notes)
    added = doc.warnings[before:]
    assert [(w.code, w.page, w.cell) for w in added] == [("JX-W491", 1, "R2C1")]
    assert "计划开始日期" in added[0].message and "计划开始日期" in added[0].message_en


def test_a_field_read_with_low_confidence_is_warned_about(seed_docs: list[Any], monkeypatch: Any) -> None:
    monkeypatch.setenv("JIXIAO_OCR_MIN_CONFIDENCE", "0.8")
    doc = copy.deepcopy(seed_docs[1])
    doc.source.page = 1
    name = doc.project.name
    target = doc.indicators[2]
    cells = [
        Cell(0, 0, "项目名称", origin=Origin(page=1, cell="R1C1", confidence=0.99)),
        Cell(0, 1, name, origin=Origin(page=1, cell="R1C2", confidence=0.62)),
        Cell(5, 2, target.name, origin=Origin(page=1, cell="R6C3", confidence=0.97)),
        Cell(5, 3, target.target.text, origin=Origin(page=1, cell="R6C4", confidence=0.79)),
        Cell(6, 3, "x", origin=Origin(page=1, cell="R7C4", confidence=0.81)),
    ]
    before = len(doc.warnings)
    check_documents([doc], [Grid(cells, source="scan", page=1)], [])
    got = [(w.code, w.field, w.page, w.cell) for w in doc.warnings[before:]]
    assert ("JX-W490", "project.name", 1, "R1C2") in got
    assert ("JX-W490", "indicators[2].target", 1, "R6C4") in got
    assert all(w[1] is not None for w in got)


# --- configuration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "device, available, first",
    [
        (None, ["CUDAExecutionProvider", "CPUExecutionProvider"], "CPUExecutionProvider"),
        ("cpu", ["CUDAExecutionProvider", "CPUExecutionProvider"], "CPUExecutionProvider"),
        ("gpu", ["CUDAExecutionProvider", "CPUExecutionProvider"], "CUDAExecutionProvider"),
        ("cuda", ["CUDAExecutionProvider", "CPUExecutionProvider"], "CUDAExecutionProvider"),
        ("gpu", ["CPUExecutionProvider"], "CPUExecutionProvider"),  # never required
    ],
)
def test_the_gpu_is_used_only_when_configured_and_present(
    device: str | None, available: list[str], first: str, monkeypatch: Any
) -> None:
    if device is None:
        monkeypatch.delenv("JIXIAO_OCR_DEVICE", raising=False)
    else:
        monkeypatch.setenv("JIXIAO_OCR_DEVICE", device)
    assert ocr_engine.providers(available)[0] == first
    assert ocr_engine.providers(available)[-1] == "CPUExecutionProvider"


def test_the_models_ship_in_the_wheel_and_nothing_is_fetched(monkeypatch: Any) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("OCR tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    eng = ocr_engine.Engine(threads=1)
    line = np.full((48, 200, 3), 255, np.uint8)
    cv2.putText(line, "2022", (10, 36), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    ((text, score),) = eng.recognize([line])
    assert text == "2022" and 0.5 < score <= 1


# --- input -------------------------------------------------------------------------------------------


def _png(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    Image.fromarray(array).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF"])
def test_images_are_recognised_by_content(fmt: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, format=fmt)
    assert sniff_format(out.getvalue(), "upload.bin").name == "image"


def test_a_blank_scan_says_no_text_was_recognised() -> None:
    with pytest.raises(FormatError) as err:
        read_bytes(_png(np.full((400, 300, 3), 255, np.uint8)), "blank.png")
    assert err.value.code == "JX-E493"
    assert err.value.where.file == "blank.png"


@pytest.mark.parametrize("shape", [(1, 1, 3), (8, 2000, 3), (2000, 12, 3)])
def test_a_thumbnail_or_a_strip_says_no_text_was_recognised(shape: tuple[int, int, int]) -> None:
    with pytest.raises(FormatError) as err:
        read_bytes(_png(np.full(shape, 255, np.uint8)), "tiny.png")
    assert err.value.code == "JX-E493"


def test_a_damaged_image_gets_a_clear_error() -> None:
    data = _png(np.full((50, 50, 3), 255, np.uint8))
    with pytest.raises(FormatError) as err:
        read_bytes(data[:60], "cut.png")
    assert err.value.code == "JX-E490"


def test_an_image_over_the_pixel_limit_is_refused_before_decoding(monkeypatch: Any) -> None:
    from jixiao.formats import scan

    monkeypatch.setattr(scan, "MAX_SCAN_PIXELS", 10_000)
    with pytest.raises(FormatError) as err:
        read_bytes(_png(np.full((200, 200, 3), 255, np.uint8)), "big.png")
    assert err.value.code == "JX-E491"
    assert "200×200" in err.value.message("zh")


@pytest.mark.parametrize(
    "read, kept",
    [
        ("2022-12-31.", "2022-12-31"),
        (":2022-01-01", "2022-01-01"),
        ("·年度资金申请总额", "年度资金申请总额"),
        ("加大，", "加大"),
        ("“=100%", "=100%"),
        ("“绿色青浦”美丽空间体系", "“绿色青浦”美丽空间体系"),  # quotes in pairs are text
        ("绿水清的城市环境。", "绿水清的城市环境。"),  # a sentence keeps its full stop
        ("单位：万元", "单位：万元"),
        ("1,559,500.00", "1,559,500.00"),
        ("2022-", "2022"),
    ],
)
def test_dust_at_either_end_of_a_cell_is_dropped_and_text_is_kept(read: str, kept: str) -> None:
    from jixiao.formats.scan.page import _strip_stray

    assert _strip_stray(read) == kept


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"]),
    st.binary(min_size=0, max_size=400),
)
def test_bytes_that_only_look_like_an_image_give_a_jixiao_error(signature: bytes, tail: bytes) -> None:
    with pytest.raises(FormatError) as err:
        read_bytes(signature + tail, "upload.bin")
    assert err.value.code in ("JX-E490", "JX-E493")
