"""The one configured Markdown parser of the guide, and its typed blocks.

Raw HTML is never passed through, unsafe link schemes are dropped, external links open
safely, and two typed containers carry meaning that pages, print and the API share:

    ::: citaat                       ::: praktijk
    wie: wethouder                   titel: …   waar: …   les: …   bron: …
    bron: …
                                     What happened.
    The quote, verbatim.             :::
    :::

The field lines at the top of a container become ``token.meta["fields"]``; a citaat is
rendered as ``<figure><blockquote>…</blockquote><figcaption>…</figcaption></figure>``, a
praktijk as an ``<article>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from copy import copy
from html import escape
from typing import Any, cast
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

CONTAINERS = ("citaat", "praktijk")
FIELD_RE = re.compile(r"^([a-z]+):[ \t]*(.*)$")
# A link to another stop is written as its file name, e.g. "04-boven-en-onderstroom.md".
STOP_LINK_RE = re.compile(r"^(\d\d-[a-z0-9-]+)\.md(#[\w-]+)?$")
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")

# Resolves a stop file name ("04-…") to the URL of that stop on the page being rendered.
LinkResolver = Callable[[str], "str | None"]


def make_markdown(*, checking: bool = False) -> MarkdownIt:
    """Build the guide's Markdown parser: CommonMark, no raw HTML, typed containers.

    `checking` is for the content checker only: it must see raw HTML and unsafe links to
    report them, where the renderer silently escapes or drops them.
    """
    md = MarkdownIt("commonmark", {"html": checking, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    for name in CONTAINERS:
        md.use(container_plugin, name=name, render=_render_container)
    md.core.ruler.push("container_fields", _container_fields)
    md.validateLink = (lambda url: True) if checking else _validate_link  # type: ignore[method-assign]
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("heading_open", _render_heading)
    md.add_render_rule("heading_close", _render_heading)
    return md


class ContentHtml:
    """The one renderer of content Markdown: pages, print and the API show the same HTML.

    Each text is parsed once per build; rendering it for a page only resolves its stop links
    (the render rules never change a token, so parsed tokens can be rendered again).
    """

    def __init__(self) -> None:
        self.md = make_markdown()
        self._blocks: dict[str, list[Token]] = {}
        self._inlines: dict[str, list[Token]] = {}

    def block(self, text: str, resolve: LinkResolver | None = None, *, level: int = 2) -> str:
        """Render one section's Markdown; stop links are resolved for the page at hand.

        `level` is the heading level of the section in the page's outline: its `###`
        sub-headings and its practice examples' titles sit one level below it.
        """
        return self.md.renderer.render(self._parsed(text), self.md.options, self._env(resolve, level))

    def quotes(self, text: str, resolve: LinkResolver | None = None) -> list[str]:
        """The body of every citaat in `text`, rendered exactly as inside the page's blockquote."""
        tokens, env = self._parsed(text), self._env(resolve, 2)
        bodies: list[str] = []
        start: int | None = None
        for index, token in enumerate(tokens):
            if token.type == "container_citaat_open":
                start = index + 1
            elif token.type == "container_citaat_close" and start is not None:
                bodies.append(self.md.renderer.render(tokens[start:index], self.md.options, env))
                start = None
        return bodies

    def _parsed(self, text: str) -> list[Token]:
        tokens = self._blocks.get(text)
        if tokens is None:
            tokens = self._blocks[text] = self.md.parse(text, {})
        return tokens

    def inline(self, text: str, resolve: LinkResolver | None = None) -> str:
        """Render one line of Markdown (a question, a source, a field) without a paragraph."""
        tokens = self._inlines.get(text)
        if tokens is None:
            tokens = self._inlines[text] = self.md.parseInline(text, {})
        return self.md.renderer.render(tokens, self.md.options, self._env(resolve, 2))

    def _env(self, resolve: LinkResolver | None, level: int) -> dict[str, Any]:
        return {"resolve": resolve, "level": level, "inline": lambda text: self.inline(text, resolve)}


def _validate_link(url: str) -> bool:
    """Allow relative links and a few safe schemes; drop javascript:, data:, file: and such."""
    lowered = url.strip().lower()
    scheme = re.match(r"^[a-z][a-z0-9+.-]*:", lowered)
    return scheme is None or lowered.startswith(SAFE_SCHEMES)


def _render_link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = copy(tokens[idx])  # parsed tokens are rendered again for other pages: never change them
    token.attrs = dict(token.attrs)
    href = str(token.attrGet("href") or "")
    match = STOP_LINK_RE.match(href)
    resolve = env.get("resolve") if env else None
    if match and resolve:
        target = resolve(match.group(1))
        if target is not None:
            token.attrSet("href", target + (match.group(2) or ""))
    elif href.lower().startswith(("http:", "https:", "//")):
        token.attrSet("rel", "noopener noreferrer")
    return _render_copy(self, tokens, idx, token, options, env)


def _render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """An image from the content folder, at its URL on the page being rendered."""
    token = copy(tokens[idx])
    token.attrs = dict(token.attrs)
    resolve = env.get("resolve") if env else None
    src = unquote(str(token.attrGet("src") or "").removeprefix("./"))
    target = resolve(src) if resolve else None
    if target is not None:
        token.attrSet("src", target)
    return _render_copy(self, tokens, idx, token, options, env, render=self.image)


def _render_copy(
    self: RendererHTML,
    tokens: Sequence[Token],
    idx: int,
    token: Token,
    options: OptionsDict,
    env: EnvType,
    *,
    render: Callable[..., str] | None = None,
) -> str:
    """Render `token` in place of tokens[idx] (its neighbours decide the line breaks).

    `render` is the renderer's rule for the token (e.g. `self.image`); by default `renderToken`.
    """
    mutable = cast(list[Token], tokens)
    original, mutable[idx] = mutable[idx], token
    try:
        return (render or self.renderToken)(mutable, idx, options, env)
    finally:
        mutable[idx] = original


def _render_heading(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    """Place a `###` sub-heading one level below the section it stands in."""
    token = copy(tokens[idx])
    level = (env or {}).get("level", 2) + 1 + int(token.tag[1]) - 3
    token.tag = f"h{min(max(level, 2), 6)}"
    return _render_copy(self, tokens, idx, token, options, env)


def _container_fields(state: StateCore) -> None:
    """Move the `key: value` lines that open a container into the container's meta."""
    tokens = state.tokens
    drop: set[int] = set()
    open_stack: list[Token] = []
    for i, token in enumerate(tokens):
        if not token.type.startswith("container_"):
            continue
        if token.nesting == -1:
            token.meta = open_stack.pop().meta  # the closing tag renders the caption
            continue
        open_stack.append(token)
        token.meta.update(fields={}, field_lines={})
        if i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open":
            continue
        lines = tokens[i + 2].content.split("\n")
        matches = [FIELD_RE.match(line) for line in lines]
        if not all(matches):
            continue
        first_line = (tokens[i + 1].map or [0])[0]
        for offset, match in enumerate(matches):
            key, value = match.groups()  # type: ignore[union-attr]
            token.meta["fields"][key] = value.strip()
            token.meta["field_lines"][key] = first_line + offset
        drop.update((i + 1, i + 2, i + 3))  # the field paragraph is data, not text
    state.tokens = [t for i, t in enumerate(tokens) if i not in drop]
    _add_quote_marks(state.tokens)


def _add_quote_marks(tokens: list[Token]) -> None:
    """Put typographic quotation marks around the body of every citaat."""
    depth = 0
    inlines: list[Token] = []
    for token in tokens:
        if token.type == "container_citaat_open":
            depth, inlines = 1, []
        elif token.type == "container_citaat_close":
            visible = [t for t in inlines if t.children]
            if visible:
                _wrap_text(visible[0], "\u201c", prepend=True)
                _wrap_text(visible[-1], "\u201d", prepend=False)
            depth = 0
        elif depth and token.type == "inline":
            inlines.append(token)


def _wrap_text(inline: Token, mark: str, *, prepend: bool) -> None:
    children = inline.children or []
    text = Token("text", "", 0, content=mark)
    if prepend:
        children.insert(0, text)
    else:
        children.append(text)


def _render_container(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    kind = token.type.split("_")[1]  # container_<kind>_open|close
    inline = (env or {}).get("inline") or escape
    fields = {key: inline(value) for key, value in token.meta.get("fields", {}).items()}
    if token.nesting == 1:
        level = (env or {}).get("level", 2) + 1
        if kind == "citaat":
            return '<figure class="quote">\n<blockquote class="quote__text">\n'
        title = fields.get("titel", "")
        # Several examples on a page: each article is named by its title (plain text), so a
        # screen reader's list of regions tells them apart.
        named = escape(Markup(title).striptags())
        return (
            f'<article class="case" aria-label="Praktijkvoorbeeld: {named}">\n'
            f'<h{level} class="case__title">{title}</h{level}>\n'
            f'<p class="case__where"><span class="case__key">Waar:</span> {fields.get("waar", "")}</p>\n'
            '<div class="case__body">\n'
        )
    if kind == "citaat":
        who = fields.get("wie", "")
        source = fields.get("bron", "")
        parts = [f'<span class="quote__who">{who}</span>'] if who else []
        if source:
            parts.append(f'<cite class="quote__source">{source}</cite>')
        caption = ", ".join(parts)
        return f'</blockquote>\n<figcaption class="quote__caption">— {caption}</figcaption>\n</figure>\n'
    lesson, source = fields.get("les", ""), fields.get("bron", "")
    return (
        "</div>\n"
        f'<p class="case__lesson"><span class="case__key">Les:</span> {lesson}</p>\n'
        f'<p class="case__source"><span class="case__key">Bron:</span> {source}</p>\n'
        "</article>\n"
    )
