"""A bad setting or broken content at start ends the whole service non-zero, under every documented way of running.

Before: `uvicorn --workers 2` and gunicorn respawned the failing workers forever (nginx 502,
systemd "running", Restart=on-failure never fired). Each case runs the real command line.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from contextlib import suppress
from pathlib import Path

import pytest

from app.config import ROOT
from tests.conftest import VALID, free_port
from tests.deploy.recipes import VENV_BIN, guide_env

MESSAGES = {
    "instelling": "ZEVENSTOPS_BRAND_COLOUR moet een kleur zijn zoals #00558c, niet 'red'",
    "inhoud": "sectie 'Bronnen' ontbreekt",
}
WAYS = {
    "metro serve": ["metro", "serve", "--port", "{port}"],
    "uvicorn --workers 2": ["uvicorn", "app.main:app", "--workers", "2", "--port", "{port}", "--no-access-log"],
    "gunicorn -c deploy/gunicorn.conf.py": [
        "gunicorn",
        "-c",
        "deploy/gunicorn.conf.py",
        "--bind",
        "127.0.0.1:{port}",
        "app.main:app",
    ],
}


def _broken_content(tmp_path: Path) -> Path:
    content = tmp_path / "inhoud"
    shutil.copytree(VALID, content)
    path = content / "01-ambitie.md"
    path.write_text(path.read_text().replace("\n## Bronnen\n", "\n"))
    return content


def _gone(group: int, timeout: float = 30) -> bool:
    """Whether every process of the group has ended (no orphaned worker keeps the port)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.parametrize("fault", list(MESSAGES))
@pytest.mark.parametrize("way", list(WAYS))
def test_a_fault_at_start_ends_the_service_non_zero_with_the_dutch_message(
    way: str, fault: str, tmp_path: Path
) -> None:
    program, *args = WAYS[way]
    if not (VENV_BIN / program).exists():
        pytest.skip(f"{program} niet geïnstalleerd: installeer het extra 'gunicorn' (uv sync --all-extras)")
    port = free_port()
    content = _broken_content(tmp_path) if fault == "inhoud" else VALID
    settings = {"ZEVENSTOPS_BRAND_COLOUR": "red"} if fault == "instelling" else {}
    env = {**guide_env(content, tmp_path / "data", **settings), "PYTHONUNBUFFERED": "1"}
    argv = [str(VENV_BIN / program), *(arg.format(port=port) for arg in args)]
    log = tmp_path / "log.txt"
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        code = proc.wait(timeout=120)  # before the fix the parent never exits: this times out
    except subprocess.TimeoutExpired:
        code = None
    finally:
        left_over = not _gone(proc.pid)
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    output = log.read_text(errors="replace")
    assert code is not None, f"{way} kept running (respawning its workers):\n{output[-3000:]}"
    assert code != 0, output[-3000:]
    if way.startswith("gunicorn"):
        assert code == 3, output[-3000:]  # gunicorn's "worker failed to boot": it halts instead of respawning
    assert not left_over, f"a process of {way} outlived the service"
    opening = (
        "Instelling niet bruikbaar" if (way, fault) == ("metro serve", "instelling") else "De gids kan niet starten"
    )
    assert MESSAGES[fault] in output and opening in output, output[-3000:]
    assert "Traceback" not in output, output[-3000:]
    assert output.count(opening) <= 2, "workers were started again after they failed"
