"""QR codes (SVG, made by segno) that lead attendees and readers to the online guide."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

import segno


@lru_cache(maxsize=256)
def qr_svg(url: str) -> bytes:
    """A standalone, square SVG: the QR code for `url` on white, with its quiet zone.

    The address people can type is not drawn in the image (it would be tiny and unreadable
    to screen readers): the pages print it as text under the code, and in its alt text.
    """
    code = segno.make(url, error="m")
    size = code.symbol_size(scale=1, border=2)[0]
    modules = code.svg_inline(scale=1, border=2, omitsize=True, dark="#000")
    path = re.search(r"<path[^>]*/>", modules)
    shown = re.sub(r"^https?://", "", url).rstrip("/")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" role="img">'
        f"<title>QR-code: {escape(shown)}</title>"
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f"{path.group(0) if path else ''}</svg>"
    )
    return svg.encode()
