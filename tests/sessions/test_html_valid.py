"""Every session and scan page is valid HTML by the Nu Html Checker (vnu), when it is installed.

vnu is not a dependency: point ZEVENSTOPS_VNU_JAR at a vnu.jar (e.g. `npm install vnu-jar` in
/tmp/vnu gives /tmp/vnu/node_modules/vnu-jar/build/dist/vnu.jar); without it, or without Java,
the test is skipped and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.content import load_guide
from tests.conftest import VALID
from tests.sessions.helpers import answer, deck_path, delete, join, move, start

GUIDE = load_guide(VALID)


def vnu() -> list[str]:
    jar = os.environ.get("ZEVENSTOPS_VNU_JAR", "").strip()
    if not jar or not Path(jar).is_file():
        pytest.skip("the Nu Html Checker is not installed: set ZEVENSTOPS_VNU_JAR to a vnu.jar")
    java = shutil.which("java")
    if java is None:
        pytest.skip("the Nu Html Checker needs Java, and no java is on PATH")
    return [java, "-jar", jar, "--errors-only", "--stdout"]


def test_every_session_and_scan_page_is_valid_html(live_client: TestClient, tmp_path: Path) -> None:
    command = vnu()
    deck = start(live_client)
    stop = GUIDE.stations[2].slug
    move(live_client, deck, stop)
    attendee = TestClient(live_client.app)
    join(attendee, deck.code)
    answer(attendee, deck.code, halte=stop, score="4")
    pages = {
        "attendee": (attendee.get(f"/s/{deck.code}"), 200),
        "deck": (live_client.get(deck_path(deck, stop)), 200),
        "deck-start": (live_client.get(deck_path(deck)), 200),
        "result": (live_client.get(f"/s/{deck.code}/uitslag"), 200),
        "scan": (live_client.get("/scan/"), 200),
        "scan-papier": (live_client.get("/scan/papier/"), 200),
        "werkblad": (live_client.get(f"/stops/{stop}/werkblad/"), 200),
        "join": (live_client.get("/s/"), 200),
        "join-error": (live_client.get("/s/", params={"code": "abc"}), 422),
        "error": (live_client.get("/s/k7qm4xpa"), 404),
    }
    pages["deleted"] = (delete(live_client, deck), 200)
    for name, (response, status) in pages.items():
        assert response.status_code == status, name
        (tmp_path / f"{name}.html").write_text(response.text, encoding="utf-8")
    files = sorted(str(path) for path in tmp_path.glob("*.html"))
    checked = subprocess.run([*command, *files], capture_output=True, text=True, timeout=120, check=False)
    assert checked.stdout.replace(f"file:{tmp_path}/", "").splitlines() == [], checked.stderr
