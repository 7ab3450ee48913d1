"""House style of the guide's own texts (issue 18): sentence length, one form of address, one spelling.

Quotations, the stops' statements on the map and the discussion statements are the sources' words and
are left out; what remains is what the guide says in its own words.
"""

import re
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "content" / "nl"
MAX_WORDS = 30


def _own_lines() -> list[tuple[str, int, str]]:
    """(file, line, text) of every line the guide writes itself."""
    out = []
    for path in sorted(REAL.glob("*.md")):
        if path.name == "toegankelijkheid.md":
            continue  # the accessibility statement is its own form, not guide text
        lines = path.read_text(encoding="utf-8").splitlines()
        in_front = in_quote = in_sources = False
        for number, line in enumerate(lines, 1):
            if number == 1 and line == "---":
                in_front = True
                continue
            if in_front:
                in_front = line != "---"
                continue
            if line.startswith("## "):
                in_sources = line.strip() == "## Bronnen"
            if line.startswith("::: citaat"):
                in_quote = True
            if in_quote:
                in_quote = line.strip() != ":::"
                continue
            if in_sources or re.match(r"\s*(bron|titel|waar|wie):", line) or line.startswith("- Stelling:"):
                continue
            text = re.sub(r"^(les):\s*", "", line).strip()
            if text and not text.startswith(("#", ":::")):
                out.append((path.name, number, text))
    return out


def _unquoted(text: str) -> str:
    """The text without what it quotes between “…” (a quote keeps its speaker's words)."""
    return re.sub(r"“[^”]*”", "“…”", text)


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link counts as its words
    return [s for s in re.split(r"(?:(?<=[.!?])|(?<=[.!?]”)|(?<=[.!?]\*\*))\s+(?=[A-Z“‘*(])", text) if s]


def test_no_sentence_in_the_guides_own_text_is_over_30_words() -> None:
    long = [
        f"{name}:{number}: {len(s.split())} woorden: {s[:60]}"
        for name, number, text in _own_lines()
        for s in _sentences(text)
        if len(s.split()) > MAX_WORDS
    ]
    assert long == []


def test_the_guide_speaks_to_the_reader_as_u() -> None:
    informal = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
    found = [f"{n}:{i}: {t[:60]}" for n, i, t in _own_lines() if informal.search(_unquoted(t))]
    assert found == []


def test_one_spelling_for_each_word() -> None:
    forbidden = {
        r"\bbusiness case": "businesscase",
        r"\be\.o\.": "en omgeving",
        r"\bomstreken\b": "en omgeving",
        r"\bstelling\b(?! ?:)": "uitspraak (de tekst op de kaart)",
    }
    fields = [
        (path.name, i, line)
        for path in sorted(REAL.glob("*.md"))
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"(titel|waar):", line)
    ]
    found = [
        f"{n}:{i}: {pattern} (schrijf: {word})"
        for n, i, t in [*_own_lines(), *fields]
        for pattern, word in forbidden.items()
        if re.search(pattern, t, re.IGNORECASE)
    ]
    assert found == []


def test_abbreviations_are_spelled_out_at_their_first_use() -> None:
    for abbreviation, full in (("Wmo", "Wet maatschappelijke ondersteuning"), ("SETA", "Samen en toch apart")):
        for path in REAL.glob("0*.md"):
            own = "\n".join(t for n, _, t in _own_lines() if n == path.name)
            first = own.find(abbreviation)
            if first >= 0:
                assert full in own[: first + 200], (path.name, abbreviation)


def test_the_map_text_has_one_name_in_every_template() -> None:
    """What the stop says on the map is 'de uitspraak op de kaart' wherever a reader sees its label."""
    templates = Path(__file__).resolve().parents[1] / "templates"
    labels = []
    for path in templates.rglob("*.html"):
        # Written by hand (`…statement-label">`) or by the map_statement macro (templates/_statement.html).
        for match in re.finditer(r'(?:statement-label|\{\{ label \}\})">([^<]*)<', path.read_text(encoding="utf-8")):
            labels.append(match.group(1))
    assert labels and {label for label in labels if "kaart" in label.lower()} == {"De uitspraak op de kaart"}
