"""The built wheel, installed into a fresh venv outside the checkout, is a `metro` that serves.

The wheel is built from the checkout (`uv build`, hatchling from uv's cache), installed with the
locked runtime dependencies only (uv's cache, else PyPI), and run from an empty temporary folder,
so nothing of the checkout can be found by accident: the templates, static files and content
come from inside the package.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.config import ROOT
from bench.procs import Processes
from tests.conftest import free_port, soup
from tests.deploy.recipes import wait_for_port

UV = ROOT / ".tools" / "bin" / "uv"
TIMEOUT = 300  # seconds for one build or install step on a loaded machine


def _uv() -> str:
    found = str(UV) if UV.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv not found: `make .venv/.synced` bootstraps it into .tools/")
    return found


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, f"{argv} exited with {done.returncode}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


def _outside_env() -> dict[str, str]:
    """This machine's environment without the checkout's venv or any ZEVENSTOPS_* setting."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ZEVENSTOPS_", "VIRTUAL_ENV"))}
    env.pop("PYTHONPATH", None)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    if "ZEVENSTOPS_CHROMIUM" in os.environ:
        env["ZEVENSTOPS_CHROMIUM"] = os.environ["ZEVENSTOPS_CHROMIUM"]
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([_uv(), "build", "--wheel", "--quiet", "--out-dir", str(out), str(ROOT)], cwd=out)
    (found,) = out.glob("zeven_stops-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a new venv with the wheel and the locked runtime dependencies in it."""
    base = tmp_path_factory.mktemp("install")
    requirements = base / "requirements.txt"
    _run(
        [
            _uv(),
            "export",
            "--frozen",
            "--no-dev",
            "--no-emit-project",
            "--no-hashes",
            "--quiet",
            "-o",
            str(requirements),
        ],
        cwd=ROOT,
    )
    venv = base / "venv"
    _run([_uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=base)
    install = [_uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python")]
    install += ["-r", str(requirements), str(wheel)]
    try:
        _run([*install, "--offline"], cwd=base)  # everything from uv's cache, when it holds it all
    except AssertionError:
        _run(install, cwd=base)  # else PyPI fills in what the cache lacks
    return venv / "bin"


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder far from the checkout to run `metro` in."""
    folder = tmp_path / "ergens"
    folder.mkdir()
    assert ROOT not in folder.parents
    return folder


def test_the_wheel_carries_the_top_level_folders(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in ("templates/base.html", "static/app.css", "content/nl/site.md", "app/livereload.js"):
        assert (ROOT / source).is_file()
        shipped = source if source.startswith("app/") else f"app/_bundled/{source}"
        assert shipped in names, f"{source} is not in the wheel"
    assert not [name for name in names if name.startswith(("tests/", "bench/", "data/"))]


def test_the_installed_metro_knows_its_version_and_checks_the_bundled_content(installed: Path, elsewhere: Path) -> None:
    version = _run([str(installed / "metro"), "--version"], cwd=elsewhere, env=_outside_env())
    assert version.stdout.splitlines()[0] == f"metro {_project_version()}"
    assert version.stdout.splitlines()[1].startswith("inhoud: "), version.stdout  # the bundled content's build
    assert "7 haltes in " in version.stdout and "_bundled" in version.stdout
    check = _run([str(installed / "metro"), "check"], cwd=elsewhere, env=_outside_env())
    assert check.stdout.startswith("In orde: 7 haltes"), check.stdout
    where = _run(
        [str(installed / "python"), "-c", "import app.config as c; print(c.Settings().templates_dir)"],
        cwd=elsewhere,
        env=_outside_env(),
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), "templates come from the checkout"


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Processes]:
    (tmp_path / "logs").mkdir()
    with Processes(tmp_path / "logs") as running:
        yield running


def test_the_installed_metro_serves_from_any_folder(installed: Path, elsewhere: Path, procs: Processes) -> None:
    port = free_port()
    argv = [str(installed / "metro"), "serve", "--port", str(port)]
    proc = procs.start("metro", argv, cwd=elsewhere, env=_outside_env())
    wait_for_port(procs, "metro", proc, port, timeout=120)
    base = f"http://127.0.0.1:{port}/"
    with httpx.Client(base_url=base, timeout=30) as client:
        home = client.get("/")
        assert home.status_code == 200
        page = soup(home)
        stops = [a["href"] for a in page.select("a[href^='stops/']")]
        css = [link["href"] for link in page.select("link[rel=stylesheet]")]
        assert stops and css, "the home page names neither a stop nor a stylesheet"
        stop = client.get(f"/{stops[0]}")
        assert stop.status_code == 200
        assert soup(stop).select_one("h1") is not None
        style = client.get(f"/{css[0]}")
        assert style.status_code == 200
        assert style.headers["content-type"].startswith("text/css")
        assert b"@media" in style.content


def test_the_installed_metro_exports(installed: Path, elsewhere: Path) -> None:
    out = elsewhere / "site"
    _run([str(installed / "metro"), "export", str(out), "--no-pdf"], cwd=elsewhere, env=_outside_env())
    assert (out / "index.html").is_file()
    assert list((out / "stops").glob("*/index.html"))
    assert list((out / "static").glob("app.*.css"))


def _project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_installed_venv_holds_no_development_tools(installed: Path, elsewhere: Path) -> None:
    """Only what serving needs: the dev group (pytest, mypy, schemathesis …) stays out of a server."""
    names = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
    listing = _run([str(installed / "python"), "-c", names], cwd=elsewhere, env=_outside_env())
    present = {re.sub(r"[-_.]+", "-", line).lower() for line in listing.stdout.split()}
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    dev_only = {re.sub(r"[-_.]+", "-", re.split(r"[<>=\[; ]", r)[0]).lower() for r in groups}
    runtime = (installed.parent.parent / "requirements.txt").read_text().split("\n")
    dev_only -= {re.sub(r"[-_.]+", "-", re.split(r"[<>=\[; ]", r)[0]).lower() for r in runtime}  # pillow: pikepdf's
    assert "zeven-stops" in present
    assert present & dev_only == set()
