"""A corpus of editor mistakes: each is a change to a valid stop file and what the check makes of it.

Outcomes: "normalised" (loads and renders as the editor meant), "warned" (loads, with a warning
naming the file), "refused" (the exact `file:line: message`). The habits come from Word and Notepad.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content import ContentError, load_guide
from tests.test_content import C

QUESTIONS = ("Vraag een van halte 3?", "Vraag twee van halte 3?", "Vraag drie van halte 3?")
LIST = "- Vraag een van halte 3?\n- Vraag twee van halte 3?\n- Vraag drie van halte 3?"
FIRST_QUOTE = "bron: Testbron, p. 3\n\nEerste citaat van halte 3."
FIRST_EXAMPLE_END = "bron: Testbron, p. 3\n\nWat er gebeurde in voorbeeld A."


def change(root: Path, old: str, new: str) -> None:
    path = root / C
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1))


def load(root: Path):  # type: ignore[no-untyped-def]
    return load_guide(root, relative_to=root)


def refused(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load(root)
    return [str(p) for p in caught.value.problems]


# (kind, old, new): the questions still come out as the three the editor wrote.
LIST_HABITS = [
    ("tab-indented list", LIST, LIST.replace("- ", "\t- ")),
    ("non-breaking space after '-'", LIST, LIST.replace("- Vraag twee", "-\u00a0Vraag twee")),
    ("Word bullets", LIST, LIST.replace("- ", "• ")),
    ("Word bullets with a tab", LIST, LIST.replace("- ", "•\t")),
    ("narrow non-breaking space after '-'", LIST, LIST.replace("- Vraag drie", "-\u202fVraag drie")),
]


@pytest.mark.parametrize(("kind", "old", "new"), LIST_HABITS, ids=[k for k, _, _ in LIST_HABITS])
def test_list_habits_are_normalised(content_copy: Path, kind: str, old: str, new: str) -> None:
    change(content_copy, old, new)
    assert load(content_copy).stations[2].questions == QUESTIONS


@pytest.mark.parametrize("heading", ["##\u00a0Citaten", "##Citaten", "##\tCitaten"])
def test_a_heading_without_a_plain_space_is_normalised(content_copy: Path, heading: str) -> None:
    change(content_copy, "## Citaten", heading)
    assert len(load(content_copy).stations[2].quotes) == 3


@pytest.mark.parametrize(
    "typed", ["“Eerste citaat van halte 3.”", '"Eerste citaat van halte 3."', "„Eerste citaat van halte 3.”"]
)
def test_quotation_marks_typed_around_a_quote_are_dropped(content_copy: Path, typed: str) -> None:
    change(content_copy, "Eerste citaat van halte 3.", typed)
    assert load(content_copy).stations[2].quotes[0].text.strip() == "Eerste citaat van halte 3."


def test_quotation_marks_inside_a_quote_stay(content_copy: Path) -> None:
    change(content_copy, "Eerste citaat van halte 3.", "Hij zei “ja” en ging.")
    assert load(content_copy).stations[2].quotes[0].text.strip() == "Hij zei “ja” en ging."


@pytest.mark.parametrize(
    ("encode", "kind"),
    [(lambda t: t.replace("\n", "\r\n").encode(), "CRLF"), (lambda t: b"\xef\xbb\xbf" + t.encode(), "BOM")],
)
def test_notepad_line_ends_and_byte_order_mark_are_normalised(content_copy: Path, encode, kind: str) -> None:  # type: ignore[no-untyped-def]
    path = content_copy / C
    path.write_bytes(encode(path.read_text()))
    assert load(content_copy).stations[2].questions == QUESTIONS, kind


LOOK_ALIKES = [
    (
        "03-leiderschap.md.txt",
        "de naam eindigt op '.md.txt' (Kladblok zet er soms '.txt' achter), en de gids leest alleen namen op '.md' "
        "in kleine letters; hernoem het naar '03-leiderschap.md' of haal het weg",
    ),
    (
        "04-x.MD",
        "de naam eindigt op '.MD', en de gids leest alleen namen op '.md' in kleine letters; "
        "hernoem het naar '04-x.md' of haal het weg",
    ),
    (
        "03-leiderschap.md.bak",
        "de naam eindigt op '.md.bak', en de gids leest alleen namen op '.md' in kleine letters; "
        "hernoem het naar '03-leiderschap.md' of haal het weg",
    ),
    (
        "~$03-leiderschap.md",
        "het is een tijdelijk bestand van Word; sluit Word, haal het weg en bewerk de tekst in een teksteditor",
    ),
    ("03-leiderschap - kopie.md", "het is een kopie; werk in '03-leiderschap.md' zelf en haal de kopie weg"),
    ("03-leiderschap - Kopie (2).md", "het is een kopie; werk in '03-leiderschap.md' zelf en haal de kopie weg"),
    ("03-leiderschap (1).md", "het is een kopie; werk in '03-leiderschap.md' zelf en haal de kopie weg"),
    ("Kopie van 03-leiderschap.md", "het is een kopie; werk in '03-leiderschap.md' zelf en haal de kopie weg"),
]


@pytest.mark.parametrize(("name", "why"), LOOK_ALIKES, ids=[n for n, _ in LOOK_ALIKES])
def test_a_file_that_looks_like_a_stop_but_is_not_read_is_warned_with_the_reason(
    content_copy: Path, name: str, why: str
) -> None:
    (content_copy / name).write_text((content_copy / C).read_text())
    warnings = [str(w) for w in load(content_copy).warnings]
    assert warnings == [f"{name}:1: waarschuwing: dit bestand lijkt op een halte maar wordt niet gelezen: {why}"]


BLOCK_MISTAKES = [
    (
        "no blank line under a quote's fields",
        FIRST_QUOTE,
        FIRST_QUOTE.replace("\n\n", "\n"),
        ["03-leiderschap.md:19: zet een lege regel tussen de velden en de tekst van '::: citaat'"],
    ),
    (
        "no blank line under an example's fields",
        FIRST_EXAMPLE_END,
        FIRST_EXAMPLE_END.replace("\n\n", "\n"),
        ["03-leiderschap.md:44: zet een lege regel tussen de velden en de tekst van '::: praktijk'"],
    ),
    (
        "a field with a capital",
        FIRST_QUOTE,
        FIRST_QUOTE.replace("bron:", "Bron:"),
        ["03-leiderschap.md:18: onbekend veld 'Bron' in '::: citaat': velden schrijft u met kleine letters ('bron:')"],
    ),
    (
        "a quote with text and no fields",
        FIRST_QUOTE,
        "Eerste citaat van halte 3.",
        ["03-leiderschap.md:17: citaat zonder bron: zet bovenaan het blok een regel 'bron: …'"],
    ),
    (
        "an example with text and no fields",
        "titel: Voorbeeld A van halte 3\nwaar: Gemeente Testdorp\nles: Les A van halte 3.\n" + FIRST_EXAMPLE_END,
        "Wat er gebeurde in voorbeeld A.",
        [
            "03-leiderschap.md:39: '::: praktijk' heeft geen velden: zet bovenaan het blok de velden "
            "(titel, waar, les, bron), één per regel, dan een lege regel en dan de tekst"
        ],
    ),
]


@pytest.mark.parametrize(("kind", "old", "new", "expected"), BLOCK_MISTAKES, ids=[m[0] for m in BLOCK_MISTAKES])
def test_block_mistakes_name_the_real_fault(
    content_copy: Path, kind: str, old: str, new: str, expected: list[str]
) -> None:
    change(content_copy, old, new)
    assert refused(content_copy) == expected


def test_windows_1252_is_refused_with_its_line(content_copy: Path) -> None:
    path = content_copy / C
    path.write_bytes(path.read_text().replace("Vraag twee", "Vraag één").encode("cp1252"))
    line = path.read_bytes().split(b"\n").index("- Vraag één van halte 3?".encode("cp1252")) + 1
    assert refused(content_copy) == [
        f"03-leiderschap.md:{line}: dit is geen UTF-8-tekst (het teken op deze regel is 'é' in Windows-1252 (ANSI)): "
        "sla het bestand op als UTF-8 (Kladblok: Opslaan als, Codering: UTF-8)"
    ]


LINK_MISTAKES = [
    (
        "a link to a heading that does not exist",
        "[halte 1](01-ambitie.md#nope)",
        "03-leiderschap.md:13: link '01-ambitie.md#nope': het deel na '#' bestaat niet op die halte; gebruik een "
        "van: #ambitie-titel, #ambitie-toelichting, #ambitie-citaten, #ambitie-praktijk, #ambitie-vragen, "
        "#ambitie-bronnen",
    ),
    (
        "a web address without https://",
        "[VNG](www.vng.nl)",
        "03-leiderschap.md:13: link 'www.vng.nl' mist 'https://' aan het begin: schrijf 'https://www.vng.nl'",
    ),
]


@pytest.mark.parametrize(("kind", "link", "expected"), LINK_MISTAKES, ids=[m[0] for m in LINK_MISTAKES])
def test_link_mistakes_name_the_real_fault(content_copy: Path, kind: str, link: str, expected: str) -> None:
    change(content_copy, "Dit is testtekst voor de gids.", f"Zie {link}.")
    assert refused(content_copy) == [expected]


def test_a_link_to_a_heading_that_exists_passes(content_copy: Path) -> None:
    change(content_copy, "Dit is testtekst voor de gids.", "Zie [de vragen](01-ambitie.md#ambitie-vragen).")
    assert load(content_copy).stations[2].slug == "leiderschap"


def test_messages_about_the_kop_use_the_guides_words(content_copy: Path) -> None:
    change(content_copy, "pages:", "Pages:")
    assert refused(content_copy) == [
        "03-leiderschap.md:6: onbekend gegeven 'Pages' in de kop (gegevens schrijft u met kleine letters) "
        "(toegestaan: number, slug, title, label, pages, statement)",
    ]


def test_a_whole_file_problem_names_no_line_zero(content_copy: Path) -> None:
    (content_copy / "site.md").unlink()
    assert refused(content_copy) == ["site.md: site.md ontbreekt (titel, inleiding, eindstations, colofon)"]


def test_the_editors_guide_states_the_image_rules_the_check_applies() -> None:
    """content/README.md tells the editor the limits app/content/images.py enforces, and the folder's name."""
    from app.content import images
    from tests.test_editor_corpus import GUIDE

    section = GUIDE.read_text(encoding="utf-8").split("## Afbeeldingen", 1)[1].split("\n## ", 1)[0]
    assert f"Hoogstens {images.MAX_BYTES // 1024 // 1024} MB per bestand" in section
    assert f"Boven {images.WARN_BYTES // 1024 // 1024} MB" in section
    assert f"breder dan {images.WARN_WIDTH} beeldpunten" in section
    assert f"`{images.IMAGE_DIR}`" in section and f"({images.IMAGE_DIR}/" in section
    assert "zonder spaties" in section
