"""Test scans made from the forms jixiao renders: raster pages, tilt, speckle, a red seal, JPEG.

Every degradation is seeded, so a scan is the same on every run and a count of exact fields is a
fair regression check.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from jixiao.formats.render.pdf import font_dirs

RGB = NDArray[np.uint8]


@dataclass(frozen=True)
class Condition:
    """How a test scan was made."""

    dpi: int
    tilt: float = 0.0
    speckle: float = 0.0  # share of pixels flipped to black or white
    seal: bool = False
    jpeg: int | None = None  # JPEG quality, None for PNG

    @property
    def label(self) -> str:
        parts = [f"{self.dpi}dpi"]
        if self.tilt:
            parts.append(f"tilt{self.tilt:+g}")
        if self.speckle:
            parts.append("speckle")
        if self.seal:
            parts.append("seal")
        if self.jpeg:
            parts.append(f"jpeg{self.jpeg}")
        return "-".join(parts)


def rasterize(pdf: bytes, dpi: int) -> list[RGB]:
    """Return every page of a PDF as an RGB image at ``dpi``."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in doc:
            bitmap = page.render(scale=dpi / 72)
            pages.append(np.asarray(bitmap.to_pil().convert("RGB")))
        return pages
    finally:
        doc.close()


def tilt(image: RGB, degrees: float) -> RGB:
    """Return the page rotated by ``degrees`` on a white canvas large enough to hold it."""
    h, w = image.shape[:2]
    rad = math.radians(abs(degrees))
    nw = int(w * math.cos(rad) + h * math.sin(rad)) + 2
    nh = int(h * math.cos(rad) + w * math.sin(rad)) + 2
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    matrix[0, 2] += (nw - w) / 2
    matrix[1, 2] += (nh - h) / 2
    out: RGB = cv2.warpAffine(image, matrix, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    return out


def speckle(image: RGB, share: float, seed: int) -> RGB:
    """Return the page with ``share`` of its pixels turned into black or white dust."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    h, w = out.shape[:2]
    n = int(h * w * share)
    ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
    out[ys[: n // 2], xs[: n // 2]] = 0
    out[ys[n // 2 :], xs[n // 2 :]] = 255
    return out


def _font(size: int) -> ImageFont.FreeTypeFont:
    for folder in font_dirs():
        for name in ("NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc"):
            try:
                return ImageFont.truetype(f"{folder}/{name}", size)
            except OSError:
                continue
    raise RuntimeError("no CJK font")  # pragma: no cover - font_dirs() raised already


def seal(image: RGB, center: tuple[float, float], radius_share: float = 0.075) -> RGB:
    """Return the page with a red round seal (ring, star, unit name) stamped over it.

    The seal is multiplied onto the page as ink is: black text under it stays black.
    """
    h, w = image.shape[:2]
    r = int(w * radius_share)
    cx, cy = int(center[0] * w), int(center[1] * h)
    stamp = Image.new("RGB", (w, h), (255, 255, 255))
    draw = ImageDraw.Draw(stamp)
    red = (215, 40, 45)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(3, r // 14))
    star = []
    for k in range(10):
        rr = r * (0.32 if k % 2 == 0 else 0.13)
        a = math.pi / 2 + k * math.pi / 5
        star.append((cx + rr * math.cos(a), cy - rr * math.sin(a)))
    draw.polygon(star, fill=red)
    text = "上海市青浦区财政局专用章"
    font = _font(max(10, r // 4))
    span = math.radians(240)
    for k, ch in enumerate(text):
        a = math.radians(210) - span * k / (len(text) - 1)
        x = cx + r * 0.72 * math.cos(a)
        y = cy - r * 0.72 * math.sin(a)
        glyph = Image.new("L", (r // 3, r // 3), 0)
        ImageDraw.Draw(glyph).text((0, 0), ch, font=font, fill=255)
        glyph = glyph.rotate(math.degrees(a) - 90, expand=True)
        stamp.paste(
            Image.new("RGB", glyph.size, red),
            (int(x) - glyph.size[0] // 2, int(y) - glyph.size[1] // 2),
            glyph,
        )
    draw.text((cx - r * 0.45, cy + r * 0.35), "绩效专用", font=_font(max(8, r // 5)), fill=red)
    stamped = np.asarray(stamp, dtype=np.uint16)
    out: RGB = (image.astype(np.uint16) * stamped // 255).astype(np.uint8)
    return out


def jpeg(image: RGB, quality: int) -> bytes:
    """Return the page as JPEG bytes."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def png(image: RGB) -> bytes:
    """Return the page as PNG bytes."""
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def make_scan(page: RGB, cond: Condition, seed: int) -> bytes:
    """Return the image file (PNG or JPEG) of one rendered page degraded as ``cond`` says."""
    image = page
    if cond.seal:
        # Over the 实施单位 and the amounts at the top right, where a unit stamps its form.
        image = seal(image, (0.72, 0.2))
    if cond.speckle:
        image = speckle(image, cond.speckle, seed)
    if cond.tilt:
        image = tilt(image, cond.tilt)
    return jpeg(image, cond.jpeg) if cond.jpeg else png(image)
