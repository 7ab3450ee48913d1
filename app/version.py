"""`metro --version`: the package's version and the build of the content it would serve."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.config import Settings, SettingsError
from app.content import ContentError, load_guide
from app.health import version as package_version


def content_build(content_dir: Path) -> str:
    """One Dutch line on the content in `content_dir`: its build (the version /healthz shows), or why none."""
    try:
        guide = load_guide(content_dir)
    except ContentError as err:
        count = len(err.problems)
        return f"inhoud: {content_dir} is niet in orde ({count} {'probleem' if count == 1 else 'problemen'}; metro check noemt ze)"
    return f"inhoud: {guide.version} ({len(guide.stations)} haltes in {content_dir})"


class VersionAction(argparse.Action):
    """Print the version lines and stop, like argparse's own version action."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, *_: object) -> None:
        try:
            content_dir = getattr(namespace, "content", None) or Settings.from_env().content_dir
            build = content_build(content_dir)
        except SettingsError as err:
            build = f"inhoud: onbekend (instelling niet bruikbaar: {err})"
        print(f"metro {package_version()}\n{build}", file=sys.stdout)
        parser.exit()
