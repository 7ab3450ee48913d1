"""Load a language folder into the frozen guide: read, parse, check, then assemble.

Everything is gathered and checked first; a guide is returned only when there is not a single
problem, so a server never half-loads. Every problem names its file and line.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from app.content import blocks
from app.content.frontmatter import FrontMatter, read_front_matter, report_missing_front_matter
from app.content.markup import MarkupCheck
from app.content.model import AccessibilityStatement, ContentError, Guide, SiteText, Station
from app.content.reading import SourceFile, read_folder
from app.content.report import Report
from app.content.rules import (
    STATION_FILE_RE,
    Rules,
    StationFile,
    check_counts,
    check_numbers_and_slugs,
    check_station_meta,
    file_name_fault,
)
from app.content.sections import Layout, Section, split_sections
from app.content.statement import STATEMENT_FILE, STATEMENT_LAYOUT, statement
from app.markdown import make_markdown

SITE_FILE = "site.md"
STATION_LAYOUT = Layout(
    keys=("number", "slug", "title", "label", "pages", "statement"),
    sections=("Toelichting", "Citaten", "Praktijkvoorbeelden", "Gespreksvragen", "Bronnen"),
    subheaded=("Toelichting",),
)
SITE_LAYOUT = Layout(
    keys=("title", "subtitle", "lang"),
    sections=("Inleiding", "Samenwerking", "Draagvlak", "Colofon"),
    subheaded=("Inleiding",),
)
# Kept for the tests and for anyone reading the format from code.
STATION_KEYS = STATION_LAYOUT.keys
STATION_SECTIONS = STATION_LAYOUT.sections
SITE_KEYS = SITE_LAYOUT.keys
SITE_SECTIONS = SITE_LAYOUT.sections


def load_guide(root: Path, rules: Rules = Rules(), *, relative_to: Path | None = None) -> Guide:
    """Read `root` (a language folder such as content/nl) and return the validated guide.

    Raises ContentError listing every problem found; nothing is returned half-loaded.
    """
    report = Report(relative_to if relative_to is not None else Path.cwd())
    folder = read_folder(root, report, max_bytes=rules.max_file_bytes)
    stems = {Path(n).stem for n in folder.names if STATION_FILE_RE.match(n)}
    # Parse with raw HTML recognised, only to report it; pages render with it switched off.
    markup = MarkupCheck(report, make_markdown(checking=True), rules, stems=stems, root=folder.root)
    loader = _Loader(report, rules, markup)

    site = loader.site(folder.files[SITE_FILE]) if SITE_FILE in folder.files else None
    if SITE_FILE not in folder.names:
        report.problem(root / SITE_FILE, 0, "site.md ontbreekt (titel, inleiding, eindstations, colofon)")
    accessibility = loader.statement(folder.files[STATEMENT_FILE]) if STATEMENT_FILE in folder.files else None
    if STATEMENT_FILE not in folder.names:
        report.problem(
            root / STATEMENT_FILE,
            0,
            "toegankelijkheid.md ontbreekt: de toegankelijkheidsverklaring is verplicht "
            "(Besluit digitale toegankelijkheid overheid)",
        )
    stops = []
    for name in folder.names:
        if name in (SITE_FILE, STATEMENT_FILE):
            continue
        match = STATION_FILE_RE.match(name)
        if match is None:
            report.problem(root / name, 0, file_name_fault(name))
            continue
        stop = loader.station(folder.files[name]) if name in folder.files else None
        stops.append(stop or StationFile(report.name(root / name), int(match.group(1)), match.group(2)))
    check_numbers_and_slugs(report, stops)
    for stop in stops:
        if stop.station is None and not any(p.path == stop.path for p in report.problems):
            # Every way a file can fail reports why; this only keeps a gap in that from half-loading the guide.
            report.problem(stop.path, 0, "dit haltebestand kon niet worden gelezen")
    if report.problems or site is None or accessibility is None:
        raise ContentError(report.problems, report.warnings)
    stations = sorted((s.station for s in stops if s.station is not None), key=lambda s: s.number)
    return Guide(
        site=site,
        stations=tuple(stations),
        accessibility=accessibility,
        version=folder.version,
        warnings=tuple(sorted(report.warnings)),
        images=tuple(markup.images[name] for name in sorted(markup.images)),
    )


class _Loader:
    """Turn one file at a time into part of the model, reporting what is wrong with it."""

    def __init__(self, report: Report, rules: Rules, markup: MarkupCheck):
        self.report = report
        self.rules = rules
        self.markup = markup
        self.md: MarkdownIt = markup.md

    def parse(self, file: SourceFile, layout: Layout) -> tuple[FrontMatter | None, dict[str, Section] | None]:
        """Check a file's front matter, Markdown and sections; each is None when it cannot be used."""
        tokens = self.md.parse(file.text)
        lines = file.text.split("\n")
        if not tokens or tokens[0].type != "front_matter":
            # Without its front matter the file's first lines read as a heading: checking the body
            # would only add confusing follow-on problems.
            report_missing_front_matter(self.report, file.path, lines)
            return None, None
        meta = read_front_matter(
            self.report, file.path, tokens[0], layout.keys, layout.optional_keys, max_chars=self.rules.max_field_chars
        )
        if meta is not None:
            for key, value in meta.values.items():
                self.markup.text(file.path, meta.line(key), value, f" in '{key}'")
        self.markup.body(file.path, tokens, lines)
        sections = split_sections(self.report, file.path, tokens, lines, layout)
        return meta, sections

    def site(self, file: SourceFile) -> SiteText | None:
        meta, sections = self.parse(file, SITE_LAYOUT)
        if meta is None or sections is None:
            return None
        return SiteText(
            title=meta["title"],
            subtitle=meta["subtitle"],
            lang=meta["lang"],
            introduction=sections["Inleiding"].source,
            start=sections["Samenwerking"].source,
            end=sections["Draagvlak"].source,
            colophon=sections["Colofon"].source,
        )

    def statement(self, file: SourceFile) -> AccessibilityStatement | None:
        meta, sections = self.parse(file, STATEMENT_LAYOUT)
        if meta is None or sections is None:
            return None
        return statement(self.report, file.path, meta, sections)

    def station(self, file: SourceFile) -> StationFile | None:
        report, path = self.report, file.path
        meta, sections = self.parse(file, STATION_LAYOUT)
        if meta is None:
            return None
        number = check_station_meta(report, self.rules, path, meta)
        if sections is None or number is None:
            return None
        quotes = blocks.quotes(report, path, sections["Citaten"])
        examples = blocks.examples(report, path, sections["Praktijkvoorbeelden"])
        questions = blocks.list_items(report, path, sections["Gespreksvragen"], "gespreksvraag")
        sources = blocks.list_items(report, path, sections["Bronnen"], "bron")
        counts: dict[str, int | None] = {"Citaten": len(quotes), "Praktijkvoorbeelden": len(examples)}
        # A section that is not a list was reported as such: its count would only repeat that.
        counts |= {"Gespreksvragen": len(questions) if questions is not None else None}
        counts |= {"Bronnen": len(sources) if sources is not None else None}
        check_counts(report, self.rules, path, sections, counts)
        if questions is None or sources is None:
            return None
        station = Station(
            number=number,
            slug=meta["slug"],
            title=meta["title"],
            label=meta["label"],
            pages=meta["pages"],
            statement=meta["statement"].strip(),
            explanation=sections["Toelichting"].source,
            quotes_md=sections["Citaten"].source,
            examples_md=sections["Praktijkvoorbeelden"].source,
            quotes=tuple(quotes),
            examples=tuple(examples),
            questions=tuple(questions),
            sources=tuple(sources),
            path=report.name(path),
            stem=path.stem,
        )
        return StationFile(station.path, number, station.slug, station, meta.line("number"), meta.line("slug"))
