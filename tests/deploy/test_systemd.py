"""Recipe: deploy/zevenstops.service, its settings file, and its ExecStart run for real behind nginx.

systemd itself does not run here; the unit is read as systemd reads it (and checked with
`systemd-analyze verify` where that exists), and its command line is started as systemd would.
"""

from __future__ import annotations

import configparser
import getpass
import shlex
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from dotenv import dotenv_values
from uvicorn.main import main as uvicorn_cli

from app.config import ROOT
from bench.procs import Processes
from tests.conftest import free_port
from tests.deploy.recipes import DEPLOY, PREFIX, guide_env, instantiate, start_guide, start_nginx

HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "PrivateTmp": "yes",
    "ProtectHome": "yes",
    "PrivateDevices": "yes",
    "RestrictSUIDSGID": "yes",
    "CapabilityBoundingSet": "",
}


def read_unit(text: str) -> configparser.ConfigParser:
    """A unit file as configparser reads it: keys keep their case, % is not special."""
    unit = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read_string(text)
    return unit


def filled(tmp_path: Path, port: int, user: str = "zevenstops") -> str:
    return instantiate(
        "zevenstops.service",
        USER=user,
        APP_DIR=str(ROOT),
        DATA_DIR=str(tmp_path / "data"),
        ENV_FILE=str(tmp_path / "zevenstops.env"),
        PORT=str(port),
    )


def instantiate_proxy() -> str:
    return instantiate("nginx-subpath.conf", LISTEN="80", SERVER_NAME="gids.gemeente.nl", UPSTREAM="127.0.0.1:8000")


def test_unit_runs_unprivileged_and_hardened(tmp_path: Path) -> None:
    service = read_unit(filled(tmp_path, 8000))["Service"]
    assert service["User"] == "zevenstops" and service["Group"] == "zevenstops"
    assert {key: service.get(key) for key in HARDENING} == HARDENING
    assert service["ReadWritePaths"] == str(tmp_path / "data")
    assert f"ZEVENSTOPS_DATA_DIR={tmp_path / 'data'}" in shlex.split(service["Environment"])
    assert service["EnvironmentFile"] == str(tmp_path / "zevenstops.env")
    program, *args = shlex.split(service["ExecStart"])
    assert program == f"{ROOT}/.venv/bin/uvicorn"
    options = uvicorn_cli.make_context("uvicorn", args).params  # as uvicorn itself reads them
    assert options["app"] == "app.main:app"
    # The command matches deploy/nginx-subpath.conf: its location, and nginx as the one trusted proxy.
    assert options["root_path"] == PREFIX and f"location {PREFIX}/ {{" in instantiate_proxy()
    assert options["host"] == "127.0.0.1" and options["forwarded_allow_ips"] == "127.0.0.1"
    assert options["proxy_headers"] is True
    assert options["workers"] == 2 and options["timeout_keep_alive"] == 5


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed: the unit is only read by configparser")
    unit = tmp_path / "zevenstops.service"
    unit.write_text(filled(tmp_path, 8000), encoding="utf-8")
    (tmp_path / "zevenstops.env").write_text((DEPLOY / "zevenstops.env").read_text(encoding="utf-8"))
    done = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False)
    complaints = [line for line in (done.stdout + done.stderr).splitlines() if str(unit) in line]
    assert done.returncode == 0 and complaints == []


def test_settings_file_holds_only_known_settings() -> None:
    settings = dotenv_values(DEPLOY / "zevenstops.env")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings["ZEVENSTOPS_BASE_URL"] == "https://gids.gemeente.nl/zevenstops/"
    assert [name for name in settings if f"`{name}`" not in readme] == []
    assert "ZEVENSTOPS_DATA_DIR" not in settings  # the unit sets it, matching ReadWritePaths


def test_exec_start_serves_behind_nginx(tmp_path: Path) -> None:
    app_port, nginx_port = free_port(), free_port()
    inside = f"http://127.0.0.1:{nginx_port}{PREFIX}/"
    service = read_unit(filled(tmp_path, app_port, user=getpass.getuser()))["Service"]
    env = guide_env(ROOT / "content" / "nl", tmp_path / "data")
    env.update(dict(item.split("=", 1) for item in shlex.split(service["Environment"])))
    settings = {key: value or "" for key, value in dotenv_values(DEPLOY / "zevenstops.env").items()}
    settings["ZEVENSTOPS_BASE_URL"] = inside  # what the administrator sets: the address people use
    if not Path(settings["ZEVENSTOPS_CHROMIUM"]).exists():
        settings.pop("ZEVENSTOPS_CHROMIUM")  # this machine's Chromium is elsewhere: the guide finds it
    env.update(settings)
    (tmp_path / "data").mkdir()
    with Processes(tmp_path) as procs:
        start_guide(procs, "service", shlex.split(service["ExecStart"]), env, app_port)
        conf = instantiate(
            "nginx-subpath.conf",
            LISTEN=f"127.0.0.1:{nginx_port}",
            SERVER_NAME="127.0.0.1",
            UPSTREAM=f"127.0.0.1:{app_port}",
        )
        start_nginx(procs, conf, tmp_path / "nginx", nginx_port)
        health = httpx.get(inside + "healthz", timeout=30)
    assert health.status_code == 200
    assert health.json()["status"] == "ok" and health.json()["content"]["stations"] == 7
