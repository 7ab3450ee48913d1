"""The static export: plain files whose relative links all resolve, from disk or any sub-path."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from app.cli import main as metro
from app.config import Settings
from app.export import export_site
from tests.conftest import VALID


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "site"
    export_site(replace(Settings(), content_dir=VALID), out, base_url="https://gids.example.nl/zevenstops/", pdf=False)
    return out


def links(html_file: Path) -> list[str]:
    page = BeautifulSoup(html_file.read_text(), "html.parser")
    return [tag.get("href") or tag.get("src") for tag in page.select("[href], [src]")]


def test_export_writes_every_page(exported: Path) -> None:
    files = sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file())
    pages = [f for f in files if f.endswith(".html")]
    assert pages == [
        "404.html",
        "embed.html",
        "index.html",
        "present/ambitie.html",
        "present/index.html",
        "present/leiderschap.html",
        "present/orde.html",
        "print.html",
        "scan/index.html",
        "scan/papier.html",
        "stops/ambitie.html",
        "stops/ambitie/werkblad.html",
        "stops/leiderschap.html",
        "stops/leiderschap/werkblad.html",
        "stops/orde.html",
        "stops/orde/werkblad.html",
    ]
    assert "qr/gids.svg" in files and "qr/orde.svg" in files
    assert any(f.startswith("static/app.") and f.endswith(".css") for f in files)


def test_every_relative_link_resolves_to_a_file(exported: Path) -> None:
    broken = []
    for html_file in exported.rglob("*.html"):
        if html_file.name == "404.html":  # served by a web server for any path: links from the root
            continue
        for link in links(html_file):
            parts = urlsplit(link)
            if parts.scheme or link.startswith("#") or link.startswith("//"):
                continue
            target = (html_file.parent / unquote(parts.path)).resolve()
            if not target.is_file():
                broken.append(f"{html_file.relative_to(exported)}: {link}")
    assert broken == []


def test_export_has_no_server_only_links(exported: Path) -> None:
    index = BeautifulSoup((exported / "index.html").read_text(), "html.parser")
    assert index.select('link[type="application/json+oembed"]') == []  # no server to answer it
    station = BeautifulSoup((exported / "stops" / "orde.html").read_text(), "html.parser")
    assert station.select_one("img.station__qr")["src"] == "../qr/orde.svg"


def test_export_without_pdfs_does_not_link_to_them(exported: Path) -> None:
    assert not list(exported.rglob("*.pdf"))
    assert not [link for page in exported.rglob("*.html") for link in links(page) if link.endswith(".pdf")]


def test_export_without_base_url_leaves_qr_codes_out(tmp_path: Path) -> None:
    export_site(replace(Settings(), content_dir=VALID), tmp_path / "site", pdf=False)
    page = BeautifulSoup((tmp_path / "site" / "stops" / "orde.html").read_text(), "html.parser")
    assert page.select("img.station__qr") == []
    assert not (tmp_path / "site" / "qr").exists()


def test_metro_export_with_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gids"
    code = metro(["--content", str(VALID), "export", str(out), "--zip", "--no-pdf"])
    assert code == 0
    report = capsys.readouterr().out
    assert "index.html" in report and f"Packed {out}.zip" in report
    with zipfile.ZipFile(f"{out}.zip") as archive:
        assert "gids/index.html" in archive.namelist()
        assert "gids/stops/orde.html" in archive.namelist()


def test_export_refuses_broken_content(tmp_path: Path, content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "02-orde.md").write_text("no front matter")
    assert metro(["--content", str(content_copy), "export", str(tmp_path / "out"), "--no-pdf"]) == 1
    assert "front matter missing" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
