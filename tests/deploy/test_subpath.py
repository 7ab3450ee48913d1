"""Recipe: the guide under /zevenstops/ behind nginx (deploy/nginx-subpath.conf), run as docs/deploy.md says.

uvicorn app.main:app --root-path /zevenstops --proxy-headers --forwarded-allow-ips 127.0.0.1, with
ZEVENSTOPS_BASE_URL set to the address people use; nginx strips the prefix. Everything a visitor,
a QR code, an intranet (oEmbed) or the API leads to must answer and stay inside /zevenstops/.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urljoin

import httpx
import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Page

from app.content import load_guide
from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.browsing import Traffic, present_from_the_map, read_qr
from tests.deploy.crawl import Crawl, crawl, html_links
from tests.deploy.recipes import PREFIX, VENV_BIN, guide_env, instantiate, start_guide, start_nginx
from tests.sessions.helpers import deck_path, join, start

SLUGS = [station.slug for station in load_guide(VALID).stations]


@pytest.fixture(scope="module")
def inside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The guide behind nginx; yields its public address, http://127.0.0.1:<nginx>/zevenstops/."""
    run = tmp_path_factory.mktemp("subpath")
    app_port, nginx_port = free_port(), free_port()
    public = f"http://127.0.0.1:{nginx_port}{PREFIX}/"
    with Processes(run) as procs:
        argv = [str(VENV_BIN / "uvicorn"), "app.main:app", "--host", "127.0.0.1", "--port", str(app_port)]
        argv += ["--root-path", PREFIX, "--proxy-headers", "--forwarded-allow-ips", "127.0.0.1"]
        start_guide(procs, "guide", argv, guide_env(VALID, run / "data", ZEVENSTOPS_BASE_URL=public), app_port)
        conf = instantiate(
            "nginx-subpath.conf",
            LISTEN=f"127.0.0.1:{nginx_port}",
            SERVER_NAME="127.0.0.1",
            UPSTREAM=f"127.0.0.1:{app_port}",
        )
        start_nginx(procs, conf, run / "nginx", nginx_port)
        yield public


@pytest.fixture(scope="module")
def crawled(inside: str) -> Crawl:
    """Everything reachable from the start page, the API, its docs and oEmbed (PDFs included)."""
    start = [inside, *(inside + path for path in ("healthz", "api/stops", "docs", "openapi.json", "present"))]
    start += [f"{inside}embed?stop={SLUGS[0]}", f"{inside}oembed?url={quote(inside, safe='')}&format=json"]
    with httpx.Client(timeout=120) as client:
        return crawl(client, start, inside)


def test_every_link_answers_and_stays_inside_the_sub_path(crawled: Crawl, inside: str) -> None:
    assert crawled.problems == []
    # The crawl really went everywhere: every stop's page and slide, the PDFs and the QR codes.
    html = crawled.of_type("text/html")
    for slug in SLUGS:
        assert [url for url in html if f"stops/{slug}" in url], f"no page of stop {slug} reached"
        assert [url for url in html if f"present/{slug}" in url], f"no slide of stop {slug} reached"
    # each stop's handout and werkblad, the booklet and the scan on paper
    assert len(crawled.of_type("application/pdf")) == 2 * len(SLUGS) + 2
    assert len([url for url in crawled.of_type("image/svg+xml") if "/qr/" in url]) == len(SLUGS) + 1
    assert any(url.startswith(inside + "api/stops/") for url in crawled.of_type("application/json"))


def test_pdf_links_lead_to_the_public_address(crawled: Crawl) -> None:
    """A link in a PDF goes to the guide's public address (checked by the crawl) or to a source
    the pages link to as well; never to a name only the printing browser knew."""
    in_pdfs = crawled.elsewhere.get("application/pdf", set())
    assert sorted(in_pdfs - crawled.elsewhere.get("text/html", set())) == []


@pytest.mark.browser
def test_qr_codes_lead_inside_the_sub_path(crawled: Crawl, inside: str, page: Page) -> None:
    targets = {}
    for url in (url for url in crawled.of_type("image/svg+xml") if "/qr/" in url):
        decoded = read_qr(page, url)
        assert len(decoded) == 1, f"{url}: decoded {decoded}"
        targets[url] = decoded[0]
    assert targets and sorted(set(targets.values())) == sorted(targets.values())  # each code its own place
    for qr, target in targets.items():
        assert target.startswith(inside), f"{qr} leads to {target}"
        assert httpx.get(target, timeout=30).status_code == 200, f"{qr} leads to {target}"
    assert inside in targets.values()  # the start screen's code: the guide itself


@pytest.mark.parametrize("path", ["", "present", "api/stops/", f"stops/{SLUGS[0]}", f"stops/{SLUGS[0]}/"])
def test_redirects_stay_inside(inside: str, path: str) -> None:
    """nginx's own redirect for /zevenstops, and the guide's for a missing or extra slash.

    A stop's address works with and without the slash at the end: people type both.
    """
    url = inside.removesuffix("/") if not path else inside + path
    with httpx.Client(timeout=30) as client:
        response = client.get(url)
        if response.is_redirect:
            target = urljoin(url, response.headers["location"])
            assert target.startswith(inside), f"{url} redirects to {target}"
            response = client.get(target, follow_redirects=True)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert str(response.url).startswith(inside)


def test_not_found_page_links_inside_the_sub_path(inside: str) -> None:
    """The Dutch 404 page is served at any depth; its style sheet and links must still work."""
    with httpx.Client(timeout=30) as client:
        response = client.get(inside + "stops/bestaat-niet/echt-niet")
        assert response.status_code == 404
        page = BeautifulSoup(response.text, "html.parser")
        assert page.html is not None and page.html.get("lang") == "nl"
        links = sorted({urljoin(str(response.url), link) for link in html_links(page) if not link.startswith("#")})
        assert links and [link for link in links if not link.startswith(inside)] == []
        assert [link for link in links if client.get(link).status_code != 200] == []


def test_oembed_describes_the_guide_at_its_public_address(inside: str) -> None:
    station = f"{inside}stops/{SLUGS[0]}"
    answer = httpx.get(f"{inside}oembed", params={"url": station, "format": "json"}, timeout=30)
    assert answer.status_code == 200
    oembed = answer.json()
    assert oembed["provider_url"] == inside
    frames = BeautifulSoup(oembed["html"], "html.parser").select("iframe")
    assert len(frames) == 1
    src = str(frames[0]["src"])
    assert src.startswith(inside + "embed") and src.endswith(f"stop={SLUGS[0]}")


@pytest.mark.browser
def test_chromium_through_the_proxy(inside: str, page: Page) -> None:
    traffic = Traffic(page, inside)
    present_from_the_map(page, inside, SLUGS)
    assert traffic.requests, "Chromium made no requests"
    assert traffic.problems() == []


def test_live_session_pages_work_inside_the_sub_path(inside: str) -> None:
    """A session started through the proxy: its pages, files and error pages link inside /zevenstops/."""
    with httpx.Client(base_url=inside, timeout=60) as facilitator, httpx.Client(timeout=60) as visitor:
        deck = start(facilitator)
        assert urljoin(inside, deck.location).startswith(inside)
        pages = [f"s/{deck.code}", f"s/{deck.code}/uitslag", f"s/{deck.code}/uitslag.csv", f"s/{deck.code}/qr.svg"]
        crawled = crawl(visitor, [inside + page for page in [*pages, "s/", "scan/", "privacy"]], inside)
        assert crawled.problems == []
        assert any(url.endswith(f"s/{deck.code}/uitslag") for url in crawled.of_type("text/html"))
        # Error pages are rendered per request: their style sheet and links must stay inside too.
        for path, status in ((f"s/{'x' * 8}", 404), ("s/?code=fout", 422), ("s/abcdefgh/uitslag", 404)):
            response = visitor.get(inside + path)
            assert response.status_code == status, path
            page = BeautifulSoup(response.text, "html.parser")
            links = sorted({urljoin(str(response.url), link) for link in html_links(page) if not link.startswith("#")})
            assert any(link.endswith(".css") for link in links), path
            assert [link for link in links if not link.startswith(inside)] == [], path
            assert [link for link in links if visitor.get(link).status_code != 200] == [], path


ERROR_PAGES = {"s/k7qm4xpa": 404, "s/?code=abc": 422, "s/k7qm4xpa/uitslag": 404}


@pytest.fixture(scope="module")
def session_crawl(inside: str) -> tuple[Crawl, dict[str, int]]:
    """A live session started through the proxy: its pages, the results, CSV, QR code and the error pages."""
    with (
        httpx.Client(base_url=inside, timeout=120) as facilitator,
        httpx.Client(base_url=inside, timeout=120) as attendee,
    ):
        deck = start(facilitator)
        assert deck.location.startswith(PREFIX + "/"), deck.location
        assert join(attendee, deck.code).status_code == 200
        pages = [f"s/{deck.code}", f"s/{deck.code}/uitslag", f"s/{deck.code}/uitslag.csv", f"s/{deck.code}/qr.svg"]
        begin = [inside + path for path in [*pages, "s/", deck_path(deck).lstrip("/")]]
        errors = {}
        for path, status in ERROR_PAGES.items():  # not 200, so not for the crawl; their links are
            response = attendee.get(inside + path)
            errors[path] = response.status_code
            assert response.status_code == status, path
            links = html_links(BeautifulSoup(response.text, "html.parser"))
            begin += [urljoin(str(response.url), link) for link in links if not link.startswith("#")]
        return crawl(facilitator, begin, inside), errors


def test_a_live_session_works_inside_the_sub_path(session_crawl: tuple[Crawl, dict[str, int]], inside: str) -> None:
    crawled, errors = session_crawl
    assert crawled.problems == []
    reached = crawled.media_types
    assert [url for url, kind in reached.items() if kind == "text/csv" and url.endswith("uitslag.csv")]
    assert [url for url, kind in reached.items() if kind == "image/svg+xml" and url.endswith("qr.svg")]
    assert [url for url in crawled.of_type("text/css") if "/static/live." in url]
    assert errors == ERROR_PAGES
