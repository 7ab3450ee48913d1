"""The deployment recipes in deploy/, filled in and started for real on 127.0.0.1.

Every recipe is a template with `{{NAME}}` placeholders that an administrator fills in (the
one-line sed in docs/deploy.md); the tests fill them in the same way and run what comes out.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from app.config import ROOT
from bench.procs import Processes

DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
PREFIX = "/zevenstops"  # the sub-path every recipe uses
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")

# The http { } around a recipe, as Debian's /etc/nginx/nginx.conf puts one around sites-enabled/*.
# Temporary files go to the run folder, so nginx runs without root and leaves nothing behind.
NGINX_MAIN = """\
worker_processes 1;
{user}
events {{ worker_connections 256; }}
http {{
    {types}
    default_type application/octet-stream;
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/site.conf;
}}
"""


def placeholders(name: str) -> set[str]:
    return set(PLACEHOLDER.findall((DEPLOY / name).read_text(encoding="utf-8")))


def instantiate(name: str, **values: str) -> str:
    """A recipe from deploy/ with every placeholder filled in; a missing value is an error."""
    text = (DEPLOY / name).read_text(encoding="utf-8")
    missing = placeholders(name) - values.keys()
    assert not missing, f"deploy/{name}: no value for {sorted(missing)}"
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def nginx_binary() -> str:
    """The nginx to run; skipped where it is not installed, except in CI, where that is a failure."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        message = "nginx niet geïnstalleerd: installeer nginx (Debian: apt-get install nginx-light)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def start_nginx(procs: Processes, site_conf: str, run_dir: Path, port: int) -> None:
    """nginx in the foreground with `site_conf` inside its http block; ready when it accepts."""
    nginx = nginx_binary()
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "site.conf").write_text(site_conf, encoding="utf-8")
    mime_types = Path("/etc/nginx/mime.types")
    types = f"include {mime_types};" if mime_types.exists() else "types { text/html html; text/css css; }"
    # As root, nginx's workers would run as "nobody", who cannot read pytest's private tmp folders.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    (run_dir / "nginx.conf").write_text(NGINX_MAIN.format(run=run_dir, types=types, user=user), encoding="utf-8")
    argv = [nginx, "-p", str(run_dir), "-c", str(run_dir / "nginx.conf"), "-e", "stderr"]
    argv += ["-g", f"daemon off; pid {run_dir}/nginx.pid; error_log stderr;"]
    test = subprocess.run([*argv, "-t"], capture_output=True, text=True, timeout=30, check=False)
    assert test.returncode == 0, f"nginx -t refuses the configuration:\n{test.stderr}"
    proc = procs.start("nginx", argv, cwd=run_dir)
    wait_for_port(procs, "nginx", proc, port)


def wait_for_port(procs: Processes, name: str, proc: subprocess.Popen, port: int, timeout: float = 30) -> None:
    """Wait until something answers HTTP on the port; fail early, with its log, if it died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"{name} exited with {proc.returncode}:\n{procs.log(name)[-3000:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{name} did not answer on port {port} within {timeout:.0f} s:\n{procs.log(name)[-3000:]}")


def guide_env(content_dir: Path, data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment the guide runs in: this machine's, with only the given ZEVENSTOPS_* settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ZEVENSTOPS_")}
    if "ZEVENSTOPS_CHROMIUM" in os.environ:  # which Chromium prints the PDFs is the machine's business
        env["ZEVENSTOPS_CHROMIUM"] = os.environ["ZEVENSTOPS_CHROMIUM"]
    env.update(ZEVENSTOPS_CONTENT_DIR=str(content_dir), ZEVENSTOPS_DATA_DIR=str(data_dir), **settings)
    return env


def start_guide(procs: Processes, name: str, argv: list[str], env: dict[str, str], port: int) -> subprocess.Popen:
    """Start the guide with a real command line; ready when it answers HTTP on `port`."""
    proc = procs.start(name, argv, cwd=ROOT, env=env)
    wait_for_port(procs, name, proc, port, timeout=60)
    return proc
