"""House style and deployment settings from environment variables."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.cli import main as metro
from app.config import Settings, SettingsError, contrast_ratio
from app.web import create_app
from tests.conftest import VALID, soup


def env(**values: str) -> dict[str, str]:
    return {f"ZEVENSTOPS_{k.upper()}": v for k, v in values.items()}


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.base_url == "" and settings.brand_colour == "#00558c" and settings.frame_ancestors == ("*",)


def test_values_are_read_and_normalised(tmp_path: Path) -> None:
    logo = tmp_path / "wapen.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    settings = Settings.from_env(
        env(
            base_url="https://intranet.gemeente.nl/gids",
            brand_colour="#C8102E",
            title="Gemeente Voorbeeld",
            logo=str(logo),
            frame_ancestors="https://intranet.gemeente.nl 'self'",
        )
    )
    assert settings.base_url == "https://intranet.gemeente.nl/gids/"
    assert settings.brand_colour == "#c8102e"
    assert settings.site_title == "Gemeente Voorbeeld"
    assert settings.logo == logo
    assert settings.frame_ancestors == ("https://intranet.gemeente.nl", "'self'")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"base_url": "intranet.nl"}, "ZEVENSTOPS_BASE_URL moet beginnen met http:// of https://"),
        ({"base_url": "https://gids.nl/'; script-src *"}, "ZEVENSTOPS_BASE_URL: het pad"),
        ({"base_url": 'https://gids"x.nl/'}, "geen geldige hostnaam"),
        ({"base_url": "https://gids.nl/?a=1"}, "ZEVENSTOPS_BASE_URL mag geen ? of # bevatten"),
        ({"base_url": "wss://gids.nl/"}, "ZEVENSTOPS_BASE_URL moet beginnen met http:// of https://"),
        ({"brand_colour": "red"}, "ZEVENSTOPS_BRAND_COLOUR moet een kleur zijn zoals #00558c"),
        ({"logo": "/nowhere/logo.png"}, "ZEVENSTOPS_LOGO: het bestand"),
        (
            {"frame_ancestors": "intranet.nl;script"},
            "ZEVENSTOPS_FRAME_ANCESTORS: 'intranet.nl;script' is geen herkomst",
        ),
        (
            {"frame_ancestors": "https://a.nl'"},
            'ZEVENSTOPS_FRAME_ANCESTORS: "https://a.nl\'" is geen herkomst',
        ),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env(env(**values))


def test_metro_names_a_bad_setting_without_a_traceback(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ZEVENSTOPS_BRAND_COLOUR", "blauw")
    assert metro(["check"]) == 2
    assert capsys.readouterr().err.startswith("Instelling niet bruikbaar: ZEVENSTOPS_BRAND_COLOUR")


def test_brand_colour_logo_and_title_reach_the_pages(tmp_path: Path) -> None:
    logo = tmp_path / "wapen.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n")
    settings = replace(
        Settings(), content_dir=VALID, brand_colour="#f9b200", site_title="Gemeente Voorbeeld", logo=logo
    )
    with TestClient(create_app(settings)) as client:
        page = soup(client.get("/"))
        assert page.select_one(".site-header__title").get_text(strip=True) == "Gemeente Voorbeeld"
        logo_src = page.select_one("img.site-header__logo")["src"]
        assert client.get("/" + logo_src).content == logo.read_bytes()
        css = client.get("/" + page.select_one('link[rel="stylesheet"]')["href"]).text
    theme = css.split("/* House style")[1]
    assert "--line: #f9b200" in theme
    assert "--on-line: #000000" in theme  # yellow takes black text
    link = theme.split("--link: ")[1][:7]
    assert contrast_ratio(link, "#ffffff") >= 4.5  # links stay readable on white


def test_frame_ancestors_allowlist_only_for_the_embed() -> None:
    settings = replace(Settings(), content_dir=VALID, frame_ancestors=("https://intranet.gemeente.nl",))
    with TestClient(create_app(settings)) as client:
        embed = client.get("/embed").headers
        assert embed["content-security-policy"].endswith("frame-ancestors https://intranet.gemeente.nl")
        assert "x-frame-options" not in embed
        stop = client.get("/embed?stop=orde").headers
        assert stop["content-security-policy"].endswith("frame-ancestors https://intranet.gemeente.nl")
        for path in ("/", "/stops/orde/", "/present/", "/api/stops"):
            headers = client.get(path).headers
            assert headers["content-security-policy"].endswith("frame-ancestors 'self'"), path
            assert headers["x-frame-options"] == "SAMEORIGIN"


def test_configured_base_url_gives_absolute_oembed_and_snippet() -> None:
    settings = replace(Settings(), content_dir=VALID, base_url="https://gids.gemeente.nl/zevenstops/")
    with TestClient(create_app(settings)) as client:
        page = soup(client.get("/stops/orde/"))
        discovery = page.select_one('link[type="application/json+oembed"]')["href"]
        assert discovery == (
            "https://gids.gemeente.nl/zevenstops/oembed?url=https%3A%2F%2Fgids.gemeente.nl%2Fzevenstops%2Fstops%2Forde%2F&format=json"
        )
        snippet = soup(client.get("/")).select_one("#embed-snippet").get_text()
        assert 'src="https://gids.gemeente.nl/zevenstops/embed/"' in snippet
        urls = client.get("/api/stops/orde").json()["urls"]
        assert urls["page"] == "https://gids.gemeente.nl/zevenstops/stops/orde/"


def test_check_warns_about_a_pale_brand_colour(monkeypatch, capsys) -> None:
    monkeypatch.setenv("ZEVENSTOPS_BRAND_COLOUR", "#ffd966")
    assert metro(["--content", str(VALID), "check"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("waarschuwing: ZEVENSTOPS_BRAND_COLOUR #ffd966 heeft een contrast van 1.4:1")
    monkeypatch.setenv("ZEVENSTOPS_BRAND_COLOUR", "#c8102e")
    for name, value in [("ORGANISATION", "Gemeente Voorbeeld"), ("CONTACT", "a@gemeente.nl"), ("LOG_DAYS", "14")]:
        monkeypatch.setenv(f"ZEVENSTOPS_{name}", value)  # what the privacy page asks for
    assert metro(["--content", str(VALID), "check"]) == 0
    assert capsys.readouterr().err == ""


def test_the_municipalitys_title_never_replaces_the_sources_title() -> None:
    settings = replace(Settings(), content_dir=VALID, site_title="Gemeente Voorbeeld — samenwerken")
    with TestClient(create_app(settings)) as client:
        for path in ("/", "/stops/orde/", "/print/"):
            page = soup(client.get(path))
            assert page.select_one(".site-header__title").get_text(strip=True) == "Gemeente Voorbeeld — samenwerken"
            attribution = page.select_one(".site-footer cite").get_text(strip=True)
            assert attribution == "Testgids — Drie stops voor de tests", path
        source = soup(client.get("/stops/orde/")).select_one(".handout__source").get_text(strip=True)
        assert source.startswith("Bron: Testgids — Drie stops voor de tests")
