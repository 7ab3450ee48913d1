"""Check the Markdown of a content file: no raw HTML, safe links, local images, closed `:::` blocks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from app.content.images import IMAGE_DIR, MAX_BYTES, MEDIA_TYPES, ImageFile, check_image
from app.content.report import Report
from app.content.rules import Rules
from app.content.sections import walk
from app.markdown import STOP_LINK_RE

SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
# The ids of a stop page's headings (templates/_station.html): what `03-x.md#…` may point to.
STOP_ANCHORS = ("titel", "toelichting", "citaten", "praktijk", "vragen", "bronnen")
# What is left of a link or image that Markdown did not read as one: `[tekst](adres met spatie)`.
LITERAL_LINK_RE = re.compile(r"!?\[[^\]\n]+\]\(([^)\n]*)\)")
# A closing `:::` line, also inside a list (indented) or a block quote (`> :::`).
CLOSING_RE = re.compile(r"^[\s>]*:{3,}\s*$")


class MarkupCheck:
    """Check file after file of one content folder; every finding goes to the report."""

    def __init__(self, report: Report, md: MarkdownIt, rules: Rules, *, stems: set[str], root: Path):
        self.report = report
        self.md = md  # the checking parser: it keeps raw HTML as tokens, so it can be reported
        self.rules = rules
        self.stems = stems  # every stop file's name without .md: what internal links may point to
        self.root = root  # the resolved content folder: images must lie inside it
        self.images: dict[str, ImageFile] = {}  # every image the texts show, by its path in the folder

    def body(self, path: Path, tokens: list[Token], lines: list[str]) -> None:
        """Check a file's Markdown body and the fields of its `:::` blocks."""
        self._inline(path, walk(tokens), "")
        self._containers(path, tokens, lines)

    def text(self, path: Path, line: int, text: str, where: str) -> None:
        """Check one value written as inline Markdown, such as a front-matter value."""
        self._inline(path, ((t, line) for t in self._children(text)), where)

    def _children(self, text: str) -> list[Token]:
        return [child for token in self.md.parseInline(text) for child in token.children or []]

    def _inline(self, path: Path, tokens: Iterable[tuple[Token, int]], where: str) -> None:
        report = self.report
        for token, line in tokens:
            if token.type in ("html_block", "html_inline"):
                snippet = token.content.strip().split("\n")[0][:40]
                report.problem(path, line, f"HTML is niet toegestaan{where}, schrijf Markdown: '{snippet}'")
            elif token.type == "link_open":
                self._link(path, line, str(token.attrGet("href") or ""))
            elif token.type == "image":
                self._image(path, line, str(token.attrGet("src") or ""), token.content)
            elif token.type == "text":
                self._literal(path, line, token.content, where)

    def _literal(self, path: Path, line: int, text: str, where: str) -> None:
        """Markdown that did not take: the page would show its brackets or asterisks as typed."""
        match = LITERAL_LINK_RE.search(text)
        if match:
            image = match.group(0).startswith("!")
            if " " not in match.group(1).strip():
                fix = "schrijf [tekst](adres), zonder iets tussen ] en ("
            elif image:
                fix = (
                    "de bestandsnaam bevat een spatie; geef het bestand een naam zonder spaties, zoals 'mijn-foto.jpg'"
                )
            else:
                fix = "haal de spatie uit het adres tussen ( )"
            what = "afbeelding" if image else "link"
            self.report.problem(path, line, f"'{match.group(0)[:60]}'{where} wordt geen {what}: {fix}")
        marker = next((m for m in ("**", "__") if m in text), "")
        if marker:
            self.report.problem(
                path,
                line,
                f"'{marker}'{where} wordt niet vet: zet de tekens direct tegen de woorden, zonder spatie: "
                f"{marker}zo wordt het vet{marker}",
            )

    def _link(self, path: Path, line: int, href: str) -> None:
        if SCHEME_RE.match(href):
            if not href.lower().startswith(SAFE_SCHEMES):
                self.report.problem(path, line, f"dit soort link is niet toegestaan: '{href}'")
            return
        match = STOP_LINK_RE.match(href)
        if match is None and href.lower().startswith("www."):
            self.report.problem(path, line, f"link '{href}' mist 'https://' aan het begin: schrijf 'https://{href}'")
            return
        if match and match.group(1) in self.stems and match.group(2):
            slug = match.group(1)[3:]  # the stop's page carries its section headings' ids
            anchors = [f"{slug}-{part}" for part in STOP_ANCHORS]
            if match.group(2)[1:] not in anchors:
                self.report.problem(
                    path,
                    line,
                    f"link '{href}': het deel na '#' bestaat niet op die halte; gebruik een van: "
                    + ", ".join(f"#{a}" for a in anchors),
                )
            return
        if match is None or match.group(1) not in self.stems:
            self.report.problem(
                path,
                line,
                f"link '{href}' leidt nergens heen: link naar een halte met de bestandsnaam, "
                "bijvoorbeeld '03-leiderschap.md'",
            )

    def _image(self, path: Path, line: int, src: str, alt: str) -> None:
        """An image is a file in the content folder: the guide never loads anything from elsewhere."""
        report = self.report
        if SCHEME_RE.match(src) or src.startswith("//"):
            report.problem(
                path,
                line,
                f"afbeelding van buiten de gids: '{src[:60]}'; zet het bestand in de inhoudsmap en verwijs er zo "
                "naar: ![omschrijving](foto.png)",
            )
            return
        if not alt.strip():
            report.problem(path, line, "afbeelding zonder omschrijving: zet tussen [ ] wat erop te zien is")
        name = unquote(src.split("#")[0].split("?")[0])
        target = (path.parent / name).resolve()
        folder = self.root / IMAGE_DIR
        if not src or not target.is_relative_to(self.root):
            report.problem(path, line, f"afbeelding '{src[:60]}' niet gevonden in de inhoudsmap")
            return
        if not target.is_relative_to(folder):
            report.problem(
                path,
                line,
                f"afbeelding '{src[:60]}': zet afbeeldingen in de map '{IMAGE_DIR}' naast de teksten en schrijf "
                f"![omschrijving]({IMAGE_DIR}/{Path(name).name})",
            )
            return
        if not target.is_file():
            report.problem(path, line, f"afbeelding '{src[:60]}' niet gevonden in de map '{IMAGE_DIR}'")
            return
        size = target.stat().st_size
        with target.open("rb") as file:
            head = file.read(min(size, MAX_BYTES))
        problems, warnings = check_image(target, size, head)
        for message in problems:
            report.problem(path, line, message)
        for message in warnings:
            report.warning(path, line, message)
        if not problems:
            relative = target.relative_to(self.root).as_posix()
            self.images[relative] = ImageFile(relative, target, MEDIA_TYPES[target.suffix.lower()])

    def _containers(self, path: Path, tokens: list[Token], lines: list[str]) -> None:
        """Every `:::` block is closed, none stands inside another, its fields are short plain text."""
        report, limit = self.report, self.rules.max_field_chars
        open_lines: list[int] = []
        for token in tokens:
            if not token.type.startswith("container_"):
                continue
            if token.nesting == -1:
                open_lines.pop()
                continue
            kind = token.type.split("_")[1]
            start, end = token.map or (0, 0)
            if open_lines:
                report.problem(
                    path,
                    start + 1,
                    f"'::: {kind}' staat binnen het blok van regel {open_lines[-1]}: "
                    "sluit dat blok eerst af met een regel ':::'",
                )
            elif end >= len(lines) or not CLOSING_RE.match(lines[end]):
                report.problem(
                    path, start + 1, f"'::: {kind}' wordt niet afgesloten: zet een regel ':::' onder de tekst"
                )
            open_lines.append(start + 1)
            field_lines: dict[str, int] = token.meta.get("field_lines", {})
            for key, value in token.meta.get("fields", {}).items():
                line = field_lines.get(key, start) + 1
                if len(value) > limit:
                    report.problem(path, line, f"veld '{key}' is {len(value)} tekens lang; hoogstens {limit} mag")
                else:
                    self.text(path, line, value, f" in veld '{key}'")
            body = "\n".join(lines[start + 1 + len(field_lines) : end]).strip()
            if len(body) > self.rules.max_block_chars:
                report.problem(
                    path,
                    start + 1,
                    f"de tekst van '::: {kind}' is {len(body)} tekens lang; hoogstens {self.rules.max_block_chars} mag",
                )
