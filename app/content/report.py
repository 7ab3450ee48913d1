"""Collect the problems and warnings of one check, naming files relative to one folder."""

from __future__ import annotations

from pathlib import Path

from app.content.model import Problem


class Report:
    """Every finding of one load; files are named relative to `relative_to` where they can be."""

    def __init__(self, relative_to: Path):
        self.relative_to = relative_to.resolve()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def name(self, path: Path) -> str:
        """Name `path` as the editor knows it: relative to the working folder if it lies inside."""
        # Resolve the folder but not the file itself: a symbolic link is named as the link.
        try:
            return str((path.parent.resolve() / path.name).relative_to(self.relative_to))
        except ValueError:
            return str(path)

    def problem(self, path: Path | str, line: int, message: str) -> None:
        """Add a problem; `path` is a file, or a name this report already gave one."""
        name = path if isinstance(path, str) else self.name(path)
        self.problems.append(Problem(name, line, message))

    def warning(self, path: Path | str, line: int, message: str) -> None:
        name = path if isinstance(path, str) else self.name(path)
        self.warnings.append(Problem(name, line, message, warning=True))
