"""Undo the habits Word and Notepad bring, line by line, before the Markdown is read.

Each change keeps the line count (messages keep their line numbers) and only touches what an
editor cannot see or did not mean: a tab or a non-breaking space where Markdown expects a space,
a Word bullet where the guide expects '- ', a heading written '##Citaten', `::: Citaat` with a
capital, a hard space after a name in the kop, quotation marks typed around a quote the guide
marks itself. Everything else is left as it is.
"""

from __future__ import annotations

import re

HARD_SPACES = "\u00a0\u202f\u2007"  # non-breaking, narrow non-breaking, figure space
# A list item indented with tabs or hard spaces, or written with a Word bullet.
LIST_RE = re.compile(rf"^[\t{HARD_SPACES}]*([-*•·▪◦]|\d+[.)])[ \t{HARD_SPACES}]+(?=\S)")
INDENTED_LIST_RE = re.compile(rf"^[\t{HARD_SPACES}]+(?=[-*•·▪◦][ \t{HARD_SPACES}]|\d+[.)][ \t{HARD_SPACES}])")
HEADING_RE = re.compile(rf"^(#{{1,6}})(?:[\t{HARD_SPACES}]+| ?(?=[A-Za-zÀ-ÿ]))[ \t{HARD_SPACES}]*(?=\S)")
OPEN_MARKS = "“„\"‘‚'«"
CLOSE_MARKS = "”\"’'»“"
QUOTE_OPEN_RE = re.compile(r"^\s*:{3,}\s*citaat\s*$")
CLOSING_RE = re.compile(r"^\s*:{3,}\s*$")
FIELD_LINE_RE = re.compile(r"^[A-Za-z]+:")
# `::: Citaat` (Word capitalises the first word of a line): the guide's two kinds, in any case.
KIND_RE = re.compile(r"^(\s*:{3,}\s*)(citaat|praktijk)(\s*)$", re.IGNORECASE)
# A hard space after the colon of a line in the kop: YAML would read the whole line as one name.
KOP_KEY_RE = re.compile(rf"^([A-Za-z_][\w-]*):[{HARD_SPACES}]+")


def normalise(text: str) -> str:
    lines = text.split("\n")
    kop_end = _kop_end(lines)
    for i, line in enumerate(lines):
        lines[i] = KOP_KEY_RE.sub(r"\1: ", line) if i < kop_end else _line(line)
    _strip_quote_marks(lines)
    return "\n".join(lines)


def _kop_end(lines: list[str]) -> int:
    """The index of the line that closes the kop (the `---` block at the top), or 0 when there is none."""
    if not lines or lines[0].strip() != "---":
        return 0
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)


def _line(line: str) -> str:
    kind = KIND_RE.match(line)
    if kind:
        return kind.group(1) + kind.group(2).lower() + kind.group(3)
    if INDENTED_LIST_RE.match(line) and not line.startswith(" "):
        line = line.lstrip("\t" + HARD_SPACES)
    match = LIST_RE.match(line)
    if match and not line.startswith(" "):
        marker = match.group(1)
        marker = "-" if marker in "•·▪◦" else marker
        return f"{marker} {line[match.end() :]}"
    match = HEADING_RE.match(line)
    if match and (len(match.group(1)) > 1 or match.end() > 1):
        return f"{match.group(1)} {line[match.end() :]}"
    return line


def _strip_quote_marks(lines: list[str]) -> None:
    """The guide puts the marks around every quote: remove the ones typed around the whole text."""
    i = 0
    while i < len(lines):
        if not QUOTE_OPEN_RE.match(lines[i]):
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if CLOSING_RE.match(lines[j])), None)
        if end is None:
            return
        body = [j for j in range(i + 1, end) if lines[j].strip()]
        # The text is what follows the field lines and the blank line under them.
        blank = next((j for j in range(i + 1, end) if not lines[j].strip()), None)
        if blank is not None and all(FIELD_LINE_RE.match(lines[j]) for j in range(i + 1, blank)):
            body = [j for j in body if j > blank]
        if body:
            first, last = body[0], body[-1]
            head, tail = lines[first].lstrip(), lines[last].rstrip()
            if head[:1] in OPEN_MARKS and tail[-1:] in CLOSE_MARKS and (first != last or len(head) > 2):
                lines[first] = head[1:]
                lines[last] = lines[last].rstrip()[:-1]
        i = end + 1
