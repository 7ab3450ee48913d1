"""QR codes (SVG, made by segno) that lead attendees and readers to the online guide."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

import segno


@lru_cache(maxsize=256)
def qr_svg(url: str) -> bytes:
    """A standalone SVG: the QR code for `url` with the address printed under it.

    The caption lets people type the address when they cannot scan; it leaves out the
    scheme, as people say it ("gids.gemeente.nl/stops/leiderschap").
    """
    code = segno.make(url, error="m")
    size = code.symbol_size(scale=1, border=2)[0]
    modules = code.svg_inline(scale=1, border=2, omitsize=True, dark="#000")
    path = re.search(r"<path[^>]*/>", modules)
    caption = re.sub(r"^https?://", "", url).rstrip("/")
    font = 2.2 if len(caption) <= 30 else 66 / len(caption)
    height = size + 4
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {height}" role="img">'
        f"<title>QR-code: {escape(caption)}</title>"
        f'<rect width="{size}" height="{height}" fill="#fff"/>'
        f"{path.group(0) if path else ''}"
        f'<text x="{size / 2}" y="{size + 2.5}" font-family="sans-serif" font-size="{font:.2f}" '
        f'text-anchor="middle" fill="#000">{escape(caption)}</text></svg>'
    )
    return svg.encode()
