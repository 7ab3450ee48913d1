"""One WCAG success criterion: how the guide meets it, and which tests check it."""

from __future__ import annotations

from dataclasses import dataclass

B = "tests/browser/"


@dataclass(frozen=True)
class Criterion:
    number: str
    name: str  # the Dutch name (NEN-EN 301 549 / W3C's authorised Dutch translation)
    level: str
    how: str  # how the guide meets it, in Dutch
    tests: tuple[str, ...] = ()
    not_applicable: str = ""  # why it does not apply
    manual: str = ""  # what a person checks where no test can
    limitation: str = ""  # what does not (fully) meet it yet, in Dutch: named in the statement


def not_applicable(number: str, name: str, level: str, why: str) -> Criterion:
    """A criterion the guide has nothing for (no video, no time limit); `why` says what is missing."""
    return Criterion(number, name, level, "", not_applicable=why)
