"""The guide as loaded: frozen dataclasses, plus the problems a check reports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.content.images import ImageFile


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of the check, at a file and a 1-based line (0: the file as a whole)."""

    path: str
    line: int
    message: str
    warning: bool = False  # a warning is reported but does not stop the guide from loading

    def __str__(self) -> str:
        kind = "waarschuwing: " if self.warning else ""
        # A problem with the whole file (missing, unreadable, misnamed) has no line to point to.
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path
        return f"{where}: {kind}{self.message}"


class ContentError(Exception):
    """The content has problems; `problems` lists every one, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()):
        self.problems = sorted(problems)
        self.warnings = sorted(warnings)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True)
class Quote:
    text: str  # Markdown, without quotation marks
    source: str  # Markdown (inline)
    who: str = ""


@dataclass(frozen=True)
class Example:
    """A practice example: a case from the sources, told in the guide's own words."""

    title: str
    where: str
    lesson: str
    source: str
    text: str  # Markdown: what happened


@dataclass(frozen=True)
class Station:
    number: int
    slug: str
    title: str
    label: str
    pages: str
    statement: str  # Markdown, verbatim from the publication
    explanation: str  # Markdown
    quotes_md: str  # the Citaten section as written, rendered with its typed blocks
    examples_md: str  # the Praktijkvoorbeelden section as written
    quotes: tuple[Quote, ...]
    examples: tuple[Example, ...]
    questions: tuple[str, ...]  # inline Markdown
    sources: tuple[str, ...]  # inline Markdown
    path: str
    stem: str  # the file name without .md; what internal links use


@dataclass(frozen=True)
class SiteText:
    """The site-wide text from site.md: title, introduction, the two terminals, colophon."""

    title: str
    subtitle: str
    lang: str
    introduction: str  # Markdown
    start: str  # the terminal SAMENWERKING
    end: str  # the terminal DRAAGVLAK
    colophon: str


@dataclass(frozen=True)
class StatementSection:
    title: str  # as in the model statement, e.g. "Hoe is dit onderzocht"
    text: str  # Markdown


@dataclass(frozen=True)
class AccessibilityStatement:
    """The accessibility statement (toegankelijkheidsverklaring) from toegankelijkheid.md.

    Its sections follow the Dutch model statement, in order. The date is not a section: the page
    shows `date`, so the date lives in one place. The page adds the contact for reporting a
    problem after the section "Toegankelijkheidsprobleem melden".
    """

    date: date  # when the statement was drawn up; older than 12 months gives a warning
    status: str  # "voldoet", "voldoet gedeeltelijk" or "voldoet niet"
    contact: str  # inline Markdown as written in the file, "" when it names none (see ZEVENSTOPS_CONTACT)
    sections: tuple[StatementSection, ...]
    path: str
    # What the publishing organisation checked itself, and when: its own part of the statement,
    # beside the makers' tests. Empty until it fills them in; the page then asks for them.
    own_check: str = ""  # inline Markdown
    own_check_date: datetime.date | None = None  # `date` is the field above here


@dataclass(frozen=True)
class Guide:
    site: SiteText
    stations: tuple[Station, ...]
    accessibility: AccessibilityStatement
    version: str  # a hash of every content file: changes when any text does
    warnings: tuple[Problem, ...] = ()  # findings that do not stop the guide, e.g. an old statement date
    images: tuple[ImageFile, ...] = ()  # every image the texts show (afbeeldingen/…)

    def station(self, slug: str) -> Station | None:
        return next((s for s in self.stations if s.slug == slug), None)

    def neighbours(self, station: Station) -> tuple[Station | None, Station | None]:
        i = self.stations.index(station)
        before = self.stations[i - 1] if i > 0 else None
        after = self.stations[i + 1] if i + 1 < len(self.stations) else None
        return before, after
