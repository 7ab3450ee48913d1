"""Recipes for intranets: the no-script iframe (SharePoint Online's Embed web part) and oEmbed (WordPress, Drupal).

SharePoint itself cannot run here: a page on another origin stands in for it, holding what the
Embed web part holds, the iframe without the script.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from app.config import Settings
from tests.browser.test_embed import HostPage
from tests.conftest import REAL_CONTENT, LiveServer
from tests.deploy.browsing import Traffic

HEIGHT = 900  # the fixed height an editor gives the Embed web part's iframe


@pytest.fixture(scope="module")
def tenant() -> Iterator[HostPage]:
    """The intranet's own origin, named in ZEVENSTOPS_FRAME_ANCESTORS."""
    page = HostPage()
    yield page
    page.server.shutdown()


@pytest.fixture(scope="module")
def guide(tenant: HostPage) -> Iterator[LiveServer]:
    ancestors = (tenant.url.rstrip("/"),)
    with LiveServer(replace(Settings(), content_dir=REAL_CONTENT, frame_ancestors=ancestors)) as server:
        yield server


def iframe_only(guide: LiveServer) -> bytes:
    """The Embed web part's content: the snippet's iframe with a fixed height, and no script."""
    return (
        f'<!doctype html><html lang="nl"><title>Intranet</title><h1>Samenwerken</h1>'
        f'<iframe src="{guide.url}/embed" title="Zeven stops" width="100%" height="{HEIGHT}"'
        f' style="width:100%;border:0"></iframe>'
    ).encode()


@pytest.mark.browser
def test_iframe_without_script_on_the_named_origin(page: Page, guide: LiveServer, tenant: HostPage) -> None:
    tenant.html = iframe_only(guide)
    traffic = Traffic(page, guide.url)
    page.goto(tenant.url)
    stations = page.frame_locator("iframe").locator("a.js-station:visible")
    expect(stations.first).to_be_visible()
    stations.nth(2).click()  # works inside the frame: a panel opens
    expect(page.frame_locator("iframe").locator(".js-panel:visible")).to_have_count(1)
    # What is lost without the script: the iframe keeps the height it was given; its content scrolls.
    assert page.locator("iframe").evaluate("frame => frame.getBoundingClientRect().height") == HEIGHT
    the_intranet_page = f"outside the guide: {tenant.url}"
    assert [problem for problem in traffic.problems() if not problem.startswith(the_intranet_page)] == []


@pytest.mark.browser
def test_other_origins_cannot_frame_the_embed(page: Page, guide: LiveServer) -> None:
    elsewhere = HostPage()  # another port: another origin, not in ZEVENSTOPS_FRAME_ANCESTORS
    try:
        elsewhere.html = iframe_only(guide)
        page.goto(elsewhere.url)
        page.wait_for_load_state("load")
        assert page.frame_locator("iframe").locator("a.js-station").count() == 0
    finally:
        elsewhere.server.shutdown()


@pytest.mark.parametrize("url", ["http://testserver/", "http://testserver/stops/orde"])
def test_oembed_as_wordpress_and_drupal_ask(client: TestClient, url: str) -> None:
    """WordPress sends maxwidth, maxheight, dnt and format=json; the answer must respect the maxima."""
    answer = client.get("/oembed", params={"url": url, "maxwidth": 600, "maxheight": 500, "dnt": 1, "format": "json"})
    assert answer.status_code == 200
    oembed = answer.json()
    assert oembed["type"] == "rich" and oembed["version"] == "1.0"
    assert oembed["width"] <= 600 and oembed["height"] <= 500
    frames = BeautifulSoup(oembed["html"], "html.parser").select("iframe")
    assert len(frames) == 1 and str(frames[0]["src"]).startswith("http://testserver/embed")
    assert frames[0].get("title")  # WordPress adds one when missing; ours names the guide
