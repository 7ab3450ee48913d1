"""Images as content: files in afbeeldingen/, checked, served, exported and printed like the pages."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app.config import Settings
from app.content.images import pixel_size
from app.export import export_site
from app.web import create_app
from tests.conftest import soup
from tests.test_content import C
from tests.test_editor_mistakes import load, refused

TEXT = "Dit is testtekst voor de gids."


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


def add_image(root: Path, name: str, data: bytes, markdown: str | None = None) -> None:
    folder = root / "afbeeldingen"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    path = root / C
    markdown = markdown if markdown is not None else f"![Wethouders bij de ondertekening](afbeeldingen/{name})"
    path.write_text(path.read_text().replace(TEXT, f"{TEXT}\n\n{markdown}", 1))


def line_of(root: Path, needle: str) -> int:
    return next(i for i, line in enumerate((root / C).read_text().split("\n"), 1) if needle in line)


@pytest.mark.parametrize(
    ("fmt", "save"),
    [
        ("PNG", {}),
        ("JPEG", {}),
        ("JPEG", {"progressive": True}),
        ("JPEG", {"exif": b"Exif\x00\x00" + b"\x00" * 60000}),  # a camera's metadata before the frame
        ("WEBP", {"lossless": False}),
        ("WEBP", {"lossless": True}),
    ],
)
@pytest.mark.parametrize("size", [(1, 1), (40, 30), (3000, 17)])
def test_the_header_reader_finds_the_pixel_size(fmt: str, save: dict[str, object], size: tuple[int, int]) -> None:
    expected = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}[fmt]
    assert pixel_size(image_bytes(fmt, size, **save)) == (expected, *size)


def test_the_header_reader_knows_extended_webp() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (2500, 9), (0, 0, 0, 0)).save(out, "WEBP")  # alpha: the VP8X header
    assert pixel_size(out.getvalue()) == ("webp", 2500, 9)


@pytest.mark.parametrize("data", [b"", b"GIF89a" + b"\x00" * 40, b"<svg/>", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"])
def test_the_header_reader_refuses_what_it_does_not_know(data: bytes) -> None:
    assert pixel_size(data) is None


def test_an_image_is_served_exported_and_shown_at_its_address(content_copy: Path, tmp_path: Path) -> None:
    data = image_bytes("PNG")
    add_image(content_copy, "ondertekening.png", data)
    settings = replace(Settings(), content_dir=content_copy)
    with TestClient(create_app(settings)) as client:
        page = client.get("/stops/leiderschap/")
        img = soup(page).select_one("main img[alt^=Wethouders]")
        assert img is not None and img["alt"] == "Wethouders bij de ondertekening"
        assert img["src"] == "../../afbeeldingen/ondertekening.png"  # relative: works under any sub-path
        served = client.get(urljoin("http://testserver/stops/leiderschap/", str(img["src"])))
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png" and served.content == data
        booklet = soup(client.get("/print/")).select_one("main img[alt^=Wethouders]")
        assert booklet is not None and booklet["src"] == "../afbeeldingen/ondertekening.png"
    out = tmp_path / "site"
    export_site(settings, out, base_url="https://gids.example.nl/zevenstops/", pdf=False)
    assert (out / "afbeeldingen" / "ondertekening.png").read_bytes() == data
    exported = (out / "stops" / "leiderschap" / "index.html").read_text()
    assert 'src="../../afbeeldingen/ondertekening.png"' in exported


def test_a_large_photo_is_warned(content_copy: Path) -> None:
    add_image(content_copy, "groot.jpg", image_bytes("JPEG", (3000, 2000), quality=100, subsampling=0))
    line = line_of(content_copy, "groot.jpg")
    warnings = [str(w) for w in load(content_copy).warnings]
    assert warnings[0] == (
        f"03-leiderschap.md:{line}: waarschuwing: afbeelding 'groot.jpg' is 3000×2000 beeldpunten; meer dan 2400 "
        "breed is niet nodig en maakt de pagina traag: verklein de foto"
    )


def test_a_heavy_file_is_warned(content_copy: Path) -> None:
    data = image_bytes("PNG")
    add_image(content_copy, "zwaar.png", data + b"\x00" * (1024 * 1024 + 1))
    assert [str(w) for w in load(content_copy).warnings] == [
        f"03-leiderschap.md:{line_of(content_copy, 'zwaar.png')}: waarschuwing: afbeelding 'zwaar.png' is 1.0 MB; "
        "boven 1 MB laadt de pagina traag op een telefoon: verklein de foto of sla hem op met meer compressie"
    ]


IMAGE_MISTAKES = [
    (
        "an image that is not there",
        None,
        "![Foto](afbeeldingen/weg.png)",
        "afbeelding 'afbeeldingen/weg.png' niet gevonden in de map 'afbeeldingen'",
    ),
    (
        "an image beside the stop instead of in afbeeldingen/",
        None,
        "![Foto](ondertekening.jpg)",
        "afbeelding 'ondertekening.jpg': zet afbeeldingen in de map 'afbeeldingen' naast de teksten en schrijf "
        "![omschrijving](afbeeldingen/ondertekening.jpg)",
    ),
    (
        "an image from the web",
        None,
        "![Foto](https://example.org/foto.jpg)",
        "afbeelding van buiten de gids: 'https://example.org/foto.jpg'; zet het bestand in de inhoudsmap en verwijs "
        "er zo naar: ![omschrijving](foto.png)",
    ),
    (
        "an SVG drawing",
        ("tekening.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        "![Tekening](afbeeldingen/tekening.svg)",
        "afbeelding 'tekening.svg': dit soort bestand kan de gids niet tonen; gebruik JPG, PNG of WebP "
        "(SVG kan script bevatten en is daarom niet toegestaan)",
    ),
    (
        "a GIF",
        ("bewegend.gif", b"GIF89a" + b"\x00" * 40),
        "![Foto](afbeeldingen/bewegend.gif)",
        "afbeelding 'bewegend.gif': dit soort bestand kan de gids niet tonen; gebruik JPG, PNG of WebP",
    ),
    (
        "a file whose contents do not match its name",
        ("foto.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),
        "![Foto](afbeeldingen/foto.jpg)",
        "afbeelding 'foto.jpg' is geen JPEG-bestand (de inhoud past niet bij de naam): sla het opnieuw op als JPG, "
        "PNG of WebP",
    ),
    (
        "an image without a description",
        ("foto.png", image_bytes("PNG")),
        "![](afbeeldingen/foto.png)",
        "afbeelding zonder omschrijving: zet tussen [ ] wat erop te zien is",
    ),
]


@pytest.mark.parametrize(("kind", "file", "markdown", "expected"), IMAGE_MISTAKES, ids=[m[0] for m in IMAGE_MISTAKES])
def test_image_mistakes_are_refused_with_file_and_line(
    content_copy: Path, kind: str, file: tuple[str, bytes] | None, markdown: str, expected: str
) -> None:
    if file:
        add_image(content_copy, file[0], file[1], markdown)
    else:
        path = content_copy / C
        path.write_text(path.read_text().replace(TEXT, f"{TEXT}\n\n{markdown}", 1))
    assert refused(content_copy) == [f"03-leiderschap.md:{line_of(content_copy, markdown)}: {expected}"]


def test_a_photo_over_ten_megabytes_is_refused(content_copy: Path) -> None:
    add_image(content_copy, "enorm.jpg", b"")
    with (content_copy / "afbeeldingen" / "enorm.jpg").open("wb") as file:
        file.truncate(30 * 1024 * 1024)  # sparse: 30 MB without writing them
    assert refused(content_copy) == [
        f"03-leiderschap.md:{line_of(content_copy, 'enorm.jpg')}: afbeelding 'enorm.jpg' is 30 MB; hoogstens 10 MB "
        "mag: verklein de foto tot 2400 beeldpunten breed"
    ]
