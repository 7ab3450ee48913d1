"""Recipe: several worker processes (uvicorn --workers, gunicorn with uvicorn workers) serve one guide.

The guide holds no state of its own: every worker builds the same pages from the same content,
so every worker answers with the same bytes and the same ETag, and so does a restarted server.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from app.config import ROOT
from bench.procs import Processes
from tests.conftest import VALID, free_port
from tests.deploy.crawl import html_links
from tests.deploy.recipes import PREFIX, VENV_BIN, guide_env, instantiate, start_guide, start_nginx
from tests.deploy.workers import Answer, ask

COMMANDS = {
    "uvicorn --workers 2": ["uvicorn", "app.main:app", "--workers", "2", "--host", "127.0.0.1", "--port", "{port}"],
    "gunicorn -k uvicorn.workers.UvicornWorker -w 2": [
        "gunicorn",
        "app.main:app",
        "-k",
        "uvicorn.workers.UvicornWorker",
        "-w",
        "2",
        "--bind",
        "127.0.0.1:{port}",
        "--no-control-socket",  # gunicorn's control socket would sit in HOME, shared by every run
    ],
}


def command(name: str, port: int) -> list[str]:
    program, *args = COMMANDS[name]
    return [str(VENV_BIN / program), *(arg.format(port=port) for arg in args)]


def same_everywhere(answers: list[Answer]) -> tuple[str, str]:
    """The one ETag and body every worker answered with."""
    assert len(answers) >= 20
    assert len({answer.worker for answer in answers}) == 2, "the requests never reached two workers"
    assert len({(answer.etag, answer.digest) for answer in answers}) == 1, answers
    return answers[0].etag, answers[0].digest


@pytest.mark.parametrize("name", list(COMMANDS))
def test_workers_serve_the_same_guide_and_so_does_a_restart(name: str, tmp_path: Path) -> None:
    port = free_port()
    env = guide_env(VALID, tmp_path / "data")
    with Processes(tmp_path) as procs:
        proc = start_guide(procs, "first", command(name, port), env, port)
        first = {path: same_everywhere(ask(port, proc.pid, path)) for path in ("/", "/api/stops")}
        procs.stop(proc)
        proc = start_guide(procs, "restarted", command(name, port), env, port)
        again = {path: same_everywhere(ask(port, proc.pid, path)) for path in ("/", "/api/stops")}
    assert again == first
    assert first["/"][0], "the map page has no ETag"


def test_gunicorn_recipe_behind_nginx(tmp_path: Path) -> None:
    """deploy/gunicorn.conf.py under /zevenstops/ behind deploy/nginx-subpath.conf."""
    app_port, nginx_port = free_port(), free_port()
    inside = f"http://127.0.0.1:{nginx_port}{PREFIX}/"
    env = guide_env(VALID, tmp_path / "data", ZEVENSTOPS_BASE_URL=inside)
    check = subprocess.run(
        [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--check-config", "app.main:app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert check.returncode == 0, check.stderr
    with Processes(tmp_path) as procs:
        argv = [str(VENV_BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{app_port}"]
        proc = start_guide(procs, "gunicorn", [*argv, "app.main:app"], env, app_port)
        conf = instantiate(
            "nginx-subpath.conf",
            LISTEN=f"127.0.0.1:{nginx_port}",
            SERVER_NAME="127.0.0.1",
            UPSTREAM=f"127.0.0.1:{app_port}",
        )
        start_nginx(procs, conf, tmp_path / "nginx", nginx_port)
        with httpx.Client(timeout=30) as client:
            assert client.get(inside + "healthz").json()["status"] == "ok"
            start = client.get(inside)
            assert start.status_code == 200
            links = {str(start.url.join(link)) for link in html_links(BeautifulSoup(start.text, "html.parser"))}
            ours = sorted(link.split("#")[0] for link in links if link.startswith(f"http://127.0.0.1:{nginx_port}/"))
            assert ours and [link for link in ours if client.get(link).status_code != 200] == []
        assert len({answer.worker for answer in ask(app_port, proc.pid, "/healthz", at_least=4)}) == 2
