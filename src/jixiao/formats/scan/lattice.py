"""Table structure from a page image: ruling lines by morphology, cells from their intersections.

The page is first cleaned for recognition: the red channel alone is kept as the grey image, so a red
seal (公章, printed or stamped over the text) turns almost white while black and blue ink stay dark;
the page is then deskewed by the angle at which its rows of ink line up best (a scan or a photo
tilted by a few degrees).

Ruling lines are what survives an opening of the binarised page with a long thin kernel (the usual
OpenCV recipe); a vertical segment counts only when it runs from one horizontal line to another,
so a stroke of a character never becomes a column. The distinct line positions make a lattice of
elementary cells; two neighbouring elementary cells whose shared border has no ruling segment belong
to one merged cell, which gives the row and column spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

__all__ = ["Lattice", "LatticeCell", "Page", "despeckle", "find_lattice", "prepare_page"]

Image = NDArray[Any]

# Long side of the working image: an A4 page at ~200 dpi. Larger scans are reduced (the
# recogniser works on 48-pixel-high lines; more pixels cost time and add nothing).
MAX_SIDE = 2400
MAX_SKEW_DEGREES = 5.0
# A border between two elementary cells exists when ruling covers this share of it.
_COVER = 0.6


@dataclass(slots=True)
class Page:
    """A page ready for recognition: deskewed grey image, and how it maps back to the input."""

    gray: Image
    angle: float  # degrees the input was rotated by to deskew it
    scale: float  # working pixels per input pixel
    input_size: tuple[int, int]  # (width, height) of the input image

    def to_input(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """Return a working-image box as the bounding box of its corners in the input image."""
        h, w = self.gray.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), self.angle, 1.0)
        inverse = cv2.invertAffineTransform(matrix)
        x0, y0, x1, y1 = box
        corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], dtype=np.float64)
        mapped = corners @ inverse.T / self.scale
        return (
            round(float(mapped[:, 0].min()), 1),
            round(float(mapped[:, 1].min()), 1),
            round(float(mapped[:, 0].max()), 1),
            round(float(mapped[:, 1].max()), 1),
        )


@dataclass(frozen=True, slots=True)
class LatticeCell:
    """One (possibly merged) cell of the lattice: its position, spans and box in working pixels."""

    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1


@dataclass(slots=True)
class Lattice:
    """The ruling of a page: line positions, the cells between them, and a mask of the ink of lines."""

    xs: list[int]
    ys: list[int]
    cells: list[LatticeCell]
    line_mask: Image

    def cell_at(self, x: float, y: float) -> LatticeCell | None:
        """Return the cell holding the point ``(x, y)``, or None outside every cell."""
        for cell in self.cells:
            x0, y0, x1, y1 = cell.box
            if x0 <= x < x1 and y0 <= y < y1:
                return cell
        return None


def _binarize(gray: Image) -> Image:
    """Ink as 255 on 0: a local threshold copes with the uneven light of a photo.

    No smoothing: at 150 dpi a ruling line is one pixel wide and a median filter breaks it; dust
    does not survive the long openings that find the lines.
    """
    block = max(15, (min(gray.shape[:2]) // 60) | 1)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)


def _rotate(image: Image, angle: float, border: int) -> Image:
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )


def skew_angle(binary: Image) -> float:
    """Return the rotation (degrees) that makes the page's rows of ink most sharply horizontal.

    The projection-profile method: rotated by the right angle, ruling lines and text lines each
    fall into few pixel rows, so the variance of the row sums peaks. A coarse search over
    ±:data:`MAX_SKEW_DEGREES` is refined around its best angle.
    """
    h, w = binary.shape[:2]
    factor = 800 / max(h, w)
    small = cv2.resize(
        binary, (max(1, int(w * factor)), max(1, int(h * factor))), interpolation=cv2.INTER_AREA
    )

    def score(angle: float) -> float:
        rotated = _rotate(small, angle, 0)
        return float(np.var(rotated.sum(axis=1, dtype=np.float64)))

    def best(candidates: NDArray[np.float64]) -> float:
        return float(max(candidates, key=score))

    coarse = best(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5))
    fine = best(np.arange(coarse - 0.5, coarse + 0.51, 0.1))
    return best(np.arange(fine - 0.1, fine + 0.101, 0.02))


# Grey levels from the white point up print as paper: a red seal is ~215 in the red channel, the
# paper of a scan 200-255. Dark ink is kept as it is (darkening the anti-aliased edges of strokes
# closes the counters of 日 and 目, and the recogniser then confuses them).
_WHITE_POINT = 190
_KNEE = 128
_LEVELS = np.array(
    [
        v if v <= _KNEE else min(255, _KNEE + (v - _KNEE) * (255 - _KNEE) // (_WHITE_POINT - _KNEE))
        for v in range(256)
    ],
    dtype=np.uint8,
)
_RED_MARGIN = 60
_SPECK_AREA = 2  # pixels: scanner dust; the decimal point of an amount is larger even at 150 dpi


def despeckle(gray: Image) -> Image:
    """Return the page without single-pixel dust and pin holes (for recognition only).

    Black specks and white holes of at most :data:`_SPECK_AREA` pixels are filled with the tone
    around them. Not used for finding lines: at 150 dpi a ruling line breaks into specks too.
    """
    out = gray.copy()
    for ink, fill in (((out < 128).astype(np.uint8), 255), ((out >= 128).astype(np.uint8), 0)):
        _count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=4 if fill == 0 else 8)
        small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= _SPECK_AREA)
        small = small[small > 0]
        if small.size:
            out[np.isin(labels, small)] = fill
    return out


def prepare_page(rgb: Image) -> Page:
    """Return the page as a deskewed grey image without its red ink (the red channel alone).

    The red channel drops a red seal (公章) over the text while black and blue ink stay dark.
    """
    h, w = rgb.shape[:2]
    if rgb.ndim == 3:
        gray = np.ascontiguousarray(rgb[:, :, 0])
        # JPEG keeps colour at half resolution, so a red stroke comes back darker in the red channel;
        # what is still clearly red (red well above green and blue) is seal ink all the same.
        signed = rgb.astype(np.int16)
        redness = signed[:, :, 0] - np.maximum(signed[:, :, 1], signed[:, :, 2])
        # Dark ink under the seal (a line, a character) is dark in red too: it stays.
        gray[(redness > _RED_MARGIN) & (signed[:, :, 0] > 140)] = 255
    else:
        gray = rgb
    scale = min(1.0, MAX_SIDE / max(h, w))
    if scale < 1.0:
        gray = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    gray = cv2.LUT(gray, _LEVELS)
    angle = skew_angle(_binarize(gray))
    if abs(angle) >= 0.05:
        gray = _rotate(gray, angle, 255)
    return Page(gray=gray, angle=angle, scale=scale, input_size=(w, h))


def _cluster(
    values: list[tuple[float, tuple[int, int]]], tol: float
) -> list[tuple[int, list[tuple[int, int]]]]:
    """Group line segments by position: ``(position, (start, end))`` → ``(position, intervals)``."""
    groups: list[tuple[list[float], list[tuple[int, int]]]] = []
    for pos, interval in sorted(values):
        if groups and pos - groups[-1][0][-1] <= tol:
            groups[-1][0].append(pos)
            groups[-1][1].append(interval)
        else:
            groups.append(([pos], [interval]))
    return [(round(float(np.median(p))), _merge(iv)) for p, iv in groups]


def _merge(intervals: list[tuple[int, int]], gap: int = 0) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _covered(intervals: list[tuple[int, int]], a: int, b: int) -> float:
    """Return the share of ``[a, b]`` that the intervals cover."""
    if b <= a:
        return 1.0
    total = sum(max(0, min(y, b) - max(x, a)) for x, y in intervals)
    return total / (b - a)


def _segments(mask: Image, horizontal: bool) -> tuple[list[tuple[float, tuple[int, int]]], Image]:
    """Return each connected piece of a line mask as ``(position, (start, end))``, and the labels."""
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, count):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if horizontal:
            out.append((float(centroids[i][1]), (x, x + w)))
        else:
            out.append((float(centroids[i][0]), (y, y + h)))
    return out, labels


def find_lattice(gray: Image) -> Lattice:
    """Return the ruled cells of a deskewed page (none when the page has no ruled table)."""
    binary = _binarize(gray)
    h, w = binary.shape[:2]
    unit = max(8, min(h, w) // 100)  # ~ a third of a text line at any resolution
    horiz = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (unit * 6, 1)))
    vert = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, unit * 2)))
    # Close the small gaps that JPEG blocks, speckle and a faint scan leave in a ruling line.
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (unit, 3)))
    vert = cv2.morphologyEx(vert, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (3, unit)))
    tol = max(3, unit // 2)
    h_segments, _ = _segments(horiz, True)
    h_lines = [(y, iv) for y, iv in _cluster(h_segments, tol) if sum(b - a for a, b in iv) >= unit * 8]
    if len(h_lines) < 2:
        return Lattice([], [], [], np.zeros_like(binary))
    # A vertical segment is ruling only when both its ends meet horizontal ruling.
    v_raw = []
    v_segments, v_labels = _segments(vert, False)
    kept = []
    for n, (x, (y0, y1)) in enumerate(v_segments, start=1):
        # It touches the lines (their ink is in the vertical opening too), so its ends are within a
        # few pixels of them; a stroke of a character stops short of the cell's borders.
        # The horizontal line may stop a little short of it (a gap at a corner of a worn scan).
        reach = unit * 3
        top = any(
            abs(y - y0) <= tol and _covered(iv, int(x) - reach, int(x) + reach) > 0 for y, iv in h_lines
        )
        bottom = any(
            abs(y - y1) <= tol and _covered(iv, int(x) - reach, int(x) + reach) > 0 for y, iv in h_lines
        )
        if top and bottom:
            v_raw.append((x, (y0, y1)))
            kept.append(n)
    # Only validated segments are erased later: a bold title's vertical strokes are not ruling.
    vert = np.where(np.isin(v_labels, kept), 255, 0).astype(np.uint8)
    v_lines = _cluster(v_raw, tol)
    if len(v_lines) < 2:
        return Lattice([], [], [], np.zeros_like(binary))
    xs = [x for x, _ in v_lines]
    ys = [y for y, _ in h_lines]
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    def v_border(r: int, c: int) -> bool:  # the line left of elementary column c, along row r
        return _covered(v_lines[c][1], ys[r] + tol, ys[r + 1] - tol) >= _COVER

    def h_border(r: int, c: int) -> bool:  # the line above elementary row r, along column c
        return _covered(h_lines[r][1], xs[c] + tol, xs[c + 1] - tol) >= _COVER

    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not v_border(r, c + 1):
                parent[find(r * n_cols + c + 1)] = find(r * n_cols + c)
            if r + 1 < n_rows and not h_border(r + 1, c):
                parent[find((r + 1) * n_cols + c)] = find(r * n_cols + c)
    regions: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            regions.setdefault(find(r * n_cols + c), []).append((r, c))
    cells: list[LatticeCell] = []
    for members in regions.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members) + 1
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members) + 1
        closed = (
            all(v_border(r, c0) for r in range(r0, r1))
            and all(v_border(r, c1) for r in range(r0, r1))
            and all(h_border(r0, c) for c in range(c0, c1))
            and all(h_border(r1, c) for c in range(c0, c1))
        )
        if not closed or len(members) != (r1 - r0) * (c1 - c0):
            continue  # open space between tables, or an irregular region: its text stays free text
        cells.append(LatticeCell(r0, c0, r1 - r0, c1 - c0, (xs[c0], ys[r0], xs[c1], ys[r1])))
    cells.sort(key=lambda c: (c.row, c.col))
    line_mask = cv2.dilate(cv2.bitwise_or(horiz, vert), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return Lattice(xs, ys, cells, line_mask)
