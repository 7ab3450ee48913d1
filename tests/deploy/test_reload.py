"""A content change reaches a running server without a restart, and broken content never replaces good.

Before: `metro serve` ended on SIGHUP (the default action), there was no `metro reload` and the
systemd unit had no ExecReload. Each case runs the real command line.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.config import ROOT
from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.recipes import VENV_BIN, guide_env, start_guide

OLD = 'title: "Gemeenschappelijke ambitie"'
NEW = 'title: "Gedeelde ambitie"'


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "inhoud"
    shutil.copytree(VALID, content)
    return content


def _edit(content: Path, old: str, new: str) -> None:
    path = content / "01-ambitie.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _title_becomes(client: httpx.Client, title: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if title in client.get("/stops/ambitie/").text:
            return True
        time.sleep(0.2)
    return False


def _both_started(procs: Processes, workers: int = 2, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while procs.log("uvicorn").count("Application startup complete") < workers:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_metro_reload_rebuilds_a_running_metro_serve_and_keeps_the_last_good_build(tmp_path: Path) -> None:
    content, port = _content(tmp_path), free_port()
    env = guide_env(content, tmp_path / "data")
    metro = [sys.executable, "-m", "app.cli"]
    with Processes(tmp_path) as procs, httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        serve = start_guide(procs, "serve", [*metro, "serve", "--port", str(port)], env, port)
        assert "Gemeenschappelijke ambitie" in client.get("/stops/ambitie/").text
        _edit(content, OLD, NEW)
        reload = subprocess.run([*metro, "reload"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert reload.returncode == 0, reload.stderr
        assert "leest de inhoud opnieuw in" in reload.stdout
        assert _title_becomes(client, "Gedeelde ambitie"), procs.log("serve")
        assert client.get("/healthz").json()["content"]["problems"] == 0

        _edit(content, "\n## Bronnen\n", "\n")  # broken: a section is missing
        subprocess.run([*metro, "reload"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=60)
        deadline = time.monotonic() + 60
        while client.get("/healthz").json()["content"]["problems"] == 0 and time.monotonic() < deadline:
            time.sleep(0.2)
        health = client.get("/healthz").json()
        assert health["status"] == "degraded" and health["content"]["problems"] >= 1
        assert any("laatste goede versie" in reason for reason in health["reasons"])
        assert "Gedeelde ambitie" in client.get("/stops/ambitie/").text  # the last good build still serves
        assert serve.poll() is None
        assert "Content has errors; still serving the last good version" in procs.log("serve")


def test_metro_reload_without_a_running_server_says_what_to_do(tmp_path: Path) -> None:
    env = guide_env(VALID, tmp_path / "data")
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "reload"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Geen draaiende `metro serve` gevonden" in result.stderr and "systemctl reload" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_hangup_of_the_systemd_command_reloads_and_broken_content_keeps_the_service(tmp_path: Path) -> None:
    """The unit's ExecReload sends SIGHUP to uvicorn's parent: new workers with the new content,
    the old ones kept when the new content does not build; the service never ends on it."""
    unit = (ROOT / "deploy" / "zevenstops.service").read_text()
    assert "ExecReload=/bin/kill -HUP $MAINPID" in unit
    content, port = _content(tmp_path), free_port()
    env = guide_env(content, tmp_path / "data")
    argv = [str(VENV_BIN / "uvicorn"), "app.main:app", "--workers", "2", "--port", str(port), "--no-access-log"]
    with Processes(tmp_path) as procs, httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        parent = start_guide(procs, "uvicorn", argv, env, port)
        # A reload comes after start-up: the port answers when the first worker does, so wait for
        # both (on a loaded machine the second may still be starting, and uvicorn's restart would
        # wait for it too).
        assert _both_started(procs), procs.log("uvicorn")
        _edit(content, OLD, NEW)
        parent.send_signal(signal.SIGHUP)
        assert _title_becomes(client, "Gedeelde ambitie"), procs.log("uvicorn")

        _edit(content, "\n## Bronnen\n", "\n")
        parent.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while "aborting the restart" not in procs.log("uvicorn") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "aborting the restart" in procs.log("uvicorn"), procs.log("uvicorn")
        assert parent.poll() is None, procs.log("uvicorn")  # the service goes on
        assert "Gedeelde ambitie" in client.get("/stops/ambitie/").text
