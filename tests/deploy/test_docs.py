"""docs/deploy.md and deploy/ agree: every recipe is documented, every command fills in every placeholder."""

from __future__ import annotations

import re

from app.config import ROOT
from tests.deploy.recipes import DEPLOY, PLACEHOLDER, placeholders

DOC = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")


def test_every_recipe_is_documented_with_its_placeholders() -> None:
    recipes = sorted(path.name for path in DEPLOY.iterdir() if path.is_file())
    assert [name for name in recipes if f"deploy/{name}" not in DOC] == []
    used = set().union(*(placeholders(name) for name in recipes))
    table = {match for row in DOC.splitlines() if row.startswith("| `{{") for match in PLACEHOLDER.findall(row)}
    assert table == used


def test_every_sed_command_fills_in_every_placeholder() -> None:
    commands = re.findall(r"sed (.*?) (deploy/[\w.-]+) >", DOC.replace("\\\n", " "), re.S)
    assert commands
    for options, recipe in commands:
        assert set(PLACEHOLDER.findall(options)) == placeholders(recipe.removeprefix("deploy/")), recipe


def test_every_test_the_guide_names_exists() -> None:
    named = set(re.findall(r"tests/[\w/]+\.py", DOC))
    assert named and sorted(name for name in named if not (ROOT / name).is_file()) == []
    deploy_tests = {f"tests/deploy/{path.name}" for path in (ROOT / "tests" / "deploy").glob("test_*.py")}
    assert deploy_tests - {"tests/deploy/test_docs.py"} <= named
