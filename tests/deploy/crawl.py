"""Follow every same-origin link of a deployed guide, as a visitor (or a link checker) would.

Starting from a few addresses, every page is fetched; every `href` and `src` in
its HTML (and in the embed snippet people copy), every URL in a JSON answer (the API, oEmbed),
every `url()` in CSS and every link annotation in a PDF is followed. A link to the same origin
must stay inside the guide's sub-path and answer 200; a redirect must stay inside too, and
forms must post inside it.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
from bs4 import BeautifulSoup
from pypdf import PdfReader

MAX_FETCHES = 400  # a bound, so a link that generates new links cannot loop for ever


@dataclass
class Crawl:
    inside: str  # every same-origin URL must start with this, e.g. http://127.0.0.1:8080/zevenstops/
    answers: dict[str, int] = field(default_factory=dict)  # URL -> status as fetched (3xx kept)
    linked_from: dict[str, str] = field(default_factory=dict)  # URL -> the first page that links to it
    problems: list[str] = field(default_factory=list)
    forms: dict[str, str] = field(default_factory=dict)  # form action (absolute) -> the page it is on
    media_types: dict[str, str] = field(default_factory=dict)
    elsewhere: dict[str, set[str]] = field(default_factory=dict)  # media type -> links to other sites in it

    def of_type(self, media_type: str) -> list[str]:
        return sorted(url for url, found in self.media_types.items() if found == media_type)


def crawl(client: httpx.Client, start: list[str], inside: str) -> Crawl:
    """Fetch everything reachable from `start`; the result says what answered and what is wrong."""
    result = Crawl(inside)
    queue = list(start)
    origin = urlsplit(inside).netloc
    while queue and len(result.answers) < MAX_FETCHES:
        url = queue.pop(0)
        if url in result.answers:
            continue
        response = client.get(url)
        result.answers[url] = response.status_code
        source = result.linked_from.get(url, "the start")
        if response.is_redirect:
            target = urljoin(url, response.headers["location"])
            if not target.startswith(inside):  # also to another host: a redirect never leaves the guide
                result.problems.append(f"{response.status_code} {url} redirects outside: {target}")
                continue
            links: list[str] = [target]
        elif response.status_code != 200:
            result.problems.append(f"{response.status_code} {url} (linked from {source})")
            continue
        else:
            media_type = response.headers.get("content-type", "").split(";")[0].strip()
            result.media_types[url] = media_type
            links = list(_links(url, media_type, response.content, result))
        for link in links:
            absolute = urldefrag(urljoin(url, link)).url
            parts = urlsplit(absolute)
            if parts.scheme in ("http", "https") and parts.netloc != origin:
                # Other sites (the sources) are not ours to fetch; which ones, the tests compare.
                result.elsewhere.setdefault(result.media_types.get(url, "redirect"), set()).add(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != origin:
                continue
            if not absolute.startswith(inside):
                result.problems.append(f"outside {urlsplit(inside).path}: {link!r} on {url}")
                continue
            if absolute not in result.answers and absolute not in queue:
                result.linked_from.setdefault(absolute, url)
                queue.append(absolute)
    for action, page in sorted(result.forms.items()):
        if not action.startswith(inside):
            result.problems.append(f"form posts outside {urlsplit(inside).path}: {action} on {page}")
    if queue:
        result.problems.append(f"stopped after {MAX_FETCHES} fetches; {len(queue)} left, e.g. {queue[0]}")
    return result


def _links(url: str, media_type: str, body: bytes, result: Crawl) -> Iterator[str]:
    """Every address a response refers to."""
    if media_type == "text/html":
        soup = BeautifulSoup(body, "html.parser")
        for form in soup.select("form[action]"):  # posted, not fetched: only where it goes is checked
            result.forms.setdefault(urljoin(url, str(form["action"])), url)
        yield from html_links(soup)
    elif media_type == "image/svg+xml":
        yield from html_links(BeautifulSoup(body, "html.parser"))
    elif media_type == "text/css":
        yield from (m.strip("'\"") for m in re.findall(r"url\(([^)]+)\)", body.decode()))
    elif media_type == "application/json":
        yield from _json_links(json.loads(body))
    elif media_type == "application/pdf":
        yield from pdf_links(body)


def html_links(soup: BeautifulSoup) -> Iterator[str]:
    """Every href and src; the embed snippet (HTML shown as text, to copy) counts as HTML."""
    for tag in soup.select("[href], [src]"):
        yield str(tag.get("href") or tag.get("src"))
    for snippet in soup.select("textarea"):
        if "<" in snippet.get_text():
            yield from html_links(BeautifulSoup(snippet.get_text(), "html.parser"))


def _json_links(value: object) -> Iterator[str]:
    """URLs in a JSON answer: strings that are addresses, and the ones inside HTML strings."""
    if isinstance(value, dict):
        for item in value.values():
            yield from _json_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_links(item)
    elif isinstance(value, str):
        if re.match(r"^https?://", value):
            yield value
        elif "<" in value:
            yield from html_links(BeautifulSoup(value, "html.parser"))


def pdf_links(body: bytes) -> Iterator[str]:
    """The addresses of a PDF's link annotations (what a reader can click)."""
    for page in PdfReader(io.BytesIO(body)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get_object().get("/URI"):
                yield str(action.get_object()["/URI"])
