"""Hostile or careless content is refused with a file:line message, in bounded time and memory.

The checks that could exhaust memory or hang on today's code run `metro check` in a child
process with an address-space limit and a timeout, so a regression fails the test instead of
taking the test run down.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from app.content import ContentError, load_guide
from tests.test_content import A, C, edit, problems

MEMORY_LIMIT = 512 * 1024 * 1024
CHECK = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"


def metro_check_capped(content: Path) -> subprocess.CompletedProcess[str]:
    """Run `metro check` on `content` in a child process limited to 512 MB of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [sys.executable, "-c", CHECK, "--content", str(content), "check"],
        cwd=content.parent,
        capture_output=True,
        text=True,
        timeout=60,  # a bound for a hang, not a measurement
        preexec_fn=limit,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )


def alias_bomb(levels: int = 9) -> str:
    """A front-matter value of a few hundred bytes that YAML would expand to 9**9 strings."""
    lists = ['&a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lists += [f"&a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
    return "&bomb [" + ", ".join(lists) + "]"


def test_a_yaml_alias_bomb_is_refused_in_a_memory_capped_check(content_copy: Path) -> None:
    edit(content_copy, A, 'pages: "9"', f"pages: {alias_bomb()}")
    result = metro_check_capped(content_copy)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "nl/01-ambitie.md:6: kop: een anker ('&' voor een waarde) is niet toegestaan: "
        "zet de waarde tussen aanhalingstekens",
        "1 probleem gevonden.",
    ]
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("*a0", "een verwijzing ('*' voor een waarde)"),
        ("!!python/object/apply:os.system ['true']", "een YAML-type ('!' voor een waarde)"),
        ("!foo 9", "een YAML-type ('!' voor een waarde)"),
        ("!!str 9", "een YAML-type ('!' voor een waarde)"),
    ],
)
def test_yaml_aliases_and_tags_are_refused(content_copy: Path, value: str, expected: str) -> None:
    edit(content_copy, A, 'pages: "9"', f"pages: {value}")
    assert problems(content_copy) == [
        f"{A}:6: kop: {expected} is niet toegestaan: zet de waarde tussen aanhalingstekens"
    ]


def test_deeply_nested_yaml_is_refused_before_it_exhausts_the_stack(content_copy: Path) -> None:
    edit(content_copy, A, 'pages: "9"', "pages: " + "[" * 100_000)
    assert problems(content_copy) == [f"{A}:6: de waarde van 'pages' is een lijst of tabel; hier hoort één waarde"]


def test_a_huge_sparse_file_is_refused_without_being_read(content_copy: Path) -> None:
    with open(content_copy / "04-groot.md", "wb") as handle:
        handle.truncate(4 * 1024**3)  # 4 GB of nothing, instantly: reading it would not fit in 512 MB
    result = metro_check_capped(content_copy)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "nl/04-groot.md: het bestand is te groot: hoogstens 1 MB; kort de tekst in",
        "1 probleem gevonden.",
    ]
    assert result.returncode == 1


def test_a_symlink_to_an_endless_device_is_refused(content_copy: Path) -> None:
    (content_copy / "04-nul.md").symlink_to("/dev/zero")
    result = metro_check_capped(content_copy)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "nl/04-nul.md: is een snelkoppeling naar een bestand buiten de inhoudsmap: zet het bestand zelf in de map",
        "1 probleem gevonden.",
    ]


def test_a_fifo_is_refused_without_waiting_for_a_writer(content_copy: Path) -> None:
    os.mkfifo(content_copy / "04-pijp.md")
    result = metro_check_capped(content_copy)  # reading the FIFO would block until the timeout
    assert result.stderr.splitlines() == [
        "nl/04-pijp.md: is geen gewoon bestand maar een named pipe (FIFO): haal het uit de inhoudsmap",
        "1 probleem gevonden.",
    ]


def test_a_directory_named_like_a_stop_file_is_refused(content_copy: Path) -> None:
    (content_copy / "04-map.md").mkdir()
    assert problems(content_copy) == [
        "04-map.md: is een map, geen bestand: geef de map een naam die niet op .md eindigt"
    ]


def test_a_symlink_to_a_file_outside_the_content_folder_is_refused(content_copy: Path) -> None:
    outside = content_copy.parent / "elders.md"
    outside.write_text((content_copy / C).read_text())
    (content_copy / C).unlink()
    (content_copy / C).symlink_to(outside)
    assert problems(content_copy) == [
        f"{C}: is een snelkoppeling naar een bestand buiten de inhoudsmap: zet het bestand zelf in de map"
    ]


def test_a_symlink_inside_the_content_folder_is_followed(content_copy: Path) -> None:
    (content_copy / "bron").mkdir()
    (content_copy / C).rename(content_copy / "bron" / "leiderschap.txt")
    (content_copy / C).symlink_to(Path("bron") / "leiderschap.txt")
    assert [s.slug for s in load_guide(content_copy).stations] == ["ambitie", "orde", "leiderschap"]


def test_a_dangling_symlink_and_an_editor_lock_file(content_copy: Path) -> None:
    (content_copy / ".#01-ambitie.md").symlink_to("gebruiker@machine.1234")  # Emacs: skipped
    (content_copy / "04-weg.md").symlink_to("bestaat-niet.md")
    assert problems(content_copy) == ["04-weg.md: is een snelkoppeling naar een bestand dat niet bestaat"]


def test_a_file_over_the_size_limit_is_refused(content_copy: Path) -> None:
    edit(content_copy, A, "Wat er gebeurde in voorbeeld A.", "x" * 1_000_001)
    assert problems(content_copy) == [f"{A}: het bestand is te groot: hoogstens 1 MB; kort de tekst in"]


def test_long_fields_and_block_texts_are_refused(content_copy: Path) -> None:
    edit(content_copy, A, "wie: wethouder", "wie: " + "w" * 2001)
    edit(content_copy, A, "Wat er gebeurde in voorbeeld A.", "x" * 20_001)
    edit(content_copy, A, 'title: "Gemeenschappelijke ambitie"', "title: " + "t" * 2001)
    assert problems(content_copy) == [
        f"{A}:4: kop: deze waarde is 2001 tekens lang; hoogstens 2000 mag",
        f"{A}:26: veld 'wie' is 2001 tekens lang; hoogstens 2000 mag",
        f"{A}:41: de tekst van '::: praktijk' is 20001 tekens lang; hoogstens 20000 mag",
    ]


def test_an_unclosed_block_is_refused(content_copy: Path) -> None:
    """Unclosed, the first quote swallowed the next ones: the page showed them nested and twice."""
    edit(content_copy, A, "Eerste citaat van halte 1.\n:::\n", "Eerste citaat van halte 1.\n")
    assert problems(content_copy) == [
        f"{A}:24: '::: citaat' staat binnen het blok van regel 19: sluit dat blok eerst af met een regel ':::'"
    ]


def test_an_unclosed_block_at_the_end_of_a_file_is_refused(content_copy: Path) -> None:
    path = content_copy / A
    path.write_text(path.read_text() + "\n::: citaat\nbron: Testbron\n\nNog een citaat.\n")
    assert f"{A}:69: '::: citaat' wordt niet afgesloten: zet een regel ':::' onder de tekst" in problems(content_copy)


def test_remote_and_missing_images_are_refused(content_copy: Path) -> None:
    edit(
        content_copy,
        A,
        "Zie ook [halte 3](03-leiderschap.md).",
        "![Kaart](https://elders.example/kaart.png) ![Kaart](//elders.example/k.png)\n\n"
        "![Kaart](kaart.png) ![Kaart](../geheim.png) ![](logo.png)",
    )
    (content_copy.parent / "geheim.png").write_bytes(b"\x89PNG")
    (content_copy / "logo.png").write_bytes(b"\x89PNG")
    found = problems(content_copy)
    assert [p for p in found if "afbeelding" in p] == sorted(
        [
            f"{A}:13: afbeelding van buiten de gids: 'https://elders.example/kaart.png'; zet het bestand in de "
            "inhoudsmap en verwijs er zo naar: ![omschrijving](foto.png)",
            f"{A}:13: afbeelding van buiten de gids: '//elders.example/k.png'; zet het bestand in de "
            "inhoudsmap en verwijs er zo naar: ![omschrijving](foto.png)",
            f"{A}:15: afbeelding 'kaart.png': zet afbeeldingen in de map 'afbeeldingen' naast de teksten en "
            "schrijf ![omschrijving](afbeeldingen/kaart.png)",
            f"{A}:15: afbeelding 'logo.png': zet afbeeldingen in de map 'afbeeldingen' naast de teksten en "
            "schrijf ![omschrijving](afbeeldingen/logo.png)",
            f"{A}:15: afbeelding '../geheim.png' niet gevonden in de inhoudsmap",
            f"{A}:15: afbeelding zonder omschrijving: zet tussen [ ] wat erop te zien is",
        ]
    )


def test_a_local_image_in_the_content_folder_passes(content_copy: Path) -> None:
    edit(content_copy, A, "Zie ook [halte 3](03-leiderschap.md).", "![De kaart van de regio](afbeeldingen/kaart.png)")
    (content_copy / "afbeeldingen").mkdir()
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10"
    (content_copy / "afbeeldingen" / "kaart.png").write_bytes(png)
    guide = load_guide(content_copy)
    assert "![De kaart van de regio](afbeeldingen/kaart.png)" in guide.stations[0].explanation
    assert [image.name for image in guide.images] == ["afbeeldingen/kaart.png"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "wie: wethouder",
            "wie: <b>wethouder</b>",
            f"{A}:26: HTML is niet toegestaan in veld 'wie', schrijf Markdown: '<b>'",
        ),
        (
            "bron: Testbron, hoofdstuk 1",
            'bron: <a href="https://x">Testbron</a>',
            f"{A}:27: HTML is niet toegestaan in veld 'bron', schrijf Markdown: '<a href=\"https://x\">'",
        ),
        (
            "titel: Voorbeeld A van halte 1",
            "titel: <script>alert(1)</script>",
            f"{A}:42: HTML is niet toegestaan in veld 'titel', schrijf Markdown: '<script>'",
        ),
        (
            "waar: Gemeente Testdorp",
            "waar: <img src=x onerror=alert(1)>",
            f"{A}:43: HTML is niet toegestaan in veld 'waar', schrijf Markdown: '<img src=x onerror=alert(1)>'",
        ),
        (
            "les: Les A van halte 1.",
            "les: Les <!-- x -->",
            f"{A}:44: HTML is niet toegestaan in veld 'les', schrijf Markdown: '<!-- x -->'",
        ),
        (
            'title: "Gemeenschappelijke ambitie"',
            'title: "Gemeenschappelijke <i>ambitie</i>"',
            f"{A}:4: HTML is niet toegestaan in 'title', schrijf Markdown: '<i>'",
        ),
    ],
)
def test_html_in_block_fields_and_front_matter_is_refused(
    content_copy: Path, old: str, new: str, expected: str
) -> None:
    edit(content_copy, A, old, new)
    assert expected in problems(content_copy)


def test_a_broken_stop_file_causes_no_problems_in_other_files(content_copy: Path) -> None:
    """Before, the stop after it was blamed too: 'stop numbers must run 1..2 without gaps'."""
    edit(content_copy, "02-orde.md", "slug: orde", "slug: orde: twee")
    found = problems(content_copy)
    assert [p.split(":")[0] for p in found] == ["02-orde.md"]
    with pytest.raises(ContentError):
        load_guide(content_copy)


def test_a_real_gap_is_still_reported_next_to_a_broken_file(content_copy: Path) -> None:
    edit(content_copy, "02-orde.md", "slug: orde", "slug: orde: twee")
    (content_copy / C).rename(content_copy / "04-leiderschap.md")
    edit(content_copy, "04-leiderschap.md", "number: 3", "number: 4")
    edit(content_copy, A, "(03-leiderschap.md)", "(04-leiderschap.md)")
    found = problems(content_copy)
    assert [p for p in found if not p.startswith("02-orde.md")] == [
        "04-leiderschap.md:2: de haltenummers lopen van 1 tot en met 3 zonder gaten: 3 ontbreekt"
    ]
