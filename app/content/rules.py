"""The rules `metro check` enforces within a stop file and across all of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.content.frontmatter import FrontMatter
from app.content.model import Example, Quote, Station
from app.content.report import Report
from app.content.sections import Section, walk

STATION_FILE_RE = re.compile(r"^(\d\d)-([a-z0-9-]+)\.md$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rules:
    """The limits `metro check` enforces; one place, so the content guide and tests agree."""

    explanation_words: tuple[int, int] = (250, 500)
    min_quotes: int = 3
    min_examples: int = 2
    questions: tuple[int, int] = (3, 6)
    label_chars: int = 28
    label_word_chars: int = 18


def check_station_meta(report: Report, rules: Rules, path: Path, meta: FrontMatter) -> bool:
    """Check number, slug and label; False when the stop cannot take its place on the line."""
    ok = True
    number = meta["number"]
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        report.problem(path, meta.line("number"), f"number must be a whole number from 1, not '{number}'")
        ok = False
    slug = meta["slug"]
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        report.problem(path, meta.line("slug"), f"slug '{slug}' is not URL-safe: use a-z, 0-9 and single hyphens")
        ok = False
    match = STATION_FILE_RE.match(path.name)
    if ok and match and (int(match.group(1)) != number or match.group(2) != slug):
        report.problem(
            path, meta.line("slug"), f"file name does not match number and slug: rename it to {number:02d}-{slug}.md"
        )
        ok = False
    label = str(meta["label"])
    if len(label) > rules.label_chars:
        report.problem(
            path, meta.line("label"), f"label is {len(label)} characters, at most {rules.label_chars} fit on the map"
        )
    long_words = [w for w in label.split() if len(w) > rules.label_word_chars]
    if long_words:
        report.problem(
            path,
            meta.line("label"),
            f"label word '{long_words[0]}' is longer than {rules.label_word_chars} characters and will not fit on the map",
        )
    return ok


def check_counts(
    report: Report,
    rules: Rules,
    path: Path,
    sections: dict[str, Section],
    quotes: list[Quote],
    examples: list[Example],
    questions: list[str],
    sources: list[str],
) -> None:
    """Check the length of the explanation and how many quotes, examples, questions and sources there are."""
    explanation = sections["Toelichting"]
    words = sum(len(re.findall(r"\w+", t.content)) for t, _ in walk(explanation.tokens) if t.type == "text")
    low, high = rules.explanation_words
    if not low <= words <= high:
        report.problem(path, explanation.line, f"'Toelichting' has {words} words, {low}–{high} are required")
    if len(quotes) < rules.min_quotes:
        report.problem(
            path,
            sections["Citaten"].line,
            f"'Citaten' has {len(quotes)} quotes, at least {rules.min_quotes} are required",
        )
    if len(examples) < rules.min_examples:
        report.problem(
            path,
            sections["Praktijkvoorbeelden"].line,
            f"'Praktijkvoorbeelden' has {len(examples)} practice examples, at least {rules.min_examples} are required",
        )
    low, high = rules.questions
    if not low <= len(questions) <= high:
        report.problem(
            path,
            sections["Gespreksvragen"].line,
            f"'Gespreksvragen' has {len(questions)} questions, {low}–{high} are required",
        )
    if not sources:
        report.problem(path, sections["Bronnen"].line, "'Bronnen' lists no sources")


@dataclass(frozen=True)
class Stop:
    """A loaded station with the lines of its number and slug, for the checks across files."""

    station: Station
    number_line: int
    slug_line: int


def check_numbers_and_slugs(report: Report, stops: list[Stop]) -> None:
    """Numbers and slugs are unique, and the numbers run from 1 without gaps."""
    by_number: dict[int, Station] = {}
    by_slug: dict[str, Station] = {}
    for stop in stops:
        station = stop.station
        if station.number in by_number:
            other = by_number[station.number].path
            report.problem(station.path, stop.number_line, f"duplicate number {station.number} (also in {other})")
        by_number.setdefault(station.number, station)
        if station.slug in by_slug:
            other = by_slug[station.slug].path
            report.problem(station.path, stop.slug_line, f"duplicate slug '{station.slug}' (also in {other})")
        by_slug.setdefault(station.slug, station)
    missing = [n for n in range(1, len(stops) + 1) if n not in by_number]
    if missing:
        last = stops[-1]
        report.problem(
            last.station.path,
            last.number_line,
            f"stop numbers must run 1..{len(stops)} without gaps: {', '.join(map(str, missing))} missing",
        )
