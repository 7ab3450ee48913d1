"""docs/deploy.md and deploy/ agree: every recipe is documented, every command fills in every placeholder."""

from __future__ import annotations

import grp
import os
import pwd
import re
import shlex
import stat
import subprocess
from pathlib import Path

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


def test_the_settings_file_is_installed_readable_for_root_and_the_service_only(tmp_path: Path) -> None:
    """It can hold the database password: the documented commands make it 0640, never world-readable."""
    commands = [line.split("#", 1)[0].strip() for line in DOC.splitlines() if "/etc/zevenstops" in line]
    assert [c for c in commands if re.match(r"(sudo )?(cp|mv|tee|cat)\b", c)] == []  # cp would make it 0644
    installs = [shlex.split(c) for c in commands if c.startswith("install ")]
    env_install = next(argv for argv in installs if argv[-1].endswith("zevenstops.env"))
    dir_install = next(argv for argv in installs if "-d" in argv and argv[-1] == "/etc/zevenstops")
    assert env_install[env_install.index("-g") + 1] == "zevenstops"
    # Run them as written, in a folder of the test's and with this account as owner and group.
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    for argv in (dir_install, env_install):
        local = [a.replace("/etc/zevenstops", str(tmp_path / "etc")) for a in argv]
        local[local.index("-o") + 1], local[local.index("-g") + 1] = user, group
        subprocess.run(local, cwd=ROOT, check=True, capture_output=True, timeout=30)
    assert stat.S_IMODE((tmp_path / "etc" / "zevenstops.env").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "etc").stat().st_mode) == 0o750
    assert (tmp_path / "etc" / "zevenstops.env").read_bytes() == (DEPLOY / "zevenstops.env").read_bytes()
