"""The static export: plain files whose relative links all resolve, from disk or any sub-path."""

from __future__ import annotations

import json
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
        "embed/index.html",
        "index.html",
        "present/ambitie/index.html",
        "present/index.html",
        "present/leiderschap/index.html",
        "present/orde/index.html",
        "print/index.html",
        "scan/index.html",
        "scan/papier/index.html",
        "stops/ambitie/index.html",
        "stops/ambitie/werkblad/index.html",
        "stops/leiderschap/index.html",
        "stops/leiderschap/werkblad/index.html",
        "stops/orde/index.html",
        "stops/orde/werkblad/index.html",
        "toegankelijkheid/index.html",
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
    station = BeautifulSoup((exported / "stops" / "orde" / "index.html").read_text(), "html.parser")
    assert station.select_one("img.station__qr")["src"] == "../../qr/orde.svg"


def test_export_without_pdfs_does_not_link_to_them(exported: Path) -> None:
    assert not list(exported.rglob("*.pdf"))
    assert not [link for page in exported.rglob("*.html") for link in links(page) if link.endswith(".pdf")]


def test_export_without_base_url_leaves_qr_codes_out(tmp_path: Path) -> None:
    export_site(replace(Settings(), content_dir=VALID), tmp_path / "site", pdf=False)
    page = BeautifulSoup((tmp_path / "site" / "stops" / "orde" / "index.html").read_text(), "html.parser")
    assert page.select("img.station__qr") == []
    assert not (tmp_path / "site" / "qr").exists()


def test_metro_export_with_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gids"
    code = metro(["--content", str(VALID), "export", str(out), "--zip", "--no-pdf"])
    assert code == 0
    report = capsys.readouterr().out
    assert "index.html" in report and f"Ingepakt: {out}.zip" in report
    with zipfile.ZipFile(f"{out}.zip") as archive:
        assert "gids/index.html" in archive.namelist()
        assert "gids/stops/orde/index.html" in archive.namelist()


def test_export_refuses_broken_content(tmp_path: Path, content_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content_copy / "02-orde.md").write_text("no front matter")
    assert metro(["--content", str(content_copy), "export", str(tmp_path / "out"), "--no-pdf"]) == 1
    assert "kop ontbreekt" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# -- never a lost user file ----------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_refuses_a_folder_with_someone_elses_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "vergadering"
    out.mkdir()
    (out / "mijn-notulen.docx").write_bytes(b"notulen van de raad")
    before = snapshot(out)
    assert metro(["--content", str(VALID), "export", str(out), "--no-pdf"]) == 1
    err = capsys.readouterr().err
    assert "niet leeg" in err and "mijn-notulen.docx" in err and "Traceback" not in err
    assert snapshot(out) == before


def test_export_into_an_earlier_export_replaces_only_its_own_files(tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(replace(Settings(), content_dir=VALID), out, pdf=False)
    (out / "stops" / "verouderd").mkdir()
    (out / "stops" / "verouderd" / "index.html").write_text("oud")  # not ours: never removed
    manifest = json.loads((out / ".zevenstops.json").read_text())
    manifest["files"].append("stops/weg/index.html")  # ours from an earlier run, gone from this one
    (out / ".zevenstops.json").write_text(json.dumps(manifest))
    (out / "stops" / "weg").mkdir()
    (out / "stops" / "weg" / "index.html").write_text("van een eerdere export")
    (out / "notities.txt").write_text("van de griffier")

    export_site(replace(Settings(), content_dir=VALID), out, pdf=False)
    assert (out / "notities.txt").read_text() == "van de griffier"
    assert (out / "stops" / "verouderd" / "index.html").read_text() == "oud"
    assert not (out / "stops" / "weg").exists()
    assert (out / "stops" / "orde" / "index.html").is_file()


def test_export_never_overwrites_a_file_it_did_not_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    export_site(replace(Settings(), content_dir=VALID), out, pdf=False)
    manifest = json.loads((out / ".zevenstops.json").read_text())
    manifest["files"].remove("print/index.html")  # as if someone put their own booklet there
    (out / ".zevenstops.json").write_text(json.dumps(manifest))
    (out / "print" / "index.html").write_text("eigen boekje")
    before = snapshot(out)
    assert metro(["--content", str(VALID), "export", str(out), "--no-pdf"]) == 1
    assert "print/index.html" in capsys.readouterr().err
    assert snapshot(out) == before


def test_zip_never_replaces_someone_elses_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gids"
    (tmp_path / "gids.zip").write_bytes(b"iemands archief")
    assert metro(["--content", str(VALID), "export", str(out), "--zip", "--no-pdf"]) == 1
    assert "gids.zip" in capsys.readouterr().err
    assert (tmp_path / "gids.zip").read_bytes() == b"iemands archief"
    # A zip it made itself is replaced on the next export.
    (tmp_path / "gids.zip").unlink()
    assert metro(["--content", str(VALID), "export", str(out), "--zip", "--no-pdf"]) == 0
    assert metro(["--content", str(VALID), "export", str(out), "--zip", "--no-pdf"]) == 0


def test_metro_pdf_refuses_a_folder_with_someone_elses_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pdf"
    out.mkdir()
    (out / "begroting.xlsx").write_bytes(b"cijfers")
    code = metro(["--content", str(VALID), "pdf", str(out), "--base-url", "https://gids.example.nl/"])
    assert code == 1
    assert "begroting.xlsx" in capsys.readouterr().err
    assert snapshot(out) == {"begroting.xlsx": b"cijfers"}


def test_metro_pdf_asks_for_the_public_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert metro(["--content", str(VALID), "pdf", str(tmp_path / "pdf")]) == 1
    assert "--base-url" in capsys.readouterr().err
    assert not (tmp_path / "pdf").exists()


def test_export_links_and_qr_codes_use_one_style(exported: Path) -> None:
    """Folders everywhere: links spell out index.html (from disk), QR codes end in the folder."""
    from app.qr import qr_svg

    station = BeautifulSoup((exported / "stops" / "orde" / "index.html").read_text(), "html.parser")
    nav = [a["href"] for a in station.select(".station__nav a")]
    assert nav == ["../../stops/ambitie/index.html", "../../stops/leiderschap/index.html", "../../index.html"]
    # Decoded for real in tests/deploy; here: the code is the one made for the folder address.
    assert (exported / "qr" / "orde.svg").read_bytes() == qr_svg("https://gids.example.nl/zevenstops/stops/orde/")
