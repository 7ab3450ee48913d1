"""`metro check --bronnen`: every quotation and statement is held word for word against the sources."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from app.cli import main as metro
from app.content.verbatim import check_verbatim
from tests.conftest import REAL_CONTENT

# Beside the main checkout (../shared/sources); a worktree elsewhere names it in the environment.
SOURCES = Path(os.environ.get("ZEVENSTOPS_TEST_SOURCES", Path(__file__).resolve().parents[2] / "shared" / "sources"))
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="the source documents are not beside this checkout")

IPEREN = "Gekanteld samenwerken: de wethouder zegt: ‘Betrek iedereen bij de verschillende stadia van de ambitie.’"
QUOTE = """---
title: "Proef"
---

::: citaat
wie: wethouder
bron: F. van Iperen, *Gekanteld samenwerken* (VNG, 2014), hoofdstuk 2

Betrek iedereen bij de verschillende stadia van de ambitie.
:::

- Stelling: De verhoudingen zijn goed. *(WagenaarHoes, succesfactor 7)*
"""


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    content, sources = tmp_path / "nl", tmp_path / "bronnen"
    content.mkdir()
    sources.mkdir()
    (sources / "001_iperen.txt").write_text(IPEREN, encoding="utf-8")
    (sources / "002_wagenaarhoes.txt").write_text("Denkt u eens na: De verhoudingen zijn\ngoed.", encoding="utf-8")
    (content / "site.md").write_text(QUOTE, encoding="utf-8")
    return content, sources


def test_a_correct_quote_and_statement_pass(folders: tuple[Path, Path]) -> None:
    assert check_verbatim(*folders, relative_to=folders[0]) == []


def test_a_quote_altered_by_one_word_is_reported_at_its_line(folders: tuple[Path, Path]) -> None:
    content, sources = folders
    page = content / "site.md"
    page.write_text(page.read_text().replace("bij de verschillende", "bij alle verschillende"), encoding="utf-8")
    found = [str(p) for p in check_verbatim(content, sources, relative_to=content)]
    assert found == [
        "site.md:9: citaat staat niet letterlijk in Van Iperen, Gekanteld samenwerken: "
        "«betrek iedereen bij alle verschillende stadia van de ambitie»"
    ]


def test_a_quote_in_another_document_than_its_attribution_is_reported(folders: tuple[Path, Path]) -> None:
    content, sources = folders
    page = content / "site.md"
    page.write_text(page.read_text().replace("F. van Iperen, *Gekanteld samenwerken*", "Korsten en Van de Laar"))
    (sources / "004_korsten.txt").write_text("Iets anders.", encoding="utf-8")
    found = [str(p) for p in check_verbatim(content, sources, relative_to=content)]
    assert found == [
        "site.md:9: citaat staat niet in Korsten en Van de Laar, maar wel in een andere bron: "
        "«betrek iedereen bij de verschillende stadia van de ambitie»"
    ]


def test_a_speaker_the_source_does_not_name_is_reported(folders: tuple[Path, Path]) -> None:
    content, sources = folders
    page = content / "site.md"
    page.write_text(page.read_text().replace("wie: wethouder", "wie: raadslid"), encoding="utf-8")
    found = [str(p) for p in check_verbatim(content, sources, relative_to=content)]
    assert found == ["site.md:9: 'wie: raadslid': de bron noemt deze spreker niet bij dit citaat"]


def test_an_altered_discussion_statement_is_reported(folders: tuple[Path, Path]) -> None:
    content, sources = folders
    page = content / "site.md"
    page.write_text(page.read_text().replace("zijn goed.", "zijn uitstekend."), encoding="utf-8")
    found = [str(p) for p in check_verbatim(content, sources, relative_to=content)]
    assert found == ["site.md:12: stelling staat niet letterlijk in WagenaarHoes: «de verhoudingen zijn uitstekend»"]


@needs_sources
def test_every_quote_and_statement_of_the_guide_is_verbatim() -> None:
    assert [str(p) for p in check_verbatim(REAL_CONTENT, SOURCES, relative_to=REAL_CONTENT)] == []


@needs_sources
def test_metro_check_with_the_sources_reports_an_altered_quote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "nl"
    shutil.copytree(REAL_CONTENT, content)
    monkeypatch.chdir(tmp_path)
    assert metro(["check", "--content", str(content), "--bronnen", str(SOURCES)]) == 0
    assert capsys.readouterr().out.endswith("; citaten en uitspraken letterlijk als in de bronnen.\n")
    stop = content / "05-goede-verhoudingen.md"
    stop.write_text(stop.read_text().replace("dat we niet durven, het is", "dat we niet willen, het is"))
    assert metro(["check", "--content", str(content), "--bronnen", str(SOURCES)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-2:] == [
        "nl/05-goede-verhoudingen.md:47: citaat staat niet letterlijk in VNG, Samenwerking tussen gemeenten: "
        "«het is niet omdat dingen moeilijk zijn dat we niet willen, het is omda»",
        "1 probleem gevonden.",
    ]


def test_metro_check_refuses_a_folder_without_sources(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert metro(["check", "--content", str(REAL_CONTENT), "--bronnen", str(tmp_path)]) == 1
    assert capsys.readouterr().err.strip().endswith("geen brondocumenten gevonden (bestanden 000_….txt tot 004_….txt)")
