"""Property-based tests: whatever text lands in a content file, the loader either returns a
guide or reports problems (file, line, message); it never raises anything else."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.content import STATION_KEYS, STATION_SECTIONS, ContentError, Guide, Problem, load_guide
from tests.conftest import VALID

SETTINGS = settings()  # the profile's number of examples (tests/conftest.py): quick locally, 200 in CI
VALID_STATION = (VALID / "01-ambitie.md").read_text()
FILE_NAMES = st.sampled_from(
    ["01-ambitie.md", "04-nieuw.md", "02-orde.md", "1-kort.md", "05-Hoofdletter.md", "99-ver-weg.md"]
)


def load(files: dict[str, bytes | str]) -> Guide | None:
    """Write the fixture's site.md (and its other stops) plus `files` into a fresh folder and load it.

    Returns the guide, or None after checking that every problem names a file of the folder and a
    line inside it; any other exception fails.
    """
    with tempfile.TemporaryDirectory(prefix="zevenstops-prop-") as tmp:
        root = Path(tmp) / "nl"
        shutil.copytree(VALID, root)
        for name, data in files.items():
            target = root / name
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                target.write_text(data, encoding="utf-8", newline="")
        try:
            guide = load_guide(root, relative_to=root)
        except ContentError as err:
            assert err.problems, "ContentError without problems"
            for problem in err.problems:
                assert_in_place(problem, root)
            assert str(err).startswith(str(err.problems[0]))
            return None
        assert isinstance(guide, Guide)
        assert [s.number for s in guide.stations] == list(range(1, len(guide.stations) + 1))
        # No stop file is dropped without a problem: the guide holds every one of them.
        assert sorted(s.stem + ".md" for s in guide.stations) == sorted(p.name for p in root.glob("[0-9]*.md"))
        return guide


def assert_in_place(problem: Problem, root: Path) -> None:
    """A problem names a file of the folder (or one that must be added) and a line that file has."""
    assert isinstance(problem, Problem) and not problem.warning
    assert isinstance(problem.message, str) and problem.message.strip()
    assert isinstance(problem.line, int) and not isinstance(problem.line, bool) and problem.line >= 0
    target = root / problem.path
    assert problem.path and target.parent == root, problem
    if not target.is_file():
        assert problem.line == 0, problem  # a missing file, or an entry that is no file: no line to point at
        return
    data = target.read_bytes()
    assert problem.line <= data.count(b"\n") + data.count(b"\r") + 1, problem


# -- arbitrary input ----------------------------------------------------------------------------


@SETTINGS
@given(name=FILE_NAMES, text=st.text(max_size=2000))
def test_arbitrary_text_as_a_stop_file(name: str, text: str) -> None:
    load({name: text})


@SETTINGS
@given(name=st.sampled_from(["site.md", "toegankelijkheid.md"]), text=st.text(max_size=2000))
def test_arbitrary_text_as_site_md_or_the_statement(name: str, text: str) -> None:
    load({name: text})


@SETTINGS
@given(name=FILE_NAMES, data=st.binary(max_size=2000))
def test_arbitrary_bytes_as_a_stop_file(name: str, data: bytes) -> None:
    load({name: data})


@SETTINGS
@example(prefix="", suffix=VALID_STATION.split("\n---\n", 1)[1])  # an empty front matter on a valid body
@given(prefix=st.text(max_size=200), suffix=st.text(max_size=200))
def test_arbitrary_text_around_front_matter(prefix: str, suffix: str) -> None:
    load({"01-ambitie.md": "---\n" + prefix + "\n---\n" + suffix})


# -- structured-ish Markdown --------------------------------------------------------------------

KEYS = st.one_of(
    st.sampled_from([*STATION_KEYS, "titel", "Number", "slug ", "x-extra"]),
    st.text("abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=8),
)
# Front-matter values that are always well-formed YAML: quoted text and numbers.
QUOTED_VALUES = st.one_of(st.integers(-3, 12), st.text(max_size=40).map(json.dumps))
# Any YAML at all: unquoted text, empty values, anchors, flow and block shapes, explicit tags,
# dates that do not exist. The loader has to turn every one into a value or a problem.
ANY_VALUES = st.one_of(
    QUOTED_VALUES,
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "~",
            "null",
            "yes",
            "[1, 2]",
            "{a: b}",
            "|\n  een blok\n  tekst",
            "'open",
            '"open',
            "[",
            "a: b: c",
            "2024-01-01",
            "1e3",
            ".inf",
            "0x1F",
            "-",
            "Halte 1",
            "&anker waarde",
            "&anker",
            "*anker",
            "\n  - a\n  - b",
            "!!int abc",
            "!!float x",
            "!!timestamp nope",
            "!!binary '@@'",
            "!!python/object/apply:os.system ['true']",
            "!!set {a, b}",
            "!!omap [a]",
            "!!bool maybe",
            "!unknown x",
            "2024-13-45",
            "2024-02-30",
        ]
    ),
)
HEADINGS = st.sampled_from(["## ", "## ", "## ", "### ", "# ", "#### "])
TITLES = st.one_of(
    st.sampled_from([*STATION_SECTIONS, "Inleiding", "Citaat", "toelichting"]),
    st.text(max_size=20).map(lambda t: t.replace("\n", " ")),
)
LINK_TARGETS = st.sampled_from(
    [
        "01-ambitie.md",
        "03-leiderschap.md#x",
        "99-nope.md",
        "https://vng.nl",
        "javascript:alert(1)",
        "data:text/html,x",
        "",
        "#frag",
        "mailto:a@b.nl",
        "HTTPS://VNG.NL",
        "//vng.nl",
        "../site.md",
    ]
)
WORDS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
INLINE = st.one_of(
    WORDS,
    st.builds(lambda t, u: f"[{t}]({u})", WORDS, LINK_TARGETS),
    st.sampled_from(
        ["<b>vet</b>", "<script>x</script>", "`code`", "**sterk**", "*", "_", "[", "](", "<", "&amp;", "\\"]
    ),
)
LINE = st.lists(INLINE, max_size=4).map(" ".join)
FIELD = st.builds(
    lambda k, v: f"{k}: {v}", st.sampled_from(["wie", "bron", "titel", "waar", "les", "x", "Bron", ""]), LINE
)
BLOCK = st.builds(
    lambda kind, fields, body, close: (
        f"::: {kind}\n" + "\n".join(fields) + "\n\n" + "\n".join(body) + ("\n:::" if close else "")
    ),
    st.sampled_from(["citaat", "praktijk", "onbekend", "", "citaat extra"]),
    st.lists(FIELD, max_size=5),
    st.lists(LINE, max_size=3),
    st.booleans(),
)
ELEMENT = st.one_of(
    LINE,
    st.lists(LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    BLOCK,
    st.sampled_from(
        [
            "```",
            "```python\nx = 1\n```",
            ":::",
            "---",
            "> citaat",
            "1. een",
            "    inspringing",
            "| a | b |\n|---|---|\n| 1 | 2 |",
        ]
    ),
)
SECTION = st.builds(
    lambda h, t, body: f"{h}{t}\n\n" + "\n\n".join(body), HEADINGS, TITLES, st.lists(ELEMENT, max_size=5)
)


def station_file(values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    front = st.lists(st.builds(lambda k, v: f"{k}: {v}", KEYS, values), max_size=9).map("\n".join)
    return st.builds(
        lambda has_front, closed, meta, before, sections: (
            (f"---\n{meta}\n" + ("---\n" if closed else "") if has_front else "")
            + before
            + "\n\n"
            + "\n\n".join(sections)
            + "\n"
        ),
        st.booleans(),
        st.booleans(),
        front,
        st.one_of(st.just(""), LINE),
        st.lists(SECTION, max_size=7),
    )


@SETTINGS
@given(name=FILE_NAMES, text=station_file(QUOTED_VALUES))
def test_structured_markdown_as_a_stop_file(name: str, text: str) -> None:
    """Random front-matter keys, sections, headings, lists, links and ::: blocks."""
    load({name: text})


@SETTINGS
@example(name="01-ambitie.md", text=VALID_STATION.replace('pages: "9"', "pages:"))
@example(name="01-ambitie.md", text=VALID_STATION.replace('pages: "9"', "pages: 2024-13-45"))
@given(name=FILE_NAMES, text=station_file(ANY_VALUES))
def test_structured_markdown_with_any_yaml_value_as_a_stop_file(name: str, text: str) -> None:
    load({name: text})


HOSTILE_FRONT_MATTER = [
    "",
    "&anker",
    "&anker waarde",
    "*anker",
    "!!int abc",
    "!!float x",
    "!!timestamp nope",
    "!!python/object/apply:os.system ['true']",
    "!unknown x",
    "[1, 2]",
    "{a: b}",
    "a: b",
    "@x",
]


@pytest.mark.parametrize("value", HOSTILE_FRONT_MATTER)
def test_a_front_matter_value_yaml_cannot_take_is_one_problem_at_its_line(value: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "nl"
        shutil.copytree(VALID, root)
        (root / "01-ambitie.md").write_text(VALID_STATION.replace('pages: "9"', f"pages: {value}"))
        with pytest.raises(ContentError) as caught:
            load_guide(root, relative_to=root)
        line = VALID_STATION.split("\n").index('pages: "9"') + 1
        assert [(p.path, p.line) for p in caught.value.problems] == [("01-ambitie.md", line)]


# -- any text in a front-matter value or a block field ----------------------------------------

VALID_SITE = (VALID / "site.md").read_text()
ANY_TEXT = st.text(max_size=300)
FRONT_LINES = {
    "01-ambitie.md": ['title: "Gemeenschappelijke ambitie"', 'label: "Ambitie"', 'pages: "9"', "slug: ambitie"],
    "site.md": ['title: "Testgids"', 'subtitle: "Drie stops voor de tests"', "lang: nl"],
    "toegankelijkheid.md": [
        "datum: 2999-01-01",
        "status: voldoet gedeeltelijk",
        'contact: "[toegankelijkheid@testdorp.nl](mailto:toegankelijkheid@testdorp.nl)"',
    ],
}
FIELD_LINES = [
    "wie: wethouder",
    "bron: Testbron, hoofdstuk 1",
    "titel: Voorbeeld A van halte 1",
    "waar: Gemeente Testdorp",
    "les: Les A van halte 1.",
]


def with_line(name: str, old: str, new: str) -> dict[str, bytes | str]:
    text = (VALID / name).read_text()
    assert old in text
    return {name: text.replace(old, new, 1)}


@SETTINGS
@example(name="01-ambitie.md", at=0, text="Ambitie: samen", quoted=False)
@example(name="01-ambitie.md", at=0, text="\u201cAmbitie\u201d", quoted=False)
@example(name="site.md", at=1, text="\x00", quoted=True)
@given(name=st.sampled_from(sorted(FRONT_LINES)), at=st.integers(0, 3), text=ANY_TEXT, quoted=st.booleans())
def test_any_text_as_a_front_matter_value(name: str, at: int, text: str, quoted: bool) -> None:
    """Written as is or between double quotes; quoted text that loads comes back unchanged."""
    lines = FRONT_LINES[name]
    old = lines[at % len(lines)]
    key = old.split(":")[0]
    value = json.dumps(text, ensure_ascii=False) if quoted else text
    guide = load(with_line(name, old, f"{key}: {value}"))
    if guide is not None and quoted and name != "toegankelijkheid.md" and key != "slug":
        assert getattr(guide.site if name == "site.md" else guide.stations[0], key) == text


@SETTINGS
@example(at=0, text="<b>x</b>")
@example(at=1, text="[x](javascript:alert(1))")
@example(at=2, text="![x](https://elders.example/x.png)")
@given(at=st.integers(0, len(FIELD_LINES) - 1), text=ANY_TEXT)
def test_any_text_as_a_block_field(at: int, text: str) -> None:
    old = FIELD_LINES[at]
    load(with_line("01-ambitie.md", old, f"{old.split(':')[0]}: {text}"))


@SETTINGS
@given(text=ANY_TEXT)
def test_any_text_as_a_block_body(text: str) -> None:
    load(with_line("01-ambitie.md", "Tweede citaat van halte 1.", text))


# -- small edits to a valid stop ----------------------------------------------------------------

EDIT_LINES = st.one_of(
    LINE,
    FIELD,
    st.builds(lambda h, t: h + t, HEADINGS, TITLES),
    st.sampled_from(["---", ":::", "::: citaat", "```", "", "- ", "number: 1", "slug: ambitie"]),
)
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "insert", "replace", "swap"]), st.integers(0, 10_000), EDIT_LINES
    ),
    min_size=1,
    max_size=6,
)


@SETTINGS
@given(edits=EDITS)
def test_small_edits_to_a_valid_stop(edits: list[tuple[str, int, str]]) -> None:
    lines = VALID_STATION.split("\n")
    for op, at, new in edits:
        i = at % len(lines) if lines else 0
        if op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, new)
        elif op == "replace" and lines:
            lines[i] = new
        elif op == "swap" and len(lines) > 1:
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
    load({"01-ambitie.md": "\n".join(lines)})


def test_the_unedited_fixture_loads() -> None:
    """The harness itself: the valid fixture gives a guide of three stops."""
    guide = load({})
    assert guide is not None and len(guide.stations) == 3
