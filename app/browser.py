"""Find the Chromium that prints PDFs and runs the browser tests, on any machine.

Order: $ZEVENSTOPS_CHROMIUM, then the Chromium that `playwright install chromium` put in
Playwright's own folder, then `chromium`, `chromium-browser` or `google-chrome` on the PATH.
`python -m app.browser --install` (what `make test` runs) installs Playwright's Chromium when
none is found, without root, and says what to install when that fails too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ON_PATH = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def _playwright_chromium() -> str | None:
    """The browser `playwright install chromium` installed, if it did."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # no driver, or a driver that does not start: there is no such browser
        return None
    return path if path and Path(path).is_file() else None


def chromium_path() -> str | None:
    """Where Chromium is, or None. A configured path that does not exist counts as none."""
    configured = os.environ.get("ZEVENSTOPS_CHROMIUM", "").strip()
    if configured:
        return configured if Path(configured).is_file() else None
    return _discover()


@cache
def _discover() -> str | None:
    """Playwright's own Chromium, else one on the PATH (looked up once: it starts a driver)."""
    return _playwright_chromium() or next((found for name in ON_PATH if (found := shutil.which(name))), None)


INSTALL_HELP = """\
Geen Chromium gevonden, en 'playwright install chromium' lukte niet.
De browsertests en de pdf's hebben Chromium nodig. Kies een van deze:
  - Debian/Ubuntu:  sudo apt-get install chromium
  - Fedora:         sudo dnf install chromium
  - macOS:          brew install --cask chromium
  - Windows:        installeer Google Chrome
of zet ZEVENSTOPS_CHROMIUM op het pad van een Chromium of Chrome die er al is."""


def main(argv: list[str] | None = None) -> int:
    """Print the Chromium in use; with --install, get Playwright's own when there is none."""
    args = sys.argv[1:] if argv is None else argv
    found = chromium_path()
    if found is None and "--install" in args:
        print("Geen Chromium gevonden: 'playwright install chromium' haalt Playwright's eigen Chromium op.")
        result = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], check=False)
        _discover.cache_clear()
        found = chromium_path() if result.returncode == 0 else None
    if found is None:
        print(INSTALL_HELP, file=sys.stderr)
        return 1
    print(f"Chromium: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
