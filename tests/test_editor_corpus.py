"""The corpus of editor mistakes (tests/fixtures/mistakes/): each case and what the check makes of it.

A case is a folder with a `case.toml`: the mistake (Dutch, as the editors' guide lists it), the
changes that make it out of the valid fixture content, and the outcome:

- "normalised": the guide loads without a word and holds exactly what the editor meant (the
  `intended` changes, or the unchanged fixture): nothing is accepted and rendered differently;
- "warned": the guide loads, with the warnings listed (file, line, a part of the message);
- "refused": the guide does not load, with exactly the problems listed, each on its line (line 0
  only for a problem with a whole file, such as its name, which is printed without a line).

Files in the case folder's `files/` are copied over the content first (real bytes: images).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from app.content import ContentError, Guide, Problem, load_guide
from tests.conftest import FIXTURES, VALID

CORPUS = FIXTURES / "mistakes"
CASES = sorted(p.parent for p in CORPUS.glob("*/case.toml"))
OUTCOMES = ("normalised", "warned", "refused")
GUIDE = Path(__file__).parents[1] / "content" / "README.md"


def manifest(case: Path) -> dict[str, Any]:
    return tomllib.loads((case / "case.toml").read_text(encoding="utf-8"))


def apply(root: Path, changes: list[dict[str, Any]], case: Path | None = None) -> None:
    """Make the changes of a case (in order) in the content folder `root`."""
    if case is not None and (case / "files").is_dir():
        shutil.copytree(case / "files", root, dirs_exist_ok=True)
    for change in changes:
        path = root / change.get("file", "03-leiderschap.md")
        if "old" in change:
            text = path.read_text(encoding="utf-8")
            assert change["old"] in text, f"fixture text not found in {path.name}: {change['old']!r}"
            path.write_text(text.replace(change["old"], change["new"], change.get("count", 1)), encoding="utf-8")
        if "copy_to" in change:
            shutil.copyfile(path, root / change["copy_to"])
        if "rename_to" in change:
            path.rename(root / change["rename_to"])
        if change.get("delete"):
            path.unlink()
        if "encoding" in change:
            text = path.read_text(encoding="utf-8")
            path.write_bytes(text.replace("\n", change.get("newline", "\n")).encode(change["encoding"]))


def load(root: Path) -> Guide:
    return load_guide(root, relative_to=root)


def expected(case: dict[str, Any], kind: str) -> list[tuple[str, int, str]]:
    return [(e.get("file", "03-leiderschap.md"), e["line"], e["message"]) for e in case.get(kind, [])]


def matches(found: list[Problem], wanted: list[tuple[str, int, str]]) -> bool:
    """Every wanted (file, line, part of message) is found once, and nothing else is."""
    rest = list(found)
    for name, line, part in wanted:
        hit = next((p for p in rest if p.path == name and p.line == line and part in p.message), None)
        if hit is None:
            return False
        rest.remove(hit)
    return not rest


def test_the_corpus_has_every_kind_of_mistake() -> None:
    assert len(CASES) >= 45
    for case in CASES:
        data = manifest(case)
        assert data["outcome"] in OUTCOMES, case.name
        assert data["mistake"] and data["changes"], case.name
        kind = {"warned": "warnings", "refused": "problems"}.get(data["outcome"])
        assert kind is None or data.get(kind), f"{case.name}: an outcome '{data['outcome']}' lists what is said"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_an_editor_mistake_has_its_outcome(case: Path, tmp_path: Path) -> None:
    data = manifest(case)
    meant, mistaken = tmp_path / "meant" / "nl", tmp_path / "mistaken" / "nl"
    shutil.copytree(VALID, meant)
    shutil.copytree(VALID, mistaken)
    apply(mistaken, data["changes"], case)
    if data["outcome"] == "refused":
        with pytest.raises(ContentError) as caught:
            load(mistaken)
        problems = caught.value.problems
        # Line 0 is the file as a whole (its name): printed without a line, and only where the case says so.
        assert all(p.line > 0 or (p.path, 0) in {(f, n) for f, n, _ in expected(data, "problems")} for p in problems)
        # The editors' guide says "kop", "gegeven" and "veld": never the developers' words.
        assert not [p for p in problems if re.search(r"front matter|sleutel|\bkey\b", p.message)]
        assert matches(list(problems), expected(data, "problems")), [str(p) for p in problems]
        return
    guide = load(mistaken)
    assert matches(list(guide.warnings), expected(data, "warnings")), [str(w) for w in guide.warnings]
    if data["outcome"] == "normalised":
        apply(meant, data.get("intended", []), case)
        intended = load(meant)
        # What the editor meant, to the letter: the same stops, quotes, questions, texts.
        assert guide.stations == intended.stations
        assert guide.site == intended.site


SAID = {"normalised": "hersteld", "warned": "waarschuwing", "refused": "geweigerd"}


def table_row(number: int, case: Path, root: Path) -> str:
    """The row of the editors' guide's table for one case: what the editor sees, as the check says it."""
    data = manifest(case)
    shutil.copytree(VALID, root)
    apply(root, data["changes"], case)
    try:
        said = [str(w) for w in load(root).warnings]
    except ContentError as err:
        said = [str(p) for p in err.problems]
    seen = "; ".join(f"`{s}`" for s in said) if said else "niets: de gids leest het zoals u het bedoelde"
    cells = [str(number), data["mistake"], SAID[data["outcome"]], seen]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def table(tmp: Path) -> list[str]:
    return [table_row(i, case, tmp / str(i) / "nl") for i, case in enumerate(CASES, 1)]


def test_the_editors_guide_lists_every_mistake_of_the_corpus_as_the_check_says_it(tmp_path: Path) -> None:
    """content/README.md's table is the corpus, word for word: regenerate it with `python -m tests.test_editor_corpus`."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("### Alle bekende vergissingen", 1)[-1].split("\n## ", 1)[0]
    rows = [line for line in section.split("\n") if re.match(r"^\| \d+ \|", line)]
    assert rows == table(tmp_path)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print("\n".join(table(Path(folder))))
