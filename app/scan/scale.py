"""What each thing asked at a stop is answered on: a strength, an agreement, or nothing (a conversation).

Item 0 is the stop's own question ("Hoe staan wij ervoor?"), scored 1 (zwak) to 5 (sterk). A
discussion question that starts with "Stelling:" asks for agreement: 1 (helemaal oneens) to 5
(helemaal eens), or "weet niet", which is stored as 0 and counted apart, never averaged. Any
other discussion question is open ("Bij wie lag het initiatief…?"): shown for the conversation,
never scored. Templates, the server's validation, the results and the CSV all ask this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

DONT_KNOW = 0  # the stored value of "weet niet"
SCORES = (1, 2, 3, 4, 5)
STATEMENT_RE = re.compile(r"^\s*(?:\*\*|_)?stelling\s*:", re.IGNORECASE)


class Kind(Enum):
    STOP = "halte"  # the stop's own question: how strong are we here?
    STATEMENT = "stelling"  # agree or disagree
    OPEN = "open"  # for the conversation only


@dataclass(frozen=True)
class Scale:
    words: tuple[str, str, str, str, str]  # what 1..5 mean
    dont_know: str | None  # the label of the answer outside the scale, if it has one

    def allows(self, value: int) -> bool:
        return 1 <= value <= 5 or (self.dont_know is not None and value == DONT_KNOW)


STRENGTH = Scale(("Zwak", "Matig", "Redelijk", "Goed", "Sterk"), None)
AGREEMENT = Scale(("Helemaal oneens", "Oneens", "Neutraal", "Eens", "Helemaal eens"), "Weet niet")
WORDS = STRENGTH.words  # what 1..5 mean for a stop's own question


def kind_of(item: int, text: str = "") -> Kind:
    """Item 0 is the stop itself; a discussion question is a statement when it says so."""
    if item == 0:
        return Kind.STOP
    return Kind.STATEMENT if STATEMENT_RE.match(text) else Kind.OPEN


def scale_of(kind: Kind) -> Scale | None:
    """The scale an item is answered on; None: it is not scored."""
    return {Kind.STOP: STRENGTH, Kind.STATEMENT: AGREEMENT, Kind.OPEN: None}[kind]


def item_scale(item: int, text: str = "") -> Scale | None:
    """The scale of item `item` (0: the stop) whose text is `text`; None for an open question."""
    return scale_of(kind_of(item, text))


def split_questions(questions: tuple[str, ...] | list[str]) -> tuple[list[tuple[int, str, Scale]], list[str]]:
    """A stop's discussion questions as (statements to answer: number, text, scale) and open questions."""
    statements, open_questions = [], []
    for n, text in enumerate(questions, start=1):
        scale = item_scale(n, text)
        if scale is None:
            open_questions.append(text)
        else:
            statements.append((n, text, scale))
    return statements, open_questions
