"""Front matter: the YAML slips editors make get a Dutch message with a hint, at the right line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content import load_guide
from tests.test_content import A, edit, problems

YAML_SLIPS = [
    # An invisible line break pasted from elsewhere: YAML would fold it away without a word.
    ('label: "Ambitie"', 'label: "Amb\u0085itie"', f"{A}:5: kop: onzichtbaar regeleinde U+0085: haal het weg"),
    # (old text, new text, expected problem): the slips editors make, each with its hint in Dutch
    (
        'title: "Gemeenschappelijke ambitie"',
        "title: Ambitie: samen verder",
        f"{A}:4: kop: de waarde van 'title' bevat een dubbele punt: zet de waarde tussen "
        'aanhalingstekens, bijvoorbeeld title: "…: …"',
    ),
    ('label: "Ambitie"', 'label:\t"Ambitie"', f"{A}:5: kop: tab gevonden: gebruik spaties, geen tab"),
    ('label: "Ambitie"', '\tlabel: "Ambitie"', f"{A}:5: kop: tab gevonden: gebruik spaties, geen tab"),
    (
        "statement: |\n  **Stelling 1**",
        "statement: |\n\t**Stelling 1**",
        f"{A}:8: kop: tab gevonden: gebruik spaties, geen tab",
    ),
    (
        'title: "Gemeenschappelijke ambitie"',
        "title: \u201cGemeenschappelijke ambitie\u201d",
        f"{A}:4: de waarde van 'title' staat tussen gekrulde aanhalingstekens (uit Word): "
        'gebruik rechte aanhalingstekens, bijvoorbeeld title: "…"',
    ),
    (
        'title: "Gemeenschappelijke ambitie"',
        "title: \u2018Ambitie: samen\u2019",
        f"{A}:4: kop: gekrulde aanhalingstekens (uit Word): gebruik rechte aanhalingstekens \" of '",
    ),
    (
        'pages: "9"',
        'pages: "9',
        f"{A}:6: kop: het aanhalingsteken aan het begin van de waarde wordt niet gesloten: "
        "zet aan het eind van de waarde hetzelfde teken",
    ),
    (
        "---\nnumber: 1",
        "number: 1",
        f"{A}:1: de regel '---' boven de kop ontbreekt: het bestand begint met een regel '---'",
    ),
    (
        "---\n\n## Toelichting",
        "\n## Toelichting",
        f"{A}:1: de kop wordt niet afgesloten: zet een regel '---' onder het laatste gegeven",
    ),
    (
        "---\nnumber: 1",
        "\n---\nnumber: 1",
        f"{A}:2: de kop begint op de eerste regel: haal de lege regels erboven weg",
    ),
    (
        'label: "Ambitie"',
        '  label: "Ambitie"',
        f"{A}:5: kop: deze regel springt in: begin elk gegeven aan het begin van de regel, zonder spaties ervoor",
    ),
    (
        'pages: "9"',
        "pages: @9",
        f"{A}:6: kop: een waarde mag niet beginnen met '@': zet de waarde tussen aanhalingstekens",
    ),
    ('pages: "9"', "pages: [9, 10]", f"{A}:6: de waarde van 'pages' is een lijst of tabel; hier hoort één waarde"),
    ('pages: "9"', "pages: ~", f"{A}:6: gegeven 'pages' heeft geen waarde"),
    ('pages: "9"', 'pages: "9\x07"', f"{A}:6: kop: onzichtbaar stuurteken U+0007: haal het weg"),
]


@pytest.mark.parametrize(("old", "new", "expected"), YAML_SLIPS, ids=[s[2].split(": ", 1)[1][:60] for s in YAML_SLIPS])
def test_each_yaml_slip_gets_a_dutch_hint_at_its_line(content_copy: Path, old: str, new: str, expected: str) -> None:
    edit(content_copy, A, old, new)
    assert problems(content_copy) == [expected]


def test_yaml_values_stay_the_text_the_editor_wrote(content_copy: Path) -> None:
    """No YAML typing: 'no' stays a word, a date-like page range stays text."""
    edit(content_copy, A, 'label: "Ambitie"', "label: No")
    edit(content_copy, A, 'pages: "9"', "pages: 2024-13-45")
    station = load_guide(content_copy).stations[0]
    assert (station.label, station.pages) == ("No", "2024-13-45")
