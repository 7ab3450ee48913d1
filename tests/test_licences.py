"""Licence information by the REUSE specification: `reuse lint` passes, and each kind of file carries
the licence the colophon promises (code EUPL-1.2, the guide's own texts CC-BY-4.0, the sources'
statements and quotations not relicensed)."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import ROOT, Settings
from app.web import create_app
from tests.conftest import REAL_CONTENT, soup

REUSE = Path(sys.executable).parent / "reuse"


def reuse(*args: str) -> subprocess.CompletedProcess[str]:
    if not REUSE.exists():
        pytest.fail("reuse is not installed: run `make .venv/.synced` (it is in the dev dependencies)")
    return subprocess.run([str(REUSE), *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def licences_by_file() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    current = ""
    for line in reuse("spdx").stdout.splitlines():
        if line.startswith("FileName: "):
            current = line.removeprefix("FileName: ./")
            found[current] = set()
        elif line.startswith("LicenseInfoInFile: ") and current:
            found[current].add(line.removeprefix("LicenseInfoInFile: "))
    return found


def test_reuse_lint_passes() -> None:
    result = reuse("lint")
    assert result.returncode == 0, result.stdout + result.stderr


def test_each_kind_of_file_has_its_licence() -> None:
    found = licences_by_file()
    assert found["app/web.py"] == {"EUPL-1.2"}
    assert found["static/app.js"] == {"EUPL-1.2"}
    assert found["uv.lock"] == {"EUPL-1.2"}
    assert found["templates/base.html"] == {"EUPL-1.2", "CC-BY-4.0"}
    for name in ("content/nl/site.md", "content/nl/03-leiderschap.md", "content/nl/toegankelijkheid.md"):
        assert found[name] == {"CC-BY-4.0"}, name
    assert found["docs/accessibility.md"] == {"CC-BY-4.0"}
    for name in ("README.md", "CHANGELOG.md", "CONTRIBUTING.md", "SECURITY.md"):
        assert found[name] == {"CC-BY-4.0"}, name
    assert found["tests/fixtures/valid/site.md"] == {"CC-BY-4.0"}


def test_the_licence_texts_are_the_real_ones() -> None:
    eupl = (ROOT / "LICENSES" / "EUPL-1.2.txt").read_text(encoding="utf-8")
    cc_by = (ROOT / "LICENSES" / "CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert eupl == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in eupl
    assert "Creative Commons Attribution 4.0 International Public License" in cc_by
    assert "Section 8 -- Interpretation." in cc_by


def test_reuse_toml_says_the_quotations_are_not_relicensed() -> None:
    text = " ".join((ROOT / "REUSE.toml").read_text(encoding="utf-8").split())
    assert "art. 15a Auteurswet" in text
    assert "CC-BY-4.0 does not apply to them" in text


def test_the_colophon_states_the_licences_in_dutch() -> None:
    with TestClient(create_app(replace(Settings(), content_dir=REAL_CONTENT))) as client:
        page = soup(client.get("/"))
    colophon = page.find(id="colofon")
    assert colophon is not None
    paragraph = next(p for p in colophon.find_all("p") if p.get_text().startswith("Licentie:"))
    links = {a.get_text(): a["href"] for a in paragraph.find_all("a")}
    assert links["Creative Commons Naamsvermelding 4.0 (CC BY 4.0)"].startswith(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert "EUPL 1.2" in links
    text = " ".join(paragraph.get_text().split())
    assert re.search(r"uitspraken en citaten .* vallen daar niet onder", text)
    assert "citaatrecht (artikel 15a Auteurswet)" in text
