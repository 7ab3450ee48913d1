"""Content validation: the real content loads; every kind of mistake gets its file:line message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.cli import main as metro
from app.content import ContentError, load_guide
from app.content.verbatim import check_verbatim
from tests.conftest import REAL_CONTENT, VALID
from tests.test_verbatim import SOURCES

A = "01-ambitie.md"
VALID_FRONT_MATTER = (VALID / A).read_text().split("\n---\n")[0] + "\n---"
C = "03-leiderschap.md"


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_guide(root, relative_to=root)
    return [str(p) for p in caught.value.problems]


def edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = root / name
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, count))


def test_real_content_loads_cleanly() -> None:
    guide = load_guide(REAL_CONTENT)
    assert [s.number for s in guide.stations] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.slug for s in guide.stations] == [
        "gemeenschappelijke-ambitie",
        "orde-in-proces-en-structuur",
        "leiderschap",
        "boven-en-onderstroom",
        "goede-verhoudingen",
        "werk-weerstand-door",
        "onthecht-en-verbind",
    ]
    for station in guide.stations:
        assert len(station.quotes) >= 3 and all(q.source for q in station.quotes)
        assert len(station.examples) >= 2
        assert 3 <= len(station.questions) <= 6


def test_real_content_statements_are_verbatim_from_the_publication() -> None:
    """Each stop's statement on the map is the publication's p. 8 text (the check is app.content.verbatim)."""
    if not SOURCES.is_dir():
        pytest.skip("shared/sources is not beside this checkout")
    found = check_verbatim(REAL_CONTENT, SOURCES, relative_to=REAL_CONTENT)
    assert [str(p) for p in found if "uitspraak" in p.message] == []


def test_epigraph_is_the_first_quote_of_every_stop() -> None:
    guide = load_guide(REAL_CONTENT)
    for station in guide.stations:
        assert "motto" in station.quotes[0].source, station.slug


def test_fixture_content_loads() -> None:
    guide = load_guide(VALID)
    assert [(s.number, s.slug) for s in guide.stations] == [(1, "ambitie"), (2, "orde"), (3, "leiderschap")]
    first = guide.stations[0]
    assert first.quotes[1].who == "wethouder"
    assert first.quotes[1].source == "Testbron, hoofdstuk 1"
    assert first.quotes[1].text == "Tweede citaat van halte 1.\n"
    assert first.examples[0].where == "Gemeente Testdorp"
    assert first.questions == (
        "Stelling: Vraag een van halte 1.",
        "Stelling: Vraag twee van halte 1.",
        "Vraag drie van halte 1?",
    )


BROKEN = [
    # (file, old text, new text, expected problem)
    (
        A,
        "slug: ambitie",
        'slug: ambitie\ntitel: "x"',
        f"{A}:4: onbekend gegeven 'titel' in de kop (toegestaan: number, slug, title, label, pages, statement)",
    ),
    (A, 'pages: "9"\n', "", f"{A}:1: gegeven 'pages' ontbreekt in de kop"),
    (
        A,
        VALID_FRONT_MATTER,
        "---\n---",
        f"{A}:1: gegeven 'number' ontbreekt in de kop",
    ),
    (A, 'title: "Gemeenschappelijke ambitie"', 'title: ""', f"{A}:4: gegeven 'title' heeft geen waarde"),
    (A, "number: 1\n", "number: 1\nnumber: 1\n", f"{A}:3: gegeven 'number' staat twee keer in de kop"),
    (
        A,
        "slug: ambitie",
        "slug: Ambitie Nu",
        f"{A}:3: slug 'Ambitie Nu' past niet in een webadres: gebruik a-z, 0-9 en losse koppeltekens",
    ),
    (
        A,
        'label: "Ambitie"',
        'label: "Een heel erg lange kaartnaam hier"',
        f"{A}:5: label is 33 tekens lang; op de kaart passen er hoogstens 28",
    ),
    (
        A,
        'label: "Ambitie"',
        'label: "Samenwerkingsverbanden"',
        f"{A}:5: het woord 'Samenwerkingsverbanden' in label is langer dan 18 tekens en past niet op de kaart",
    ),
    (
        A,
        "## Citaten\n",
        "## Quotes\n",
        f"{A}:17: onbekende sectie 'Quotes' (verwacht: Toelichting, Citaten, Praktijkvoorbeelden, Gespreksvragen, Bronnen)",
    ),
    (
        A,
        "## Gespreksvragen\n\n- Stelling: Vraag een van halte 1.\n- Stelling: Vraag twee van halte 1.\n- Vraag drie van halte 1?\n\n",
        "",
        f"{A}:59: sectie 'Gespreksvragen' ontbreekt (verwacht na 'Praktijkvoorbeelden')",
    ),
    (
        A,
        "bron: Testbron, p. 1\n\nEerste",
        "\nEerste",
        f"{A}:19: citaat zonder bron: zet bovenaan het blok een regel 'bron: …'",
    ),
    (A, "wie: wethouder", "wie:", f"{A}:26: veld 'wie' is leeg in '::: citaat'"),
    (
        A,
        "wie: wethouder",
        "spreker: wethouder",
        f"{A}:26: onbekend veld 'spreker' in '::: citaat' (toegestaan: wie, bron)",
    ),
    (
        A,
        "les: Les A van halte 1.\n",
        "",
        f"{A}:41: '::: praktijk' zonder 'les': zet bovenaan het blok een regel 'les: …'",
    ),
    (A, "\nWat er gebeurde in voorbeeld A.\n", "", f"{A}:41: '::: praktijk' heeft geen tekst onder de velden"),
    (
        A,
        "Zie ook [halte 3](03-leiderschap.md).",
        "Zie ook <b>halte 3</b>.",
        f"{A}:13: HTML is niet toegestaan, schrijf Markdown: '<b>'",
    ),
    (
        A,
        "Zie ook [halte 3](03-leiderschap.md).",
        "Zie ook [halte 3](03-leiding.md).",
        f"{A}:13: link '03-leiding.md' leidt nergens heen: link naar een halte met de bestandsnaam, bijvoorbeeld '03-leiderschap.md'",
    ),
    (
        A,
        "Zie ook [halte 3](03-leiderschap.md).",
        "Zie [dit](javascript:alert(1)).",
        f"{A}:13: dit soort link is niet toegestaan: 'javascript:alert(1)'",
    ),
    (A, "- Vraag drie van halte 1?\n", "", f"{A}:59: 'Gespreksvragen' heeft 2 vragen; 3 tot 6 zijn nodig"),
    (
        A,
        "## Bronnen\n\n- Testbron, p. 1.\n",
        "## Bronnen\n\nTestbron, p. 1.\n",
        f"{A}:67: 'Bronnen' is een lijst: begin elke bron met '- '",
    ),
    (
        A,
        "::: citaat\nwie: gemeentesecretaris",
        "Los citaat.\n\n::: citaat\nwie: gemeentesecretaris",
        f"{A}:32: 'Citaten' bevat alleen '::: citaat'-blokken: zet deze tekst in een blok",
    ),
    (
        A,
        "## Citaten\n",
        "## Citaten\n\n### Sub\n",
        f"{A}:19: kop '### ' is hier niet toegestaan ('## ' begint een sectie, '### ' alleen binnen Toelichting)",
    ),
    (
        A,
        "## Toelichting\n",
        "## Toelichting\n\n# Titel\n",
        f"{A}:13: kop '# ' is hier niet toegestaan ('## ' begint een sectie, '### ' alleen binnen Toelichting)",
    ),
    (
        C,
        "number: 3",
        "number: 4",
        f"{C}:3: de bestandsnaam past niet bij number en slug: hernoem het bestand naar 04-leiderschap.md",
    ),
    (
        C,
        "slug: leiderschap",
        "slug: orde",
        f"{C}:3: de bestandsnaam past niet bij number en slug: hernoem het bestand naar 03-orde.md",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), BROKEN, ids=[b[3].split(": ", 1)[1][:50] for b in BROKEN])
def test_each_mistake_is_reported_with_file_and_line(
    content_copy: Path, name: str, old: str, new: str, expected: str
) -> None:
    edit(content_copy, name, old, new)
    assert expected in problems(content_copy)


def test_too_few_words_quotes_and_examples(content_copy: Path) -> None:
    path = content_copy / A
    text = path.read_text()
    text = re.sub(r"Dit is testtekst.*\n", "Te kort.\n", text)
    text = re.sub(r"::: citaat\nwie: gemeentesecretaris.*?:::\n", "", text, flags=re.S)
    text = re.sub(r"::: praktijk\ntitel: Voorbeeld B.*?:::\n", "", text, flags=re.S)
    path.write_text(text)
    found = problems(content_copy)
    assert f"{A}:11: 'Toelichting' heeft 6 woorden; 250 tot 500 zijn nodig" in found  # link text counts, its URL not
    assert f"{A}:17: 'Citaten' heeft 2 citaten; minstens 3 zijn nodig" in found
    assert f"{A}:33: 'Praktijkvoorbeelden' heeft 1 praktijkvoorbeeld; minstens 2 zijn nodig" in found


def test_duplicate_number_across_files(content_copy: Path) -> None:
    copy = content_copy / "02-orde-kopie.md"
    copy.write_text((content_copy / "02-orde.md").read_text().replace("slug: orde", "slug: orde-kopie"))
    found = problems(content_copy)
    assert "02-orde.md:2: nummer 2 komt twee keer voor (ook in 02-orde-kopie.md)" in found


def test_duplicate_slug_across_files(content_copy: Path) -> None:
    (content_copy / "03-leiderschap.md").rename(content_copy / "03-orde.md")
    edit(content_copy, "03-orde.md", "slug: leiderschap", "slug: orde")
    edit(content_copy, A, "(03-leiderschap.md)", "(03-orde.md)")
    assert "03-orde.md:3: slug 'orde' komt twee keer voor (ook in 02-orde.md)" in problems(content_copy)


def test_gap_in_numbers(content_copy: Path) -> None:
    (content_copy / "02-orde.md").unlink()
    assert f"{C}:2: de haltenummers lopen van 1 tot en met 2 zonder gaten: 2 ontbreekt" in problems(content_copy)


def test_missing_site_file_and_front_matter(content_copy: Path) -> None:
    (content_copy / "site.md").unlink()
    edit(content_copy, C, "---\nnumber: 3", "number: 3")
    found = problems(content_copy)
    assert "site.md: site.md ontbreekt (titel, inleiding, eindstations, colofon)" in found
    assert f"{C}:1: de regel '---' boven de kop ontbreekt: het bestand begint met een regel '---'" in found


def test_not_utf8(content_copy: Path) -> None:
    (content_copy / C).write_bytes("---\nnumber: 3\ntitle: caf\u00e9\n".encode("latin-1"))
    assert (
        f"{C}:3: dit is geen UTF-8-tekst (het teken op deze regel is 'é' in Windows-1252 (ANSI)): "
        "sla het bestand op als UTF-8 (Kladblok: Opslaan als, Codering: UTF-8)"
    ) in problems(content_copy)


def test_wrong_file_name(content_copy: Path) -> None:
    (content_copy / "leiderschap.md").write_text("x")
    assert "leiderschap.md: een haltebestand heet NN-<slug>.md, bijvoorbeeld 03-leiderschap.md" in problems(
        content_copy
    )


def test_every_problem_at_once_sorted(content_copy: Path) -> None:
    edit(content_copy, A, 'label: "Ambitie"', 'label: "Samenwerkingsverbanden"')
    edit(content_copy, C, "wie: wethouder", "wie:")
    found = problems(content_copy)
    assert len(found) == 2 and found == sorted(found)


def test_metro_check_reports_and_exits_1(
    content_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(content_copy.parent)
    edit(content_copy, A, "wie: wethouder", "wie:")
    assert metro(["--content", str(content_copy), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["nl/01-ambitie.md:26: veld 'wie' is leeg in '::: citaat'", "1 probleem gevonden."]


def test_metro_check_passes_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert metro(["--content", str(VALID), "check"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"In orde: 3 haltes, 9 citaten, 6 praktijkvoorbeelden \(inhoudsversie [0-9a-f]{12}\)\.\n", out)


def test_every_quote_is_verbatim_in_the_sources() -> None:
    """Quotes may leave words out with […], but every part must stand in a source document."""
    if not SOURCES.is_dir():
        pytest.skip("shared/sources is not beside this checkout")
    assert [str(p) for p in check_verbatim(REAL_CONTENT, SOURCES, relative_to=REAL_CONTENT)] == []


def test_a_stop_that_fails_without_a_problem_still_stops_the_guide(
    content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard behind every check: a stop file never drops out of the guide silently."""
    monkeypatch.setattr("app.content.loading._Loader.station", lambda self, file: None)
    assert problems(content_copy) == [
        f"{name}: dit haltebestand kon niet worden gelezen" for name in (A, "02-orde.md", C)
    ]
