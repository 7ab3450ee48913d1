"""Split a content file's Markdown body into its `## ` sections and check their order."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from app.content.report import Report


@dataclass(frozen=True)
class Layout:
    """What one kind of content file holds: its front-matter keys and its sections, in order."""

    keys: tuple[str, ...]
    sections: tuple[str, ...]
    subheaded: tuple[str, ...] = ()  # sections that may hold `### ` sub-headings
    optional_keys: tuple[str, ...] = ()


@dataclass
class Section:
    title: str
    line: int  # 1-based line of the heading
    tokens: list[Token] = field(default_factory=list)
    source: str = ""  # the Markdown below the heading, up to the next section


def split_sections(
    report: Report, path: Path, tokens: list[Token], lines: list[str], layout: Layout
) -> dict[str, Section] | None:
    """Return the sections by title when all of the layout's are there, once and in order."""
    titles = layout.sections
    found: list[Section] = []
    named: set[str] = set()  # sections a problem already names: not also reported missing
    body_start = tokens[0].map[1] if tokens and tokens[0].type == "front_matter" and tokens[0].map else 0
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        line = token.map[0] + 1 if token.map else 0
        if token.tag == "h3" and found and found[-1].title in layout.subheaded:
            continue  # a sub-heading inside the explanation
        if token.tag != "h2":
            hashes, title = "#" * int(token.tag[1]), tokens[i + 1].content.strip()
            if title in titles and title not in named:
                named.add(title)
                report.problem(path, line, f"kop '{hashes} {title}': een sectie begint met twee '#': '## {title}'")
            else:
                report.problem(path, line, f"kop '{hashes} ' is hier niet toegestaan ({_headings(layout)})")
            continue
        found.append(Section(tokens[i + 1].content.strip(), line))
    if not found:
        report.problem(path, body_start + 1, f"geen secties gevonden; verwacht: {', '.join(titles)}")
        return None
    before = [t for t in tokens if t.map and t.level == 0 and body_start <= t.map[0] < found[0].line - 1]
    if before:
        report.problem(path, (before[0].map or [0])[0] + 1, f"tekst vóór de eerste sectie '## {found[0].title}'")

    # Give every section its source text (without the heading line) and its tokens.
    heading_lines = [s.line for s in found] + [len(lines) + 1]
    for section, next_line in zip(found, heading_lines[1:]):
        section.source = "\n".join(lines[section.line : next_line - 1]).strip() + "\n"
    _attach_tokens(tokens, found, heading_lines)
    return _check_order(report, path, found, titles, named)


def _headings(layout: Layout) -> str:
    sub = " en ".join(layout.subheaded)
    return f"'## ' begint een sectie, '### ' alleen binnen {sub}" if sub else "'## ' begint een sectie"


def _unknown(title: str, titles: tuple[str, ...]) -> tuple[str, str]:
    """(the section meant, Dutch message) for a heading that is not one of `titles`."""
    hidden = [c for c in title if unicodedata.category(c) in ("Cf", "Cc", "Zs") and c != " "]
    visible = "".join(c for c in title if c not in hidden)
    if hidden and visible in titles:
        char = hidden[0]
        name = unicodedata.name(char, "").lower() or "stuurteken"
        return visible, (
            f"de kop '## {visible}' bevat een onzichtbaar teken (U+{ord(char):04X}, {name}): "
            f"typ de kop opnieuw als '## {visible}'"
        )
    shown = visible if hidden else title
    close = difflib.get_close_matches(title.lower(), [t.lower() for t in titles], n=1, cutoff=0.75)
    meant = next((t for t in titles if close and t.lower() == close[0]), "")
    hint = f": bedoelt u '## {meant}'?" if meant else ""
    return meant, f"onbekende sectie '{shown}'{hint} (verwacht: {', '.join(titles)})"


def _check_order(
    report: Report, path: Path, found: list[Section], titles: tuple[str, ...], named: set[str]
) -> dict[str, Section] | None:
    ok = True
    seen: dict[str, Section] = {}
    for section in found:
        if section.title not in titles:
            meant, message = _unknown(section.title, titles)
            report.problem(path, section.line, message)
            named.add(meant)
            ok = False
        elif section.title in seen:
            first = seen[section.title].line
            report.problem(path, section.line, f"sectie '{section.title}' staat er twee keer (eerst op regel {first})")
            ok = False
        else:
            seen[section.title] = section
    for i, title in enumerate(titles):
        ok = ok and title in seen
        if title not in seen and title not in named:
            after = f" (verwacht na '{titles[i - 1]}')" if i else " (verwacht als eerste)"
            # Point at the section that should have come after it, or else the last one.
            later = [s.line for s in seen.values() if titles.index(s.title) > i]
            report.problem(path, min(later, default=found[-1].line), f"sectie '{title}' ontbreekt{after}")
            ok = False
    order = [s.title for s in found if s.title in titles]
    expected = [t for t in titles if t in order]
    if ok and order != expected:
        for got, want in zip(found, expected):
            if got.title != want:
                report.problem(
                    path,
                    got.line,
                    f"sectie '{got.title}' staat niet op zijn plaats: hier hoort '{want}' ({' → '.join(titles)})",
                )
                break
        ok = False
    return seen if ok else None


def _attach_tokens(tokens: list[Token], found: list[Section], heading_lines: list[int]) -> None:
    """Give each section every token between its heading and the next (closing tokens have no map)."""
    for section, next_line in zip(found, heading_lines[1:]):
        inside, result = False, []
        for token in tokens:
            if token.map:
                inside = section.line <= token.map[0] + 1 < next_line and token.map[0] + 1 != section.line
            if inside:
                result.append(token)
        section.tokens = result


def walk(tokens: list[Token]) -> Iterator[tuple[Token, int]]:
    """Yield every token, children included, with the 1-based line it starts on."""
    line = 0
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        yield token, line
        for child in token.children or []:
            yield child, line
