"""The route table (app/routes.py, docs/routes.md): every path the guide answers, and only those."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from app.build import build_site
from app.cli import main
from app.config import Settings
from app.routes import BUILT, built_pattern, markdown, of_application, unlisted
from tests.test_images import add_image, image_bytes

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "routes.md"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped content, with its sessions' data in a folder of its own."""
    return replace(Settings(), content_dir=ROOT / "content" / "nl", data_dir=tmp_path_factory.mktemp("data"))


def test_docs_routes_md_is_the_table_of_the_application(shipped: Settings) -> None:
    written = DOCS.read_text(encoding="utf-8")
    assert written == markdown(of_application(shipped)), "docs/routes.md is not current: run `make routes`"


def test_metro_routes_prints_the_table(shipped: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["routes", "--content", str(shipped.content_dir)]) == 0
    assert capsys.readouterr().out == DOCS.read_text(encoding="utf-8")


def test_every_built_path_is_listed_and_every_listed_pattern_is_built(
    shipped: Settings, content_copy: Path, tmp_path: Path
) -> None:
    add_image(content_copy, "ondertekening.png", image_bytes("PNG"))
    builds = [
        build_site(shipped, pdf=False),  # requests tell the address: no QR codes or sitemap built
        build_site(shipped, base_url="https://gids.example.nl/zevenstops/", pdf=False),
        build_site(replace(shipped, content_dir=content_copy), pdf=False),  # a stop with a photo
    ]
    paths = {path for site in builds for path in site.entries}
    assert unlisted(paths) == []
    assert {pattern for pattern, _ in BUILT} == {built_pattern(path) for path in paths}


def test_a_path_nobody_described_is_found() -> None:
    assert unlisted(["/", "/stops/leiderschap/", "/nieuw/", "/static/app.js", "/stops/x/bijlage/"]) == [
        "/nieuw/",
        "/stops/x/bijlage/",
    ]
    assert built_pattern("/static/app.1184c91c3b.js") == "/static/{name}.{hash}.{ext}"
    assert built_pattern("/static/app.js") == "/static/{name}.{ext}"
    assert built_pattern("/qr/gids.svg") == "/qr/gids.svg"
    assert built_pattern("/qr/leiderschap.svg") == "/qr/{slug}.svg"


def test_every_route_says_what_it_does_and_appears_once(shipped: Settings) -> None:
    rows = of_application(shipped)
    assert [row.path for row in rows if not row.what.removeprefix("Only with `--reload`: ")] == []
    assert [key for key, n in Counter((row.methods, row.path) for row in rows).items() if n > 1] == []
    paths = {row.path for row in rows}
    # The parts create_app composes are all in it: the API, the PDFs, health, a session's streams, --reload.
    assert {"/api/stops/{slug}", "/guide.pdf", "/healthz", "/s/{code}/events", "/__reload/events"} <= paths
    stream = next(row for row in rows if row.path == "/s/{code}/events")
    assert (stream.methods, stream.answered_by) == ("GET", "app/sessions/attendee.py")
