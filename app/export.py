"""Write the guide as plain files with relative links: for any web server, or opened from disk."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from app.config import Settings
from app.content import load_guide
from app.pages import Renderer, load_assets
from app.qr import qr_svg


def export_site(
    settings: Settings,
    out_dir: Path,
    *,
    base_url: str = "",
    pdf: bool = True,
    progress: Callable[[str], None] = lambda _: None,
) -> list[Path]:
    """Render every page and asset into `out_dir`; return the files written.

    Uses the same templates and render functions as the server, so the two cannot drift.
    QR codes need the public address (`base_url`); without it the pages leave them out.
    PDFs are added when `pdf` is set and Chromium is available.
    Raises ContentError before anything is written if the content does not validate.
    """
    from app.browser import chromium_path

    guide = load_guide(settings.content_dir)
    assets = load_assets(settings)
    pdf = pdf and chromium_path() is not None
    renderer = Renderer(guide, settings, assets, qr=bool(base_url), pdf=pdf)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    written = []
    for page in renderer.pages(export=True):
        written.append(_write(out_dir / page.file, page.body))
        progress(page.file)
    for asset in assets.values():
        written.append(_write(out_dir / "static" / asset.hashed, asset.body))
    written.append(_write(out_dir / "favicon.ico", assets["favicon.svg"].body))
    written.append(_write(out_dir / "404.html", renderer.not_found().encode()))
    if base_url:
        written.append(_write(out_dir / "qr" / "gids.svg", qr_svg(base_url)))
        for station in guide.stations:
            written.append(_write(out_dir / "qr" / f"{station.slug}.svg", qr_svg(f"{base_url}stops/{station.slug}")))
    if pdf:
        written += _export_pdfs(settings, out_dir, base_url, progress)
    else:
        progress("(PDFs left out: the pages link to none; they still print from the browser)")
    return written


def _export_pdfs(settings: Settings, out_dir: Path, base_url: str, progress: Callable[[str], None]) -> list[Path]:
    """The handouts and the booklet as PDF, or nothing (with a note) without Chromium."""
    from app.pdf import PdfUnavailable, pdf_jobs, print_to_files
    from app.web import build_site

    site = build_site(settings, qr=bool(base_url))
    try:
        return print_to_files(pdf_jobs(site.guide), lambda p: site.fetch(p, base_url), out_dir, progress)
    except PdfUnavailable as err:
        progress(f"(PDFs left out: {err})")
        return []


def zip_site(out_dir: Path) -> Path:
    """Pack an exported folder into OUT_DIR.zip, for mailing or a USB stick."""
    target = out_dir.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(out_dir.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(out_dir.parent))
    return target


def _write(path: Path, body: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return path
