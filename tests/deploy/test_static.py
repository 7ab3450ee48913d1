"""Recipe: the static export (`metro export`) under /zevenstops/ on plain static servers, no rewrites.

Three servers: nginx as it comes (a `root` and `index index.html`, nothing else), Python's
`http.server`, and deploy/nginx-static.conf, which adds the guide's own security headers.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from playwright.sync_api import Page

from app.config import ROOT
from app.content import load_guide
from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.browsing import Traffic, present_from_the_map, read_qr
from tests.deploy.crawl import crawl, html_links
from tests.deploy.recipes import PREFIX, VENV_BIN, guide_env, instantiate, start_nginx, wait_for_port

SLUGS = [station.slug for station in load_guide(VALID).stations]
# nginx's default site, with the export copied under its root: what an administrator has without asking.
NGINX_DEFAULT = """\
server {{
    listen 127.0.0.1:{port};
    root {root};
    index index.html;
}}
"""
HEADERS = [
    "content-security-policy",
    "x-content-type-options",
    "referrer-policy",
    "permissions-policy",
    "x-frame-options",
    "cache-control",
]


@dataclass(frozen=True)
class Hosted:
    inside: str  # http://127.0.0.1:<port>/zevenstops/
    folder: Path  # what `metro export` wrote


def export(run: Path, inside: str) -> Path:
    """`metro export` as the README says, into <run>/www/zevenstops, with QR codes for `inside`."""
    folder = run / "www" / PREFIX.strip("/")
    argv = [str(VENV_BIN / "metro"), "export", str(folder), "--base-url", inside, "--no-pdf"]
    done = subprocess.run(
        argv, cwd=ROOT, env=guide_env(VALID, run / "data"), capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"metro export failed:\n{done.stdout}\n{done.stderr}"
    return folder


@contextmanager
def serve(kind: str, run: Path) -> Iterator[Hosted]:
    """Export the guide for a server of `kind` on a free port, and run that server."""
    port = free_port()
    inside = f"http://127.0.0.1:{port}{PREFIX}/"
    folder = export(run, inside)
    with Processes(run) as procs:
        if kind == "nginx-default":
            start_nginx(procs, NGINX_DEFAULT.format(port=port, root=folder.parent), run / "nginx", port)
        elif kind == "http.server":
            argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
            proc = procs.start("http.server", [*argv, "--directory", str(folder.parent)], cwd=run)
            wait_for_port(procs, "http.server", proc, port)
        else:
            values = {"LISTEN": f"127.0.0.1:{port}", "SERVER_NAME": "127.0.0.1", "EXPORT_DIR": str(folder)}
            start_nginx(procs, instantiate("nginx-static.conf", **values, FRAME_ANCESTORS="*"), run / "nginx", port)
        yield Hosted(inside, folder)


@pytest.fixture(scope="module", params=["nginx-default", "http.server", "nginx-static.conf"])
def hosted(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    with serve(request.param, tmp_path_factory.mktemp("static")) as site:
        yield site


@pytest.fixture(scope="module")
def with_headers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    """The export on deploy/nginx-static.conf, the recipe that promises the guide's own headers."""
    with serve("nginx-static.conf", tmp_path_factory.mktemp("static-headers")) as site:
        yield site


def test_every_link_of_the_export_answers(hosted: Hosted) -> None:
    with httpx.Client(timeout=30) as client:
        crawled = crawl(client, [hosted.inside], hosted.inside)
    assert crawled.problems == []
    html = crawled.of_type("text/html")
    for slug in SLUGS:
        assert [url for url in html if f"stops/{slug}" in url], f"no page of stop {slug} reached"
        assert [url for url in html if f"present/{slug}" in url], f"no slide of stop {slug} reached"
    assert len([url for url in crawled.of_type("image/svg+xml") if "/qr/" in url]) == len(SLUGS) + 1


@pytest.mark.browser
def test_every_qr_code_of_the_export_leads_to_a_page(hosted: Hosted, page: Page) -> None:
    codes = sorted(path for path in hosted.folder.rglob("*.svg") if path.parent.name == "qr")
    assert len(codes) == len(SLUGS) + 1
    for code in codes:
        url = hosted.inside + code.relative_to(hosted.folder).as_posix()
        decoded = read_qr(page, url)
        assert len(decoded) == 1, f"{url}: decoded {decoded}"
        assert decoded[0].startswith(hosted.inside), f"{url} leads to {decoded[0]}"
        # Straight to the page: a phone that scans it must not depend on a redirect the server may not make.
        answer = httpx.get(decoded[0], timeout=30)
        assert answer.status_code == 200, f"{url} leads to {decoded[0]}, which answers {answer.status_code}"
        assert answer.headers["content-type"].startswith("text/html")


def _embed_file(folder: Path) -> str:
    """Where the export put the embed, as the map page's snippet names it."""
    index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    snippet = index.select_one(".js-embed-snippet")
    assert snippet is not None
    frames = BeautifulSoup(snippet.get_text(), "html.parser").select("iframe")
    return str(frames[0]["src"])


def test_static_headers_are_the_guides_own(with_headers: Hosted, client: TestClient) -> None:
    asset = next(path for path in (with_headers.folder / "static").iterdir() if path.suffix == ".css")
    pairs = [("/", ""), ("/embed", _embed_file(with_headers.folder)), (f"/static/{asset.name}", f"static/{asset.name}")]
    for app_path, exported in pairs:
        served = httpx.get(urljoin(with_headers.inside, exported), timeout=30)
        assert served.status_code == 200, exported
        own = client.get(app_path)
        assert own.status_code == 200, app_path
        assert {name: served.headers.get(name) for name in HEADERS} == {name: own.headers.get(name) for name in HEADERS}


def test_not_found_page_of_the_export(with_headers: Hosted) -> None:
    """The export's 404.html, served for any unknown address: its style sheet and links work."""
    with httpx.Client(timeout=30) as client:
        response = client.get(with_headers.inside + "stops/bestaat-niet/echt-niet")
        assert response.status_code == 404
        page = BeautifulSoup(response.text, "html.parser")
        assert page.html is not None and page.html.get("lang") == "nl"
        links = sorted({urljoin(str(response.url), link) for link in html_links(page) if not link.startswith("#")})
        assert links and [link for link in links if not link.startswith(with_headers.inside)] == []
        assert [link for link in links if client.get(link).status_code != 200] == []


@pytest.mark.browser
def test_chromium_on_static_hosting(with_headers: Hosted, page: Page) -> None:
    """The strict CSP holds: the one inline script runs by its hash, and nothing is refused."""
    traffic = Traffic(page, with_headers.inside)
    present_from_the_map(page, with_headers.inside, SLUGS)
    assert page.evaluate("document.documentElement.classList.contains('js')")
    assert traffic.requests and traffic.problems() == []
