"""Editors see their change at once: under `metro serve --reload` the open page refreshes itself."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.test_reliability import Reloading, set_title, with_title

# A rebuild and the page's reload, on a machine busy with other tests: a generous bound, met in
# well under a second when the machine is idle (expect returns as soon as the text is there).
REBUILT = 90_000


def test_the_open_page_follows_every_save(page: Page, content_copy: Path, tmp_path: Path) -> None:
    server = Reloading(content_copy, tmp_path / "server.log")
    try:
        server.wait_until("/healthz answers", lambda: server.get("/healthz").status_code == 200, timeout=90)
        page.goto(server.url + "/stops/ambitie/")
        expect(page.locator("h1")).to_have_text("Gemeenschappelijke ambitie", timeout=REBUILT)

        # A good edit: the page reloads itself and shows it.
        set_title(content_copy, "Ambitie, net opgeslagen")
        expect(page.locator("h1")).to_have_text("Ambitie, net opgeslagen", timeout=REBUILT)

        # A broken edit: the page keeps the last good text and says what is wrong, with file:line.
        path = content_copy / "01-ambitie.md"
        good = path.read_text()
        path.write_text(good.replace("\n## Bronnen\n", "\n"))
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("01-ambitie.md:", timeout=REBUILT)
        expect(alert).to_contain_text("u ziet nog de vorige versie")
        expect(page.locator("h1")).to_have_text("Ambitie, net opgeslagen")

        # The fix: the message goes, the page shows the new text.
        path.write_text(with_title(good, "Ambitie, hersteld"))
        expect(page.locator("h1")).to_have_text("Ambitie, hersteld", timeout=REBUILT)
        expect(page.get_by_role("alert")).to_have_count(0)
        page.goto("about:blank")  # leave before the server stops, or its event stream breaks off
    finally:
        server.stop()


def test_production_pages_carry_no_trace_of_it(live_server: LiveServer, client: TestClient) -> None:
    for path in ("/", "/stops/orde/", "/present/", "/embed/"):
        assert "__reload" not in client.get(path).text
    assert client.get("/__reload/reload.js").status_code == 404
    assert client.get("/__reload/events").status_code == 404
