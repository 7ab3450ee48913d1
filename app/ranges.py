"""A body held in memory (a PDF) as HTTP answers it: a strong ETag, 304, and one byte range.

PDF viewers ask for ranges (RFC 9110 §14): the first page shows before the rest has come, and
a reload asks only whether the file changed. A request for several ranges gets the whole file
(allowed: a server may ignore Range), which every viewer handles.
"""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response


def strong_etag(body: bytes) -> str:
    """A strong validator: the same bytes, and only they, give the same tag."""
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in if_none_match.split(","))


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """The one range `header` asks for, as (first, last); None to send all; False if unsatisfiable."""
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None  # another unit, several ranges or nonsense: the whole body
    first_text, dash, last_text = spec.strip().partition("-")
    if not dash or not (first_text or last_text):
        return None
    if not (first_text.isdigit() or first_text == "") or not (last_text.isdigit() or last_text == ""):
        return None
    if first_text == "":  # the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            return False
        return max(size - length, 0), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if first >= size:
        return False
    if last < first:
        return None  # invalid: ignored, as RFC 9110 §14.1.1 allows
    return first, min(last, size - 1)


def body_response(request: Request, body: bytes, media_type: str, headers: dict[str, str]) -> Response:
    """200, 206, 304 or 416 for `body`, as the request's validators and Range ask."""
    etag = strong_etag(body)
    common = {**headers, "etag": etag, "accept-ranges": "bytes"}
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and _matches(if_none_match, etag):
        return Response(status_code=304, headers=common)
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    if wanted is not None and (if_range is None or if_range.strip() == etag):
        found = byte_range(wanted, len(body))
        if found is False:
            return Response(
                status_code=416,
                headers={**headers, "content-range": f"bytes */{len(body)}", "cache-control": "no-store"},
            )
        if isinstance(found, tuple):
            first, last = found
            part = {**common, "content-range": f"bytes {first}-{last}/{len(body)}"}
            return Response(body[first : last + 1], status_code=206, media_type=media_type, headers=part)
    return Response(body, media_type=media_type, headers=common)
