"""What Chromium sees of a deployed guide: every request and error of a page, and QR codes read back."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

from tests.browser.helpers import open_panels, visible_stations


class Traffic:
    """Records every request a page makes and every error it reports, from the moment it is made."""

    def __init__(self, page: Page, inside: str):
        self.inside = inside
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("requestfailed", lambda request: self.failed.append(f"{request.url}: {request.failure}"))
        page.on("response", self._response)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        page.on("console", self._console)

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def problems(self) -> list[str]:
        """Failed requests, 4xx/5xx answers, page and console errors, and requests outside the guide."""
        outside = [f"outside the guide: {url}" for url in self.requests if not url.startswith(self.inside)]
        return [*self.failed, *self.errors, *outside]


def read_qr(page: Page, url: str) -> list[str]:
    """Open a QR code as Chromium draws it, take a screenshot and decode it (what a phone does).

    Decoding the picture, not trusting the generator, catches a code that leads somewhere else
    than the caption under it says, or one that does not scan at all.
    """
    page.set_viewport_size({"width": 600, "height": 700})
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response.status if response else 'no answer'}"
    picture = Image.open(io.BytesIO(page.screenshot()))
    return [found.text for found in zxingcpp.read_barcodes(picture)]


def present_from_the_map(page: Page, inside: str, slugs: list[str]) -> None:
    """What a facilitator does: open the map, open a station, start the presentation, press →."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(inside)
    visible_stations(page).nth(1).click()
    expect(page.locator(f"section#{slugs[1]}")).to_be_visible()
    assert open_panels(page) == [slugs[1]]
    page.get_by_role("link", name="Presenteren").click()
    expect(page.locator(".js-slide:visible")).to_have_count(1)
    page.keyboard.press("ArrowRight")
    expect(page.locator(f'.js-slide[data-slug="{slugs[0]}"][data-view="statement"]')).to_be_visible()
    page.keyboard.press("ArrowRight")  # the stop's discussion questions
    expect(page.locator(f'.js-slide[data-slug="{slugs[0]}"][data-view="questions"]')).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f'.js-slide[data-slug="{slugs[1]}"][data-view="statement"]')).to_be_visible()
    assert page.url.startswith(inside), page.url
