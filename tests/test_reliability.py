"""Reliability: the server refuses bad content at start, and while reloading keeps the last good
guide online when an edit breaks it, then picks up the fix. Real processes, bounded waits."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import VALID, free_port

BIN = Path(sys.executable).parent
METRO = BIN / "metro"
PROBLEM_LINE = re.compile(r"^(?P<path>\S*?(?P<file>[\w-]+\.md)):(?P<line>\d+): (?P<message>.+)$", re.MULTILINE)


def break_a_station(content: Path) -> None:
    """Remove the 'Bronnen' heading of the first stop: a required section goes missing."""
    path = content / "01-ambitie.md"
    text = path.read_text()
    assert "\n## Bronnen\n" in text
    path.write_text(text.replace("\n## Bronnen\n", "\n"))


def env_for(content: Path) -> dict[str, str]:
    return {**os.environ, "ZEVENSTOPS_CONTENT_DIR": str(content), "PYTHONUNBUFFERED": "1"}


def problems_in(text: str) -> list[tuple[str, int, str]]:
    return [(m["file"], int(m["line"]), m["message"]) for m in PROBLEM_LINE.finditer(text)]


# -- refusing to start --------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["--content", "environment"])
def test_metro_serve_refuses_invalid_content(content_copy: Path, how: str) -> None:
    break_a_station(content_copy)
    (content_copy / "02-orde.md").write_text(
        (content_copy / "02-orde.md").read_text().replace("slug: orde", "slug: Orde!")
    )
    port = free_port()
    argv = [str(METRO), *(["--content", str(content_copy)] if how == "--content" else []), "serve", "--port", str(port)]
    done = subprocess.run(argv, env=env_for(content_copy), capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    found = problems_in(done.stderr)
    assert ("01-ambitie.md", found[0][1], "sectie 'Bronnen' ontbreekt (verwacht na 'Gespreksvragen')") in found
    assert any(f == "02-orde.md" and "slug 'Orde!' past niet in een webadres" in m for f, _, m in found), found
    assert all(line >= 1 for _, line, _ in found)
    # It never listened: nothing answers on its port.
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)


def test_the_asgi_app_refuses_invalid_content_without_a_traceback(content_copy: Path) -> None:
    """`uvicorn app.main:app` (any ASGI server) stops with the report, not a traceback."""
    break_a_station(content_copy)
    argv = [str(BIN / "uvicorn"), "app.main:app", "--port", str(free_port())]
    done = subprocess.run(argv, env=env_for(content_copy), capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert any(
        f == "01-ambitie.md" and "'Bronnen' ontbreekt" in m for f, _, m in problems_in(done.stdout + done.stderr)
    )


# -- reloading ----------------------------------------------------------------------------------


class Reloading:
    """`metro serve --reload` on a content folder, its log in a file."""

    def __init__(self, content: Path, log: Path):
        self.content = content
        self.log_path = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "wb")  # noqa: SIM115 — closed in stop()
        self.proc = subprocess.Popen(
            [str(METRO), "--content", str(content), "serve", "--port", str(self.port), "--reload"],
            env=env_for(content),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30)

    def wait_until(self, what: str, check: Callable[[], bool], timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"the server exited ({self.proc.returncode}):\n{self.log()}"
            try:
                if check():
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"not within {timeout:.0f} s: {what}\n--- server log ---\n{self.log()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


@pytest.fixture
def reloading(content_copy: Path, tmp_path: Path) -> Iterator[Reloading]:
    server = Reloading(content_copy, tmp_path / "server.log")
    try:
        server.wait_until("/healthz answers", lambda: server.get("/healthz").status_code == 200, timeout=90)
        yield server
    finally:
        server.stop()


def with_title(text: str, title: str) -> str:
    return re.sub(r'^title: ".*"$', f'title: "{title}"', text, count=1, flags=re.MULTILINE)


def set_title(content: Path, title: str) -> None:
    path = content / "01-ambitie.md"
    path.write_text(with_title(path.read_text(), title))  # one write: no half-edited state is seen


def test_reload_keeps_the_last_good_guide_when_an_edit_breaks_it(reloading: Reloading) -> None:
    content = reloading.content
    version = reloading.get("/healthz").json()["content"]["version"]

    # 1. A good edit is picked up.
    set_title(content, "Ambitie, eerste bewerking")
    reloading.wait_until(
        "the edited title is served", lambda: "Ambitie, eerste bewerking" in reloading.get("/stops/ambitie/").text
    )
    good_version = reloading.get("/healthz").json()["content"]["version"]
    assert good_version != version

    # 2. A broken edit (a required section removed, and a new title) is logged with file:line;
    #    the last good guide stays online.
    path = content / "01-ambitie.md"
    broken = with_title(path.read_text(), "Ambitie, kapotte bewerking").replace("\n## Bronnen\n", "\n")
    path.write_text(broken)
    reloading.wait_until(
        "the problem is logged",
        lambda: any(f == "01-ambitie.md" and "'Bronnen' ontbreekt" in m for f, _, m in problems_in(reloading.log())),
    )
    assert "Traceback" not in reloading.log()
    deadline = time.monotonic() + 3  # and it stays that way
    while time.monotonic() < deadline:
        page = reloading.get("/stops/ambitie/")
        assert page.status_code == 200
        assert "Ambitie, eerste bewerking" in page.text
        assert "Ambitie, kapotte bewerking" not in page.text
        health = reloading.get("/healthz")
        assert health.status_code == 200 and health.json()["content"]["version"] == good_version
        # Monitoring sees that an edit is being ignored.
        assert health.json()["status"] == "degraded" and health.json()["content"]["problems"] >= 1
        time.sleep(0.25)

    # 3. The fix is picked up.
    fixed = with_title(broken, "Ambitie, hersteld").replace(
        "\n- Vraag drie van halte 1?\n", "\n- Vraag drie van halte 1?\n\n## Bronnen\n"
    )
    path.write_text(fixed)
    reloading.wait_until(
        "the fixed content is served", lambda: "Ambitie, hersteld" in reloading.get("/stops/ambitie/").text
    )
    assert reloading.get("/healthz").json()["content"]["version"] not in (version, good_version)
    assert reloading.get("/healthz").json()["status"] == "ok"
    assert "Traceback" not in reloading.log()


def test_reload_survives_a_file_that_is_not_text(reloading: Reloading) -> None:
    (reloading.content / "04-binair.md").write_bytes(b"---\ntitle: \xff\xfe\x00kapot\n---\n")
    reloading.wait_until(
        "the problem is logged",
        lambda: any(f == "04-binair.md" and "geen UTF-8-tekst" in m for f, _, m in problems_in(reloading.log())),
    )
    assert reloading.get("/").status_code == 200
    assert reloading.get("/healthz").json()["content"]["stations"] == 3
    (reloading.content / "04-binair.md").unlink()
    set_title(reloading.content, "Ambitie na het opruimen")
    reloading.wait_until(
        "the clean content is served", lambda: "Ambitie na het opruimen" in reloading.get("/stops/ambitie/").text
    )
    assert "Traceback" not in reloading.log()


def test_reload_starts_with_broken_content_shows_the_problems_and_then_the_fix(
    content_copy: Path, tmp_path: Path
) -> None:
    """`make run` on content that is broken already: the problems at every address, then the guide."""
    from bs4 import BeautifulSoup

    break_a_station(content_copy)
    server = Reloading(content_copy, tmp_path / "server.log")
    try:
        server.wait_until("the preview answers", lambda: server.get("/").status_code == 503, timeout=30)
        for path in ("/", "/stops/ambitie/", "/api/stops", "/healthz", "/static/app.css"):
            page = server.get(path)
            assert page.status_code == 503, path  # nothing of the guide is served while it is broken
            html = BeautifulSoup(page.text, "html.parser")
            assert html.h1 is not None and html.h1.get_text() == "De inhoud heeft 1 fout"
            problems = [li.get_text() for li in html.select("ul.problems li")]
            assert [(f, m) for f, _, m in problems_in("\n".join(problems))] == [
                ("01-ambitie.md", "sectie 'Bronnen' ontbreekt (verwacht na 'Gespreksvragen')")
            ]
            script = html.select_one("script[src]")
            assert script is not None and script["src"] == "/__reload/reload.js?v=kapot-1"
        assert server.get("/__reload/reload.js").status_code == 200
        path = content_copy / "01-ambitie.md"
        path.write_text(path.read_text().replace("\n## Gespreksvragen\n", "\n## Gespreksvraagjes\n", 1))
        server.wait_until("the new problems are shown", lambda: "kapot-2" in server.get("/").text)
        (content_copy / "01-ambitie.md").write_text((VALID / "01-ambitie.md").read_text())
        server.wait_until("the guide is served", lambda: server.get("/healthz").status_code == 200)
        assert server.get("/healthz").json()["status"] == "ok"
        assert server.get("/stops/ambitie/").status_code == 200
        assert "Traceback" not in server.log()
    finally:
        server.stop()
