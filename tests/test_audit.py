"""The conformance record lists every WCAG 2.2 A/AA criterion and only tests that exist."""

from __future__ import annotations

import re

from app.config import ROOT
from audit.criteria import CRITERIA

WCAG_22_A_AA = [
    "1.1.1",
    "1.2.1",
    "1.2.2",
    "1.2.3",
    "1.2.4",
    "1.2.5",
    "1.3.1",
    "1.3.2",
    "1.3.3",
    "1.3.4",
    "1.3.5",
    "1.4.1",
    "1.4.2",
    "1.4.3",
    "1.4.4",
    "1.4.5",
    "1.4.10",
    "1.4.11",
    "1.4.12",
    "1.4.13",
    "2.1.1",
    "2.1.2",
    "2.1.4",
    "2.2.1",
    "2.2.2",
    "2.3.1",
    "2.4.1",
    "2.4.2",
    "2.4.3",
    "2.4.4",
    "2.4.5",
    "2.4.6",
    "2.4.7",
    "2.4.11",
    "2.5.1",
    "2.5.2",
    "2.5.3",
    "2.5.4",
    "2.5.7",
    "2.5.8",
    "3.1.1",
    "3.1.2",
    "3.2.1",
    "3.2.2",
    "3.2.3",
    "3.2.4",
    "3.2.6",
    "3.3.1",
    "3.3.2",
    "3.3.3",
    "3.3.4",
    "3.3.7",
    "3.3.8",
    "4.1.2",
    "4.1.3",
]


def test_every_a_and_aa_criterion_is_listed_once() -> None:
    assert [c.number for c in CRITERIA] == WCAG_22_A_AA


def test_every_named_test_exists() -> None:
    missing = []
    for criterion in CRITERIA:
        for test in criterion.tests:
            file, name = test.split("::")
            path = ROOT / file
            if not path.is_file() or not re.search(rf"^def {name}\(", path.read_text(), re.MULTILINE):
                missing.append(f"{criterion.number}: {test}")
    assert missing == []


def test_each_criterion_says_how_or_why_not() -> None:
    for criterion in CRITERIA:
        if criterion.not_applicable:
            assert not criterion.tests, criterion.number
        else:
            assert criterion.how and (criterion.tests or criterion.manual), criterion.number


def test_the_record_is_current() -> None:
    """docs/accessibility.md was written from this list (make accessibility) and every criterion passed."""
    record = (ROOT / "docs" / "accessibility.md").read_text()
    for criterion in CRITERIA:
        assert f"| {criterion.number} {criterion.name} |" in record, criterion.number
    assert "voldoet niet" not in record


def test_the_statements_record_is_the_same_outcome_as_the_written_record() -> None:
    """app/tested.json (for the statement page) and docs/accessibility.md come from one audit run."""
    from app import tested

    record = tested.load()
    assert record is not None
    text = (ROOT / "docs" / "accessibility.md").read_text("utf-8")
    when = re.search(r"Laatst bijgewerkt: (\S+ \S+) UTC, met (\d+) tests", text)
    assert when is not None
    assert (f"{record.written:%Y-%m-%d %H:%M}", record.tests) == (when[1], int(when[2]))
    rows = {
        cells[0].split()[0]: cells[2]
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith("| criterium")
        for cells in [[c.strip() for c in line.strip("|").split(" | ")]]
    }
    assert [(c.number, c.name, c.status) for c in record.criteria] == [
        (c.number, c.name, rows[c.number]) for c in CRITERIA
    ]
