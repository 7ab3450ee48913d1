"""Write the guide as plain files with relative links: for any web server, or opened from disk."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from app.config import Settings
from app.content import load_guide
from app.pages import Renderer, load_assets


def export_site(settings: Settings, out_dir: Path, *, progress: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Render every page and asset into `out_dir`; return the files written.

    Uses the same templates and render functions as the server, so the two cannot drift.
    Raises ContentError before anything is written if the content does not validate.
    """
    guide = load_guide(settings.content_dir)
    assets = load_assets(settings.static_dir)
    renderer = Renderer(guide, settings, assets)
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
    return written


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
