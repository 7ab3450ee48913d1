"""The Samenwerkingsscan's database-free part (app/scan): the static pages need nothing of the live sessions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.scan import saved
from app.scan.distribution import Distribution
from app.scan.score_map import station_scores

ROOT = Path(__file__).resolve().parents[1]


def test_the_static_build_loads_no_session_module_and_no_database() -> None:
    code = (
        "import sys, app.pages, app.build, app.export\n"
        "print(sorted(m for m in sys.modules if m.startswith('app.sessions') or m.split('.')[0] in"
        " ('sqlalchemy', 'fastapi', 'alembic')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.strip() == "[]"


def test_the_map_says_per_stop_its_band_its_average_and_in_words() -> None:
    scores = station_scores({"a": Distribution((0, 1, 0, 2, 0)), "b": Distribution((0, 0, 0, 0, 0))})
    assert scores == {
        "a": {"band": 3, "tekst": "3,3", "uitleg": "gemiddeld 3,3 (redelijk), 3 antwoorden"},
        "b": {"band": 0, "tekst": "–", "uitleg": "nog geen score"},
    }


def test_the_saved_file_is_small_and_versioned() -> None:
    assert saved.FORMAT == "zevenstops-samenwerkingsscan" and saved.VERSION == 1
    assert (
        saved.MAX_BYTES == 100 * 1024
        and saved.FILE_NAME.format(datum="2026-12-04") == "samenwerkingsscan-2026-12-04.json"
    )
