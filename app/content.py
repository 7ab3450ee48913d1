"""Load and validate the guide's Markdown content into a frozen model.

Everything is gathered and checked first; a guide is returned only when there is not a single
problem, so a server never half-loads. Every problem names its file and line.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown_it.token import Token

from app.markdown import FIELD_RE, STOP_LINK_RE, make_markdown

STATION_FILE_RE = re.compile(r"^(\d\d)-([a-z0-9-]+)\.md$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

STATION_KEYS = ("number", "slug", "title", "label", "pages", "statement")
SITE_KEYS = ("title", "subtitle", "lang")
STATION_SECTIONS = ("Toelichting", "Citaten", "Praktijkvoorbeelden", "Gespreksvragen", "Bronnen")
SITE_SECTIONS = ("Inleiding", "Samenwerking", "Draagvlak", "Colofon")
SUBHEADED_SECTIONS = ("Toelichting", "Inleiding")
QUOTE_FIELDS = {"wie": False, "bron": True}  # field -> required
CASE_FIELDS = {"titel": True, "waar": True, "les": True, "bron": True}


@dataclass(frozen=True)
class Rules:
    """The limits `metro check` enforces; one place, so the content guide and tests agree."""

    explanation_words: tuple[int, int] = (250, 500)
    min_quotes: int = 3
    min_examples: int = 2
    questions: tuple[int, int] = (3, 6)
    label_chars: int = 28
    label_word_chars: int = 18


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """The content has problems; `problems` lists every one, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass(frozen=True)
class Quote:
    text: str  # Markdown, without quotation marks
    source: str  # Markdown (inline)
    who: str = ""


@dataclass(frozen=True)
class Example:
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
class Site:
    title: str
    subtitle: str
    lang: str
    introduction: str  # Markdown
    start: str  # the terminal SAMENWERKING
    end: str  # the terminal DRAAGVLAK
    colophon: str


@dataclass(frozen=True)
class Guide:
    site: Site
    stations: tuple[Station, ...]
    version: str  # a hash of every content file: changes when any text does

    def station(self, slug: str) -> Station | None:
        return next((s for s in self.stations if s.slug == slug), None)

    def neighbours(self, station: Station) -> tuple[Station | None, Station | None]:
        i = self.stations.index(station)
        before = self.stations[i - 1] if i > 0 else None
        after = self.stations[i + 1] if i + 1 < len(self.stations) else None
        return before, after


@dataclass
class _Section:
    title: str
    line: int  # 1-based line of the heading
    tokens: list[Token] = field(default_factory=list)
    source: str = ""


def load_guide(root: Path, rules: Rules = Rules(), *, relative_to: Path | None = None) -> Guide:
    """Read `root` (a language folder such as content/nl) and return the validated guide.

    Raises ContentError listing every problem found; nothing is returned half-loaded.
    """
    loader = _Loader(root, rules, relative_to)
    return loader.load()


class _Loader:
    def __init__(self, root: Path, rules: Rules, relative_to: Path | None):
        self.root = root
        self.rules = rules
        self.relative_to = relative_to if relative_to is not None else Path.cwd()
        # Parse with raw HTML recognised, only to report it; pages render with it switched off.
        self.md = make_markdown(checking=True)
        self.problems: list[Problem] = []
        self.key_lines: dict[str, dict[str, int]] = {}  # station path -> front-matter key -> line

    def name(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.relative_to.resolve()))
        except ValueError:
            return str(path)

    def problem(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.name(path), line, message))

    def load(self) -> Guide:
        if not self.root.is_dir():
            raise ContentError([Problem(self.name(self.root), 0, "content folder not found")])
        digest = hashlib.sha256()
        files = sorted(p for p in self.root.iterdir() if p.suffix == ".md")
        texts: dict[Path, str] = {}
        for path in files:
            raw = path.read_bytes()
            digest.update(path.name.encode() + b"\0" + raw)
            try:
                texts[path] = raw.decode("utf-8")
            except UnicodeDecodeError as err:
                line = raw[: err.start].count(b"\n") + 1
                self.problem(path, line, "not valid UTF-8 text")

        site_path = self.root / "site.md"
        station_paths = [p for p in files if p.name != "site.md"]
        stems = {p.stem for p in station_paths}
        site = None
        if site_path in texts:
            site = self.load_site(site_path, texts[site_path], stems)
        elif not site_path.exists():
            self.problem(site_path, 0, "site.md is missing (title, introduction, terminals, colophon)")
        stations = []
        for path in station_paths:
            if not STATION_FILE_RE.match(path.name):
                self.problem(path, 0, "a stop file is named NN-<slug>.md, e.g. 03-leiderschap.md")
                continue
            if path in texts:
                station = self.load_station(path, texts[path], stems)
                if station is not None:
                    stations.append(station)
        stations.sort(key=lambda s: s.number)
        self.check_numbers_and_slugs(stations)
        if self.problems or site is None:
            raise ContentError(self.problems)
        return Guide(site=site, stations=tuple(stations), version=digest.hexdigest()[:12])

    # -- files --------------------------------------------------------------------------------

    def load_site(self, path: Path, text: str, stems: set[str]) -> Site | None:
        meta, sections = self.parse(path, text, SITE_KEYS, SITE_SECTIONS, stems)
        if meta is None or sections is None:
            return None
        return Site(
            title=str(meta["title"]),
            subtitle=str(meta["subtitle"]),
            lang=str(meta["lang"]),
            introduction=sections["Inleiding"].source,
            start=sections["Samenwerking"].source,
            end=sections["Draagvlak"].source,
            colophon=sections["Colofon"].source,
        )

    def load_station(self, path: Path, text: str, stems: set[str]) -> Station | None:
        meta, sections = self.parse(path, text, STATION_KEYS, STATION_SECTIONS, stems)
        if meta is None:
            return None
        ok = self.check_station_meta(path, meta)
        if sections is None or not ok:
            return None
        quotes = self.quotes(path, sections["Citaten"])
        examples = self.examples(path, sections["Praktijkvoorbeelden"])
        questions = self.list_items(path, sections["Gespreksvragen"], "discussion question")
        sources = self.list_items(path, sections["Bronnen"], "source")
        self.check_counts(path, sections, quotes, examples, questions, sources)
        return Station(
            number=int(meta["number"]),
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
            path=self.name(path),
            stem=path.stem,
        )

    # -- parsing ------------------------------------------------------------------------------

    def parse(
        self, path: Path, text: str, keys: tuple[str, ...], titles: tuple[str, ...], stems: set[str]
    ) -> tuple[dict | None, dict[str, _Section] | None]:
        tokens = self.md.parse(text)
        lines = text.split("\n")
        meta = self.front_matter(path, tokens, keys)
        self.check_markup(path, tokens, stems)
        sections = self.sections(path, tokens, lines, titles)
        return meta, sections

    def front_matter(self, path: Path, tokens: list[Token], keys: tuple[str, ...]) -> dict | None:
        if not tokens or tokens[0].type != "front_matter":
            self.problem(path, 1, "front matter missing: the file starts with a '---' block")
            return None
        token = tokens[0]
        try:
            node = yaml.compose(token.content)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line = 2 + (mark.line if mark else 0)
            self.problem(path, line, f"front matter is not valid YAML: {getattr(err, 'problem', err)}")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(path, 2, "front matter must be 'key: value' lines")
            return None
        meta: dict = {}
        reported: set[str] = set()
        for key_node, value_node in node.value:
            line = 2 + key_node.start_mark.line
            key = key_node.value
            if key not in keys:
                self.problem(path, line, f"unknown front-matter key '{key}' (allowed: {', '.join(keys)})")
                continue
            if key in meta or key in reported:
                self.problem(path, line, f"front-matter key '{key}' appears twice")
                continue
            try:
                value = yaml.SafeLoader("").construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as err:
                reason = str(err).strip().split("\n")[0]
                self.problem(path, line, f"front-matter key '{key}' has a value YAML cannot read: {reason}")
                reported.add(key)
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                self.problem(path, line, f"front-matter key '{key}' is empty")
                reported.add(key)
                continue
            meta[key] = value
            meta[f"_{key}_line"] = line
        for key in keys:
            if key not in meta and key not in reported:
                self.problem(path, 1, f"front-matter key '{key}' is missing")
        if any(key not in meta for key in keys):
            return None
        return meta

    def sections(
        self, path: Path, tokens: list[Token], lines: list[str], titles: tuple[str, ...]
    ) -> dict[str, _Section] | None:
        found: list[_Section] = []
        body_start = tokens[0].map[1] if tokens and tokens[0].type == "front_matter" and tokens[0].map else 0
        for i, token in enumerate(tokens):
            if token.type != "heading_open":
                continue
            line = token.map[0] + 1 if token.map else 0
            if token.tag == "h3" and found and found[-1].title in SUBHEADED_SECTIONS:
                continue  # a sub-heading inside the explanation
            if token.tag != "h2":
                allowed = "'## ' for sections, '### ' inside " + " and ".join(SUBHEADED_SECTIONS)
                self.problem(path, line, f"heading '{'#' * int(token.tag[1])} ' not allowed here ({allowed})")
                continue
            found.append(_Section(tokens[i + 1].content.strip(), line))
        if not found:
            self.problem(path, body_start + 1, f"no sections: expected {', '.join(titles)}")
            return None
        before = [t for t in tokens if t.map and t.level == 0 and body_start <= t.map[0] < found[0].line - 1]
        if before:
            self.problem(path, (before[0].map or [0])[0] + 1, f"text before the first section '## {found[0].title}'")

        # Give every section its source text (without the heading line) and its tokens.
        heading_lines = [s.line for s in found] + [len(lines) + 1]
        for section, next_line in zip(found, heading_lines[1:]):
            section.source = "\n".join(lines[section.line : next_line - 1]).strip() + "\n"
        self.attach_tokens(tokens, found, heading_lines)

        ok = True
        seen: dict[str, _Section] = {}
        for section in found:
            if section.title not in titles:
                self.problem(path, section.line, f"unknown section '{section.title}' (expected: {', '.join(titles)})")
                ok = False
            elif section.title in seen:
                self.problem(
                    path,
                    section.line,
                    f"section '{section.title}' appears twice (first on line {seen[section.title].line})",
                )
                ok = False
            else:
                seen[section.title] = section
        order = [s.title for s in found if s.title in titles]
        for i, title in enumerate(titles):
            if title not in seen:
                after = f" (expected after '{titles[i - 1]}')" if i else " (expected first)"
                # Point at the section that should have come after it, or else the last one.
                later = [s.line for s in seen.values() if titles.index(s.title) > i]
                self.problem(path, min(later, default=found[-1].line), f"section '{title}' is missing{after}")
                ok = False
        expected = [t for t in titles if t in order]
        if ok and order != expected:
            for got, want in zip(found, expected):
                if got.title != want:
                    self.problem(
                        path,
                        got.line,
                        f"section '{got.title}' is out of order: expected '{want}' here ({' → '.join(titles)})",
                    )
                    break
            ok = False
        return seen if ok else None

    @staticmethod
    def attach_tokens(tokens: list[Token], found: list[_Section], heading_lines: list[int]) -> None:
        """Give each section every token between its heading and the next (closing tokens have no map)."""
        for section, next_line in zip(found, heading_lines[1:]):
            inside, result = False, []
            for token in tokens:
                if token.map:
                    inside = section.line <= token.map[0] + 1 < next_line and token.map[0] + 1 != section.line
                if inside:
                    result.append(token)
            section.tokens = result

    def check_markup(self, path: Path, tokens: list[Token], stems: set[str]) -> None:
        for token, line in _walk(tokens):
            if token.type in ("html_block", "html_inline"):
                snippet = token.content.strip().split("\n")[0][:40]
                self.problem(path, line, f"raw HTML is not allowed, write Markdown instead: '{snippet}'")
            elif token.type == "link_open":
                href = str(token.attrGet("href") or "")
                self.check_link(path, line, href, stems)

    def check_link(self, path: Path, line: int, href: str, stems: set[str]) -> None:
        if SCHEME_RE.match(href):
            if not href.lower().startswith(("http:", "https:", "mailto:", "tel:")):
                self.problem(path, line, f"link scheme not allowed: '{href}'")
            return
        match = STOP_LINK_RE.match(href)
        if match is None or match.group(1) not in stems:
            self.problem(
                path, line, f"broken internal link '{href}': link to a stop by its file name, e.g. '03-leiderschap.md'"
            )

    # -- typed blocks -------------------------------------------------------------------------

    def blocks(self, path: Path, section: _Section, kind: str, fields: dict[str, bool]) -> list[tuple[dict, str, int]]:
        """Return (fields, body Markdown, line) for every `::: kind` block in a section."""
        result = []
        source_lines = section.source.split("\n")
        depth = 0
        for token in section.tokens:
            if (
                token.level == 0
                and token.type not in (f"container_{kind}_open", f"container_{kind}_close")
                and depth == 0
            ):
                if token.map and token.nesting != -1:
                    what = "quote" if kind == "citaat" else "practice example"
                    self.problem(
                        path,
                        token.map[0] + 1,
                        f"'{section.title}' holds only '::: {kind}' blocks; put this {what} text inside one",
                    )
                continue
            if token.type == f"container_{kind}_open":
                depth += 1
                line = token.map[0] + 1 if token.map else section.line
                end = token.map[1] if token.map else line
                values = token.meta.get("fields", {})
                field_lines = token.meta.get("field_lines", {})
                for key, value in values.items():
                    key_line = field_lines.get(key, line - 1) + 1
                    if key not in fields:
                        self.problem(
                            path, key_line, f"unknown field '{key}' in '::: {kind}' (allowed: {', '.join(fields)})"
                        )
                    elif not value:
                        self.problem(path, key_line, f"field '{key}' is empty in '::: {kind}'")
                for key, required in fields.items():
                    if required and key not in values:
                        label = "quote without attribution" if kind == "citaat" else f"'::: {kind}' without '{key}'"
                        self.problem(path, line, f"{label}: add a line '{key}: …' at the top of the block")
                # Body: the block's lines after the field lines, up to the closing ':::'.
                first = line - section.line  # index into source_lines (section source starts after heading)
                body_lines = source_lines[first : end - section.line - 1]
                body_lines = [ln for ln in body_lines if not (FIELD_RE.match(ln) and ln.split(":")[0] in values)]
                body = "\n".join(body_lines).strip()
                if not body:
                    self.problem(path, line, f"'::: {kind}' has no text after its fields")
                result.append(({k: v for k, v in values.items() if k in fields}, body + "\n", line))
            elif token.type == f"container_{kind}_close":
                depth -= 1
        return result

    def quotes(self, path: Path, section: _Section) -> list[Quote]:
        return [
            Quote(text=body, source=f.get("bron", ""), who=f.get("wie", ""))
            for f, body, _ in self.blocks(path, section, "citaat", QUOTE_FIELDS)
        ]

    def examples(self, path: Path, section: _Section) -> list[Example]:
        return [
            Example(
                title=f.get("titel", ""),
                where=f.get("waar", ""),
                lesson=f.get("les", ""),
                source=f.get("bron", ""),
                text=body,
            )
            for f, body, _ in self.blocks(path, section, "praktijk", CASE_FIELDS)
        ]

    def list_items(self, path: Path, section: _Section, what: str) -> list[str]:
        items, depth = [], 0
        for token in section.tokens:
            if token.type == "bullet_list_open":
                depth += 1
            elif token.type == "bullet_list_close":
                depth -= 1
            elif token.level == 0 and token.map and token.nesting != -1:
                self.problem(path, token.map[0] + 1, f"'{section.title}' is a list: start every {what} with '- '")
            elif token.type == "inline" and depth == 1:
                items.append(token.content.strip())
        return items

    # -- rules across a file and across files -------------------------------------------------

    def check_station_meta(self, path: Path, meta: dict) -> bool:
        self.key_lines[self.name(path)] = {k[1:-5]: v for k, v in meta.items() if k.endswith("_line")}
        ok = True
        number = meta["number"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            self.problem(path, meta["_number_line"], f"number must be a whole number from 1, not '{number}'")
            ok = False
        slug = meta["slug"]
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            self.problem(path, meta["_slug_line"], f"slug '{slug}' is not URL-safe: use a-z, 0-9 and single hyphens")
            ok = False
        match = STATION_FILE_RE.match(path.name)
        if ok and match and (int(match.group(1)) != number or match.group(2) != slug):
            self.problem(
                path,
                meta["_slug_line"],
                f"file name does not match number and slug: rename it to {number:02d}-{slug}.md",
            )
            ok = False
        label = str(meta["label"])
        if len(label) > self.rules.label_chars:
            self.problem(
                path,
                meta["_label_line"],
                f"label is {len(label)} characters, at most {self.rules.label_chars} fit on the map",
            )
        long_words = [w for w in label.split() if len(w) > self.rules.label_word_chars]
        if long_words:
            self.problem(
                path,
                meta["_label_line"],
                f"label word '{long_words[0]}' is longer than {self.rules.label_word_chars} characters and will not fit on the map",
            )
        return ok

    def check_counts(self, path, sections, quotes, examples, questions, sources) -> None:
        rules = self.rules
        explanation = sections["Toelichting"]
        words = sum(len(re.findall(r"\w+", t.content)) for t, _ in _walk(explanation.tokens) if t.type == "text")
        low, high = rules.explanation_words
        if not low <= words <= high:
            self.problem(path, explanation.line, f"'Toelichting' has {words} words, {low}–{high} are required")
        if len(quotes) < rules.min_quotes:
            self.problem(
                path,
                sections["Citaten"].line,
                f"'Citaten' has {len(quotes)} quotes, at least {rules.min_quotes} are required",
            )
        if len(examples) < rules.min_examples:
            self.problem(
                path,
                sections["Praktijkvoorbeelden"].line,
                f"'Praktijkvoorbeelden' has {len(examples)} practice examples, at least {rules.min_examples} are required",
            )
        low, high = rules.questions
        if not low <= len(questions) <= high:
            self.problem(
                path,
                sections["Gespreksvragen"].line,
                f"'Gespreksvragen' has {len(questions)} questions, {low}–{high} are required",
            )
        if not sources:
            self.problem(path, sections["Bronnen"].line, "'Bronnen' lists no sources")

    def check_numbers_and_slugs(self, stations: list[Station]) -> None:
        by_number: dict[int, Station] = {}
        by_slug: dict[str, Station] = {}
        for station in stations:
            lines = self.key_lines[station.path]
            if station.number in by_number:
                other = by_number[station.number].path
                self.problems.append(
                    Problem(station.path, lines["number"], f"duplicate number {station.number} (also in {other})")
                )
            by_number.setdefault(station.number, station)
            if station.slug in by_slug:
                other = by_slug[station.slug].path
                self.problems.append(
                    Problem(station.path, lines["slug"], f"duplicate slug '{station.slug}' (also in {other})")
                )
            by_slug.setdefault(station.slug, station)
        missing = [n for n in range(1, len(stations) + 1) if n not in by_number]
        if missing:
            last = stations[-1]
            self.problems.append(
                Problem(
                    last.path,
                    self.key_lines[last.path]["number"],
                    f"stop numbers must run 1..{len(stations)} without gaps: {', '.join(map(str, missing))} missing",
                )
            )


def _walk(tokens: list[Token]) -> Iterator[tuple[Token, int]]:
    """Yield every token, children included, with the 1-based line it starts on."""
    line = 0
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        yield token, line
        for child in token.children or []:
            yield child, line
