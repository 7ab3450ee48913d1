"""`metro check` warns when a stop's handout would print on more than two A4 pages: printed or estimated."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from app import handout
from app.browser import chromium_path
from app.cli import main as metro
from app.config import Settings
from app.content import load_guide
from app.web import create_app
from tests.conftest import FIXTURES, REAL_CONTENT

LONG = FIXTURES / "handout" / "03-leiderschap.md"  # the valid stop 3 with six long practice examples
needs_chromium = pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed")


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts afresh, in a cache folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def long_stop(content_copy: Path) -> Path:
    shutil.copyfile(LONG, content_copy / LONG.name)
    return content_copy


def settings_for(root: Path, tmp_path: Path) -> Settings:
    return replace(Settings(), content_dir=root, data_dir=tmp_path / "data")


def test_the_counts_are_kept_outside_the_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert handout.cache_dir() == tmp_path / "cache" / "zevenstops"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert handout.cache_dir() == Path.home() / ".cache" / "zevenstops"


@needs_chromium
def test_a_handout_over_two_pages_is_warned_as_printed(long_stop: Path, tmp_path: Path) -> None:
    settings = settings_for(long_stop, tmp_path)
    guide = load_guide(long_stop, relative_to=long_stop)
    pages = {m.slug: (m.pages, m.printed) for m in handout.measure(guide, settings)}
    assert pages["leiderschap"][0] > 2 and pages["leiderschap"][1]
    assert pages["ambitie"] == (1, True) and pages["orde"] == (1, True)
    [warning] = handout.handout_warnings(guide, settings)
    assert str(warning) == (
        f"03-leiderschap.md:1: waarschuwing: de hand-out van halte 3 'Leiderschap' (/stops/leiderschap.pdf) telt "
        f"{pages['leiderschap'][0]} A4-pagina's; op één vel (twee kanten) passen er 2 (gemeten in de afdruk van "
        "Chromium, zoals de pdf): kort de toelichting in, of laat een citaat of praktijkvoorbeeld weg"
    )


def test_without_chromium_the_pages_are_estimated_and_said_so(
    long_stop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZEVENSTOPS_CHROMIUM", str(tmp_path / "no-chromium"))
    assert chromium_path() is None
    guide = load_guide(long_stop, relative_to=long_stop)
    [warning] = handout.handout_warnings(guide, settings_for(long_stop, tmp_path))
    assert warning.path == "03-leiderschap.md" and warning.line == 1
    assert "de hand-out van halte 3 'Leiderschap' (/stops/leiderschap.pdf) telt 3 A4-pagina's" in warning.message
    assert "geschat uit de lengte van de tekst: Chromium is er niet" in warning.message


def test_a_print_that_fails_falls_back_to_the_estimate_and_says_why(
    long_stop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_: object) -> dict[str, int]:
        raise RuntimeError("Target page, context or browser has been closed")

    monkeypatch.setattr("app.browser.chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(handout, "_print_pages", fail)
    guide = load_guide(long_stop, relative_to=long_stop)
    [warning] = handout.handout_warnings(guide, settings_for(long_stop, tmp_path))
    assert "telt 3 A4-pagina's" in warning.message
    assert "geschat uit de lengte van de tekst: Chromium drukte de pdf niet af" in warning.message


def test_the_estimate_agrees_with_the_print_on_the_real_content() -> None:
    """The calibration's two ends: the real stops print on two pages; one more example makes three."""
    stations = load_guide(REAL_CONTENT).stations
    assert [handout.estimate_pages(s) for s in stations] == [2] * len(stations)
    longer = [replace(s, examples=(*s.examples, s.examples[0])) for s in stations]
    assert [handout.estimate_pages(s) for s in longer] == [3] * len(stations)


@needs_chromium
def test_a_second_check_prints_nothing_and_an_edit_reprints_only_its_stop(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(content_copy, tmp_path)
    first = handout.measure(load_guide(content_copy), settings)
    printed: list[list[str]] = []
    real = handout._print_pages
    monkeypatch.setattr(
        handout,
        "_print_pages",
        lambda site, base, paths, slugs: printed.append(slugs) or real(site, base, paths, slugs),
    )
    assert handout.measure(load_guide(content_copy), settings) == first
    assert printed == []
    path = content_copy / "02-orde.md"
    path.write_text(path.read_text().replace("Eerste citaat van halte 2.", "Een ander eerste citaat van halte 2."))
    handout.measure(load_guide(content_copy), settings)
    assert printed == [["orde"]]


def test_metro_check_prints_the_warning_and_passes(
    long_stop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert metro(["check", "--content", str(long_stop)]) == 0
    out = capsys.readouterr()
    assert "03-leiderschap.md:1: waarschuwing: de hand-out van halte 3 'Leiderschap'" in out.err
    assert "In orde: 3 haltes" in out.out


@needs_chromium
def test_an_image_is_printed_in_the_handout_pdf(content_copy: Path, tmp_path: Path) -> None:
    folder = content_copy / "afbeeldingen"
    folder.mkdir()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    (folder / "ondertekening.png").write_bytes(out.getvalue())
    path = content_copy / "03-leiderschap.md"
    text = "Dit is testtekst voor de gids."
    path.write_text(path.read_text().replace(text, f"{text}\n\n![Wethouders](afbeeldingen/ondertekening.png)", 1))
    with TestClient(create_app(settings_for(content_copy, tmp_path))) as client:
        response = client.get("/stops/leiderschap.pdf")
    assert response.status_code == 200
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        sizes = [
            (int(x.Width), int(x.Height))
            for page in pdf.pages
            for x in page.images.values()
            if x.get("/Subtype") == "/Image"
        ]
    assert (64, 48) in sizes


def test_a_broken_or_unwritable_cache_only_costs_a_print(
    content_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed: list[list[str]] = []
    monkeypatch.setattr("app.browser.chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(
        handout, "_print_pages", lambda site, base, paths, slugs: printed.append(slugs) or dict.fromkeys(slugs, 1)
    )
    cache = handout.cache_dir() / handout.CACHE_NAME
    cache.parent.mkdir(parents=True)
    cache.write_text("{niet: json")
    guide = load_guide(content_copy)
    settings = settings_for(content_copy, tmp_path)
    assert [m.pages for m in handout.measure(guide, settings)] == [1, 1, 1]
    assert [m.pages for m in handout.measure(guide, settings)] == [1, 1, 1]
    assert printed == [["ambitie", "orde", "leiderschap"]]
    cache.unlink()
    cache.mkdir()  # a cache that cannot be written (even as root): every check prints, none fails
    handout.measure(guide, settings)
    handout.measure(guide, settings)
    assert len(printed) == 3
    assert sorted(p.name for p in cache.parent.iterdir()) == [handout.CACHE_NAME]  # no half-written file left
