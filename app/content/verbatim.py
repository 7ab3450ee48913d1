"""Hold the guide's quotations and statements against the source documents, word for word.

`metro check --bronnen DIR` runs this. It reads the content files themselves, so every finding names
the file and line an editor opens. What is checked, in what the pages show (emphasis, quote styles,
hyphenation and spacing do not count):

- each stop's statement on the map (front matter `statement`) is the publication's text;
- each `::: citaat` block, in site.md too: every part between `[…]` stands in the document its
  `bron:` names, and its `wie:` role is named in the source near the quote;
- each discussion statement (`- Stelling: … *(WagenaarHoes, …)*`) is WagenaarHoes' text;
- each quotation of four or more words between “…” in the guide's own text stands in a source.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from app.content.model import Problem
from app.content.report import Report

# The documents a `bron:` can name, by the opening of their file name in the sources folder.
DOCUMENTS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("000", "VNG, Samenwerking tussen gemeenten", re.compile(r"Samenwerking tussen gemeenten|Zeven stops", re.I)),
    ("001", "Van Iperen, Gekanteld samenwerken", re.compile(r"Gekanteld samenwerken|Van Iperen", re.I)),
    ("004", "Korsten en Van de Laar", re.compile(r"Korsten|Samen sterk", re.I)),
    ("002", "WagenaarHoes", re.compile(r"WagenaarHoes|Tien succesfactoren", re.I)),
)
# Slips of the text extraction, not of the authors (see the sources' README).
OCR_SLIPS = (
    ("ontrecht en verbindt", "onthecht en verbind"),
    ("waar toe", "waartoe"),
    ("goed?en", "goed? en"),
    ("belangrijk..", "belangrijk."),
)
ELLIPSIS = re.compile(r"\[…\]|\[\.\.\.\]|…")
INLINE_QUOTE = re.compile(r"“([^”]+)”")
STATEMENT_LINE = re.compile(r"^\s*-\s*(?:\*\*)?Stelling:(?:\*\*)?\s*(.+?)\s*(\*\([^)]*\)\*)?\s*$")
MIN_INLINE_WORDS = 4
WHO_BEFORE, WHO_AFTER = 1500, 300  # characters around a quote in which its speaker's role must be named


def normalised(text: str) -> str:
    """Text as a reader compares it: no emphasis, straight quotes, no hyphenation, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"<[^>]+>", " ", text).replace("*", "").replace("_", " ")
    for curly, plain in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"')):
        text = text.replace(curly, plain)
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"-\s*\n\s*", "", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    for slip, fixed in OCR_SLIPS:
        text = text.replace(slip, fixed)
    return text


def read_sources(folder: Path) -> dict[str, str]:
    """The source documents in `folder`, normalised, by the opening of their file name ("000")."""
    return {p.name[:3]: normalised(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("0*.txt"))}


@dataclass(frozen=True)
class Claim:
    """A piece of text that says it is someone else's words."""

    line: int
    text: str  # Markdown
    kind: str  # "citaat", "uitspraak", "stelling" or "aanhaling"
    document: str = ""  # the document it must stand in ("" = any)
    attribution: str = ""  # the `bron:` as written
    who: str = ""


def _document(attribution: str) -> str | None:
    for key, _, pattern in DOCUMENTS:
        if pattern.search(attribution):
            return key
    return None


def claims(text: str) -> list[Claim]:
    """Every quotation and statement in one content file, with the line it starts on."""
    lines = text.splitlines()
    found: list[Claim] = []
    index = 0
    if lines and lines[0].strip() == "---":  # front matter: the statement on the map
        index = 1
        while index < len(lines) and lines[index].strip() != "---":
            if re.match(r"statement:\s*\|", lines[index]):
                start, body = index + 2, []
                while index + 1 < len(lines) and lines[index + 1].startswith((" ", "\t")):
                    index += 1
                    body.append(lines[index].strip())
                found.append(Claim(start, " ".join(body), "uitspraak", "000"))
            index += 1
        index += 1
    while index < len(lines):
        line = lines[index]
        if line.startswith("::: citaat"):
            fields: dict[str, str] = {}
            body, start = [], 0
            index += 1
            while index < len(lines) and lines[index].strip() != ":::":
                field = re.match(r"(wie|bron):\s*(.*)$", lines[index])
                if field and not body:
                    fields[field.group(1)] = field.group(2)
                elif lines[index].strip():
                    start = start or index + 1
                    body.append(lines[index])
                index += 1
            attribution = fields.get("bron", "")
            found.append(
                Claim(
                    start, "\n".join(body), "citaat", _document(attribution) or "?", attribution, fields.get("wie", "")
                )
            )
        elif statement := STATEMENT_LINE.match(line):
            attribution = statement.group(2) or ""
            found.append(Claim(index + 1, statement.group(1), "stelling", _document(attribution) or "", attribution))
        elif not re.match(r"\s*(bron|titel|waar|wie):", line):
            for quoted in INLINE_QUOTE.finditer(line):
                if len(quoted.group(1).split()) >= MIN_INLINE_WORDS:
                    found.append(Claim(index + 1, quoted.group(1), "aanhaling"))
        index += 1
    return found


def _parts(text: str) -> list[str]:
    """The runs of a quotation between its omissions, each as a reader compares it."""
    parts = (p.strip(" .,;:\"'") for p in ELLIPSIS.split(normalised(text)))
    return [p for p in parts if len(p) > 3]


def _title(key: str) -> str:
    return next(title for k, title, _ in DOCUMENTS if k == key)


def _check(claim: Claim, sources: dict[str, str]) -> list[str]:
    if claim.kind == "citaat" and not claim.attribution:
        return ["citaat zonder 'bron:'"]
    if claim.document == "?":
        known = ", ".join(title for _, title, _ in DOCUMENTS)
        return [f"'bron: {claim.attribution}' noemt geen van de brondocumenten ({known})"]
    messages = []
    for part in _parts(claim.text):
        where = [k for k, text in sources.items() if part in text]
        if claim.document and claim.document in sources and claim.document not in where:
            if where:
                messages.append(
                    f"{claim.kind} staat niet in {_title(claim.document)}, maar wel in een andere bron: «{part[:70]}»"
                )
            else:
                messages.append(f"{claim.kind} staat niet letterlijk in {_title(claim.document)}: «{part[:70]}»")
        elif not where:
            messages.append(f"{claim.kind} staat niet letterlijk in de bronnen: «{part[:70]}»")
    if claim.who and not messages and claim.document in sources:
        messages += _check_who(claim, sources[claim.document])
    return messages


def _check_who(claim: Claim, source: str) -> list[str]:
    """The speaker's role (its first word, e.g. 'wethouder') is named in the source near the quote."""
    role = normalised(claim.who).split()[0]
    first = _parts(claim.text)[0]
    at = source.find(first)
    while at >= 0:
        if role[:-1] in source[max(0, at - WHO_BEFORE) : at + len(first) + WHO_AFTER]:
            return []
        at = source.find(first, at + 1)
    return [f"'wie: {claim.who}': de bron noemt deze spreker niet bij dit citaat"]


def check_verbatim(content_dir: Path, sources_dir: Path, *, relative_to: Path | None = None) -> list[Problem]:
    """Every quotation and statement in `content_dir` that does not stand word for word in the sources."""
    sources = read_sources(sources_dir)
    report = Report(relative_to if relative_to is not None else Path.cwd())
    for path in sorted(content_dir.glob("*.md")):
        for claim in claims(path.read_text(encoding="utf-8")):
            for message in _check(claim, sources):
                report.problem(path, claim.line, message)
    return sorted(report.problems)
