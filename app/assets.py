"""The static files (stylesheet, script, favicon, logo) with content-hashed names."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass

from app.config import Settings, contrast_ratio, darker, text_on


@dataclass(frozen=True)
class Asset:
    name: str  # as referenced: "app.css"
    hashed: str  # as served: "app.1a2b3c4d.css"
    body: bytes
    media_type: str


def load_assets(settings: Settings) -> dict[str, Asset]:
    """Read static/ into memory with content-hashed names (cacheable for a year).

    The house style travels inside app.css (no extra request); the logo becomes `logo.<ext>`.
    """
    files = {
        p.relative_to(settings.static_dir).as_posix(): p.read_bytes()
        for p in sorted(settings.static_dir.rglob("*"))
        if p.is_file()
    }
    files["app.css"] = files.get("app.css", b"") + theme_css(settings.brand_colour)
    if settings.logo is not None:
        files["logo" + settings.logo.suffix.lower()] = settings.logo.read_bytes()
    assets = {}
    for name, body in files.items():
        digest = hashlib.sha256(body).hexdigest()[:10]
        stem, dot, ext = name.rpartition(".")
        hashed = f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if media_type.startswith("text/") or media_type in ("application/javascript", "image/svg+xml"):
            media_type += "; charset=utf-8"
        assets[name] = Asset(name, hashed, body, media_type)
    return assets


def theme_css(brand: str) -> bytes:
    """Custom properties for the municipality's colour, with readable text and links on it."""
    link = brand
    while contrast_ratio(link, "#ffffff") < 4.5:  # links and coloured text need 4.5:1 on white
        link = darker(link, 0.9)
    return (
        f"\n/* House style (ZEVENSTOPS_BRAND_COLOUR) */\n:root {{ --line: {brand}; --line-dark: {darker(brand)}; "
        f"--on-line: {text_on(brand)}; --link: {link}; }}\n"
    ).encode()
