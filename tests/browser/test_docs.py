"""The API documentation is a page of the guide: Dutch, accessible, no script needed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.helpers import axe_violations
from tests.conftest import LiveServer


@pytest.mark.parametrize("width", [1280, 320])
def test_api_docs_have_no_axe_violations_and_reflow(page: Page, live_server: LiveServer, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/docs")
    assert page.evaluate("document.documentElement.lang") == "nl"
    assert page.locator("main h1").inner_text() == "API-documentatie"
    assert page.locator("main").count() == 1
    assert axe_violations(page) == []
    # Reflow (WCAG 1.4.10): no sideways scrolling of the page itself at 320 px.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_api_docs_link_to_the_schema(page: Page, live_server: LiveServer) -> None:
    page.goto(live_server.url + "/docs")
    page.get_by_role("link", name="openapi.json").click()
    assert page.url == live_server.url + "/openapi.json"
