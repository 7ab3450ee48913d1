"""Check the Markdown of a content file: no raw HTML, only safe links and existing stops."""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it.token import Token

from app.content.report import Report
from app.content.sections import walk
from app.markdown import STOP_LINK_RE

SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def check_markup(report: Report, path: Path, tokens: list[Token], stems: set[str]) -> None:
    """Report raw HTML and every link that is unsafe or leads to a stop that does not exist."""
    for token, line in walk(tokens):
        if token.type in ("html_block", "html_inline"):
            snippet = token.content.strip().split("\n")[0][:40]
            report.problem(path, line, f"HTML is niet toegestaan, schrijf Markdown: '{snippet}'")
        elif token.type == "link_open":
            _check_link(report, path, line, str(token.attrGet("href") or ""), stems)


def _check_link(report: Report, path: Path, line: int, href: str, stems: set[str]) -> None:
    if SCHEME_RE.match(href):
        if not href.lower().startswith(("http:", "https:", "mailto:", "tel:")):
            report.problem(path, line, f"dit soort link is niet toegestaan: '{href}'")
        return
    match = STOP_LINK_RE.match(href)
    if match is None or match.group(1) not in stems:
        report.problem(
            path,
            line,
            f"link '{href}' leidt nergens heen: link naar een halte met de bestandsnaam, bijvoorbeeld '03-leiderschap.md'",
        )
