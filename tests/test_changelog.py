"""CHANGELOG.md follows Keep a Changelog and agrees with the version metro, pyproject and publiccode.yml name."""

from __future__ import annotations

import re
import tomllib

import yaml

from app.config import ROOT
from app.health import version

CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
HEADING = re.compile(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", re.M)
# Keep a Changelog's kinds of change, in Dutch.
KINDS = {"Toegevoegd", "Gewijzigd", "Verouderd", "Verwijderd", "Opgelost", "Beveiliging"}


def test_unreleased_first_then_released_versions_newest_first() -> None:
    headings = HEADING.findall(CHANGELOG)
    assert headings[0] == ("Unreleased", "")
    released = headings[1:]
    assert released and all(date for _, date in released)
    assert [date for _, date in released] == sorted((date for _, date in released), reverse=True)
    as_numbers = [tuple(int(part) for part in name.split(".")) for name, _ in released]
    assert as_numbers == sorted(as_numbers, reverse=True)


def test_the_newest_release_is_the_version_metro_and_the_catalogue_name() -> None:
    name, date = HEADING.findall(CHANGELOG)[1]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    publiccode = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert name == project == version() == publiccode["softwareVersion"]
    assert date == publiccode["releaseDate"]


def test_every_section_is_a_known_kind_and_every_version_links_to_its_changes() -> None:
    kinds = set(re.findall(r"^### (.+)$", CHANGELOG, re.M))
    assert kinds and kinds <= KINDS, kinds - KINDS
    links = dict(re.findall(r"^\[([^\]]+)\]: (https://\S+)$", CHANGELOG, re.M))
    assert [name for name, _ in HEADING.findall(CHANGELOG) if name not in links] == []
