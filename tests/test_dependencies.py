"""Every third-party module the application imports is declared in pyproject.toml, and nothing unused is pulled in."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _name(requirement: str) -> str:
    """The distribution name of a requirement string, normalised ("psycopg[binary]>=3" -> "psycopg")."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def declared() -> set[str]:
    names = {_name(r) for r in PROJECT["dependencies"]}
    for extra in PROJECT.get("optional-dependencies", {}).values():
        names |= {_name(r) for r in extra}
    return names


def imported_modules() -> dict[str, str]:
    """Top-level modules imported anywhere in app/, module -> first file that imports it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_imported_distribution_is_declared() -> None:
    distributions = packages_distributions()
    missing = {}
    for module, where in imported_modules().items():
        if module == "app" or module in sys.stdlib_module_names:
            continue
        owners = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [module])}
        if not owners & declared():
            missing[module] = where
    assert missing == {}, f"imported but not declared in pyproject.toml: {missing}"


def test_uvicorn_is_pinned_to_the_tested_minor_version_without_unused_extras() -> None:
    (uvicorn,) = [r for r in PROJECT["dependencies"] if _name(r) == "uvicorn"]
    assert "[" not in uvicorn, "uvicorn[standard] pulls in websockets and python-dotenv, which nothing uses"
    assert re.fullmatch(r"uvicorn>=0\.(\d+),<0\.(\d+)", uvicorn.replace(" ", ""))
    lower, upper = (int(n) for n in re.findall(r"0\.(\d+)", uvicorn))
    assert upper == lower + 1, "app/server.py extends uvicorn's private protocol classes: one minor version"


def test_optional_parts_are_extras() -> None:
    extras = PROJECT["optional-dependencies"]
    assert {_name(r) for r in extras["postgresql"]} == {"psycopg"}
    assert {_name(r) for r in extras["gunicorn"]} == {"gunicorn"}
    assert not {"psycopg", "gunicorn"} & {_name(r) for r in PROJECT["dependencies"]}
