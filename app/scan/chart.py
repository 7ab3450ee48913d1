"""Geometry of the bar chart of a 1–5 distribution (no markup here; templates/sessions/_chart.html draws it).

Sized in SVG units for a projector: the numbers and labels stay readable from 5 m when the
chart is a third of a 1920 px screen wide.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 600.0
HEIGHT = 330.0
TOP = 48.0  # room above the tallest bar for its count
BOTTOM = 78.0  # room under the baseline for the score and its word
SIDE = 12.0
GAP = 0.28  # share of each column left empty between bars
COUNT_FONT = 34.0
SCORE_FONT = 30.0
WORD_FONT = 22.0


@dataclass(frozen=True)
class Bar:
    score: int  # 1..5
    word: str  # "Zwak" … "Sterk"
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def count_y(self) -> float:
        """Baseline of the count above the bar."""
        return self.y - 10


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    total: int
    width: float = WIDTH
    height: float = HEIGHT
    baseline: float = HEIGHT - BOTTOM
    count_font: float = COUNT_FONT
    score_font: float = SCORE_FONT
    word_font: float = WORD_FONT

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def score_y(self) -> float:
        return self.baseline + SCORE_FONT + 6

    @property
    def word_y(self) -> float:
        return self.score_y + WORD_FONT + 6


def bar_chart(counts: Sequence[int], words: Sequence[str]) -> Chart:
    """Five bars, the tallest reaching the top; an empty distribution draws flat bars."""
    if len(counts) != len(words):
        raise ValueError("one word per score")
    column = (WIDTH - 2 * SIDE) / len(counts)
    bar_width = column * (1 - GAP)
    room = HEIGHT - BOTTOM - TOP
    tallest = max(counts, default=0)
    bars = []
    for i, (count, word) in enumerate(zip(counts, words)):
        height = room * count / tallest if tallest else 0.0
        if count and height < 3:
            height = 3.0  # one answer among hundreds stays visible
        x = SIDE + i * column + (column - bar_width) / 2
        bars.append(
            Bar(
                i + 1,
                word,
                count,
                round(x, 2),
                round(HEIGHT - BOTTOM - height, 2),
                round(bar_width, 2),
                round(height, 2),
            )
        )
    return Chart(tuple(bars), sum(counts))
