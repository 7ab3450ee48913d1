"""Images as content: files in the folder `afbeeldingen/` beside the texts, checked before use.

Only JPEG, PNG and WebP: SVG can carry script, so it is refused. The pixel size is read from the
file's header (no image library at run time); a file whose bytes do not match its name is refused.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

IMAGE_DIR = "afbeeldingen"
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
MAX_BYTES = 10 * 1024 * 1024  # refused above: no page should make a phone load more
WARN_BYTES = 1024 * 1024  # warned above: slow on a phone, and large in the PDFs
WARN_WIDTH = 2400  # warned above: wider than any screen or print of the guide needs


@dataclass(frozen=True)
class ImageFile:
    name: str  # as written in the Markdown: "afbeeldingen/foto.jpg"
    path: Path
    media_type: str


def pixel_size(data: bytes) -> tuple[str, int, int] | None:
    """The format ("png", "jpeg", "webp") and width × height from the header, or None if unknown."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data[:2] == b"\xff\xd8":
        return _jpeg(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    return None


def _jpeg(data: bytes) -> tuple[str, int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2 : i + 4])
        # Start of frame: every SOFn except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return "jpeg", width, height
        if length < 2:
            return None
        i += 2 + length
    return None


def _webp(data: bytes) -> tuple[str, int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return "webp", width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return "webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return "webp", width, height
    return None


def check_image(path: Path, size: int, head: bytes) -> tuple[list[str], list[str]]:
    """Problems and warnings (Dutch) for an image file of `size` bytes starting with `head`."""
    suffix = path.suffix.lower()
    if suffix not in MEDIA_TYPES:
        return [
            f"afbeelding '{path.name}': dit soort bestand kan de gids niet tonen; gebruik JPG, PNG of WebP"
            + (" (SVG kan script bevatten en is daarom niet toegestaan)" if suffix == ".svg" else "")
        ], []
    if size > MAX_BYTES:
        return [
            f"afbeelding '{path.name}' is {size / 1024 / 1024:.0f} MB; hoogstens 10 MB mag: "
            f"verklein de foto tot {WARN_WIDTH} beeldpunten breed"
        ], []
    found = pixel_size(head)
    expected = "jpeg" if suffix in (".jpg", ".jpeg") else suffix[1:]
    if found is None or found[0] != expected:
        return [
            f"afbeelding '{path.name}' is geen {expected.upper()}-bestand (de inhoud past niet bij de naam): "
            "sla het opnieuw op als JPG, PNG of WebP"
        ], []
    warnings = []
    if found[1] > WARN_WIDTH:
        warnings.append(
            f"afbeelding '{path.name}' is {found[1]}×{found[2]} beeldpunten; meer dan {WARN_WIDTH} breed is "
            "niet nodig en maakt de pagina traag: verklein de foto"
        )
    if size > WARN_BYTES:
        warnings.append(
            f"afbeelding '{path.name}' is {size / 1024 / 1024:.1f} MB; boven 1 MB laadt de pagina traag op een "
            "telefoon: verklein de foto of sla hem op met meer compressie"
        )
    return [], warnings
