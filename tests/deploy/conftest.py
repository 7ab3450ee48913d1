"""Deployment tests run real programs (nginx, uvicorn, gunicorn, http.server) on 127.0.0.1.

Chromium is the one the browser tests use, with the app's own flags.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.browser import CHROMIUM_ARGS, chromium_path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    chromium = chromium_path()
    if chromium is None or not Path(chromium).exists():
        pytest.fail(
            "Chromium not found: run `make test` (it installs Playwright's Chromium) or set ZEVENSTOPS_CHROMIUM"
        )
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}
