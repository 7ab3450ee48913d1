"""Find the content files of a language folder and read them, refusing anything but small regular files.

A content folder is edited by hand and synchronised by tools, so it may hold things that are not
text files: a directory named like one, a FIFO (reading it would hang), a device (/dev/zero never
ends), a symbolic link to somewhere else. Each is named in a problem and never read.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from app.content.model import ContentError
from app.content.normalise import normalise
from app.content.report import Report

# Opening must not block (a FIFO waits for a writer) nor follow a link swapped in after the checks.
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str  # with "\n" line ends, as Markdown counts lines


@dataclass(frozen=True)
class Folder:
    """The Markdown files of a content folder: every name found, and the text of those read."""

    root: Path  # the folder, resolved: what "inside the content folder" means
    names: tuple[str, ...]  # every *.md entry, sorted, whether it could be read or not
    files: dict[str, SourceFile]  # name -> text, for the files that could be read
    version: str  # a hash of every file read: changes when any text does


def read_folder(root: Path, report: Report, *, max_bytes: int) -> Folder:
    """Read every *.md file in `root`; a file that cannot be read is a problem, not an exception.

    Names starting with a dot are skipped: editors keep lock and backup files there (Emacs's
    `.#03-leiderschap.md` is a link to nowhere).
    """
    try:
        real_root = root.resolve(strict=True)
        entries = sorted(e.name for e in os.scandir(real_root))
        names = [n for n in entries if n.endswith(".md") and not n.startswith(".") and not _look_alike(n)]
    except OSError:
        report.problem(root, 0, "inhoudsmap niet gevonden")
        raise ContentError(report.problems) from None
    for name in entries:
        if message := _look_alike(name):
            report.warning(root / name, 1, f"dit bestand lijkt op een halte maar wordt niet gelezen: {message}")
    digest = hashlib.sha256()
    files: dict[str, SourceFile] = {}
    for name in names:
        path = root / name
        raw = _read(report, path, real_root, max_bytes)
        if raw is None:
            continue
        digest.update(name.encode() + b"\0" + raw)
        try:
            # A byte order mark (Windows Notepad) is dropped; line ends become "\n" as Markdown reads them.
            text = _decode(raw).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError as err:
            line = raw[: err.start].count(b"\n") + 1
            report.problem(
                path,
                line,
                f"dit is geen UTF-8-tekst (het teken op deze regel is {_guess(raw, err.start)}): "
                "sla het bestand op als UTF-8 (Kladblok: Opslaan als, Codering: UTF-8)",
            )
            continue
        files[name] = SourceFile(path, normalise(text))
    return Folder(real_root, tuple(names), files, digest.hexdigest()[:12])


def _decode(raw: bytes) -> str:
    """The text of a file saved as UTF-8 (with or without a byte order mark) or as UTF-16 with one."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's "Unicode": UTF-16 with a byte order mark
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _guess(raw: bytes, start: int) -> str:
    """How a byte that is not UTF-8 reads in Windows-1252, the usual other encoding ('ANSI')."""
    char = raw[start : start + 1].decode("cp1252", errors="replace")
    return f"'{char}' in Windows-1252 (ANSI)" if char.isprintable() and char != "\ufffd" else "onleesbaar"


# Copies made by Explorer (' - kopie'), Finder (' copy'), a browser's download (' (1)'), old Windows ('Kopie van').
COPY_RE = re.compile(r"( - (kopie|copy)| copy)( \(\d+\))?\.md$| \(\d+\)\.md$|^(kopie van|copy of) ", re.IGNORECASE)


def _look_alike(name: str) -> str:
    """Why a file an editor takes for a stop is not read (`.md.txt`, `.MD`, `~$…`, a copy), or ""."""
    lower = name.lower()
    if name.startswith("."):
        return ""
    if name.startswith("~$"):
        return "het is een tijdelijk bestand van Word; sluit Word, haal het weg en bewerk de tekst in een teksteditor"
    if COPY_RE.search(name):
        original = COPY_RE.sub(lambda m: ".md" if m.group(0).endswith(".md") else "", name)
        return f"het is een kopie; werk in '{original}' zelf en haal de kopie weg"
    if (lower.endswith(".md") and not name.endswith(".md")) or ".md." in lower:
        at = lower.rindex(".md")
        original, suffix = name[:at] + ".md", name[at:]
        habit = " (Kladblok zet er soms '.txt' achter)" if lower.endswith(".txt") else ""
        return (
            f"de naam eindigt op '{suffix}'{habit}, en de gids leest alleen namen op '.md' in kleine letters; "
            f"hernoem het naar '{original}' of haal het weg"
        )
    return ""


def _read(report: Report, path: Path, real_root: Path, max_bytes: int) -> bytes | None:
    """Return the bytes of a regular file inside the folder, or None after reporting why not."""
    try:
        info = os.lstat(path)
        target = path
        if stat.S_ISLNK(info.st_mode):
            target = Path(os.path.realpath(path))
            if not target.is_relative_to(real_root):
                report.problem(
                    path,
                    0,
                    "is een snelkoppeling naar een bestand buiten de inhoudsmap: zet het bestand zelf in de map",
                )
                return None
            if not target.exists():
                report.problem(path, 0, "is een snelkoppeling naar een bestand dat niet bestaat")
                return None
            info = os.stat(target)
        if not _regular(report, path, info.st_mode) or not _small(report, path, info.st_size, max_bytes):
            return None
        fd = os.open(target, OPEN_FLAGS)
        try:
            # Check what was opened, not what was looked at: the entry may have changed in between.
            if not _regular(report, path, os.fstat(fd).st_mode):
                return None
            raw = _read_at_most(fd, max_bytes + 1)
        finally:
            os.close(fd)
    except PermissionError:
        report.problem(path, 0, "kan niet worden gelezen: er zijn geen leesrechten op dit bestand")
        return None
    except OSError:
        report.problem(path, 0, "kan niet worden gelezen: controleer of het bestand (nog) bestaat")
        return None
    return raw if _small(report, path, len(raw), max_bytes) else None


def _regular(report: Report, path: Path, mode: int) -> bool:
    if stat.S_ISREG(mode):
        return True
    if stat.S_ISDIR(mode):
        report.problem(path, 0, "is een map, geen bestand: geef de map een naam die niet op .md eindigt")
    else:
        kind = "een named pipe (FIFO)" if stat.S_ISFIFO(mode) else "een apparaat of socket"
        report.problem(path, 0, f"is geen gewoon bestand maar {kind}: haal het uit de inhoudsmap")
    return False


def _small(report: Report, path: Path, size: int, max_bytes: int) -> bool:
    if size <= max_bytes:
        return True
    report.problem(path, 0, f"het bestand is te groot: hoogstens {max_bytes / 1_000_000:g} MB; kort de tekst in")
    return False


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, min(65536, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)
