"""The `metro` command speaks Dutch, documents every option with its default, and is portable."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app import browser, server
from app.cli import main as metro
from app.config import ROOT
from tests.conftest import VALID, free_port

METRO = Path(sys.executable).parent / "metro"


def test_version_names_the_package_and_the_content_build_healthz_reports(
    capsys: pytest.CaptureFixture[str], client: TestClient
) -> None:
    with pytest.raises(SystemExit) as done:
        metro(["--content", str(VALID), "--version"])
    assert done.value.code == 0
    build = client.get("/healthz").json()["content"]["version"]
    assert capsys.readouterr().out.splitlines() == ["metro 0.1.0", f"inhoud: {build} (3 haltes in {VALID})"]


def test_version_says_when_the_content_is_broken(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as done:
        metro(["--content", str(tmp_path), "--version"])
    assert done.value.code == 0  # the version is known; what is wrong with the content, metro check says
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "metro 0.1.0" and lines[1].startswith(f"inhoud: {tmp_path} is niet in orde (")


@pytest.mark.parametrize("command", ["serve", "export", "pdf", "check"])
def test_help_names_every_option_and_its_default(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        metro([command, "--help"])
    text = capsys.readouterr().out
    assert "--content" in text
    if command == "serve":
        for option, default in (("--host", "127.0.0.1"), ("--port", "8000"), ("--root-path", "geen")):
            line = next(line for line in text.splitlines() if line.strip().startswith(option))
            block = text[text.index(line) :].split("\n  -")[0]
            assert f"(standaard: {default})" in " ".join(block.split()), (option, block)
        assert "subpad" in text and "ververst" in text  # Dutch help


def test_options_are_accepted_after_the_sub_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert metro(["check", "--content", str(VALID)]) == 0
    assert capsys.readouterr().out.startswith("In orde: 3 haltes")
    assert metro(["--content", str(VALID), "check"]) == 0


def test_usage_errors_are_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        metro(["serve", "--port", "acht"])
    assert done.value.code == 2
    assert "metro serve: fout:" in capsys.readouterr().err


def test_serve_warns_on_a_network_address_without_a_base_url(tmp_path: Path) -> None:
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [str(METRO), "serve", "--content", str(VALID), "--host", "0.0.0.0", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline, seen = time.monotonic() + 20, ""
        while "Zeven stops: http://" not in seen and time.monotonic() < deadline:
            seen += process.stdout.readline()  # type: ignore[union-attr]
        assert "waarschuwing: de gids luistert op een netwerkadres zonder ZEVENSTOPS_BASE_URL" in seen
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_server_falls_back_to_h11_where_httptools_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    real = server.importlib.util.find_spec
    monkeypatch.setattr(server.importlib.util, "find_spec", lambda name: None if name == "httptools" else real(name))
    assert server.http_protocol() is server.BoundedH11Protocol
    monkeypatch.undo()
    assert server.http_protocol().__name__ == "BoundedHttpToolsProtocol"


def test_chromium_is_found_in_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    mine = tmp_path / "mijn-chromium"
    mine.write_text("")
    monkeypatch.setenv("ZEVENSTOPS_CHROMIUM", str(mine))
    assert browser.chromium_path() == str(mine)
    monkeypatch.setenv("ZEVENSTOPS_CHROMIUM", str(tmp_path / "bestaat-niet"))
    assert browser.chromium_path() is None  # a wrong setting is not silently replaced
    monkeypatch.delenv("ZEVENSTOPS_CHROMIUM")
    browser._discover.cache_clear()
    monkeypatch.setattr(browser, "_playwright_chromium", lambda: "/playwright/chromium")
    assert browser.chromium_path() == "/playwright/chromium"
    browser._discover.cache_clear()
    monkeypatch.setattr(browser, "_playwright_chromium", lambda: None)
    monkeypatch.setattr(browser.shutil, "which", lambda name: f"/usr/bin/{name}" if name == "google-chrome" else None)
    assert browser.chromium_path() == "/usr/bin/google-chrome"
    browser._discover.cache_clear()


def test_make_test_needs_neither_root_nor_apt() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "apt-get" not in makefile and "sudo" not in makefile
    assert "python -m app.browser --install" in makefile
    assert "apt-get" in (ROOT / ".ci" / "run").read_text()  # CI provisions its machine itself


def test_without_a_browser_the_advice_is_dutch(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    assert browser.main([]) == 1
    assert "Geen Chromium gevonden" in capsys.readouterr().err


def test_check_asks_for_a_contact_for_the_accessibility_statement(content_copy: Path, monkeypatch, capsys) -> None:
    statement = content_copy / "toegankelijkheid.md"
    statement.write_text(
        "\n".join(line for line in statement.read_text().split("\n") if not line.startswith("contact:"))
    )
    assert metro(["check", "--content", str(content_copy)]) == 0
    assert "ZEVENSTOPS_CONTACT" in capsys.readouterr().err
    monkeypatch.setenv("ZEVENSTOPS_CONTACT", "toegankelijkheid@gemeente.nl")
    monkeypatch.setenv("ZEVENSTOPS_ORGANISATION", "Gemeente Voorbeeld")  # what the privacy page asks for
    monkeypatch.setenv("ZEVENSTOPS_LOG_DAYS", "14")
    assert metro(["check", "--content", str(content_copy)]) == 0
    assert capsys.readouterr().err == ""


def test_check_asks_for_what_the_privacy_page_needs(monkeypatch, capsys) -> None:
    for name in ("ZEVENSTOPS_ORGANISATION", "ZEVENSTOPS_CONTACT", "ZEVENSTOPS_LOG_DAYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ZEVENSTOPS_CONTACT", "privacy@gemeente.nl")
    assert metro(["check", "--content", str(VALID)]) == 0
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(
        "waarschuwing: de privacypagina (/privacy) vraagt de organisatie nog om ZEVENSTOPS_ORGANISATION, "
        "ZEVENSTOPS_LOG_DAYS:"
    )
    monkeypatch.setenv("ZEVENSTOPS_ORGANISATION", "Gemeente Voorbeeld")
    monkeypatch.setenv("ZEVENSTOPS_LOG_DAYS", "14")
    assert metro(["check", "--content", str(VALID)]) == 0
    assert capsys.readouterr().err == ""


def test_serve_refuses_a_data_dir_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With SQLite, a data folder that cannot be written is one clear Dutch line, not a traceback later."""
    blocker = tmp_path / "geen-map"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    data_dir = blocker / "data"  # cannot be made, whoever runs the test (root writes anywhere else)
    monkeypatch.setenv("ZEVENSTOPS_DATA_DIR", str(data_dir))
    monkeypatch.delenv("ZEVENSTOPS_DATABASE_URL", raising=False)
    monkeypatch.setenv("ZEVENSTOPS_CONTENT_DIR", str(VALID))
    ran: list[object] = []
    monkeypatch.setattr("app.server.run", lambda *args, **kwargs: ran.append(args))
    assert metro(["serve", "--port", "1"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert ran == []
    assert len([line for line in err if "datamap" in line]) == 1
    line = next(line for line in err if "datamap" in line)
    assert str(data_dir) in line and "ZEVENSTOPS_DATA_DIR" in line and "niet beschrijfbaar" in line
