"""Read the typed `:::` blocks (quotes, practice examples) and the lists of a section."""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from app.content.model import Example, Quote
from app.content.report import Report
from app.content.sections import Section
from app.markdown import FIELD_RE

QUOTE_FIELDS = {"wie": False, "bron": True}  # field -> required
EXAMPLE_FIELDS = {"titel": True, "waar": True, "les": True, "bron": True}


@dataclass(frozen=True)
class Block:
    fields: dict[str, str]
    body: str  # Markdown
    line: int  # 1-based line of the opening `::: kind`


def blocks(report: Report, path: Path, section: Section, kind: str, fields: dict[str, bool]) -> list[Block]:
    """Return every `::: kind` block in a section; anything else in it is a problem."""
    result = []
    source_lines = section.source.split("\n")
    depth = 0
    # The 1-based line of source_lines[0]: the section's source starts at its first token.
    top = next((t.map[0] + 1 for t in section.tokens if t.map), section.line + 1)
    for token in section.tokens:
        if token.level == 0 and token.type not in (f"container_{kind}_open", f"container_{kind}_close") and depth == 0:
            if token.map and token.nesting != -1:
                report.problem(
                    path,
                    token.map[0] + 1,
                    f"'{section.title}' bevat alleen '::: {kind}'-blokken: zet deze tekst in een blok",
                )
            continue
        if token.type == f"container_{kind}_open":
            depth += 1
            line = token.map[0] + 1 if token.map else section.line
            end = token.map[1] if token.map else line
            values: dict[str, str] = token.meta.get("fields", {})
            field_lines: dict[str, int] = token.meta.get("field_lines", {})
            head = source_lines[line - top + 1 : end - top + 1]
            meant = _twice(report, path, head, line, kind) if values else set()
            for key, value in values.items():
                key_line = field_lines.get(key, line - 1) + 1
                if key not in fields:
                    unused = [f for f in fields if f not in values]
                    close = difflib.get_close_matches(key, unused, n=1, cutoff=0.6)
                    hint = f": bedoelt u '{close[0]}:'?" if close else ""
                    meant.update(close)
                    report.problem(
                        path,
                        key_line,
                        f"onbekend veld '{key}' in '::: {kind}'{hint} (toegestaan: {', '.join(fields)})",
                    )
                elif not value:
                    report.problem(path, key_line, f"veld '{key}' is leeg in '::: {kind}'")
            if not values and _fieldless(
                report, path, source_lines[line - top + 1 : end - top + 1], line, kind, fields
            ):
                result.append(Block({}, "\n", line))
                continue
            for key, required in fields.items():
                if required and key not in values and key not in meant:
                    what = "citaat zonder bron" if kind == "citaat" else f"'::: {kind}' zonder '{key}'"
                    report.problem(path, line, f"{what}: zet bovenaan het blok een regel '{key}: …'")
            # Body: the block's lines after the field lines, up to the closing ':::'.
            body_lines = source_lines[line - top + 1 : end - top + 1]
            body_lines = [ln for ln in body_lines if not (FIELD_RE.match(ln) and ln.split(":")[0] in values)]
            body = "\n".join(body_lines).strip()
            if not body:
                report.problem(path, line, f"'::: {kind}' heeft geen tekst onder de velden")
            result.append(Block({k: v for k, v in values.items() if k in fields}, body + "\n", line))
        elif token.type == f"container_{kind}_close":
            depth -= 1
    return result


LOOSE_FIELD_RE = re.compile(r"^\s*([A-Za-z]+)\s*:\s*(.*)$")


def _twice(report: Report, path: Path, head: list[str], line: int, kind: str) -> set[str]:
    """Report a field written twice at the top of a block (only the last would count); return those fields."""
    seen: set[str] = set()
    twice: set[str] = set()
    for offset, text in enumerate(itertools.takewhile(str.strip, head)):
        match = FIELD_RE.match(text)
        if match and match.group(1) in seen:
            twice.add(match.group(1))
            report.problem(path, line + 1 + offset, f"veld '{match.group(1)}' staat twee keer in '::: {kind}'")
        elif match:
            seen.add(match.group(1))
    return twice


def _field_line_fault(text: str, kind: str, fields: dict[str, bool]) -> str:
    """What keeps a line that is meant as a field from being read as one ("" when it is not one)."""
    if FIELD_RE.match(text):
        return ""
    hidden = [c for c in text if unicodedata.category(c) == "Cf"]
    visible = "".join(c for c in text if c not in hidden)
    match = FIELD_RE.match(visible)
    if hidden and match and match.group(1) in fields:
        name = unicodedata.name(hidden[0], "").lower() or "stuurteken"
        return (
            f"veld '{match.group(1)}' in '::: {kind}' bevat een onzichtbaar teken (U+{ord(hidden[0]):04X}, {name}): "
            f"typ de regel opnieuw, beginnend met '{match.group(1)}:'"
        )
    loose = LOOSE_FIELD_RE.match(text)
    key = loose.group(1) if loose else ""
    if key.lower() not in fields:
        return ""
    if key != key.lower():
        return f"onbekend veld '{key}' in '::: {kind}': velden schrijft u met kleine letters ('{key.lower()}:')"
    if text[:1].isspace():
        return f"veld '{key}' in '::: {kind}' springt in: begin de regel met '{key}:', zonder spaties ervoor"
    return f"veld '{key}' in '::: {kind}': zet de dubbele punt direct achter de naam, zonder spatie: '{key}:'"


def _fieldless(report: Report, path: Path, lines: list[str], line: int, kind: str, fields: dict[str, bool]) -> bool:
    """Name what is wrong when a block's fields were not read; True when a problem was reported."""
    allowed = ", ".join(fields)
    faults = [(offset, _field_line_fault(text, kind, fields)) for offset, text in enumerate(lines)]
    faults = [(offset, message) for offset, message in faults[: _paragraph(lines)] if message]
    for offset, message in faults:
        report.problem(path, line + 1 + offset, message)
    if faults:
        return True
    loose = []
    for text in lines:
        match = LOOSE_FIELD_RE.match(text)
        if not match:
            break
        loose.append(match.group(1))
    if loose and len(loose) < len(lines) and lines[len(loose)].strip():
        report.problem(
            path,
            line + 1 + len(loose),
            f"zet een lege regel tussen de velden en de tekst van '::: {kind}'",
        )
        return True
    if not loose and sum(fields.values()) > 1:  # one message, not one per missing field
        report.problem(
            path,
            line,
            f"'::: {kind}' heeft geen velden: zet bovenaan het blok de velden ({allowed}), één per regel, "
            "dan een lege regel en dan de tekst",
        )
        return True
    return False


def _paragraph(lines: list[str]) -> int:
    """How many lines the first paragraph of a block has: the lines that can be its fields."""
    return sum(1 for _ in itertools.takewhile(str.strip, lines))


# “…” – wethouder: a quote typed with its marks and its speaker, as in a Word document.
SPEAKER_RE = re.compile(r"^[“„\"‘'«].*[”\"’'»]\s*[-–—]\s*\S.*$", re.DOTALL)


def quotes(report: Report, path: Path, section: Section) -> list[Quote]:
    found = blocks(report, path, section, "citaat", QUOTE_FIELDS)
    for block in found:
        if SPEAKER_RE.match(block.body.strip()):
            report.problem(
                path,
                block.line,
                "dit citaat eindigt met de spreker achter de aanhalingstekens: de gids zet de aanhalingstekens "
                "zelf; haal ze weg en zet de spreker in het veld 'wie: …'",
            )
    return [Quote(text=b.body, source=b.fields.get("bron", ""), who=b.fields.get("wie", "")) for b in found]


def examples(report: Report, path: Path, section: Section) -> list[Example]:
    return [
        Example(
            title=b.fields.get("titel", ""),
            where=b.fields.get("waar", ""),
            lesson=b.fields.get("les", ""),
            source=b.fields.get("bron", ""),
            text=b.body,
        )
        for b in blocks(report, path, section, "praktijk", EXAMPLE_FIELDS)
    ]


def list_items(report: Report, path: Path, section: Section, what: str) -> list[str] | None:
    """Return the items of a section that is a bullet list; None after reporting anything else in it.

    Only the first line that is not an item is named: the rest are the same slip.
    """
    items, depth, wrong = [], 0, False
    for token in section.tokens:
        if token.type == "bullet_list_open":
            depth += 1
        elif token.type == "bullet_list_close":
            depth -= 1
        elif token.level == 0 and token.map and token.nesting != -1:
            if not wrong:
                report.problem(
                    path,
                    token.map[0] + 1,
                    f"'{section.title}' is een lijst: begin elke {what} met '- '{_instead(token, section)}",
                )
            wrong = True
        elif token.type == "inline" and depth == 1:
            items.append(token.content.strip())
    return None if wrong else items


DASHES = "–—‐‑−"  # en and em dash, hyphen, non-breaking hyphen, minus: Word's "AutoFormat" list marks


def _instead(token: Token, section: Section) -> str:
    """What the editor wrote instead of '- ', when it is a known habit."""
    if token.type == "ordered_list_open":
        return " in plaats van een nummer"
    top = next((t.map[0] for t in section.tokens if t.map), 0)
    lines = section.source.split("\n")
    index = (token.map[0] if token.map else top) - top
    first = lines[index].lstrip()[:1] if 0 <= index < len(lines) else ""
    if first and first in DASHES:
        return f" (een gewoon minteken; '{first}' is een streepje uit Word)"
    return ""
