"""The stylesheet holds no dead rules: every class it styles is written by a template, the
JavaScript or the Markdown renderer."""

from __future__ import annotations

import re

from app.config import ROOT

CSS = (ROOT / "static" / "app.css").read_text()
SOURCES = [
    *sorted((ROOT / "templates").glob("*.html")),
    *sorted((ROOT / "static").glob("*.js")),
    *sorted((ROOT / "app").glob("*.py")),
]


def styled_classes(css: str) -> set[str]:
    """The class names in the selectors of `css` (not in its declarations or comments)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = re.findall(r"([^{};]+)\{", css)
    return {
        name
        for sel in selectors
        if not sel.strip().startswith("@")
        for name in re.findall(r"\.(-?[_a-zA-Z][\w-]*)", sel)
    }


def written(name: str, sources: str, patterns: list[re.Pattern[str]]) -> bool:
    return bool(re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", sources)) or any(
        p.fullmatch(name) for p in patterns
    )


def test_every_styled_class_is_used() -> None:
    sources = "\n".join(path.read_text() for path in SOURCES)
    # A class composed in a template, such as `metro-map__svg--{{ map.orientation }}`.
    patterns = [
        re.compile(re.escape(prefix) + r"[\w-]+")
        for prefix in re.findall(r"([\w-]+)\{\{[^}]*\}\}", sources)
        if prefix.endswith(("-", "_"))
    ]
    unused = sorted(name for name in styled_classes(CSS) if not written(name, sources, patterns))
    assert unused == []


def test_the_check_finds_an_unused_class() -> None:
    assert styled_classes(".a, .b:hover > .c--x { color: red } @media print { .d { margin: 0.5rem } }") == {
        "a",
        "b",
        "c--x",
        "d",
    }
    assert not written("c--x", '<p class="a">', [])


def blocks(css: str, at_rule: str) -> list[str]:
    """The bodies of every `at_rule { … }` block in `css`."""
    bodies = []
    for match in re.finditer(re.escape(at_rule) + r"[^{]*\{", css):
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        bodies.append(css[match.end() : end - 1])
    return bodies


def test_print_rules_hold_no_screen_rules() -> None:
    """A `@media screen` block nested inside `@media print` can never apply."""
    css = re.sub(r"/\*.*?\*/", "", CSS, flags=re.S)
    assert [body for body in blocks(css, "@media print") if "@media screen" in body] == []
