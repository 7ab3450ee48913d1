"""Read the YAML front matter at the top of a content file into checked key/value pairs.

Every value is kept as the text the editor wrote (no YAML typing: `title: no` stays "no"); the
rules convert the few values that are not text, such as `number`. YAML's own English error
messages never reach the editor: each is turned into a Dutch one with a hint for the usual slip.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from markdown_it.token import Token

from app.content.report import Report

CURLY_QUOTES = "“”‘’„‚"
KEY_LINE_RE = re.compile(r"^[A-Za-z_][\w-]*[ \t]*:")
NULL_TAG = "tag:yaml.org,2002:null"
COLLECTION_TOKENS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockEntryToken)
REFUSED: dict[type, str] = {
    yaml.AnchorToken: "een anker ('&' voor een waarde)",
    yaml.AliasToken: "een verwijzing ('*' voor een waarde)",
    yaml.TagToken: "een YAML-type ('!' voor een waarde)",
    yaml.DirectiveToken: "een YAML-opdracht ('%' aan het begin van een regel)",
}


@dataclass(frozen=True)
class FrontMatter:
    """The front matter's values, as written, with the 1-based line of each key."""

    values: dict[str, str]
    lines: dict[str, int]

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def report_missing_front_matter(report: Report, path: Path, lines: list[str]) -> None:
    """Say which of the two `---` lines is missing (the caller found no front matter)."""
    first = next((i for i, text in enumerate(lines) if text.strip()), 0)
    if first > 0 and lines[first].strip() == "---":
        message = "de kop begint op de eerste regel: haal de lege regels erboven weg"
    elif lines and lines[first].strip() == "---":
        message = "de kop wordt niet afgesloten: zet een regel '---' onder het laatste gegeven"
    elif lines and KEY_LINE_RE.match(lines[first]):
        message = "de regel '---' boven de kop ontbreekt: het bestand begint met een regel '---'"
    else:
        message = "de kop ontbreekt: het bestand begint met een blok 'naam: waarde'-regels tussen twee regels '---'"
    report.problem(path, first + 1, message)


def read_front_matter(
    report: Report,
    path: Path,
    token: Token,
    keys: tuple[str, ...],
    optional: tuple[str, ...] = (),
    *,
    max_chars: int,
) -> FrontMatter | None:
    """Return the front matter when every required key is there with a value, else None."""
    offset = (token.map[0] if token.map else 0) + 2  # file line of the front matter's first line
    node = _compose(report, path, token.content, offset, max_chars)
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode):
        line = offset + (node.start_mark.line if node.start_mark else 0)
        report.problem(path, line, "de kop bestaat uit regels 'naam: waarde'")
        return None
    allowed = keys + optional
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    seen: set[str] = set()
    capitalised: set[str] = set()  # 'Pages' reported as unknown: 'pages' is not also reported missing
    for key_node, value_node in node.value:
        line = offset + key_node.start_mark.line
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if key not in allowed:
            shown = f"'{key}'" if key else "zonder naam"
            hint = " (gegevens schrijft u met kleine letters)" if key.lower() in allowed else ""
            capitalised.add(key.lower())
            report.problem(path, line, f"onbekend gegeven {shown} in de kop{hint} (toegestaan: {', '.join(allowed)})")
            continue
        if key in seen:
            report.problem(path, line, f"gegeven '{key}' staat twee keer in de kop")
            continue
        seen.add(key)
        value = _value(report, path, line, key, value_node)
        if value is not None:
            values[key] = value
            lines[key] = line
    for key in keys:
        if key not in seen and key not in capitalised:
            report.problem(path, 1, f"gegeven '{key}' ontbreekt in de kop")
    if any(key not in values for key in keys):
        return None
    return FrontMatter(values, lines)


def _value(report: Report, path: Path, line: int, key: str, node: yaml.Node) -> str | None:
    """Return a value's text as written, or None after reporting why it is not one."""
    if not isinstance(node, yaml.ScalarNode):
        report.problem(path, line, f"de waarde van '{key}' is een lijst of tabel; hier hoort één waarde")
        return None
    if node.tag == NULL_TAG or not node.value.strip():
        report.problem(path, line, f"gegeven '{key}' heeft geen waarde")
        return None
    if node.style is None and node.value[0] in CURLY_QUOTES:
        report.problem(
            path,
            line,
            f"de waarde van '{key}' staat tussen gekrulde aanhalingstekens (uit Word): "
            f'gebruik rechte aanhalingstekens, bijvoorbeeld {key}: "…"',
        )
        return None
    return str(node.value)


def _compose(report: Report, path: Path, text: str, offset: int, max_chars: int) -> yaml.Node | None:
    """Compose the YAML, or report its first problem in Dutch at the right line.

    The tokens are checked before anything is built from them: anchors and aliases are how a few
    hundred bytes of YAML grow to gigabytes, tags how YAML constructs arbitrary types, nested
    lists how it runs out of stack; the format needs none of them, only `key: value` lines.
    """
    for line_no, row in enumerate(text.split("\n")):
        # YAML reads these as line breaks: a value would silently lose or change characters.
        hidden = next((c for c in row if c in "\x85\u2028\u2029"), None)
        if hidden is not None:
            report.problem(path, offset + line_no, f"kop: onzichtbaar regeleinde U+{ord(hidden):04X}: haal het weg")
            return None
    try:
        refused = _refused_token(yaml.scan(text, Loader=yaml.SafeLoader), max_chars)
        if refused is None:
            # An empty front matter is an empty mapping: every key is then reported missing.
            return yaml.compose(text, Loader=yaml.SafeLoader) or yaml.MappingNode("tag:yaml.org,2002:map", [])
        line, message = refused
        report.problem(path, offset + line, message)
    except yaml.MarkedYAMLError as err:
        line, message = _explain(err, text.split("\n"))
        report.problem(path, offset + line, f"kop: {message}")
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n")
        report.problem(path, offset + line, f"kop: onzichtbaar stuurteken U+{err.character:04X}: haal het weg")
    except yaml.YAMLError:
        report.problem(path, offset, "kop: dit is geen geldige kop")
    return None


def _refused_token(tokens: Iterator[yaml.Token], max_chars: int) -> tuple[int, str] | None:
    """Return (0-based line, message) for the first token the format does not allow, else None."""
    key, mappings, after_key = "", 0, False
    for token in tokens:
        line = token.start_mark.line
        kind = REFUSED.get(type(token))
        if kind:
            return line, f"kop: {kind} is niet toegestaan: zet de waarde tussen aanhalingstekens"
        if isinstance(token, yaml.BlockMappingStartToken):
            mappings += 1
            if mappings > 1:  # a mapping inside a value: a key line that was indented
                return line, (
                    "kop: deze regel springt in: begin elk gegeven aan het begin van de regel, zonder spaties ervoor"
                )
        if isinstance(token, COLLECTION_TOKENS):
            if not key:
                return line, "de kop bestaat uit regels 'naam: waarde'"
            return line, f"de waarde van '{key}' is een lijst of tabel; hier hoort één waarde"
        if isinstance(token, yaml.ScalarToken):
            if len(token.value) > max_chars:
                return line, f"kop: deze waarde is {len(token.value)} tekens lang; hoogstens {max_chars} mag"
            key = token.value if after_key else key
        after_key = isinstance(token, yaml.KeyToken)
    return None


def _explain(err: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str]:
    """Turn a YAML error into (0-based line, Dutch message with a hint for the usual slip)."""
    problem = err.problem or ""
    if err.context_mark is not None and "quoted scalar" in (err.context or ""):
        return err.context_mark.line, (
            "het aanhalingsteken aan het begin van de waarde wordt niet gesloten: "
            "zet aan het eind van de waarde hetzelfde teken"
        )
    i = err.problem_mark.line if err.problem_mark is not None else 0
    text = lines[i] if i < len(lines) else ""
    if "\t" in text or "'\\t'" in problem:
        return i, "tab gevonden: gebruik spaties, geen tab"
    if any(quote in text for quote in CURLY_QUOTES):
        return i, "gekrulde aanhalingstekens (uit Word): gebruik rechte aanhalingstekens \" of '"
    if text[:1].isspace() and KEY_LINE_RE.match(text.lstrip()):
        return i, "deze regel springt in: begin elk gegeven aan het begin van de regel, zonder spaties ervoor"
    if "mapping values are not allowed" in problem:
        key = text.split(":", 1)[0].strip()
        return i, (
            f"de waarde van '{key}' bevat een dubbele punt: zet de waarde tussen aanhalingstekens, "
            f'bijvoorbeeld {key}: "…: …"'
        )
    start = re.search(r"found character '(.)' that cannot start any token", problem)
    if start:
        return i, f"een waarde mag niet beginnen met '{start.group(1)}': zet de waarde tussen aanhalingstekens"
    return i, (
        "deze regel kan niet worden gelezen: schrijf 'naam: waarde', één per regel, "
        "en zet een waarde met bijzondere tekens tussen aanhalingstekens"
    )
