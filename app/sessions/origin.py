"""Refuse cross-site requests that would change a session (CSRF): one check for every POST.

Browsers say where a request comes from: `Sec-Fetch-Site` (all current browsers), else `Origin`.
A POST is accepted from the guide's own pages (`same-origin`), from an address typed or a
bookmark (`none`), and from clients that send neither header (curl, scripts): those carry no
visitor's cookies. Everything else, another site and even a sibling subdomain (`same-site`),
gets a Dutch 403 before any route runs, so a refused request never sets a cookie.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from fastapi import Request

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class CrossSite(Exception):
    """A state-changing request came from another site."""


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of an address, as browsers write it in `Origin`."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin_check(own_address: Callable[[Request], str]) -> Callable[[Request], None]:
    """A dependency for the session routes; `own_address(request)` is the guide's public address."""

    def check(request: Request) -> None:
        if request.method in SAFE_METHODS:
            return
        site = request.headers.get("sec-fetch-site")
        if site is not None:
            if site.strip().lower() in ("same-origin", "none"):
                return
            raise CrossSite(site)
        origin = request.headers.get("origin")
        if origin is None:
            return
        if origin.strip().lower() == "null" or origin.strip().lower() != origin_of(own_address(request)):
            raise CrossSite(origin)

    return check
