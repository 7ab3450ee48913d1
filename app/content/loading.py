"""Load a language folder into the frozen guide: read, parse, check, then assemble.

Everything is gathered and checked first; a guide is returned only when there is not a single
problem, so a server never half-loads. Every problem names its file and line.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from app.content import blocks
from app.content.frontmatter import FrontMatter, read_front_matter
from app.content.markup import check_markup
from app.content.model import ContentError, Guide, SiteText, Station
from app.content.reading import SourceFile, read_folder
from app.content.report import Report
from app.content.rules import STATION_FILE_RE, Rules, Stop, check_counts, check_numbers_and_slugs, check_station_meta
from app.content.sections import Layout, Section, split_sections
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
    folder = read_folder(root, report)
    loader = _Loader(report, rules, stems={Path(n).stem for n in folder.names if n != SITE_FILE})

    site = None
    if SITE_FILE in folder.files:
        site = loader.site(folder.files[SITE_FILE])
    elif SITE_FILE not in folder.names:
        report.problem(root / SITE_FILE, 0, "site.md is missing (title, introduction, terminals, colophon)")
    stops = []
    for name in folder.names:
        if name == SITE_FILE:
            continue
        if not STATION_FILE_RE.match(name):
            report.problem(root / name, 0, "a stop file is named NN-<slug>.md, e.g. 03-leiderschap.md")
        elif name in folder.files:
            stop = loader.station(folder.files[name])
            if stop is not None:
                stops.append(stop)
    stops.sort(key=lambda s: s.station.number)
    check_numbers_and_slugs(report, stops)
    if report.problems or site is None:
        raise ContentError(report.problems, report.warnings)
    return Guide(site=site, stations=tuple(s.station for s in stops), version=folder.version)


class _Loader:
    """Turn one file at a time into part of the model, reporting what is wrong with it."""

    def __init__(self, report: Report, rules: Rules, stems: set[str]):
        self.report = report
        self.rules = rules
        self.stems = stems  # every stop file's name without .md: what internal links may point to
        # Parse with raw HTML recognised, only to report it; pages render with it switched off.
        self.md: MarkdownIt = make_markdown(checking=True)

    def parse(self, file: SourceFile, layout: Layout) -> tuple[FrontMatter | None, dict[str, Section] | None]:
        tokens = self.md.parse(file.text)
        meta = read_front_matter(self.report, file.path, tokens, layout.keys, layout.optional_keys)
        check_markup(self.report, file.path, tokens, self.stems)
        sections = split_sections(self.report, file.path, tokens, file.text.split("\n"), layout)
        return meta, sections

    def site(self, file: SourceFile) -> SiteText | None:
        meta, sections = self.parse(file, SITE_LAYOUT)
        if meta is None or sections is None:
            return None
        return SiteText(
            title=str(meta["title"]),
            subtitle=str(meta["subtitle"]),
            lang=str(meta["lang"]),
            introduction=sections["Inleiding"].source,
            start=sections["Samenwerking"].source,
            end=sections["Draagvlak"].source,
            colophon=sections["Colofon"].source,
        )

    def station(self, file: SourceFile) -> Stop | None:
        report, path = self.report, file.path
        meta, sections = self.parse(file, STATION_LAYOUT)
        if meta is None:
            return None
        ok = check_station_meta(report, self.rules, path, meta)
        if sections is None or not ok:
            return None
        quotes = blocks.quotes(report, path, sections["Citaten"])
        examples = blocks.examples(report, path, sections["Praktijkvoorbeelden"])
        questions = blocks.list_items(report, path, sections["Gespreksvragen"], "discussion question")
        sources = blocks.list_items(report, path, sections["Bronnen"], "source")
        check_counts(report, self.rules, path, sections, quotes, examples, questions, sources)
        station = Station(
            number=int(str(meta["number"])),
            slug=str(meta["slug"]),
            title=str(meta["title"]),
            label=str(meta["label"]),
            pages=str(meta["pages"]),
            statement=str(meta["statement"]).strip(),
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
        return Stop(station, meta.line("number"), meta.line("slug"))
