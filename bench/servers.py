"""The three servers of the throughput comparison: the guide, a bare ASGI app, nginx."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.procs import Processes, free_port

ROOT = Path(__file__).resolve().parent.parent
GZIP_LEVEL = 6  # as app/http.py compresses pages and assets
VENV_BIN = Path(sys.executable).parent

# The same uvicorn settings for the guide and the bare app: one worker, uvloop, httptools.
UVICORN_FLAGS = [
    "--loop",
    "uvloop",
    "--http",
    "httptools",
    "--workers",
    "1",
    "--no-access-log",
    "--log-level",
    "warning",
]


@dataclass
class Server:
    name: str
    url: str  # http://127.0.0.1:PORT
    proc: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.proc.pid


def server_env(content_dir: Path) -> dict[str, str]:
    """The environment of a server under test: this content, no configured public address."""
    env = dict(os.environ)
    env["ZEVENSTOPS_CONTENT_DIR"] = str(content_dir)
    env.pop("ZEVENSTOPS_BASE_URL", None)
    return env


def _pinned(argv: list[str], cpus: str | None) -> list[str]:
    return ["taskset", "-c", cpus, *argv] if cpus else argv


def start_uvicorn(
    procs: Processes, name: str, target: str, content_dir: Path, cpus: str | None = None, *, record: bool = True
) -> Server:
    """`target` is `app.main:app` or `bench.bare_app:app`; ready when `/` answers."""
    port = free_port()
    argv = _pinned(
        [str(VENV_BIN / "uvicorn"), target, "--host", "127.0.0.1", "--port", str(port), *UVICORN_FLAGS], cpus
    )
    proc = procs.start(name, argv, cwd=ROOT, env=server_env(content_dir), record=record)
    url = f"http://127.0.0.1:{port}"
    procs.wait_ready(name, proc, url + "/")
    return Server(name, url, proc)


def export_site(procs: Processes, out_dir: Path, content_dir: Path) -> None:
    """`metro export` the guide, then gzip every text file next to it for nginx's gzip_static."""
    argv = [str(VENV_BIN / "metro"), "--content", str(content_dir), "export", str(out_dir)]
    procs.commands.append(("export", " ".join(argv)))
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"metro export failed:\n{done.stdout}\n{done.stderr}")
    for path in out_dir.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".js", ".svg", ".json") and path.stat().st_size > 512:
            # The same compression the guide uses for its in-memory bodies (app/http.py: Resource).
            gz = gzip.compress(path.read_bytes(), compresslevel=GZIP_LEVEL, mtime=0)
            path.with_name(path.name + ".gz").write_bytes(gz)
    for path in [out_dir, *out_dir.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # nginx's worker runs as www-data


NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    types {{
        text/html html;
        text/css css;
        application/javascript js;
        image/svg+xml svg ico;
    }}
    charset utf-8;
    charset_types text/css application/javascript image/svg+xml;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    open_file_cache max=100 inactive=60s;
    open_file_cache_valid 60s;
    gzip_static on;
    gzip_vary on;
    server_tokens off;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
{headers}
    }}
}}
"""


def start_nginx(
    procs: Processes, site_dir: Path, run_dir: Path, headers: list[tuple[str, str]], cpus: str | None = None
) -> Server:
    """nginx on loopback serving the static export, one worker, with the guide's own headers."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx not found: apt-get install nginx-light")
    port = free_port()
    run_dir.mkdir(parents=True, exist_ok=True)
    lines = "\n".join(f'        add_header {name} "{value}" always;' for name, value in headers)
    conf = run_dir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(run=run_dir, port=port, site=site_dir, headers=lines))
    proc = procs.start("nginx", _pinned([nginx, "-p", str(run_dir), "-c", str(conf)], cpus), cwd=run_dir)
    url = f"http://127.0.0.1:{port}"
    procs.wait_ready("nginx", proc, url + "/")
    return Server("nginx", url, proc)
