"""How a group scored one item: the count per score 1–5, "weet niet" apart, and what that reads as."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from app.scan.scale import DONT_KNOW, SCORES, STRENGTH, Scale


@dataclass(frozen=True)
class Distribution:
    counts: tuple[int, int, int, int, int]  # answers giving 1, 2, 3, 4, 5
    dont_know: int = 0  # "weet niet": counted apart, in no total or average
    scale: Scale = STRENGTH

    @classmethod
    def of(cls, counter: Counter[int] | None, scale: Scale = STRENGTH) -> Distribution:
        counter = counter or Counter()
        c = tuple(counter.get(score, 0) for score in SCORES)
        return cls((c[0], c[1], c[2], c[3], c[4]), counter.get(DONT_KNOW, 0), scale)

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def average(self) -> float | None:
        if not self.total:
            return None
        return sum(score * n for score, n in zip(SCORES, self.counts)) / self.total

    @property
    def band(self) -> int | None:
        """The score the average rounds to (half up): what the map's colour and pattern show."""
        return None if self.average is None else min(5, int(self.average + 0.5))

    @property
    def word(self) -> str:
        return self.scale.words[self.band - 1] if self.band else "nog geen antwoorden"

    @property
    def dutch_average(self) -> str:
        """The average as people read it here: one decimal, a decimal comma."""
        return "–" if self.average is None else f"{self.average:.1f}".replace(".", ",")

    @property
    def short(self) -> str:
        """What the map writes next to a station: the average ("3,4"), or a dash; the legend gives the words."""
        return self.dutch_average

    @property
    def spoken(self) -> str:
        """The same in a sentence, for screen readers."""
        if not self.total:
            return "nog geen score"
        answers = "antwoord" if self.total == 1 else "antwoorden"
        return f"gemiddeld {self.dutch_average} ({self.word.lower()}), {self.total} {answers}"
