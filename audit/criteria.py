"""Every WCAG 2.2 success criterion of level A and AA, how the guide meets it, and which tests check it.

A criterion that does not apply says why (`not_applicable`). One that applies names the tests
that check it; where no automated test can, `manual` says what a person checked; where the guide
does not fully meet it, `limitation` says what, and the accessibility statement lists it. The
record (docs/accessibility.md) is written from this list by running the tests it names.
"""

from __future__ import annotations

from audit.criterion import Criterion
from audit.operable import OPERABLE
from audit.perceivable import PERCEIVABLE
from audit.understandable import UNDERSTANDABLE

__all__ = ["CRITERIA", "Criterion"]


def _in_order(criteria: tuple[Criterion, ...]) -> tuple[Criterion, ...]:
    """By number, as WCAG lists them (2.4.11 after 2.4.7)."""
    return tuple(sorted(criteria, key=lambda c: tuple(int(part) for part in c.number.split("."))))


CRITERIA: tuple[Criterion, ...] = _in_order(PERCEIVABLE + OPERABLE + UNDERSTANDABLE)
