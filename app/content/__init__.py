"""The guide's content: Markdown files in, a checked and frozen model out.

reading     find and read the files of a language folder
frontmatter the YAML block at the top of a file
sections    the `## ` sections of a file's body
blocks      the typed `:::` blocks and lists inside a section
markup      raw HTML and links
rules       the limits and the checks across files
loading     all of the above, assembled into a Guide
model       the frozen dataclasses the rest of the app reads
"""

from __future__ import annotations

from app.content.loading import SITE_KEYS, SITE_SECTIONS, STATION_KEYS, STATION_SECTIONS, load_guide
from app.content.model import (
    AccessibilityStatement,
    ContentError,
    Example,
    Guide,
    Problem,
    Quote,
    SiteText,
    StatementSection,
    Station,
)
from app.content.rules import Rules

__all__ = [
    "SITE_KEYS",
    "SITE_SECTIONS",
    "STATION_KEYS",
    "STATION_SECTIONS",
    "AccessibilityStatement",
    "ContentError",
    "Example",
    "Guide",
    "Problem",
    "Quote",
    "Rules",
    "SiteText",
    "StatementSection",
    "Station",
    "load_guide",
]
