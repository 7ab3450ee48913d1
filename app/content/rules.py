"""The rules `metro check` enforces within a stop file and across all of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.content.frontmatter import FrontMatter
from app.content.model import Station
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
    # Bounds that keep a hostile or mistaken file from costing memory and time, and pages small.
    max_file_bytes: int = 1_000_000
    max_field_chars: int = 2_000  # a front-matter value or a `:::` field
    max_block_chars: int = 20_000  # the text of one `:::` block


def file_name_fault(name: str) -> str:
    """The Dutch problem for a *.md file that is not named like a stop file, with the name it should have."""
    general = "een haltebestand heet NN-<slug>.md, bijvoorbeeld 03-leiderschap.md"
    match = re.match(r"^(\d+)[-_ ]+(.+)\.md$", name)
    if match is None:
        return general
    number, rest = match.groups()
    slug = re.sub(r"[^a-z0-9]+", "-", rest.lower()).strip("-")
    faults = []
    if len(number) != 2:
        faults.append("het nummer heeft twee cijfers")
    if rest != rest.lower():
        faults.append("alleen kleine letters")
    if re.search(r"[ _]", name):
        faults.append("koppeltekens in plaats van spaties of '_'")
    if not faults or not slug or int(number) > 99:
        return general
    return f"{general}: {', '.join(faults)}; hernoem het bestand naar {int(number):02d}-{slug}.md"


def check_station_meta(report: Report, rules: Rules, path: Path, meta: FrontMatter) -> int | None:
    """Check number, slug and label; return the stop's number, or None when it cannot take its place."""
    ok = True
    text = meta["number"].strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 2 else 0
    if number < 1:
        report.problem(
            path, meta.line("number"), f"'number' moet een heel getal van 1 tot en met 99 zijn, niet '{text}'"
        )
        ok = False
    slug = meta["slug"]
    if not SLUG_RE.match(slug):
        report.problem(
            path,
            meta.line("slug"),
            f"slug '{slug}' past niet in een webadres: gebruik a-z, 0-9 en losse koppeltekens",
        )
        ok = False
    match = STATION_FILE_RE.match(path.name)
    if ok and match and (int(match.group(1)) != number or match.group(2) != slug):
        report.problem(
            path,
            meta.line("slug"),
            f"de bestandsnaam past niet bij number en slug: hernoem het bestand naar {number:02d}-{slug}.md",
        )
        ok = False
    label = meta["label"]
    if len(label) > rules.label_chars:
        report.problem(
            path,
            meta.line("label"),
            f"label is {len(label)} tekens lang; op de kaart passen er hoogstens {rules.label_chars}",
        )
    long_words = [w for w in label.split() if len(w) > rules.label_word_chars]
    if long_words:
        report.problem(
            path,
            meta.line("label"),
            f"het woord '{long_words[0]}' in label is langer dan {rules.label_word_chars} tekens "
            "en past niet op de kaart",
        )
    return number if ok else None


def check_counts(
    report: Report,
    rules: Rules,
    path: Path,
    sections: dict[str, Section],
    counts: dict[str, int | None],
) -> None:
    """Check the length of the explanation and how many quotes, examples, questions and sources there are."""
    explanation = sections["Toelichting"]
    words = sum(len(re.findall(r"\w+", t.content)) for t, _ in walk(explanation.tokens) if t.type == "text")
    low, high = rules.explanation_words
    if not low <= words <= high:
        report.problem(path, explanation.line, f"'Toelichting' heeft {words} woorden; {low} tot {high} zijn nodig")
    found = counts["Citaten"] or 0
    if found < rules.min_quotes:
        report.problem(
            path,
            sections["Citaten"].line,
            f"'Citaten' heeft {_count(found, 'citaat', 'citaten')}; minstens {rules.min_quotes} zijn nodig",
        )
    found = counts["Praktijkvoorbeelden"] or 0
    if found < rules.min_examples:
        report.problem(
            path,
            sections["Praktijkvoorbeelden"].line,
            f"'Praktijkvoorbeelden' heeft {_count(found, 'praktijkvoorbeeld', 'praktijkvoorbeelden')}; "
            f"minstens {rules.min_examples} zijn nodig",
        )
    asked, (low, high) = counts["Gespreksvragen"], rules.questions  # None: not a list, already reported
    if asked is not None and not low <= asked <= high:
        report.problem(
            path,
            sections["Gespreksvragen"].line,
            f"'Gespreksvragen' heeft {_count(asked, 'vraag', 'vragen')}; {low} tot {high} zijn nodig",
        )
    if counts["Bronnen"] == 0:
        report.problem(path, sections["Bronnen"].line, "'Bronnen' noemt geen bronnen")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True)
class StationFile:
    """A stop file for the checks across files: loaded (with its station) or not."""

    path: str
    number: int  # from the front matter when loaded, else from the file name
    slug: str
    station: Station | None = None
    number_line: int = 0
    slug_line: int = 0


def check_numbers_and_slugs(report: Report, stops: list[StationFile]) -> None:
    """Numbers and slugs of the loaded stops are unique, and the numbers run from 1 without gaps."""
    by_number: dict[int, StationFile] = {}
    by_slug: dict[str, StationFile] = {}
    for stop in sorted(stops, key=lambda s: (s.number, s.path)):
        if stop.station is None:
            continue
        if stop.number in by_number:
            other = by_number[stop.number].path
            report.problem(stop.path, stop.number_line, f"nummer {stop.number} komt twee keer voor (ook in {other})")
        by_number.setdefault(stop.number, stop)
        if stop.slug in by_slug:
            other = by_slug[stop.slug].path
            report.problem(stop.path, stop.slug_line, f"slug '{stop.slug}' komt twee keer voor (ook in {other})")
        by_slug.setdefault(stop.slug, stop)
    # A stop file that failed to load still holds its place on the line, by the number in its name:
    # its own problems are reported, it must not also cause a gap blamed on another file.
    numbers = {stop.number for stop in stops}
    missing = [n for n in range(1, len(stops) + 1) if n not in numbers]
    if missing:
        last = max(stops, key=lambda s: (s.number, s.path))
        gaps = ", ".join(map(str, missing))
        verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
        report.problem(
            last.path,
            last.number_line,
            f"de haltenummers lopen van 1 tot en met {len(stops)} zonder gaten: {gaps} {verb}",
        )
