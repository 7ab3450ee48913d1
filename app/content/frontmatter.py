"""Read the YAML front matter at the top of a content file into checked key/value pairs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it.token import Token

from app.content.report import Report


@dataclass(frozen=True)
class FrontMatter:
    """The front matter's values with the 1-based line of each key."""

    values: dict[str, object]
    lines: dict[str, int]

    def __getitem__(self, key: str) -> object:
        return self.values[key]

    def get(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def read_front_matter(
    report: Report, path: Path, tokens: list[Token], keys: tuple[str, ...], optional: tuple[str, ...] = ()
) -> FrontMatter | None:
    """Return the front matter when every required key is there with a usable value, else None."""
    if not tokens or tokens[0].type != "front_matter":
        report.problem(path, 1, "front matter missing: the file starts with a '---' block")
        return None
    token = tokens[0]
    try:
        node = yaml.compose(token.content)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        report.problem(path, line, f"front matter is not valid YAML: {getattr(err, 'problem', err)}")
        return None
    if not isinstance(node, yaml.MappingNode):
        report.problem(path, 2, "front matter must be 'key: value' lines")
        return None
    allowed = keys + optional
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    reported: set[str] = set()
    for key_node, value_node in node.value:
        line = 2 + key_node.start_mark.line
        key = key_node.value
        if key not in allowed:
            report.problem(path, line, f"unknown front-matter key '{key}' (allowed: {', '.join(allowed)})")
            continue
        if key in values or key in reported:
            report.problem(path, line, f"front-matter key '{key}' appears twice")
            continue
        try:
            value = yaml.SafeLoader("").construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, AttributeError, OverflowError) as err:
            reason = str(err).strip().split("\n")[0]
            report.problem(path, line, f"front-matter key '{key}' has a value YAML cannot read: {reason}")
            reported.add(key)
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            report.problem(path, line, f"front-matter key '{key}' is empty")
            reported.add(key)
            continue
        values[key] = value
        lines[key] = line
    for key in keys:
        if key not in values and key not in reported:
            report.problem(path, 1, f"front-matter key '{key}' is missing")
    if any(key not in values for key in keys):
        return None
    return FrontMatter(values, lines)
