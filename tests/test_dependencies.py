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


def dev_declared() -> set[str]:
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text()).get("dependency-groups", {})
    return declared() | {_name(r) for group in groups.values() for r in group if isinstance(r, str)}


def imported_modules(*folders: str) -> dict[str, str]:
    """Top-level modules imported anywhere in `folders`, module -> first file that imports it."""
    found: dict[str, str] = {}
    for path in sorted(p for folder in folders or ("app",) for p in (ROOT / folder).rglob("*.py")):
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


def undeclared(modules: dict[str, str], allowed: set[str]) -> dict[str, str]:
    distributions = packages_distributions()
    ours = {"app", "tests", "bench", "audit"}
    missing = {}
    for module, where in modules.items():
        if module in ours or module in sys.stdlib_module_names:
            continue
        owners = {re.sub(r"[-_.]+", "-", d).lower() for d in distributions.get(module, [module])}
        if not owners & allowed:
            missing[module] = where
    return missing


def test_every_imported_distribution_is_declared() -> None:
    assert undeclared(imported_modules("app"), declared()) == {}, "imported by app/ but not a dependency"


def test_what_the_tests_and_benchmarks_import_is_in_the_dev_group() -> None:
    """A package that only came along with another one (python-dotenv with uvicorn[standard]) can go."""
    assert undeclared(imported_modules("tests", "bench", "audit"), dev_declared()) == {}


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
