"""Write the build as plain files: for any static web server without rewrites, or from disk.

The export never deletes or overwrites a file it did not write. It writes into an empty (or
new) folder, or into a folder holding an earlier export, recognised by the manifest it left
there (`.zevenstops.json`, listing every file it wrote). Anything else is refused before a
single byte is written.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app.browser import chromium_path
from app.build import Site, build_site
from app.config import Settings

MANIFEST = ".zevenstops.json"


class FolderRefused(Exception):
    """The output folder holds files this program did not write; the message says which."""


@dataclass(frozen=True)
class Manifest:
    files: frozenset[str]  # relative POSIX paths written by the last run
    zip: str = ""  # the name of the zip file next to the folder, if one was written

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        """The manifest of an earlier run, or None if there is none (or it is not ours)."""
        try:
            data = json.loads((folder / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("generator") != "zevenstops":
            return None
        files = data.get("files")
        if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            return None
        return cls(frozenset(files), str(data.get("zip", "")))

    def write(self, folder: Path) -> None:
        data = {"generator": "zevenstops", "files": sorted(self.files), "zip": self.zip}
        (folder / MANIFEST).write_text(json.dumps(data, indent=1) + "\n", "utf-8")


def claim_folder(folder: Path, *, what: str = "export") -> Manifest:
    """Check that `folder` may be written into; return the earlier run's manifest (maybe empty).

    Raises FolderRefused, naming a few files that are not ours, when the folder is not empty
    and holds no manifest of ours, or is not a folder at all.
    """
    if folder.exists() and not folder.is_dir():
        raise FolderRefused(f"{folder} is een bestand, geen map: kies een nieuwe of lege map voor de {what}.")
    manifest = Manifest.read(folder) if folder.is_dir() else None
    if manifest is None:
        present = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        if present:
            shown = ", ".join(present[:3]) + (" …" if len(present) > 3 else "")
            raise FolderRefused(
                f"{folder} is niet leeg en bevat geen eerdere {what} van deze gids ({shown}). "
                "Er is niets geschreven of verwijderd: kies een nieuwe of lege map."
            )
        return Manifest(frozenset())
    return manifest


def check_clashes(folder: Path, names: Iterable[str], earlier: Manifest) -> None:
    """Refuse to write over a file the earlier run did not write (nothing is written then)."""
    clashes = sorted(name for name in names if name not in earlier.files and (folder / name).exists())
    if clashes:
        raise FolderRefused(
            f"{folder} bevat al {clashes[0]}, dat niet door deze gids is geschreven. "
            "Er is niets geschreven of verwijderd: kies een nieuwe of lege map."
        )


def write_files(folder: Path, files: dict[str, bytes], earlier: Manifest, *, zip_name: str = "") -> Manifest:
    """Write `files` (relative path → bytes) into `folder`; remove what the earlier run wrote and this one does not."""
    check_clashes(folder, files, earlier)
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".tmp-zevenstops")
        partial.write_bytes(body)
        os.replace(partial, target)
    for name in sorted(earlier.files - files.keys()):
        _remove_own(folder, name)
    manifest = Manifest(frozenset(files), zip_name)
    manifest.write(folder)
    return manifest


def _remove_own(folder: Path, name: str) -> None:
    """Remove a file an earlier run wrote (only a regular file inside `folder`), and empty folders."""
    target = folder / name
    try:
        inside = target.resolve().is_relative_to(folder.resolve())
    except OSError:
        return
    if inside and target.is_file() and not target.is_symlink():
        target.unlink()
        for parent in target.parents:
            if parent == folder or not parent.is_relative_to(folder):
                break
            try:
                parent.rmdir()  # only when empty
            except OSError:
                break


def export_files(site: Site) -> dict[str, bytes]:
    """The build's entries as files: a page at "stops/x/" becomes "stops/x/index.html"."""
    files = {}
    for path, entry in site.entries.items():
        if path.startswith("/static/") and not entry.immutable:
            continue  # pages refer to the content-hashed names only
        name = path.lstrip("/")
        files[name + "index.html" if name == "" or name.endswith("/") else name] = entry.body
    return files


def export_site(
    settings: Settings,
    out_dir: Path,
    *,
    base_url: str = "",
    pdf: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Build the guide for export and write it into `out_dir`; return the files written.

    QR codes and PDFs need the public address (`base_url`); without it the pages leave them
    out. PDFs are added when `pdf` is set and Chromium is available. Raises ContentError or
    FolderRefused before anything is written.
    """
    from app.pdf import PdfUnavailable, pdf_jobs, print_all

    earlier = claim_folder(out_dir)
    with_pdf = pdf and bool(base_url) and chromium_path() is not None
    site = build_site(settings, export=True, base_url=base_url, pdf=with_pdf)
    files = export_files(site)
    if with_pdf:
        check_clashes(out_dir, [*files, *(name for _, name in pdf_jobs(site))], earlier)
        try:
            files.update(print_all(site, progress))
        except PdfUnavailable as err:
            progress(f"(pdf's weggelaten: {err})")
            site = build_site(settings, export=True, base_url=base_url, pdf=False)
            files = export_files(site)
    elif not base_url:
        progress("(zonder --base-url: geen QR-codes en geen pdf's)")
    write_files(out_dir, files, earlier, zip_name=earlier.zip)
    return [out_dir / name for name in sorted(files)]


def zip_site(out_dir: Path) -> Path:
    """Pack an exported folder into OUT_DIR.zip, for mailing or a USB stick.

    An existing zip file is only replaced when the export's manifest says this program made it.
    """
    target = out_dir.with_suffix(".zip")
    manifest = Manifest.read(out_dir) or Manifest(frozenset())
    if target.exists() and manifest.zip != target.name:
        raise FolderRefused(f"{target} bestaat al en is niet door deze gids gemaakt: er is niets overschreven.")
    partial = target.with_name(target.name + ".tmp-zevenstops")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(manifest.files):
            archive.write(out_dir / name, f"{out_dir.name}/{name}")
    os.replace(partial, target)
    Manifest(manifest.files, target.name).write(out_dir)
    return target
