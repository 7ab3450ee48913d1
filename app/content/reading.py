"""Find the content files of a language folder and read them as text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from app.content.model import ContentError
from app.content.report import Report


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str


@dataclass(frozen=True)
class Folder:
    """The Markdown files of a content folder: every name found, and the text of those read."""

    root: Path
    names: tuple[str, ...]  # every *.md entry, sorted, whether it could be read or not
    files: dict[str, SourceFile]  # name -> text, for the files that could be read
    version: str  # a hash of every file read: changes when any text does


def read_folder(root: Path, report: Report) -> Folder:
    """Read every *.md file in `root`; a file that cannot be read is a problem, not an exception."""
    if not root.is_dir():
        report.problem(root, 0, "inhoudsmap niet gevonden")
        raise ContentError(report.problems)
    digest = hashlib.sha256()
    paths = sorted(p for p in root.iterdir() if p.suffix == ".md")
    files: dict[str, SourceFile] = {}
    for path in paths:
        raw = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + raw)
        try:
            # A byte order mark (Windows Notepad) is dropped; line ends become "\n" as Markdown reads them.
            text = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
            files[path.name] = SourceFile(path, text)
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            report.problem(path, line, "dit is geen UTF-8-tekst: sla het bestand op als UTF-8")
    return Folder(root, tuple(p.name for p in paths), files, digest.hexdigest()[:12])
